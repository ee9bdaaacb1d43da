"""Min-cost flow on the pair-separable part of the model (ortools' SimpleMinCostFlow).

It gives, in milliseconds, the optimum of the linear terms under P01-P04 (and P05/max-km,
which are absent edges): a warm start for CP-SAT and the benchmark's bound-free reference.
Unit minimums are lower bounds on source arcs, handled by the usual supply transformation.
"""

from __future__ import annotations

from collections.abc import Sequence

from ortools.graph.python import min_cost_flow

from pairing.cpsat.pairing.data import PairingData


def min_cost_assignment(data: PairingData, costs: Sequence[int]) -> list[int] | None:
    """Return chosen edge indices minimising Σ costs over P01-P04, or None if none exists."""
    fixed = [e for e, edge in enumerate(data.edges) if edge.fixed]
    required = list(data.units_required)
    low, high = list(data.villages_min), list(data.villages_max)
    for e in fixed:
        edge = data.edges[e]
        required[edge.village] -= 1
        low[edge.unit] = max(0, low[edge.unit] - 1)
        high[edge.unit] -= 1
    if min(required, default=0) < 0 or min(high, default=0) < 0:
        return None
    free = [e for e, edge in enumerate(data.edges) if not edge.fixed]
    chosen = _solve_flow(data, free, costs, required, low, high)
    return None if chosen is None else sorted(fixed + chosen)


def _solve_flow(
    data: PairingData,
    free: list[int],
    costs: Sequence[int],
    required: list[int],
    low: list[int],
    high: list[int],
) -> list[int] | None:
    units, villages = data.n_units, data.n_villages
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
        edge = data.edges[e]
        flow.add_arc_with_capacity_and_unit_cost(
            1 + edge.unit, 1 + units + edge.village, 1, costs[e]
        )
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
