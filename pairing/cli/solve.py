"""``pairing solve`` and ``pairing explain``."""

from __future__ import annotations

import json
import math
from dataclasses import asdict
from pathlib import Path

import click

from pairing.cli.interrupt import GracefulStop, Interrupted, graceful_stop
from pairing.cli.proof import bound_text, proof_text, warn_missed_gap
from pairing.cli.province import solve_by_parts
from pairing.cli.schedule import schedule_plan
from pairing.domain.model import Problem
from pairing.domain.plan import Plan, Schedule
from pairing.io.ics import staged_calendars
from pairing.io.output import refuse_overwrite_input
from pairing.io.planbook import read_plan, write_plan
from pairing.io.reader import Input, read_input
from pairing.province import Cluster, PartSettings
from pairing.schedule import ScheduleInterrupted
from pairing.solve.checks import hard_checks
from pairing.solve.diagnose import NoPlanInTime
from pairing.solve.explain import explain_unit, explain_village
from pairing.solve.optimize import SolveOptions, Timings, solve


class LiveLine:
    """A progress line on stderr: elapsed, best objective, bound, gap."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet

    def __call__(self, elapsed: float, best: float | None, bound: float) -> None:
        """Print one progress update (nothing when quiet)."""
        if self.quiet:
            return
        if best is None:
            click.echo(f"\r  {elapsed:6.1f}s  searching…", err=True, nl=False)
            return
        gap = abs(best - bound) / max(1.0, abs(best)) if math.isfinite(bound) else float("nan")
        click.echo(
            f"\r  {elapsed:6.1f}s  best {best:10.2f}  bound {bound:10.2f}  gap {gap:6.2%}",
            err=True,
            nl=False,
        )


@click.command("solve")
@click.argument("workbook", type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=Path("plan.xlsx"),
    show_default=True,
    help="Plan workbook to write.",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0.1),
    help="Seconds for the whole solve, candidate graph included (default: the workbook's "
    "time_limit_s).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Search threads; more than 1 is not reproducible. With --partition-by: local worker "
    "processes (default: the cores), one search thread per part.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the plan's facts as JSON on stdout.")
@click.option("-q", "--quiet", is_flag=True, help="No progress line.")
@click.option(
    "--schedule",
    "with_schedule",
    is_flag=True,
    help="Also schedule the duties (as `pairing schedule`).",
)
@click.option(
    "--ics",
    "ics_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Schedule too, and write one .ics per unit and per village into this folder.",
)
@click.option(
    "--gap",
    type=click.FloatRange(min=0.0, max=1.0),
    default=0.0,
    show_default=True,
    help="Relative gap at which the search may stop (0: prove optimality); per part when "
    "partitioned.",
)
@click.option(
    "--partition-by",
    "partition_by",
    metavar="COLUMN|auto",
    help="Solve each part on its own and merge: by a column present on both the units and "
    "the villages sheets (e.g. 县), or 'auto' (connected components of the candidate graph). "
    "--time-limit is then per part.",
)
@click.option(
    "--scheduler",
    metavar="tcp://HOST:8786",
    help="With --partition-by: send the parts to this running Dask scheduler (default: a local "
    "cluster of --workers processes).",
)
@click.option(
    "--time-per-village",
    type=click.FloatRange(min=0.0, min_open=True),
    help="With --partition-by: give each part this many seconds per village (at least 2 s, "
    "at most --time-limit).",
)
def solve_command(
    workbook: Path,
    output: Path,
    time_limit: float | None,
    workers: int | None,
    as_json: bool,
    quiet: bool,
    with_schedule: bool,
    ics_dir: Path | None,
    gap: float,
    partition_by: str | None,
    scheduler: str | None,
    time_per_village: float | None,
) -> None:
    """求解结对方案 / Pair units with villages and write the plan workbook.

    Ctrl-C (or SIGTERM) stops the search and writes the best plan found, marked interrupted
    and not proven, then exits 130 (130 too when no plan was found yet: nothing is written);
    a second Ctrl-C quits at once, writing nothing. A schedule (--schedule, --ics) that
    Ctrl-C stops before every group has its days is left out: the plan is written alone.
    Exit 3 for invalid input, 4 when no plan satisfies the hard rules.

    With --partition-by, each part (a county, a component) is solved on its own, on Dask
    when installed (else a process pool), and one plan workbook is written with a 分区 parts
    sheet; Ctrl-C then stops the run without writing a plan.
    """
    refuse_overwrite_input(output, workbook)
    if partition_by is None and (scheduler is not None or time_per_village is not None):
        raise click.UsageError("--scheduler and --time-per-village need --partition-by")
    source = read_input(workbook)
    if partition_by is not None:
        settings = PartSettings(
            time_limit_s=time_limit,
            seconds_per_village=time_per_village,
            gap=gap,
            schedule=with_schedule or ics_dir is not None,
            schedule_time_limit_s=time_limit,
        )
        cluster = Cluster(workers=workers, scheduler=scheduler)
        solve_by_parts(source, output, partition_by, settings, cluster, quiet, as_json, ics_dir)
        return
    if workers and workers > 1:
        click.echo(
            f"注意：{workers} 个线程的结果不保证可复现 / note: {workers} workers are not reproducible",
            err=True,
        )
    stop = graceful_stop()
    options = SolveOptions(
        time_limit_s=time_limit,
        workers=workers,
        gap=gap,
        progress=LiveLine(quiet),
        stop=stop.event,
    )
    plan, timings = _search(source.problem, options, stop)
    if not quiet:
        click.echo("", err=True)
    warn_missed_gap(plan.facts, gap)
    checks = hard_checks(source.problem, plan)
    schedule = None
    if with_schedule or ics_dir is not None:
        schedule, checks = _schedule(source.problem, plan, checks, time_limit, workers, stop)
    _write(output, source, plan, checks, schedule, ics_dir)
    facts = plan.facts
    if as_json:
        click.echo(
            json.dumps(
                {
                    "output": str(output),
                    "facts": asdict(facts),
                    "totals": dict(plan.totals),
                    "kpis": dict(plan.kpis),
                    "timings": timings.steps,
                    "pairs": [[p.village_id, p.unit_id] for p in plan.pairs],
                },
                ensure_ascii=False,
            )
        )
        return
    proof = proof_text(facts)
    if facts.interrupted:
        proof = "已中断，保存当前最好方案 interrupted: best plan so far, " + proof
    click.echo(f"✓ {len(plan.pairs)} 对结对 pairs → {output}")
    click.echo(
        f"  目标 objective {facts.objective:.2f}  下界 bound {bound_text(facts)}  {proof}  ({facts.seconds:.1f}s)"
    )
    kpis = plan.kpis
    click.echo(
        f"  需求覆盖 needs covered {kpis['needs_covered_pct']}%  平均路程 mean {kpis['mean_km']} km  "
        f"延续 continued {kpis['continued_pct']}%  最弱村力量 weakest {kpis['weakest_village_strength']}"
    )
    if facts.restricted:
        click.echo("  下界针对候选受限的图 / the bound holds for the restricted candidate graph")
    if schedule is not None:
        visits = len({(e.unit_id, e.village_id, e.date) for e in schedule.events})
        click.echo(
            f"  日程 schedule: {len(schedule.events)} 项活动 events, {visits} 个走访日 visit days"
        )


def _search(problem: Problem, options: SolveOptions, stop: GracefulStop) -> tuple[Plan, Timings]:
    """Solve; a search stopped by Ctrl-C before its first plan has nothing to write (130)."""
    try:
        return solve(problem, options)
    except NoPlanInTime:
        if not stop.requested:
            raise
        raise Interrupted(
            "已中断：尚未找到方案，未写任何文件 / interrupted before any plan was found: "
            "nothing written"
        ) from None


def _schedule(
    problem: Problem,
    plan: Plan,
    checks: list[tuple[str, str, str]],
    time_limit: float | None,
    workers: int | None,
    stop: GracefulStop,
) -> tuple[Schedule | None, list[tuple[str, str, str]]]:
    """The plan's schedule and checks; none when Ctrl-C stopped it first (the plan is kept)."""
    try:
        return schedule_plan(problem, plan, time_limit=time_limit, workers=workers, stop=stop.event)
    except ScheduleInterrupted as error:
        click.echo(f"{error}；方案照常写出 / the plan is written without it", err=True)
        return None, checks


def _write(
    output: Path,
    source: Input,
    plan: Plan,
    checks: list[tuple[str, str, str]],
    schedule: Schedule | None,
    ics_dir: Path | None,
) -> None:
    """Write the plan workbook and (with a schedule) the calendars, all or nothing: every
    calendar is built before the workbook is written and moved into place after it."""
    if schedule is None or ics_dir is None:
        write_plan(output, source, plan, checks, schedule)
        return
    with staged_calendars(ics_dir, source.problem, schedule):
        write_plan(output, source, plan, checks, schedule)


@click.command("explain")
@click.argument("plan_path", metavar="PLAN", type=click.Path(exists=True, path_type=Path))
@click.option("--village", "village_id", help="Village id to explain.")
@click.option("--unit", "unit_id", help="Unit id to explain.")
@click.option("--alternatives", type=click.IntRange(min=0, max=10), default=3, show_default=True)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0.1),
    default=20.0,
    show_default=True,
    help="Seconds per re-solve.",
)
def explain_command(
    plan_path: Path,
    village_id: str | None,
    unit_id: str | None,
    alternatives: int,
    time_limit: float,
) -> None:
    """解释方案 / Why these units for this village (or villages for this unit)?

    Shows each term and the best alternatives, each priced by forcing it and re-solving.
    """
    if (village_id is None) == (unit_id is None):
        raise click.UsageError("give exactly one of --village or --unit")
    book = read_plan(plan_path)
    if village_id is not None:
        lines = explain_village(book, village_id, alternatives, time_limit)
    else:
        lines = explain_unit(book, str(unit_id), alternatives, time_limit)
    for line in lines:
        click.echo(line)


COMMANDS = [solve_command, explain_command]
