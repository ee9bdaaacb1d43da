"""The solve job: read an input, solve (and schedule) it as one county, write the plan.

``pairing solve`` without ``--partition-by`` is this job; with it, the province's job
(:func:`pairing.province.run.solve_and_write`), whose parts run the same
:func:`~pairing.app.county.solve_county`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from pairing.app.county import CountyOptions, Progress, plan_checks, solve_county
from pairing.app.notices import Listener, Unreproducible, ignore
from pairing.app.outputs import write_with_calendars
from pairing.domain.plan import Plan, Schedule
from pairing.io.output import refuse_overwrite_input
from pairing.io.planbook import write_plan
from pairing.io.reader import read_input

Arm = Callable[[], threading.Event]  # makes Ctrl-C graceful from now on; returns its flag


@dataclass(frozen=True, slots=True)
class SolveJob:
    """What to solve and where to write it.

    Attributes
    ----------
    workbook, output
        The input workbook (or CSV folder) and the plan workbook to write.
    time_limit_s, workers, gap
        The search's limits (None: the workbook's settings); the schedule gets the same.
    schedule
        Also schedule the duties; ``ics_dir`` (which implies it) also writes the calendars.
    baseline
        The last round's plan workbook: re-plan with the fewest of its pairs changed (P18).
    progress
        Called with (elapsed, best, bound) while the search runs.
    arm
        Called once the input is read, before the search: makes Ctrl-C stop the search
        instead of the command, and returns the flag it sets (None: Ctrl-C interrupts).
    """

    workbook: Path
    output: Path
    time_limit_s: float | None = None
    workers: int | None = None
    gap: float = 0.0
    schedule: bool = False
    ics_dir: Path | None = None
    baseline: Path | None = None
    progress: Progress | None = field(default=None, compare=False)
    arm: Arm | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Solved:
    """What the job wrote: the plan, its step timings and (when asked and complete) its
    schedule; ``calendars`` is how many .ics files were written."""

    output: Path
    plan: Plan
    timings: dict[str, float]
    schedule: Schedule | None
    calendars: int


def solve_job(job: SolveJob, notices: Listener = ignore) -> Solved:
    """Read, solve, check, schedule and write, all or nothing (see :class:`SolveJob`).

    Raises
    ------
    InputError
        For an invalid input, or an output that is the input.
    InfeasibleError
        When no plan satisfies the hard rules (or a period cannot be scheduled).
    Interrupted
        When Ctrl-C stopped the search before its first plan.
    """
    refuse_overwrite_input(job.output, job.workbook)
    source = read_input(job.workbook, baseline=job.baseline)
    if job.workers and job.workers > 1:
        notices(Unreproducible(job.workers))
    stop = job.arm() if job.arm is not None else None
    county = solve_county(source.problem, _county_options(job, stop), notices)
    plan, schedule = county.plan, county.schedule
    checks = plan_checks(source.problem, plan, schedule)
    write = partial(write_plan, job.output, source, plan, checks, schedule)
    calendars = write_with_calendars(write, source.problem, schedule, job.ics_dir)
    return Solved(job.output, plan, county.timings.steps, schedule, calendars)


def _county_options(job: SolveJob, stop: threading.Event | None) -> CountyOptions:
    """The per-county options of a plain solve: the schedule shares the search's limits."""
    return CountyOptions(
        time_limit_s=job.time_limit_s,
        workers=job.workers,
        gap=job.gap,
        schedule=job.schedule or job.ics_dir is not None,
        schedule_time_limit_s=job.time_limit_s,
        progress=job.progress,
        stop=stop,
    )
