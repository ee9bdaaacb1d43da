"""Was the plan edited after it was written? Its sheets against the digests in 来源 provenance.

``pairing solve`` records the SHA-256 of every sheet it wrote (:mod:`pairing.domain.digest`
defines the form; the writer and this module share nothing else). Here each sheet of the
file is hashed again from the values read: a sheet that differs, one that was deleted,
renamed or added, a changed order of sheets and a digest row that was itself changed are
``EDT`` findings, without ``--input``. A differing sheet is located by its column and row
locators: the first column and the first block of rows whose short digests differ.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pairing.domain import plan_schema as layout
from pairing.domain.cells import clean_text, quote
from pairing.domain.digest import (
    FORM_KEY,
    PLAN_KEY,
    SHEET_FORM,
    SHEET_KEY_PREFIX,
    Cell,
    SheetDigest,
    column_letter,
    digest_sheet,
    grid_cells,
    is_digest_key,
    plan_digest,
)
from pairing.domain.plan_schema import requiring
from pairing.verify.reading.grids import Grid, Grids
from pairing.verify.reading.tables import Table, find_table
from pairing.verify.report.findings import EDITED, HAND_EDIT_EN, HAND_EDIT_ZH, Finding

PROVENANCE = requiring(layout.PROVENANCE, "key", "value")
LOCATORS = ("value", "columns", "rows")  # the cells of a digest row no digest covers
EDITED_ZH = "在方案写出后被改动"
EDITED_EN = "edited after the plan was written"


@dataclass(frozen=True, slots=True)
class Recorded:
    """One digest row of 来源 provenance.

    - ``row``: its Excel row.
    - ``sha256``: the recorded digest (lower-case hex; ``''`` when blank).
    - ``columns``: column letters -> short digest.
    - ``block``: rows per block (1 when unreadable).
    - ``blocks``: short digests of the row blocks.
    """

    row: int
    sha256: str
    columns: dict[str, str]
    block: int
    blocks: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Seal:
    """What 来源 provenance records about the workbook as written.

    - ``sheet``: the provenance sheet's name.
    - ``form``: the recorded digest form (``''`` when absent).
    - ``sheets``: title -> its digest row, in recorded order.
    - ``plan``: the ``plan_sha256`` row and value, or ``None``.
    - ``skip``: positions of 来源 that no digest covers (the digest rows' value and locator cells).
    """

    sheet: str
    form: str
    sheets: dict[str, Recorded]
    plan: tuple[int, str] | None
    skip: frozenset[tuple[int, int]]


def parse_columns(text: str) -> dict[str, str]:
    """Return a column locator (``A:1a2b3c4d B:…``) as letters -> short digest.

    ``text``: the recorded locator.

    Returns unreadable parts are left out (so they differ).
    """
    parts = (part.partition(":") for part in text.split())
    return {letter: short for letter, _, short in parts if short}


def parse_rows(text: str) -> tuple[int, tuple[str, ...]]:
    """Return a row locator (``b|d1 d2 …``) as the block size and the blocks' digests.

    ``text``: the recorded locator.

    Returns ``(block, digests)``; an unreadable size gives 1.
    """
    size, _, digests = text.partition("|")
    block = int(size) if size.isdigit() and int(size) > 0 else 1
    return block, tuple(digests.split())


def recorded_row(table: Table, number: int, values: tuple[object, ...]) -> Recorded:
    """Return one digest row as recorded.

    - ``table``: the provenance table.
    - ``number``: its Excel row.
    - ``values``: its cells.

    Returns the digest and locators.
    """
    block, blocks = parse_rows(table.text(values, "rows"))
    return Recorded(
        number,
        table.text(values, "value").lower(),
        parse_columns(table.text(values, "columns")),
        block,
        blocks,
    )


def read_seal(table: Table) -> Seal:
    """Return the digests 来源 provenance records (first row of each sheet wins).

    ``table``: the provenance table.

    Returns form, sheet digests, plan digest and the positions they occupy.
    """
    form, plan = "", None
    sheets: dict[str, Recorded] = {}
    skip: set[tuple[int, int]] = set()
    indices = [table.columns[key] + 1 for key in LOCATORS if key in table.columns]
    for number, values in table.rows:
        key = table.text(values, "key")
        if key == FORM_KEY:
            form = table.text(values, "value")
        if not is_digest_key(key):
            continue
        skip.update((number, index) for index in indices)
        if key == PLAN_KEY:
            plan = plan or (number, table.text(values, "value").lower())
        else:
            sheets.setdefault(key[len(SHEET_KEY_PREFIX) :], recorded_row(table, number, values))
    return Seal(table.sheet, form, sheets, plan, frozenset(skip))


def cells_of(grid: Grid, skip: frozenset[tuple[int, int]]) -> Iterator[Cell]:
    """Yield a grid's cells, leaving out ``skip``.

    ``grid``: a sheet's rows; ``skip``: positions to leave out.

    Yields ``(row, column, value)``.
    """
    for row, column, value in grid_cells(grid):
        if (row, column) not in skip:
            yield row, column, value


def sealed_findings(grids: Grids) -> list[Finding]:
    """Return an ``EDT`` finding for every sheet that is not as the plan's digests record.

    ``grids``: every sheet of the plan workbook, in workbook order.

    Returns edited, deleted, added and reordered sheets, and edited digest rows.
    """
    table = find_table(grids, PROVENANCE)
    seal = None if table is None else read_seal(table)
    if seal is None or not seal.sheets or seal.form != SHEET_FORM:
        return [unsealed(table.sheet if table else "来源 provenance", seal)]
    found: list[Finding] = []
    actual: list[tuple[str, str]] = []
    for title, grid in grids.items():
        recorded = seal.sheets.get(title)
        if recorded is None:
            found.append(whole_sheet(title, "此表是在方案写出后加入的", "this sheet was added"))
            continue
        skip = seal.skip if title == seal.sheet else frozenset()
        digest = digest_sheet(title, cells_of(grid, skip), recorded.block)
        actual.append((title, digest.sha256))
        if digest.sha256 != recorded.sha256:
            found.append(edited(title, grid, recorded, digest, seal.sheet))
    found += missing_sheets(seal, grids)
    if not found:
        found += order_and_plan(seal, actual)
    return found


def unsealed(sheet: str, seal: Seal | None) -> Finding:
    """Return the finding for a plan whose digests cannot be read.

    ``sheet``: the provenance sheet's name; ``seal``: what was read, or ``None`` without a
    provenance table.

    Returns cannot confirm the plan is as written.
    """
    form = "" if seal is None else seal.form
    if seal is not None and seal.sheets and form != SHEET_FORM:
        why_zh, why_en = (
            f"摘要格式「{quote(form)}」未知",
            f"the digest form '{quote(form)}' is unknown",
        )
    else:
        why_zh, why_en = "没有各工作表的 SHA-256", "there is no SHA-256 of the sheets"
    return Finding(
        EDITED,
        sheet,
        None,
        f"{why_zh}：无法确认方案写出后未被改动（由旧版本写出，或摘要行被删改）",
        f"{why_en}: cannot confirm that the plan was not edited after it was written (written "
        "by an older pairing, or its digest rows were deleted or changed)",
    )


def whole_sheet(title: str, zh: str, en: str) -> Finding:
    """Return an ``EDT`` finding about a whole sheet.

    ``title``: the sheet; ``zh``, ``en``: what happened to it (the English is completed with "after
    the plan was written").

    Returns located at the sheet.
    """
    return Finding(EDITED, title, None, zh, f"{en} after the plan was written")


def missing_sheets(seal: Seal, grids: Grids) -> list[Finding]:
    """Return a finding per recorded sheet the workbook no longer holds.

    ``seal``: the recorded digests; ``grids``: the workbook's sheets.

    Returns deleted or renamed sheets.
    """
    return [
        whole_sheet(title, "此表在方案写出后被删除或改名", "this sheet was deleted or renamed")
        for title in seal.sheets
        if title not in grids
    ]


def order_and_plan(seal: Seal, actual: list[tuple[str, str]]) -> list[Finding]:
    """Return findings when every sheet matches but their order or the plan digest does not.

    ``seal``: the recorded digests; ``actual``: ``(title, digest)`` of the workbook's sheets, in
    workbook order.

    Returns A reordering, or digest rows that were edited.
    """
    if [title for title, _ in actual] != list(seal.sheets):
        return [
            Finding(
                EDITED,
                seal.sheet,
                None,
                f"工作表的顺序与写出时不同（{EDITED_ZH}）",
                f"the sheets are not in the order they were written in ({EDITED_EN})",
            )
        ]
    row, recorded = seal.plan or (None, "")
    if plan_digest(actual) == recorded:
        return []
    return [
        Finding(
            EDITED,
            seal.sheet,
            row,
            f"方案 SHA-256 与各表的摘要不符：摘要行被改动（{EDITED_ZH}）",
            f"the plan's SHA-256 does not match its sheets' digests: digest rows were changed "
            f"({EDITED_EN})",
        )
    ]


def edited(title: str, grid: Grid, recorded: Recorded, digest: SheetDigest, at: str) -> Finding:
    """Return the finding for a sheet whose digest differs, located by its locators.

    - ``title``: the sheet.
    - ``grid``: its rows.
    - ``recorded``: its digest row.
    - ``digest``: its digest as read.
    - ``at``: the provenance sheet's name.

    Returns at the first differing row block and column, when the locators tell them.
    """
    column = first_column(recorded.columns, digest.columns)
    rows = first_rows(recorded, digest)
    where_zh, where_en = "", ""
    if rows is not None:
        first, last = rows
        span = str(first) if first == last else f"{first}-{last}"
        where_zh, where_en = (
            f"，首处不同在第 {span} 行",
            f"; the first difference is in row(s) {span}",
        )
    label = None if column is None else column_label(grid, column)
    if label is not None:
        where_zh += f"，{label} 列"
        where_en += f", column {label}"
    if title == layout.ASSIGNMENTS.title:
        where_zh += f"。{HAND_EDIT_ZH}"
        where_en += f". {HAND_EDIT_EN}"
    return Finding(
        EDITED,
        title,
        None if rows is None else rows[0],
        f"此表{EDITED_ZH}：其 SHA-256 与「{at}」第{recorded.row}行记录的不同{where_zh}",
        f"this sheet was {EDITED_EN}: its SHA-256 differs from the one recorded on {at} row "
        f"{recorded.row}{where_en}",
        label,
    )


def first_column(recorded: dict[str, str], actual: Iterable[tuple[int, str]]) -> int | None:
    """Return the first column whose short digest differs from the recorded one.

    ``recorded``: letters -> short digest, as recorded; ``actual``: ``(column, short digest)`` as
    read.

    Returns the 1-based column, or ``None`` when every column agrees.
    """
    read = {column_letter(column): short for column, short in actual}
    for letter in sorted(recorded.keys() | read.keys(), key=column_number):
        if recorded.get(letter) != read.get(letter):
            return column_number(letter)
    return None


def column_number(letters: str) -> int:
    """Return the 1-based number of column ``letters`` (``AA`` -> 27).

    ``letters``: Upper-case letters.

    Returns the column.
    """
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def first_rows(recorded: Recorded, digest: SheetDigest) -> tuple[int, int] | None:
    """Return the rows of the first block whose short digest differs.

    ``recorded``: the digest row; ``digest``: the sheet as read (with the recorded block size).

    Returns ``(first row, last row)`` of the block, or ``None`` when every block agrees.
    """
    size = max(len(recorded.blocks), len(digest.blocks))
    for k in range(size):
        before = recorded.blocks[k] if k < len(recorded.blocks) else None
        after = digest.blocks[k] if k < len(digest.blocks) else None
        if before != after:
            return k * recorded.block + 1, (k + 1) * recorded.block
    return None


def column_label(grid: Grid, column: int) -> str:
    """Return a column's letters and, when its first row has text, that header.

    ``grid``: the sheet's rows; ``column``: 1-based.

    Returns ``E`` or ``E 单位名称 (unit_name)``.
    """
    header = grid[0][column - 1] if grid and column <= len(grid[0]) else None
    text = clean_text(header)
    return column_letter(column) + (f" {quote(text)}" if text else "")
