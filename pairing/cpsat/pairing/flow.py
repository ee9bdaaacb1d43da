"""Min-cost flow on the pair-separable part of the model (ortools' SimpleMinCostFlow).

It gives, in milliseconds, the optimum of the linear terms under P01-P04 (and P05/max-km,
which are absent edges): a warm start for CP-SAT and the benchmark's bound-free reference.
Unit minimums are lower bounds on source arcs, handled by the usual supply transformation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
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


# --- Transportation problems over NumPy arcs, with the potentials that prove them ---------


@dataclass(frozen=True)
class Transport:
    """P01/P02 over free arcs given as arrays; fixed pairs already taken off the counts.

    ``required`` is each village's places left, ``low``/``high`` each unit's bounds left;
    arc ``e`` joins unit ``unit[e]`` to village ``village[e]`` at integer ``cost[e]``.
    """

    required: NDArray[np.int64]
    low: NDArray[np.int64]
    high: NDArray[np.int64]
    unit: NDArray[np.int64]
    village: NDArray[np.int64]
    cost: NDArray[np.int64]


@dataclass(frozen=True)
class Network:
    """Every arc of a solved flow network: tail, head, capacity, cost and flow.

    Nodes: 0 the source, ``1 + u`` unit ``u``, ``1 + units + v`` village ``v``, then the sink.
    """

    nodes: int
    tail: NDArray[np.int64]
    head: NDArray[np.int64]
    capacity: NDArray[np.int64]
    cost: NDArray[np.int64]
    flow: NDArray[np.int64]


@dataclass(frozen=True)
class Shipment:
    """A min-cost flow: which pair arcs carry a unit, its cost, the places it left unfilled
    (``short``, through the artificial arcs of a relaxed problem; 0 otherwise) and the
    network, for :func:`potentials`."""

    chosen: NDArray[np.bool_]
    cost: int
    short: int
    network: Network


def cost_fits(max_abs_cost: int, nodes: int) -> bool:
    """Whether ortools' cost scaling can hold costs up to ``max_abs_cost`` on ``nodes`` nodes.

    It multiplies costs by the number of nodes (plus one) and refuses (BAD_COST_RANGE) what
    would overflow int64; stay a factor of four inside, so that potentials and the flow's
    total (at most ``nodes`` arcs deep, or one arc per unit of demand) fit too.
    """
    return max_abs_cost * (nodes + 2) < 2**61


def ship(transport: Transport, relaxed: bool = False) -> Shipment | None:
    """Return the min-cost flow meeting every village's places, or None if none exists.

    ``relaxed`` adds artificial arcs at cost 1 (real arcs should then cost 0) from each unit
    and from the source straight to the sink: a flow always exists, and its cost counts the
    places the real arcs cannot fill (phase one of the simplex method, as a flow).
    """
    t = transport
    units, villages = len(t.low), len(t.required)
    sink = 1 + units + villages  # the source is node 0
    demand = int(t.required.sum())
    if demand < int(t.low.sum()) or (t.high < t.low).any() or (t.required < 0).any():
        return None
    spare = np.flatnonzero(t.high > t.low)
    needed = np.flatnonzero(t.required > 0)
    groups = [
        (np.zeros(len(spare), np.int64), 1 + spare, (t.high - t.low)[spare], 0),
        (1 + t.unit, 1 + units + t.village, np.ones(len(t.unit), np.int64), t.cost),
        (1 + units + needed, np.full(len(needed), sink), t.required[needed], 0),
    ]
    if relaxed:
        lower = np.flatnonzero(t.low > 0)
        groups.append((1 + lower, np.full(len(lower), sink), t.low[lower], 1))
        groups.append((np.zeros(1, np.int64), np.full(1, sink), np.full(1, demand), 1))
    tail, head, capacity, cost = (
        np.concatenate([np.broadcast_to(np.asarray(g[k], np.int64), g[0].shape) for g in groups])
        for k in range(4)
    )
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        tail.astype(np.int32), head.astype(np.int32), capacity, cost
    )
    supplies = np.concatenate([[demand - int(t.low.sum())], t.low, np.zeros(villages), [-demand]])
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies.astype(np.int64))
    status = flow.solve()
    if status in (flow.INFEASIBLE, flow.UNBALANCED):
        return None
    if status != flow.OPTIMAL:
        raise OverflowError(f"min-cost flow: {status}")
    flows = flow.flows(np.arange(len(tail))).astype(np.int64)
    first = len(spare)
    chosen = flows[first : first + len(t.unit)] > 0
    short = int(flows[first + len(t.unit) + len(needed) :].sum())
    network = Network(sink + 1, tail, head, capacity, cost, flows)
    return Shipment(chosen, int(flow.optimal_cost()), short, network)


def potentials(shipment: Shipment, start: NDArray[np.int64] | None = None) -> NDArray[np.int64]:
    """Node potentials ``d`` that prove ``shipment`` optimal on its arcs (by node number).

    Every residual arc of the flow gets ``cost + d[tail] - d[head] >= 0`` (Bellman-Ford label
    correcting: the residual graph of an optimal flow has no negative cycle, so it reaches
    such a fixpoint from any labels). An arc left out of the graph whose
    ``cost + d[unit] - d[village]`` is also ``>= 0`` cannot improve the flow, so when none is
    negative the flow is optimal over every arc (LP duality). ``start`` is the labels to
    correct (0 everywhere by default): the last round's potentials need few passes.
    """
    n = shipment.network
    forward, backward = n.flow < n.capacity, n.flow > 0
    tails = np.concatenate([n.tail[forward], n.head[backward]])
    heads = np.concatenate([n.head[forward], n.tail[backward]])
    weights = np.concatenate([n.cost[forward], -n.cost[backward]])
    labels = np.zeros(n.nodes, dtype=np.int64) if start is None else start.copy()
    return _bellman_ford(labels, tails, heads, weights)


def _bellman_ford(
    distance: NDArray[np.int64],
    tails: NDArray[np.int64],
    heads: NDArray[np.int64],
    weights: NDArray[np.int64],
) -> NDArray[np.int64]:
    """Lower ``distance`` until no arc can lower it; raises on a negative cycle."""
    moved = np.ones(len(distance), dtype=bool)
    for _ in range(len(distance) + 1):
        active = moved[tails]
        if not active.any():
            return distance
        tail, head = tails[active], heads[active]
        relaxed = distance.copy()
        np.minimum.at(relaxed, head, distance[tail] + weights[active])
        moved = relaxed < distance
        distance = relaxed
    raise ArithmeticError("negative cycle in an optimal flow's residual graph")
