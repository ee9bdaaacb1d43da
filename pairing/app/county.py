"""The per-county job: solve one problem and, when asked, schedule its plan.

``pairing solve`` runs it on the whole input; ``pairing solve --partition-by`` runs it once
per part, in the province's worker processes (:func:`pairing.province.engine.run_part`). The
checks of a plan (and its schedule) have one home too, :func:`plan_checks`, used by every job
that writes a plan workbook.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from pairing.app.interrupted import Interrupted
from pairing.app.notices import (
    GapMissed,
    Listener,
    Provisional,
    ScheduleDropped,
    SearchEnded,
    Waived,
    ignore,
)
from pairing.domain.model import Problem
from pairing.domain.plan import Plan, Schedule
from pairing.schedule import ScheduleInterrupted, prepare, schedule_prepared
from pairing.schedule.checks import schedule_checks
from pairing.solve.checks import hard_checks
from pairing.solve.diagnose import NoPlanInTime
from pairing.solve.optimize import SolveOptions, Timings, solve

Check = tuple[str, str, str]  # rule id, 通过 pass / 违反 fail, detail
Progress = Callable[[float, float | None, float], None]  # elapsed, best, bound
NOTHING_YET = (
    "已中断：尚未找到方案，未写任何文件 / interrupted before any plan was found: nothing written"
)


@dataclass(frozen=True, slots=True)
class CountyOptions:
    """How one county is solved and scheduled.

    Attributes
    ----------
    time_limit_s, workers, gap
        The search's limits (None: the workbook's settings); ``workers`` also runs the
        schedule's groups (None: the workbook's ``workers``).
    schedule
        Also schedule the plan's duties.
    schedule_time_limit_s
        Seconds for the schedule (None: the workbook's ``time_limit_s``).
    strict_calendar
        Refuse years without an official holiday calendar.
    progress
        Called with (elapsed, best, bound) while the search runs.
    stop
        Set by Ctrl-C: the search stops with its best plan, the schedule is dropped unless
        every group has its days.
    """

    time_limit_s: float | None = None
    workers: int | None = None
    gap: float = 0.0
    schedule: bool = False
    schedule_time_limit_s: float | None = None
    strict_calendar: bool = False
    progress: Progress | None = field(default=None, compare=False)
    stop: threading.Event | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class County:
    """A county's plan, the solver's step timings, and its schedule (with its waivers).

    ``solve_seconds`` and ``schedule_seconds`` are the wall seconds of each half.
    """

    plan: Plan
    timings: Timings
    schedule: Schedule | None
    waivers: tuple[str, ...]
    solve_seconds: float
    schedule_seconds: float


def solve_county(problem: Problem, options: CountyOptions, notices: Listener = ignore) -> County:
    """Solve ``problem``, then schedule its plan when ``options.schedule``.

    Raises
    ------
    Interrupted
        When Ctrl-C stopped the search before its first plan (nothing to write).
    InputError, InfeasibleError
        As :func:`pairing.solve.optimize.solve` and :func:`pairing.schedule.make_schedule`.
    """
    started = time.perf_counter()
    plan, timings = _search(problem, options)
    notices(SearchEnded())
    notices(GapMissed(plan.facts, options.gap))
    solved = time.perf_counter()
    scheduled = _schedule(problem, plan, options, notices) if options.schedule else None
    return County(
        plan,
        timings,
        scheduled.schedule if scheduled else None,
        scheduled.waivers if scheduled else (),
        solved - started,
        time.perf_counter() - solved,
    )


def _search(problem: Problem, options: CountyOptions) -> tuple[Plan, Timings]:
    """Solve; a search stopped by Ctrl-C before its first plan has nothing to write."""
    limits = SolveOptions(
        time_limit_s=options.time_limit_s,
        workers=options.workers,
        gap=options.gap,
        progress=options.progress,
        stop=options.stop,
    )
    try:
        return solve(problem, limits)
    except NoPlanInTime:
        if options.stop is None or not options.stop.is_set():
            raise
        raise Interrupted(NOTHING_YET) from None


@dataclass(frozen=True, slots=True)
class Dated:
    """A schedule and its waivers as notes (``zh / en``), ready to send between processes."""

    schedule: Schedule
    waivers: tuple[str, ...]


def _schedule(
    problem: Problem, plan: Plan, options: CountyOptions, notices: Listener
) -> Dated | None:
    """The plan's schedule; none when Ctrl-C stopped it first (the plan is kept alone)."""
    try:
        return schedule_plan(
            problem,
            plan,
            strict_calendar=options.strict_calendar,
            time_limit_s=options.schedule_time_limit_s,
            workers=options.workers,
            stop=options.stop,
            notices=notices,
        )
    except ScheduleInterrupted as error:
        notices(ScheduleDropped(str(error)))
        return None


def schedule_plan(
    problem: Problem,
    plan: Plan,
    *,
    strict_calendar: bool = False,
    time_limit_s: float | None = None,
    workers: int | None = None,
    stop: threading.Event | None = None,
    notices: Listener = ignore,
) -> Dated:
    """Schedule a plan's pairs, preparing once: the waivers and provisional years are told
    to ``notices`` before the search, and kept in the result.

    Raises
    ------
    ScheduleInterrupted
        When ``stop`` stopped the schedule before every group had its days.
    """
    started = time.perf_counter()
    ready = prepare(problem, pair_ids(plan), strict_calendar=strict_calendar)
    waivers = tuple(f"{waiver.zh()} / {waiver.en()}" for waiver in ready.waivers)
    notices(Waived(waivers))
    notices(Provisional(ready.provisional_years))
    done = schedule_prepared(
        problem,
        ready,
        time_limit_s=time_limit_s,
        workers=workers or problem.settings.workers,
        stop=stop,
        started=started,
    )
    return Dated(done.schedule, waivers)


def pair_ids(plan: Plan) -> list[tuple[str, str]]:
    """``(unit_id, village_id)`` of every pair of ``plan``, in its order."""
    return [(pair.unit_id, pair.village_id) for pair in plan.pairs]


def plan_checks(problem: Problem, plan: Plan, schedule: Schedule | None) -> list[Check]:
    """The plan workbook's 校验 rows: the pairing rules, then (with a schedule) the S-rules."""
    checks = hard_checks(problem, plan)
    if schedule is not None:
        checks += schedule_checks(problem, pair_ids(plan), schedule)
    return checks


def ordered_notes(groups: Sequence[Sequence[str]]) -> tuple[str, ...]:
    """Every distinct note of several parts, sorted (a merged run tells each once)."""
    return tuple(sorted({note for notes in groups for note in notes}))
