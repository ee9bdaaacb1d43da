"""Zip bombs and oversized content: refused from the zip directory, or bounded while read.

Every test states the limit it exercises; the numbers asserted are generous bounds ("well
under"), not speed benchmarks.
"""

from __future__ import annotations

import random
import resource
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from pairing.domain.errors import InputError
from pairing.io.reader import read_input
from pairing.io.tables import read_grids
from pairing.sheets import Limits, check_xlsx_bytes, open_xlsx

from .conftest import BOMB_BYTES
from .helpers import timed
from .workbooks import (
    MAIN_NS,
    SHEET_HEAD,
    VALID,
    declare_size,
    package_parts,
    repeated,
    shared_strings_xml,
    sheet_xml,
    valid_parts,
    valid_sheets,
    write_csv_folder,
    write_package,
)

GIB = 2**30
MIB = 2**20


def rows_of(name: str) -> list[list[object]]:
    """Return a fresh copy of one sheet of the valid input."""
    return [list(row) for row in VALID[name]]


def test_zip_bomb_is_genuine(zip_bomb: Path) -> None:
    """The fixture really is a 1.5 GiB sheet in a file of a few megabytes."""
    with zipfile.ZipFile(zip_bomb) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size >= BOMB_BYTES
    assert zip_bomb.stat().st_size < 20 * MIB


def test_zip_bomb_refused_in_seconds_and_little_memory(zip_bomb: Path) -> None:
    """1.5 GiB of sheet XML is refused from the zip directory, before any decompression."""
    seconds, peak, raised = timed(lambda: read_input(zip_bomb))
    assert isinstance(raised, InputError), repr(raised)
    assert "zip bomb" in str(raised)
    assert seconds < 10 and peak < 256 * MIB


def test_zip_bomb_through_the_cli_process(zip_bomb: Path) -> None:
    """``pairing check`` in its own process: exit 3, no traceback, peak RSS well under 1 GiB."""
    done = subprocess.run(
        [sys.executable, "-m", "pairing", "check", str(zip_bomb)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # max over children
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr and "zip bomb" in done.stderr
    assert peak_kib * 1024 < GIB / 2


def test_lying_member_is_cut_at_its_declared_size(zip_bomb: Path, tmp_path: Path) -> None:
    """A member claiming 1 MiB but holding 1.5 GiB stops at 1 MiB and fails its CRC check."""
    liar = tmp_path / "liar.xlsx"
    shutil.copyfile(zip_bomb, liar)
    declare_size(liar, "xl/worksheets/sheet1.xml", MIB)
    seconds, peak, raised = timed(lambda: read_input(liar))
    assert isinstance(raised, InputError), repr(raised)
    assert "单位" in str(raised) and "CRC" in str(raised)
    assert seconds < 20 and peak < 256 * MIB


def test_compression_ratio_refused_below_the_size_limit(tmp_path: Path) -> None:
    """A 200 MiB sheet (under the 512 MiB total) compressed a thousandfold is refused."""
    sheet = repeated(
        SHEET_HEAD.encode() + b"<sheetData>", b" " * 4096, 200 * MIB, b"</sheetData></worksheet>"
    )
    path = write_package(tmp_path / "ratio.xlsx", valid_parts(村=sheet), level=9)
    seconds, _, raised = timed(lambda: read_input(path))
    assert isinstance(raised, InputError) and "zip bomb" in str(raised), repr(raised)
    assert seconds < 10


def test_shared_strings_bomb_refused(tmp_path: Path) -> None:
    """100 MiB of tiny shared strings (openpyxl would hold them all in memory) is refused."""
    head = b'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    shared = repeated(head, b"<si><t>a</t></si>", 100 * MIB, b"</sst>")
    sheets = {name: sheet_xml(rows_of(name)) for name in VALID}
    path = write_package(tmp_path / "sst.xlsx", package_parts(sheets, shared), level=9)
    seconds, peak, raised = timed(lambda: read_input(path))
    assert isinstance(raised, InputError), repr(raised)
    assert seconds < 10 and peak < 256 * MIB


@pytest.mark.parametrize("name", ["xl/sharedStrings.xml", "xl/worksheets/sheet9.xml"])
def test_parts_read_whole_are_bounded(tmp_path: Path, name: str) -> None:
    """Shared strings that compress poorly are bounded by ``max_part``, under any part name."""
    rng = random.Random(6)
    strings = ["".join(rng.choices("abcdefghijklmnop", k=12)) for _ in range(100_000)]
    sheets = {n: sheet_xml(rows_of(n)) for n in VALID}
    parts = package_parts(sheets, shared_strings_xml(strings), shared_name=name)
    path = write_package(tmp_path / "big.xlsx", parts)
    with pytest.raises(InputError, match=name.replace(".", r"\.")):
        read_grids(path, Limits(max_part=MIB))


def test_worksheets_are_streamed_not_bounded_by_part_size(tmp_path: Path) -> None:
    """A worksheet larger than ``max_part`` reads: sheets are parsed as a stream."""
    padding = " " * (2 * MIB)
    sheet = sheet_xml(rows_of("单位")).replace("<sheetData>", padding + "<sheetData>")
    grids = read_grids(
        write_package(tmp_path / "wide.xlsx", valid_parts(单位=sheet)), Limits(max_part=MIB)
    )
    assert grids["单位"][1][0] == "U1"


def test_huge_declared_dimension_is_ignored(tmp_path: Path) -> None:
    """Sheets declaring A1:XFD1048576 but holding three rows read as three rows, fast."""
    sheets = {name: sheet_xml(rows_of(name), dimension="A1:XFD1048576") for name in VALID}
    path = write_package(tmp_path / "dim.xlsx", package_parts(sheets))
    seconds, peak, raised = timed(lambda: read_input(path))
    assert raised is None, repr(raised)
    assert seconds < 5 and peak < 64 * MIB


def test_row_beyond_excel_limit_is_refused(tmp_path: Path) -> None:
    """A cell on row 1,048,577 (which Excel cannot hold) is refused, naming the sheet."""
    far = '<row r="1048577"><c r="A1048577"><v>1</v></c></row></sheetData>'
    sheet = sheet_xml(rows_of("村")).replace("</sheetData>", far)
    path = write_package(tmp_path / "far.xlsx", valid_parts(村=sheet))
    start = time.perf_counter()
    with pytest.raises(InputError, match="1,048,576") as caught:
        read_input(path)
    assert caught.value.issues[0].sheet == "村"
    assert time.perf_counter() - start < 30


def test_over_long_cell_is_located_in_xlsx(tmp_path: Path) -> None:
    """A 40,000-character cell (Excel allows 32,767) is an issue at its sheet, row and column."""
    rows = rows_of("村")
    rows[2][1] = "长" * 40_000
    path = write_package(tmp_path / "long.xlsx", valid_parts(村=sheet_xml(rows)))
    with pytest.raises(InputError) as caught:
        read_input(path)
    (issue,) = caught.value.issues
    assert (issue.sheet, issue.row, issue.column) == ("村", 3, "B")
    assert "32,767" in issue.zh and len(str(issue)) < 300


def test_over_long_cell_is_located_in_csv(tmp_path: Path) -> None:
    """The same in a CSV folder: the csv module's own field limit does not get in the way."""
    sheets = valid_sheets()
    sheets["单位"][1][1] = "x" * 200_000
    with pytest.raises(InputError) as caught:
        read_input(write_csv_folder(tmp_path / "in", sheets))
    (issue,) = caught.value.issues
    assert (issue.sheet, issue.row, issue.column) == ("单位.csv", 2, "B")


@pytest.mark.parametrize(
    ("limits", "words"),
    [
        (Limits(max_cells=10), "too many cells"),
        (Limits(max_text=20), "characters of text"),
        (Limits(max_rows=2), "rows"),
        (Limits(max_members=3), "internal parts"),
        (Limits(max_uncompressed=1000), "zip bomb"),
        (Limits(max_bytes=100), "too large"),
    ],
)
def test_each_limit_refuses_with_a_message(tmp_path: Path, limits: Limits, words: str) -> None:
    """Every bound of :class:`Limits` is enforced and says which one was hit."""
    path = write_package(tmp_path / "ok.xlsx", valid_parts())
    with pytest.raises(InputError, match=words):
        read_grids(path, limits)


def test_default_limits_accept_the_valid_input(tmp_path: Path) -> None:
    """The bounds above are not what refuses: the same file reads under the defaults."""
    assert set(read_grids(write_package(tmp_path / "ok.xlsx", valid_parts()))) == {"单位", "村"}


def test_loading_does_not_scan_sheets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """openpyxl's load-time dimension scan (a full parse of a sheet without ``<dimension>``,
    before any budget applies) is skipped: sheets are parsed once, row by row, budgeted."""
    from openpyxl.worksheet._reader import WorkSheetParser

    calls: list[object] = []
    monkeypatch.setattr(WorkSheetParser, "parse_dimensions", lambda self: calls.append(self))
    workbook = open_xlsx(write_package(tmp_path / "ok.xlsx", valid_parts()), Limits())
    workbook.close()
    assert calls == []


def test_issues_are_capped_and_counted(tmp_path: Path) -> None:
    """12,000 bad cells list 10,000 issues and one that counts the rest, not 12,000 lines."""
    from .workbooks import write_xlsx

    sheets = valid_sheets()
    sheets["单位"] += [[f"X{i}", "局", "系统", "很多"] for i in range(12_000)]
    with pytest.raises(InputError) as caught:
        read_input(write_xlsx(tmp_path / "many.xlsx", sheets))
    issues = caught.value.issues
    assert len(issues) == 10_001
    assert issues[-1].sheet == "单位 units" and "2,000 more problems" in issues[-1].en


def test_rows_and_cells_are_counted_before_parsing(tmp_path: Path) -> None:
    """Tags are counted, prefixed or not, and refused past the limits before openpyxl runs."""
    rows = "".join(f'<x:row r="{k}"><x:c r="A{k}"><x:v>1</x:v></x:c></x:row>' for k in (1, 2, 3))
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<x:worksheet xmlns:x="{MAIN_NS}"><x:sheetData>{rows}</x:sheetData></x:worksheet>'
    )
    path = write_package(tmp_path / "prefixed.xlsx", package_parts({"台账": sheet}))
    check_xlsx_bytes(path, Limits(max_rows=3, max_cells=3))
    with pytest.raises(InputError, match="more than 2 rows") as raised:
        check_xlsx_bytes(path, Limits(max_rows=2))
    assert raised.value.issues[0].sheet == "台账" and "prefixed.xlsx" in str(raised.value)
    with pytest.raises(InputError, match="too many cells"):
        check_xlsx_bytes(path, Limits(max_cells=2))
