"""One plan-workbook contract: the writer writes exactly its headers, the verifier reads by it.

``pairing.domain.plan_schema`` is the only place the plan's sheets and columns are spelled;
these tests fail when the writer or a reader goes back to a layout of its own.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook

from pairing.domain import plan_schema as layout
from pairing.domain.schema import Sheet
from pairing.io import planbook, schedule_sheets
from pairing.verify import verify_plan
from pairing.verify.integrity import restated, sealed
from pairing.verify.reading import plan_sheets, schedule_sheet

from .plans import PlanCase, mutated

WRITTEN = (*layout.PLAN_SHEETS, layout.SCHEDULE, layout.SCHEDULE_FACTS)  # 结对安排表 first


def header_row(path: object, title: str, number: int = 1) -> list[str]:
    """Return row ``number`` of sheet ``title`` of a workbook, as text."""
    workbook = openpyxl.load_workbook(str(path), read_only=True)
    try:
        row = next(workbook[title].iter_rows(min_row=number, max_row=number, values_only=True))
    finally:
        workbook.close()
    return [str(cell) for cell in row if cell is not None]


def test_a_scheduled_plan_has_exactly_the_contract_headers(scheduled_plan: PlanCase) -> None:
    """Every plan sheet of a solved and scheduled plan is titled and headed as the contract
    says: ``中文 (key)`` for each column, in order, and nothing else."""
    titles = openpyxl.load_workbook(str(scheduled_plan.path), read_only=True).sheetnames
    assert titles[: len(layout.PLAN_SHEETS)] == [sheet.title for sheet in layout.PLAN_SHEETS]
    for sheet in WRITTEN[1:]:
        expected = [column.header for column in sheet.columns]
        assert header_row(scheduled_plan.path, sheet.title) == expected, sheet.title
    # 结对安排表: a title row, then the header, with one unit column per unit a village needs
    units = max(village.units_required for village in scheduled_plan.problem.villages)
    arrangement = [column.header for column in layout.arrangement(units).columns]
    header = header_row(
        scheduled_plan.path, layout.ARRANGEMENT_TITLE, layout.ARRANGEMENT_HEADER_ROW
    )
    assert header == arrangement
    assert any(title.startswith(layout.INPUT_PREFIX) for title in titles)


def same_layout(reader: Sheet, contract: Sheet) -> bool:
    """Whether a reader's sheet is the contract's but for which columns it requires."""
    return layout.requiring(reader) == layout.requiring(contract)


def test_the_writer_and_the_verifier_share_the_contract_objects() -> None:
    """The writer's titles and the verifier's specs are the contract's, not copies of it."""
    assert layout.ASSIGNMENTS.title == planbook.ASSIGNMENTS
    assert layout.PROVENANCE.title == planbook.PROVENANCE
    assert schedule_sheets.SCHEDULE_COLUMNS is layout.SCHEDULE.columns
    assert layout.SCHEDULE_FACTS.title == schedule_sheets.FACTS_TITLE
    pairs = (
        (plan_sheets.ASSIGNMENTS, layout.ASSIGNMENTS),
        (plan_sheets.BY_VILLAGE, layout.BY_VILLAGE),
        (plan_sheets.BY_UNIT, layout.BY_UNIT),
        (plan_sheets.SUMMARY, layout.SUMMARY),
        (plan_sheets.PROVENANCE, layout.PROVENANCE),
        (plan_sheets.SCHEDULE_FACTS, layout.SCHEDULE_FACTS),
        (restated.ASSIGNMENTS, layout.ASSIGNMENTS),
        (restated.BY_VILLAGE, layout.BY_VILLAGE),
        (restated.BY_UNIT, layout.BY_UNIT),
        (restated.ARRANGEMENT, layout.ARRANGEMENT),
        (sealed.PROVENANCE, layout.PROVENANCE),
        (schedule_sheet.SCHEDULE, layout.SCHEDULE),
    )
    for reader, contract in pairs:
        assert same_layout(reader, contract), reader.title


def test_requiring_marks_only_what_a_reader_asks_for() -> None:
    """``requiring`` changes the required flags and nothing else."""
    spec = layout.requiring(layout.ASSIGNMENTS, "village_id", "unit_id")
    assert {c.key for c in spec.columns if c.required} == {"village_id", "unit_id"}
    assert [c.header for c in spec.columns] == [c.header for c in layout.ASSIGNMENTS.columns]
    assert not any(c.required for c in layout.ASSIGNMENTS.columns)


def test_a_row_without_a_contract_column_is_refused() -> None:
    """The writer orders a row by the contract and refuses one that misses or adds a column."""
    sheet = layout.requiring(layout.CHECKS)
    row = {"rule": "P01", "name": "n", "kind": "hard", "result": "ok", "detail": ""}
    assert planbook.in_columns(sheet, [row]) == [["P01", "n", "hard", "ok", ""]]
    for wrong in ({**row, "extra": 1}, {k: v for k, v in row.items() if k != "detail"}):
        with pytest.raises(KeyError):
            planbook.in_columns(sheet, [wrong])


def test_a_header_left_in_chinese_alone_still_finds_its_column(
    example_plan: PlanCase, tmp_path: Path
) -> None:
    """The verifier finds a plan column by either name, as the contract says: a 村视图 header
    cut to 村编号 is an edit (EDT), not a missing sheet (before the one contract, verify's own
    copy of the layout spelled that column in English only)."""

    def cut(workbook: Workbook) -> None:
        workbook[layout.BY_VILLAGE.title].cell(1, 1).value = "村编号"

    report = verify_plan(mutated(example_plan.path, tmp_path / "cut.xlsx", cut))
    assert not [f for f in report.findings if f.sheet == layout.BY_VILLAGE.title and f.row is None]
    assert report.counts()["EDT"] >= 1
