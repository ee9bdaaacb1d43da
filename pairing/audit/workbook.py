"""The audit workbook: overview, compliance by unit, village, obligation and month, the
lagging units for 提醒约谈, the missing records and the unmatched ledger rows.

Headers are ``中文 (english_key)``; completion is a fraction shown as a percentage, with a
red-yellow-green colour scale; obligation and month completion also get a bar chart, unit
completion a chart sorted lowest first, by unit name, with the lagging threshold drawn.
Every text goes through :func:`pairing.audit.output.put`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence

from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.chart.marker import DataPoint
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.text import (
    CharacterProperties,
    Paragraph,
    ParagraphProperties,
    RichTextProperties,
)
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
BELOW_COLOUR = "C00000"  # a bar under the threshold
BAR_COLOUR = "4472C4"
THRESHOLD_HEADER: Header = ("落后阈值", "threshold")
CM_PER_BAR = 0.45  # a chart wide enough that every name under its bar is readable
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


def threshold_chart(
    sheet: Worksheet, title: str, columns: tuple[int, int, int], last: int, threshold: float
) -> None:
    """Add a column chart of completion per row, labelled by name, with the threshold drawn.

    ``columns``: the 1-based name, completion and threshold columns; ``last``: the last row
    charted (rows sorted by completion, lowest first, so the laggards stand at the left). Bars
    below the threshold are red; the threshold is a dashed line series of its own.
    """
    if last < 2:
        return
    name, completion, limit = columns
    bars = BarChart()
    bars.type, bars.title = "col", title
    bars.y_axis.title, bars.y_axis.numFmt = "完成率 completion", PERCENT
    bars.y_axis.scaling.min, bars.y_axis.scaling.max = 0, 1
    bars.add_data(
        Reference(sheet, min_col=completion, min_row=1, max_row=last), titles_from_data=True
    )
    names = AxDataSource(
        strRef=StrRef(f=str(Reference(sheet, min_col=name, min_row=2, max_row=last)))
    )
    bars.series[0].graphicalProperties = GraphicalProperties(solidFill=BAR_COLOUR)
    for index, row in enumerate(range(2, last + 1)):
        value = sheet.cell(row=row, column=completion).value
        if isinstance(value, int | float) and value < threshold:
            point = DataPoint(idx=index, invertIfNegative=False)
            point.graphicalProperties = GraphicalProperties(solidFill=BELOW_COLOUR)
            bars.series[0].dPt.append(point)
    line = LineChart()
    line.add_data(Reference(sheet, min_col=limit, min_row=1, max_row=last), titles_from_data=True)
    line.series[0].graphicalProperties = GraphicalProperties(
        ln=LineProperties(solidFill=BELOW_COLOUR, prstDash="dash", w=22225)
    )
    line.series[0].smooth = False
    for series in (*bars.series, *line.series):
        series.cat = names  # names are text: a strRef, not openpyxl's default numRef
    bars += line
    bars.x_axis.delete = bars.y_axis.delete = False  # openpyxl 3.1 hides axes otherwise
    bars.x_axis.txPr = _rotated_labels()
    bars.x_axis.tickLblSkip = 1  # every name, not every other one
    bars.legend.position = "b"
    bars.width, bars.height = max(24, math.ceil(CM_PER_BAR * (last - 1))), 12.0
    sheet.add_chart(bars, f"{get_column_letter(limit + 2)}2")


def _rotated_labels() -> RichText:
    """Category labels written top to bottom, so long names do not overlap."""
    size = CharacterProperties(sz=800)
    paragraph = Paragraph(pPr=ParagraphProperties(defRPr=size), endParaRPr=size)
    return RichText(bodyPr=RichTextProperties(rot=-5400000, vert="horz"), p=[paragraph])


def compliance_sheet(
    workbook: Workbook,
    title: str,
    labels: Sequence[Header],
    rows: Iterable[tuple[Sequence[object], Tally]],
    chart: str | None = None,
    threshold: float | None = None,
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
    threshold
        With a threshold, a 落后阈值 column and :func:`threshold_chart` (rows are to come
        sorted by completion, the name in the second label column), instead of a bar chart.

    Returns
    -------
    Worksheet
        The sheet.
    """
    sheet: Worksheet = workbook.create_sheet(title)
    if threshold is not None:
        charted = [(cells, tally) for cells, tally in rows]
        headers = (*labels, *TALLY_HEADERS, THRESHOLD_HEADER)
        table = ([*cells, *tally_cells(t), threshold] for cells, t in charted)
        last = write_table(sheet, headers, table)
        completion = len(headers) - 1
        sheet.cell(row=1, column=len(headers)).number_format = PERCENT
        for row in range(2, last + 1):
            sheet.cell(row=row, column=len(headers)).number_format = PERCENT
        colour_scale(sheet, completion, last)
        owed = 1 + sum(1 for _, tally in charted if tally.owed)
        if chart is not None:
            threshold_chart(sheet, chart, (2, completion, len(headers)), owed, threshold)
        return sheet
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
