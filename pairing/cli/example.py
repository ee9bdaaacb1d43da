"""``pairing example``: write a ready-made example input workbook."""

from __future__ import annotations

from pathlib import Path

import click

from pairing.examples import DEFAULT_SEED, EXAMPLES


@click.command("example")
@click.argument("name", type=click.Choice(sorted(EXAMPLES)))
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--seed",
    type=int,
    default=DEFAULT_SEED,
    show_default=True,
    help="Seed of the generator; the same seed always gives the same workbook data.",
)
def example(name: str, out: Path, seed: int) -> None:
    """生成示例输入工作簿 / Write the example NAME (e.g. gaozhou) to OUT.

    The Gaozhou example is a synthetic county of 108 units and 54 key villages, feasible by
    construction. An existing OUT is replaced atomically. Try ``pairing check OUT`` next.
    """
    written = EXAMPLES[name](out, seed)
    click.echo(
        f"已写出示例 wrote example {name}: {out} ({len(written.units)} 单位 units, "
        f"{len(written.villages)} 村 villages, seed {seed})"
    )


COMMANDS = [example]
