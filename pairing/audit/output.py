"""Safe output for the audit workbook: text cells that never become formulas, atomic save.

Every string is stored as a plain text cell (data type ``s``) holding exactly the user's text;
one that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return also gets Excel's
quote-prefix style, so a unit name or a ledger cell typed as ``=HYPERLINK(...)`` stays text
when a person edits the cell. A literal ``'`` would change the value (issue 14 item 11).

The workbook is saved to a temporary file in the target's folder and moved onto the target
with :func:`os.replace`, so an existing file is never half-written.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.workbook.workbook import Workbook

from pairing.domain.errors import InputError, Issue

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def put(cell: Cell, value: object) -> None:
    """Store ``value`` in ``cell``: strings as safe text cells, other values as they are.

    Parameters
    ----------
    cell
        The cell.
    value
        A string, number, date, bool or ``None``.
    """
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
        cell.value = text
        cell.data_type = "s"  # openpyxl would read a leading '=' as a formula
        if text.startswith(FORMULA_LEADS):
            cell.quotePrefix = True
    else:
        cell.value = value  # type: ignore[assignment]


def save_atomic(workbook: Workbook, target: Path) -> None:
    """Save ``workbook`` to ``target`` through a temporary file in the same folder.

    Parameters
    ----------
    workbook
        The workbook.
    target
        The file to write.

    Raises
    ------
    InputError
        When the folder cannot be written (exit 3); ``target`` is then untouched.
    """
    target = Path(target)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(handle)
        try:
            workbook.save(name)
            os.replace(name, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(name)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InputError(
            [
                Issue(
                    target.name,
                    None,
                    None,
                    f"无法写入输出文件（{reason}）；请检查文件夹与权限",
                    f"cannot write the output ({reason}); check the folder and permissions",
                )
            ]
        ) from None
