"""``pairing schedule``: date the recurring duties (五个一) of every pair of a plan."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
from pathlib import Path

import click

from pairing.cli.interrupt import graceful_stop
from pairing.cpsat.stopping import StopFlag
from pairing.domain.model import Problem
from pairing.domain.plan import Plan, Schedule
from pairing.io.ics import staged_calendars
from pairing.io.output import refuse_overwrite_input
from pairing.io.planbook import read_plan, write_plan
from pairing.schedule import make_schedule, prepare
from pairing.schedule.checks import schedule_checks
from pairing.solve.checks import hard_checks

DATE = click.DateTime(formats=["%Y-%m-%d"])
STOPPING = (
    "已收到中断信号：正在停止排程；已排定的日程完整时照常写出，再按一次 Ctrl-C 立即退出 / "
    "interrupt received: stopping the schedule, which is written if every group already has "
    "its days; press Ctrl-C again to quit at once"
)


@click.command("schedule")
@click.argument("plan", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Plan workbook with the schedule sheets (default: PLAN_schedule.xlsx beside PLAN).",
)
@click.option(
    "--ics",
    "ics_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for one .ics calendar per unit and per village.",
)
@click.option("--from", "start", type=DATE, help="First day (default: schedule_from or Jan 1).")
@click.option("--to", "end", type=DATE, help="Last day (default: schedule_to or Dec 31).")
@click.option(
    "--strict-calendar",
    is_flag=True,
    help="Refuse years whose official holiday calendar is not known yet (no provisional dates).",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0.1),
    help="Seconds for the whole schedule (default: the workbook's time_limit_s).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Processes solving independent groups (default: the workbook's workers); the result "
    "does not depend on it.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the schedule's facts as JSON.")
def schedule_command(
    plan: Path,
    output: Path | None,
    ics_dir: Path | None,
    start: dt.datetime | None,
    end: dt.datetime | None,
    strict_calendar: bool,
    time_limit: float | None,
    workers: int | None,
    as_json: bool,
) -> None:
    """排活动日程 / Schedule the duties of every pair of PLAN (a plan workbook).

    Writes the plan workbook again with the 活动日程 schedule, a month-grid calendar per town
    and a per-unit summary; with --ics, one calendar file per unit and per village. A year
    whose official holidays are not published yet is scheduled on provisional dates (a
    warning on stderr) unless --strict-calendar. Exit 3 for invalid input, 4 when a period
    cannot be filled (the obligation, period, pair and blackout rows are named).

    Ctrl-C (or SIGTERM) stops the search: a schedule whose every group has its days by then
    is written, marked interrupted; otherwise nothing is written. Either way the exit code
    is 130. The workbook and the calendars are written all or nothing.
    """
    output = output or plan.with_name(f"{plan.stem}_schedule.xlsx")
    refuse_overwrite_input(output, plan)
    book = read_plan(plan)
    problem = _with_horizon(book.input.problem, start, end)
    stop = graceful_stop(STOPPING)
    schedule, checks = schedule_plan(
        problem, book.plan, strict_calendar, time_limit, workers, stop.event
    )
    source = dataclasses.replace(book.input, problem=problem)
    with contextlib.ExitStack() as calendars:
        paths = (
            calendars.enter_context(staged_calendars(ics_dir, problem, schedule))
            if ics_dir is not None
            else []
        )
        write_plan(output, source, book.plan, checks, schedule)
    _report(schedule, output, len(paths), ics_dir, as_json)


def schedule_plan(
    problem: Problem,
    plan: Plan,
    strict_calendar: bool = False,
    time_limit: float | None = None,
    workers: int | None = None,
    stop: StopFlag | None = None,
) -> tuple[Schedule, list[tuple[str, str, str]]]:
    """Schedule a plan's pairs, telling stderr about waivers and provisional years.

    Returns the schedule and the checks rows (pairing rules, then S-rules) for the workbook.
    ``stop`` is the command's Ctrl-C flag (:class:`~pairing.schedule.ScheduleInterrupted`
    when it stops the schedule before every group has its days).
    """
    pairs = [(pair.unit_id, pair.village_id) for pair in plan.pairs]
    ready = prepare(problem, pairs, strict_calendar=strict_calendar)
    for waiver in ready.waivers:
        click.echo(f"注意 note: {waiver.zh()} / {waiver.en()}", err=True)
    _warn_provisional(ready.provisional_years)
    schedule = make_schedule(
        problem,
        pairs,
        strict_calendar=strict_calendar,
        time_limit_s=time_limit,
        workers=workers or problem.settings.workers,
        stop=stop,
    )
    return schedule, hard_checks(problem, plan) + schedule_checks(problem, pairs, schedule)


def _with_horizon(problem: Problem, start: dt.datetime | None, end: dt.datetime | None) -> Problem:
    """Return ``problem`` with ``--from``/``--to`` as its schedule_from/schedule_to."""
    settings = problem.settings
    if start is not None:
        settings = dataclasses.replace(settings, schedule_from=start.date())
    if end is not None:
        settings = dataclasses.replace(settings, schedule_to=end.date())
    return dataclasses.replace(problem, settings=settings)


def _warn_provisional(years: tuple[int, ...]) -> None:
    if not years:
        return
    listed = "、".join(map(str, years))
    click.echo(
        f"警告：{listed} 年的官方节假日安排尚未公布，日程按规则推算，日期均标为「暂定」，"
        "通知发布后请重排 / warning: the official holidays of "
        f"{', '.join(map(str, years))} are not published yet; dates follow the rule-based "
        "calendar, are flagged provisional and should be re-planned when the notice is out",
        err=True,
    )


def _report(
    schedule: Schedule, output: Path, calendars: int, ics_dir: Path | None, as_json: bool
) -> None:
    events = schedule.events
    visits = len({(e.unit_id, e.village_id, e.date) for e in events})
    facts = schedule.facts
    if as_json:
        click.echo(
            json.dumps(
                {
                    "output": str(output),
                    "start": schedule.start.isoformat(),
                    "end": schedule.end.isoformat(),
                    "events": len(events),
                    "visit_days": visits,
                    "provisional_years": list(schedule.provisional_years),
                    "calendars": calendars,
                    "facts": dataclasses.asdict(facts),
                },
                ensure_ascii=False,
            )
        )
        return
    proof = (
        "已证明最优 proven optimal" if facts.proven else f"未证明 not proven (gap {facts.gap:.2%})"
    )
    if facts.interrupted:
        proof = "已中断 interrupted, " + proof
    click.echo(f"✓ {len(events)} 项活动 events, {visits} 个走访日 visit days → {output}")
    click.echo(
        f"  {schedule.start} ~ {schedule.end}  目标 objective {facts.objective:.1f}  {proof}  "
        f"({facts.seconds:.1f}s)"
    )
    if ics_dir is not None:
        click.echo(f"  {calendars} 个日历文件 .ics files → {ics_dir}")


COMMANDS = [schedule_command]
