"""Partition by the connected components of the candidate graph (``--partition-by auto``).

A unit and a village are joined when no hard rule bars their pair: not 禁止 forbidden (P04),
not stopped by tenure (P05), the unit may take a village (P02: 最多村数 > 0) and, when
``P13_max_km`` is set, the road distance is within it (a unit without coordinates sets out
from the county seat; a pair without coordinates has no distance and is never barred by it).
Every history, must, preference and score row joins its unit and village as well (each
counts even when its pair is barred); a 禁止 row that would cross parts is dropped (its pair
is barred anyway). Units and villages in different components can never be paired, so
solving each component on its own is exact: the plan is the whole input's optimum.

The graph is never built in full: with a distance limit, a k-d tree over points on the unit
sphere finds the near pairs (in C); where every village is in reach (no limit, no origin, a
village without coordinates) the component search runs on the complement of the barred
pairs, which costs the number of nodes plus the number of barred pairs.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from pairing.domain.geo import EARTH_RADIUS_KM
from pairing.domain.model import Problem
from pairing.domain.pairs import Pair, PairFacts
from pairing.province.parts import Assignment

SLACK = 1e-9  # relative: a pair this close to the limit counts as joined (joining is safe)
CHUNK = 1000  # units per k-d tree query: bounds the near pairs held at once
Edges = tuple[NDArray[np.int64], NDArray[np.int64]]  # graph nodes: units, then villages


@dataclass(frozen=True, slots=True)
class Reach:
    """Who may reach whom: units that reach every village, units with a distance limit."""

    everywhere: tuple[int, ...]
    limited: tuple[int, ...]
    origins: Mapping[int, tuple[float, float]]
    located: tuple[int, ...]
    unlocated: tuple[int, ...]


def by_components(problem: Problem) -> Assignment:
    """Return the connected components of ``problem``'s candidate graph as parts.

    Parameters
    ----------
    problem
        The whole, validated problem.

    Returns
    -------
    Assignment
        Parts ``#1``, ``#2``... ordered by their first village in the input. Units or
        villages without any candidate pair join part ``#1`` (the solver then explains why
        that part has no plan).
    """
    facts = PairFacts(problem)
    barred = frozenset(facts.forbid) | frozenset(facts.tenure_blocked)
    reach = _reach(problem, facts)
    n_units = len(problem.units)
    edges = [
        _pairs(_rows(problem), n_units),
        _near(problem, reach, barred),
        _pairs(_complete(reach.everywhere, range(len(problem.villages)), barred), n_units),
        _pairs(_complete(reach.limited, reach.unlocated, barred), n_units),
    ]
    return _assignment(problem, _labels(n_units + len(problem.villages), edges))


def _reach(problem: Problem, facts: PairFacts) -> Reach:
    """Split units by reach: everywhere (no limit or no origin) or within the distance limit."""
    active = [u for u, unit in enumerate(problem.units) if unit.max_villages > 0]
    limit = problem.settings.max_km
    origins = {u: o for u in active if (o := facts.origin(u)) is not None}
    located = tuple(
        v for v, x in enumerate(problem.villages) if x.lat is not None and x.lon is not None
    )
    unlocated = tuple(sorted(set(range(len(problem.villages))) - set(located)))
    if limit is None:
        return Reach(tuple(active), (), {}, located, unlocated)
    everywhere = tuple(u for u in active if u not in origins)
    return Reach(everywhere, tuple(sorted(origins)), origins, located, unlocated)


def _rows(problem: Problem) -> list[Pair]:
    """Return the pairs of the history, rule, score and baseline rows, which must stay together.

    A 必须 or 意向 row, a score or a running pair counts in the objective (or the hard
    rules) even when distance bars its pair, so its unit and village must share a part. A
    禁止 row never does: its pair is barred anyway, and it is dropped when it would cross.
    """
    named = [
        *((p.unit_id, p.village_id) for p in problem.history),
        *((r.unit_id, r.village_id) for r in problem.rules if r.verb != "forbid"),
        *((s.unit_id, s.village_id) for s in problem.scores),
        *(
            (b.unit_id, b.village_id)
            for b in problem.baseline
            if b.unit_id in problem.unit_index and b.village_id in problem.village_index
        ),
    ]
    return [(problem.unit_index[u], problem.village_index[v]) for u, v in named]


def _pairs(pairs: Sequence[Pair], units: int) -> Edges:
    """Return (unit, village) pairs as edges between graph nodes (villages after the units)."""
    first = np.fromiter((u for u, _ in pairs), dtype=np.int64, count=len(pairs))
    second = np.fromiter((units + v for _, v in pairs), dtype=np.int64, count=len(pairs))
    return first, second


def _near(problem: Problem, reach: Reach, barred: frozenset[Pair]) -> Edges:
    """Return edges joining what the pairs within the distance limit join.

    Units with an origin are taken :data:`CHUNK` at a time: the k-d tree finds their
    villages within reach, the barred pairs are removed, and the chunk's pairs are reduced to
    a spanning forest (as many edges as nodes touched), so memory stays bounded however many
    pairs are near.
    """
    limit = problem.settings.max_km
    n_units = len(problem.units)
    if limit is None or not reach.limited or not reach.located:
        return _pairs([], n_units)
    angle = limit / problem.settings.circuity / EARTH_RADIUS_KM
    chord = 2.0 if angle >= math.pi else 2 * math.sin(angle / 2) * (1 + SLACK) + SLACK
    villages = problem.villages
    located = np.asarray(reach.located, dtype=np.int64)
    v_points = _sphere([(villages[v].lat or 0.0, villages[v].lon or 0.0) for v in reach.located])
    v_tree = cKDTree(v_points)
    bars = np.fromiter((u * len(villages) + v for u, v in barred), dtype=np.int64)
    size = n_units + len(villages)
    forests = [_pairs([], n_units)]
    for start in range(0, len(reach.limited), CHUNK):
        chunk = np.asarray(reach.limited[start : start + CHUNK], dtype=np.int64)
        u_points = _sphere([reach.origins[int(u)] for u in chunk])
        found = cKDTree(u_points).sparse_distance_matrix(v_tree, chord, output_type="ndarray")
        km = _haversine(u_points[found["i"]], v_points[found["j"]]) * problem.settings.circuity
        keep = km <= limit * (1 + SLACK)
        units, near = chunk[found["i"][keep]], located[found["j"][keep]]
        if len(bars):
            open_ = ~np.isin(units * len(villages) + near, bars)
            units, near = units[open_], near[open_]
        forests.append(_forest(units, n_units + near, size))
    return np.concatenate([f for f, _ in forests]), np.concatenate([s for _, s in forests])


def _forest(first: NDArray[np.int64], second: NDArray[np.int64], size: int) -> Edges:
    """Return edges with the components of the given ones: each node to its component's root."""
    if not len(first):
        return first, second
    graph = coo_matrix((np.ones(len(first)), (first, second)), shape=(size, size))
    _, labels = connected_components(graph, directed=False)
    nodes = np.unique(np.concatenate((first, second)))
    _, root_at = np.unique(labels[nodes], return_index=True)
    roots = np.empty(labels.max() + 1, dtype=np.int64)
    roots[labels[nodes[root_at]]] = nodes[root_at]
    return roots[labels[nodes]], nodes


def _sphere(points: Sequence[tuple[float, float]]) -> NDArray[np.float64]:
    """Return (lat, lon) degrees as points on the unit sphere (x, y, z)."""
    radians = np.radians(np.asarray(points, dtype=np.float64).reshape(-1, 2))
    lat, lon = radians[:, 0], radians[:, 1]
    return np.column_stack((np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)))


def _haversine(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return great-circle km between rows of unit vectors (the angle, times Earth's radius)."""
    chord = np.linalg.norm(a - b, axis=1)
    angle = 2 * np.arcsin(np.clip(chord / 2, 0.0, 1.0))
    result: NDArray[np.float64] = angle * EARTH_RADIUS_KM
    return result


def _complete(units: Sequence[int], villages: Iterable[int], barred: frozenset[Pair]) -> list[Pair]:
    """Return spanning pairs of ``units`` × ``villages`` minus the barred pairs.

    A search on the complement: each step takes every unvisited node of the other side that
    is not barred from the current one, so a node is scanned once per barred pair it has and
    once when it is reached.
    """
    left_units, left_villages = set(units), set(villages)
    if not left_units or not left_villages:
        return []
    by_unit: dict[int, set[int]] = {}
    by_village: dict[int, set[int]] = {}
    for u, v in barred:
        by_unit.setdefault(u, set()).add(v)
        by_village.setdefault(v, set()).add(u)
    edges: list[Pair] = []
    while left_units:
        start = min(left_units)
        left_units.discard(start)
        stack: list[tuple[bool, int]] = [(True, start)]
        while stack:
            is_unit, node = stack.pop()
            if is_unit:
                reached = [v for v in left_villages if v not in by_unit.get(node, ())]
                left_villages.difference_update(reached)
                edges += [(node, v) for v in reached]
            else:
                reached = [u for u in left_units if u not in by_village.get(node, ())]
                left_units.difference_update(reached)
                edges += [(u, node) for u in reached]
            stack += [(not is_unit, other) for other in reached]
    return edges


def _labels(size: int, edges: Sequence[Edges]) -> NDArray[np.int32]:
    """Return a component label per node (units first, then villages)."""
    first = np.concatenate([a for a, _ in edges])
    second = np.concatenate([b for _, b in edges])
    graph = coo_matrix((np.ones(len(first)), (first, second)), shape=(size, size))
    _, labels = connected_components(graph, directed=False)
    result: NDArray[np.int32] = labels.astype(np.int32)
    return result


def _assignment(problem: Problem, labels: NDArray[np.int32]) -> Assignment:
    """Turn component labels into parts ordered by first village; strays join part #1."""
    n_units = len(problem.units)
    unit_labels, village_labels = labels[:n_units], labels[n_units:]
    with_units = set(unit_labels.tolist())
    order: dict[int, int] = {}
    for label in village_labels.tolist():
        if label in with_units and label not in order:
            order[label] = len(order)
    keys = tuple(f"#{i + 1}" for i in range(max(1, len(order))))
    return Assignment(
        keys,
        {u.id: order.get(int(x), 0) for u, x in zip(problem.units, unit_labels, strict=True)},
        {v.id: order.get(int(x), 0) for v, x in zip(problem.villages, village_labels, strict=True)},
    )
