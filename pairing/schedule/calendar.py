"""The working calendar: official workdays, holidays and make-up workdays (调休).

Sources, in order of precedence:

1. the problem's 节假日 sheet (:class:`~pairing.domain.model.HolidayOverride`): a 休 row makes
   a date a holiday, a 班 row makes it a working day, whatever the built-in data says;
2. ``chinese_calendar`` (pinned 1.11.0, years 2004-2026): the State Council's notices, with
   make-up Saturdays and Sundays as working days;
3. for a year that package does not cover, the rule-based ``holidays`` package
   (``holidays.country_holidays("CN")``): Monday-Friday are working days minus its holidays,
   there are no make-up days, and every date of that year is *provisional*: the official
   notice, published each November, may move days. The caller warns, or refuses (``strict``).

Day types (the 日期类型 column, rule S02):

``workday`` (工作日)
    an official working day, make-up Saturdays and Sundays included;
``weekend`` (周末)
    a Saturday or Sunday that is not an official working day (a festival day falling on a
    weekend is a weekend day *and* a holiday; S03 then decides);
``any`` (不限)
    every date.

A *holiday* (rule S03) is a date of an official holiday block (法定节假日 and the rest days
moved into it), or a 休 override. An ordinary weekend is not a holiday.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from types import MappingProxyType

import chinese_calendar
import holidays as holiday_rules

from pairing.domain.errors import InputError, Issue
from pairing.domain.model import DayType, HolidayOverride, HolidayPolicy
from pairing.domain.plan import DayMark

OFFICIAL_PACKAGE = "chinesecalendar 1.11.0"
OVERRIDE_NAME = "节假日调整"
_CHINESE_NAMES = MappingProxyType({h.value: h.chinese for h in chinese_calendar.Holiday})


@dataclass(frozen=True, slots=True)
class CalendarDay:
    """What one date is: working day or not, holiday or not, and how sure we are.

    Attributes
    ----------
    date
        The date.
    workday
        An official working day (make-up weekend days included).
    holiday
        Inside an official holiday block, or declared 休 by the 节假日 sheet.
    holiday_name
        The festival's Chinese name (春节), or ``""``.
    provisional
        The year is not covered by the official data; the date follows the rule-based
        fallback and may change when the notice is published.
    override_row
        The 节假日 sheet row that decided this date, or ``None``.
    """

    date: dt.date
    workday: bool
    holiday: bool
    holiday_name: str = ""
    provisional: bool = False
    override_row: int | None = None

    @property
    def weekend(self) -> bool:
        """Return whether this is a Saturday or Sunday that is not a working day (周末)."""
        return self.date.weekday() >= 5 and not self.workday

    @property
    def makeup(self) -> bool:
        """Return whether this is a weekend date turned into a working day (调休上班)."""
        return self.date.weekday() >= 5 and self.workday

    def has_type(self, day_type: DayType) -> bool:
        """Return whether the date is of ``day_type`` (rule S02)."""
        if day_type == "workday":
            return self.workday
        if day_type == "weekend":
            return self.weekend
        return True

    def allows(self, day_type: DayType, policy: HolidayPolicy) -> bool:
        """Return whether an obligation of this day type and holiday policy may fall here."""
        if self.holiday and policy == "avoid":
            return False
        return self.has_type(day_type)


@dataclass(frozen=True, slots=True)
class WorkingCalendar:
    """Consecutive :class:`CalendarDay` records from ``first`` on."""

    first: dt.date
    days: tuple[CalendarDay, ...]

    @property
    def last(self) -> dt.date:
        """Return the last date the calendar knows."""
        return self.first + dt.timedelta(days=len(self.days) - 1)

    def day(self, date: dt.date) -> CalendarDay:
        """Return the record of ``date`` (which must lie inside the calendar)."""
        offset = (date - self.first).days
        if not 0 <= offset < len(self.days):
            raise KeyError(f"{date} is outside the calendar {self.first}..{self.last}")
        return self.days[offset]

    def between(self, start: dt.date, end: dt.date) -> tuple[CalendarDay, ...]:
        """Return the records from ``start`` to ``end``, both included (inside the calendar)."""
        first, last = (start - self.first).days, (end - self.first).days
        if first < 0 or last >= len(self.days):
            raise KeyError(f"{start}..{end} is outside the calendar {self.first}..{self.last}")
        return self.days[first : last + 1]

    def provisional_years(self, start: dt.date, end: dt.date) -> tuple[int, ...]:
        """Return the years with provisional dates between ``start`` and ``end``."""
        return tuple(sorted({day.date.year for day in self.between(start, end) if day.provisional}))


def day_marks(calendar: WorkingCalendar, start: dt.date, end: dt.date) -> tuple[DayMark, ...]:
    """The holidays and make-up workdays of the months from ``start`` to ``end`` that the
    calendar knows, for the printed calendars (a whole month grid, not only the horizon)."""
    first = max(start.replace(day=1), calendar.first)
    after = (end.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    last = min(after - dt.timedelta(days=1), calendar.last)
    return tuple(
        DayMark(day.date, day.holiday, day.holiday_name)
        for day in calendar.between(first, last)
        if day.holiday or day.makeup
    )


def official_years(first: int, last: int) -> tuple[int, ...]:
    """Return the years in ``[first, last]`` that the official data covers."""
    return tuple(year for year in range(first, last + 1) if _covered(year))


def build_calendar(
    first: dt.date, last: dt.date, overrides: Iterable[HolidayOverride] = ()
) -> WorkingCalendar:
    """Return the working calendar from ``first`` to ``last`` (both included).

    Official data where it exists, the rule-based fallback (provisional) where it does not,
    then the 节假日 overrides on top. Never raises for a missing year.
    """
    by_date = {override.date: override for override in overrides}
    years = {year: _year_days(year) for year in range(first.year, last.year + 1)}
    days = []
    for offset in range((last - first).days + 1):
        date = first + dt.timedelta(days=offset)
        base = years[date.year][date]
        override = by_date.get(date)
        days.append(base if override is None else _overridden(base, override))
    return WorkingCalendar(first, tuple(days))


def refuse_provisional(years: Iterable[int]) -> None:
    """Raise :class:`InputError` for a strict run whose horizon has provisional years."""
    missing = sorted(set(years))
    if not missing:
        return
    listed = "、".join(str(year) for year in missing)
    raise InputError(
        [
            Issue(
                "参数 settings",
                None,
                "plan_year",
                f"{listed} 年的官方节假日安排尚未收录（{OFFICIAL_PACKAGE} 覆盖 2004-2026 年）；"
                "严格模式下不排暂定日程。请去掉 --strict-calendar 以按规则推算（日期标为暂定），"
                "或在国务院通知发布后升级 chinesecalendar",
                f"the official holiday calendar of {listed} is not known yet ({OFFICIAL_PACKAGE} "
                "covers 2004-2026); strict mode will not schedule on provisional dates. Drop "
                "--strict-calendar to schedule on rule-based dates flagged provisional, or "
                "upgrade chinesecalendar once the State Council notice is out",
                "S02",
            )
        ]
    )


def _covered(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def _year_days(year: int) -> dict[dt.date, CalendarDay]:
    if _covered(year):
        return _official_year(year)
    return _fallback_year(year)


def _dates_of(year: int) -> list[dt.date]:
    first = dt.date(year, 1, 1)
    length = (dt.date(year + 1, 1, 1) - first).days
    return [first + dt.timedelta(days=offset) for offset in range(length)]


def _official_year(year: int) -> dict[dt.date, CalendarDay]:
    days = {}
    for date in _dates_of(year):
        workday = bool(chinese_calendar.is_workday(date))
        _, name = chinese_calendar.get_holiday_detail(date)
        # get_holiday_detail names the festival on its make-up workdays too; only the
        # non-working days of a named block are holidays.
        holiday = not workday and name is not None
        label = _CHINESE_NAMES.get(name, str(name)) if holiday else ""
        days[date] = CalendarDay(date, workday, holiday, label)
    return days


def _fallback_year(year: int) -> dict[dt.date, CalendarDay]:
    try:
        rules = holiday_rules.country_holidays("CN", years=year, language="zh_CN")
        names = {date: str(rules.get(date)) for date in rules}
    except (NotImplementedError, KeyError, ValueError):  # a year beyond the rules: weekdays
        names = {}
    days = {}
    for date in _dates_of(year):
        name = names.get(date, "")
        workday = date.weekday() < 5 and not name
        days[date] = CalendarDay(date, workday, bool(name), name, provisional=True)
    return days


def _overridden(base: CalendarDay, override: HolidayOverride) -> CalendarDay:
    if override.kind == "holiday":
        name = base.holiday_name or OVERRIDE_NAME
        return CalendarDay(base.date, False, True, name, base.provisional, override.row)
    return CalendarDay(base.date, True, False, "", base.provisional, override.row)
