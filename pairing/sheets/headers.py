"""Find a contract sheet by its name and its header row by its cells, as DESIGN.md spells them.

A sheet name matches in Chinese, in English or as ``中文 english``; a header cell matches a
column as ``中文 (english_key)``, either part alone, or an alias (case-, space- and width-free,
:func:`pairing.domain.cells.name_candidates`). Title rows above the header are skipped: the
header is the first of the first :data:`HEADER_SEARCH_ROWS` rows that names every required
column. The input reader, the verifier and the auditor all find their sheets with these
functions, so they cannot disagree on where a table starts; what the cells mean is theirs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pairing.domain.cells import clean_text, name_candidates, name_key
from pairing.domain.schema import Sheet

HEADER_SEARCH_ROWS = 10  # title rows above a header: Chinese office sheets often have one or two
Header = tuple[int, dict[str, int]]


def sheet_keys(name: str) -> set[str]:
    """Return the keys a sheet name may be matched by (``单位 units`` gives both words)."""
    return name_candidates(name) | {name_key(part) for part in clean_text(name).split()}


def match_sheet(name: str, specs: Iterable[Sheet]) -> Sheet | None:
    """Return the first contract sheet among ``specs`` that the sheet name ``name`` spells."""
    keys = sheet_keys(name)
    for spec in specs:
        if keys & spec.keys():
            return spec
    return None


def match_columns(spec: Sheet, header: Sequence[object]) -> dict[str, int]:
    """Map each column of ``spec`` found in ``header`` to its 0-based index (first match wins)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        keys = name_candidates(cell)
        for column in spec.columns:
            if column.key not in found and keys & column.keys():
                found[column.key] = index
                break
    return found


def find_header(spec: Sheet, grid: Sequence[Sequence[object]]) -> Header | None:
    """Return the 0-based index and column map of the header row, or None.

    The header is the first of the first rows that names a column of ``spec`` and every
    required one.
    """
    required = {column.key for column in spec.columns if column.required}
    for index, values in enumerate(grid[:HEADER_SEARCH_ROWS]):
        columns = match_columns(spec, values)
        if columns and required <= columns.keys():
            return index, columns
    return None


def best_header(spec: Sheet, grid: Sequence[Sequence[object]]) -> Header | None:
    """Return the header (:func:`find_header`), else the row naming most columns, for a message."""
    found = find_header(spec, grid)
    if found is not None:
        return found
    best: Header | None = None
    for index, values in enumerate(grid[:HEADER_SEARCH_ROWS]):
        columns = match_columns(spec, values)
        if columns and (best is None or len(columns) > len(best[1])):
            best = (index, columns)
    return best
