"""``pairing solve IN --partition-by 县``: the partitioned solve behind ``pairing solve``.

Each part (a county, or a connected component with ``auto``) is solved on its own, on a Dask
cluster or a local process pool, and the plans are merged into one plan workbook. Progress
(one line per finished part) goes to stderr, the result to stdout.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from pathlib import Path

import click

from pairing.cli.proof import bound_text, missed_gap, proof_text, warn_missed_gap
from pairing.io.ics import write_ics
from pairing.io.reader import Input
from pairing.province import (
    Cluster,
    PartitionedRun,
    PartResult,
    PartSettings,
    dask_installed,
    partition,
    write_partitioned_plan,
)
from pairing.province.engine import peak_mb
from pairing.province.run import solve_parts
from pairing.schedule.checks import schedule_checks
from pairing.solve.checks import hard_checks


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
            click.echo(f"{head}  无方案 no plan ({result.solve_seconds:.1f}s)", err=True)
            return
        facts = result.plan.facts
        proof = "proven" if facts.proven else f"gap {facts.gap:.2%}"
        click.echo(
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


def solve_by_parts(
    source: Input,
    output: Path,
    by: str,
    settings: PartSettings,
    cluster: Cluster,
    quiet: bool,
    as_json: bool,
    ics_dir: Path | None,
) -> None:
    """Partition, solve the parts on ``cluster``, write the merged plan and report it.

    Parameters
    ----------
    source
        The read input.
    output
        The plan workbook to write.
    by
        The partition column or ``auto``.
    settings
        Each part's limits, gap and scheduling.
    cluster
        Where the parts run.
    quiet
        No progress lines.
    as_json
        Print the facts as JSON on stdout.
    ics_dir
        Folder for the .ics calendars (with a schedule), or None.
    """
    check_engine(cluster.scheduler)
    if not quiet:
        click.echo(f"分区求解 partitioned solve by {by} on {cluster.describe()}", err=True)
    started = time.perf_counter()
    parts = partition(source, by)
    line = PartLine(quiet, len(parts))
    run = solve_parts(source, parts, by, settings, cluster, line, time.perf_counter() - started)
    missed = sum(r.plan is not None and missed_gap(r.plan.facts, settings.gap) for r in run.results)
    warn_missed_gap(run.plan.facts, settings.gap, missed)
    problem = source.problem
    checks = hard_checks(problem, run.plan)
    if run.schedule is not None:
        pairs = [(pair.unit_id, pair.village_id) for pair in run.plan.pairs]
        checks += schedule_checks(problem, pairs, run.schedule)
        for note in sorted({w for r in run.results for w in r.waivers}):
            click.echo(f"注意 note: {note}", err=True)
        _warn_provisional(run.schedule.provisional_years)
    write_partitioned_plan(output, source, run, checks)
    if run.schedule is not None and ics_dir is not None:
        write_ics(ics_dir, problem, run.schedule)
    if as_json:
        click.echo(json.dumps(_json(run, output), ensure_ascii=False))
    else:
        _report(run, output)


def _warn_provisional(years: tuple[int, ...]) -> None:
    """Warn on stderr that some years' dates are provisional (no official calendar yet)."""
    if years:
        listed = ", ".join(map(str, years))
        click.echo(
            f"警告：{listed} 年的官方节假日尚未公布，日程日期标为「暂定」/ warning: the official "
            f"holidays of {listed} are not published yet; dates are flagged provisional",
            err=True,
        )


def _json(run: PartitionedRun, output: Path) -> dict[str, object]:
    """Return the run's facts as a JSON object (as ``pairing solve --json``, plus parts)."""
    plan = run.plan
    return {
        "output": str(output),
        "facts": asdict(plan.facts),
        "totals": dict(plan.totals),
        "kpis": dict(plan.kpis),
        "partition_by": run.by,
        "engine": run.engine,
        "seconds": run.seconds,
        "coordinator_peak_mb": peak_mb(),
        "parts": [_part_json(result) for result in run.results],
        "pairs": [[p.village_id, p.unit_id] for p in plan.pairs],
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
    proof = proof_text(facts)
    click.echo(
        f"✓ {len(plan.pairs)} 对结对 pairs → {output}  ({len(run.results)} 个分区 parts by "
        f"{run.by}, {proven} proven)"
    )
    click.echo(
        f"  目标 objective {facts.objective:.2f}  下界 bound {bound_text(facts)}  {proof}  "
        f"({run.seconds:.1f}s on {run.engine})"
    )
    kpis = plan.kpis
    click.echo(
        f"  需求覆盖 needs covered {kpis['needs_covered_pct']}%  平均路程 mean {kpis['mean_km']} km  "
        f"延续 continued {kpis['continued_pct']}%  最弱村力量 weakest {kpis['weakest_village_strength']}"
    )
    if run.schedule is not None:
        events = run.schedule.events
        visits = len({(e.unit_id, e.village_id, e.date) for e in events})
        click.echo(f"  日程 schedule: {len(events)} 项活动 events, {visits} 个走访日 visit days")
