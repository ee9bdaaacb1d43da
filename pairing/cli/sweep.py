"""``pairing sweep``: one county solved under several settings, compared in one workbook."""

from __future__ import annotations

from pathlib import Path

import click

from pairing.cli.console import echo
from pairing.cli.province import PartLine, check_engine
from pairing.cli.render import as_json
from pairing.province import Cluster, PartSettings
from pairing.province.sweep import KPI_SENSE, SweepJob, Swept, sweep_job

KPIS = click.Choice(sorted(KPI_SENSE))


@click.command("sweep")
@click.argument("workbook", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="KEY=v1,v2",
    help="参数 key and values "
    "to sweep (repeat: the cartesian product); crossed with the 方案对比 sheet's rows.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=Path("sweep.xlsx"),
    show_default=True,
    help="Sweep workbook to write.",
)
@click.option("--json", "json_out", is_flag=True, help="Print the scenarios as JSON.")
@click.option("--workers", type=click.IntRange(min=1), help="Worker processes (default: cores).")
@click.option("--scheduler", metavar="tcp://HOST:8786", help="A running Dask scheduler.")
@click.option("--time-limit", type=click.FloatRange(min=0.1), help="Seconds per scenario.")
@click.option("--gap", type=click.FloatRange(min=0.0, max=1.0), default=0.0, show_default=True)
@click.option("--x", "x_kpi", type=KPIS, default="mean_km", show_default=True, help="Chart x.")
@click.option("--y", "y_kpi", type=KPIS, default="needs_covered_pct", show_default=True)
@click.option("-q", "--quiet", is_flag=True, help="No progress lines.")
def sweep_command(
    workbook: Path,
    sets: tuple[str, ...],
    output: Path,
    json_out: bool,
    workers: int | None,
    scheduler: str | None,
    time_limit: float | None,
    gap: float,
    x_kpi: str,
    y_kpi: str,
    quiet: bool,
) -> None:
    """方案对比 / Solve WORKBOOK under several settings and compare the plans.

    Scenarios: each combination of --set values, each 方案对比 row, or each row crossed
    with each combination; each solved as `pairing solve` would. Exit 3: a bad key or value.
    """
    check_engine(scheduler)
    job = SweepJob(
        workbook,
        output,
        sets,
        PartSettings(time_limit_s=time_limit, gap=gap),
        Cluster(workers=workers, scheduler=scheduler),
        x_kpi,
        y_kpi,
        progress=lambda total: PartLine(quiet, total),
    )
    _report(sweep_job(job), json_out)


def _report(swept: Swept, json_out: bool) -> None:
    """JSON (scenarios with settings and objective) or one line per scenario."""
    if json_out:
        as_json(
            {
                "output": str(swept.output),
                "engine": swept.engine,
                "scenarios": [
                    {
                        "name": r.name,
                        "settings": r.settings,
                        "status": r.plan.facts.status if r.plan else None,
                        "objective": r.plan.facts.objective if r.plan else None,
                        "proven": r.plan.facts.proven if r.plan else False,
                        "kpis": dict(r.plan.kpis) if r.plan else {},
                        "changed": r.changed,
                        "non_dominated": r.front,
                        "pairs": [[p.village_id, p.unit_id] for p in r.plan.pairs]
                        if r.plan
                        else [],
                    }
                    for r in swept.rows
                ],
            }
        )
        return
    echo(f"✓ {len(swept.rows)} 个方案 scenarios → {swept.output}  ({swept.engine})")
    for r in swept.rows:
        if r.plan is None:
            echo(f"  {r.name}: 无方案 no plan  {r.note.split('; ')[0]}…")
            continue
        k, front = r.plan.kpis, "  ★非劣 non-dominated" if r.front else ""
        echo(
            f"  {r.name}: {r.plan.facts.status} {r.plan.facts.objective:.2f}  "
            f"需求覆盖 {k['needs_covered_pct']}%  平均 {k['mean_km']} km  "
            f"变动 changed {r.changed}{front}"
        )


COMMANDS = [sweep_command]
