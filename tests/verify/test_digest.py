"""The plan's digests: the writer's prediction of the file equals what the verifier reads.

The writer hashes the values a saved workbook will hold (openpyxl stores numbers to 16
significant digits, dates as day serials, XML reads CR as LF); the verifier hashes the values
it reads back. Any value the tool can write must give the same digest on both sides, or a
clean plan would fail verification; an edit must change it, and the locators must point at it.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pairing.domain.digest import digest_sheet, grid_cells, token
from pairing.io.output import set_text
from pairing.io.workbook_writer import plain_cell, sheet_cells
from pairing.verify.integrity.sealed import (
    Recorded,
    first_column,
    first_rows,
    parse_columns,
    parse_rows,
)
from pairing.verify.reading.grids import read_grids

VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
    st.sampled_from(["=1+1", "+1+1", "-2+3", "@SUM(A1)", "a\r\nb", "a\rb", " x ", "#N/A"]),
    st.sampled_from([-0.0, 5e-324, 0.1 + 0.2, 2**60, -(2**70), 1e308]),
    st.datetimes(min_value=dt.datetime(1901, 1, 1), max_value=dt.datetime(9998, 12, 31)),
    st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(9998, 12, 31)),
    st.times(),
)


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.lists(VALUES, max_size=6), min_size=1, max_size=6))
def test_written_and_read_digests_agree(
    rows: list[list[object]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Whatever set_text stores, the digest of the sheet in memory equals the one read back."""
    path = tmp_path_factory.mktemp("digest") / "t.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            set_text(plain_cell(sheet, r, c), value)
    written = digest_sheet("t", sheet_cells(sheet), 2)
    workbook.save(path)
    read = digest_sheet("t", grid_cells(read_grids(path)[sheet.title]), 2)
    assert read == written


def test_tokens_identify_values_not_spellings() -> None:
    """3 and 3.0 are one number; blank, NaN and '' are no cell; CR LF reads as LF."""
    assert token(3) == token(3.0) == "n:3.0" and token(-0.0) == token(0)
    assert token(None) is token("") is token(float("nan")) is None
    assert token("a\r\nb") == token("a\nb") == "s:a\\nb"
    assert token("3") != token(3) and token(True) != token(1)
    assert token(dt.date(2026, 1, 5)) == token(dt.datetime(2026, 1, 5))


def test_the_locators_point_at_an_edited_cell() -> None:
    """In a 200-row sheet (blocks of 4 rows) an edit at row 150, column C is found there."""
    grid = [[f"r{r}c{c}" for c in range(1, 6)] for r in range(1, 201)]
    before = digest_sheet("t", grid_cells(grid), 4)
    grid[149][2] = "edited"
    after = digest_sheet("t", grid_cells(grid), 4)
    assert before.sha256 != after.sha256
    block, blocks = parse_rows(before.rows_text())
    recorded = Recorded(9, before.sha256, parse_columns(before.columns_text()), block, blocks)
    assert first_column(recorded.columns, after.columns) == 3
    assert first_rows(recorded, after) == (149, 152)
