"""The safety checks moved to the reading gate, :mod:`pairing.sheets`; this name re-exports them.

Every file the tool opens (inputs, plans, ledgers) is read there, under one set of limits, so
that ``check``, ``solve``, ``verify`` and ``audit`` refuse a hostile file the same way. New code
imports from :mod:`pairing.sheets`.
"""

from __future__ import annotations

from pairing.sheets import (
    Budget,
    Limits,
    check_xlsx_bytes,
    damaged,
    iter_sheet_rows,
    open_xlsx,
    refuse,
    unreadable,
)
from pairing.sheets.limits import KiB, MiB
from pairing.sheets.xlsx import OLE2_MAGIC, READ_FAILURES, ZIP_MAGIC

__all__ = [
    "OLE2_MAGIC",
    "READ_FAILURES",
    "ZIP_MAGIC",
    "Budget",
    "KiB",
    "Limits",
    "MiB",
    "check_xlsx_bytes",
    "damaged",
    "iter_sheet_rows",
    "open_xlsx",
    "refuse",
    "unreadable",
]
