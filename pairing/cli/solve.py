"""``pairing solve`` and ``pairing explain``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from pairing.app.explain import ExplainJob, explain_job
from pairing.app.solve import Solved, SolveJob, solve_job
from pairing.cli.console import echo
from pairing.cli.interrupt import graceful_stop
from pairing.cli.province import solve_by_parts
from pairing.cli.render import (
    LiveLine,
    Stderr,
    as_json,
    baseline_line,
    kpi_line,
    pairs_json,
    plan_json,
    proof_line,
    schedule_line,
)
from pairing.cli.render_explain import explanation_lines
from pairing.io.output import refuse_overwrite_input


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
@click.option(
    "--baseline",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The last round's plan workbook: keep as many of its pairs as the rules allow (P18; "
    "单位变更 maps merged and renamed units).",
)
def solve_command(**given: Any) -> None:
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
    args = SolveArgs(**given)
    refuse_overwrite_input(args.output, args.workbook)  # before the usage errors, as ever
    if args.partition_by is not None:
        solve_by_parts(args)
        return
    if args.scheduler is not None or args.time_per_village is not None:
        raise click.UsageError("--scheduler and --time-per-village need --partition-by")
    _report(solve_job(args.job(), Stderr(args.quiet)), args.as_json)


@dataclass(frozen=True, slots=True)
class SolveArgs:
    """The command line of ``pairing solve``, as click parsed it (see the options)."""

    workbook: Path
    output: Path
    time_limit: float | None
    workers: int | None
    as_json: bool
    quiet: bool
    with_schedule: bool
    ics_dir: Path | None
    gap: float
    partition_by: str | None
    scheduler: str | None
    time_per_village: float | None
    baseline: Path | None

    def job(self) -> SolveJob:
        """The solve job these options ask for (one county); Ctrl-C stops its search."""
        return SolveJob(
            self.workbook,
            self.output,
            time_limit_s=self.time_limit,
            workers=self.workers,
            gap=self.gap,
            schedule=self.with_schedule,
            ics_dir=self.ics_dir,
            baseline=self.baseline,
            progress=LiveLine(self.quiet),
            arm=lambda: graceful_stop().event,
        )


def _report(solved: Solved, json_out: bool) -> None:
    """Print what the solve wrote: JSON, or three lines (four with a schedule)."""
    plan, facts = solved.plan, solved.plan.facts
    if json_out:
        extra = {"timings": solved.timings, "pairs": pairs_json(plan)}
        as_json(plan_json(plan, solved.output) | extra)
        return
    echo(f"✓ {len(plan.pairs)} 对结对 pairs → {solved.output}")
    echo(proof_line(facts, f"{facts.seconds:.1f}s"))
    echo(kpi_line(plan))
    if (line := baseline_line(plan)) is not None:
        echo(line)
    if facts.restricted:
        echo("  下界针对候选受限的图 / the bound holds for the restricted candidate graph")
    if solved.schedule is not None:
        echo(schedule_line(solved.schedule))


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
    job = ExplainJob(plan_path, village_id, unit_id, alternatives, time_limit)
    for line in explanation_lines(explain_job(job)):
        echo(line)


COMMANDS = [solve_command, explain_command]
