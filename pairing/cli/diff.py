"""``pairing diff``: what changed between two plans of one county."""

from __future__ import annotations

from pathlib import Path

import click

from pairing.app.diff import DiffJob, diff_job
from pairing.cli.console import echo
from pairing.cli.render import as_json
from pairing.cli.render_diff import render_diff
from pairing.compare import diff_json

PLAN = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command("diff")
@click.argument("plan_a", type=PLAN)
@click.argument("plan_b", type=PLAN)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Diff workbook to write.")
@click.option("--json", "json_out", is_flag=True, help="Print the difference as JSON.")
def diff_command(plan_a: Path, plan_b: Path, output: Path | None, json_out: bool) -> None:
    """方案对比差异 / Show what changed from plan PLAN_A to plan PLAN_B.

    Pairs added and removed, units moved, villages whose units changed, KPI and per-rule
    point deltas (B − A), and what differs in their inputs (settings, rows of each input
    sheet). A plan edited by hand after it was written is compared by the pairs it now holds,
    and said so. Exit 0 when it ran, differences or not; 3 for a file that is not a plan
    workbook, or two plans with no village in common.
    """
    diff = diff_job(DiffJob(plan_a, plan_b, output))
    if json_out:
        as_json({**diff_json(diff), "output": str(output) if output else None})
        return
    render_diff(diff)
    if output is not None:
        echo(f"\n✓ 差异工作簿 diff workbook → {output}")


COMMANDS = [diff_command]
