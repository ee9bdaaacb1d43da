"""Read a plan workbook, an input workbook or a folder of ``.csv`` files as grids of cell values.

Every file goes through the reading gate, :mod:`pairing.sheets`: regular files only, bounded
bytes, ratios, cells, rows and text, no XML entities, every damaged part an
:class:`~pairing.domain.errors.InputError` (exit 3) naming the file (and the sheet and row).
The gate reads cells, not rules, so the verifier still judges everything inside a readable
file with code of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pairing.sheets import Grid, Grids, input_sha256
from pairing.sheets import read_grids as read_sheet_grids


def read_grids(path: Path, wanted: Callable[[str], bool] | None = None) -> Grids:
    """Return every sheet of ``path`` (or those ``wanted``) as a grid of values, by name.

    ``path``: an ``.xlsx`` workbook, a ``.csv`` file, or a folder of ``.csv`` files (sheet = stem);
    ``wanted``: which sheet names to read (all when ``None``); the others are not parsed.

    Returns rows of cell values, in sheet order.

    Raises ``InputError`` when the path cannot be read as a workbook or CSV, or breaks a reading
    limit.
    """
    return read_sheet_grids(Path(path), wanted=wanted)


__all__ = ["Grid", "Grids", "input_sha256", "read_grids"]
