"""The team space's static parts: the candidates' layout, the cost tables, the team costs.

For each village the candidate units are laid out in a row (padded to a common width); a
team of two free places is a cell (i, j) with i < j of a village's K × K grid, a team of one
free place a cell i. :func:`lay_out` builds the rows once, :func:`cost_tables` the per-unit and
per-village arrays the rule families' batch forms (:mod:`pairing.cpsat.pairing.rules`) read,
and :func:`pair_costs` / :func:`single_costs` price whole grids of teams with them; nothing
here depends on prices (:mod:`pairing.solve.pricing` queries the space under prices).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from pairing.cpsat.pairing.rules import linear, needs, strength, systems
from pairing.cpsat.pairing.rules.strength import Shortfalls
from pairing.domain.model import Problem
from pairing.domain.pairs import Pair
from pairing.solve.instance import (
    Coefficients,
    VillageCosts,
    strength_target,
    tenths,
    tier_costs,
    village_costs,
)

INF = np.iinfo(np.int64).max // 4
VILLAGE_CHUNK = 512
# Cells of one chunk's V × K × K grid at most: pair_costs holds about ten such arrays at once
# (8 bytes a cell), so 2,000,000 cells stay near 160 MB whatever K is. Before, 512 villages
# of 1,000 candidates each (every scored pair a candidate, issue 14) made 4 GB arrays.
CHUNK_CELLS = 2_000_000


@dataclass(frozen=True)
class Layout:
    """Per village: must units, free places, candidate units (padded with -1), their edge
    costs, and the locked pairs' edge costs; ``slot_of`` maps (unit, village) to the unit's
    column for units that may take several villages (the only ones with town-link prices)."""

    must: tuple[tuple[int, ...], ...]
    free: NDArray[np.int64]
    units: NDArray[np.int64]
    edge_cost: NDArray[np.int64]
    must_cost: NDArray[np.int64]
    slot_of: dict[tuple[int, int], int]


def lay_out(
    problem: Problem, candidates: list[Pair], coefficients: Coefficients, locked: set[Pair]
) -> Layout:
    """The candidates of each village in a row: locked units apart, free ones in order."""
    by_village: dict[int, list[int]] = defaultdict(list)
    for u, v in candidates:
        by_village[v].append(u)
    villages = problem.villages
    must = tuple(
        tuple(sorted(u for u in by_village[v] if (u, v) in locked)) for v in range(len(villages))
    )
    width = max((len(by_village[v]) for v in range(len(villages))), default=1) or 1
    units = np.full((len(villages), width), -1, dtype=np.int64)
    cost = np.zeros((len(villages), width), dtype=np.int64)
    for v in range(len(villages)):
        free_units = [u for u in by_village[v] if (u, v) not in locked]
        units[v, : len(free_units)] = free_units
        cost[v, : len(free_units)] = [coefficients.edge_cost((u, v)) for u in free_units]
    free = np.array(
        [villages[v].units_required - len(must[v]) for v in range(len(villages))], dtype=np.int64
    )
    must_cost = np.array(
        [sum(coefficients.edge_cost((u, v)) for u in must[v]) for v in range(len(villages))],
        dtype=np.int64,
    )
    linked = {u for u, unit in enumerate(problem.units) if unit.max_villages >= 2}
    slot_of = {
        (int(u), v): k for v, row in enumerate(units) for k, u in enumerate(row) if u in linked
    }
    return Layout(must, free, units, cost, must_cost, slot_of)


@dataclass(frozen=True)
class CostTables:
    """What the village rules' batch forms read, per unit (a last row of padding) and per
    village (its locked units' share of each term, its needs, its P12 target and table)."""

    costs: VillageCosts
    skills: NDArray[np.uint64]  # units × words: bit t set when the unit has skill t
    system: NDArray[np.int64]  # per unit, its system's number (-1: none)
    strength: NDArray[np.int64]  # per unit, tenths
    needs: NDArray[np.uint64]  # villages × words
    base_skills: NDArray[np.uint64]
    base_strength: NDArray[np.int64]
    base_repeats: NDArray[np.int64]
    base_systems: tuple[frozenset[int], ...]
    shortfalls: Shortfalls  # per village, P12 target and cost by shortfall


def cost_tables(problem: Problem, layout: Layout) -> CostTables:
    """The per-unit and per-village arrays of ``problem`` over ``layout``."""
    tags = sorted({t for v in problem.villages for t in v.needs})
    tag_bit = {t: i for i, t in enumerate(tags)}
    words = max(1, (len(tags) + 63) // 64)
    skills = np.zeros((len(problem.units) + 1, words), dtype=np.uint64)  # last row: padding
    for u, unit in enumerate(problem.units):
        _set_bits(skills[u], unit.skills, tag_bit)
    names = sorted({u.system for u in problem.units if u.system})
    system_id = {s: i for i, s in enumerate(names)}
    system = np.array([system_id.get(u.system, -1) for u in problem.units] + [-1], dtype=np.int64)
    unit_strength = np.array([tenths(u.strength) for u in problem.units] + [0], dtype=np.int64)
    n = len(problem.villages)
    village_needs = np.zeros((n, words), dtype=np.uint64)
    base_skills = np.zeros((n, words), dtype=np.uint64)
    base_strength = np.zeros(n, dtype=np.int64)
    base_repeats = np.zeros(n, dtype=np.int64)
    base_systems: list[frozenset[int]] = []
    for v, village in enumerate(problem.villages):
        _set_bits(village_needs[v], village.needs, tag_bit)
        must = layout.must[v]
        for u in must:
            base_skills[v] |= skills[u]
        base_strength[v] = int(unit_strength[list(must)].sum()) if must else 0
        own = [int(system[u]) for u in must if system[u] >= 0]
        base_repeats[v] = len(own) - len(set(own))
        base_systems.append(frozenset(own))
    costs = village_costs(problem.settings)
    shortfalls = _shortfalls(problem, costs)
    return CostTables(
        costs,
        skills,
        system,
        unit_strength,
        village_needs,
        base_skills,
        base_strength,
        base_repeats,
        tuple(base_systems),
        shortfalls,
    )


def _set_bits(row: NDArray[np.uint64], tags: frozenset[str], tag_bit: dict[str, int]) -> None:
    for t in tags:
        if t in tag_bit:
            row[tag_bit[t] // 64] |= np.uint64(1 << (tag_bit[t] % 64))


def _shortfalls(problem: Problem, costs: VillageCosts) -> Shortfalls:
    """Each village's P12 target and cumulative cost by shortfall (tenths)."""
    n = len(problem.villages)
    if not costs.tiered:
        return strength.no_shortfalls(n)
    targets = [strength_target(problem, v) for v in range(n)]
    tiers = [tier_costs(problem, v, target) for v, target in enumerate(targets)]
    return strength.shortfalls(targets, tiers)


def width(layout: Layout, villages: NDArray[np.int64]) -> int:
    """Columns used by the widest of ``villages`` (chunks are priced at their own width)."""
    used = (layout.units[villages] >= 0).sum(axis=1)
    return max(1, int(used.max(initial=1)))


def make_chunks(layout: Layout) -> Iterator[tuple[int, NDArray[np.int64]]]:
    """(free places, villages) in chunks of similar width, in a canonical order."""
    free = layout.free
    for size in (1, 2):
        chosen = np.flatnonzero(free == size)
        used = (layout.units[chosen] >= 0).sum(axis=1)
        order = np.argsort(used, kind="stable")  # similar widths share a chunk
        chosen, used = chosen[order], used[order]
        start = 0
        while start < len(chosen):
            # The chunk's widest village sets its K: keep V × K^size cells bounded.
            stop = min(len(chosen), start + VILLAGE_CHUNK)
            while stop - start > 1 and (stop - start) * int(used[stop - 1]) ** size > CHUNK_CELLS:
                stop = start + max(1, (stop - start) // 2)
            yield size, chosen[start:stop]
            start = stop


def _members(
    layout: Layout, tables: CostTables, villages: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The villages' candidate columns (-1 in padding), and the same with padding pointed at
    the tables' padding row (no skill, no system, no strength)."""
    units = layout.units[villages][:, : width(layout, villages)]
    return units, np.where(units < 0, len(tables.system) - 1, units)


def pair_costs(
    layout: Layout, tables: CostTables, villages: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Costs of all two-place teams of ``villages`` (V × K × K; invalid cells = INF)."""
    units, safe = _members(layout, tables, villages)
    columns = units.shape[1]
    skills = tables.skills[safe]
    team_skills = (
        skills[:, :, None, :]
        | skills[:, None, :, :]
        | tables.base_skills[villages][:, None, None, :]
    )
    missing = needs.missing_batch(tables.needs[villages], team_skills)
    in_base = _in_base(tables, villages, safe)
    repeats = systems.pair_repeats(tables.base_repeats[villages], tables.system[safe], in_base)
    total = (
        tables.base_strength[villages][:, None, None]
        + tables.strength[safe][:, :, None]
        + tables.strength[safe][:, None, :]
    )
    edges = linear.pair_batch(layout.must_cost[villages], layout.edge_cost[villages][:, :columns])
    valid = (units[:, :, None] >= 0) & (units[:, None, :] >= 0)
    valid &= np.triu(np.ones((units.shape[1], units.shape[1]), dtype=bool), k=1)[None]
    return _priced(tables, villages, (edges, missing, repeats, total), valid)


def single_costs(
    layout: Layout, tables: CostTables, villages: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Costs of all one-place teams of ``villages`` (V × K; invalid = INF)."""
    units, safe = _members(layout, tables, villages)
    columns = units.shape[1]
    team_skills = tables.skills[safe] | tables.base_skills[villages][:, None, :]
    missing = needs.missing_batch(tables.needs[villages], team_skills)
    in_base = _in_base(tables, villages, safe)
    repeats = systems.single_repeats(tables.base_repeats[villages], in_base)
    total = tables.base_strength[villages][:, None] + tables.strength[safe]
    edges = linear.single_batch(layout.must_cost[villages], layout.edge_cost[villages][:, :columns])
    return _priced(tables, villages, (edges, missing, repeats, total), units >= 0)


TeamCounts = tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]


def _priced(
    tables: CostTables, villages: NDArray[np.int64], counts: TeamCounts, valid: NDArray[np.bool_]
) -> NDArray[np.int64]:
    """Each team's cost from its (edge costs, missing needs, repeats, strength), INF where it
    is no team (not ``valid``) or breaks a hard variant."""
    edges, missing, repeats, total = counts
    cost = (
        edges
        + tables.costs.per_need * missing
        + tables.costs.per_repeat * repeats
        + tables.shortfalls.cost(total, villages)
    )
    return np.where(valid & _hard_ok(tables.costs, missing, repeats, total), cost, INF)


def _in_base(
    tables: CostTables, villages: NDArray[np.int64], units: NDArray[np.int64]
) -> NDArray[np.bool_]:
    """Where a free member's system is already a locked unit's of the village."""
    out = np.zeros(units.shape, dtype=bool)
    for row, v in enumerate(villages):
        if tables.base_systems[v]:
            out[row] = np.isin(tables.system[units[row]], list(tables.base_systems[v]))
    return out


def _hard_ok(
    costs: VillageCosts,
    missing: NDArray[np.int64],
    repeats: NDArray[np.int64],
    total: NDArray[np.int64],
) -> NDArray[np.bool_]:
    """Where the hard variants of P10, P11 and P12 let a team be chosen."""
    return (
        needs.allowed_batch(missing, costs.needs_hard)
        & systems.allowed_batch(repeats, costs.systems_hard)
        & strength.allowed_batch(total, costs.floor)
    )
