"""结对安排表: the first sheet of every plan workbook, the table the 组织部 issues and prints.

The example is solved by the real ``pairing solve``; the table is read back with openpyxl and
compared with what 结对方案 and the input copies say, independently of the writer's code.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.worksheet.worksheet import Worksheet

from pairing.cli import cli
from pairing.domain.model import Settings
from pairing.io.arrangement import default_title, wrapped_lines
from pairing.verify import verify_plan

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "gaozhou.xlsx"
TITLE = "结对安排表 arrangement"
HEADER_ROW = 2
SOFFICE = shutil.which("soffice")
PDFINFO = shutil.which("pdfinfo")


def solve(source: Path, out: Path) -> Path:
    """Run ``pairing solve``; return the plan."""
    result = CliRunner().invoke(cli, ["solve", str(source), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's plan."""
    return solve(EXAMPLE, tmp_path_factory.mktemp("arrangement") / "plan.xlsx")


def keyed(sheet: Worksheet, header_row: int) -> list[dict[str, object]]:
    """Return the rows below ``header_row`` as records by the header's English key."""
    keys = [re.sub(r".*\((\w+)\)$", r"\1", str(cell.value)) for cell in sheet[header_row]]
    rows = sheet.iter_rows(min_row=header_row + 1, values_only=True)
    return [dict(zip(keys, row, strict=False)) for row in rows if any(v is not None for v in row)]


def test_arrangement_is_first_and_lists_each_village_with_its_units_by_name(plan: Path) -> None:
    """One row per village, towns together in the order the 村 sheet names them, villages in
    its order; the units are the plan's, by name, in 结对方案's order; 序号 counts 1..n."""
    book = openpyxl.load_workbook(plan)
    assert book.sheetnames[0] == TITLE
    villages = keyed(book["输入·村 villages"], 1)
    pairs = keyed(book["结对方案 assignments"], 1)
    towns: dict[str, list[dict[str, object]]] = {}
    for village in villages:
        towns.setdefault(str(village["town"]), []).append(village)
    expected = []
    for number, village in enumerate((v for group in towns.values() for v in group), start=1):
        mine = [p for p in pairs if p["village_id"] == village["village_id"]]
        kept = [i for i, p in enumerate(mine, start=1) if p["continued"] == "是"]
        expected.append(
            {
                "no": number,
                "town": village["town"],
                "village": village["name"],
                "typical": "是" if village["typical"] == "是" else "否",
                "unit_1": mine[0]["unit_name"],
                "unit_2": mine[1]["unit_name"],
                "continuity": "延续"
                if len(kept) == len(mine)
                else ("新结对" if not kept else f"单位{'、'.join(map(str, kept))}延续"),
            }
        )
    rows = keyed(book[TITLE], HEADER_ROW)
    assert [{k: row[k] for k in expected[0]} for row in rows] == expected
    assert len(rows) == 54
    assert {row["continuity"] for row in rows} >= {"延续", "新结对", "单位1延续"}


def test_locked_pairs_carry_their_reason(plan: Path) -> None:
    """备注 names each locked unit with the 指定 sheet's reason (自选, 外部力量 ...)."""
    rows = {row["village"]: row for row in keyed(openpyxl.load_workbook(plan)[TITLE], 2)}
    assert rows["程村村"]["note"] == "单位1锁定：自选 self-selected"
    note = str(rows["耀新村"]["note"])
    assert "外部力量 external partner" in note and note.count("锁定") == 2
    assert rows["官杨村"]["note"] is None


def test_default_title_names_the_county_and_year(plan: Path) -> None:
    """The title is 县名 + plan year; without a county it starts with the year."""
    assert openpyxl.load_workbook(plan)[TITLE]["A1"].value == "高州市2027年结对共建安排表"
    assert default_title(Settings(plan_year=2030)) == "2030年结对共建安排表"
    assert default_title(Settings(plan_year=2030, county="某县", title="自定")) == "自定"


def test_a_custom_title_is_written_and_verifies(tmp_path: Path) -> None:
    """Setting 标题 title on 参数 replaces the default; the plan still verifies."""
    source = openpyxl.load_workbook(EXAMPLE)
    settings = source["参数 settings"]
    row = next(
        r for r in range(1, settings.max_row + 1) if "title" in str(settings.cell(r, 1).value)
    )
    settings.cell(row, 2).value = "高州市2027年驻镇帮镇扶村结对安排"
    source.save(tmp_path / "in.xlsx")
    plan = solve(tmp_path / "in.xlsx", tmp_path / "plan.xlsx")
    assert openpyxl.load_workbook(plan)[TITLE]["A1"].value == "高州市2027年驻镇帮镇扶村结对安排"
    assert verify_plan(plan).findings == ()


def test_page_setup_prints_a4_landscape_one_page_wide(plan: Path) -> None:
    """A4 landscape, fit to one page wide (any number tall), title and header on every page,
    "第 &P 页 共 &N 页" in the footer; the header and id columns frozen, an autofilter."""
    sheet = openpyxl.load_workbook(plan)[TITLE]
    setup = sheet.page_setup
    assert (setup.orientation, str(setup.paperSize)) == ("landscape", "9")
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr is not None
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$2"
    assert sheet.oddFooter is not None and sheet.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert sheet.freeze_panes == "D3"
    assert sheet.auto_filter.ref == f"A2:H{HEADER_ROW + 54}"
    assert "A1:H1" in {str(merged) for merged in sheet.merged_cells.ranges}


def test_widths_fit_the_names_and_long_names_wrap(plan: Path) -> None:
    """Each column is as wide as its text (CJK counted double) up to a cap; wider text wraps,
    and its row is tall enough for the wrapped lines."""
    sheet = openpyxl.load_workbook(plan)[TITLE]
    widths = {c: sheet.column_dimensions[c].width for c in "ABCDEFGH"}
    assert sum(widths.values()) <= 146  # A4 landscape at 100 %, 0.5-inch margins
    names = [str(cell.value) for cell in sheet["E"][2:] + sheet["F"][2:] if cell.value]
    longest = max(names, key=len)  # 中共高州市委网络安全和信息化委员会办公室: 20 characters
    row = next(c.row for c in sheet["E"][2:] + sheet["F"][2:] if c.value == longest)
    assert sheet.cell(row, 5).alignment.wrap_text
    assert sheet.row_dimensions[row].height >= 2 * 14
    assert wrapped_lines("高州市自然资源局", 18) == 1
    assert wrapped_lines(longest, 32) == 2
    assert wrapped_lines("单位1锁定：统一安排 arranged by the county", 32) == 2


def test_verify_exits_0_and_5_on_an_edited_name(plan: Path, tmp_path: Path) -> None:
    """The fresh plan verifies (exit 0); a unit renamed in 安排表 exits 5, and the finding says
    which name the plan's pairs give (not only that the seal broke)."""
    assert CliRunner().invoke(cli, ["verify", str(plan)]).exit_code == 0
    book = openpyxl.load_workbook(plan)
    original = book[TITLE]["E4"].value
    book[TITLE]["E4"] = f"{original}（代）"
    book.save(tmp_path / "edited.xlsx")
    result = CliRunner().invoke(cli, ["verify", str(tmp_path / "edited.xlsx")])
    assert result.exit_code == 5, result.output
    lines = [line for line in result.output.splitlines() if "[EDT]" in line and TITLE in line]
    assert any(f"expected '{original}'" in line and "row 4" in line for line in lines), lines
    assert any("column E" in line for line in lines)


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None or PDFINFO is None, reason="LibreOffice / poppler missing")
def test_libreoffice_prints_the_example_on_at_most_3_pages(plan: Path, tmp_path: Path) -> None:
    """LibreOffice headless prints 安排表 (the first sheet alone) to an A4 landscape PDF of at
    most 3 pages."""
    book = openpyxl.load_workbook(plan)
    for name in book.sheetnames[1:]:
        del book[name]
    book.save(tmp_path / "arrangement.xlsx")
    profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"
    command = [str(SOFFICE), profile, "--headless", "--convert-to", "pdf"]
    command += ["--outdir", str(tmp_path), str(tmp_path / "arrangement.xlsx")]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    info = subprocess.run(
        [str(PDFINFO), str(tmp_path / "arrangement.pdf")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert 1 <= pages <= 3
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())  # type: ignore[union-attr]
    assert width > height  # landscape
