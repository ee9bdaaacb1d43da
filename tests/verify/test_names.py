"""Names wherever a person reads: 村视图 and 单位视图 list partners by name and id, and the
verifier re-derives those cells (a name edited inside a list is a finding, the order is not).
"""

from __future__ import annotations

import openpyxl

from pairing.domain import plan_schema as layout
from pairing.verify.integrity.restated import agrees, listing

from .edits import records
from .plans import PlanCase


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
