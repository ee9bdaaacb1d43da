"""The activity calendar: dated events for every pair of a plan (rules S01-S08).

:func:`make_schedule` is the entry point. It resolves the horizon and the working calendar,
works out what each obligation owes in each period, checks each (pair, obligation, period)
for enough open days, then solves each independent group of pairs with CP-SAT and returns the
events. ``models/SCHEDULE.md`` documents the rules' maths.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from pairing.cpsat.stopping import StopFlag
from pairing.domain.model import Problem
from pairing.domain.plan import Schedule
from pairing.schedule.owed import Waiver
from pairing.schedule.pipeline import (
    Prepared,
    Scheduled,
    ScheduleInterrupted,
    prepare,
    schedule_prepared,
)

__all__ = [
    "Prepared",
    "ScheduleInterrupted",
    "Scheduled",
    "Waiver",
    "make_schedule",
    "prepare",
    "schedule_prepared",
]


def make_schedule(
    problem: Problem,
    pairs: Sequence[tuple[str, str]],
    *,
    strict_calendar: bool = False,
    time_limit_s: float | None = None,
    workers: int = 1,
    stop: StopFlag | None = None,
) -> Schedule:
    """Return the dated events of every pair of a plan.

    Parameters
    ----------
    problem
        The validated input: obligations, blackouts, holidays, members and settings
        (``schedule_from``/``schedule_to``/``plan_year`` give the horizon; weights S06/S08).
    pairs
        ``(unit_id, village_id)`` of each pair of the plan.
    strict_calendar
        Refuse a horizon in a year without official holiday data instead of scheduling
        on provisional dates.
    time_limit_s
        Time limit of the whole run (default: ``settings.time_limit_s``).
    workers
        Processes solving independent groups side by side; the result is the same for any
        number.
    stop
        Set by the caller's Ctrl-C/SIGTERM handler: the search stops, and a schedule whose
        every group already has its days is returned marked interrupted (not proven).

    Returns
    -------
    Schedule
        The events in canonical order, the horizon, the solver's facts and the years whose
        dates are provisional (the caller warns about them).

    Raises
    ------
    InputError
        For an empty horizon, unknown or repeated pairs, or a strict run reaching a year
        without official holiday data.
    InfeasibleError
        When some period cannot be filled: the issues name the obligation (活动要求 row),
        the period, the pair and the blocking 禁排日期 rows.
    ScheduleInterrupted
        When ``stop`` was set before every group had its days (exit 130, nothing to write).
    """
    started = time.perf_counter()
    ready = prepare(problem, pairs, strict_calendar=strict_calendar)
    done = schedule_prepared(
        problem, ready, time_limit_s=time_limit_s, workers=workers, stop=stop, started=started
    )
    return done.schedule
