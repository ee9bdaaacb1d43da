"""Which pairs become decision variables.

A county of 100 units and 50 villages keeps every allowed pair. A large one keeps, per
village, the ``k`` units with the best pair-separable score (distance, skills against needs,
strength for typical villages), plus every pair a rule speaks of (must, prefer, running,
and the best scored ones), plus each unit's best villages so that no unit is stranded. Pairs
barred by P04, P05 or the distance cap are never candidates. When the restricted graph cannot
satisfy P01/P02 the caller re-draws it, spread harder or wider; the plan then says its bound
holds for the restricted graph. :class:`CandidateDraws` keeps what draws share (geometry,
masks, village lists), so that a re-draw costs only the part that changes.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property

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
SAMPLE = 512  # villages whose scores bound a unit's best (see _lowest)
SCORED_BEST = 10  # per village, its highest positive 评分 units are candidates
SCORED_UNIT_BEST = 2  # and per unit, its highest positive 评分 villages


@dataclass(frozen=True)
class Geometry:
    """Points as unit vectors on the sphere (rows of NaN where unknown).

    The great-circle angle between two points comes from their chord, whose square is
    ``2 - 2 a·b``: one matrix product for a whole block of pairs, seven times faster than the
    haversine formula over 10,000 × 20,500 pairs. Cancellation in ``2 - 2 a·b`` costs at most
    a fraction of a metre (0.16 m seen for nearly coincident points): nothing to a score.
    """

    units: NDArray[np.float64]
    villages: NDArray[np.float64]
    circuity: float

    @cached_property
    def gaps(self) -> bool:
        """Whether some point is unknown (its distances are NaN)."""
        return bool(np.isnan(self.units).any() or np.isnan(self.villages).any())

    @classmethod
    def of(cls, problem: Problem, facts: PairFacts) -> Geometry:
        """Collect unit origins (or the county seat) and village coordinates."""
        origins = [facts.origin(u) or (np.nan, np.nan) for u in range(len(problem.units))]
        villages = [
            (v.lat if v.lat is not None else np.nan, v.lon if v.lon is not None else np.nan)
            for v in problem.villages
        ]
        return cls(_vectors(origins), _vectors(villages), problem.settings.circuity)

    def km(
        self, villages: NDArray[np.int64], units: NDArray[np.int64] | None = None
    ) -> NDArray[np.float64]:
        """Road km from units (columns; all by default) to villages (rows); NaN = unknown."""
        origins = self.units if units is None else self.units[units]
        return self._km(self.villages[villages], origins)

    def km_by_unit(self, units: NDArray[np.int64]) -> NDArray[np.float64]:
        """Road km from ``units`` (rows) to every village (columns); NaN = unknown."""
        return self._km(self.units[units], self.villages)

    def _km(self, rows: NDArray[np.float64], columns: NDArray[np.float64]) -> NDArray[np.float64]:
        chord: NDArray[np.float64] = 2.0 - 2.0 * (rows @ columns.T)
        np.clip(chord, 0.0, 4.0, out=chord)
        np.sqrt(chord, out=chord)
        np.arcsin(chord / 2.0, out=chord)
        chord *= 2.0 * EARTH_RADIUS_KM * self.circuity
        return chord


def _vectors(points: list[tuple[float, float]]) -> NDArray[np.float64]:
    """(lat, lon) in degrees as unit vectors, n × 3."""
    lat, lon = np.radians(np.array(points, dtype=float).reshape(-1, 2)).T
    return np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])


def _strength_weights(problem: Problem) -> NDArray[np.float64]:
    """P12's weight per village: typical villages count ``typical_weight`` times."""
    settings = problem.settings
    typical = np.array([v.typical for v in problem.villages], dtype=float)
    weight: NDArray[np.float64] = settings.weight("P12") * (
        1 + typical * (settings.typical_weight - 1)
    )
    return weight


def _masks(problem: Problem) -> tuple[NDArray[np.uint64], NDArray[np.uint64]]:
    """Skills and needs as 64-bit masks (tags beyond the 64 most common are ignored here)."""
    counts = Counter(t for v in problem.villages for t in v.needs)
    bit = {tag: i for i, (tag, _) in enumerate(counts.most_common(64))}

    def mask(tags: frozenset[str]) -> int:
        return sum(1 << bit[t] for t in tags if t in bit)

    skills = np.array([mask(u.skills) for u in problem.units], dtype=np.uint64)
    needs = np.array([mask(v.needs) for v in problem.villages], dtype=np.uint64)
    return skills, needs


class CandidateDraws:
    """Candidate graphs of one problem, drawn with different ``k`` and crowding.

    Draws share the geometry, the masks and the last ``k``'s village-side lists: at 10,000
    villages a re-draw spread harder then costs only the unit-side picks. (A wider ``k``
    never comes back to a narrower one, so one ``k`` is kept.)
    """

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.facts = PairFacts(problem)
        self.geometry = Geometry.of(problem, self.facts)
        self.skills, self.needs = _masks(problem)
        self.strength = np.array([u.strength for u in problem.units], dtype=float)
        self.strength_weight = _strength_weights(problem)
        self._village_lists: tuple[int, set[Pair]] | None = None

    def default_k(self) -> int:
        """The workbook's ``k``, or every unit for a small county, or ``AUTO_K``."""
        n_units = len(self.problem.units)
        return self.problem.settings.candidates_per_village or (
            n_units if n_units <= FULL_GRAPH_UNITS else AUTO_K
        )

    def draw(self, k: int | None = None, crowding: float = CROWDING) -> tuple[list[Pair], bool]:
        """Return the sorted candidate pairs and whether the graph was restricted.

        ``crowding`` is the penalty (points) per unit-side pick a village already has.
        """
        k = k or self.default_k()
        restricted = k < len(self.problem.units)
        chosen = set(self._village_best(k)) | _rule_pairs(self.facts)
        if restricted:
            chosen |= self._unit_best(crowding)
        barred = {pair for pair in chosen if self.facts.blocked(pair) is not None}
        return sorted(chosen - barred), restricted

    def _village_best(self, k: int) -> set[Pair]:
        """Each village's ``k`` best units (within the distance cap), kept for the next draw."""
        if self._village_lists is None or self._village_lists[0] != k:
            chosen: set[Pair] = set()
            for start in range(0, len(self.problem.villages), CHUNK):
                villages = np.arange(start, min(len(self.problem.villages), start + CHUNK))
                _take_best(chosen, self._score(villages), villages, k)
            self._village_lists = (k, chosen)
        return self._village_lists[1]

    def _score(self, villages: NDArray[np.int64]) -> NDArray[np.float64]:
        """A pair-separable estimate of each pair's cost, ``villages`` × units (lower is
        better); infinite beyond the distance cap."""
        covered = np.bitwise_count(self.needs[villages][:, None] & self.skills[None, :])
        return self._combine(
            self.geometry.km(villages),
            covered,
            self.strength_weight[villages][:, None],
            self.strength[None, :],
        )

    def _unit_score(self, units: NDArray[np.int64]) -> NDArray[np.float64]:
        """:meth:`_score` laid out by unit: ``units`` × villages, each unit's row contiguous."""
        covered = np.bitwise_count(self.skills[units][:, None] & self.needs[None, :])
        return self._combine(
            self.geometry.km_by_unit(units),
            covered,
            self.strength_weight[None, :],
            self.strength[units][:, None],
        )

    def _combine(
        self,
        km: NDArray[np.float64],
        covered: NDArray[np.uint8],
        strength_weight: NDArray[np.float64],
        strength: NDArray[np.float64],
    ) -> NDArray[np.float64]:
        """P13 distance minus P10 needs covered minus P12 weighted strength; ``inf`` beyond
        the distance cap. The arguments broadcast to the score's shape."""
        settings = self.problem.settings
        score: NDArray[np.float64] = (
            settings.weight("P13") * (np.nan_to_num(km, nan=0.0) if self.geometry.gaps else km)
            - settings.weight("P10") * covered
            - strength_weight * strength
        )
        if settings.max_km is not None:
            score[km > settings.max_km] = np.inf
        return score

    def _unit_best(self, crowding: float) -> set[Pair]:
        """Each unit's ``UNIT_BEST`` best villages, spread so that no village is crowded.

        Village-side lists alone pick the same strong units everywhere (county units sit in
        the county seat, so distance does not tell them apart); each unit is also made a
        candidate where it is most useful, with a growing penalty on villages that already got
        many unit-side picks, so that every village gets its share and P01/P02 stay
        satisfiable.
        """
        pairs: set[Pair] = set()
        n_units, n_villages = len(self.problem.units), len(self.problem.villages)
        load = np.zeros(n_villages)  # unit-side picks so far: the village lists look alike
        take = min(UNIT_BEST, n_villages)
        sample = np.unique(np.linspace(0, n_villages - 1, SAMPLE).astype(np.int64))
        for start in range(0, n_units, CHUNK):
            units = np.arange(start, min(n_units, start + CHUNK))
            for unit, score in zip(units, self._unit_score(units), strict=True):
                best = _lowest(score + crowding * load, take, sample)
                best = best[np.isfinite(score[best])]
                pairs.update((int(unit), int(v)) for v in best)
                load[best] += 1
        return pairs


def _lowest(values: NDArray[np.float64], take: int, sample: NDArray[np.int64]) -> NDArray[np.int64]:
    """Indices of the ``take`` lowest values (all of them if there are no more).

    The ``take``-th lowest of a ``sample`` is at least the ``take``-th lowest of all, so
    only values up to it need sorting out: at 10,000 villages this took 2.4 s of partitioning
    in all, where partitioning every unit's 10,000 values took 6.5 s.
    """
    if take >= len(values):
        return np.arange(len(values))
    if take >= len(sample):
        return np.argpartition(values, take - 1)[:take]
    threshold = np.partition(values[sample], take - 1)[take - 1]
    within = np.flatnonzero(values <= threshold)
    return within[np.argpartition(values[within], take - 1)[:take]]


def _take_best(
    chosen: set[Pair], score: NDArray[np.float64], villages: NDArray[np.int64], k: int
) -> None:
    """Add each village's ``k`` lowest-scored units with a finite score."""
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
    """Pairs a rule speaks of: they must be decisions, whatever their score; of the scored
    pairs only the best (:func:`_scored_pairs`)."""
    ruled = set(facts.must) | set(facts.prefer) | set(facts.current) | set(facts.baseline)
    return ruled | _scored_pairs(facts)


def _scored_pairs(facts: PairFacts) -> set[Pair]:
    """Each village's ``SCORED_BEST`` and each unit's ``SCORED_UNIT_BEST`` highest positive
    评分 pairs (P17 refunds only a positive score that is kept; a negative one only costs).

    Every scored pair used to be a candidate: a county scoring all its pairs (1,000 units ×
    500 villages) got the whole graph, and the team pricing V × K × K arrays of 4 GB and more.
    """
    if facts.problem.settings.weight("P17") <= 0:
        return set()
    by_village: dict[int, list[tuple[float, int]]] = defaultdict(list)
    by_unit: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for (u, v), score in facts.scores.items():
        if score.score > 0:
            by_village[v].append((-score.score, u))
            by_unit[u].append((-score.score, v))
    chosen = {
        (u, v) for v, listed in by_village.items() for _, u in heapq.nsmallest(SCORED_BEST, listed)
    }
    chosen |= {
        (u, v)
        for u, listed in by_unit.items()
        for _, v in heapq.nsmallest(SCORED_UNIT_BEST, listed)
    }
    return chosen
