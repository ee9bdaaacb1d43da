"""包户 as one min-cost flow over a group of villages, given their teams (models/COVER.md).

Arcs: source → household (1) → [team's priority node, for a priority household] → team →
its unit member → sink. A household → team arc costs C11 + C13 + C14 for that pair (only
teams of the household's village have one); team → unit member is split into unit-capacity
arcs, those above the village's ⌈|H|/|T|⌉ costing the C12 weight each (convex, so the flow
fills them in order); a team's priority node → team is split likewise above ⌈|P|/|T|⌉ at the
C10 weight. The unit member → sink arc holds the member's 最多户数 over all the villages of
the group (C05 across villages). Every term is separable and convex, so the flow is optimal
for the given teams. Costs are integers in units of 1e-3 point.

Team formation (:func:`best_pairing`) is an assignment: the most total weight over pairings
that pair as many people as the smaller side allows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ortools.graph.python import min_cost_flow

SCALE = 1000


@dataclass(frozen=True, slots=True)
class FlowInput:
    """Villages' households and teams; per household its (team, points) options.

    ``holder[t]`` is the unit member of team t (an index into ``holder_cap``, where None
    means no limit over villages); ``load_free[t]`` and ``spread_free[t]`` are the C12 and
    C10 ceilings of the team's village.
    """

    options: Sequence[Sequence[tuple[int, float]]]
    priority: Sequence[bool]
    capacity: Sequence[int]
    load_free: Sequence[int]
    spread_free: Sequence[int]
    holder: Sequence[int]
    holder_cap: Sequence[int | None]
    load_weight: float  # C12
    spread_weight: float  # C10


@dataclass(frozen=True, slots=True)
class FlowResult:
    """The team of every household (-1: not covered, the hard rules admit no more)."""

    team_of: tuple[int, ...]
    points: float

    @property
    def complete(self) -> bool:
        """Return whether every household is covered."""
        return -1 not in self.team_of


def _convex_arcs(
    flow: min_cost_flow.SimpleMinCostFlow, tail: int, head: int, cap: int, free: int, w: float
) -> None:
    if min(cap, free) > 0:
        flow.add_arc_with_capacity_and_unit_cost(tail, head, min(cap, free), 0)
    if cap > free:
        flow.add_arc_with_capacity_and_unit_cost(tail, head, cap - free, round(w * SCALE))


def solve_villages(data: FlowInput) -> FlowResult:
    """Return the most households coverable, at least cost among those covers."""
    n, k, p = len(data.priority), len(data.capacity), len(data.holder_cap)
    if n == 0 or k == 0:
        return FlowResult((-1,) * n, 0.0)
    flow = min_cost_flow.SimpleMinCostFlow()
    source, sink = 0, 1
    team0, prio0, holder0, house0 = 2, 2 + k, 2 + 2 * k, 2 + 2 * k + p
    held = [0] * p
    for t, cap in enumerate(data.capacity):
        head = holder0 + data.holder[t]
        held[data.holder[t]] += cap
        _convex_arcs(flow, team0 + t, head, cap, data.load_free[t], data.load_weight)
        _convex_arcs(flow, prio0 + t, team0 + t, cap, data.spread_free[t], data.spread_weight)
    for j, limit in enumerate(data.holder_cap):
        room = held[j] if limit is None else min(limit, held[j])
        if room > 0:
            flow.add_arc_with_capacity_and_unit_cost(holder0 + j, sink, room, 0)
    arcs: list[tuple[int, int, int]] = []
    for h in range(n):
        flow.add_arc_with_capacity_and_unit_cost(source, house0 + h, 1, 0)
        base = prio0 if data.priority[h] else team0
        for t, points in data.options[h]:
            arc = flow.add_arc_with_capacity_and_unit_cost(
                house0 + h, base + t, 1, round(points * SCALE)
            )
            arcs.append((arc, h, t))
    flow.set_node_supply(source, n)
    flow.set_node_supply(sink, -n)
    if flow.solve_max_flow_with_min_cost() != flow.OPTIMAL:  # pragma: no cover - a bug guard
        raise RuntimeError("min-cost flow failed")
    team_of = [-1] * n
    for arc, h, t in arcs:
        if flow.flow(arc) > 0:
            team_of[h] = t
    return FlowResult(tuple(team_of), flow.optimal_cost() / SCALE)


def best_pairing(weight: Sequence[Sequence[int]]) -> list[tuple[int, int]]:
    """Pair rows with columns, min(rows, columns) pairs, of the most total ``weight``."""
    rows = len(weight)
    columns = len(weight[0]) if rows else 0
    size = min(rows, columns)
    if size == 0:
        return []
    flow = min_cost_flow.SimpleMinCostFlow()
    source, sink, col0 = 0, 1, 2 + rows
    top = max(max(row) for row in weight)
    arcs = []
    for r in range(rows):
        flow.add_arc_with_capacity_and_unit_cost(source, 2 + r, 1, 0)
        for c in range(columns):  # costs made non-negative: every pairing has `size` arcs
            arc = flow.add_arc_with_capacity_and_unit_cost(2 + r, col0 + c, 1, top - weight[r][c])
            arcs.append((arc, r, c))
    for c in range(columns):
        flow.add_arc_with_capacity_and_unit_cost(col0 + c, sink, 1, 0)
    flow.set_node_supply(source, size)
    flow.set_node_supply(sink, -size)
    if flow.solve() != flow.OPTIMAL:  # pragma: no cover - a complete bipartite graph
        raise RuntimeError("assignment failed")
    return sorted((r, c) for arc, r, c in arcs if flow.flow(arc) > 0)
