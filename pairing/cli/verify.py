"""``pairing verify``: judge a plan or a cover workbook from its data alone, without the solver."""

from __future__ import annotations

import json
from pathlib import Path

import click

from pairing.cli.console import echo
from pairing.verify import render, verify_plan
from pairing.verify.cover import is_cover, verify_cover
from pairing.verify.report import as_json

EXIT_VIOLATIONS = 5


@click.command("verify")
@click.argument("plan", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--input",
    "input_path",
    type=click.Path(path_type=Path),
    help="The input workbook (or CSV folder) the plan was made from: also checks its SHA-256 "
    "and that the plan's input copies were not edited.",
)
@click.option("--json", "json_out", is_flag=True, help="Print the report as JSON on stdout.")
def verify_command(plan: Path, input_path: Path | None, json_out: bool) -> None:
    """校验方案 / Re-derive every rule of PLAN from its data and report what breaks.

    Hard rules P01-P05 (and the hard variants set in 参数), every soft term P10-P17
    recomputed against the plan's own figures, integrity, and S01-S05/S07 on the 活动日程
    sheet when present; a cover workbook (pairing cover): C01-C05, C10-C14 and G01-G06. Exit 0
    when clean, 5 on any violation or mismatch, 3 when a file cannot be read.
    """
    judge = verify_cover if is_cover(plan) else verify_plan
    report = judge(plan, input_path)
    if json_out:
        click.echo(json.dumps(as_json(report), ensure_ascii=False, indent=1))
    else:
        echo(render(report))
    if not report.valid:
        raise click.exceptions.Exit(EXIT_VIOLATIONS)


COMMANDS = [verify_command]
