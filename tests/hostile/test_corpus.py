"""The corpus: every broken or hostile input, through every command that reads an input.

Each case builds one input and names what the message must mention (the file, or the sheet,
row and column). Each command turns an input path and an output path into CLI arguments;
``solve``, ``schedule`` and the others join by adding a line to :data:`COMMANDS`. Every pair
must end in a clean refusal (see :func:`.helpers.assert_refused`): exit 3, the mentions, no
traceback, no output file, the input unchanged, in bounded time.
"""

from __future__ import annotations

import random
import shutil
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from .helpers import assert_refused, run_cli
from .workbooks import (
    Sheets,
    billion_laughs,
    ole2_file,
    sheet_xml,
    valid_parts,
    valid_sheets,
    write_csv_folder,
    write_package,
    write_xlsx,
)

Args = Callable[[Path, Path], list[str]]
COMMANDS: dict[str, Args] = {
    "check": lambda source, out: ["check", str(source)],
    "solve": lambda source, out: ["solve", str(source), "-o", str(out), "-q", "--time-limit", "10"],
}


@dataclass(frozen=True)
class Case:
    """One corpus entry: how to build the input in a folder, and what the message names."""

    name: str
    build: Callable[[Path, Path], Path]  # (folder, zip bomb) -> input path
    mentions: tuple[str, ...]


def changed(
    edit: Callable[[Sheets], object], name: str = "in.xlsx"
) -> Callable[[Path, Path], Path]:
    """Return a builder writing the valid input after ``edit`` changed its sheets."""

    def build(folder: Path, _bomb: Path) -> Path:
        sheets = valid_sheets()
        edit(sheets)
        if name.endswith("/"):
            return write_csv_folder(folder / name.rstrip("/"), sheets)
        return write_xlsx(folder / name, sheets)

    return build


def raw(name: str, data: bytes | Callable[[], bytes]) -> Callable[[Path, Path], Path]:
    """Return a builder writing ``data`` (or what it returns) to ``name``."""

    def build(folder: Path, _bomb: Path) -> Path:
        path = folder / name
        path.write_bytes(data() if callable(data) else data)
        return path

    return build


def package(name: str, **parts: str | bytes) -> Callable[[Path, Path], Path]:
    """Return a builder zipping the valid parts with some parts replaced or added."""

    def build(folder: Path, _bomb: Path) -> Path:
        all_parts = valid_parts()
        all_parts.update(
            {key.replace("__", "/").replace("_dot_", "."): v for key, v in parts.items()}
        )
        return write_package(folder / name, all_parts)

    return build


def zipped(name: str, members: dict[str, bytes]) -> Callable[[Path, Path], Path]:
    """Return a builder of a zip with exactly ``members``."""

    def build(folder: Path, _bomb: Path) -> Path:
        with zipfile.ZipFile(folder / name, "w") as archive:
            for member, data in members.items():
                archive.writestr(member, data)
        return folder / name

    return build


def truncated(folder: Path, _bomb: Path) -> Path:
    """A workbook cut in half, as an unfinished download leaves it."""
    whole = write_package(folder / "whole.xlsx", valid_parts())
    path = folder / "cut.xlsx"
    path.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    whole.unlink()
    return path


def bomb_copy(folder: Path, bomb: Path) -> Path:
    """The 1.5 GiB zip bomb of the session fixture."""
    return Path(shutil.copyfile(bomb, folder / "bomb.xlsx"))


def empty_folder(folder: Path, _bomb: Path) -> Path:
    """A folder input with no CSV in it."""
    (folder / "csv").mkdir()
    (folder / "csv" / "notes.txt").write_text("hello", encoding="utf-8")
    return folder / "csv"


def gbk_broken_csv(folder: Path, _bomb: Path) -> Path:
    """A CSV folder whose units file is neither UTF-8 nor GBK."""
    path = write_csv_folder(folder / "csv", valid_sheets())
    (path / "单位.csv").write_bytes("单位编号,单位名称\nU1,".encode() + b"\xff\n")
    return path


def xlsx_as_csv(folder: Path, _bomb: Path) -> Path:
    """An Excel workbook renamed ``.csv`` and given as the input."""
    path = write_xlsx(folder / "wb.xlsx", valid_sheets())
    return path.rename(folder / "units.csv")


def laughing(folder: Path, _bomb: Path) -> Path:
    """A billion-laughs DTD in the villages sheet."""
    sheet = sheet_xml(valid_sheets()["村"], prolog=billion_laughs("worksheet"))
    return write_package(folder / "lol.xlsx", valid_parts(村=sheet))


def bad_shared_index(folder: Path, _bomb: Path) -> Path:
    """A cell pointing at shared string 999 of none."""
    sheet = sheet_xml(valid_sheets()["单位"]).replace(
        '<c r="B2" t="inlineStr"><is><t>林业局</t></is></c>', '<c r="B2" t="s"><v>999</v></c>'
    )
    return write_package(folder / "sst.xlsx", valid_parts(单位=sheet))


def long_cell(folder: Path, _bomb: Path) -> Path:
    """A 33,000-character cell in the units sheet."""
    rows = valid_sheets()["单位"]
    rows[2][1] = "局" * 33_000
    return write_package(folder / "long.xlsx", valid_parts(单位=sheet_xml(rows)))


def put(sheet: str, row: int, column: int, value: object) -> Callable[[Sheets], object]:
    """Return an edit setting one cell (0-based row and column, the header is row 0)."""

    def edit(sheets: Sheets) -> None:
        rows = sheets[sheet]
        while len(rows[row]) <= column:
            rows[row].append(None)
        rows[row][column] = value

    return edit


def add(sheet: str, *rows: Sequence[object]) -> Callable[[Sheets], object]:
    """Return an edit adding a sheet (or rows to one)."""
    return lambda sheets: sheets.setdefault(sheet, []).extend([list(r) for r in rows])


def both(*edits: Callable[[Sheets], object]) -> Callable[[Sheets], object]:
    """Return an edit applying several edits."""
    return lambda sheets: [edit(sheets) for edit in edits]


RULE_HEAD = ["单位编号", "村编号", "规则"]
CASES = [
    Case(
        "old .xls",
        lambda f, b: ole2_file(f / "old.xls", encrypted=False),
        ("old.xls", "另存为 .xlsx", "save it as .xlsx"),
    ),
    Case(
        "encrypted",
        lambda f, b: ole2_file(f / "locked.xlsx", encrypted=True),
        ("locked.xlsx", "密码", "password"),
    ),
    Case(
        "xlsm",
        package("macro.xlsm", xl__vbaProject_dot_bin=b"\x00VBA"),
        ("macro.xlsm", "宏", "macros"),
    ),
    Case(
        "csv renamed xlsx",
        raw("text.xlsx", "单位编号,单位名称\nU1,局\n".encode()),
        ("text.xlsx", "CSV", ".xlsx"),
    ),
    Case("empty file", raw("empty.xlsx", b""), ("empty.xlsx", "空", "empty")),
    Case(
        "random binary",
        raw("noise.xlsx", lambda: random.Random(3).randbytes(4096)),
        ("noise.xlsx", "unknown file format"),
    ),
    Case("truncated zip", truncated, ("cut.xlsx", "损坏", "damaged")),
    Case(
        "ods",
        zipped(
            "sheet.ods",
            {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"},
        ),
        ("sheet.ods", ".ods"),
    ),
    Case(
        "plain zip", zipped("files.xlsx", {"readme.txt": b"hello"}), ("files.xlsx", "zip archive")
    ),
    Case("folder without csv", empty_folder, ("csv", ".csv")),
    Case("csv neither utf-8 nor gbk", gbk_broken_csv, ("单位.csv", "UTF-8", "GBK")),
    Case("xlsx renamed csv", xlsx_as_csv, ("units.csv", "rename it .xlsx")),
    Case(
        "csv field of a million characters",
        raw("big.csv", b"a," + b"x" * 1_100_000),
        ("big.csv", "row 1", "too long"),
    ),
    Case("zip bomb", bomb_copy, ("bomb.xlsx", "zip bomb")),
    Case("billion laughs", laughing, ("lol.xlsx", "DTD", "xl/worksheets/sheet2.xml")),
    Case("shared string out of range", bad_shared_index, ("sheet '单位'", "row 2")),
    Case("over-long cell", long_cell, ("单位", "row 3", "「B」", "32,767")),
    Case(
        "units without 单位编号",
        changed(lambda s: [r.pop(0) for r in s["单位"]]),
        ("单位 units", "单位编号"),
    ),
    Case(
        "duplicate unit ids",
        changed(put("单位", 2, 0, "U1")),
        ("单位 units", "row 3", "单位编号 (unit_id)", "U1"),
    ),
    Case(
        "unknown ids across sheets",
        changed(add("指定", RULE_HEAD, ["U9", "V9", "必须"])),
        ("指定 rules", "row 2", "U9", "V9"),
    ),
    Case(
        "min above max",
        changed(both(put("单位", 0, 4, "最少村数"), put("单位", 1, 4, 3))),
        ("单位 units", "row 2", "最少村数", "3"),
    ),
    Case(
        "latitude 200",
        changed(
            both(
                put("单位", 0, 4, "纬度"),
                put("单位", 0, 5, "经度"),
                put("单位", 1, 4, 200),
                put("单位", 1, 5, 110),
            )
        ),
        ("单位 units", "row 2", "纬度 (lat)", "200"),
    ),
    Case(
        "bad enum",
        changed(add("指定", RULE_HEAD, ["U1", "V1", "maybe"])),
        ("指定 rules", "row 2", "规则 (rule)", "maybe"),
    ),
    Case(
        "unknown settings key",
        changed(add("参数", ["参数", "值"], ["colour", "red"])),
        ("参数 settings", "row 2", "colour"),
    ),
    Case(
        "must and forbid one pair",
        changed(add("指定", RULE_HEAD, ["U1", "V1", "必须"], ["U1", "V1", "禁止"])),
        ("P03", "指定 rules", "row 3"),
    ),
    Case(
        "errors in three sheets",
        changed(
            both(
                put("单位", 2, 0, "U1"),
                put("村", 1, 2, None),
                add("历史结对", ["单位编号", "村编号", "起始年"], ["U1", "V1", "去年"]),
            )
        ),
        (
            "the input has 3 problem(s)",  # one per bad cell: not also "out of range"
            "单位 units, 第3行",
            "村 villages, 第2行",
            "历史结对 history, 第2行",
            "起始年 (start_year)",
        ),
    ),
    Case(
        "csv folder error",
        changed(add("村", ["V3", "新村", ""]), name="csv/"),
        ("村 villages", "row 4", "所属镇 (town)"),
    ),
]


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_refused_cleanly(case: Case, command: str, tmp_path: Path, zip_bomb: Path) -> None:
    """The input is refused with exit 3 and a located message; nothing else happens."""
    work = tmp_path / "work"
    work.mkdir()
    source = case.build(work, zip_bomb)
    args = COMMANDS[command](source, work / "out.xlsx")
    assert_refused(run_cli(args, source, work), case.mentions)


def test_the_valid_input_passes(tmp_path: Path) -> None:
    """The baseline of the corpus checks clean, so each refusal is its case's doing."""
    source = write_xlsx(tmp_path / "ok.xlsx", valid_sheets())
    outcome = run_cli(["check", str(source)], source, tmp_path)
    assert outcome.exit_code == 0, outcome.output
    assert not outcome.input_changed and not outcome.new_files


def test_assert_refused_can_fail(tmp_path: Path) -> None:
    """The judge rejects a run that exits 0, so a case that stops failing is noticed."""
    source = write_xlsx(tmp_path / "ok.xlsx", valid_sheets())
    with pytest.raises(AssertionError):
        assert_refused(run_cli(["check", str(source)], source, tmp_path), ())


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    """A named pipe given as the input is refused at once instead of waiting for a writer."""
    import os

    from pairing.domain.errors import InputError
    from pairing.io.reader import read_input

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        read_input(fifo)
