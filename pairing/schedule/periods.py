"""Periods of an obligation (周/月/季/年) and the horizon they are cut by.

Weeks are ISO weeks (Monday to Sunday, numbered as ISO 8601, the numbering Chinese offices use
for 第N周); months, quarters and years are calendar ones. A period that the horizon cuts keeps
its full extent here; :mod:`pairing.schedule.owed` decides what its covered part owes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pairing.domain.model import Period

ONE_DAY = dt.timedelta(days=1)
PERIOD_ZH = {"week": "周", "month": "月", "quarter": "季度", "year": "年"}


@dataclass(frozen=True, slots=True)
class Span:
    """One period of one kind: its full extent, its label and its Chinese label."""

    every: Period
    start: dt.date
    end: dt.date
    label: str
    zh: str


def spans(every: Period, start: dt.date, end: dt.date) -> tuple[Span, ...]:
    """Return every period of kind ``every`` that overlaps ``[start, end]``, in order."""
    found = []
    current = period_of(every, start)
    while current.start <= end:
        found.append(current)
        current = period_of(every, current.end + ONE_DAY)
    return tuple(found)


def period_of(every: Period, day: dt.date) -> Span:
    """Return the period of kind ``every`` that contains ``day``."""
    if every == "week":
        return _week(day)
    if every == "month":
        return _month(day)
    if every == "quarter":
        return _quarter(day)
    return _year(day)


def extent(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """Return the first and last date of all periods of any kind that overlap the horizon."""
    first = min(_week(start).start, _year(start).start)
    last = max(_week(end).end, _year(end).end)
    return first, last


def _week(day: dt.date) -> Span:
    monday = day - dt.timedelta(days=day.weekday())
    year, week, _ = monday.isocalendar()
    return Span(
        "week", monday, monday + dt.timedelta(days=6), f"{year}-W{week:02d}", f"{year}年第{week}周"
    )


def _month(day: dt.date) -> Span:
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return Span(
        "month",
        first,
        following - ONE_DAY,
        f"{day.year}-{day.month:02d}",
        f"{day.year}年{day.month}月",
    )


def _quarter(day: dt.date) -> Span:
    quarter = (day.month - 1) // 3 + 1
    first = dt.date(day.year, 3 * quarter - 2, 1)
    last = _month(dt.date(day.year, 3 * quarter, 1)).end
    return Span("quarter", first, last, f"{day.year}-Q{quarter}", f"{day.year}年第{quarter}季度")


def _year(day: dt.date) -> Span:
    return Span(
        "year", dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), f"{day.year}", f"{day.year}年"
    )
