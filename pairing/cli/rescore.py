"""``pairing rescore``: re-cost a plan whose 结对方案 a planner edited by hand."""

from __future__ import annotations

from pathlib import Path

import click

from pairing.app.rescore import RescoreJob, rescore_job
from pairing.cli.console import echo
from pairing.cli.render import kpi_line, say


@click.command("rescore")
@click.argument("edited", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Plan workbook to write (default: EDITED's name with -rescored, beside it).",
)
@click.option(
    "--input",
    "input_path",
    type=click.Path(exists=True, path_type=Path),
    help="Judge the pairs on this input workbook (or CSV folder) instead of the plan's copies.",
)
def rescore_command(edited: Path, output: Path | None, input_path: Path | None) -> None:
    """重新计分 / Re-cost the pairs of a hand-edited plan and write a fresh, verifiable plan.

    Reads only 村编号 and 单位编号 of each 结对方案 row (the other cells may be stale), checks
    every hard rule (exit 5 naming the rule, row and ids), recomputes every term and states
    the edit's price against the original plan's objective. Exit 3 for an unknown or blank id.
    """
    done = rescore_job(RescoreJob(edited, output, input_path))
    facts = done.plan.facts
    echo(f"✓ {len(done.plan.pairs)} 对结对 pairs → {done.output}")
    echo(
        f"  目标 objective {facts.objective:.2f}  手工调整 hand edited, 未证明 not proven  "
        f"({facts.seconds:.1f}s)"
    )
    echo(kpi_line(done.plan))
    echo(done.price.line())
    if done.dropped_schedule:
        say(
            "注意：原方案的活动日程已过时，未写入新方案；请用 pairing schedule 重排 / note: the "
            "edited plan's schedule is stale and was not carried over; run pairing schedule"
        )


COMMANDS = [rescore_command]
