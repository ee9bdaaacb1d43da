"""Names wherever a person reads: 村视图 and 单位视图 list partners by name and id, and the
verifier re-derives those cells (a name edited inside a list is a finding, the order is not).
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
from click.testing import CliRunner, Result
from openpyxl import Workbook

from pairing.cli import cli
from pairing.domain import plan_schema as layout
from pairing.verify.integrity.restated import agrees, listing

from .edits import get_cell, records, set_cell
from .plans import PlanCase, mutated


def view(case: PlanCase, sheet: str) -> dict[str, dict[str, object]]:
    """Return a view's rows by their first column (the id)."""
    workbook = openpyxl.load_workbook(str(case.path), read_only=True)
    try:
        rows = dict(records(workbook[sheet]))
    finally:
        workbook.close()
    return {str(next(iter(row.values()))): row for row in rows.values()}


def test_village_view_lists_its_units_by_name_and_id(scheduled_plan: PlanCase) -> None:
    """Each 村视图 row names each of its units as ``name (id)``, in the plan's order."""
    problem, rows = scheduled_plan.problem, view(scheduled_plan, layout.BY_VILLAGE.title)
    for village in problem.villages:
        units = [
            problem.unit(p.unit_id) for p in scheduled_plan.plan.pairs if p.village_id == village.id
        ]
        expected = "、".join(f"{unit.name} ({unit.id})" for unit in units)
        assert rows[village.id]["units"] == expected
        assert all(unit.name and unit.name in expected for unit in units)


def test_unit_view_lists_its_villages_by_name_and_id(scheduled_plan: PlanCase) -> None:
    """Each 单位视图 row names each of its villages as ``name (id)``; a unit without one is blank."""
    problem, rows = scheduled_plan.problem, view(scheduled_plan, layout.BY_UNIT.title)
    for unit in problem.units:
        villages = [
            problem.village(p.village_id) for p in scheduled_plan.plan.pairs if p.unit_id == unit.id
        ]
        cell = rows[unit.id]["village_ids"]
        if not villages:
            assert cell in (None, "")
            continue
        assert cell == "、".join(f"{v.name} ({v.id})" for v in villages)


def test_a_listed_cell_agrees_in_any_order_and_only_with_its_names() -> None:
    """The verifier's matcher: any order agrees; a changed name, a missing or extra item, or
    a name that itself holds 、 split differently, does not; the ids alone (older plans) do."""

    class Place:
        def __init__(self, id_: str, name: str) -> None:
            self.id, self.name = id_, name

    places = [Place("U1", "县医院"), Place("U2", "甲、乙联合办"), Place("U3", "县医院 (U1)")]
    expected = listing(places)  # type: ignore[arg-type]
    assert agrees("县医院 (U1)、甲、乙联合办 (U2)、县医院 (U1) (U3)", expected)
    assert agrees("县医院 (U1) (U3)、县医院 (U1)、甲、乙联合办 (U2)", expected)
    assert agrees("U3、U1、U2", expected)
    assert not agrees("县医院 (U1)、甲、乙联合办 (U2)", expected)
    assert not agrees("县医院 (U1)、甲、乙联合办 (U2)、县医院 (U1) (U3)、县医院 (U1)", expected)
    assert not agrees("县人民医院 (U1)、甲、乙联合办 (U2)、县医院 (U1) (U3)", expected)
    assert not agrees("县医院 (U2)、甲、乙联合办 (U1)、县医院 (U1) (U3)", expected)
    assert agrees(None, listing([]))
    assert not agrees("县医院 (U1)", listing([]))


def run_verify(path: Path) -> Result:
    """Run the real ``pairing verify`` command in-process."""
    return CliRunner().invoke(cli, ["verify", str(path)])


def test_a_fresh_scheduled_plan_verifies_and_its_calendars_name_people(
    scheduled_plan: PlanCase,
) -> None:
    """`pairing verify` exits 0 on a solved and scheduled plan whose calendars read by name."""
    result = run_verify(scheduled_plan.path)
    assert result.exit_code == 0, result.output[-3000:]
    workbook = openpyxl.load_workbook(str(scheduled_plan.path), read_only=True)
    try:
        calendars = [title for title in workbook.sheetnames if title.startswith("日历 ")]
        texts = [
            str(c) for t in calendars for r in workbook[t].iter_rows(values_only=True) for c in r
        ]
    finally:
        workbook.close()
    unit = scheduled_plan.problem.unit(scheduled_plan.plan.pairs[0].unit_id)
    assert calendars and any(unit.name in text for text in texts)


def test_an_edited_name_in_a_view_or_a_calendar_exits_5_naming_the_cell(
    scheduled_plan: PlanCase, tmp_path: Path
) -> None:
    """A unit renamed inside 村视图's list, or inside a calendar day, is an EDT finding with
    the sheet, the row and the column; the view's is re-derived ("recomputed")."""
    first = scheduled_plan.plan.pairs[0]
    unit = scheduled_plan.problem.unit(first.unit_id)
    village = scheduled_plan.problem.village(first.village_id)

    def rename_in_view(workbook: Workbook) -> None:
        sheet = workbook[layout.BY_VILLAGE.title]
        row, _ = next((n, r) for n, r in records(sheet) if r["village_id"] == village.id)
        set_cell(
            sheet, row, "units", str(get_cell(sheet, row, "units")).replace(unit.name, "某单位")
        )

    def rename_in_calendar(workbook: Workbook) -> None:
        sheet = workbook[f"日历 {village.town}"]
        cell = next(c for r in sheet.iter_rows() for c in r if unit.name in str(c.value or ""))
        cell.value = str(cell.value).replace(unit.name, "某单位")

    cases = (
        (rename_in_view, layout.BY_VILLAGE.title, "recomputed"),
        (rename_in_calendar, f"日历 {village.town}", "edited after the plan was written"),
    )
    for edit, sheet, why in cases:
        edited = mutated(scheduled_plan.path, tmp_path / f"{edit.__name__}.xlsx", edit)
        result = run_verify(edited)
        assert result.exit_code == 5, result.output[-3000:]
        lines = [line for line in result.output.splitlines() if "[EDT]" in line and sheet in line]
        placed = [line for line in lines if re.search(r"row \d+ .*column [A-G]\b", line)]
        assert any(why in line for line in placed), lines
