"""``pairing solve IN --partition-by 县``: the partitioned solve behind ``pairing solve``.

Each part (a county, or a connected component with ``auto``) is solved on its own, on a Dask
cluster or a local process pool, and the plans are merged into one plan workbook. Progress
(one line per finished part) goes to stderr, the result to stdout.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from pairing.cli import render
from pairing.cli.console import echo
from pairing.province import AUTO, Cluster, PartitionedRun, PartResult, PartSettings, dask_installed
from pairing.province.engine import peak_mb
from pairing.province.job import PartitionedJob, solve_and_write

if TYPE_CHECKING:
    from pairing.cli.solve import SolveArgs


class PartLine:
    """One stderr line per finished part: count, name, size, status, objective, gap, time."""

    def __init__(self, quiet: bool, total: int) -> None:
        self.quiet = quiet
        self.total = total
        self.finished = 0

    def __call__(self, result: PartResult) -> None:
        """Print the line of one finished part (nothing when quiet)."""
        self.finished += 1
        if self.quiet:
            return
        head = f"  [{self.finished}/{self.total}] {result.key}: {result.villages} 村 villages"
        if result.plan is None:
            echo(f"{head}  无方案 no plan ({result.solve_seconds:.1f}s)", err=True)
            return
        facts = result.plan.facts
        proof = "proven" if facts.proven else f"gap {facts.gap:.2%}"
        echo(
            f"{head}  {facts.status} {facts.objective:.2f} ({proof})  "
            f"{result.solve_seconds:.1f}s  {result.peak_mb:.0f} MB",
            err=True,
        )


def check_engine(scheduler: str | None) -> None:
    """Refuse ``--scheduler`` when Dask is not installed (a usage error, exit 2)."""
    if scheduler is not None and not dask_installed():
        raise click.UsageError(
            "--scheduler 需要 Dask：pip install 'pairing[province]' / --scheduler needs Dask: "
            "pip install 'pairing[province]'"
        )


def solve_by_parts(args: SolveArgs) -> None:
    """``solve --partition-by``: run the province's job, report the merged plan."""
    check_engine(args.scheduler)
    settings = PartSettings(
        time_limit_s=args.time_limit,
        seconds_per_village=args.time_per_village,
        gap=args.gap,
        schedule=args.with_schedule or args.ics_dir is not None,
        schedule_time_limit_s=args.time_limit,
    )
    cluster = Cluster(workers=args.workers, scheduler=args.scheduler)
    job = PartitionedJob(
        args.workbook,
        args.output,
        args.partition_by or AUTO,
        settings,
        cluster,
        args.ics_dir,
        progress=lambda total: PartLine(args.quiet, total),
        baseline=args.baseline,
    )
    run = solve_and_write(job, render.Stderr(args.quiet))
    if args.as_json:
        render.as_json(_json(run, args.output))
    else:
        _report(run, args.output)


def _json(run: PartitionedRun, output: Path) -> dict[str, object]:
    """Return the run's facts as a JSON object (as ``pairing solve --json``, plus parts)."""
    return render.plan_json(run.plan, output) | {
        "partition_by": run.by,
        "engine": run.engine,
        "seconds": run.seconds,
        "coordinator_peak_mb": peak_mb(),
        "parts": [_part_json(result) for result in run.results],
        "pairs": render.pairs_json(run.plan),
    }


def _part_json(result: PartResult) -> dict[str, object]:
    """Return one part's facts as a JSON object."""
    facts = result.plan.facts if result.plan is not None else None
    return {
        "part": result.key,
        "villages": result.villages,
        "units": result.units,
        "status": facts.status if facts else None,
        "objective": facts.objective if facts else None,
        "bound": facts.bound if facts else None,
        "gap": facts.gap if facts else None,
        "proven": facts.proven if facts else False,
        "seconds": result.solve_seconds,
        "cpu_seconds": result.cpu_seconds,
        "schedule_seconds": result.schedule_seconds,
        "peak_mb": result.peak_mb,
        "worker": result.worker,
        "timings": dict(result.timings),
    }


def _report(run: PartitionedRun, output: Path) -> None:
    """Print the merged plan's summary lines on stdout."""
    plan, facts = run.plan, run.plan.facts
    proven = sum(r.plan is not None and r.plan.facts.proven for r in run.results)
    echo(
        f"✓ {len(plan.pairs)} 对结对 pairs → {output}  ({len(run.results)} 个分区 parts by "
        f"{run.by}, {proven} proven)"
    )
    echo(render.proof_line(facts, f"{run.seconds:.1f}s on {run.engine}"))
    echo(render.kpi_line(plan))
    if (line := render.baseline_line(plan)) is not None:
        echo(line)
    if run.schedule is not None:
        echo(render.schedule_line(run.schedule))
