"""Facts about pairs, re-derived from the input alone (the verifier's own definitions).

Kept apart from the solver's on purpose (``models/README.md`` is the common source):

- a pair is **running** when a 历史结对 row has no end year or ended the year before the plan
  year (or later); its run starts at the earliest such row, whose rating it carries;
  **tenure** = plan year − start year;
- a pair is **barred** by 禁止 (P04), by tenure ≥ ``max_tenure_years`` (P05), by a unit that
  may take no village (P02) or by ``P13_max_km`` (P13);
- **road km** = haversine great-circle km (R = 6371.0088) from the unit's coordinates, else
  the county seat, × ``circuity``; none without coordinates.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from pairing.domain.model import BaselinePair, PairRule, PastPairing, Problem, Score

EARTH_RADIUS_KM = 6371.0088
PairKey = tuple[str, str]  # (unit_id, village_id)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in km between two WGS-84 points (haversine).

    ``lat1``, ``lon1``, ``lat2``, ``lon2``: degrees.

    Returns kilometres on a sphere of radius 6371.0088 km.
    """
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = math.radians(lon2 - lon1) / 2
    h = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def running_pairs(problem: Problem, year: int) -> dict[PairKey, PastPairing]:
    """Return the pairs running into ``year``, each with the row its run starts at.

    ``year``: the plan year.

    Returns ``(unit_id, village_id)`` -> the earliest running 历史结对 row.
    """
    found: dict[PairKey, PastPairing] = {}
    for past in problem.history:
        if past.end_year is not None and past.end_year < year - 1:
            continue
        key = (past.unit_id, past.village_id)
        earlier = found.get(key)
        if earlier is None or past.start_year < earlier.start_year:
            found[key] = past
    return found


def _rules(problem: Problem, verb: str) -> dict[PairKey, PairRule]:
    return {(r.unit_id, r.village_id): r for r in problem.rules if r.verb == verb}


@dataclass(frozen=True, slots=True)
class Facts:
    """Per-pair facts of one input and plan year.

    - ``problem``: the input.
    - ``year``: the plan year.
    - ``running``: running pairs and the row their run starts at.
    - ``must``, ``forbid``, ``prefer``: 指定 rows by pair.
    - ``scores``: 评分 rows by pair.
    """

    problem: Problem
    year: int
    running: Mapping[PairKey, PastPairing]
    must: Mapping[PairKey, PairRule]
    forbid: Mapping[PairKey, PairRule]
    prefer: Mapping[PairKey, PairRule]
    scores: Mapping[PairKey, Score]
    baseline: Mapping[PairKey, BaselinePair] = field(default_factory=dict)

    def tenure(self, pair: PairKey) -> int:
        """Return the years a running pair has served at the start of the plan year.

        ``pair``: ``(unit_id, village_id)``.

        Returns 0 for a pair that is not running.
        """
        past = self.running.get(pair)
        return 0 if past is None else max(0, self.year - past.start_year)

    def km(self, pair: PairKey) -> float | None:
        """Return a pair's road km, or ``None`` without coordinates.

        ``pair``: ``(unit_id, village_id)`` of known ids.

        Returns haversine km × circuity.
        """
        problem = self.problem
        unit, village = problem.unit(pair[0]), problem.village(pair[1])
        origin = (unit.lat, unit.lon)
        if unit.lat is None or unit.lon is None:
            origin = problem.settings.county_seat or (None, None)
        if origin[0] is None or origin[1] is None or village.lat is None or village.lon is None:
            return None
        straight = haversine_km(origin[0], origin[1], village.lat, village.lon)
        return straight * problem.settings.circuity

    def barred(self, pair: PairKey) -> str | None:
        """Return the rule that bars a pair (P04, P05, P02, P13), or ``None``.

        ``pair``: ``(unit_id, village_id)`` of known ids.

        Returns the barring rule's id.
        """
        settings = self.problem.settings
        if pair in self.forbid:
            return "P04"
        limit = settings.max_tenure_years
        if limit is not None and pair in self.running and self.tenure(pair) >= limit:
            return "P05"
        if self.problem.unit(pair[0]).max_villages == 0:
            return "P02"
        km = self.km(pair) if settings.max_km is not None else None
        if km is not None and settings.max_km is not None and km > settings.max_km:
            return "P13"
        return None


def facts_of(problem: Problem, year: int) -> Facts:
    """Return the facts of ``problem`` for plan year ``year``.

    ``year``: the plan year.

    Returns the per-pair facts.
    """
    return Facts(
        problem,
        year,
        running_pairs(problem, year),
        _rules(problem, "must"),
        _rules(problem, "forbid"),
        _rules(problem, "prefer"),
        {(s.unit_id, s.village_id): s for s in problem.scores},
        _baseline(problem),
    )


def _baseline(problem: Problem) -> dict[PairKey, BaselinePair]:
    """基线结对 pairs whose unit (as it is now) and village are in the input."""
    units, villages = {u.id for u in problem.units}, {v.id for v in problem.villages}
    return {
        (b.unit_id, b.village_id): b
        for b in problem.baseline
        if b.unit_id in units and b.village_id in villages
    }
