"""Mutation tests: every kind of damage an editor can do to a solver plan is caught.

Each test copies a real plan, edits it with openpyxl as a planner would in Excel, and
requires ``verify`` to find a violation under the expected rule id; every clean plan verifies
with no finding and a total equal to the solver's objective.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl.workbook.workbook import Workbook

from pairing.verify import Report, verify_plan

from .edits import (
    ASSIGNMENTS,
    SUMMARY,
    find_row,
    get_cell,
    set_cell,
    summary_row,
)
from .plans import PlanCase, mutated


@pytest.fixture(params=["example_plan", "scheduled_plan"])
def any_plan(request: pytest.FixtureRequest) -> PlanCase:
    """Each solver plan in turn: the Gaozhou example and the small synthetic county."""
    case: PlanCase = request.getfixturevalue(request.param)
    return case


def verify_edit(
    case: PlanCase, tmp_path: Path, edit: Callable[[Workbook], None], *, with_input: bool = False
) -> Report:
    """Apply ``edit`` to a copy of the plan and verify the copy."""
    target = mutated(case.path, tmp_path / "edited.xlsx", edit)
    return verify_plan(target, case.source if with_input else None)


def rules_of(report: Report) -> set[str]:
    """Return the rule ids the report names."""
    return {finding.rule for finding in report.findings}


def test_clean_example_verifies_with_equal_totals(example_plan: PlanCase) -> None:
    """The solver's example plan has no finding and its recomputed total is the objective."""
    report = verify_plan(example_plan.path, example_plan.source)
    assert report.valid, report.findings[:5]
    assert report.total == pytest.approx(example_plan.plan.facts.objective, abs=0.01)
    assert all(cost.agrees for cost in report.costs)


def test_synthetic_plans_verify_with_equal_totals(synthetic_plans: dict[int, PlanCase]) -> None:
    """synthetic_county(54) and (120): clean, and recomputed total equals the objective."""
    for size, case in synthetic_plans.items():
        report = verify_plan(case.path, case.source)
        assert report.valid, (size, report.findings[:5])
        assert report.total == pytest.approx(case.plan.facts.objective, abs=0.01), size


def test_moving_a_unit_to_another_village_breaks_p01(any_plan: PlanCase, tmp_path: Path) -> None:
    """A unit moved to a village that already has its units: P01 for both villages."""

    def edit(workbook: Workbook) -> None:
        sheet = workbook[ASSIGNMENTS]
        first = get_cell(sheet, 2, "village_id")
        other = find_row(sheet, lambda row: row["village_id"] != first)
        set_cell(sheet, 2, "village_id", get_cell(sheet, other, "village_id"))

    assert "P01" in rules_of(verify_edit(any_plan, tmp_path, edit))


def test_duplicated_pair_row_is_an_integrity_violation(any_plan: PlanCase, tmp_path: Path) -> None:
    """A pair row pasted twice is named as a repeat (INT)."""

    def edit(workbook: Workbook) -> None:
        sheet = workbook[ASSIGNMENTS]
        sheet.append([cell.value for cell in sheet[3]])

    report = verify_edit(any_plan, tmp_path, edit)
    repeats = [f for f in report.findings if f.rule == "INT" and f.sheet == ASSIGNMENTS]
    assert repeats and "repeats row 3" in repeats[0].en


def test_dropped_pair_row_breaks_p01(any_plan: PlanCase, tmp_path: Path) -> None:
    """A deleted pair row leaves its village one unit short (P01)."""
    report = verify_edit(any_plan, tmp_path, lambda wb: wb[ASSIGNMENTS].delete_rows(5))
    assert "P01" in rules_of(report)


def test_forbidden_pair_breaks_p04(any_plan: PlanCase, tmp_path: Path) -> None:
    """Putting a 禁止 pair into the plan is a P04 violation at its row."""
    rule = next(r for r in any_plan.problem.rules if r.verb == "forbid")

    def edit(workbook: Workbook) -> None:
        sheet = workbook[ASSIGNMENTS]
        row = find_row(sheet, lambda r: r["village_id"] == rule.village_id)
        set_cell(sheet, row, "unit_id", rule.unit_id)

    report = verify_edit(any_plan, tmp_path, edit)
    assert any(f.rule == "P04" and f.sheet == ASSIGNMENTS for f in report.findings)


def test_broken_must_breaks_p03(any_plan: PlanCase, tmp_path: Path) -> None:
    """A 必须 pair replaced by another unit is a P03 violation at its 指定 row."""
    rule = next(r for r in any_plan.problem.rules if r.verb == "must")
    spare = next(u.id for u in any_plan.problem.units if u.id != rule.unit_id)

    def edit(workbook: Workbook) -> None:
        sheet = workbook[ASSIGNMENTS]
        row = find_row(
            sheet, lambda r: (r["unit_id"], r["village_id"]) == (rule.unit_id, rule.village_id)
        )
        set_cell(sheet, row, "unit_id", spare)

    report = verify_edit(any_plan, tmp_path, edit)
    assert any(f.rule == "P03" and f.row == rule.row for f in report.findings)


def test_capacity_and_rotation_are_checked(example_plan: PlanCase, tmp_path: Path) -> None:
    """A unit given a second village breaks P02; a pair past its tenure breaks P05."""
    problem = example_plan.problem
    year = problem.settings.plan_year or 0
    limit = problem.settings.max_tenure_years or 0
    expired = next(
        p for p in problem.history if p.end_year is None and year - p.start_year >= limit
    )

    def edit(workbook: Workbook) -> None:
        sheet = workbook[ASSIGNMENTS]
        row = find_row(sheet, lambda r: r["village_id"] == expired.village_id)
        set_cell(sheet, row, "unit_id", expired.unit_id)

    assert {"P02", "P05"} <= rules_of(verify_edit(example_plan, tmp_path, edit))


@pytest.mark.parametrize(
    ("sheet", "key", "rule"),
    [
        (ASSIGNMENTS, "P13", "P13"),
        ("村视图 by_village", "P12", "P12"),
        ("单位视图 by_unit", "P16", "P16"),
    ],
)
def test_changed_score_cell_is_a_mismatch(
    any_plan: PlanCase, tmp_path: Path, sheet: str, key: str, rule: str
) -> None:
    """A score cell changed by hand disagrees with the recomputed term (its rule id)."""

    def edit(workbook: Workbook) -> None:
        value = get_cell(workbook[sheet], 3, key)
        set_cell(workbook[sheet], 3, key, float(str(value or 0)) + 7.5)

    report = verify_edit(any_plan, tmp_path, edit)
    assert any(f.rule == rule and f.sheet == sheet and f.row == 3 for f in report.findings)


def test_edited_summary_is_a_mismatch(any_plan: PlanCase, tmp_path: Path) -> None:
    """A changed objective is a TOT finding; a changed points_P13 a P13 finding."""

    def edit(workbook: Workbook) -> None:
        for key, delta in (("objective", 1.0), ("points_P13", -2.0)):
            row = summary_row(workbook, key)
            cell = workbook[SUMMARY].cell(row=row, column=3)
            cell.value = float(cell.value) + delta  # type: ignore[arg-type]

    report = verify_edit(any_plan, tmp_path, edit)
    assert {"TOT", "P13"} <= {f.rule for f in report.findings if f.sheet == SUMMARY}


def test_edited_input_copy_is_caught(any_plan: PlanCase, tmp_path: Path) -> None:
    """A unit's strength edited in the copy: P12 no longer adds up; --input names the cell."""

    def edit(workbook: Workbook) -> None:
        set_cell(workbook["输入·单位 units"], 2, "strength", 50)

    alone = verify_edit(any_plan, tmp_path, edit)
    assert "P12" in rules_of(alone)
    checked = verify_edit(any_plan, tmp_path, edit, with_input=True)
    copies = [f for f in checked.findings if f.rule == "SRC"]
    assert copies and copies[0].sheet == "输入·单位 units"


def test_other_input_is_a_provenance_violation(
    example_plan: PlanCase, synthetic_plans: dict[int, PlanCase]
) -> None:
    """Verifying a plan against an input it was not made from fails on its SHA-256."""
    report = verify_plan(example_plan.path, synthetic_plans[54].source)
    assert any(f.rule == "SRC" and f.sheet == "来源 provenance" for f in report.findings)


def same_system_in_first_village(workbook: Workbook) -> None:
    """Give the second unit of the first village the first unit's system (units copy)."""
    pairs = workbook[ASSIGNMENTS]
    first, second = get_cell(pairs, 2, "unit_id"), get_cell(pairs, 3, "unit_id")
    assert get_cell(pairs, 2, "village_id") == get_cell(pairs, 3, "village_id")
    units = workbook["输入·单位 units"]
    system = get_cell(units, find_row(units, lambda r: r["unit_id"] == first), "system")
    set_cell(units, find_row(units, lambda r: r["unit_id"] == second), "system", system)


@pytest.mark.parametrize(
    ("key", "value", "rule", "extra"),
    [
        ("P10_hard", "是", "P10", None),
        ("P11_hard", "是", "P11", same_system_in_first_village),
        ("P12_min_strength", 7, "P12", None),
        ("P13_max_km", 5, "P13", None),
    ],
)
def test_hard_variants_bind_when_set(
    example_plan: PlanCase,
    tmp_path: Path,
    key: str,
    value: object,
    rule: str,
    extra: Callable[[Workbook], None] | None,
) -> None:
    """Setting a hard variant in the settings copy turns its soft term into violations."""

    def edit(workbook: Workbook) -> None:
        sheet = workbook["输入·参数 settings"]
        row = find_row(sheet, lambda r: str(r["key"]).endswith(key))
        set_cell(sheet, row, "value", value)
        if extra is not None:
            extra(workbook)

    report = verify_edit(example_plan, tmp_path, edit)
    hard = [f for f in report.findings if f.rule == rule and "recomputed" not in f.en]
    assert hard, rule
