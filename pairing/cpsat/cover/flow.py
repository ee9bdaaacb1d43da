"""包户 as one min-cost flow per village, given its teams (models/COVER.md).

Arcs: source → household (1) → [team's priority node, for a priority household] → team →
sink. A household → team arc costs C11 + C13 + C14 for that pair; team → sink is split into
unit-capacity arcs, those above ⌈|H|/|T|⌉ costing the C12 weight each (convex, so the flow
fills them in order); a team's priority node → team is split likewise above ⌈|P|/|T|⌉ at the
C10 weight. Every term is separable and convex, so the flow is optimal for the given teams.
Costs are integers in units of 1e-3 point.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ortools.graph.python import min_cost_flow

SCALE = 1000


@dataclass(frozen=True, slots=True)
class FlowInput:
    """One village: per household pair costs (points) to each team, priority flags, caps."""

    costs: Sequence[Sequence[float]]  # costs[h][t]
    priority: Sequence[bool]
    capacity: Sequence[int]  # per team
    load_weight: float  # C12
    spread_weight: float  # C10


@dataclass(frozen=True, slots=True)
class FlowResult:
    """The team of every household (``None`` when infeasible) and the points paid."""

    team_of: tuple[int, ...] | None
    points: float


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def _convex_arcs(
    flow: min_cost_flow.SimpleMinCostFlow, tail: int, head: int, cap: int, free: int, w: float
) -> None:
    if min(cap, free) > 0:
        flow.add_arc_with_capacity_and_unit_cost(tail, head, min(cap, free), 0)
    if cap > free:
        flow.add_arc_with_capacity_and_unit_cost(tail, head, cap - free, round(w * SCALE))


def solve_village(data: FlowInput) -> FlowResult:
    """Return the optimal 包户 of one village for its teams, or ``team_of=None``."""
    n, k = len(data.priority), len(data.capacity)
    if n == 0:
        return FlowResult((), 0.0)
    if k == 0 or sum(data.capacity) < n:
        return FlowResult(None, 0.0)
    flow = min_cost_flow.SimpleMinCostFlow()
    source, sink = 0, 1
    team0, prio0, house0 = 2, 2 + k, 2 + 2 * k
    load_free = _ceil_div(n, k)
    spread_free = _ceil_div(sum(data.priority), k)
    for t, cap in enumerate(data.capacity):
        _convex_arcs(flow, team0 + t, sink, cap, load_free, data.load_weight)
        _convex_arcs(flow, prio0 + t, team0 + t, cap, spread_free, data.spread_weight)
    arcs: list[tuple[int, int, int]] = []
    for h in range(n):
        flow.add_arc_with_capacity_and_unit_cost(source, house0 + h, 1, 0)
        base = prio0 if data.priority[h] else team0
        for t in range(k):
            cost = round(data.costs[h][t] * SCALE)
            arcs.append(
                (flow.add_arc_with_capacity_and_unit_cost(house0 + h, base + t, 1, cost), h, t)
            )
    flow.set_node_supply(source, n)
    flow.set_node_supply(sink, -n)
    if flow.solve() != flow.OPTIMAL:
        return FlowResult(None, 0.0)
    team_of = [-1] * n
    for arc, h, t in arcs:
        if flow.flow(arc) > 0:
            team_of[h] = t
    return FlowResult(tuple(team_of), flow.optimal_cost() / SCALE)
