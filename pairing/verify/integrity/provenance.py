"""Provenance: the plan was made from this input, and its copies were not edited since.

With ``--input``, the 来源 sheet's ``input_sha256`` must equal the input's SHA-256, and each
input sheet the reader would copy (a contract sheet with a header) must equal its copy
``输入·<sheet>`` cell by cell. The copy holds each text exactly, as a text cell (no ``'``
before a formula-like text), except what the file cannot hold: U+FFFD for characters XML
cannot hold, and CR, which XML reads back as LF (:func:`written`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from pairing.domain.cells import clean_text
from pairing.domain.plan_schema import INPUT_SHA256
from pairing.domain.schema import INPUT_SHEETS
from pairing.verify.reading.grids import Grid, Grids, input_sha256
from pairing.verify.reading.inputs import INPUT_PREFIX
from pairing.verify.reading.plan_sheets import KeyValues
from pairing.verify.reading.tables import match_sheet, to_table
from pairing.verify.report.findings import PROVENANCE, Finding

MAX_CELLS_PER_SHEET = 20
Cells = dict[tuple[int, int], object]


def sha_findings(path: Path, provenance: KeyValues) -> list[Finding]:
    """Compare the recorded ``input_sha256`` with the input's.

    ``path``: the input file or folder; ``provenance``: the plan's 来源 sheet.

    Returns an ``SRC`` finding when they differ or nothing is recorded.
    """
    row, value = provenance.values.get(INPUT_SHA256, (None, None))
    recorded, actual = clean_text(value).lower(), input_sha256(path)
    if recorded == actual:
        return []
    return [
        Finding(
            PROVENANCE,
            provenance.sheet,
            row,
            f"输入的 SHA-256 为 {actual[:12]}…，方案记录的是 {recorded[:12] or '空'}…：方案不是由此输入生成的",
            f"the input's SHA-256 is {actual[:12]}…, the plan records {recorded[:12] or 'none'}…: "
            "the plan was not made from this input",
        )
    ]


def cells(grid: Grid) -> Cells:
    """Return the non-blank cells of a grid by (row, column), both 1-based.

    ``grid``: a sheet's rows.

    Returns position -> value.
    """
    return {
        (r, c): value
        for r, row in enumerate(grid, start=1)
        for c, value in enumerate(row, start=1)
        if value is not None and value != ""
    }


def same_cell(original: object, copied: object) -> bool:
    """Return whether a copy cell holds what the input cell held, as the copy writes it.

    ``original``: the input's cell; ``copied``: the plan's copy of it.

    Returns equal values, or a text as the file holds it (:func:`written`).
    """
    if original == copied:
        return True
    if not isinstance(original, str) or not isinstance(copied, str):
        return False
    return copied == written(original)


def written(text: str) -> str:
    """Return a text as a plan file holds it: U+FFFD for what XML cannot hold, CR read as LF.

    ``text``: a text of the input.

    Returns the text a reader gets back from the plan.
    """
    safe = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)
    return safe.replace("\r\n", "\n").replace("\r", "\n")


def _differences(source: Cells, copy: Cells) -> Iterator[tuple[int, int, object, object]]:
    for position in sorted(source.keys() | copy.keys()):
        before, after = source.get(position), copy.get(position)
        if not same_cell(before, after):
            yield (*position, before, after)


def copy_findings(input_grids: Grids, plan_grids: Grids) -> list[Finding]:
    """Compare each copied input sheet with its copy in the plan, cell by cell.

    ``input_grids``: the input's sheets; ``plan_grids``: the plan's sheets.

    Returns ``SRC`` findings: a missing or extra copy, and each differing cell (at most 20 per
    sheet, then a count).
    """
    expected: dict[str, Grid] = {}
    for name, grid in input_grids.items():
        spec = match_sheet(name, INPUT_SHEETS)
        if spec is not None and to_table(name, spec, grid) is not None:
            expected.setdefault(f"{INPUT_PREFIX}{spec.title}"[:31], grid)
    found = []
    for name, grid in expected.items():
        if name not in plan_grids:
            found.append(
                Finding(
                    PROVENANCE, name, None, "方案缺少此输入副本", "the plan lacks this input copy"
                )
            )
            continue
        found += sheet_differences(name, cells(grid), cells(plan_grids[name]))
    for name in plan_grids:
        if name.startswith(INPUT_PREFIX) and name not in expected:
            found.append(
                Finding(PROVENANCE, name, None, "输入中没有此工作表", "the input has no such sheet")
            )
    return found


def sheet_differences(name: str, source: Cells, copy: Cells) -> list[Finding]:
    """Return a finding per differing cell of one copy (at most 20, then a count).

    ``name``: the copy's sheet name; ``source``, ``copy``: the input's and the copy's cells.

    Returns the differences.
    """
    found = []
    differences = list(_differences(source, copy))
    for row, column, before, after in differences[:MAX_CELLS_PER_SHEET]:
        ref = f"{get_column_letter(column)}{row}"
        found.append(
            Finding(
                PROVENANCE,
                name,
                row,
                f"{ref} 输入为「{clean_text(before)[:40]}」，副本为「{clean_text(after)[:40]}」",
                f"{ref}: the input holds '{clean_text(before)[:40]}', the copy '{clean_text(after)[:40]}'",
            )
        )
    if len(differences) > MAX_CELLS_PER_SHEET:
        more = len(differences) - MAX_CELLS_PER_SHEET
        found.append(
            Finding(PROVENANCE, name, None, f"另有 {more} 处不同", f"{more} more cells differ")
        )
    return found
