"""The working calendar a schedule is judged by: workdays, holidays, make-up days (调休).

Years that ``chinese_calendar`` covers use the State Council's notices (a holiday is a
non-working day of a named holiday block; make-up Saturdays and Sundays are workdays). A year
it does not cover has no official calendar yet, and is filled in one of two ways:

``weekday``
    Monday-Friday are workdays and no day is a holiday (the "weekday rules only" the
    verifier applies to each provisional event);
``rules``
    the rule-based ``holidays`` package for China: Monday-Friday minus its holidays are
    workdays, its holidays are holidays (how provisional dates are drawn; used to bound how
    many occurrences a provisional period owes).

The 节假日 overrides win over both: 休 makes a holiday, 班 a workday.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Literal

import chinese_calendar
import holidays as holiday_rules

from pairing.domain.model import DayType, HolidayOverride, HolidayPolicy

Fill = Literal["weekday", "rules"]


@dataclass(frozen=True, slots=True)
class Day:
    """What one date is.

    - ``date``: the date.
    - ``workday``: an official (or, provisionally, assumed) working day.
    - ``holiday``: a holiday (official block, rule-based holiday or 休 override).
    - ``official``: whether the official calendar covers the date's year.
    """

    date: dt.date
    workday: bool
    holiday: bool
    official: bool

    def has_type(self, day_type: DayType) -> bool:
        """Return whether the date is of ``day_type`` (S02).

        ``day_type``: ``workday``, ``weekend`` or ``any``.

        Returns ``weekend`` means a Saturday or Sunday that is not a working day.
        """
        if day_type == "workday":
            return self.workday
        if day_type == "weekend":
            return self.date.weekday() >= 5 and not self.workday
        return True

    def allows(self, day_type: DayType, policy: HolidayPolicy) -> bool:
        """Return whether an obligation may fall on this date (day type, then holidays).

        ``day_type``: the obligation's 日期类型; ``policy``: its 节假日处理.

        Returns ``False`` on a holiday it avoids, or on a date of another type.
        """
        if self.holiday and policy == "avoid":
            return False
        return self.has_type(day_type)


@cache
def covered(year: int) -> bool:
    """Return whether ``chinese_calendar`` holds the official calendar of ``year``.

    ``year``: a year.

    Returns ``True`` when the package knows the year.
    """
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


@cache
def _rule_holidays(year: int) -> frozenset[dt.date]:
    try:
        return frozenset(holiday_rules.country_holidays("CN", years=year))
    except (NotImplementedError, KeyError, ValueError):
        return frozenset()


@cache
def base_day(date: dt.date, fill: Fill) -> Day:
    """Return a date before overrides: official when covered, else filled by ``fill``.

    ``date``: the date; ``fill``: how an uncovered year is filled.

    Returns the date's facts.
    """
    if covered(date.year):
        workday = bool(chinese_calendar.is_workday(date))
        _, name = chinese_calendar.get_holiday_detail(date)
        return Day(date, workday, not workday and name is not None, True)
    weekday = date.weekday() < 5
    if fill == "weekday":
        return Day(date, weekday, False, False)
    holiday = date in _rule_holidays(date.year)
    return Day(date, weekday and not holiday, holiday, False)


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    """The calendar of one input: built-in data, the fill of uncovered years, overrides."""

    fill: Fill
    overrides: Mapping[dt.date, str]

    def day(self, date: dt.date) -> Day:
        """Return what ``date`` is.

        ``date``: the date.

        Returns its facts, after the 节假日 overrides.
        """
        base = base_day(date, self.fill)
        kind = self.overrides.get(date)
        if kind is None:
            return base
        return Day(date, kind == "workday", kind == "holiday", base.official)


def calendar_of(overrides: Iterable[HolidayOverride], fill: Fill) -> WorkCalendar:
    """Return the calendar with the input's 节假日 overrides.

    ``overrides``: the 节假日 rows; ``fill``: how years without official data are filled.

    Returns the calendar.
    """
    return WorkCalendar(fill, MappingProxyType({o.date: o.kind for o in overrides}))
