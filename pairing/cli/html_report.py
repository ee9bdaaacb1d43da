"""``pairing report``: a plan as one offline HTML page (map, KPIs, charts)."""

from __future__ import annotations

from pathlib import Path

import click

from pairing.app.report import ReportJob, report_job
from pairing.cli.console import echo


@click.command("report")
@click.argument("plan", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("report.html"),
    show_default=True,
    help="HTML file to write.",
)
@click.option(
    "--audit",
    type=click.Path(dir_okay=False, path_type=Path),
    help="An audit workbook (pairing audit) of this plan: adds compliance by unit.",
)
def report_command(plan: Path, output: Path, audit: Path | None) -> None:
    """生成离线网页报告 / Write PLAN as one self-contained HTML page that needs no network.

    A map of the county from the coordinates (one line per pair: continued, new or locked;
    hover or click a village for its units and reasons), KPI tiles, strength against target,
    needs coverage, distances; with a schedule, events per day; with --audit, compliance.
    """
    result = report_job(ReportJob(plan, output, audit))
    extras = [
        name
        for name, on in (("日历 calendar", result.calendar), ("合规 compliance", result.compliance))
        if on
    ]
    echo(
        f"→ {result.output}  ({result.size / 1024:.0f} KB; {result.villages} 村 villages, "
        f"{result.pairs} 对 pairs{'; ' + '、'.join(extras) if extras else ''})"
    )


COMMANDS = [report_command]
