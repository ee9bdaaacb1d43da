"""``pairing template``: write a blank input workbook to fill in."""

from __future__ import annotations

from pathlib import Path

import click

from pairing.cli.console import echo
from pairing.io.rulemodel import DEFAULT_MODEL, available_models
from pairing.io.template import write_template


@click.command("template")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--model",
    "model_name",
    type=click.Choice(available_models()),
    default=DEFAULT_MODEL,
    show_default=True,
    help="Rule model in models/ that pre-fills the obligations and settings.",
)
def template(out: Path, model_name: str) -> None:
    """生成空白输入工作簿 / Write a blank input workbook to OUT.

    Every input sheet with annotated headers and dropdowns, a 说明 README sheet, and the
    obligations and settings of the rule model. An existing OUT is replaced atomically.
    Check the filled workbook with ``pairing check OUT``.
    """
    write_template(out, model_name)
    echo(f"已写出模板 wrote template: {out} (规则模型 rule model {model_name})")


COMMANDS = [template]
