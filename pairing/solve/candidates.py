"""Which pairs become decision variables.

A county of 100 units and 50 villages keeps every allowed pair. A large one keeps, per
village, the ``k`` units with the best pair-separable score (distance, skills against needs,
strength for typical villages), plus every pair a rule speaks of (must, prefer, running,
scored), plus each unit's best villages so that no unit is stranded. Pairs barred by P04, P05
or the distance cap are never candidates. When the restricted graph cannot satisfy P01/P02
the caller widens ``k``; the plan then says its bound holds for the restricted graph.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from pairing.domain.geo import EARTH_RADIUS_KM
from pairing.domain.model import Problem
from pairing.domain.pairs import Pair, PairFacts

FULL_GRAPH_UNITS = 160  # up to this many units, every allowed pair is a candidate
AUTO_K = 30  # otherwise the best 30 per village (C(30, 2) = 435 teams each)
UNIT_BEST = 8
CROWDING = 10.0  # points per unit-side pick a village already has (spreads the picks)
SPREAD_CROWDING = 4 * CROWDING  # the picks spread harder, for a graph whose first draw fails
CHUNK = 256


@dataclass(frozen=True)
class Geometry:
    """Coordinates as radians arrays; NaN where unknown."""

    unit_lat: NDArray[np.float64]
    unit_lon: NDArray[np.float64]
    village_lat: NDArray[np.float64]
    village_lon: NDArray[np.float64]
    circuity: float

    @classmethod
    def of(cls, problem: Problem, facts: PairFacts) -> Geometry:
        """Collect unit origins (or the county seat) and village coordinates."""
        origins = [facts.origin(u) or (np.nan, np.nan) for u in range(len(problem.units))]
        villages = [
            (v.lat if v.lat is not None else np.nan, v.lon if v.lon is not None else np.nan)
            for v in problem.villages
        ]
        ulat, ulon = np.radians(np.array(origins, dtype=float).reshape(-1, 2)).T
        vlat, vlon = np.radians(np.array(villages, dtype=float).reshape(-1, 2)).T
        return cls(ulat, ulon, vlat, vlon, problem.settings.circuity)

    def km(
        self, villages: NDArray[np.int64], units: NDArray[np.int64] | None = None
    ) -> NDArray[np.float64]:
        """Road km from units (columns; all by default) to villages (rows); NaN = unknown."""
        ulat = self.unit_lat if units is None else self.unit_lat[units]
        ulon = self.unit_lon if units is None else self.unit_lon[units]
        vlat = self.village_lat[villages][:, None]
        dlat = ulat[None, :] - vlat
        dlon = ulon[None, :] - self.village_lon[villages][:, None]
        h = np.sin(dlat / 2) ** 2 + np.cos(vlat) * np.cos(ulat)[None, :] * np.sin(dlon / 2) ** 2
        km: NDArray[np.float64] = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(1.0, h)))
        return km * self.circuity


def _masks(problem: Problem) -> tuple[NDArray[np.uint64], NDArray[np.uint64]]:
    """Skills and needs as 64-bit masks (tags beyond the 64 most common are ignored here)."""
    from collections import Counter

    counts = Counter(t for v in problem.villages for t in v.needs)
    bit = {tag: i for i, (tag, _) in enumerate(counts.most_common(64))}

    def mask(tags: frozenset[str]) -> int:
        return sum(1 << bit[t] for t in tags if t in bit)

    skills = np.array([mask(u.skills) for u in problem.units], dtype=np.uint64)
    needs = np.array([mask(v.needs) for v in problem.villages], dtype=np.uint64)
    return skills, needs


def select_candidates(
    problem: Problem, k: int | None = None, crowding: float = CROWDING
) -> tuple[list[Pair], bool]:
    """Return the sorted candidate pairs and whether the graph was restricted.

    ``crowding`` is the penalty (points) per unit-side pick a village already has.
    """
    facts = PairFacts(problem)
    n_units, n_villages = len(problem.units), len(problem.villages)
    if k is None:
        k = problem.settings.candidates_per_village or (
            n_units if n_units <= FULL_GRAPH_UNITS else AUTO_K
        )
    restricted = k < n_units
    geometry = Geometry.of(problem, facts)
    masks = _masks(problem)
    chosen: set[Pair] = set()
    for start in range(0, n_villages, CHUNK):
        villages = np.arange(start, min(n_villages, start + CHUNK))
        score = _score(problem, geometry, masks, villages)
        _take_best(chosen, score, villages, k, problem.settings.max_km, geometry)
    chosen |= _rule_pairs(facts)
    if restricted:
        chosen |= _unit_best(problem, geometry, masks, crowding)
    barred = {pair for pair in chosen if facts.blocked(pair) is not None}
    return sorted(chosen - barred), restricted


def _score(
    problem: Problem,
    geometry: Geometry,
    masks: tuple[NDArray[np.uint64], NDArray[np.uint64]],
    villages: NDArray[np.int64],
    units: NDArray[np.int64] | None = None,
) -> NDArray[np.float64]:
    """A pair-separable estimate of each pair's cost, villages × units (lower is better)."""
    settings = problem.settings
    km = np.nan_to_num(geometry.km(villages, units), nan=0.0)
    skills, needs = masks
    if units is not None:
        skills = skills[units]
    covered = np.bitwise_count(needs[villages][:, None] & skills[None, :]).astype(float)
    strength = np.array([u.strength for u in problem.units])
    if units is not None:
        strength = strength[units]
    typical = np.array([problem.villages[v].typical for v in villages], dtype=float)
    weight12 = settings.weight("P12") * (1 + typical * (settings.typical_weight - 1))
    score: NDArray[np.float64] = (
        settings.weight("P13") * km
        - settings.weight("P10") * covered
        - weight12[:, None] * strength[None, :]
    )
    return score


def _take_best(
    chosen: set[Pair],
    score: NDArray[np.float64],
    villages: NDArray[np.int64],
    k: int,
    max_km: float | None,
    geometry: Geometry,
) -> None:
    if max_km is not None:
        score = np.where(geometry.km(villages) > max_km, np.inf, score)
    n_units = score.shape[1]
    if k >= n_units:
        best = np.tile(np.arange(n_units), (len(villages), 1))
    else:
        best = np.argpartition(score, k, axis=1)[:, :k]
    for row, village in enumerate(villages):
        for unit in best[row]:
            if np.isfinite(score[row, unit]):
                chosen.add((int(unit), int(village)))


def _rule_pairs(facts: PairFacts) -> set[Pair]:
    """Pairs a rule speaks of: they must be decisions, whatever their score."""
    return set(facts.must) | set(facts.prefer) | set(facts.current) | set(facts.scores)


def _unit_best(
    problem: Problem,
    geometry: Geometry,
    masks: tuple[NDArray[np.uint64], NDArray[np.uint64]],
    crowding: float,
) -> set[Pair]:
    """Each unit's ``UNIT_BEST`` best villages, spread so that no village is crowded.

    Village-side lists alone pick the same strong units everywhere (county units sit in the
    county seat, so distance does not tell them apart); each unit is also made a candidate
    where it is most useful, with a growing penalty on villages that already got many
    unit-side picks, so that every village gets its share and P01/P02 stay satisfiable.
    """
    pairs: set[Pair] = set()
    villages = np.arange(len(problem.villages))
    load = np.zeros(len(villages))  # unit-side picks so far: the village lists all look alike
    take = min(UNIT_BEST, len(villages))
    for start in range(0, len(problem.units), CHUNK):
        units = np.arange(start, min(len(problem.units), start + CHUNK))
        score = _score(problem, geometry, masks, villages, units)
        if problem.settings.max_km is not None:
            score = np.where(geometry.km(villages, units) > problem.settings.max_km, np.inf, score)
        for column, unit in enumerate(units):
            crowded = score[:, column] + crowding * load
            best = np.argpartition(crowded, take - 1)[:take] if take < len(villages) else villages
            for v in best:
                if np.isfinite(score[v, column]):
                    pairs.add((int(unit), int(v)))
                    load[v] += 1
    return pairs
