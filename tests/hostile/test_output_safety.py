"""What the tool writes: never a formula, never half a file, never over the input."""

from __future__ import annotations

import csv
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.cell.cell import Cell

from pairing.domain.errors import InputError
from pairing.io.output import (
    original_text,
    refuse_overwrite_input,
    safe_text,
    save_workbook,
    set_text,
    write_atomic,
    write_csv,
)

from .helpers import assert_no_formula_cells, assert_no_formula_csv, unsafe_text
from .workbooks import VALID, write_csv_folder, write_xlsx

HOSTILE = [
    '=HYPERLINK("http://x","y")',
    "@SUM(1)",
    "+1",
    "-1+2",
    "\t=1",
    "\r=1",
    "=1+1",
    "-2+3+cmd|' /C calc'!A0",
    "#N/A",
    "ok\x01\x0bcontrol",
    "-5",
    "-",
]


def hostile_workbook(path: Path) -> Path:
    """Write every hostile string through :func:`set_text` and save atomically."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row, text in enumerate(HOSTILE, 1):
        text_cell, number_cell = sheet.cell(row, 1), sheet.cell(row, 2)
        assert isinstance(text_cell, Cell) and isinstance(number_cell, Cell)
        set_text(text_cell, text)
        set_text(number_cell, -5)  # a number stays a number
    save_workbook(workbook, path)
    return path


def test_hostile_strings_are_text_in_xlsx(tmp_path: Path) -> None:
    """No formula and no evaluable text survives set_text; numbers stay numbers."""
    path = hostile_workbook(tmp_path / "out.xlsx")
    assert_no_formula_cells(path)
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    assert sheet["A1"].value == '=HYPERLINK("http://x","y")' and sheet["A1"].quotePrefix
    assert sheet["A1"].data_type == "s"  # the exact text, as a text cell: never evaluated
    assert sheet["A9"].value == "#N/A" and sheet["A9"].data_type == "s"
    assert sheet["A10"].value == "ok\ufffd\ufffdcontrol"
    assert sheet["A11"].value == "-5" and sheet["A11"].quotePrefix
    assert sheet["B1"].value == -5 and sheet["B1"].data_type == "n"


def test_the_helper_catches_formulas(tmp_path: Path) -> None:
    """assert_no_formula_cells fails on what openpyxl writes by default, so it can fail."""
    for bad in ("=1+1", "@SUM(1)"):
        path = write_xlsx(tmp_path / "raw.xlsx", {"s": [[bad]]})
        with pytest.raises(AssertionError):
            assert_no_formula_cells(path)


def test_csv_fields_are_safe(tmp_path: Path) -> None:
    """write_csv neutralises every hostile string and leaves plain numbers alone."""
    path = tmp_path / "out.csv"
    write_csv(path, [[text, 3, None] for text in HOSTILE])
    assert_no_formula_csv(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ['\'=HYPERLINK("http://x","y")', "3", ""]
    assert rows[10] == ["-5", "3", ""] and rows[11][0] == "-"


def test_the_csv_helper_catches_formulas(tmp_path: Path) -> None:
    """assert_no_formula_csv fails on a raw formula field."""
    path = write_csv_folder(tmp_path / "raw", {"s": [["=1+1"]]}) / "s.csv"
    with pytest.raises(AssertionError):
        assert_no_formula_csv(path)


@given(st.text())
def test_safe_text_is_safe_idempotent_and_reversible(text: str) -> None:
    """safe_text always yields safe text, applying it twice changes nothing, and
    original_text gives the text back unless it began with ``'`` before a formula."""
    safe = safe_text(text)
    assert not unsafe_text(safe)
    assert safe_text(safe) == safe
    if not (text.startswith("'") and safe_text(text[1:]) != text[1:]):
        assert original_text(safe) == text


def test_failed_write_keeps_the_previous_output(tmp_path: Path) -> None:
    """An exception inside the write leaves the old file byte-identical and no temp file."""
    target = tmp_path / "plan.xlsx"
    target.write_bytes(b"previous plan")

    def half_write(temporary: Path) -> None:
        """Write part of a file, then fail."""
        temporary.write_bytes(b"half of a new pl")
        raise RuntimeError("solver crashed")

    with pytest.raises(RuntimeError):
        write_atomic(target, half_write)
    assert target.read_bytes() == b"previous plan"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]


def test_interrupted_write_keeps_the_previous_output(tmp_path: Path) -> None:
    """Ctrl-C (KeyboardInterrupt) in the middle of a save is as harmless as an error."""
    target = tmp_path / "plan.csv"
    write_csv(target, [["old"]])
    before = target.read_bytes()

    def rows() -> Iterator[list[str]]:
        """Yield one row, then get interrupted."""
        yield ["new"]
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_csv(target, rows())
    assert target.read_bytes() == before and len(list(tmp_path.iterdir())) == 1


def test_new_output_gets_normal_permissions(tmp_path: Path) -> None:
    """The temporary file is private (0600); the output gets what the umask allows."""
    umask = os.umask(0o022)
    try:
        write_csv(tmp_path / "new.csv", [["x"]])
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.csv").stat().st_mode) == 0o644


def test_a_folder_as_output_is_refused(tmp_path: Path) -> None:
    """Writing onto a folder is an input error naming the output, not a crash."""
    with pytest.raises(InputError, match="folder"):
        write_csv(tmp_path, [["x"]])


@pytest.mark.parametrize("how", ["same", "relative", "symlink", "hardlink", "dotdot"])
def test_output_equal_to_input_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """The input cannot be the output, whichever path names it."""
    source = write_xlsx(tmp_path / "in.xlsx", VALID)
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    outputs = {
        "same": source,
        "relative": Path("../in.xlsx"),
        "symlink": tmp_path / "link.xlsx",
        "hardlink": tmp_path / "hard.xlsx",
        "dotdot": tmp_path / "sub" / ".." / "in.xlsx",
    }
    (tmp_path / "link.xlsx").symlink_to(source)
    os.link(source, tmp_path / "hard.xlsx")
    with pytest.raises(InputError, match="input"):
        refuse_overwrite_input(outputs[how], source)


def test_csv_output_inside_a_folder_input_is_refused(tmp_path: Path) -> None:
    """A CSV written into a CSV-folder input would become one of its sheets: refused."""
    folder = write_csv_folder(tmp_path / "in", VALID)
    with pytest.raises(InputError):
        refuse_overwrite_input(folder / "plan.csv", folder)
    refuse_overwrite_input(tmp_path / "plan.csv", folder)  # beside it is fine


# Commands that write a workbook, as (arguments before OUT); solve and schedule join here.
WRITERS = {"template": ["template"], "example": ["example", "gaozhou"]}


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_written_workbooks_hold_no_formula(tmp_path: Path, command: str) -> None:
    """Every workbook the CLI writes passes assert_no_formula_cells; no temp file remains."""
    from click.testing import CliRunner

    from pairing.cli import cli

    out = tmp_path / "out.xlsx"
    result = CliRunner().invoke(cli, [*WRITERS[command], str(out)])
    assert result.exit_code == 0, result.output
    assert_no_formula_cells(out)
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


@pytest.mark.parametrize("how", ["same", "relative", "symlink"])
def test_cli_refuses_to_write_over_its_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """``pairing solve in.xlsx -o <the input by another name>``: exit 3, input untouched."""
    from .helpers import assert_refused, run_cli

    source = write_xlsx(tmp_path / "in.xlsx", VALID)
    (tmp_path / "link.xlsx").symlink_to(source)
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    output = {"same": str(source), "relative": "../in.xlsx", "symlink": "../link.xlsx"}[how]
    outcome = run_cli(["solve", str(source), "-o", output, "-q"], source, tmp_path)
    assert_refused(outcome, ("in.xlsx" if how != "symlink" else "link.xlsx", "input"))


def test_hostile_input_texts_reach_the_plan_as_text(tmp_path: Path) -> None:
    """Formula-like names typed in the input come out in the plan exactly, as text cells."""
    from .helpers import run_cli
    from .workbooks import sheet_xml, valid_parts, valid_sheets, write_package

    sheets = valid_sheets()
    sheets["单位"][1][1], sheets["单位"][2][1] = '=HYPERLINK("http://x","y")', "@SUM(1)"
    sheets["单位"][1][2], sheets["单位"][2][2] = "+1", "-1+2"
    sheets["村"][1][1], sheets["村"][2][2] = "\t=1", "=1+1镇"
    parts = valid_parts(单位=sheet_xml(sheets["单位"]), 村=sheet_xml(sheets["村"]))
    source = write_package(tmp_path / "in.xlsx", parts)  # text cells, as typed with a '
    plan = tmp_path / "plan.xlsx"
    outcome = run_cli(["solve", str(source), "-o", str(plan), "-q"], source, tmp_path)
    assert outcome.exit_code == 0, outcome.output
    assert_no_formula_cells(plan)
    texts = {
        cell.value
        for sheet in openpyxl.load_workbook(plan).worksheets
        for row in sheet.iter_rows()
        for cell in row
    }
    assert {"@SUM(1)", "\t=1", "=1+1镇", "-1+2"} <= texts
