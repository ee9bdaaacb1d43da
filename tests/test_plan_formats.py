"""Every plan sheet reads on screen: frozen ids, a filter, number formats, measured widths;
指标 puts the KPIs for people before the solver facts for auditors, and draws a chart of
village strength against its target from 村力量."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from pairing.cli import cli
from pairing.domain import plan_schema as layout
from pairing.io.planbook import read_plan

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "gaozhou.xlsx"
SUMMARY = layout.SUMMARY.title


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's plan, written by `pairing solve`."""
    out = tmp_path_factory.mktemp("formats") / "plan.xlsx"
    result = CliRunner().invoke(cli, ["solve", str(EXAMPLE), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out


def column_of(sheet: openpyxl.worksheet.worksheet.Worksheet, key: str) -> str:
    """Return the letter of the column headed ``… (key)``."""
    return next(c.column_letter for c in sheet[1] if str(c.value).endswith(f"({key})"))


def summary_rows(plan: Path) -> dict[str, openpyxl.cell.cell.Cell]:
    """Return 指标's value cells by key, and their order as row numbers."""
    sheet = openpyxl.load_workbook(plan)[SUMMARY]
    return {str(row[1].value): row[2] for row in sheet.iter_rows(min_row=2) if row[1].value}


def test_every_plan_sheet_freezes_its_header_and_ids_and_filters(plan: Path) -> None:
    """The header row and the leading id / name columns stay in view; the header filters."""
    book = openpyxl.load_workbook(plan)
    frozen = {
        layout.ASSIGNMENTS.title: "C2",  # 村编号, 村名
        layout.BY_VILLAGE.title: "C2",
        layout.BY_UNIT.title: "C2",
        layout.STRENGTH.title: "C2",
        layout.CHECKS.title: "C2",  # 规则, 名称
        SUMMARY: "B2",
        layout.PROVENANCE.title: "A2",
    }
    for title, cell in frozen.items():
        sheet = book[title]
        assert sheet.freeze_panes == cell, title
        columns = sum(1 for c in sheet[1] if c.value is not None)
        last = openpyxl.utils.get_column_letter(columns)
        assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}", title


def test_numbers_read_as_km_points_and_percent(plan: Path) -> None:
    """Kilometres show 0.0, points 0.00, percentages 0.0% (stored as 66.7), the gap as a
    percentage of its fraction; the values themselves keep their precision."""
    sheet = openpyxl.load_workbook(plan)[layout.ASSIGNMENTS.title]
    assert sheet[f"{column_of(sheet, 'distance_km')}2"].number_format == "0.0"
    assert sheet[f"{column_of(sheet, 'P13')}2"].number_format == "0.00"
    assert sheet[f"{column_of(sheet, 'pair_points')}2"].number_format == "0.00"
    cells = summary_rows(plan)
    assert cells["needs_covered_pct"].number_format == '0.0"%"'
    assert 0 < float(cells["needs_covered_pct"].value) <= 100  # a percentage, not a fraction
    assert cells["mean_km"].number_format == "0.0"
    assert cells["objective"].number_format == "0.00"
    assert cells["gap"].number_format == "0.00%"
    assert cells["points_P13"].number_format == "0.00"


def test_summary_puts_kpis_first_and_rounds_seconds(plan: Path) -> None:
    """People's KPIs come before the auditors' solver facts, under two headings; seconds are
    rounded to 0.01; read_plan still finds every KPI and fact by key."""
    cells = summary_rows(plan)
    rows = {key: int(cell.row) for key, cell in cells.items()}
    assert max(rows[key] for key in layout.KPI_NAMES if key in rows) < min(
        rows[key] for _, key in layout.SOLVER_FACTS
    )
    names = [c.value for c in openpyxl.load_workbook(plan)[SUMMARY]["A"]]
    assert names.index(layout.KPI_NAMES["needs_covered_pct"]) > 1  # below its heading
    for key in ("seconds", "first_plan_s", "gap1_s"):
        value = float(cells[key].value)
        assert value == round(value, 2), key
    book = read_plan(plan)
    assert set(book.plan.kpis) == {k for k in layout.KPI_NAMES if k in cells}
    assert book.plan.facts.proven and book.plan.facts.objective > 0


def test_widths_fit_the_text(plan: Path) -> None:
    """A column is as wide as its widest text (CJK counted double), up to 52; 理由 wraps."""
    sheet = openpyxl.load_workbook(plan)[layout.ASSIGNMENTS.title]
    unit_name = column_of(sheet, "unit_name")
    longest = max(len(str(c.value)) for c in sheet[unit_name][1:])
    assert sheet.column_dimensions[unit_name].width >= 2 * longest
    reason = column_of(sheet, "reason")
    assert sheet.column_dimensions[reason].width == 52
    assert sheet[f"{reason}2"].alignment.wrap_text


def test_summary_charts_strength_against_target_typical_first(plan: Path) -> None:
    """指标 holds a chart; its data, 村力量, lists typical villages first, each with its
    strength (its units' sum, as 村视图 says) and its P12 target."""
    book = openpyxl.load_workbook(plan)
    assert len(book[SUMMARY]._charts) == 1
    rows = list(book[layout.STRENGTH.title].iter_rows(min_row=2, values_only=True))
    typical = [row[3] for row in rows]
    assert typical == sorted(typical, key=lambda flag: flag != "是")
    assert "是" in typical and "否" in typical
    views = {
        row[0]: row[8]
        for row in book[layout.BY_VILLAGE.title].iter_rows(min_row=2, values_only=True)
    }
    for village_id, _, _, _typical, strength, target, shortfall in rows:
        assert strength == views[village_id]
        assert shortfall == pytest.approx(max(0.0, target - strength))
        assert target > 0


def test_verify_recomputes_the_chart_data(plan: Path, tmp_path: Path) -> None:
    """A village made stronger in 村力量 exits 5, and the finding gives its units' sum."""
    book = openpyxl.load_workbook(plan)
    sheet = book[layout.STRENGTH.title]
    column = column_of(sheet, "strength")
    true = sheet[f"{column}2"].value
    sheet[f"{column}2"] = float(true) + 2
    book.save(tmp_path / "edited.xlsx")
    result = CliRunner().invoke(cli, ["verify", str(tmp_path / "edited.xlsx")])
    assert result.exit_code == 5, result.output
    lines = [line for line in result.output.splitlines() if layout.STRENGTH.title in line]
    assert any(f"expected '{true}'" in line and f"column {column}" in line for line in lines), lines


def test_every_plan_sheet_prints_landscape_one_page_wide(plan: Path) -> None:
    """Each table prints A4 landscape, one page wide, its header row on every page; a header
    that wraps gets a row tall enough for its lines."""
    book = openpyxl.load_workbook(plan)
    for sheet in layout.PLAN_SHEETS[1:]:
        worksheet = book[sheet.title]
        setup = worksheet.page_setup
        assert (setup.orientation, setup.fitToWidth, setup.fitToHeight) == ("landscape", 1, 0)
        assert worksheet.print_title_rows == "$1:$1", sheet.title
        footer = worksheet.oddFooter
        assert footer is not None and "&P" in str(footer.center.text), sheet.title
    header = book[layout.ASSIGNMENTS.title].row_dimensions[1].height
    assert header is not None and header >= 30  # 村编号 / (village_id) on two lines
