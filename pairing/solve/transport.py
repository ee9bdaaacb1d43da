"""Pair-separable problems solved exactly: a transportation problem, as a min-cost flow.

When no rule but P13, P14, P16 and P17 can tell two plans apart, a plan's cost is a constant
plus one cost per chosen pair (a dropped running pair's P14, an unmet 意向's P16 and a missed
positive score's P17 are counted as lost in the constant, and refunded by the pair that keeps
them), and P01-P05 with the distance cap are the constraints of a transportation problem.
Its min-cost flow is integral, so the flow's plan is optimal over every allowed pair: no
candidate graph, no search, proven, with bound = objective.

The other rules are left out only when they cannot change a plan's cost: P10 when no need is
met by any unit's skills (nor made hard), P11 when no two units share a system or no village
takes two units, P12 (and ``P12_min_strength``) when every unit that may take a village has
the same strength (then every village's strength is fixed by P01), P15 when no unit takes
several villages or there is one town. Whatever they cost then is the same for every plan.

Up to ``FULL_FLOW_ARCS`` pairs every allowed pair is an arc. Above, the flow starts from each
village's and unit's cheapest arcs, made feasible first (phase one), and adds every left-out
arc of negative reduced cost (node potentials from the residual graph) until there is none,
which proves the plan optimal over every allowed pair as well while the graph stays small.

Measured (2 cores, quiet): 1,000 units × 500 villages, every pair scored (``python
bench/matcher.py``): this path takes 1.2 s (flow and account), proven; the search it replaces
passed 4.4 GB in 31 s and was killed. 10,000 units × 4,878 villages (48.8 million allowed
pairs; ``pairing.examples.synthetic`` with P10-P12 and P15 off): priced, proven in 97 s (under
cProfile) at 0.56 GB peak; under the default 60 s limit it stops after the round that passes it
(70 s) with its plan and a bound 7e-8 below it.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from pairing.cpsat.pairing.data import SCALE
from pairing.cpsat.pairing.flow import Shipment, Transport, cost_fits, potentials, ship
from pairing.domain.geo import EARTH_RADIUS_KM
from pairing.domain.model import Problem
from pairing.domain.pairs import Pair, PairFacts
from pairing.domain.plan import Plan, SolverFacts
from pairing.solve.instance import Coefficients, cost_units, floor_tenths, tenths
from pairing.solve.layout import lay_out, relative_gap, useful_bound
from pairing.solve.terms import Account, evaluate, shortfall_cost

if TYPE_CHECKING:
    from pairing.solve.optimize import SolveOptions

SEPARABLE = ("P13", "P14", "P16", "P17", "P18")  # the rules a flow arc's cost holds
FULL_FLOW_ARCS = 4_000_000  # up to this many pairs, every one is an arc (ortools: ~80 B each)
ARC_LIMIT = 4_000_000  # a priced graph grown past this gives up (the search takes over)
BLOCK_CELLS = 2_000_000  # pairs whose costs are computed at once (villages × units)
CACHED_CELLS = 25_000_000  # pairs whose costs are kept between pricing rounds (9 B each)
VILLAGE_ARCS = 16  # above FULL_FLOW_ARCS: each village's cheapest arcs to start from
UNIT_ARCS = 4  # and each unit's, so that its 最少村数 can be met
# Relative: a NumPy distance this close to a rounding tie or to the cap is recomputed with the
# account's own code. NumPy's haversine differs from math's by at most 4.0e-16 relative (300,000
# random pairs of a county, 94% identical): 250 times inside.
TIE = 1e-13


def nonseparable_rules(problem: Problem) -> list[str]:
    """Rules besides P13/P14/P16/P17 that could tell two plans apart or bar one (hard)."""
    settings = problem.settings
    open_units = [u for u in problem.units if u.max_villages > 0]
    found = []
    skills = frozenset().union(*(u.skills for u in open_units))
    if any(v.needs for v in problem.villages) and settings.needs_hard:
        found.append("P10_hard")
    elif any(v.needs & skills for v in problem.villages) and cost_units(settings.weight("P10")):
        found.append("P10")
    if _shared_systems(problem) and (settings.systems_hard or cost_units(settings.weight("P11"))):
        found.append("P11_hard" if settings.systems_hard else "P11")
    if len({tenths(u.strength) for u in open_units}) > 1:
        if settings.weight("P12"):
            found.append("P12")
        if settings.min_strength is not None:
            found.append("P12_min_strength")
    elif not _floor_holds(problem):
        found.append("P12_min_strength")  # no plan can meet it: let the search say why
    several = any(u.max_villages >= 2 for u in open_units)
    towns = {v.town for v in problem.villages}
    if several and len(towns) > 1 and cost_units(settings.weight("P15")):
        found.append("P15")
    return found


def separable(problem: Problem) -> bool:
    """Whether a plan's cost is a constant plus one cost per pair (see the module's doc)."""
    return not nonseparable_rules(problem)


def _shared_systems(problem: Problem) -> bool:
    """Two units of one system could meet in a village that takes two or more units."""
    systems = [u.system for u in problem.units if u.max_villages > 0 and u.system]
    return len(systems) > len(set(systems)) and any(v.units_required >= 2 for v in problem.villages)


def _one_strength(problem: Problem) -> int:
    """The strength (tenths) of the units that may take a village, when they share one."""
    return next(iter({tenths(u.strength) for u in problem.units if u.max_villages > 0}), 0)


def _floor_holds(problem: Problem) -> bool:
    """With one strength for every unit, whether every village reaches P12_min_strength."""
    floor = problem.settings.min_strength
    strength = _one_strength(problem)
    return floor is None or all(
        v.units_required * strength >= floor_tenths(floor) for v in problem.villages
    )


@dataclass(frozen=True)
class Flowed:
    """The flow's plan: its pairs, the cost the flow paid for them, and the graph's size."""

    chosen: frozenset[Pair]
    cost: int  # cost units: free arcs + fixed pairs + the separable rules' constant
    pairs: int  # allowed pairs (every one of them could have been an arc)
    rounds: int  # flows solved, phase one included (1 on the full graph)
    bound: int  # cost units, like ``cost``: equal to it when proven
    halted: bool = False  # stopped (time limit or Ctrl-C) before the proof

    @property
    def proven(self) -> bool:
        """Whether the plan is proven optimal over every allowed pair."""
        return self.bound == self.cost


def solve_separable(
    problem: Problem, options: SolveOptions
) -> tuple[Plan, dict[str, float]] | None:
    """Return the proven plan of a separable problem and its timings, or None when the
    problem is not separable or its costs do not fit the flow (the search then solves it)."""
    if not separable(problem):
        return None
    started = time.perf_counter()
    facts = PairFacts(problem)
    coefficients = Coefficients(facts)
    fixed = frozenset(facts.must) | frozenset(options.forced)
    barred = frozenset(options.barred)
    if fixed & barred or any(facts.blocked(pair) is not None for pair in fixed):
        return None  # a locked pair a hard rule bars: the search's diagnosis names it
    limit = options.time_limit_s or problem.settings.time_limit_s
    stop = options.stop

    def halt() -> bool:
        return time.perf_counter() - started > limit or (stop is not None and stop.is_set())

    try:
        costs = ArcCosts(problem, coefficients, fixed, barred)
        flowed = _flow(costs, fixed, halt)
    except OverflowError:  # weights so large that costs overflow int64: the search copes
        return None
    if flowed is None:
        return None
    flow_s = time.perf_counter() - started
    account = evaluate(problem, set(flowed.chosen))
    _check(problem, account, flowed)
    seconds = time.perf_counter() - started
    plan = _plan(facts, flowed, account, seconds, options)
    if options.progress is not None:
        objective = plan.facts.objective
        options.progress(seconds, objective, plan.facts.bound or 0.0)
    steps = {"flow": round(flow_s, 4), "account": round(time.perf_counter() - started - flow_s, 4)}
    return plan, steps


class ArcCosts:
    """Integer costs of the free pairs, a block of villages at a time (villages × units).

    A cell's cost is the pair's edge cost as :meth:`Coefficients.edge_cost` has it (each term
    in cost units on its own); P13 comes from NumPy, and a cell within ``TIE`` of a rounding
    tie or of the distance cap is recomputed with the account's own code, so every arc costs
    exactly what the account will charge. A pair barred (P04, P05, the cap, 最多村数 0, or by
    ``explain``) or fixed (必须, or forced) is no free arc: ``open`` is False there.
    """

    def __init__(
        self,
        problem: Problem,
        coefficients: Coefficients,
        fixed: frozenset[Pair],
        barred: frozenset[Pair],
    ) -> None:
        self.problem = problem
        self.coefficients = coefficients
        self.fixed = fixed
        self.n_units, self.n_villages = len(problem.units), len(problem.villages)
        self.closed_units = np.array([u.max_villages <= 0 for u in problem.units], dtype=bool)
        facts = coefficients.facts
        closed = set(facts.forbid) | set(facts.tenure_blocked) | set(fixed) | set(barred)
        self._sparse(coefficients, closed)
        origins = [facts.origin(u) or (np.nan, np.nan) for u in range(self.n_units)]
        places = [
            (np.nan, np.nan) if v.lat is None or v.lon is None else (v.lat, v.lon)
            for v in problem.villages
        ]
        self.unit_at = np.array(origins, dtype=float).reshape(-1, 2)
        self.village_at = np.array(places, dtype=float).reshape(-1, 2)
        settings = problem.settings
        self.weight = settings.weight("P13")
        self.max_km = settings.max_km
        located = bool(np.isfinite(self.unit_at).all(axis=1).any())
        located &= bool(np.isfinite(self.village_at).all(axis=1).any())
        self.distances = located and (cost_units(self.weight) != 0 or self.max_km is not None)
        self._blocks: dict[int, tuple[NDArray[np.int64], NDArray[np.bool_]]] = {}
        self._room = CACHED_CELLS

    def _sparse(self, coefficients: Coefficients, closed: set[Pair]) -> None:
        """The rule-carrying pairs' costs and the closed pairs, as arrays sorted by village."""
        c = coefficients
        cells, costs = [], []
        for table, sign in (
            (c.failed, 1),
            (c.unwanted, 1),
            (c.renewable, -1),
            (c.preferred, -1),
            (c.wanted, -1),
            (c.stable, -1),
        ):
            cells.append(_cells(table, self.n_units))
            units = (sign * cost_units(points) for points in table.values())
            costs.append(np.fromiter(units, dtype=np.int64, count=len(table)))
        # Points counted as lost until a pair refunds them: Coefficients.constant(), once.
        self.constant = -sum(int(c.sum()) for c in costs[2:])
        flat, cost = np.concatenate(cells), np.concatenate(costs)
        order = np.argsort(flat, kind="stable")
        flat, cost = flat[order], cost[order]
        self.term_cells, first = np.unique(flat, return_index=True)
        self.term_cost = np.add.reduceat(cost, first) if len(first) else cost
        self.closed_cells = np.unique(_cells(closed, self.n_units))

    def blocks(self) -> range:
        """Starts of the village blocks."""
        return range(0, self.n_villages, max(1, BLOCK_CELLS // max(1, self.n_units)))

    def block(self, start: int) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
        """Costs and open cells of villages ``start`` onward (one block), villages × units,
        read-only: kept for the next pricing round while they fit ``CACHED_CELLS``."""
        cached = self._blocks.get(start)
        if cached is not None:
            return cached
        cost, open_ = self._block(start)
        cost.flags.writeable = open_.flags.writeable = False
        if cost.size <= self._room:
            self._room -= cost.size
            self._blocks[start] = (cost, open_)
        return cost, open_

    def _block(self, start: int) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
        stop = min(self.n_villages, start + self.blocks().step)
        shape = (stop - start, self.n_units)
        cost = np.zeros(shape, dtype=np.int64)
        open_ = np.broadcast_to(~self.closed_units, shape).copy()
        if self.distances:
            self._distance_terms(start, cost, open_)
        first, last = start * self.n_units, stop * self.n_units
        lo, hi = np.searchsorted(self.term_cells, [first, last])
        cost.reshape(-1)[self.term_cells[lo:hi] - first] += self.term_cost[lo:hi]
        lo, hi = np.searchsorted(self.closed_cells, [first, last])
        open_.reshape(-1)[self.closed_cells[lo:hi] - first] = False
        return cost, open_

    def _distance_terms(
        self, start: int, cost: NDArray[np.int64], open_: NDArray[np.bool_]
    ) -> None:
        """Add P13 and close the pairs beyond the cap, as ``PairFacts.distance_km`` has them."""
        villages = np.arange(start, start + cost.shape[0])
        km = self._km(villages)
        if self.max_km is not None:
            limit = self.max_km
            beyond = km > limit
            near = np.abs(km - limit) <= TIE * max(1.0, limit)
            for row, u in zip(*np.nonzero(near), strict=True):
                exact = self.coefficients.facts.distance_km((int(u), int(villages[row])))
                beyond[row, u] = exact is not None and exact > limit
            open_ &= ~beyond
        if not cost_units(self.weight):
            return
        units = self.weight * np.nan_to_num(km, nan=0.0) * SCALE
        if not np.isfinite(units).all() or np.abs(units).max(initial=0.0) >= 2.0**62:
            raise OverflowError("P13 costs do not fit the flow")
        rounded = np.rint(units)
        tie = np.abs(np.abs(units - np.floor(units)) - 0.5) <= TIE * np.abs(units) + 1e-9
        cost += rounded.astype(np.int64)
        for row, u in zip(*np.nonzero(tie), strict=True):
            pair = (int(u), int(villages[row]))
            cost[row, u] += cost_units(self.coefficients.distance_points(pair)) - int(
                rounded[row, u]
            )

    def _km(self, villages: NDArray[np.int64]) -> NDArray[np.float64]:
        """Road km (villages × units) by the haversine of :func:`great_circle_km`; NaN unknown."""
        lat1, lon1 = np.radians(self.unit_at[:, 0]), self.unit_at[:, 1]
        lat2, lon2 = np.radians(self.village_at[villages, 0]), self.village_at[villages, 1]
        dphi = lat2[:, None] - lat1[None, :]
        dlmb = np.radians(lon2[:, None] - lon1[None, :])
        h = (
            np.sin(dphi / 2) ** 2
            + np.cos(lat1)[None, :] * np.cos(lat2)[:, None] * np.sin(dlmb / 2) ** 2
        )
        straight: NDArray[np.float64] = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
        return straight * self.problem.settings.circuity


def _cells(pairs: Collection[Pair], n_units: int) -> NDArray[np.int64]:
    """Flat (village-major) cell numbers of pairs, in their order."""
    flat = np.fromiter(itertools.chain.from_iterable(pairs), dtype=np.int64, count=2 * len(pairs))
    cells: NDArray[np.int64] = flat[1::2] * n_units + flat[0::2]
    return cells


@dataclass(frozen=True)
class Graph:
    """Arcs of the flow so far, as arrays (unit, village, cost)."""

    unit: NDArray[np.int64]
    village: NDArray[np.int64]
    cost: NDArray[np.int64]

    def plus(self, other: Graph) -> Graph:
        """This graph with ``other``'s arcs added."""
        return Graph(
            np.concatenate([self.unit, other.unit]),
            np.concatenate([self.village, other.village]),
            np.concatenate([self.cost, other.cost]),
        )


def _flow(
    costs: ArcCosts, fixed: frozenset[Pair], halt: Callable[[], bool] = lambda: False
) -> Flowed | None:
    """The optimal plan over every allowed pair, or None (the search takes over).

    Up to ``FULL_FLOW_ARCS`` pairs the flow holds every open pair. Above, it starts from each
    village's and unit's cheapest arcs, makes them feasible (:func:`_feasible`), then adds
    left-out arcs of negative reduced cost until there is none. When ``halt()`` says so
    between two rounds (the time limit, Ctrl-C), the plan so far is returned with the
    Lagrangian bound of the last potentials: the flow's cost plus every left-out arc's
    negative reduced cost.
    """
    places = _places(costs.problem, fixed)
    nodes = costs.n_units + costs.n_villages + 2
    full = costs.n_units * costs.n_villages <= FULL_FLOW_ARCS
    graph, allowed = _full_graph(costs) if full else _first_graph(costs)
    found = (graph, 0) if full else _feasible(costs, places, graph, halt)
    if found is None:
        return None  # no plan obeys the hard rules: the search's diagnosis names why
    (graph, rounds), labels = found, Labels(phase_one=False)
    while True:
        if len(graph.cost) > ARC_LIMIT or not cost_fits(_largest(graph), nodes):
            return None
        transport = Transport(*places, graph.unit, graph.village, graph.cost)
        shipment = ship(transport)
        rounds += 1
        if shipment is None:
            return None
        added = _joined([]) if full else _priced(costs, shipment, graph, labels)
        if not len(added.cost) or halt():
            break
        graph = graph.plus(added)
    halted = len(added.cost) > 0
    picked = shipment.chosen
    chosen = zip(graph.unit[picked].tolist(), graph.village[picked].tolist(), strict=True)
    fixed_cost = sum(costs.coefficients.edge_cost(pair) for pair in fixed)
    total = shipment.cost + fixed_cost + costs.constant
    bound = total + labels.negative if halted else total
    return Flowed(frozenset(chosen) | fixed, total, allowed + len(fixed), rounds, bound, halted)


Places = tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]


@dataclass
class Labels:
    """One phase's node potentials, kept from round to round (they need few corrections)."""

    phase_one: bool
    last: NDArray[np.int64] | None = None
    negative: int = 0  # the last round's sum of left-out arcs' negative reduced costs


def _feasible(
    costs: ArcCosts, places: Places, graph: Graph, halt: Callable[[], bool]
) -> tuple[Graph, int] | None:
    """``graph`` grown until P01/P02 can hold on it (and the flows that took), or None when
    they cannot on any graph.

    Phase one: real arcs cost 0 and artificial arcs 1, so the flow's cost counts the places
    no real arc fills; left-out arcs of negative reduced cost are added until none is left.
    A first graph of each village's and unit's cheapest arcs can fail (at 10,000 units, all
    near the county seat, the units' cheapest villages are the same few), and a flow of cost
    above 0 with no such arc left proves that no allowed graph holds P01/P02.
    """
    labels, rounds = Labels(phase_one=True), 0
    while len(graph.cost) <= ARC_LIMIT:
        rounds += 1
        zero = np.zeros(len(graph.cost), dtype=np.int64)
        shipment = ship(Transport(*places, graph.unit, graph.village, zero), relaxed=True)
        if shipment is None:
            return None  # counts that no graph meets (a unit's minimum above its maximum)
        if shipment.short == 0:
            return graph, rounds
        added = _priced(costs, shipment, graph, labels)
        if not len(added.cost) or halt():
            return None
        graph = graph.plus(added)
    return None


def _places(problem: Problem, fixed: frozenset[Pair]) -> Places:
    """Villages' places and units' bounds (P01, P02) left once the fixed pairs are taken."""
    required = np.array([v.units_required for v in problem.villages], dtype=np.int64)
    low = np.array([u.min_villages for u in problem.units], dtype=np.int64)
    high = np.array([u.max_villages for u in problem.units], dtype=np.int64)
    for u, v in fixed:
        required[v] -= 1
        low[u] = max(0, low[u] - 1)
        high[u] -= 1
    return required, low, high


def _largest(graph: Graph) -> int:
    """The largest arc cost in magnitude (0 for no arc)."""
    return int(np.abs(graph.cost).max(initial=0))


def _full_graph(costs: ArcCosts) -> tuple[Graph, int]:
    """Every open pair as an arc, and their number."""
    parts: list[Graph] = []
    for start in costs.blocks():
        cost, open_ = costs.block(start)
        rows, units = np.nonzero(open_)
        parts.append(Graph(units, rows + start, cost[rows, units]))
    graph = _joined(parts)
    return graph, len(graph.cost)


def _first_graph(costs: ArcCosts) -> tuple[Graph, int]:
    """Each village's ``VILLAGE_ARCS`` cheapest open pairs and each unit's ``UNIT_ARCS``
    cheapest, and the number of open pairs in all."""
    picks = Picks(costs.n_units)
    allowed = 0
    for start in costs.blocks():
        cost, open_ = costs.block(start)
        allowed += int(open_.sum())
        picks.add(start, np.where(open_, cost.astype(float), np.inf), cost)
    return picks.graph(), allowed


def _priced(costs: ArcCosts, shipment: Shipment, graph: Graph, labels: Labels) -> Graph:
    """Left-out open pairs whose reduced cost is negative: each village's ``VILLAGE_ARCS``
    and each unit's ``UNIT_ARCS`` most negative (costs counted as 0 in phase one). None left
    proves the flow optimal over every allowed pair."""
    labels.last = potentials(shipment, labels.last)
    unit_potential = labels.last[1 : 1 + costs.n_units]
    village_potential = labels.last[1 + costs.n_units : -1]
    phase_one = labels.phase_one
    present = np.sort(graph.village * costs.n_units + graph.unit)
    picks, negative = Picks(costs.n_units), 0
    for start in costs.blocks():
        cost, open_ = costs.block(start)
        open_ = open_.copy()
        stop = start + cost.shape[0]
        lo, hi = np.searchsorted(present, [start * costs.n_units, stop * costs.n_units])
        open_.reshape(-1)[present[lo:hi] - start * costs.n_units] = False
        reduced = unit_potential[None, :] - village_potential[start:stop, None]
        if not phase_one:
            reduced = reduced + cost
        below = open_ & (reduced < 0)
        negative += int(reduced[below].sum())
        picks.add(start, np.where(below, reduced.astype(float), np.inf), cost)
    labels.negative = negative
    return picks.graph()


class Picks:
    """Each village's ``VILLAGE_ARCS`` and each unit's ``UNIT_ARCS`` lowest keys (``inf``:
    not eligible), gathered a block of villages at a time.

    Ties are broken by a fixed fraction per cell, below any difference of keys: units in the
    county seat are at one distance from every village, and without it each unit's cheapest
    villages were the same few (a first graph at 10,000 units could not meet P02).
    """

    def __init__(self, n_units: int) -> None:
        self.n_units = n_units
        self.parts: list[Graph] = []
        self.key: NDArray[np.float64] = np.zeros((0, n_units))
        self.village: NDArray[np.int64] = np.zeros((0, n_units), dtype=np.int64)
        self.cost: NDArray[np.int64] = np.zeros((0, n_units), dtype=np.int64)

    def add(self, start: int, key: NDArray[np.float64], cost: NDArray[np.int64]) -> None:
        """Take a block's picks (villages ``start`` onward: rows of ``key`` and ``cost``)."""
        rows = np.arange(start, start + key.shape[0])
        key = key + _spread(rows, self.n_units)
        take = min(VILLAGE_ARCS, self.n_units)
        cells = np.argpartition(key, take - 1, axis=1)[:, :take]
        real = np.isfinite(np.take_along_axis(key, cells, axis=1))
        villages = np.broadcast_to(rows[:, None], cells.shape)
        picked = np.take_along_axis(cost, cells, axis=1)
        self.parts.append(Graph(cells[real], villages[real], picked[real]))
        self.key = np.concatenate([self.key, key])
        self.village = np.concatenate([self.village, np.broadcast_to(rows[:, None], key.shape)])
        self.cost = np.concatenate([self.cost, cost])
        if len(self.key) > UNIT_ARCS:
            keep = np.argpartition(self.key, UNIT_ARCS - 1, axis=0)[:UNIT_ARCS]
            self.key = np.take_along_axis(self.key, keep, axis=0)
            self.village = np.take_along_axis(self.village, keep, axis=0)
            self.cost = np.take_along_axis(self.cost, keep, axis=0)

    def graph(self) -> Graph:
        """The picked arcs, each once, in (village, unit) order."""
        units = np.broadcast_to(np.arange(self.n_units), self.key.shape)
        real = np.isfinite(self.key)
        self.parts.append(Graph(units[real], self.village[real], self.cost[real]))
        return _unique(_joined(self.parts), self.n_units)


def _spread(villages: NDArray[np.int64], n_units: int) -> NDArray[np.float64]:
    """A fixed fraction in [0, 0.5) per cell (villages × units): a tie-break, not a cost."""
    units = np.arange(n_units)
    mixed = villages[:, None] * 0.6180339887498949 + units[None, :] * 0.7548776662466927
    fraction: NDArray[np.float64] = 0.5 * np.mod(mixed, 1.0)
    return fraction


def _joined(parts: list[Graph]) -> Graph:
    """One graph of all ``parts``' arcs."""
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return Graph(empty, empty, empty)
    return Graph(
        np.concatenate([p.unit for p in parts]).astype(np.int64),
        np.concatenate([p.village for p in parts]).astype(np.int64),
        np.concatenate([p.cost for p in parts]).astype(np.int64),
    )


def _unique(graph: Graph, n_units: int) -> Graph:
    """The graph with each arc once, in (village, unit) order."""
    _, first = np.unique(graph.village * n_units + graph.unit, return_index=True)
    return Graph(graph.unit[first], graph.village[first], graph.cost[first])


def _check(problem: Problem, account: Account, flowed: Flowed) -> None:
    """The account must charge exactly what the flow paid, and the other rules a constant.

    The flow's cost is exact (integers at ``SCALE``), so any difference is a bug.
    """
    totals = account.totals()
    paid = sum(totals.get(rule, 0) for rule in SEPARABLE)
    constant = _constant(problem)
    rest = sum(cost for rule, cost in totals.items() if rule not in SEPARABLE)
    if paid != flowed.cost or rest != constant:
        raise AssertionError(f"account {paid} + {rest} != flow {flowed.cost} + constant {constant}")


def _constant(problem: Problem) -> int:
    """What P12 costs every plan when all units share one strength (P10, P11, P15: 0 or a
    constant of uncoverable needs), in cost units."""
    settings = problem.settings
    total = 0
    if not settings.needs_hard:
        skills = frozenset().union(*(u.skills for u in problem.units if u.max_villages > 0))
        missing = sum(len(v.needs - skills) for v in problem.villages)
        total += missing * cost_units(settings.weight("P10"))
    if settings.weight("P12"):
        strength = _one_strength(problem)
        total += sum(
            shortfall_cost(problem, v, village.units_required * strength)
            for v, village in enumerate(problem.villages)
        )
    return total


def _plan(
    facts: PairFacts, flowed: Flowed, account: Account, seconds: float, options: SolveOptions
) -> Plan:
    """The plan of the flow (``facts`` are the flow's: building them again reads 500,000
    scores again)."""
    problem = facts.problem
    objective = account.total_points()  # the user's own precision; display rounds
    others = sum(cost for rule, cost in account.totals().items() if rule not in SEPARABLE)
    bound = objective if flowed.proven else useful_bound(objective, (flowed.bound + others) / SCALE)
    settings = problem.settings
    solver = SolverFacts(
        status="OPTIMAL" if flowed.proven else "FEASIBLE",
        objective=objective,
        bound=bound,
        gap=None if bound is None else 0.0 if flowed.proven else relative_gap(objective, bound),
        seconds=round(seconds, 3),
        proven=flowed.proven,
        bound_method="flow" if bound is not None else "",
        interrupted=flowed.halted and options.stop is not None and options.stop.is_set(),
        candidates=flowed.pairs,
        workers=options.workers or settings.workers,
        seed=settings.seed,
        first_plan_s=round(seconds, 3),
        gap1_s=round(seconds, 3) if flowed.proven else None,
    )
    return lay_out(facts, set(flowed.chosen), account, solver)
