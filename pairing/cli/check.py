"""``pairing check``: read, validate and summarise an input workbook."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from pairing.cli.console import echo
from pairing.io.reader import read_input
from pairing.io.scenarios import read_scenarios
from pairing.solve.overview import overview


@click.command("check")
@click.argument("workbook", type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def check(workbook: Path, as_json: bool) -> None:
    """校验输入工作簿并给出概况 / Validate WORKBOOK and summarise what it asks for.

    Exit 0 when valid, 3 with every problem listed (sheet, row, column) when not.
    """
    read = read_input(workbook)
    scenarios = read_scenarios(workbook)  # 方案对比 (pairing sweep): exit 3 on a bad row
    summary = overview(read.problem)
    for line in summary.warnings():  # valid input that silently changes the plan: stderr
        echo(line, err=True)
    if as_json:
        click.echo(json.dumps(asdict(summary), ensure_ascii=False, indent=2))
        return
    echo(f"✓ {workbook.name} 有效 is valid")
    for line in summary.lines():
        echo(line)
    if scenarios:
        echo(f"方案对比 scenarios: {len(scenarios)} 个方案 (pairing sweep)")
    if read.defaulted:
        echo("使用默认值的工作表 sheets left to defaults: " + ", ".join(read.defaulted))


COMMANDS = [check]
