"""``pairing schedule``: date the recurring duties (五个一) of every pair of a plan."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from pairing.app.schedule import Dated, ScheduleJob, schedule_job
from pairing.cli.console import echo
from pairing.cli.interrupt import graceful_stop
from pairing.cli.render import Stderr, as_json, visit_days

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
def schedule_command(**given: Any) -> None:
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
    args = ScheduleArgs(**given)
    _report(schedule_job(args.job(), Stderr()), args.ics_dir, args.as_json)


@dataclass(frozen=True, slots=True)
class ScheduleArgs:
    """The command line of ``pairing schedule``, as click parsed it (see the options)."""

    plan: Path
    output: Path | None
    ics_dir: Path | None
    start: dt.datetime | None
    end: dt.datetime | None
    strict_calendar: bool
    time_limit: float | None
    workers: int | None
    as_json: bool

    def job(self) -> ScheduleJob:
        """The schedule job these options ask for; Ctrl-C stops its search."""
        return ScheduleJob(
            self.plan,
            self.output,
            self.ics_dir,
            start=self.start.date() if self.start else None,
            end=self.end.date() if self.end else None,
            strict_calendar=self.strict_calendar,
            time_limit_s=self.time_limit,
            workers=self.workers,
            arm=lambda: graceful_stop(STOPPING).event,
        )


def _report(dated: Dated, ics_dir: Path | None, json_out: bool) -> None:
    """Print what the schedule wrote: JSON, or two lines (three with calendars)."""
    schedule, output, calendars = dated.schedule, dated.output, dated.calendars
    events = schedule.events
    visits = visit_days(schedule)
    facts = schedule.facts
    if json_out:
        as_json(
            {
                "output": str(output),
                "start": schedule.start.isoformat(),
                "end": schedule.end.isoformat(),
                "events": len(events),
                "visit_days": visits,
                "provisional_years": list(schedule.provisional_years),
                "calendars": calendars,
                "facts": dataclasses.asdict(facts),
            }
        )
        return
    proof = (
        "已证明最优 proven optimal" if facts.proven else f"未证明 not proven (gap {facts.gap:.2%})"
    )
    if facts.interrupted:
        proof = "已中断 interrupted, " + proof
    echo(f"✓ {len(events)} 项活动 events, {visits} 个走访日 visit days → {output}")
    echo(
        f"  {schedule.start} ~ {schedule.end}  目标 objective {facts.objective:.1f}  {proof}  "
        f"({facts.seconds:.1f}s)"
    )
    if ics_dir is not None:
        echo(f"  {calendars} 个日历文件 .ics files → {ics_dir}")


COMMANDS = [schedule_command]
