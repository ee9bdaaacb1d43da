"""Find a contract sheet among a workbook's grids and its header row, as the reader does.

A sheet name matches in Chinese, in English or as ``中文 english``; a header cell matches a
column as ``中文 (english_key)``, either part alone, or an alias (case-, space- and width-free,
:func:`pairing.domain.cells.name_candidates`). Title rows above the header are skipped: the
header is the first of the first ten rows that names every required column.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pairing.domain.cells import clean_text
from pairing.domain.schema import Sheet
from pairing.sheets import HEADER_SEARCH_ROWS, find_header, match_columns, match_sheet, sheet_keys
from pairing.verify.reading.grids import Grid, Grids

Row = tuple[object, ...]


@dataclass(frozen=True, slots=True)
class Table:
    """One sheet as found: its name, its column map and its non-blank rows.

    - ``sheet``: the sheet's name in the workbook.
    - ``columns``: English column key -> 0-based index.
    - ``rows``: ``(Excel row, values)`` of every non-blank row below the header.
    """

    sheet: str
    columns: Mapping[str, int]
    rows: tuple[tuple[int, Row], ...]

    def get(self, values: Row, key: str) -> object:
        """Return the cell of column ``key`` in a row (``None`` when absent).

        ``values``: one row of the table; ``key``: the column's English key.

        Returns the cell value.
        """
        index = self.columns.get(key)
        if index is None or index >= len(values):
            return None
        return values[index]

    def text(self, values: Row, key: str) -> str:
        """Return the cell of column ``key`` as clean text (``''`` when blank or absent).

        ``values``: one row of the table; ``key``: the column's English key.

        Returns the text.
        """
        return clean_text(self.get(values, key))


def find_grid(grids: Grids, spec: Sheet, prefix: str = "") -> tuple[str, Grid] | None:
    """Return the first sheet named ``prefix`` + a spelling of ``spec``, with its grid.

    - ``grids``: the workbook's sheets.
    - ``spec``: the contract sheet.
    - ``prefix``: a prefix the name must start with (``输入·`` for a plan's input copies).

    Returns ``(sheet name, grid)``, or ``None`` when no sheet matches.
    """
    for name, grid in grids.items():
        if name.startswith(prefix) and match_sheet(name[len(prefix) :], (spec,)) is not None:
            return name, grid
    return None


def to_table(name: str, spec: Sheet, grid: Grid) -> Table | None:
    """Return the table of a sheet, or ``None`` when no row names every required column.

    - ``name``: the sheet's name in the workbook.
    - ``spec``: the contract sheet.
    - ``grid``: the sheet's rows.

    Returns the header-mapped table.
    """
    found = find_header(spec, grid)
    if found is None:
        return None
    index, columns = found
    rows = tuple(
        (number, row)
        for number, row in enumerate(grid[index + 1 :], start=index + 2)
        if any(clean_text(value) for value in row)
    )
    return Table(name, columns, rows)


def find_table(grids: Grids, spec: Sheet, prefix: str = "") -> Table | None:
    """Return the table of the sheet that spells ``spec`` (after ``prefix``), if any.

    - ``grids``: the workbook's sheets.
    - ``spec``: the contract sheet.
    - ``prefix``: a prefix the sheet's name must start with.

    Returns the table, or ``None`` when the sheet or its header is missing.
    """
    found = find_grid(grids, spec, prefix)
    return None if found is None else to_table(found[0], spec, found[1])


__all__ = [
    "HEADER_SEARCH_ROWS",
    "Row",
    "Table",
    "find_grid",
    "find_table",
    "match_columns",
    "match_sheet",
    "sheet_keys",
    "to_table",
]
