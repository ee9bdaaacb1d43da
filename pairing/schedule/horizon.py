"""The horizon of a schedule: the dates it covers, and day numbers inside it.

The model addresses dates by their offset from the horizon's first date (day 0), so that a
date becomes an integer once, here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pairing.domain.errors import InputError, Issue
from pairing.domain.model import Settings


@dataclass(frozen=True, slots=True)
class Horizon:
    """The dates ``start`` to ``end`` (both included) that a schedule fills."""

    start: dt.date
    end: dt.date

    @property
    def length(self) -> int:
        """Return the number of dates in the horizon."""
        return (self.end - self.start).days + 1

    def index(self, date: dt.date) -> int:
        """Return the day number of ``date`` (0 for ``start``)."""
        return (date - self.start).days

    def date(self, index: int) -> dt.date:
        """Return the date of day number ``index``."""
        return self.start + dt.timedelta(days=index)


def horizon_of(
    settings: Settings, start: dt.date | None = None, end: dt.date | None = None
) -> Horizon:
    """Return the horizon: the arguments, else ``schedule_from``/``schedule_to``, else the plan year.

    Raises
    ------
    InputError
        When the horizon ends before it starts.
    """
    year = settings.year()
    first = start or settings.schedule_from or dt.date(year, 1, 1)
    last = end or settings.schedule_to or dt.date(year, 12, 31)
    if last < first:
        raise InputError(
            [
                Issue(
                    "参数 settings",
                    None,
                    "schedule_to",
                    f"排期结束日 {last} 早于开始日 {first}；请检查 排期开始/排期结束/规划年份",
                    f"the schedule ends ({last}) before it starts ({first}); check "
                    "schedule_from, schedule_to and plan_year",
                )
            ]
        )
    return Horizon(first, last)
