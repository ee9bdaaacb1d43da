"""Read a workbook (``.xlsx``) or a folder of ``.csv`` files as grids of cell values.

openpyxl reads read-only and values-only (formulas are not evaluated; defusedxml, when
installed, makes its XML parsing refuse entities). A file that cannot be read at all is an
:class:`~pairing.domain.errors.InputError` (exit 3) that names the file; everything inside a
readable file is the verifier's to judge.
"""

from __future__ import annotations

import csv
import hashlib
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from pairing.domain.errors import InputError, Issue

Grid = list[tuple[object, ...]]
Grids = dict[str, Grid]
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
READ_FAILURES = (
    OSError,
    zipfile.BadZipFile,
    InvalidFileException,
    KeyError,
    ValueError,
    TypeError,
    EOFError,
)


def unreadable(path: Path, reason: str) -> InputError:
    """Return the error for a file that cannot be read.

    Parameters
    ----------
    path
        The file.
    reason
        What went wrong, as the library said it.

    Returns
    -------
    InputError
        One issue naming the file (exit 3).
    """
    return InputError(
        [
            Issue(
                path.name,
                None,
                None,
                f"无法读取文件（{reason}）；请确认它是 pairing 写出的 .xlsx 工作簿或 CSV 文件夹",
                f"cannot read the file ({reason}); give an .xlsx workbook written by pairing "
                "or a folder of .csv files",
            )
        ]
    )


def read_grids(path: Path, wanted: Callable[[str], bool] | None = None) -> Grids:
    """Return every sheet of ``path`` (or those ``wanted``) as a grid of values, by name.

    Parameters
    ----------
    path
        An ``.xlsx`` workbook, a ``.csv`` file, or a folder of ``.csv`` files (sheet = stem).
    wanted
        Which sheet names to read (all when ``None``); the others are not parsed.

    Returns
    -------
    Grids
        Rows of cell values, in sheet order.

    Raises
    ------
    InputError
        When the path does not exist or cannot be read as a workbook or CSV.
    """
    path = Path(path)
    if not path.exists():
        raise unreadable(path, "文件不存在 / no such file")
    try:
        if path.is_dir():
            return _read_folder(path)
        if path.suffix.lower() == ".csv":
            return {path.stem: _read_csv(path)}
        return _read_xlsx(path, wanted or (lambda _: True))
    except READ_FAILURES as error:
        raise unreadable(path, f"{type(error).__name__}: {error}"[:200]) from None


def _read_xlsx(path: Path, wanted: Callable[[str], bool]) -> Grids:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions
        workbook: Any = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            return {
                str(sheet.title): _sheet_grid(sheet)
                for sheet in workbook.worksheets
                if wanted(str(sheet.title))
            }
        finally:
            workbook.close()


def _sheet_grid(sheet: Any) -> Grid:
    sheet.reset_dimensions()  # a declared A1:XFD1048576 must not pad every row
    return [tuple(values) for values in sheet.iter_rows(values_only=True)]


def _read_folder(path: Path) -> Grids:
    files = sorted(file for file in path.glob("*.csv") if file.is_file())
    if not files:
        raise OSError("文件夹中没有 .csv 文件 / the folder holds no .csv files")
    return {file.stem: _read_csv(file) for file in files}


def _read_csv(path: Path) -> Grid:
    for encoding in CSV_ENCODINGS:
        try:
            with path.open(encoding=encoding, newline="") as handle:
                return [tuple(row) for row in csv.reader(handle)]
        except UnicodeDecodeError:
            continue
    raise ValueError("CSV 既不是 UTF-8 也不是 GBK / the CSV is neither UTF-8 nor GBK")


def input_sha256(path: Path) -> str:
    """Return the SHA-256 an input is recorded by in a plan's 来源 provenance.

    A file hashes its bytes; a folder hashes its ``.csv`` files in name order, each as its
    name (UTF-8) followed by its bytes.

    Parameters
    ----------
    path
        The input file or folder.

    Returns
    -------
    str
        The hex digest.
    """
    digest = hashlib.sha256()
    path = Path(path)
    if path.is_dir():
        for file in sorted(path.glob("*.csv")):
            digest.update(file.name.encode())
            digest.update(file.read_bytes())
    else:
        digest.update(path.read_bytes())
    return digest.hexdigest()
