"""One reading gate for every file (issue 14, items 7 and 8): the real command, in a subprocess.

Each case builds one hostile file in ``tmp_path`` and gives it to every command that opens a
file of its role: an *input* (``check``, ``solve``, ``verify --input``), a *plan* (``verify``,
``audit``) or a *ledger* (``audit``). Before the gate, ``verify`` and ``audit`` opened files
themselves: a pipe hung them, a damaged part or a long CSV field ended in exit 1 with an
internal error, a CSV folder holding a directory or ``/dev/zero`` named ``*.csv`` crashed or
exhausted memory in every command. Each run must now end in exit 3 with a bilingual message
naming the file (and the sheet, row and column where it applies), no traceback, no output
file, the input unchanged; a hang fails at the subprocess timeout.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import PlanFiles
from .helpers import Outcome, assert_refused, run_pairing
from .workbooks import (
    FIRST_SHEET,
    bad_shared_index,
    declare_size,
    flip_bit,
    huge_style_id,
    rewrite_part,
    valid_sheets,
    write_csv_folder,
    write_xlsx,
)

Args = Callable[[Path, Path, PlanFiles], list[str]]
COMMANDS: dict[str, dict[str, Args]] = {
    "input": {
        "check": lambda src, out, files: ["check", str(src)],
        "solve": lambda src, out, files: ["solve", str(src), "-o", str(out), "-q"],
        "verify --input": lambda src, out, files: ["verify", str(files.plan), "--input", str(src)],
    },
    "plan": {
        "verify": lambda src, out, files: ["verify", str(src)],
        "audit": lambda src, out, files: ["audit", str(src), str(files.ledger), "-o", str(out)],
    },
    "ledger": {
        "audit": lambda src, out, files: ["audit", str(files.plan), str(src), "-o", str(out)],
    },
}
Build = Callable[[Path, Path], Path]  # (folder to write in, the role's valid file) -> the input
LONG_FIELD = 140_000  # over the csv module's default field limit of 131,072 characters


@dataclass(frozen=True)
class Case:
    """One hostile file: how to build it from the role's valid file, and what must be said."""

    name: str
    roles: tuple[str, ...]
    build: Build
    mentions: tuple[str, ...]
    limits: str | None = None


def base_file(role: str, files: PlanFiles) -> Path:
    """Return the valid file of ``role``: the input, the plan or the ledger."""
    return {"input": files.source, "plan": files.plan, "ledger": files.ledger}[role]


def assert_gated(outcome: Outcome, mentions: tuple[str, ...]) -> None:
    """Exit 3, every mention said, a bilingual message, nothing left behind (no time limit)."""
    assert_refused(outcome, mentions, seconds=float("inf"))
    lines = [line for line in outcome.stderr.splitlines() if line.startswith("  - ")]
    assert lines, outcome.stderr
    for line in lines:
        assert re.search(r"[\u4e00-\u9fff]", line) and " / " in line, line


def fifo(folder: Path, base: Path) -> Path:
    """A named pipe under the valid file's name: opening it for reading would block."""
    path = folder / base.name
    os.mkfifo(path)
    return path


def damaged_part(edit: Callable[[str], str], member: str = FIRST_SHEET) -> Build:
    """Return a builder of the valid file with one XML part edited."""
    return lambda folder, base: rewrite_part(base, folder / base.name, member, edit)


def flipped(folder: Path, base: Path) -> Path:
    """The valid file with one bit flipped inside its first sheet's compressed bytes."""
    return flip_bit(base, folder / base.name)


def long_field_folder(folder: Path, base: Path) -> Path:
    """An input CSV folder whose 单位.csv holds a 140,000-character unit name (row 2, B)."""
    sheets = valid_sheets()
    sheets["单位"][1][1] = "x" * LONG_FIELD
    return write_csv_folder(folder / "csv", sheets)


def long_field_ledger(folder: Path, base: Path) -> Path:
    """A ledger CSV whose village id (row 2, column B) is 140,000 characters long."""
    path = folder / "ledger.csv"
    path.write_text(
        f"unit_id,village_id,activity,date,status\nU1,{'x' * LONG_FIELD},L1,2027-01-05,done\n",
        encoding="utf-8",
    )
    return path


def rows_ledger(count: int) -> Build:
    """Return a builder of a ledger workbook with ``count`` rows (a scaled-down 3 million)."""

    def build(folder: Path, base: Path) -> Path:
        rows: list[list[object]] = [["单位编号", "村编号", "活动", "日期", "状态"]]
        rows += [
            ["U1", "V1", "集中劳动", f"2027-01-{1 + k % 28:02d}", "已完成"] for k in range(count)
        ]
        return write_xlsx(folder / "ledger.xlsx", {"工作台账": rows})

    return build


def claims_size(size: int) -> Build:
    """Return a builder of the valid file whose first sheet declares ``size`` bytes unpacked."""

    def build(folder: Path, base: Path) -> Path:
        path = Path(shutil.copyfile(base, folder / base.name))
        declare_size(path, FIRST_SHEET, size)
        return path

    return build


CASES = [
    Case("fifo", ("input", "plan", "ledger"), fifo, ("FIFO", "not a regular file")),
    Case(
        "shared string out of range",
        ("input", "plan", "ledger"),
        damaged_part(bad_shared_index),
        ("row 2", "IndexError"),
    ),
    Case("bit flip", ("input", "plan", "ledger"), flipped, ()),
    Case(
        "first sheet's part missing",
        ("input", "plan", "ledger"),
        lambda folder, base: rewrite_part(base, folder / base.name, FIRST_SHEET, None),
        ("damaged", FIRST_SHEET),
    ),
    Case(
        "style id past int64",
        ("input", "plan", "ledger"),
        damaged_part(huge_style_id, "xl/styles.xml"),
        ("OverflowError",),
    ),
    Case(
        "csv field of 140,000 characters",
        ("input",),
        long_field_folder,
        ("单位.csv", "row 2", "「B」", "32,767"),
    ),
    Case(
        "ledger csv field of 140,000 characters",
        ("ledger",),
        long_field_ledger,
        ("row 2", "「B」", "32,767"),
    ),
    Case(
        "ledger of 3,000 rows over max_rows=1000",
        ("ledger",),
        rows_ledger(3_000),
        ("工作台账", "1,000 rows"),
        limits="max_rows=1000",
    ),
    Case(
        "ledger expanding past max_uncompressed",
        ("ledger",),
        rows_ledger(3_000),
        ("ledger.xlsx", "expands to", "the limit is"),
        limits="max_uncompressed=100000",
    ),
    Case(
        "ledger claiming 900 MB unpacked (default limits)",
        ("ledger",),
        claims_size(900 * 2**20),
        ("ledger.xlsx", "900 MB", "512 MB"),
    ),
]
RUNS = [
    pytest.param(case, role, command, id=f"{case.name}-{command}-{role}")
    for case in CASES
    for role in case.roles
    for command in COMMANDS[role]
]


@pytest.mark.parametrize(("case", "role", "command"), RUNS)
def test_every_command_refuses_through_the_gate(
    case: Case, role: str, command: str, plan_files: PlanFiles, tmp_path: Path
) -> None:
    """The hostile file is refused with exit 3 naming it; nothing hangs or crashes."""
    work = tmp_path / "work"
    work.mkdir()
    source = case.build(work, base_file(role, plan_files))
    args = COMMANDS[role][command](source, work / "out.xlsx", plan_files)
    outcome = run_pairing(args, source, work, limits=case.limits)
    assert_gated(outcome, (source.name, *case.mentions))


# --- item 8: what a CSV folder may hold ---------------------------------------------------


def csv_folder(folder: Path) -> Path:
    """Return the valid input as a CSV folder."""
    return write_csv_folder(folder / "csv", valid_sheets())


def with_entry(make: Callable[[Path], object]) -> Callable[[Path], Path]:
    """Return a builder of the CSV folder with ``make(folder / 'x.csv')`` added to it."""

    def build(folder: Path) -> Path:
        path = csv_folder(folder)
        make(path / "x.csv")
        return path

    return build


def big5_units(folder: Path) -> Path:
    """The CSV folder with 单位.csv saved as Big5 (Traditional Chinese), as in Taiwan."""
    path = csv_folder(folder)
    text = "單位編號,單位名稱,系統,最多村數\nU1,林業局,政府部門,2\nU2,稅務局,事業單位,2\n"
    (path / "单位.csv").write_bytes(text.encode("big5"))
    return path


def empty_units(folder: Path) -> Path:
    """The CSV folder with a 0-byte 单位.csv (an export that never finished)."""
    path = csv_folder(folder)
    (path / "单位.csv").write_bytes(b"")
    return path


FOLDER_CASES: dict[str, tuple[Callable[[Path], Path], tuple[str, ...]]] = {
    "a directory named x.csv": (with_entry(lambda p: p.mkdir()), ("x.csv", "folder")),
    "a dangling symlink x.csv": (
        with_entry(lambda p: p.symlink_to(p.parent / "nowhere.csv")),
        ("x.csv", "link"),
    ),
    "a FIFO x.csv": (with_entry(os.mkfifo), ("x.csv", "FIFO")),
    "/dev/zero as x.csv": (with_entry(lambda p: p.symlink_to("/dev/zero")), ("x.csv", "device")),
    "a 0-byte 单位.csv": (empty_units, ("单位.csv", "0 bytes")),
    "单位.csv in Big5": (big5_units, ("单位.csv", "Big5")),
}


@pytest.mark.parametrize("command", sorted(COMMANDS["input"]))
@pytest.mark.parametrize("name", sorted(FOLDER_CASES))
def test_csv_folder_entries_are_refused_by_name(
    name: str, command: str, plan_files: PlanFiles, tmp_path: Path
) -> None:
    """Every command refuses the folder, naming the bad entry: no crash, hang or MemoryError."""
    work = tmp_path / "work"
    work.mkdir()
    build, mentions = FOLDER_CASES[name]
    source = build(work)
    args = COMMANDS["input"][command](source, work / "out.xlsx", plan_files)
    assert_gated(run_pairing(args, source, work), mentions)


def test_an_upper_case_csv_suffix_is_read(tmp_path: Path) -> None:
    """``单位.CSV`` (as some exports name it) is the 单位 sheet, not a missing one."""
    source = csv_folder(tmp_path)
    (source / "单位.csv").rename(source / "单位.CSV")
    outcome = run_pairing(["check", str(source)], source, tmp_path)
    assert outcome.exit_code == 0, outcome.output
    assert "单位 units: 2" in outcome.stdout
