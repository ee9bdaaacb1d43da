"""Load raw tables from an ``.xlsx`` workbook or a folder of ``.csv`` files.

A :class:`RawTable` is one sheet as found: its header row located (title rows above it are
skipped), every column matched to the contract or kept as an extra, and every non-blank row
with its Excel row number. Nothing is interpreted here; :mod:`pairing.io.build` does that.
"""

from __future__ import annotations

import csv
import io as _io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pairing.domain.cells import clean_text, name_candidates, name_key
from pairing.domain.errors import InputError, Issue
from pairing.domain.schema import INPUT_SHEETS, LEDGER, Sheet
from pairing.io.safety import Limits, open_xlsx

HEADER_SEARCH_ROWS = 10  # title rows above a header: Chinese office sheets often have one or two


@dataclass(frozen=True, slots=True)
class RawTable:
    """One sheet as read: the matched header and the non-blank rows with Excel row numbers."""

    spec: Sheet
    source: str
    header_row: int
    columns: dict[str, int]
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[object, ...]], ...]
    grid: tuple[tuple[object, ...], ...] = field(repr=False, default=())

    def get(self, values: tuple[object, ...], key: str) -> object:
        """Return the cell of column ``key`` in a row, or None when the column is absent."""
        index = self.columns.get(key)
        if index is None or index >= len(values):
            return None
        return values[index]


@dataclass(frozen=True, slots=True)
class RawBook:
    """All sheets of one input, by contract key; ``unknown`` lists sheets that matched nothing."""

    tables: dict[str, RawTable]
    unknown: tuple[str, ...]
    issues: tuple[Issue, ...]


def read_grids(path: Path, limits: Limits | None = None) -> dict[str, list[tuple[object, ...]]]:
    """Return every sheet of ``path`` (xlsx or csv folder, or one csv) as a grid of values."""
    limits = limits or Limits()
    if path.is_dir():
        return {p.stem: _read_csv(p, limits) for p in sorted(path.glob("*.csv"))}
    if path.suffix.lower() == ".csv":
        return {path.stem: _read_csv(path, limits)}
    workbook = open_xlsx(path, limits)
    try:
        grids: dict[str, list[tuple[object, ...]]] = {}
        cells = 0
        for worksheet in workbook.worksheets:
            grid: list[tuple[object, ...]] = []
            for values in worksheet.iter_rows(values_only=True):
                cells += len(values)
                if cells > limits.max_cells:
                    raise InputError([limits.too_many_cells(worksheet.title)])
                grid.append(tuple(values))
            grids[worksheet.title] = grid
        return grids
    finally:
        workbook.close()


def _read_csv(path: Path, limits: Limits) -> list[tuple[object, ...]]:
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise InputError([limits.too_big(path.name, size)])
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK by default
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise AssertionError("unreachable")
    rows = [tuple(row) for row in csv.reader(_io.StringIO(text, newline=""))]
    if sum(len(row) for row in rows) > limits.max_cells:
        raise InputError([limits.too_many_cells(path.name)])
    return rows


def match_sheet(name: str, specs: Sequence[Sheet]) -> Sheet | None:
    """Return the contract sheet that a workbook sheet name spells, if any."""
    keys = name_candidates(name) | {name_key(part) for part in clean_text(name).split()}
    for spec in specs:
        if keys & spec.keys():
            return spec
    return None


def locate_header(
    spec: Sheet, grid: Sequence[tuple[object, ...]]
) -> tuple[int, dict[str, int]] | None:
    """Find the header row among the first rows: the first that names a required column.

    Returns the 0-based grid index of the header and the column map, or None.
    """
    required = [column for column in spec.columns if column.required]
    best: tuple[int, dict[str, int]] | None = None
    for index, values in enumerate(grid[:HEADER_SEARCH_ROWS]):
        columns = match_columns(spec, values)
        if required and all(column.key in columns for column in required):
            return index, columns
        if columns and (best is None or len(columns) > len(best[1])):
            best = (index, columns)
    return best


def match_columns(spec: Sheet, header: Sequence[object]) -> dict[str, int]:
    """Map each contract column found in ``header`` to its 0-based index (first match wins)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        keys = name_candidates(cell)
        for column in spec.columns:
            if column.key not in found and keys & column.keys():
                found[column.key] = index
                break
    return found


def to_table(spec: Sheet, source: str, grid: Sequence[tuple[object, ...]]) -> RawTable | Issue:
    """Turn a sheet's grid into a :class:`RawTable`, or an issue naming what is missing."""
    located = locate_header(spec, grid)
    if located is None:
        return Issue(
            spec.title,
            None,
            None,
            f"找不到表头；第一行应为列名，如 {'、'.join(c.zh for c in spec.columns[:3])}",
            f"no header row found; the first row should name columns such as "
            f"{', '.join(c.key for c in spec.columns[:3])}",
        )
    index, columns = located
    missing = [column for column in spec.columns if column.required and column.key not in columns]
    if missing:
        names = "、".join(column.header for column in missing)
        return Issue(
            spec.title,
            index + 1,
            None,
            f"缺少必填列：{names}；请添加这些列",
            f"required columns missing: {', '.join(c.key for c in missing)}; add them",
        )
    rows = tuple(
        (number, values)
        for number, values in enumerate(grid[index + 1 :], start=index + 2)
        if any(clean_text(value) for value in values)
    )
    headers = tuple(clean_text(cell) for cell in grid[index])
    return RawTable(spec, source, index + 1, columns, headers, rows, tuple(grid))


def read_book(path: Path, limits: Limits | None = None, *, ledger: bool = False) -> RawBook:
    """Read ``path`` and match its sheets to the contract (the ledger sheet when ``ledger``)."""
    specs: tuple[Sheet, ...] = (LEDGER,) if ledger else INPUT_SHEETS
    grids = read_grids(path, limits)
    tables: dict[str, RawTable] = {}
    unknown: list[str] = []
    issues: list[Issue] = []
    for name, grid in grids.items():
        spec = match_sheet(name, specs)
        if spec is None:
            unknown.append(name)
            continue
        if spec.key in tables:
            issues.append(
                Issue(
                    spec.title,
                    None,
                    None,
                    f"有两个工作表都是「{spec.zh}」：{tables[spec.key].source}、{name}；请删去一个",
                    f"two sheets are both '{spec.key}': {tables[spec.key].source}, {name}; "
                    "remove one",
                )
            )
            continue
        table = to_table(spec, name, grid)
        if isinstance(table, Issue):
            if any(any(clean_text(v) for v in row) for row in grid):
                issues.append(table)
            continue
        tables[spec.key] = table
    for spec in specs:
        if (
            spec.required
            and spec.key not in tables
            and not any(i.sheet == spec.title for i in issues)
        ):
            issues.append(
                Issue(
                    spec.title,
                    None,
                    None,
                    f"缺少工作表「{spec.zh}」；请添加（可用 pairing template 生成模板）",
                    f"sheet '{spec.key}' is missing; add it (pairing template makes one)",
                )
            )
    return RawBook(tables, tuple(unknown), tuple(issues))
