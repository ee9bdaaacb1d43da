"""Safe output: atomic replacement, the input never overwritten, text never a formula.

Every file the tool writes goes to a temporary file in the target's folder, is flushed to
disk and renamed into place, so a crash, Ctrl-C or a full disk leaves any earlier file
byte-identical and no temporary file behind. An output that is the input (by any path,
symlink or hard link) is refused.

Formula injection (OWASP "CSV injection": a text starting with ``= + - @``, tab or carriage
return) is handled in every CSV (and calendar) by :func:`safe_text`: such a text gets a
leading ``'``, as OWASP recommends, so it shows as text wherever it ends up (a CSV opened in
Excel, pandas, WPS). Two kinds of text are left
alone because no spreadsheet evaluates anything in them and an apostrophe would only spoil
them: a plain decimal number (``-5``, ``+3.5``, ``-1e3``; a spreadsheet reads it as that
number) and a dash placeholder (``-``, ``--``). ``-1+2`` or ``-2+3+cmd|...`` is not a plain
number and is prefixed. A text that starts with ``'`` is never changed, so writing is
idempotent.

In an xlsx, :func:`set_text` stores every string exactly, as a text cell (openpyxl would store
``=...`` as a formula and ``#N/A`` as an error value): a text cell is never evaluated, so no
``'`` is added there (it would change the value a reader gets back). A formula-like text is
also marked with Excel's *quote prefix* style, the flag Excel sets when a user types ``'-5``:
it stays text even when the cell is edited. Characters that XML cannot hold (C0 controls
other than tab, line feed and carriage return) become U+FFFD instead of aborting the write.
Numbers, dates and booleans are written as such; only strings are affected.
:func:`original_text` undoes the CSV prefix for a reader of the tool's own CSV outputs; both
live in :mod:`pairing.domain.cells`, so that the verifier and the auditor (which may not
import :mod:`pairing.io`) can use them.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.workbook.workbook import Workbook

from pairing.domain.cells import formula_like, original_text, safe_text
from pairing.domain.errors import InputError, Issue

__all__ = [
    "atomic_path",
    "csv_field",
    "formula_like",
    "original_text",
    "refuse_overwrite_input",
    "safe_text",
    "save_workbook",
    "set_text",
    "write_atomic",
    "write_csv",
    "xml_text",
]

REPLACEMENT = "\ufffd"


def xml_text(value: str) -> str:
    """Return ``value`` with the characters an xlsx cannot hold replaced by U+FFFD."""
    return ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT, value)


def set_text(cell: Cell, value: object) -> None:
    """Store a value in a cell; a string becomes a text cell (data type ``s``) holding it exactly.

    See the module notes: the quote-prefix style, U+FFFD for characters XML cannot hold; the
    OWASP ``'`` is for CSV outputs only (:func:`csv_field`).
    """
    if isinstance(value, str):
        raw = xml_text(value)
        cell.value = raw
        cell.data_type = "s"  # openpyxl reads a leading '=' as a formula, '#N/A' as an error
        if formula_like(raw):
            cell.quotePrefix = True
    else:
        cell.value = value  # type: ignore[assignment]


def csv_field(value: object) -> str:
    """Return one CSV field: blank for None, strings made safe, other values as text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_text(value)
    return str(value)


def write_csv(target: Path, rows: Iterable[Sequence[object]]) -> None:
    """Write rows to a CSV atomically, as UTF-8 with a BOM (Excel in China reads it right)."""

    def write(temporary: Path) -> None:
        """Write every row to the temporary file."""
        with temporary.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            for row in rows:
                writer.writerow([csv_field(value) for value in row])

    write_atomic(target, write)


def _same_file(first: Path, second: Path) -> bool:
    """Return whether two paths name one file (relative paths, symlinks, hard links)."""
    if first.resolve() == second.resolve():
        return True
    try:
        return os.path.samefile(first, second)
    except OSError:  # one of them does not exist
        return False


def _inside_folder_input(output: Path, source: Path) -> bool:
    """Return whether a CSV output would join the ``.csv`` files of a folder input."""
    return (
        source.is_dir()
        and output.suffix.lower() == ".csv"
        and _same_file(output.absolute().parent, source)
    )


def refuse_overwrite_input(output: Path, *inputs: Path) -> None:
    """Refuse an output path that is one of the inputs (the input is never modified)."""
    output = Path(output)
    for source in map(Path, inputs):
        if _same_file(output, source) or _inside_folder_input(output, source):
            raise InputError(
                [
                    Issue(
                        output.name,
                        None,
                        None,
                        f"输出文件不能是输入「{source.name}」本身（或其中的文件）；请换一个文件名",
                        f"the output must not be the input '{source.name}' (or inside it); "
                        "choose another name",
                    )
                ]
            )


def _cannot_write(target: Path, error: OSError) -> InputError:
    """Return the error for an output the file system refuses (named, with the reason)."""
    reason = error.strerror or type(error).__name__
    return InputError(
        [
            Issue(
                target.name,
                None,
                None,
                f"无法写入输出文件（{reason}）；请检查文件夹、权限和磁盘空间，或换一个路径",
                f"cannot write the output ({reason}); check the folder, permissions and free "
                "space, or choose another path",
            )
        ]
    )


def _new_file_mode(target: Path) -> int:
    """Return the mode the output should get: the old file's, else what umask allows."""
    with contextlib.suppress(OSError):
        return stat.S_IMODE(target.stat().st_mode)
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _flush_to_disk(path: Path) -> None:
    """fsync a file or folder (best effort: some systems cannot open folders)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success move it onto ``target``.

    If the block raises, ``target`` is untouched and the temporary file removed. An error of
    the file system (a folder as target, no permission, a full disk) is an :class:`InputError`
    naming the output.
    """
    target = Path(target)
    if target.is_dir():
        raise _cannot_write(target, IsADirectoryError(21, "是文件夹 / is a folder"))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(handle)
    except OSError as error:
        raise _cannot_write(target, error) from None
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, _new_file_mode(target))
        _flush_to_disk(temporary)
        os.replace(temporary, target)
        _flush_to_disk(target.parent)
    except OSError as error:
        raise _cannot_write(target, error) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def save_workbook(workbook: Workbook, target: Path) -> None:
    """Save an openpyxl workbook atomically.

    The workbook is zipped in memory first, then written in one go: openpyxl leaves its zip
    archive open when a write fails (a full disk), and the archive's finaliser then fails
    again at exit and prints a traceback after the right message. In memory the archive
    always closes; only the plain write of its bytes can meet the disk. The bytes are a
    fraction of the workbook openpyxl already holds. A failure of openpyxl's own temporary
    sheet files (in the system's temporary folder) names the output too.
    """
    with atomic_path(target) as temporary:
        buffer = io.BytesIO()
        workbook.save(buffer)  # openpyxl's own temporary files can meet a full disk too
        temporary.write_bytes(buffer.getvalue())


def write_atomic(target: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(temporary_path)`` and move the result onto ``target`` atomically."""
    with atomic_path(target) as temporary:
        write(temporary)
