"""Blackouts by scope (rule S03): which rows bar which pair on which days.

A blackout row applies to a pair when its scope is 全部 (all), the village's town, the village
id or the unit id. A joint activity needs every unit of the village on site, so it is barred
on the union of its pairs' blackout days.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pairing.domain.model import Blackout, Problem, Unit, Village
from pairing.schedule.horizon import Horizon


@dataclass(frozen=True, slots=True)
class Barred:
    """The blackout rows that apply to a set of pairs and the day numbers they bar."""

    rows: tuple[Blackout, ...]
    days: frozenset[int]

    def restrict(self, days: tuple[int, ...]) -> tuple[int, ...]:
        """Return ``days`` without the barred ones."""
        if not self.days:
            return days
        return tuple(day for day in days if day not in self.days)

    def blocking(self, days: Iterable[int], horizon: Horizon) -> tuple[Blackout, ...]:
        """Return the rows that bar at least one of ``days``."""
        dates = [horizon.date(day) for day in days]
        return tuple(row for row in self.rows if any(row.covers(date) for date in dates))


NOTHING_BARRED = Barred((), frozenset())


def applies(blackout: Blackout, unit: Unit, village: Village) -> bool:
    """Return whether ``blackout`` bars activities of ``unit`` at ``village``."""
    if blackout.scope_kind == "all":
        return True
    if blackout.scope_kind == "town":
        return blackout.scope == village.town
    if blackout.scope_kind == "village":
        return blackout.scope == village.id
    return blackout.scope == unit.id


def barred_for_pair(problem: Problem, unit: Unit, village: Village, horizon: Horizon) -> Barred:
    """Return the blackouts of one pair, clipped to the horizon."""
    rows = tuple(
        row
        for row in problem.blackouts
        if applies(row, unit, village) and row.end >= horizon.start and row.start <= horizon.end
    )
    if not rows:
        return NOTHING_BARRED
    days: set[int] = set()
    for row in rows:
        first = horizon.index(max(row.start, horizon.start))
        last = horizon.index(min(row.end, horizon.end))
        days.update(range(first, last + 1))
    return Barred(rows, frozenset(days))


def union(parts: Iterable[Barred]) -> Barred:
    """Return the blackouts of several pairs together (rows in workbook order, no repeats)."""
    chosen = [part for part in parts if part.rows]
    if not chosen:
        return NOTHING_BARRED
    rows = dict.fromkeys(row for part in chosen for row in part.rows)
    days = frozenset().union(*(part.days for part in chosen))
    return Barred(tuple(sorted(rows, key=lambda row: row.row)), days)
