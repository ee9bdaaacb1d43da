"""The reading gate's parts, in-process: limits from the environment, CSV files, hash, headers.

The hostile cases themselves run the real command in ``tests/hostile/test_gate.py``; these
tests pin the rules those rely on.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pairing.domain.errors import InputError
from pairing.domain.schema import LEDGER, UNITS
from pairing.sheets import (
    LIMITS_ENV,
    Limits,
    csv_files,
    find_header,
    input_sha256,
    match_columns,
    read_grids,
)


def test_limits_come_from_the_environment() -> None:
    """``PAIRING_LIMITS`` changes the named fields only; nothing set gives the defaults."""
    limits = Limits.from_env({LIMITS_ENV: "max_rows=1000, max_ratio=2.5,max_bytes=1_000_000"})
    assert (limits.max_rows, limits.max_ratio, limits.max_bytes) == (1000, 2.5, 1_000_000)
    assert limits.max_cells == Limits().max_cells
    assert Limits.from_env({}) == Limits()


@pytest.mark.parametrize("text", ["max_rows=0", "max_rows=many", "colour=3", "max_rows"])
def test_a_malformed_limit_is_an_input_error_naming_the_variable(text: str) -> None:
    """A limit an operator believes in must be the one applied: no silent default."""
    with pytest.raises(InputError) as raised:
        Limits.from_env({LIMITS_ENV: text})
    assert LIMITS_ENV in str(raised.value) and "max_rows" in str(raised.value)


def test_csv_files_take_any_case_of_suffix_and_skip_hidden_and_lock_files(tmp_path: Path) -> None:
    """单位.CSV is a CSV; ``.x.csv``, ``._村.csv`` (macOS) and ``~$x.csv`` (Office) are not."""
    for name in ("村.csv", "单位.CSV", ".x.csv", "._村.csv", "~$x.csv", "notes.txt"):
        (tmp_path / name).write_text("a\n", encoding="utf-8")
    assert [p.name for p in csv_files(tmp_path, Limits())] == ["单位.CSV", "村.csv"]


def test_input_sha256_is_names_and_bytes_in_name_order(tmp_path: Path) -> None:
    """The folder hash is each CSV's name then bytes, in name order; a file hashes its bytes."""
    (tmp_path / "b.csv").write_bytes(b"2\n")
    (tmp_path / "a.csv").write_bytes(b"1\n")
    expected = hashlib.sha256(b"a.csv1\nb.csv2\n").hexdigest()
    assert input_sha256(tmp_path) == expected
    assert input_sha256(tmp_path / "a.csv") == hashlib.sha256(b"1\n").hexdigest()


def test_input_sha256_refuses_a_folder_entry_that_is_not_a_file(tmp_path: Path) -> None:
    """The hash reads the files the reader reads: a folder named x.csv is refused, by name."""
    (tmp_path / "a.csv").write_bytes(b"1\n")
    (tmp_path / "x.csv").mkdir()
    with pytest.raises(InputError, match=r"x\.csv"):
        input_sha256(tmp_path)


def test_gbk_reads_and_big5_is_named(tmp_path: Path) -> None:
    """Simplified Chinese in GBK (with a rare place-name character) reads; Big5 is refused."""
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("村编号,村名\nV1,荷垌村\nV2,塱头村\n".encode("gbk"))
    assert read_grids(gbk)["gbk"] == [("村编号", "村名"), ("V1", "荷垌村"), ("V2", "塱头村")]
    big5 = tmp_path / "big5.csv"
    big5.write_bytes("單位編號,單位名稱\nU1,林業局\n".encode("big5"))
    with pytest.raises(InputError, match="Big5") as raised:
        read_grids(big5)
    assert raised.value.issues[0].sheet == "big5.csv"


def test_headers_skip_title_rows_and_match_either_language() -> None:
    """The header is the first row naming every required column, title rows above it skipped."""
    grid = [("2027年工作台账",), ("单位编号", "village_id", "活动 (activity)", "日期")]
    assert find_header(LEDGER, grid) == (
        1,
        {"unit_id": 0, "village_id": 1, "activity": 2, "date": 3},
    )
    assert match_columns(UNITS, ["单位名称 (name)", "UNIT_ID"]) == {"name": 0, "unit_id": 1}
    assert find_header(UNITS, [("单位名称",)]) is None


def test_utf16_text_is_named_not_misread(tmp_path: Path) -> None:
    """Excel's "Unicode text" is UTF-16 with a byte-order mark: refused, saying so."""
    path = tmp_path / "单位.csv"
    path.write_bytes("单位编号\t单位名称\nU1\t林业局\n".encode("utf-16"))
    with pytest.raises(InputError, match="UTF-16") as raised:
        read_grids(path)
    assert raised.value.issues[0].sheet == "单位.csv"
