"""Write contract sheets from rows: the helper behind ``pairing template`` and ``pairing example``.

A sheet of the input contract (:mod:`pairing.domain.schema`) is written the same way wherever
it is produced, so that a planner sees one kind of workbook: headers ``中文 (english_key)``,
a bold coloured header row (required columns in their own colour), a comment on every header
saying what goes in the column, a dropdown on every enum and yes/no column offering the Chinese
spelling the reader accepts, a frozen header row and sensible column widths. Values go through
:func:`pairing.io.output.set_text`, so no data string can become a formula.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import numbers
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import WINDOWS_EPOCH, from_excel, to_excel
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from pairing.domain.digest import Cell as DigestCell
from pairing.domain.schema import YES_NO, Choice, Column, Sheet
from pairing.io.output import set_text

REQUIRED_FILL = PatternFill("solid", start_color="F8CBAD")  # orange: must be filled
OPTIONAL_FILL = PatternFill("solid", start_color="DDEBF7")  # blue: may stay blank
REQUIRED_FONT = Font(bold=True, color="C00000")
OPTIONAL_FONT = Font(bold=True, color="1F3864")
TITLE_FONT = Font(bold=True, size=13)
SECTION_FONT = Font(bold=True, color="1F3864")
HEADER_ALIGNMENT = Alignment(vertical="center", wrap_text=True)
DATE_FORMAT = "yyyy-mm-dd"
MAX_WIDTH = 60
LAST_EXCEL_ROW = 1_048_576
COMMENT_AUTHOR = "pairing"

KIND_HINTS: Mapping[str, str] = {
    "text": "文字 / text",
    "id": "编号，须与「单位」或「村」表一致 / an id, as on the units or villages sheet",
    "int": "整数 / a whole number",
    "float": "数字 / a number",
    "tags": "标签，用、分隔 / tags separated by 、",
    "bool": "是/否 / yes or no",
    "date": "日期，如 2027-03-01 / a date, e.g. 2027-03-01",
    "enum": "从下拉列表选择 / pick from the dropdown",
}

TO_EXCEL: Callable[..., float] = to_excel  # openpyxl's day serial (its stub is untyped)

# Contract columns whose value lives under another attribute name on the domain records.
RECORD_FIELDS: Mapping[tuple[str, str], str] = {
    ("units", "unit_id"): "id",
    ("villages", "village_id"): "id",
    ("rules", "rule"): "verb",
    ("households", "household_id"): "id",
    ("village_members", "member_id"): "id",
    ("groups", "group"): "name",
    ("areas", "area"): "name",
}


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of a free-text sheet (the 说明 README): cells and how the line looks.

    ``cells``: the values of the line, left to right; ``style``: ``"title"``, ``"section"`` (bold
    headings) or ``"body"``.
    """

    cells: tuple[object, ...]
    style: str = "body"


def new_workbook() -> Workbook:
    """Return an empty workbook (openpyxl's default sheet removed).

    Returns A workbook without sheets, ready for :func:`write_sheet`.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    return workbook


def display_width(text: str) -> int:
    """Return how many character cells ``text`` takes: CJK and full-width count double.

    ``text``: the text as shown in a cell.

    Returns its width in Excel column-width units (roughly characters of a Latin font).
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def choice_text(choices: Sequence[Choice], value: object) -> object:
    """Return the Chinese spelling of an enum value (``must`` -> ``必须``); others unchanged."""
    for choice in choices:
        if value == choice.value:
            return choice.zh
    return value


def cell_value(column: Column, value: object) -> object:
    """Return the workbook form of a domain value for ``column``.

    Enum values are spelled in Chinese, yes/no as 是/否, tags joined with 、 in sorted order
    (a frozenset has no order of its own, and output must be deterministic), whole floats as
    integers (``3`` rather than ``3.0``), and ``None`` as a blank cell.

    ``column``: the contract column the value goes into; ``value``: the value as held by a domain
    record.

    Returns what to store in the cell.
    """
    if value is None:
        return None
    if column.kind == "bool" or isinstance(value, bool):
        return "是" if value else "否"
    if column.kind == "enum":
        return choice_text(column.choices, value)
    if isinstance(value, frozenset | set):
        return "、".join(sorted(str(tag) for tag in value))
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def record_row(sheet: Sheet, record: object, omit: Collection[str] = ()) -> tuple[object, ...]:
    """Return the row of a domain record (``Unit``, ``Village``, ...) in ``sheet``'s columns.

    - ``sheet``: the contract sheet the row belongs to.
    - ``record``: a frozen domain record whose attributes are named like the columns' English keys
      (or as :data:`RECORD_FIELDS` maps them). Missing attributes give blank cells.
    - ``omit``: English keys of columns to leave blank (so that the reader applies its default).

    Returns one value per column of ``sheet``, in its order.
    """
    return tuple(
        None if column.key in omit else cell_value(column, record_field(sheet, record, column))
        for column in sheet.columns
    )


def record_field(sheet: Sheet, record: object, column: Column) -> object:
    """Return the attribute of ``record`` that holds ``column`` (None when it has none)."""
    name = RECORD_FIELDS.get((sheet.key, column.key), column.key)
    return getattr(record, name, None)


def header_note(column: Column) -> str:
    """Return the comment of a header cell: meaning, unit, example, choices, required or not.

    ``column``: the contract column.

    Returns lines of text for the header's comment.
    """
    lines = [column.header, column.note or KIND_HINTS[column.kind]]
    choices = dropdown_choices(column)
    if choices:
        lines.append("可选 choices: " + " / ".join(choice.label for choice in choices))
    lines.append("必填 required" if column.required else "选填 optional")
    return "\n".join(lines)


def dropdown_choices(column: Column) -> tuple[Choice, ...]:
    """Return the choices a column's dropdown offers (yes/no for a bool column without its own)."""
    if column.choices:
        return column.choices
    return YES_NO if column.kind == "bool" else ()


def plain_cell(worksheet: Worksheet, row: int, column: int) -> Cell:
    """Return the cell at (row, column); these sheets merge no cells, so it is a plain cell."""
    cell = worksheet.cell(row=row, column=column)
    if not isinstance(cell, Cell):
        raise TypeError(f"unexpected merged cell at row {row}, column {column}")
    return cell


def column_width(column: Column) -> int:
    """Return a width that fits the column's data and its whole header."""
    return min(MAX_WIDTH, max(column.width, display_width(column.header) + 2))


def write_sheet(workbook: Workbook, sheet: Sheet, rows: Iterable[Sequence[object]]) -> Worksheet:
    """Add ``sheet`` to ``workbook``: annotated header, then ``rows`` in the sheet's columns.

    - ``workbook``: the workbook to add to; the new sheet goes last, titled ``sheet.title``.
    - ``sheet``: the contract sheet.
    - ``rows``: rows of values in the order of ``sheet.columns``; strings are stored as text.

    Returns the written worksheet.
    """
    worksheet: Worksheet = workbook.create_sheet(sheet.title)
    for index, column in enumerate(sheet.columns, start=1):
        write_header(plain_cell(worksheet, 1, index), column)
        worksheet.column_dimensions[get_column_letter(index)].width = column_width(column)
    for row_number, values in enumerate(rows, start=2):
        for index, (column, value) in enumerate(zip(sheet.columns, values, strict=True), start=1):
            write_value(plain_cell(worksheet, row_number, index), column, value)
    add_dropdowns(worksheet, sheet)
    worksheet.freeze_panes = "A2"
    return worksheet


def write_header(cell: Cell, column: Column) -> None:
    """Write one header cell: the contract header, its colour, and its explaining comment."""
    set_text(cell, column.header)
    cell.font = REQUIRED_FONT if column.required else OPTIONAL_FONT
    cell.fill = REQUIRED_FILL if column.required else OPTIONAL_FILL
    cell.alignment = HEADER_ALIGNMENT
    cell.comment = Comment(header_note(column), COMMENT_AUTHOR, height=140, width=320)


def write_value(cell: Cell, column: Column, value: object) -> None:
    """Write one data cell; dates get a date format so Excel shows them as dates."""
    set_text(cell, value)
    if isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT


# Free-text columns that still offer the usual values: a county's systems differ, and
# strength takes any positive number, so these suggest and warn but never refuse.
SUGGESTED: Mapping[tuple[str, str], tuple[str, ...]] = {
    ("units", "system"): (
        "党委部门",
        "政府部门",
        "人大政协",
        "群团",
        "事业单位",
        "国企",
        "金融",
        "驻县单位",
    ),
    ("units", "strength"): ("5", "4", "3", "2", "1", "强", "中", "弱"),
}


def add_dropdowns(worksheet: Worksheet, sheet: Sheet) -> None:
    """Add a dropdown of Chinese choices below the header of each enum and yes/no column, and
    of the usual values of a :data:`SUGGESTED` column (单位's 系统 and 帮扶力量).

    The error style is a warning, not a stop: the reader also accepts the English and other
    spellings (``must``, ``Y``), and a planner who types one should be able to keep it.
    """
    for index, column in enumerate(sheet.columns, start=1):
        choices = [choice.zh for choice in dropdown_choices(column)]
        choices = choices or list(SUGGESTED.get((sheet.key, column.key), ()))
        if not choices:
            continue
        letter = get_column_letter(index)
        allowed = ",".join(choices)
        validation = DataValidation(
            type="list",
            formula1=f'"{allowed}"',
            allow_blank=not column.required,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle=column.header,
            error=f"请从列表中选择：{allowed} / please pick one of: {allowed}",
        )
        validation.add(f"{letter}2:{letter}{LAST_EXCEL_ROW}")
        worksheet.add_data_validation(validation)


def write_text_sheet(
    workbook: Workbook, title: str, lines: Iterable[TextLine], widths: Sequence[int]
) -> Worksheet:
    """Add a free-text sheet (such as 说明 README): styled lines and fixed widths.

    A line of one cell is a paragraph: it is not wrapped, so it runs on over the empty cells
    to its right (Excel does not grow a row to fit wrapped text in merged cells). Table lines
    of several cells wrap within their columns.

    - ``workbook``: the workbook to add to.
    - ``title``: the sheet's title.
    - ``lines``: the lines, top to bottom.
    - ``widths``: column widths, left to right.

    Returns the written worksheet.
    """
    worksheet: Worksheet = workbook.create_sheet(title)
    fonts = {"title": TITLE_FONT, "section": SECTION_FONT}
    for row_number, line in enumerate(lines, start=1):
        wrap = len(line.cells) > 1
        for index, value in enumerate(line.cells, start=1):
            cell = plain_cell(worksheet, row_number, index)
            set_text(cell, value)
            cell.alignment = Alignment(vertical="top", wrap_text=wrap)
            if line.style in fonts:
                cell.font = fonts[line.style]
    for index, width in enumerate(widths, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = width
    return worksheet


def stored_value(value: object, epoch: dt.datetime) -> object:
    """Return the value a reader gets back from a cell holding ``value`` once openpyxl saved it.

    openpyxl writes a number as ``"%.16g" % x`` (NaN and infinity as an empty cell) and a date
    or time as a day serial that a reader turns back into a date at millisecond precision; the
    plan's digest (:mod:`pairing.domain.digest`) is of what the file holds, so that the
    verifier, who reads the file, hashes the same values. Text and booleans come back as
    written.

    ``value``: a cell value as set in memory; ``epoch``: the workbook's date epoch
    (``workbook.epoch``).

    Returns the value as read back.
    """
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, numbers.Real | decimal.Decimal):
        number = float(value)
        return as_saved(number) if math.isfinite(number) else None
    if isinstance(value, dt.timedelta):
        return from_excel(as_saved(TO_EXCEL(value)), epoch, timedelta=True)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return from_excel(as_saved(TO_EXCEL(value, epoch)), epoch)
    return value


def as_saved(number: float) -> float:
    """Return a finite number as openpyxl saves it: 16 significant digits."""
    return float(f"{number:.16g}")


def sheet_cells(
    worksheet: Worksheet, skip: Collection[tuple[int, int]] = ()
) -> Iterator[DigestCell]:
    """Yield ``(row, column, value as read back)`` of every cell set in ``worksheet``, row by row.

    The worksheet's own cell map is read: ``iter_rows`` would create a cell at every empty
    position of the sheet's rectangle.

    ``worksheet``: a worksheet being written; ``skip``: positions to leave out (the digest cells of
    来源 provenance).

    Yields one per cell, in row-major order.
    """
    workbook = worksheet.parent
    epoch = WINDOWS_EPOCH if workbook is None else workbook.epoch
    for position, cell in sorted(worksheet._cells.items()):
        if position not in skip:
            yield position[0], position[1], stored_value(cell.value, epoch)
