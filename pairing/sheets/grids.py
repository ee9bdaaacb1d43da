"""Every file the tool reads, as grids of raw cell values: one entry point, one set of limits.

``read_grids`` takes an ``.xlsx`` workbook, one ``.csv`` file or a folder of ``.csv`` files (the
sheet is the file's stem) and returns each sheet's rows, nothing interpreted. The input reader,
the verifier (plans and ``--input``) and the auditor (plans and ledgers) all call it, so a pipe,
a device, a zip bomb, a damaged part or an over-long cell is refused the same way everywhere:
an :class:`~pairing.domain.errors.InputError` (exit 3) naming the file, and the sheet, row and
column when the fault is inside one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pairing.domain.errors import InputError
from pairing.sheets.csvtext import read_csv
from pairing.sheets.files import csv_files, is_csv, not_found
from pairing.sheets.limits import Budget, Limits
from pairing.sheets.refusals import os_failure
from pairing.sheets.xlsx import Grids, read_xlsx


def read_grids(
    path: Path, limits: Limits | None = None, wanted: Callable[[str], bool] | None = None
) -> Grids:
    """Return every sheet of ``path`` (or those ``wanted``) as a grid of values, by name.

    - ``path``: an ``.xlsx`` workbook, a ``.csv`` file, or a folder of ``.csv`` files (sheet =
      stem).
    - ``limits``: the bounds of the work (default: :meth:`Limits.from_env`).
    - ``wanted``: which sheet names to read (all when ``None``); the others are not parsed.

    Returns rows of cell values, in sheet order.

    Raises ``InputError`` when the file cannot be read, breaks a limit, or holds an over-long cell
    (all of those are listed, with sheet, row and column letter).
    """
    path = Path(path)
    budget = Budget(limits or Limits.from_env())
    try:
        grids = _read_any(path, budget, wanted or (lambda _: True))
    except OSError as error:
        raise os_failure(path, error) from None
    if budget.issues:
        raise InputError(budget.issues)
    return grids


def _read_any(path: Path, budget: Budget, wanted: Callable[[str], bool]) -> Grids:
    """Dispatch on the kind of input: a folder of CSV files, one CSV, or a workbook."""
    if not path.exists():
        raise not_found(path)
    if path.is_dir():
        files = csv_files(path, budget.limits)
        return {file.stem: read_csv(file, budget) for file in files if wanted(file.stem)}
    if is_csv(path):
        return {path.stem: read_csv(path, budget)}
    return read_xlsx(path, budget, wanted)
