"""``pairing rescore`` on the real command: a hand edit of the example's plan, re-costed."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result
from openpyxl.worksheet.worksheet import Worksheet

from pairing.cli import cli
from pairing.domain.pairs import PairFacts
from pairing.io.planbook import read_plan, write_plan
from pairing.solve.checks import hard_checks
from pairing.verify import verify_plan

from .conftest import EXAMPLE, Solved, column, edited_copy, rows, summary


def run(*args: object) -> Result:
    """``pairing ARGS`` through click, stdout and stderr apart."""
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def swappable(solved: Solved, sheet: Worksheet) -> tuple[int, int]:
    """Two rows of two villages whose units can trade places with every hard rule holding."""
    problem = solved.problem
    facts = PairFacts(problem)
    pairs = rows(sheet)
    members = {(v, u) for _, v, u in pairs}

    def movable(v: str, u: str) -> bool:
        unit = problem.unit(u)
        pair = (problem.unit_index[u], problem.village_index[v])
        return unit.min_villages == unit.max_villages == 1 and pair not in facts.must

    def allowed(v: str, u: str) -> bool:
        pair = (problem.unit_index[u], problem.village_index[v])
        return (v, u) not in members and facts.blocked(pair) is None

    for row_a, v_a, u_a in pairs:
        for row_b, v_b, u_b in pairs:
            both = v_a < v_b and movable(v_a, u_a) and movable(v_b, u_b)
            if both and allowed(v_b, u_a) and allowed(v_a, u_b):
                return row_a, row_b
    raise LookupError("no swap")


def swap(solved: Solved, folder: Path) -> tuple[Path, tuple[str, str]]:
    """The plan with two units swapped between two villages; returns the moved units."""
    moved: list[str] = []

    def edit(sheet: Worksheet) -> None:
        a, b = swappable(solved, sheet)
        u = column(sheet, "unit_id")
        first, second = sheet.cell(a, u).value, sheet.cell(b, u).value
        sheet.cell(a, u).value, sheet.cell(b, u).value = second, first
        moved.extend([str(first), str(second)])

    return edited_copy(solved, folder, edit), (moved[0], moved[1])


def set_unit(solved: Solved, folder: Path, village: str, unit: str, new_unit: str) -> Path:
    """The plan with the unit of one row (``village``, ``unit``) typed over as ``new_unit``."""

    def edit(sheet: Worksheet) -> None:
        for row, v, u in rows(sheet):
            if (v, u) == (village, unit):
                sheet.cell(row, column(sheet, "unit_id")).value = new_unit
                return
        raise LookupError((village, unit))

    return edited_copy(solved, folder, edit)


def test_a_swap_is_recosted_verified_and_priced(solved: Solved, tmp_path: Path) -> None:
    """Two units swapped: exit 0, a plan that verifies, totals equal to verify's, the price
    the difference of the objectives against the proven optimum."""
    edited, moved = swap(solved, tmp_path)
    before = edited.read_bytes()
    result = run("rescore", edited)
    assert result.exit_code == 0, result.output
    out = tmp_path / "edited-rescored.xlsx"
    assert out.exists() and edited.read_bytes() == before
    report = verify_plan(out)
    assert report.valid, [str(f.zh) for f in report.findings]
    facts = summary(out)
    original = float(summary(solved.plan)["objective"])  # type: ignore[arg-type]
    objective = float(facts["objective"])  # type: ignore[arg-type]
    assert report.total == pytest.approx(objective, abs=1e-6)
    assert objective != pytest.approx(original)
    points = objective - original
    assert facts["edit_cost_points"] == pytest.approx(points, abs=1e-6)
    assert facts["edit_cost_pct"] == pytest.approx(100 * points / original, abs=1e-3)
    assert facts["original_objective"] == pytest.approx(original)
    assert facts["status"] == "HAND_EDITED"
    assert facts["proven"] == "否" and facts["original_proven"] == "是"
    assert facts["bound"] is None and facts["gap"] is None
    assert f"手工调整多花 {points:.2f} 分，比最优方案高" in result.output
    assert f"the hand edit costs {points:.2f} points more" in result.output
    assert "above the optimum" in result.output
    pairs = {(p.village_id, p.unit_id) for p in read_plan(out).plan.pairs}
    assert {u for _, u in pairs} >= set(moved)
    assert run("verify", out, "--input", EXAMPLE).exit_code == 0


def test_verify_of_the_hand_edit_itself_points_to_rescore(solved: Solved, tmp_path: Path) -> None:
    """The edited workbook, not re-costed, is not what the tool wrote: exit 5, naming rescore."""
    edited, _ = swap(solved, tmp_path)
    result = run("verify", edited)
    assert result.exit_code == 5
    assert "结对方案被手工修改：请用 pairing rescore 重新计分" in result.output
    assert "结对方案 was edited by hand: run pairing rescore to re-cost it" in result.output


def test_an_unedited_plan_costs_nothing_more(solved: Solved, tmp_path: Path) -> None:
    """The solver's plan re-costed as it is: the same objective, a price of +0."""
    plan = tmp_path / "plan.xlsx"
    shutil.copyfile(solved.plan, plan)
    out = tmp_path / "same.xlsx"
    result = run("rescore", plan, "-o", out)
    assert result.exit_code == 0, result.output
    assert "+0.00" in result.output
    facts = summary(out)
    assert facts["edit_cost_points"] == 0
    assert facts["objective"] == pytest.approx(float(summary(plan)["objective"]))  # type: ignore[arg-type]
    assert verify_plan(out).valid


def test_a_forbidden_pair_is_named_with_its_rules_row(solved: Solved, tmp_path: Path) -> None:
    """U063 typed into V049, which 指定 row 7 forbids: exit 5, the rule, rows and ids."""
    problem = solved.problem
    rule = next(r for r in problem.rules if r.verb == "forbid")
    plan = openpyxl.load_workbook(solved.plan)[  # a unit of the forbidden village, to replace
        "结对方案 assignments"
    ]
    victim = next(u for _, v, u in rows(plan) if v == rule.village_id)
    edited = set_unit(solved, tmp_path, rule.village_id, victim, rule.unit_id)
    result = run("rescore", edited)
    assert result.exit_code == 5
    words = f"指定表第{rule.row}行禁止 {rule.unit_id} 与 {rule.village_id} 结对"
    assert words in result.output
    assert (
        f"row {rule.row} of the rules sheet (指定) forbids pairing {rule.unit_id}" in result.output
    )
    assert "[P04]" in result.output and "结对方案 assignments, 第" in result.output
    assert not (tmp_path / "edited-rescored.xlsx").exists()


def test_a_village_with_three_units_is_named(solved: Solved, tmp_path: Path) -> None:
    """A row's village typed over: one village has 3 units, the other 1 (P01), exit 5."""

    def edit(sheet: Worksheet) -> None:
        (_, first, _), second = rows(sheet)[0], rows(sheet)[2]
        assert second[1] != first
        sheet.cell(second[0], column(sheet, "village_id")).value = first

    first_village = solved.problem.villages[0].id
    result = run("rescore", edited_copy(solved, tmp_path, edit))
    assert result.exit_code == 5
    assert "[P01]" in result.output
    assert f"村 {first_village} 有 3 个结对单位" in result.output
    assert f"village {first_village} has 3 unit(s)" in result.output


def test_a_unit_over_its_maximum_is_named(solved: Solved, tmp_path: Path) -> None:
    """A unit of at most one village typed into a second village: P02 (and P01 stays)."""
    sheet = openpyxl.load_workbook(solved.plan)["结对方案 assignments"]
    single = [(v, u) for _, v, u in rows(sheet) if solved.problem.unit(u).max_villages == 1]
    single = [(v, u) for v, u in single if solved.problem.unit(u).min_villages == 1]
    (_, u_a), (v_b, u_b) = single[0], next(p for p in single if p[0] != single[0][0])
    result = run("rescore", set_unit(solved, tmp_path, v_b, u_b, u_a))
    assert result.exit_code == 5
    assert "[P02]" in result.output and f"单位 {u_a} 结对 2 个村" in result.output
    assert "最多 1 个" in result.output and f"单位 {u_b} 结对 0 个村" in result.output


def test_an_unknown_unit_is_exit_3_with_row_and_column(solved: Solved, tmp_path: Path) -> None:
    """U999 is on no 单位 sheet: the sheet, row and column, no traceback."""
    sheet = openpyxl.load_workbook(solved.plan)["结对方案 assignments"]
    row, village, unit = rows(sheet)[4]
    result = run("rescore", set_unit(solved, tmp_path, village, unit, "U999"))
    assert result.exit_code == 3
    assert f"结对方案 assignments, 第{row}行 row {row}, 列 column「单位编号 (unit_id)」" in (
        result.output
    )
    assert "未知的单位编号「U999」" in result.output and "unknown unit id 'U999'" in result.output
    assert "Traceback" not in result.output
    lower = run("rescore", set_unit(solved, tmp_path, village, unit, unit.lower()))
    assert lower.exit_code == 3 and f"did you mean '{unit}'?" in lower.output


def test_a_blank_id_and_a_missing_header_are_exit_3(solved: Solved, tmp_path: Path) -> None:
    """A cleared village id, and a sheet whose id columns were deleted: exit 3, located."""
    sheet = openpyxl.load_workbook(solved.plan)["结对方案 assignments"]
    row = rows(sheet)[1][0]

    def clear(sheet: Worksheet) -> None:
        sheet.cell(row, column(sheet, "village_id")).value = None

    blank = run("rescore", edited_copy(solved, tmp_path, clear, "blank.xlsx"))
    assert blank.exit_code == 3
    assert f"第{row}行 row {row}, 列 column「村编号 (village_id)」" in blank.output
    assert "村编号为空" in blank.output

    def headless(sheet: Worksheet) -> None:
        sheet.delete_cols(column(sheet, "unit_id"))

    broken = run("rescore", edited_copy(solved, tmp_path, headless, "headless.xlsx"))
    assert broken.exit_code == 3
    assert "缺少必填列" in broken.output and "unit_id" in broken.output


def test_a_repeated_pair_is_exit_3(solved: Solved, tmp_path: Path) -> None:
    """The same pair on two rows is a typing slip, not a plan."""

    def repeat(sheet: Worksheet) -> None:
        (_, v, u) = rows(sheet)[0]
        last = sheet.max_row + 1
        sheet.cell(last, column(sheet, "village_id")).value = v
        sheet.cell(last, column(sheet, "unit_id")).value = u

    result = run("rescore", edited_copy(solved, tmp_path, repeat))
    assert result.exit_code == 3 and "与第2行重复" in result.output


def test_another_input_is_the_input(solved: Solved, tmp_path: Path) -> None:
    """--input with P13 weighted twice: the terms are those of that input, and the rescored
    plan verifies against it (and its copies are that input's)."""
    changed = tmp_path / "input.xlsx"
    workbook = openpyxl.load_workbook(EXAMPLE)
    settings = workbook["参数 settings"]
    row = next(r for r in range(2, settings.max_row + 1) if settings.cell(r, 1).value == "P13 路程")
    settings.cell(row, 2).value = 2
    workbook.save(changed)
    plan = tmp_path / "plan.xlsx"
    shutil.copyfile(solved.plan, plan)
    result = run("rescore", plan, "--input", changed)
    assert result.exit_code == 0, result.output
    out = tmp_path / "plan-rescored.xlsx"
    facts, original = summary(out), summary(plan)
    assert facts["points_P13"] == pytest.approx(2 * float(original["points_P13"]), abs=1e-5)  # type: ignore[arg-type]
    assert facts["edit_cost_points"] == pytest.approx(float(original["points_P13"]), abs=1e-5)  # type: ignore[arg-type]
    assert run("verify", out, "--input", changed).exit_code == 0
    assert run("verify", out, "--input", EXAMPLE).exit_code == 5


def test_a_second_edit_is_priced_against_the_solvers_plan(solved: Solved, tmp_path: Path) -> None:
    """A re-costed plan edited again: the price is still against the proven optimum."""
    edited, _ = swap(solved, tmp_path)
    assert run("rescore", edited).exit_code == 0
    first = tmp_path / "edited-rescored.xlsx"
    again = tmp_path / "again.xlsx"
    shutil.copyfile(first, again)  # unedited: costs what the first edit cost
    assert run("rescore", again).exit_code == 0
    original = float(summary(solved.plan)["objective"])  # type: ignore[arg-type]
    facts = summary(tmp_path / "again-rescored.xlsx")
    assert facts["original_objective"] == pytest.approx(original)
    assert facts["edit_cost_points"] == pytest.approx(summary(first)["edit_cost_points"])


def test_the_input_is_never_overwritten(solved: Solved, tmp_path: Path) -> None:
    """-o naming the edited workbook itself is refused (exit 3), the file left as it was."""
    edited, _ = swap(solved, tmp_path)
    before = edited.read_bytes()
    result = run("rescore", edited, "-o", edited)
    assert result.exit_code == 3 and edited.read_bytes() == before


def test_an_edited_input_copy_needs_input(solved: Solved, tmp_path: Path) -> None:
    """An input copy changed as well is not trusted as the input: exit 3 unless --input."""
    edited, _ = swap(solved, tmp_path)
    workbook = openpyxl.load_workbook(edited)
    workbook["输入·参数 settings"].cell(2, 2).value = 3
    workbook.save(edited)
    result = run("rescore", edited)
    assert result.exit_code == 3 and "输入·参数 settings" in result.output
    assert run("rescore", edited, "--input", EXAMPLE).exit_code == 0


def test_verify_recomputes_the_price(solved: Solved, tmp_path: Path) -> None:
    """verify judges the price from its own total: a wrong edit_cost_points is a TOT finding,
    and so is a hand-edited plan that claims a proof."""
    edited, _ = swap(solved, tmp_path)
    assert run("rescore", edited).exit_code == 0
    out = tmp_path / "edited-rescored.xlsx"
    workbook = openpyxl.load_workbook(out)
    sheet = workbook["指标 summary"]
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, 2).value == "edit_cost_points":
            sheet.cell(row, 3).value = 1.0
        if sheet.cell(row, 2).value == "proven":
            sheet.cell(row, 3).value = "是"
    workbook.save(out)
    totals = [f for f in verify_plan(out).findings if f.rule == "TOT"]
    assert any("edit_cost_points says 1.0" in f.en for f in totals)
    assert any("proven must be 否" in f.en for f in totals)


def test_a_stale_schedule_is_left_behind_with_a_note(solved: Solved, tmp_path: Path) -> None:
    """The edited workbook's 活动日程 belongs to the old pairs: not copied, and said so."""
    edited, _ = swap(solved, tmp_path)
    workbook = openpyxl.load_workbook(edited)
    workbook.create_sheet("活动日程 schedule").append(["日期 (date)"])
    workbook.save(edited)
    result = run("rescore", edited)
    assert result.exit_code == 0
    assert "pairing schedule" in result.stderr
    names = openpyxl.load_workbook(tmp_path / "edited-rescored.xlsx", read_only=True).sheetnames
    assert "活动日程 schedule" not in names


def test_a_rescored_plan_read_back_keeps_its_status_and_price(
    solved: Solved, tmp_path: Path
) -> None:
    """What ``schedule`` does with a re-costed plan (read it, write it again): it is still
    hand-edited, unproven, with the same price, and still verifies."""
    edited, _ = swap(solved, tmp_path)
    assert run("rescore", edited).exit_code == 0
    book = read_plan(tmp_path / "edited-rescored.xlsx")
    assert book.plan.facts.status == "HAND_EDITED" and not book.plan.facts.proven
    assert book.plan.edit is not None and book.plan.edit.original.proven
    again = tmp_path / "again.xlsx"
    write_plan(again, book.input, book.plan, hard_checks(book.input.problem, book.plan))
    facts, first = summary(again), summary(tmp_path / "edited-rescored.xlsx")
    for key in ("status", "proven", "original_objective", "edit_cost_points", "edit_cost_pct"):
        assert facts[key] == first[key], key
    assert verify_plan(again).valid


def test_a_blank_plan_year_is_the_year_the_plan_was_made_for(
    solved: Solved, tmp_path: Path
) -> None:
    """规划年份 blank means "next year" on the day of the run; a plan re-costed later keeps the
    year its 来源 records (verify reads it the same way). Recorded as 2028, the pairs begun in
    2022 have run the 6 years max_tenure_years allows: P05 now bars them."""
    changed = tmp_path / "input.xlsx"
    workbook = openpyxl.load_workbook(EXAMPLE)
    settings = workbook["参数 settings"]
    for row in range(2, settings.max_row + 1):
        if str(settings.cell(row, 1).value).endswith("plan_year"):
            settings.cell(row, 2).value = None
    workbook.save(changed)
    plan = tmp_path / "plan.xlsx"
    shutil.copyfile(solved.plan, plan)
    assert run("rescore", plan, "--input", changed).exit_code == 0  # recorded: 2027
    workbook = openpyxl.load_workbook(solved.plan)
    provenance = workbook["来源 provenance"]
    for row in range(2, provenance.max_row + 1):
        if provenance.cell(row, 2).value == "plan_year":
            provenance.cell(row, 3).value = 2028
    later = tmp_path / "later.xlsx"
    workbook.save(later)
    result = run("rescore", later, "--input", changed)
    assert result.exit_code == 5
    assert "[P05]" in result.output and "自 2022 年起结对，到 2028 年已满 6 年" in result.output
