"""``pairing cover``: the 1+1+N 包户 cover, micro-grids and roster of a plan."""

from __future__ import annotations

from pathlib import Path

import click

from pairing.app.cover import CoverJob, cover_job
from pairing.cli.console import echo


@click.command("cover")
@click.argument("plan", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("cover.xlsx"))
@click.option("--input", "input_path", type=click.Path(exists=True, path_type=Path))
def cover_command(plan: Path, output: Path, input_path: Path | None) -> None:
    """包户与网格 / Cover every paired village of PLAN: 1+1 teams, 包户, grids and roster."""
    cover = cover_job(CoverJob(plan, output, input_path))
    households = sum(len(v.households) for v in cover.villages)
    teams = sum(len(v.teams) for v in cover.villages)
    echo(
        f"包户 {households} 户，结对小组 {teams} 个，网格 {len(cover.grids)} 个，"
        f"软规则 {cover.points:.2f} 分（给定小组下最优）→ {output} / {households} households, "
        f"{teams} teams, {len(cover.grids)} grids, {cover.points:.2f} points"
    )


COMMANDS = (cover_command,)
