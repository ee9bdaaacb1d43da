"""Enumerate the teams a village may get, each with its exact cost.

For each village, its candidate units are ranked by a pair-separable estimate; the teams are
the sets of ``units_required`` units drawn from the best ``k`` of them (every 必须 unit
included), with ``k`` as large as a per-village budget allows. A team that breaks a hard
variant of P10/P11/P12 is not offered. The cost of a team is exactly what
:func:`pairing.solve.terms.evaluate` charges the village and its pairs.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict

from pairing.cpsat.pairing.data import Team
from pairing.domain.model import Problem
from pairing.domain.pairs import Pair, PairFacts
from pairing.solve.instance import Coefficients, hundredths, tenths
from pairing.solve.terms import shortfall_cost

TEAMS_PER_VILLAGE = 1200
UNIT_VILLAGES = 4  # villages offered to a unit left out of every team
UNIT_TEAMS = 6  # teams of each such village it may join


def team_budget_k(free_slots: int, available: int, budget: int = TEAMS_PER_VILLAGE) -> int:
    """Largest k ≤ available with C(k, free_slots) ≤ budget (at least free_slots)."""
    k = available
    while k > free_slots and math.comb(k, free_slots) > budget:
        k -= 1
    return max(min(free_slots, available), k)


def enumerate_teams(
    problem: Problem,
    candidates: list[Pair],
    coefficients: Coefficients,
    start: set[Pair],
    budget: int = TEAMS_PER_VILLAGE,
) -> tuple[list[Team], bool]:
    """Return every offered team (village order, canonical unit order) and whether truncated.

    The teams of the warm start ``start`` are always offered (so a plan exists whenever the
    start obeys the hard rules), and so are teams for every unit that no other team holds.
    """
    facts = coefficients.facts
    by_village: dict[int, list[int]] = defaultdict(list)
    for u, v in candidates:
        by_village[v].append(u)
    edge_cost = {pair: coefficients.edge_cost(pair) for pair in candidates}
    offered: dict[int, set[tuple[int, ...]]] = defaultdict(set)
    truncated = False
    for v, village in enumerate(problem.villages):
        must = tuple(sorted(u for u in by_village[v] if (u, v) in facts.must))
        free = village.units_required - len(must)
        if free < 0:
            continue
        others = _ranked(
            problem, v, [u for u in by_village[v] if (u, v) not in facts.must], edge_cost
        )
        k = team_budget_k(free, len(others), budget)
        truncated |= k < len(others)
        combos = itertools.combinations(others[:k], free)
        offered[v].update(tuple(sorted((*must, *combo))) for combo in combos)
    _offer_start(offered, start)
    _offer_every_unit(problem, offered, by_village)
    teams = []
    for v in sorted(offered):
        for units in sorted(offered[v]):
            cost = team_cost(problem, facts, v, units, edge_cost)
            if cost is not None:
                teams.append(Team(v, units, cost))
    return teams, truncated


def _offer_start(offered: dict[int, set[tuple[int, ...]]], start: set[Pair]) -> None:
    by_village: dict[int, list[int]] = defaultdict(list)
    for u, v in start:
        by_village[v].append(u)
    for v, units in by_village.items():
        offered[v].add(tuple(sorted(units)))


def _offer_every_unit(
    problem: Problem, offered: dict[int, set[tuple[int, ...]]], candidates: dict[int, list[int]]
) -> None:
    """Give each unit that appears in no team a few teams in villages it may serve.

    It takes the place of one member of each of the village's first teams.
    """
    seen = {u for teams in offered.values() for team in teams for u in team}
    missing = [u for u in range(len(problem.units)) if u not in seen]
    if not missing:
        return
    villages_of: dict[int, list[int]] = defaultdict(list)
    for v, units in sorted(candidates.items()):
        for u in units:
            villages_of[u].append(v)
    for u in missing:
        for v in villages_of[u][:UNIT_VILLAGES]:
            for team in sorted(offered[v])[:UNIT_TEAMS]:
                for slot in range(len(team)):
                    offered[v].add(tuple(sorted((*team[:slot], *team[slot + 1 :], u))))


def _ranked(problem: Problem, v: int, units: list[int], edge_cost: dict[Pair, int]) -> list[int]:
    """Order a village's candidate units by an estimate of how good each is alone."""
    settings = problem.settings
    village = problem.villages[v]
    typical = settings.typical_weight if village.typical else 1.0

    def estimate(u: int) -> tuple[float, int]:
        unit = problem.units[u]
        covered = len(village.needs & unit.skills)
        bonus = settings.weight("P10") * covered + settings.weight("P12") * typical * unit.strength
        return (edge_cost[(u, v)] - hundredths(bonus), u)

    return sorted(units, key=estimate)


def team_cost(
    problem: Problem, facts: PairFacts, v: int, units: tuple[int, ...], edge_cost: dict[Pair, int]
) -> int | None:
    """Exact cost of giving ``units`` to village ``v``, or None if a hard variant forbids it."""
    settings = problem.settings
    village = problem.villages[v]
    members = [problem.units[u] for u in units]
    skills = set().union(*(m.skills for m in members)) if members else set()
    missing = len(village.needs - skills)
    systems = [m.system for m in members if m.system]
    repeats = len(systems) - len(set(systems))
    strength = sum(tenths(m.strength) for m in members)
    if (settings.needs_hard and missing) or (settings.systems_hard and repeats):
        return None
    if settings.min_strength is not None and strength < tenths(settings.min_strength):
        return None
    cost = sum(edge_cost[(u, v)] for u in units)
    if not settings.needs_hard:
        cost += missing * hundredths(settings.weight("P10"))
    if not settings.systems_hard:
        cost += repeats * hundredths(settings.weight("P11"))
    if settings.weight("P12"):
        cost += shortfall_cost(problem, v, strength)
    return cost
