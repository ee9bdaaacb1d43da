"""The audit workbook: overview, compliance by unit, village, obligation and month, the
lagging units for 提醒约谈, the missing records and the unmatched ledger rows.

Headers are ``中文 (english_key)``; completion is a fraction shown as a percentage, with a
red-yellow-green colour scale; unit, obligation and month completion also get a bar chart.
Every text goes through :func:`pairing.audit.output.put`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from pairing.audit.compliance import Tally
from pairing.audit.output import put
from pairing.audit.run import AuditResult

Header = tuple[str, str]
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
PERCENT = "0.0%"
DATE_FORMAT = "yyyy-mm-dd"
TALLY_HEADERS: tuple[Header, ...] = (
    ("应报", "owed"),
    ("已完成", "done"),
    ("逾期", "late"),
    ("补报", "filed_late"),
    ("缺报", "missing"),
    ("超报", "extra"),
    ("完成率", "completion"),
)


def tally_cells(tally: Tally) -> list[object]:
    """Return a tally as cells, in :data:`TALLY_HEADERS` order.

    Parameters
    ----------
    tally
        The tally.

    Returns
    -------
    list[object]
        Counts, then completion as a fraction (blank when nothing was owed).
    """
    return [
        tally.owed,
        tally.done,
        tally.late,
        tally.filed_late,
        tally.missing,
        tally.extra,
        round(tally.completion, 4) if tally.owed else None,
    ]


def write_table(
    sheet: Worksheet, headers: Sequence[Header], rows: Iterable[Sequence[object]]
) -> int:
    """Write a header row and data rows; return the last row written.

    Parameters
    ----------
    sheet
        The sheet.
    headers
        ``(中文, english_key)`` per column.
    rows
        The data rows.

    Returns
    -------
    int
        The last Excel row written (1 when there are no data rows).
    """
    for column, (zh, key) in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=column)
        assert isinstance(cell, Cell)
        put(cell, f"{zh} ({key})")
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        sheet.column_dimensions[get_column_letter(column)].width = max(10, 2 * len(zh) + 8)
    last = 1
    for last, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=last, column=column)
            assert isinstance(cell, Cell)
            put(cell, value)
            if headers[column - 1][1] == "completion":
                cell.number_format = PERCENT
            elif isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"
    return last


def colour_scale(sheet: Worksheet, column: int, last: int) -> None:
    """Shade a completion column red (0%) through yellow to green (100%).

    Parameters
    ----------
    sheet
        The sheet.
    column
        The 1-based column.
    last
        The last data row.
    """
    if last < 2:
        return
    letter = get_column_letter(column)
    rule = ColorScaleRule(  # type: ignore[no-untyped-call]
        start_type="num",
        start_value=0,
        start_color="F8696B",
        mid_type="num",
        mid_value=0.8,
        mid_color="FFEB84",
        end_type="num",
        end_value=1,
        end_color="63BE7B",
    )
    sheet.conditional_formatting.add(f"{letter}2:{letter}{last}", rule)


def bar_chart(sheet: Worksheet, title: str, value_column: int, last: int, anchor: str) -> None:
    """Add a bar chart of a completion column against the first column's labels.

    Parameters
    ----------
    sheet
        The sheet.
    title
        The chart's title.
    value_column
        The 1-based completion column.
    last
        The last data row.
    anchor
        Where the chart's top-left corner goes (``"M2"``).
    """
    if last < 2:
        return
    chart = BarChart()
    chart.title = title
    chart.y_axis.title = "完成率 completion"
    chart.y_axis.numFmt = PERCENT
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    chart.legend = None
    chart.width, chart.height = 24, 10
    values = Reference(sheet, min_col=value_column, min_row=1, max_row=last)
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=last))
    sheet.add_chart(chart, anchor)


def compliance_sheet(
    workbook: Workbook,
    title: str,
    labels: Sequence[Header],
    rows: Iterable[tuple[Sequence[object], Tally]],
    chart: str | None = None,
) -> Worksheet:
    """Add a compliance sheet: label columns, then the tally, shaded (and charted).

    Parameters
    ----------
    workbook
        The workbook.
    title
        The sheet's title.
    labels
        The label columns' headers.
    rows
        Label cells and tally per row.
    chart
        The bar chart's title, or ``None`` for no chart.

    Returns
    -------
    Worksheet
        The sheet.
    """
    sheet: Worksheet = workbook.create_sheet(title)
    headers = (*labels, *TALLY_HEADERS)
    last = write_table(sheet, headers, ([*cells, *tally_cells(t)] for cells, t in rows))
    completion = len(headers)
    colour_scale(sheet, completion, last)
    if chart is not None:
        bar_chart(sheet, chart, completion, last, f"{get_column_letter(completion + 2)}2")
    return sheet


def overview_rows(result: AuditResult) -> list[list[object]]:
    """Return the 概览 rows: what was audited and the overall figures.

    Parameters
    ----------
    result
        The audit.

    Returns
    -------
    list
        ``[中文, key, value]`` rows.
    """
    plan, total = result.plan, result.total
    rows: list[list[object]] = [
        ["方案", "plan", plan.name],
        ["台账工作表", "ledger", result.ledger],
        ["审计日期", "as_of", result.as_of],
        ["期限开始", "start", plan.start],
        ["期限结束", "end", plan.end],
        ["落后阈值", "lagging_threshold", result.threshold],
        ["台账行数", "rows", result.rows],
        ["未到期的记录", "pending", result.pending],
        ["未匹配行数", "unmatched", len(result.unmatched)],
        ["落后单位数", "lagging_units", len(result.lagging)],
    ]
    rows += [
        [zh, key, value] for (zh, key), value in zip(TALLY_HEADERS, tally_cells(total), strict=True)
    ]
    return rows
