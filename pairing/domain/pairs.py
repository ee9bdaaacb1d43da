"""Facts about candidate pairs that every layer reads the same way.

Which pairs are running now (for continuity P14 and rotation P05), which are locked (P03),
forbidden (P04), blocked by tenure (P05) or by distance (P13_max_km), and the road distance of
a pair. Pure Python: the model builder, the diagnosis and ``check`` use it; the verifier keeps
its own copy of these definitions on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from pairing.domain.geo import great_circle_km
from pairing.domain.model import BaselinePair, PairRule, PastPairing, Problem, Score

Pair = tuple[int, int]  # (unit index, village index)


@dataclass(frozen=True)
class PairFacts:
    """Per-pair facts of a problem, keyed by (unit index, village index)."""

    problem: Problem

    @cached_property
    def year(self) -> int:
        """The plan year."""
        return self.problem.settings.year()

    @cached_property
    def current(self) -> dict[Pair, PastPairing]:
        """Pairs running into the plan year: no end year, or ended the year before."""
        running: dict[Pair, PastPairing] = {}
        for past in self.problem.history:
            if past.end_year is None or past.end_year >= self.year - 1:
                pair = self._pair(past.unit_id, past.village_id)
                earlier = running.get(pair)
                if earlier is None or past.start_year < earlier.start_year:
                    running[pair] = past
        return running

    def tenure(self, pair: Pair) -> int:
        """Years a running pair will have served at the start of the plan year (0 if new)."""
        past = self.current.get(pair)
        return 0 if past is None else max(0, self.year - past.start_year)

    @cached_property
    def tenure_blocked(self) -> dict[Pair, PastPairing]:
        """Pairs that P05 stops renewing: running for max_tenure_years or more."""
        limit = self.problem.settings.max_tenure_years
        if limit is None:
            return {}
        return {pair: past for pair, past in self.current.items() if self.tenure(pair) >= limit}

    def _rules(self, verb: str) -> dict[Pair, PairRule]:
        return {
            self._pair(rule.unit_id, rule.village_id): rule
            for rule in self.problem.rules
            if rule.verb == verb
        }

    @cached_property
    def must(self) -> dict[Pair, PairRule]:
        """必须 pairs (P03)."""
        return self._rules("must")

    @cached_property
    def forbid(self) -> dict[Pair, PairRule]:
        """禁止 pairs (P04)."""
        return self._rules("forbid")

    @cached_property
    def prefer(self) -> dict[Pair, PairRule]:
        """意向 pairs (P16)."""
        return self._rules("prefer")

    @cached_property
    def scores(self) -> dict[Pair, Score]:
        """评分 pairs (P17)."""
        return {self._pair(s.unit_id, s.village_id): s for s in self.problem.scores}

    @cached_property
    def baseline(self) -> dict[Pair, BaselinePair]:
        """基线结对 pairs whose unit and village are in this problem (the others are forced
        changes: the unit was removed or the village is gone)."""
        units, villages = self.problem.unit_index, self.problem.village_index
        return {
            (units[b.unit_id], villages[b.village_id]): b
            for b in self.problem.baseline
            if b.unit_id in units and b.village_id in villages
        }

    def _pair(self, unit_id: str, village_id: str) -> Pair:
        return (self.problem.unit_index[unit_id], self.problem.village_index[village_id])

    def origin(self, unit: int) -> tuple[float, float] | None:
        """Where a unit's cadres set out from: its coordinates, else the county seat."""
        u = self.problem.units[unit]
        if u.lat is not None and u.lon is not None:
            return (u.lat, u.lon)
        return self.problem.settings.county_seat

    def distance_km(self, pair: Pair) -> float | None:
        """Road-like km of a pair (great-circle × circuity), or None without coordinates."""
        origin = self.origin(pair[0])
        village = self.problem.villages[pair[1]]
        if origin is None or village.lat is None or village.lon is None:
            return None
        straight = great_circle_km(origin[0], origin[1], village.lat, village.lon)
        return straight * self.problem.settings.circuity

    def blocked(self, pair: Pair) -> str | None:
        """Return the rule id that bars a pair (P04, P05, P13 max km, P02 capacity), or None."""
        if pair in self.forbid:
            return "P04"
        if pair in self.tenure_blocked:
            return "P05"
        if self.problem.units[pair[0]].max_villages == 0:
            return "P02"
        limit = self.problem.settings.max_km
        if limit is not None:
            km = self.distance_km(pair)
            if km is not None and km > limit:
                return "P13"
        return None
