"""Load raw tables from an ``.xlsx`` workbook or a folder of ``.csv`` files.

A :class:`RawTable` is one sheet as found: its header row located (title rows above it are
skipped), every column matched to the contract or kept as an extra, and every non-blank row
with its Excel row number. Nothing is interpreted here; :mod:`pairing.io.build` does that.
"""

from __future__ import annotations

import csv
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pairing.domain.cells import clean_text, name_candidates, name_key
from pairing.domain.errors import InputError, Issue
from pairing.domain.schema import INPUT_SHEETS, LEDGER, Sheet
from pairing.io.safety import (
    OLE2_MAGIC,
    ZIP_MAGIC,
    Budget,
    Limits,
    iter_sheet_rows,
    open_xlsx,
    refuse,
)

HEADER_SEARCH_ROWS = 10  # title rows above a header: Chinese office sheets often have one or two
CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # Excel in China saves CSV as GBK by default
# Characters in one CSV field: above Excel's 32,767 (so a long cell reaches the budget and is
# reported as such) and above the csv module's 128 KiB, yet bounded (memory of one field).
CSV_FIELD_LIMIT = 2**20


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
    """Return every sheet of ``path`` (xlsx or csv folder, or one csv) as a grid of values.

    The work is bounded by ``limits`` (see :class:`~pairing.io.safety.Budget`); an over-long
    cell is reported with its sheet, row and column letter; a file that cannot be read at
    all is an :class:`InputError` that says what to do.
    """
    budget = Budget(limits or Limits())
    try:
        grids = _read_any(Path(path), budget)
    except OSError as error:
        raise refuse(
            Path(path),
            f"无法读取文件（{error.strerror or error}）；请检查路径和权限",
            f"cannot read the file ({error.strerror or error}); check the path and permissions",
        ) from None
    if budget.issues:
        raise InputError(budget.issues)
    return grids


def _read_any(path: Path, budget: Budget) -> dict[str, list[tuple[object, ...]]]:
    """Dispatch on the kind of input: a folder of CSV files, one CSV, or a workbook."""
    if path.is_dir():
        files = sorted(p for p in path.glob("*.csv") if p.is_file())
        if not files:
            raise refuse(
                path,
                "文件夹中没有 .csv 文件；请放入 单位.csv、村.csv 等，或直接使用 .xlsx 工作簿",
                "the folder holds no .csv files; add 单位.csv, 村.csv, ... (or units.csv, "
                "villages.csv), or use an .xlsx workbook",
            )
        return {file.stem: _read_csv(file, budget) for file in files}
    if not path.is_file():  # a FIFO or a device would block or never end
        raise refuse(path, "不是普通文件", "not a regular file")
    if path.suffix.lower() == ".csv":
        return {path.stem: _read_csv(path, budget)}
    return _read_xlsx(path, budget)


def _read_xlsx(path: Path, budget: Budget) -> dict[str, list[tuple[object, ...]]]:
    """Read every worksheet of a workbook, row by row, within the budget."""
    workbook = open_xlsx(path, budget.limits)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about what it skips
            return {
                str(sheet.title): _read_sheet(path, sheet, budget) for sheet in workbook.worksheets
            }
    finally:
        workbook.close()


def _read_sheet(path: Path, worksheet: Any, budget: Budget) -> list[tuple[object, ...]]:
    """Read one read-only worksheet as a grid, accounting every row to the budget."""
    title = str(worksheet.title)
    grid: list[tuple[object, ...]] = []
    for values in iter_sheet_rows(path, worksheet):
        budget.take(title, len(grid) + 1, values)
        grid.append(values)
    return grid


def _read_csv(path: Path, budget: Budget) -> list[tuple[object, ...]]:
    """Read one CSV as text (UTF-8, else GBK as Excel in China saves it), within the budget."""
    size = path.stat().st_size
    if size > budget.limits.max_bytes:
        raise InputError([budget.limits.too_big(path.name, size)])
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith((ZIP_MAGIC, OLE2_MAGIC)):
        raise refuse(
            path,
            "这是 Excel 工作簿而不是 CSV；请把扩展名改为 .xlsx",
            "this is an Excel workbook, not a CSV; rename it .xlsx",
        )
    mark = budget.mark()
    for encoding in CSV_ENCODINGS:
        try:
            return _parse_csv(path, encoding, budget)
        except UnicodeDecodeError:
            budget.reset(mark)
    raise refuse(
        path,
        "CSV 文件既不是 UTF-8 也不是 GBK 编码；请在 Excel 中另存为「CSV UTF-8（逗号分隔）」",
        "the CSV is neither UTF-8 nor GBK text; in Excel, save it as 'CSV UTF-8 (Comma delimited)'",
    )


def _parse_csv(path: Path, encoding: str, budget: Budget) -> list[tuple[object, ...]]:
    """Parse a CSV in one encoding; raise UnicodeDecodeError when it is not that encoding."""
    rows: list[tuple[object, ...]] = []
    previous = csv.field_size_limit(CSV_FIELD_LIMIT)
    try:
        with path.open(encoding=encoding, newline="") as handle:
            reader = csv.reader(handle)
            for row in reader:
                budget.take(path.name, len(rows) + 1, row)
                rows.append(tuple(row))
    except csv.Error as error:
        raise InputError([_csv_issue(path, len(rows) + 1, error, budget.limits)]) from None
    finally:
        csv.field_size_limit(previous)
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
    return book_from_grids(read_grids(path, limits), specs)


def book_from_grids(grids: dict[str, list[tuple[object, ...]]], specs: Sequence[Sheet]) -> RawBook:
    """Match named grids to the contract's sheets and locate their headers."""
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


def _csv_issue(path: Path, row: int, error: csv.Error, limits: Limits) -> Issue:
    """Return the issue for a CSV the csv module cannot parse, at its row."""
    if "field limit" in str(error):
        return Issue(
            path.name,
            row,
            None,
            f"单元格文字过长（超过 {CSV_FIELD_LIMIT:,} 字，Excel 上限 {limits.max_string:,}）；请缩短",
            f"a cell's text is too long (over {CSV_FIELD_LIMIT:,} characters; Excel's limit is "
            f"{limits.max_string:,}); shorten it",
        )
    return Issue(
        path.name,
        row,
        None,
        f"CSV 格式有误（{error}）；请在 Excel 中打开后重新另存为 CSV",
        f"malformed CSV ({error}); open it in Excel and save it again as CSV",
    )
