"""The 工作台账 ledger: one row per activity a unit reports (DESIGN.md, ``schema.LEDGER``).

The sheet is found by its name (工作台账 / 台账 / ledger), else as the first sheet whose
header names every required column (a CSV file of any name). Each row is kept with its
Excel row number and read leniently: a date or status that cannot be read is kept as text,
so that the auditor can list the row rather than drop it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pairing.audit.visits import find_visits
from pairing.domain.cells import CellError, clean_text, parse_date
from pairing.domain.errors import InputError, Issue
from pairing.domain.schema import LEDGER, LEDGER_STATUS, find_choice
from pairing.sheets import find_header, match_sheet, read_grids

Grid = Sequence[Sequence[object]]


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One ledger row as reported.

    Attributes
    ----------
    row
        The Excel row.
    unit_id, village_id, activity
        As written (clean text).
    date
        The date, or ``None`` when it cannot be read.
    date_text
        The date cell as text (for listing an unreadable one).
    status
        ``done``, ``late`` or ``filed_late`` (blank reads ``done``), or ``None`` when unknown.
    status_text
        The status cell as text.
    """

    row: int
    unit_id: str
    village_id: str
    activity: str
    date: dt.date | None
    date_text: str
    status: str | None
    status_text: str


@dataclass(frozen=True, slots=True)
class Ledger:
    """The ledger's sheet name and rows."""

    sheet: str
    entries: tuple[LedgerEntry, ...]


def find_ledger(grids: Mapping[str, Grid]) -> tuple[str, int, dict[str, int]] | None:
    """Return the ledger sheet's name, header index and column map, if any sheet is one.

    Parameters
    ----------
    grids
        The workbook's sheets.

    Returns
    -------
    tuple or None
        ``(sheet, header index, columns)``: a sheet named as the ledger first, else the first
        sheet whose header names every required column.
    """
    ordered = sorted(grids, key=lambda name: match_sheet(name, (LEDGER,)) is None)
    for name in ordered:
        found = find_header(LEDGER, grids[name])
        if found is not None:
            return name, *found
    return None


def _cell(row: Sequence[object], columns: Mapping[str, int], key: str) -> object:
    index = columns.get(key)
    return row[index] if index is not None and index < len(row) else None


def entry(number: int, row: Sequence[object], columns: Mapping[str, int]) -> LedgerEntry:
    """Return one ledger row, read leniently.

    Parameters
    ----------
    number
        The Excel row.
    row
        Its cells.
    columns
        Column key -> index.

    Returns
    -------
    LedgerEntry
        The row.
    """
    raw_date = _cell(row, columns, "date")
    try:
        date: dt.date | None = parse_date(raw_date)
    except CellError:
        date = None
    status_text = clean_text(_cell(row, columns, "status"))
    choice = find_choice(LEDGER_STATUS, status_text) if status_text else None
    status = "done" if not status_text else (choice.value if choice else None)
    return LedgerEntry(
        number,
        clean_text(_cell(row, columns, "unit_id")),
        clean_text(_cell(row, columns, "village_id")),
        clean_text(_cell(row, columns, "activity")),
        date,
        clean_text(raw_date),
        status,
        status_text,
    )


def read_ledger(grids: Mapping[str, Grid], source: str) -> Ledger:
    """Return the ledger held by ``grids``.

    Parameters
    ----------
    grids
        The ledger workbook's sheets (or CSV files by stem).
    source
        The file's name, for the error.

    Returns
    -------
    Ledger
        Every non-blank row.

    Raises
    ------
    InputError
        When no sheet holds a ledger header (exit 3).
    """
    found = find_ledger(grids)
    if found is None:
        required = "、".join(c.header for c in LEDGER.columns if c.required)
        visits = find_visits(grids) is not None
        raise InputError(
            [
                Issue(
                    source,
                    None,
                    None,
                    f"找不到工作台账：需要一张表头含 {required} 的工作表"
                    + ("；走访记录请对包户工作簿审计（pairing cover 的输出）" if visits else ""),
                    f"no ledger found: a sheet needs the columns {required}"
                    + (
                        "; a 走访记录 visits ledger is audited against a cover workbook"
                        if visits
                        else ""
                    ),
                )
            ]
        )
    name, index, columns = found
    grid = grids[name]
    entries = tuple(
        entry(number, row, columns)
        for number, row in enumerate(grid[index + 1 :], start=index + 2)
        if any(clean_text(value) for value in row)
    )
    return Ledger(name, entries)


def load_ledger(path: Path) -> Ledger:
    """Read the ledger file ``path`` (a workbook, a CSV, or a folder of CSVs) through the gate.

    The file is opened only by :func:`pairing.sheets.read_grids`: a pipe, a device, a zip
    bomb or a ledger past the reading limits is refused with exit 3 before it is parsed.

    Parameters
    ----------
    path
        The ledger file.

    Returns
    -------
    Ledger
        Every non-blank row.

    Raises
    ------
    InputError
        When the file cannot be read or holds no ledger (exit 3).
    """
    path = Path(path)
    return read_ledger(read_grids(path), path.name)
