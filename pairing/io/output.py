"""Safe output: atomic replacement and text that can never become a formula.

Every file the tool writes goes to a temporary file in the target's folder and is renamed
into place, so a crash or Ctrl-C leaves any earlier file intact. Every string that came from a
user or from data is written as a text cell; a leading ``= + - @``, tab or carriage return
(OWASP's CSV-injection list) is neutralised so that no spreadsheet evaluates it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from openpyxl.cell.cell import Cell
from openpyxl.workbook.workbook import Workbook

from pairing.domain.errors import InputError, Issue

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Return ``value`` so that no spreadsheet reads it as a formula (prefix ``'`` if needed)."""
    if value.startswith(FORMULA_LEADS):
        return "'" + value
    return value


def set_text(cell: Cell, value: object) -> None:
    """Store a value in a cell; strings are always stored as plain text (data type ``s``)."""
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # openpyxl would otherwise read a leading '=' as a formula
    else:
        cell.value = value  # type: ignore[assignment]


def refuse_overwrite_input(output: Path, *inputs: Path) -> None:
    """Refuse an output path that is one of the inputs (the input is never modified)."""
    for source in inputs:
        if source.exists() and output.exists() and os.path.samefile(output, source):
            raise InputError(
                [
                    Issue(
                        output.name,
                        None,
                        None,
                        "输出文件不能与输入文件相同；请换一个文件名",
                        "the output must not be the input file; choose another name",
                    )
                ]
            )
        if output.resolve() == source.resolve():
            raise InputError(
                [
                    Issue(
                        output.name,
                        None,
                        None,
                        "输出文件不能与输入文件相同；请换一个文件名",
                        "the output must not be the input file; choose another name",
                    )
                ]
            )


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success rename it onto ``target``."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def save_workbook(workbook: Workbook, target: Path) -> None:
    """Save an openpyxl workbook atomically."""
    with atomic_path(target) as temporary:
        workbook.save(temporary)


def write_atomic(target: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(temporary_path)`` and move the result onto ``target`` atomically."""
    with atomic_path(target) as temporary:
        write(temporary)
