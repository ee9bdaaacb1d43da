"""``pairing audit`` (a 工作台账 ledger against a plan) and ``pairing example-ledger``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from pairing.app.audit import AuditJob, audit_job
from pairing.audit import render
from pairing.cli.console import echo
from pairing.domain.cells import CellError, parse_date
from pairing.examples.ledger import write_ledger
from pairing.io.output import refuse_overwrite_input

EXIT_LAGGING = 5


def _as_of(_: click.Context, __: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except CellError as error:
        raise click.BadParameter(error.en) from None


@click.command("audit")
@click.argument("plan", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("ledger", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("audit.xlsx"),
    show_default=True,
    help="Audit workbook to write.",
)
@click.option(
    "--as-of",
    callback=_as_of,
    help="Audit date (2027-06-30): periods ending later are not owed yet. "
    "Default: the last ledger date inside the plan's horizon.",
)
def audit_command(plan: Path, ledger: Path, output: Path, as_of: dt.date | None) -> None:
    """审计工作台账 / Match LEDGER (工作台账) against the obligations of PLAN.

    Each row is matched to its pair, obligation and period (done / late / filed late);
    owed records without a row are missing; rows that match nothing (unknown unit, village
    or activity, a date outside the horizon, an unpaired village, a repeat) are listed with
    their row. Writes compliance by unit, village, obligation and month, the lagging units
    ranked for 提醒约谈, and charts. Exit 0, or 5 when a unit is below lagging_threshold.
    """
    result = audit_job(AuditJob(plan, ledger, output, as_of))
    echo(render(result, output))
    if result.lagging:
        raise click.exceptions.Exit(EXIT_LAGGING)


@click.command("example-ledger")
@click.argument("plan", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the generator.")
@click.option(
    "--months", type=click.IntRange(1, 12), default=6, show_default=True, help="Months covered."
)
def example_ledger_command(plan: Path, out: Path, seed: int, months: int) -> None:
    """生成示例工作台账 / Write a plausible ledger for PLAN to OUT, to try ``pairing audit``.

    Most units report what they owe, a few lag; a few noise rows of each kind are mixed in.
    The same seed gives the same ledger.
    """
    refuse_overwrite_input(out, plan)
    truth = write_ledger(plan, out, seed, months)
    echo(
        f"已写出示例台账 wrote example ledger: {out} ({truth.rows} 行 rows, "
        f"{months} 个月 months, seed {seed})"
    )


COMMANDS = [audit_command, example_ledger_command]
