"""The plan workbook's digests: one canonical form of a sheet's cells, shared by writer and verifier.

``pairing solve`` records in 来源 provenance the SHA-256 of every sheet it wrote, so that
``pairing verify`` can tell that a cell was changed after the plan was written, even one no
rule reads (a name, the bound, a 校验 row) and even without ``--input``. Both sides must hash
the same bytes, so the form is defined once, here, in the pure domain layer that both may
import (the verifier imports no writer code; a digest is a checksum of cell values, not a
re-derivation of a rule, so sharing it hides no modelling bug).

The canonical form of a sheet titled *t* is the UTF-8 text

    ``pairing-cells/1`` LF *t* LF, then one line per non-blank cell, row by row, left to right:
    *row* TAB *column* TAB *token* LF  (row and column 1-based)

with the token of a value **as a reader gets it back from the file** (openpyxl, values only):

=========================  ==========================================================
``None``, ``""``           blank: no line
``bool``                   ``b:1`` or ``b:0``
``int``, ``float``         ``n:`` and ``repr(float(x))`` (``3`` and ``3.0`` are one number,
                           ``-0.0`` is 0);
                           not finite: blank (the file stores no such number)
``datetime``, ``date``     ``d:`` and ``isoformat()`` (a midnight as its date alone)
``time``                   ``t:`` and ``isoformat()``
``timedelta``              ``p:`` and the seconds as ``repr(float)``
``str``                    ``s:`` and the text, CR LF and CR read as LF (XML does), then
                           ``\\`` written ``\\\\`` and LF written ``\\n`` (one line per cell)
anything else              ``o:`` and ``str(x)``
=========================  ==========================================================

The writer predicts what a reader will get (openpyxl stores numbers to 16 significant digits
and dates as day serials), so it digests the values the file will hold; the verifier digests
the values it read. The plan's digest is the SHA-256 of ``pairing-plan/1`` LF and one line
*title* TAB *sheet digest* LF per sheet, in workbook order.

To say *where* a sheet was edited, two locators are kept beside its digest, each a list of
short digests (the first 8 hex digits of a SHA-256 of the same lines): one per column (the
lines of that column) and one per block of *b* rows (the lines of rows ``k·b+1 … (k+1)·b``),
with *b* chosen by the writer (at most 64 blocks) and recorded. The first column and the
first block whose short digest differs are where the first edit is.

A digest is not a signature: someone who edits a cell can recompute it. It catches hand
edits and damage, which is what an auditor asks of "the workbook is what the tool wrote".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

SHEET_FORM = "pairing-cells/1"
PLAN_FORM = "pairing-plan/1"
SHEET_KEY_PREFIX = "sheet_sha256:"  # 来源 key of one sheet's digest: the prefix, then the title
PLAN_KEY = "plan_sha256"  # 来源 key of the plan's digest
FORM_KEY = "digest_form"  # 来源 key naming the canonical form
Cell = tuple[int, int, object]  # (row, column, value), 1-based
SHORT = 8  # hex digits of a locator's digests
MAX_BLOCKS = 64  # row blocks per sheet: a writer picks the block size to stay within it


def token(value: object) -> str | None:
    """Return the canonical token of one cell value, or ``None`` for a blank cell.

    Parameters
    ----------
    value
        A cell value as a reader of the file gets it.

    Returns
    -------
    str or None
        The token (see the module's table).
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "b:1" if value else "b:0"
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time() and value.tzinfo is None:
        return "d:" + value.date().isoformat()  # a date cell reads back as midnight
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return ("t:" if isinstance(value, dt.time) else "d:") + value.isoformat()
    if isinstance(value, dt.timedelta):
        return "p:" + repr(value.total_seconds())
    if isinstance(value, str):
        text = value.replace("\r\n", "\n").replace("\r", "\n")
        return "s:" + text.replace("\\", "\\\\").replace("\n", "\\n")
    return "o:" + str(value)


def _number(value: int | float) -> str | None:
    """Return the token of a number: one spelling for 3 and 3.0, nothing for NaN or infinity."""
    try:
        number = float(value) + 0.0  # -0.0 is stored as "-0", which reads back as 0
    except OverflowError:  # an integer beyond any float: only a hand edit makes one
        return f"n:{value}"
    return None if not math.isfinite(number) else "n:" + repr(number)


def grid_cells(rows: Iterable[Sequence[object]]) -> Iterable[Cell]:
    """Yield the cells of a grid whose first row is row 1 and first column is column 1.

    Parameters
    ----------
    rows
        The sheet's rows of values.

    Yields
    ------
    Cell
        ``(row, column, value)`` of every cell, blank or not.
    """
    for row, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            yield row, column, value


@dataclass(frozen=True, slots=True)
class SheetDigest:
    """A sheet's SHA-256 and its locators.

    Attributes
    ----------
    sha256
        The sheet's digest (hex).
    columns
        ``(column, short digest)`` of every column holding a non-blank cell, left to right.
    block
        Rows per block.
    blocks
        The short digest of each block of rows, top to bottom (up to the last non-blank row).
    """

    sha256: str
    columns: tuple[tuple[int, str], ...]
    block: int
    blocks: tuple[str, ...]

    def columns_text(self) -> str:
        """Return the column locator as recorded: ``A:1a2b3c4d B:…``.

        Returns
        -------
        str
            Letter, colon and short digest per column, space-separated.
        """
        return " ".join(f"{column_letter(column)}:{short}" for column, short in self.columns)

    def rows_text(self) -> str:
        """Return the row locator as recorded: the block size, ``|``, the blocks' digests.

        Returns
        -------
        str
            ``b|d1 d2 …``.
        """
        return f"{self.block}|" + " ".join(self.blocks)


def block_size(last_row: int) -> int:
    """Return the rows per block that keeps a sheet of ``last_row`` rows within 64 blocks.

    Parameters
    ----------
    last_row
        The sheet's last row.

    Returns
    -------
    int
        At least 1.
    """
    return max(1, -(-last_row // MAX_BLOCKS))


def column_letter(column: int) -> str:
    """Return a column's spreadsheet letters (1 -> ``A``, 27 -> ``AA``).

    Parameters
    ----------
    column
        1-based.

    Returns
    -------
    str
        The letters.
    """
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def digest_sheet(title: str, cells: Iterable[Cell], block: int = 1) -> SheetDigest:
    """Return a sheet's digest in the canonical form, and its column and row locators.

    Parameters
    ----------
    title
        The sheet's title.
    cells
        ``(row, column, value)`` in row-major order; blank cells may be included or left out.
    block
        Rows per block of the row locator (the writer's choice; the verifier reads it back).

    Returns
    -------
    SheetDigest
        Digest and locators.
    """
    head = f"{SHEET_FORM}\n{title}\n".encode()
    whole = hashlib.sha256(head)
    columns: dict[int, hashlib._Hash] = {}
    blocks: dict[int, hashlib._Hash] = {}
    for row, column, value in cells:
        text = token(value)
        if text is None:
            continue
        line = f"{row}\t{column}\t{text}\n".encode()
        whole.update(line)
        columns.setdefault(column, hashlib.sha256(head)).update(line)
        blocks.setdefault((row - 1) // block, hashlib.sha256(head)).update(line)
    empty = hashlib.sha256(head).hexdigest()[:SHORT]
    last = max(blocks, default=-1)
    return SheetDigest(
        whole.hexdigest(),
        tuple((column, columns[column].hexdigest()[:SHORT]) for column in sorted(columns)),
        block,
        tuple(blocks[k].hexdigest()[:SHORT] if k in blocks else empty for k in range(last + 1)),
    )


def sheet_digest(title: str, cells: Iterable[Cell]) -> str:
    """Return the SHA-256 of a sheet in the canonical form.

    Parameters
    ----------
    title
        The sheet's title.
    cells
        ``(row, column, value)`` in row-major order; blank cells may be included or left out.

    Returns
    -------
    str
        The hex digest.
    """
    return digest_sheet(title, cells).sha256


def plan_digest(sheets: Iterable[tuple[str, str]]) -> str:
    """Return the plan's SHA-256 from its sheets' titles and digests, in workbook order.

    Parameters
    ----------
    sheets
        ``(title, sheet digest)`` per sheet.

    Returns
    -------
    str
        The hex digest.
    """
    text = "".join(f"{title}\t{digest}\n" for title, digest in sheets)
    return hashlib.sha256(f"{PLAN_FORM}\n{text}".encode()).hexdigest()


def sheet_key(title: str) -> str:
    """Return the 来源 key that records the digest of sheet ``title``.

    Parameters
    ----------
    title
        A sheet title.

    Returns
    -------
    str
        ``sheet_sha256:`` followed by the title.
    """
    return SHEET_KEY_PREFIX + title


def is_digest_key(key: str) -> bool:
    """Return whether a 来源 key holds a digest (whose value no digest can cover).

    Parameters
    ----------
    key
        A 来源 key.

    Returns
    -------
    bool
        ``True`` for a sheet's or the plan's digest.
    """
    return key == PLAN_KEY or key.startswith(SHEET_KEY_PREFIX)
