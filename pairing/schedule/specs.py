"""Turn one group's duties into the CP-SAT layer's :class:`GroupSpec` (indices and costs).

The objective is in integer points: ``SCALE`` times the planner's points, so that weights
like 0.5 and half-day distances stay exact enough. S06 costs ``weight("S06")`` per day away
from an occurrence's target; S08 costs ``weight("S08")`` per visit day of a pair.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pairing.cpsat.schedule import GroupSpec, OccurrenceSpec
from pairing.schedule.duties import Duty
from pairing.schedule.sites import Site

SCALE = 100


@dataclass(slots=True)
class CostCache:
    """S06 cost rows shared by duties with the same allowed days and target.

    Duties without blackouts use their owed period's ``days`` tuple itself, which lives as
    long as the run; the cache keys on that object and the target, never on a copy.
    """

    weight: float
    rows: dict[tuple[int, float], tuple[int, ...]] = field(default_factory=dict)

    def costs(self, duty: Duty, target: float) -> tuple[int, ...]:
        """Return the S06 cost of each allowed day of ``duty`` for an occurrence at ``target``."""
        if duty.days is not duty.owed.days:
            return self._compute(duty.days, target)
        key = (id(duty.owed.days), target)
        row = self.rows.get(key)
        if row is None:
            row = self.rows[key] = self._compute(duty.days, target)
        return row

    def _compute(self, days: tuple[int, ...], target: float) -> tuple[int, ...]:
        return tuple(round(SCALE * self.weight * abs(day - target)) for day in days)


def group_spec(
    key: int,
    members: Sequence[int],
    duties: Sequence[Duty],
    sites: Sequence[Site],
    trip_weight: float,
    cache: CostCache,
) -> GroupSpec:
    """Return the spec of one group: local pair and unit indices, occurrences, costs."""
    local = {site: position for position, site in enumerate(members)}
    units: dict[str, int] = {}
    pair_units = tuple(units.setdefault(sites[i].unit.id, len(units)) for i in members)
    occurrences: list[OccurrenceSpec] = []
    distinct: list[tuple[int, ...]] = []
    for index, duty in enumerate(duties):
        pairs = tuple(local[site] for site in duty.sites)
        first = len(occurrences)
        for occurrence in duty.occurrences:
            costs = cache.costs(duty, occurrence.target)
            occurrences.append(OccurrenceSpec(pairs, duty.days, costs, index))
        if duty.owed.count > 1:
            for performer in range(len(duty.performers)):
                distinct.append(
                    tuple(
                        first + j
                        for j, occurrence in enumerate(duty.occurrences)
                        if occurrence.performer == performer
                    )
                )
    return GroupSpec(
        key,
        pair_units,
        tuple(occurrences),
        tuple(distinct),
        round(SCALE * trip_weight),
        len(duties),
    )
