"""Edits an editor could make to a plan workbook with openpyxl, for the mutation tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from .plans import header_index

ASSIGNMENTS = "结对方案 assignments"
SCHEDULE = "活动日程 schedule"
SUMMARY = "指标 summary"
Row = dict[str, object]


def records(sheet: Worksheet) -> Iterator[tuple[int, Row]]:
    """Yield each data row as ``(Excel row, {english key: value})``."""
    keys = [str(cell.value).rsplit("(", 1)[-1].rstrip(")") for cell in sheet[1]]
    for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        yield number, dict(zip(keys, values, strict=False))


def find_row(sheet: Worksheet, test: Callable[[Row], bool]) -> int:
    """Return the first Excel row whose record passes ``test``."""
    for number, row in records(sheet):
        if test(row):
            return number
    raise LookupError("no such row")


def set_cell(sheet: Worksheet, row: int, key: str, value: Any) -> None:
    """Set the cell of column ``key`` in ``row``."""
    sheet.cell(row=row, column=header_index(sheet, key), value=value)


def get_cell(sheet: Worksheet, row: int, key: str) -> object:
    """Return the cell of column ``key`` in ``row``."""
    return sheet.cell(row=row, column=header_index(sheet, key)).value


def summary_row(workbook: Workbook, key: str) -> int:
    """Return the 指标 row of ``key``."""
    return find_row(workbook[SUMMARY], lambda row: row["key"] == key)


def day(value: object) -> dt.date:
    """Return a date cell as a date."""
    assert isinstance(value, dt.datetime | dt.date)
    return value.date() if isinstance(value, dt.datetime) else value


def events(workbook: Workbook) -> list[tuple[int, Row]]:
    """Return the schedule's events as ``(row, record)``."""
    return list(records(workbook[SCHEDULE]))
