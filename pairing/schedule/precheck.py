"""Cheap checks before the solver, so that an impossible period is named precisely.

Two checks, both per (obligation, period):

- **short duty**: a duty's allowed days (eligible days minus blackouts) are fewer than the
  occurrences one performer owes (S01/S07 against S03);
- **crowded unit**: a unit with several villages must be at each of them on different days
  (S04), so the villages' duties need distinct days; a bipartite matching of the needed
  occurrences to allowed days shows when there are not enough (a unit with three villages and
  a weekly joint duty in a week with two working days).

Conflicts across obligations are left to the solver, whose conflict core names them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pairing.schedule.duties import Duty
from pairing.schedule.sites import Site


@dataclass(frozen=True, slots=True)
class Crowding:
    """A unit whose villages' duties of one period need more distinct days than there are."""

    unit: str
    duties: tuple[Duty, ...]
    needed: int
    matched: int
    days: int


def short_duties(duties: Sequence[Duty]) -> list[Duty]:
    """Return the duties with fewer allowed days than each performer owes occurrences."""
    return [duty for duty in duties if len(duty.days) < duty.owed.count]


def crowded_units(duties: Sequence[Duty], sites: Sequence[Site]) -> list[Crowding]:
    """Return the units whose villages cannot all get their duties on distinct days."""
    by_unit_period: dict[tuple[str, int], list[Duty]] = {}
    for duty in duties:
        for index in duty.sites:
            key = (sites[index].unit.id, id(duty.owed))
            by_unit_period.setdefault(key, []).append(duty)
    found = []
    for (unit, _), group in by_unit_period.items():
        if len(group) < 2:
            continue
        needed, matched = _match(group)
        if matched < needed:
            days = len({day for duty in group for day in duty.days})
            found.append(Crowding(unit, tuple(group), needed, matched, days))
    return found


def _match(duties: Sequence[Duty]) -> tuple[int, int]:
    """Return (occurrences needed, occurrences placed on distinct days) by Kuhn's matching."""
    wanted = [duty.days for duty in duties for _ in range(duty.owed.count)]
    owner: dict[int, int] = {}

    def place(item: int, seen: set[int]) -> bool:
        for day in wanted[item]:
            if day in seen:
                continue
            seen.add(day)
            if day not in owner or place(owner[day], seen):
                owner[day] = item
                return True
        return False

    matched = sum(1 for item in range(len(wanted)) if place(item, set()))
    return len(wanted), matched
