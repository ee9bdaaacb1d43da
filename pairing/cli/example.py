"""``pairing example``: write a ready-made example input workbook."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sized
from pathlib import Path
from typing import Protocol

import click

from pairing.cli.console import echo
from pairing.examples import DEFAULT_SEED, EXAMPLES
from pairing.examples import province as province_example
from pairing.examples.round2 import write_second_round


class Written(Protocol):
    """What an example writer returns: the records it wrote."""

    @property
    def units(self) -> Sized:
        """The units written."""

    @property
    def villages(self) -> Sized:
        """The villages written."""


WRITERS: Mapping[str, Callable[[Path, int], Written]] = {
    **EXAMPLES,
    "province": province_example.write_example,
    "gaozhou-round2": write_second_round,
}
FOLDER_OK = frozenset({"province"})  # examples that may be written as a folder of CSV files


@click.command("example")
@click.argument("name", type=click.Choice(sorted(WRITERS)))
@click.argument("out", type=click.Path(path_type=Path))
@click.option(
    "--seed",
    type=int,
    default=DEFAULT_SEED,
    show_default=True,
    help="Seed of the generator; the same seed always gives the same workbook data.",
)
def example(name: str, out: Path, seed: int) -> None:
    """生成示例输入工作簿 / Write the example NAME (gaozhou or province) to OUT.

    The Gaozhou example is a synthetic county of 108 units and 54 key villages, feasible by
    construction; gaozhou-round2 is its second round (a merger, a new village, a complaint),
    to solve with --baseline on the first round's plan. The province example has 122 synthetic counties (about 26,500 villages and
    54,000 units) with a 县 county column for ``pairing solve OUT --partition-by 县``; it is
    written as a folder of CSV files unless OUT ends in .xlsx. An existing OUT is replaced
    atomically. Try ``pairing check OUT`` next.
    """
    if name not in FOLDER_OK and out.is_dir():
        raise click.UsageError(f"OUT '{out}' is a folder; the {name} example is one .xlsx file")
    written = WRITERS[name](out, seed)
    echo(
        f"已写出示例 wrote example {name}: {out} ({len(written.units)} 单位 units, "
        f"{len(written.villages)} 村 villages, seed {seed})"
    )


COMMANDS = [example]
