"""``pairing audit`` (a 工作台账 ledger against a plan) and ``pairing example-ledger``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from pairing.app.audit import AuditJob, any_audit_job, is_cover
from pairing.audit import render
from pairing.audit.visit_report import render_visits
from pairing.audit.visit_run import VisitAudit
from pairing.cli.console import echo
from pairing.domain.cells import CellError, parse_date
from pairing.examples.ledger import write_ledger
from pairing.examples.visits import write_visits
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

    When PLAN is a cover workbook (pairing cover), LEDGER is a 走访记录 visits ledger
    (户编号, 日期, 走访人): lists every household not visited in a month of the ledger's span
    and the teams whose visit rate is below lagging_threshold (exit 5 when one is).
    """
    result = any_audit_job(AuditJob(plan, ledger, output, as_of))
    if isinstance(result, VisitAudit):
        echo(render_visits(result, output))
    else:
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
    The same seed gives the same ledger. When PLAN is a cover workbook (pairing cover), OUT
    is a 走访记录 visits ledger instead: most teams visit nearly every household monthly, a
    few lag.
    """
    refuse_overwrite_input(out, plan)
    if is_cover(plan):
        visits = write_visits(plan, out, seed, months)
        echo(
            f"已写出示例走访记录 wrote example visits: {out} ({visits.rows} 行 rows, "
            f"{months} 个月 months, seed {seed})"
        )
        return
    truth = write_ledger(plan, out, seed, months)
    echo(
        f"已写出示例台账 wrote example ledger: {out} ({truth.rows} 行 rows, "
        f"{months} 个月 months, seed {seed})"
    )


COMMANDS = [audit_command, example_ledger_command]
