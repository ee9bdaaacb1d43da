"""The schedule job: date the duties of every pair of a plan workbook and write it again."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from pairing.app.county import plan_checks, schedule_plan
from pairing.app.notices import Listener, ignore
from pairing.app.outputs import write_with_calendars
from pairing.app.solve import Arm
from pairing.domain.model import Problem
from pairing.domain.plan import Schedule
from pairing.io.output import refuse_overwrite_input
from pairing.io.planbook import read_plan, write_plan


@dataclass(frozen=True, slots=True)
class ScheduleJob:
    """What to schedule and where to write it.

    Attributes
    ----------
    plan
        The plan workbook.
    output
        The workbook to write (None: ``PLAN_schedule.xlsx`` beside the plan).
    ics_dir
        Folder for one .ics per unit and per village, or None.
    start, end
        The horizon (None: the workbook's schedule_from/schedule_to, else its year).
    strict_calendar
        Refuse years without an official holiday calendar.
    time_limit_s, workers
        The schedule's limits (None: the workbook's settings).
    arm
        Called once the plan is read: makes Ctrl-C stop the schedule, returns its flag.
    """

    plan: Path
    output: Path | None = None
    ics_dir: Path | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    strict_calendar: bool = False
    time_limit_s: float | None = None
    workers: int | None = None
    arm: Arm | None = field(default=None, compare=False)

    def target(self) -> Path:
        """The workbook to write."""
        return self.output or self.plan.with_name(f"{self.plan.stem}_schedule.xlsx")


@dataclass(frozen=True, slots=True)
class Dated:
    """What the job wrote: the schedule, its waivers (``zh / en``) and the calendars."""

    output: Path
    schedule: Schedule
    waivers: tuple[str, ...]
    calendars: int


def schedule_job(job: ScheduleJob, notices: Listener = ignore) -> Dated:
    """Read the plan, schedule it, write the workbook (and calendars) all or nothing.

    Raises
    ------
    InputError, InfeasibleError
        As :func:`pairing.schedule.make_schedule`; InputError also for an output that is
        the plan.
    ScheduleInterrupted
        When Ctrl-C stopped the schedule before every group had its days (nothing written).
    """
    output = job.target()
    refuse_overwrite_input(output, job.plan)
    book = read_plan(job.plan)
    problem = with_horizon(book.input.problem, job.start, job.end)
    stop = job.arm() if job.arm is not None else None
    done = schedule_plan(
        problem,
        book.plan,
        strict_calendar=job.strict_calendar,
        time_limit_s=job.time_limit_s,
        workers=job.workers,
        stop=stop,
        notices=notices,
    )
    checks = plan_checks(problem, book.plan, done.schedule)
    source = dataclasses.replace(book.input, problem=problem)
    write = partial(write_plan, output, source, book.plan, checks, done.schedule)
    calendars = write_with_calendars(write, problem, done.schedule, job.ics_dir)
    return Dated(output, done.schedule, done.waivers, calendars)


def with_horizon(problem: Problem, start: dt.date | None, end: dt.date | None) -> Problem:
    """Return ``problem`` with ``start``/``end`` as its schedule_from/schedule_to."""
    settings = problem.settings
    if start is not None:
        settings = dataclasses.replace(settings, schedule_from=start)
    if end is not None:
        settings = dataclasses.replace(settings, schedule_to=end)
    return dataclasses.replace(problem, settings=settings)
