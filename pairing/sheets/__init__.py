"""The reading gate: every file the tool opens goes through here, and nothing else reads files.

This package is the trusted base shared by the input reader (:mod:`pairing.io`), the verifier
(:mod:`pairing.verify`) and the auditor (:mod:`pairing.audit`). It reads cells, never rules:

* :mod:`~pairing.sheets.files`: regular files only (no pipe, device, folder or dangling link),
  the ``.csv`` files of a folder in any case of suffix, and the input's SHA-256;
* :mod:`~pairing.sheets.limits`: bytes, cells, rows and text bounds (``PAIRING_LIMITS``);
* :mod:`~pairing.sheets.xlsx`: zip, ratio, part and XML-entity checks, then bounded rows;
* :mod:`~pairing.sheets.csvtext`: bounded CSV reading in UTF-8 or GBK, Big5 named, not guessed;
* :mod:`~pairing.sheets.grids`: :func:`read_grids`, the one entry point;
* :mod:`~pairing.sheets.headers`: sheet names and header rows as the contract spells them.

What a cell means (ids, numbers, rules) is decided above, separately by each reader, so the
verifier still re-derives every rule with code of its own.
"""

from __future__ import annotations

from pairing.sheets.files import csv_files, input_sha256
from pairing.sheets.grids import read_grids
from pairing.sheets.headers import (
    HEADER_SEARCH_ROWS,
    best_header,
    find_header,
    match_columns,
    match_sheet,
    sheet_keys,
)
from pairing.sheets.limits import LIMITS_ENV, Budget, Limits
from pairing.sheets.refusals import damaged, refuse, unreadable
from pairing.sheets.xlsx import Grid, Grids, check_xlsx_bytes, iter_sheet_rows, open_xlsx

__all__ = [
    "HEADER_SEARCH_ROWS",
    "LIMITS_ENV",
    "Budget",
    "Grid",
    "Grids",
    "Limits",
    "best_header",
    "check_xlsx_bytes",
    "csv_files",
    "damaged",
    "find_header",
    "input_sha256",
    "iter_sheet_rows",
    "match_columns",
    "match_sheet",
    "open_xlsx",
    "read_grids",
    "refuse",
    "sheet_keys",
    "unreadable",
]
