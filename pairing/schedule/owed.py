"""How many occurrences each obligation owes in each period of the horizon (rule S01).

Two things can make a period owe less than ``times``, and both are the calendar's doing, never
a planner's blackout (a blackout that leaves too few days is a conflict, reported by name):

**The calendar cap.** A period with fewer eligible days (day type and holiday policy, after the
节假日 overrides, before blackouts) than ``times`` owes only as many as it has days; a week that
is all Spring Festival owes nothing. Each cap is reported as a :class:`Waiver`.

**The horizon cut.** A period the horizon cuts owes the share of its eligible days that lies
inside, by cumulative rounding: with ``E`` eligible days in the whole period, ``b`` of them
before the horizon's part and ``a`` up to its end, the part owes
``round(t * a / E) - round(t * b / E)`` (halves round up). The shares of any split of a period
add up to exactly ``t``, so two consecutive yearly plans together owe a straddling week once,
never twice or not at all; the part holding most of the working days carries it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pairing.domain.model import Obligation, Problem
from pairing.schedule.calendar import CalendarDay, WorkingCalendar
from pairing.schedule.horizon import Horizon
from pairing.schedule.periods import Span, spans


@dataclass(frozen=True, slots=True)
class Owed:
    """What one obligation owes in one period of the horizon, per performer.

    Attributes
    ----------
    obligation
        Index of the obligation in ``Problem.obligations``.
    span
        The period, full extent.
    first, last
        The part of the period inside the horizon.
    days
        Day numbers (horizon offsets) of the eligible days in that part (S02, S03 holidays).
    count
        Occurrences owed by each performer (the unit, or each leader).
    """

    obligation: int
    span: Span
    first: dt.date
    last: dt.date
    days: tuple[int, ...]
    count: int


@dataclass(frozen=True, slots=True)
class Waiver:
    """A period whose calendar has fewer eligible days than ``times``: it owes ``owed``."""

    code: str
    name: str
    span: Span
    times: int
    owed: int

    def zh(self) -> str:
        """Return the note in Chinese."""
        return (
            f"活动「{self.code} {self.name}」在{self.span.zh}只有 {self.owed} 个符合条件的日子"
            f"（要求 {self.times} 次），按日历减为 {self.owed} 次"
        )

    def en(self) -> str:
        """Return the note in English."""
        return (
            f"obligation {self.code} has only {self.owed} eligible day(s) in {self.span.label} "
            f"(asks {self.times}); the calendar waives the rest"
        )


def owed_periods(
    problem: Problem, calendar: WorkingCalendar, horizon: Horizon
) -> tuple[tuple[Owed, ...], tuple[Waiver, ...]]:
    """Return every (obligation, period) that owes at least one occurrence, and the waivers."""
    owed: list[Owed] = []
    waivers: list[Waiver] = []
    for index, obligation in enumerate(problem.obligations):
        for span in spans(obligation.every, horizon.start, horizon.end):
            entry, waiver = _owed_in(index, obligation, span, calendar, horizon)
            if entry is not None:
                owed.append(entry)
            if waiver is not None:
                waivers.append(waiver)
    return tuple(owed), tuple(waivers)


def _owed_in(
    index: int,
    obligation: Obligation,
    span: Span,
    calendar: WorkingCalendar,
    horizon: Horizon,
) -> tuple[Owed | None, Waiver | None]:
    first, last = max(span.start, horizon.start), min(span.end, horizon.end)
    eligible = [_eligible(day, obligation) for day in calendar.between(span.start, span.end)]
    total = sum(eligible)
    times = min(obligation.times, total)
    waiver = None
    if times < obligation.times:
        waiver = Waiver(obligation.code, obligation.name, span, obligation.times, times)
    before = sum(eligible[: (first - span.start).days])
    upto = sum(eligible[: (last - span.start).days + 1])
    count = _rounded_share(times, upto, total) - _rounded_share(times, before, total)
    if count <= 0:
        return None, waiver
    days = tuple(
        horizon.index(day.date)
        for day in calendar.between(first, last)
        if _eligible(day, obligation)
    )
    return Owed(index, span, first, last, days, count), waiver


def _eligible(day: CalendarDay, obligation: Obligation) -> bool:
    return day.allows(obligation.day_type, obligation.holiday_policy)


def _rounded_share(times: int, part: int, total: int) -> int:
    """Return ``round(times * part / total)``, halves up, in integers (0 when total is 0)."""
    if total == 0:
        return 0
    return (2 * times * part + total) // (2 * total)
