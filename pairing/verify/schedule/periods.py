"""Periods of an obligation (周/月/季/年) and what each owes inside the horizon (S01).

Weeks are ISO weeks (Monday-Sunday); months, quarters and years are calendar ones. A period
owes ``times`` occurrences, capped by its eligible days (day type and holiday policy, before
blackouts). A period the horizon cuts owes the share of its eligible days inside: with ``E``
eligible days in all, ``b`` before the horizon's part and ``a`` up to its end, it owes
``round(t·a/E) − round(t·b/E)``, halves up (``t`` the capped times).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from pairing.domain.model import Obligation, Period
from pairing.verify.schedule.calendar import WorkCalendar

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Span:
    """One period: its full extent and its label (``2027-W05``, ``2027-03``, ``2027-Q1``)."""

    start: dt.date
    end: dt.date
    label: str


def period_of(every: Period, day: dt.date) -> Span:
    """Return the period of kind ``every`` that holds ``day``.

    ``every``: ``week``, ``month``, ``quarter`` or ``year``; ``day``: a date.

    Returns the period.
    """
    if every == "week":
        monday = day - dt.timedelta(days=day.weekday())
        year, week, _ = monday.isocalendar()
        return Span(monday, monday + dt.timedelta(days=6), f"{year}-W{week:02d}")
    if every == "year":
        return Span(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), str(day.year))
    months = 1 if every == "month" else 3
    first_month = day.month - (day.month - 1) % months
    start = dt.date(day.year, first_month, 1)
    after = dt.date(day.year + (first_month + months > 12), (first_month + months - 1) % 12 + 1, 1)
    label = f"{day.year}-{day.month:02d}" if months == 1 else f"{day.year}-Q{first_month // 3 + 1}"
    return Span(start, after - ONE_DAY, label)


def spans(every: Period, start: dt.date, end: dt.date) -> Iterator[Span]:
    """Yield every period of kind ``every`` that overlaps ``[start, end]``, in order.

    ``every``: the kind of period; ``start``, ``end``: the horizon, both included.

    Yields the periods.
    """
    current = period_of(every, start)
    while current.start <= end:
        yield current
        current = period_of(every, current.end + ONE_DAY)


def _share(times: int, part: int, total: int) -> int:
    """Return ``round(times × part / total)`` with halves up (0 when ``total`` is 0)."""
    if total == 0:
        return 0
    return (2 * times * part + total) // (2 * total)


def owed(
    obligation: Obligation, span: Span, first: dt.date, last: dt.date, calendar: WorkCalendar
) -> int:
    """Return what one performer owes in the part ``[first, last]`` of a period.

    - ``obligation``: the obligation.
    - ``span``: the period, full extent.
    - ``first``, ``last``: its part inside the horizon.
    - ``calendar``: the calendar that decides eligible days.

    Returns occurrences owed.
    """
    eligible = []
    day = span.start
    while day <= span.end:
        eligible.append(calendar.day(day).allows(obligation.day_type, obligation.holiday_policy))
        day += ONE_DAY
    total = sum(eligible)
    times = min(obligation.times, total)
    before = sum(eligible[: (first - span.start).days])
    upto = sum(eligible[: (last - span.start).days + 1])
    return _share(times, upto, total) - _share(times, before, total)
