"""Min-cost flow on the pair-separable part of the model (ortools' SimpleMinCostFlow).

It gives, in milliseconds, the optimum of the linear terms under P01-P04 (and P05/max-km,
which are absent edges): a warm start for CP-SAT and the benchmark's bound-free reference.
Unit minimums are lower bounds on source arcs, handled by the usual supply transformation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ortools.graph.python import min_cost_flow

from pairing.cpsat.pairing.data import PairingData


@dataclass(frozen=True)
class Assignment:
    """P01-P04 over a graph: villages' units required, units' bounds, and the edges.

    ``edges`` are (unit, village) pairs; ``fixed`` says which of them must be chosen.
    """

    units_required: tuple[int, ...]
    villages_min: tuple[int, ...]
    villages_max: tuple[int, ...]
    edges: tuple[tuple[int, int], ...]
    fixed: tuple[bool, ...]

    @classmethod
    def of(cls, data: PairingData) -> Assignment:
        """The assignment part of a CP-SAT instance."""
        return cls(
            data.units_required,
            data.villages_min,
            data.villages_max,
            tuple((edge.unit, edge.village) for edge in data.edges),
            tuple(edge.fixed for edge in data.edges),
        )


def flow_costs(data: PairingData) -> list[int]:
    """Edge costs for a warm start: the linear cost minus the needs each edge would cover."""
    costs = [edge.cost for edge in data.edges]
    for need in data.needs:
        for e in need.edges:
            costs[e] -= need.cost
    return costs


def min_cost_assignment(data: PairingData, costs: Sequence[int]) -> list[int] | None:
    """Return chosen edge indices minimising Σ costs over P01-P04, or None if none exists."""
    return cheapest_assignment(Assignment.of(data), costs)


def assignment_exists(assignment: Assignment) -> bool:
    """Whether P01-P04 can hold on this graph (a flow without costs: Hall's condition)."""
    return cheapest_assignment(assignment, [0] * len(assignment.edges)) is not None


def cheapest_assignment(assignment: Assignment, costs: Sequence[int]) -> list[int] | None:
    """Return chosen edge indices minimising Σ costs over P01-P04, or None if none exists."""
    fixed = [e for e, is_fixed in enumerate(assignment.fixed) if is_fixed]
    required = list(assignment.units_required)
    low, high = list(assignment.villages_min), list(assignment.villages_max)
    for e in fixed:
        unit, village = assignment.edges[e]
        required[village] -= 1
        low[unit] = max(0, low[unit] - 1)
        high[unit] -= 1
    if min(required, default=0) < 0 or min(high, default=0) < 0:
        return None
    free = [e for e, is_fixed in enumerate(assignment.fixed) if not is_fixed]
    chosen = _solve_flow(assignment.edges, free, costs, required, low, high)
    return None if chosen is None else sorted(fixed + chosen)


def _solve_flow(
    edges: Sequence[tuple[int, int]],
    free: list[int],
    costs: Sequence[int],
    required: list[int],
    low: list[int],
    high: list[int],
) -> list[int] | None:
    units, villages = len(low), len(required)
    source, sink = 0, 1 + units + villages
    demand = sum(required)
    if demand < sum(low):
        return None
    flow = min_cost_flow.SimpleMinCostFlow()
    for u in range(units):
        if high[u] > low[u]:
            flow.add_arc_with_capacity_and_unit_cost(source, 1 + u, high[u] - low[u], 0)
    first_pair_arc = flow.num_arcs()
    for e in free:
        unit, village = edges[e]
        flow.add_arc_with_capacity_and_unit_cost(1 + unit, 1 + units + village, 1, costs[e])
    for v in range(villages):
        if required[v] > 0:
            flow.add_arc_with_capacity_and_unit_cost(1 + units + v, sink, required[v], 0)
    flow.set_node_supply(source, demand - sum(low))
    for u in range(units):
        flow.set_node_supply(1 + u, low[u])
    flow.set_node_supply(sink, -demand)
    if flow.solve() != flow.OPTIMAL:
        return None
    return [e for k, e in enumerate(free) if flow.flow(first_pair_arc + k) > 0]
