"""``pairing cover``: the 1+1+N 包户 cover, micro-grids and roster of a plan."""

from __future__ import annotations

from pathlib import Path

import click

from pairing.app.cover import CoverJob, cover_job
from pairing.cli.console import echo
from pairing.cli.province import check_engine
from pairing.province import Cluster
from pairing.province.cover import cover_engine

PATH = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command("cover")
@click.argument("plan", type=PATH)
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("cover.xlsx"))
@click.option("--input", "input_path", type=click.Path(exists=True, path_type=Path))
@click.option("--baseline", type=PATH, help="上一轮包户工作簿（C13 包户延续）/ previous cover.")
@click.option("--workers", type=click.IntRange(min=1), help="分片并行进程数 / worker processes.")
@click.option("--scheduler", help="Dask 调度器 tcp://HOST:8786 / a running Dask scheduler.")
def cover_command(
    plan: Path,
    output: Path,
    input_path: Path | None,
    baseline: Path | None,
    workers: int | None,
    scheduler: str | None,
) -> None:
    """包户与网格 / Cover every paired village of PLAN: 1+1 teams, 包户, grids and roster."""
    check_engine(scheduler)
    job = CoverJob(plan, output, input_path, baseline)
    parallel = workers is not None or scheduler is not None
    engine = cover_engine(Cluster(workers, scheduler)) if parallel else None
    cover = cover_job(job, engine) if engine else cover_job(job)
    households = sum(len(v.households) for v in cover.villages)
    teams = sum(len(v.teams) for v in cover.villages)
    echo(
        f"包户 {households} 户，结对小组 {teams} 个，网格 {len(cover.grids)} 个，"
        f"软规则 {cover.points:.2f} 分（给定小组下最优）→ {output} / {households} households, "
        f"{teams} teams, {len(cover.grids)} grids, {cover.points:.2f} points"
    )


COMMANDS = (cover_command,)
