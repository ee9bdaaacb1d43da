"""How a plan sheet reads on screen: number formats, measured widths, frozen ids, a filter.

Values are stored as computed (points to 1e-7, seconds to 0.01); the cells' number formats
decide what a reader sees: kilometres to 0.1, points to 0.01, percentages (stored as 66.7, not
0.667, so that every reader of the workbook keeps its numbers) to 0.1 with a % sign, a
relative gap (a fraction) as a percentage. Widths are measured from the text, a CJK character
counting two cells, and a column wider than :data:`WIDEST` wraps.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from pairing.domain.plan_schema import OBJECTIVE, POINTS_PREFIX
from pairing.domain.rules import RULES_BY_ID
from pairing.io.workbook_writer import display_width

KM, POINTS, PERCENT, FRACTION, SECONDS = "0.0", "0.00", '0.0"%"', "0.00%", "0.00"
POINT_SUFFIXES = ("points", "_objective", "_bound")  # original_objective of a rescored plan
LINE_POINTS = 15.0  # one line of 11-point text
WIDEST = 50  # character cells; longer text (理由 reasons) wraps
MEASURED_ROWS = 5000  # a province's 50,000 pairs are measured on their first rows
FROZEN_KEYS = frozenset({"village_id", "unit_id", "village_name", "unit_name", "name", "rule"})
WRAPPED = Alignment(wrap_text=True, vertical="top")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")
TOP, TOP_CENTRED = Alignment(vertical="top"), Alignment(vertical="top", horizontal="center")
CENTRED = Alignment(horizontal="center")
YES_NO = ("是", "否")  # flags read best centred, away from the numbers beside them
SECTION_FONT = Font(bold=True, color="1F3864")


def number_format(key: str) -> str:
    """Return how the numbers of a column (or a 指标 row) with English key ``key`` read."""
    if key.endswith("_km"):
        return KM
    if key.endswith("_pct"):
        return PERCENT
    if key == "gap" or key.endswith("_gap"):
        return FRACTION
    if key == "seconds" or key.endswith(("_s", "_seconds")):
        return SECONDS
    if key in RULES_BY_ID or key in (OBJECTIVE, "bound") or key.endswith(POINT_SUFFIXES):
        return POINTS
    if key.startswith(POINTS_PREFIX) or key.endswith("strength"):
        return POINTS if key.startswith(POINTS_PREFIX) else KM
    return ""


def is_number(value: object) -> bool:
    """Return whether a cell value is a number a format applies to (not a yes/no)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def shown_width(value: object, form: str) -> int:
    """Return the width a value takes as shown: its text, or its number in its format."""
    if value is None:
        return 0
    if is_number(value) and form in (KM, POINTS, PERCENT, SECONDS):
        decimals = len(form.split(".")[1].split('"')[0])
        return len(f"{float(value):.{decimals}f}") + (1 if form == PERCENT else 0)  # type: ignore[arg-type]
    return max(display_width(line) for line in str(value).split("\n"))


def fit_columns(
    ws: Worksheet, headers: Sequence[tuple[str, str]], rows: Sequence[Sequence[object]]
) -> None:
    """Set each column's width from its header words and its cells; wrap the widest ones.

    The header ``中文 (key)`` wraps at its space, so its wider part is what must fit.
    """
    measured = rows[:MEASURED_ROWS]
    wrapped: list[int] = []
    for index, (zh, key) in enumerate(headers):
        form = number_format(key)
        cells = [shown_width(row[index], form) for row in measured if index < len(row)]
        widest = max([display_width(zh), len(key) + 2, *cells])
        letter = get_column_letter(index + 1)
        ws.column_dimensions[letter].width = min(WIDEST, widest) + 2
        ws.cell(row=1, column=index + 1).alignment = HEADER_ALIGNMENT
        if widest > WIDEST:
            wrapped.append(index)
            for number in range(2, len(rows) + 2):
                ws.cell(row=number, column=index + 1).alignment = WRAPPED
    _row_heights(ws, [f"{zh} ({key})" for zh, key in headers], rows, wrapped)


def fit_grid(ws: Worksheet, grid: Sequence[Sequence[object]]) -> None:
    """Fit the columns of a sheet written as it was read (an input copy): widths from every
    cell of the first rows, the widest wrapped; its first row is taken as its header."""
    if not grid:
        return
    columns = max(len(row) for row in grid)
    head = [
        str(grid[0][i]) if i < len(grid[0]) and grid[0][i] is not None else ""
        for i in range(columns)
    ]
    rows = grid[1:]
    wrapped: list[int] = []
    for index in range(columns):
        cells = [shown_width(row[index], "") for row in rows[:MEASURED_ROWS] if index < len(row)]
        words = [display_width(word) for word in head[index].split()] or [0]
        widest = max([*words, *cells, 4])
        ws.column_dimensions[get_column_letter(index + 1)].width = min(WIDEST, widest) + 2
        if widest > WIDEST:
            wrapped.append(index)
            for number in range(2, len(rows) + 2):
                ws.cell(row=number, column=index + 1).alignment = WRAPPED
        ws.cell(row=1, column=index + 1).alignment = HEADER_ALIGNMENT
    _row_heights(ws, head, rows, wrapped)


def _row_heights(
    ws: Worksheet,
    header_texts: Sequence[str],
    rows: Sequence[Sequence[object]],
    wrapped: Sequence[int],
) -> None:
    """Make the header row and each row with wrapped text as tall as its lines: neither Excel
    nor LibreOffice grows a row for wrapped text it did not lay out itself."""
    widths = [
        ws.column_dimensions[get_column_letter(i + 1)].width for i in range(len(header_texts))
    ]
    header = max(
        (wrapped_lines(text, w) for text, w in zip(header_texts, widths, strict=True)), default=1
    )
    ws.row_dimensions[1].height = LINE_POINTS * header + 2
    for number, row in enumerate(rows, start=2):
        lines = max(
            (wrapped_lines(str(row[i] or ""), widths[i]) for i in wrapped if i < len(row)),
            default=1,
        )
        if lines > 1:  # a tall row reads from its top, every cell alike
            ws.row_dimensions[number].height = LINE_POINTS * lines + 2
            for index in range(len(row)):
                if index not in wrapped:
                    cell = ws.cell(row=number, column=index + 1)
                    cell.alignment = TOP_CENTRED if cell.value in YES_NO else TOP


def freeze_and_filter(ws: Worksheet, headers: Sequence[tuple[str, str]], rows: int) -> None:
    """Freeze the header row and the leading id / name columns; filter on the header row."""
    frozen = 0
    for _, key in headers:
        if key not in FROZEN_KEYS:
            break
        frozen += 1
    ws.freeze_panes = f"{get_column_letter(frozen + 1)}2"
    if headers:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{rows + 1}"


def format_key_values(ws: Worksheet) -> None:
    """Give each value of a key/value sheet (指标) the number format of its row's key; bold
    the section headings (rows with a name and no key)."""
    for name, key, value in ws.iter_rows(min_row=2, max_col=3):
        if key.value is None and name.value is not None:
            name.font = SECTION_FONT
        elif is_number(value.value) and (form := number_format(str(key.value))):
            value.number_format = form


def print_setup(ws: Worksheet) -> None:
    """Print a table A4 landscape, one page wide, its header row on every page, numbered: a
    sheet printed as it was once came out as portrait pages with its columns split."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as the rows need
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = "1:1"
    footer = ws.oddFooter
    assert footer is not None  # openpyxl gives every sheet one
    footer.center.text = "&A　第 &P 页 共 &N 页"


def wrapped_lines(text: str, width: float) -> int:
    """Return how many lines ``text`` takes in a column ``width`` wide, wrapped as Excel wraps.

    CJK characters break anywhere; a run of Latin letters or digits breaks at a space only.
    """
    room = max(1.0, width - 0.5)  # a width unit is 7 px, a CJK character 14 px; 4 px pad
    lines, used = 1, 0.0
    for token in _tokens(text):
        size = display_width(token)
        if used and used + size > room:
            lines, used = lines + 1, 0.0
            if token == " ":
                continue
        if size > room:  # a word wider than the column breaks inside
            extra = math.ceil(size / room) - 1
            lines, used = lines + extra, size - extra * room
            continue
        used += size
    return lines


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    word = ""
    for ch in text:
        if ch.isspace() or unicodedata.east_asian_width(ch) in "WF":
            if word:
                tokens.append(word)
            tokens.append(" " if ch.isspace() else ch)
            word = ""
        else:
            word += ch
    if word:
        tokens.append(word)
    return tokens
