"""``pairing diff`` against what the two plans' sheets say, read here with openpyxl alone."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from .conftest import CHANGED_UNIT, NEW_VILLAGE, Plans, run, solve, tiny_input

ASSIGNMENTS = "结对方案 assignments"
SUMMARY = "指标 summary"


def sheet_pairs(path: Path) -> set[tuple[str, str]]:
    """The (village_id, unit_id) rows of a plan's 结对方案 sheet."""
    rows = list(
        openpyxl.load_workbook(path, read_only=True)[ASSIGNMENTS].iter_rows(values_only=True)
    )
    header = [str(cell) for cell in rows[0]]
    village = next(i for i, h in enumerate(header) if h.endswith("(village_id)"))
    unit = next(i for i, h in enumerate(header) if h.endswith("(unit_id)"))
    return {(str(row[village]), str(row[unit])) for row in rows[1:] if row[village]}


def summary(path: Path) -> dict[str, Any]:
    """指标's values by key."""
    sheet = openpyxl.load_workbook(path, read_only=True)[SUMMARY]
    return {str(row[1]): row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}


def diff_json(a: Path, b: Path) -> dict[str, Any]:
    result = run("diff", str(a), str(b), "--json")
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def as_pairs(entries: list[dict[str, str]]) -> set[tuple[str, str]]:
    return {(entry["village_id"], entry["unit_id"]) for entry in entries}


def units_by_village(pairs: set[tuple[str, str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for village, unit in pairs:
        out.setdefault(village, set()).add(unit)
    return out


def test_pairs_are_the_set_difference_of_the_two_sheets(plans: Plans) -> None:
    """P13 1 → 3 changes pairs; added and removed are exactly B − A and A − B."""
    a, b = sheet_pairs(plans.a), sheet_pairs(plans.b)
    assert a != b  # the weight change must move something, or the test proves nothing
    data = diff_json(plans.a, plans.b)
    assert as_pairs(data["added"]) == b - a
    assert as_pairs(data["removed"]) == a - b
    assert len(data["added"]) == len(b - a)  # no pair listed twice
    back = diff_json(plans.b, plans.a)
    assert as_pairs(back["added"]) == a - b and as_pairs(back["removed"]) == b - a


def test_moved_units_left_one_village_for_another(plans: Plans) -> None:
    """Every unit that lost a village and gained one is moved, from the one to the other."""
    a, b = sheet_pairs(plans.a), sheet_pairs(plans.b)
    moved = diff_json(plans.a, plans.b)["moved"]
    assert moved
    for entry in moved:
        assert (entry["from_village_id"], entry["unit_id"]) in a - b
        assert (entry["to_village_id"], entry["unit_id"]) in b - a
    lost = {unit for _, unit in a - b}
    gained = {unit for _, unit in b - a}
    assert {entry["unit_id"] for entry in moved} == lost & gained


def test_villages_whose_units_changed(plans: Plans) -> None:
    a, b = units_by_village(sheet_pairs(plans.a)), units_by_village(sheet_pairs(plans.b))
    expected = {v for v in a.keys() & b.keys() if a[v] != b[v]}
    villages = diff_json(plans.a, plans.b)["villages"]
    assert {entry["village_id"] for entry in villages} == expected
    for entry in villages:
        assert set(entry["units_a"]) == a[entry["village_id"]]
        assert set(entry["units_b"]) == b[entry["village_id"]]


def test_kpi_and_point_deltas_are_b_minus_a(plans: Plans) -> None:
    """Each KPI and each rule's points of 指标, both sides and their difference."""
    a, b = summary(plans.a), summary(plans.b)
    data = diff_json(plans.a, plans.b)
    assert set(data["kpis"]) >= {"mean_km", "needs_covered_pct", "pairs"}
    for key, figure in data["kpis"].items():
        assert figure["a"] == a[key] and figure["b"] == b[key]
        assert figure["delta"] == pytest.approx(b[key] - a[key], abs=1e-6)
    for rule in ("P10", "P12", "P13", "P14", "P15", "P16", "P17"):
        points = data["points"][rule]
        assert points["a"] == pytest.approx(a.get(f"points_{rule}", 0.0))
        assert points["delta"] == pytest.approx(
            b.get(f"points_{rule}", 0.0) - a.get(f"points_{rule}", 0.0), abs=1e-6
        )
    assert data["points"]["P13"]["delta"] != 0
    assert data["objective"]["delta"] == pytest.approx(b["objective"] - a["objective"], abs=1e-6)


def test_input_changes_name_the_setting_and_the_rows(plans: Plans) -> None:
    """P13 1 → 3, the village added and the unit whose strength changed."""
    inputs = diff_json(plans.a, plans.c)["inputs"]
    assert inputs["same_input_file"] is False
    assert [(s["key"], s["a"], s["b"]) for s in inputs["settings"]] == [("P13", "1", "3")]
    villages = inputs["sheets"]["villages"]
    assert [row["key"] for row in villages["added"]] == [NEW_VILLAGE]
    assert villages["added"][0]["values"]["name"] == "新增村"
    assert villages["removed"] == [] and villages["changed"] == []
    units = inputs["sheets"]["units"]
    assert [c["key"] for c in units["changed"]] == [CHANGED_UNIT]
    strength = units["changed"][0]["columns"]["strength"]
    assert float(strength["b"]) == float(strength["a"]) + 2
    assert set(inputs["sheets"]) == {"villages", "units"}  # no other sheet differs


def test_json_has_the_issue_shape(plans: Plans) -> None:
    data = diff_json(plans.a, plans.c)
    assert {"added", "removed", "moved", "kpis", "inputs"} <= data.keys()
    assert all(entry.keys() == {"village_id", "unit_id"} for entry in data["added"])
    assert all(entry.keys() == {"village_id", "unit_id"} for entry in data["removed"])
    assert all(
        entry.keys() == {"unit_id", "from_village_id", "to_village_id"} for entry in data["moved"]
    )
    assert all(figure.keys() == {"a", "b", "delta"} for figure in data["kpis"].values())
    assert data["villages_only_b"] == [NEW_VILLAGE] and data["villages_only_a"] == []
    assert data["unchanged"] is False and data["edited"] == {"a": [], "b": []}


def test_text_names_units_and_villages(plans: Plans) -> None:
    result = run("diff", str(plans.a), str(plans.c))
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    for heading in ("单位调动 moved units", "指标变化 KPI deltas", "输入变化 input changes"):
        assert heading in text
    assert "参数 settings: P13 路程: 1 → 3" in text
    assert f"新增 added {NEW_VILLAGE} 新增村" in text
    moved = diff_json(plans.a, plans.c)["moved"][0]
    names = units_of(plans.a)
    assert f"{moved['unit_id']} {names[moved['unit_id']]}: {moved['from_village_id']} " in text


def units_of(plan: Path) -> dict[str, str]:
    """Unit names by id, from 结对方案."""
    sheet = openpyxl.load_workbook(plan, read_only=True)[ASSIGNMENTS]
    return {str(row[3]): str(row[4]) for row in sheet.iter_rows(min_row=2, values_only=True)}


def read_sheet(path: Path, title: str) -> list[tuple[Any, ...]]:
    return list(openpyxl.load_workbook(path, read_only=True)[title].iter_rows(values_only=True))


def test_workbook_holds_every_change(plans: Plans, tmp_path: Path) -> None:
    out = tmp_path / "diff.xlsx"
    result = run("diff", str(plans.a), str(plans.c), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    titles = openpyxl.load_workbook(out, read_only=True).sheetnames
    for title in ("概要 summary", "结对变化 pair_changes", "单位调动 moved_units"):
        assert title in titles
    assert {"指标变化 kpi_deltas", "输入变化 input_changes"} <= set(titles)
    pairs = read_sheet(out, "结对变化 pair_changes")
    assert pairs[0][:2] == ("变化 (change)", "村编号 (village_id)")
    a, c = sheet_pairs(plans.a), sheet_pairs(plans.c)
    assert {(r[1], r[4]) for r in pairs[1:] if r[0] == "新增 added"} == c - a
    assert {(r[1], r[4]) for r in pairs[1:] if r[0] == "取消 removed"} == a - c
    moved = diff_json(plans.a, plans.c)["moved"]
    rows = read_sheet(out, "单位调动 moved_units")[1:]
    assert [(r[0], r[2], r[4]) for r in rows] == [
        (m["unit_id"], m["from_village_id"], m["to_village_id"]) for m in moved
    ]
    kpis = {r[1]: r for r in read_sheet(out, "指标变化 kpi_deltas")[1:]}
    assert kpis["mean_km"][3:5] == (summary(plans.a)["mean_km"], summary(plans.c)["mean_km"])
    inputs = read_sheet(out, "输入变化 input_changes")[1:]
    assert ("参数 settings", "修改 changed", "P13 路程", "值 (value)", "1", "3") in [
        r[:6] for r in inputs
    ]
    assert any(r[1] == "新增 added" and r[2] == NEW_VILLAGE for r in inputs)


def test_identical_plans_have_no_changes(plans: Plans, tmp_path: Path) -> None:
    copy = shutil.copy(plans.a, tmp_path / "same.xlsx")
    data = diff_json(plans.a, Path(copy))
    assert data["added"] == data["removed"] == data["moved"] == data["villages"] == []
    assert all(figure["delta"] == 0 for figure in data["kpis"].values())
    assert data["inputs"]["settings"] == [] and data["inputs"]["sheets"] == {}
    assert data["inputs"]["same_input_file"] is True and data["unchanged"] is True
    text = run("diff", str(plans.a), str(copy)).stdout
    assert "两个方案相同" in text and "the plans agree" in text


def test_plans_without_a_common_village_exit_3(tmp_path: Path) -> None:
    one = solve(tiny_input(tmp_path / "x.xlsx", ["V1", "V2"]), tmp_path / "x_plan.xlsx")
    other = solve(tiny_input(tmp_path / "y.xlsx", ["W1", "W2"]), tmp_path / "y_plan.xlsx")
    out = tmp_path / "d.xlsx"
    result = run("diff", str(one), str(other), "-o", str(out))
    assert result.exit_code == 3
    assert "没有一个共同的村" in result.stderr and "no village in common" in result.stderr
    assert "x_plan.xlsx" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_a_file_that_is_not_a_plan_exits_3(plans: Plans, tmp_path: Path) -> None:
    result = run("diff", str(plans.input), str(plans.a))
    assert result.exit_code == 3
    assert "不是 pairing 方案工作簿" in result.stderr and "not a pairing plan" in result.stderr
    junk = tmp_path / "junk.xlsx"
    junk.write_text("not a workbook")
    result = run("diff", str(plans.a), str(junk))
    assert result.exit_code == 3 and "junk.xlsx" in result.stderr
    assert "Traceback" not in result.stderr


def test_output_must_not_be_a_plan(plans: Plans, tmp_path: Path) -> None:
    copy = Path(shutil.copy(plans.a, tmp_path / "a.xlsx"))
    before = copy.read_bytes()
    result = run("diff", str(copy), str(plans.b), "-o", str(copy))
    assert result.exit_code == 3 and "输出文件不能是输入" in result.stderr
    assert copy.read_bytes() == before


def test_hand_built_plans_agree_with_their_sheets(tmp_path: Path) -> None:
    """A 必须 pair forced into the second plan is in added; what it displaced in removed."""
    free = solve(tiny_input(tmp_path / "free.xlsx", ["V1", "V2"]), tmp_path / "free_plan.xlsx")
    first = sheet_pairs(free)
    village = next(v for v, _ in sorted(first))
    outsider = next(u for u in ("U1", "U2", "U3", "U4") if (village, u) not in first)
    rules = [(outsider, village, "必须")]
    locked = solve(
        tiny_input(tmp_path / "lock.xlsx", ["V1", "V2"], rules), tmp_path / "lock.xlsx.plan.xlsx"
    )
    second = sheet_pairs(locked)
    data = diff_json(free, locked)
    assert (village, outsider) in as_pairs(data["added"])
    assert as_pairs(data["added"]) == second - first
    assert as_pairs(data["removed"]) == first - second
    rules_diff = data["inputs"]["sheets"]["rules"]
    assert [row["key"] for row in rules_diff["added"]] == [f"{outsider} / {village}"]


def test_a_left_out_setting_equals_its_default(tmp_path: Path) -> None:
    """No 参数 sheet and ``P13 = 1`` (its default) are the same input; P13 = 2 is not."""
    bare = solve(tiny_input(tmp_path / "bare.xlsx", ["V1", "V2"]), tmp_path / "bare_plan.xlsx")
    same = tiny_input(tmp_path / "same.xlsx", ["V1", "V2"], settings=[("P13", 1)])
    other = tiny_input(tmp_path / "other.xlsx", ["V1", "V2"], settings=[("路程", 2)])
    same_plan = solve(same, tmp_path / "same_plan.xlsx")
    other_plan = solve(other, tmp_path / "other_plan.xlsx")
    assert diff_json(bare, same_plan)["inputs"]["settings"] == []
    settings = diff_json(bare, other_plan)["inputs"]["settings"]
    assert [(s["key"], s["a"], s["b"], s["default"]) for s in settings] == [("P13", None, "2", "1")]


def edit_cell(plan: Path, target: Path, village: str, unit: str, new_unit: str) -> Path:
    """A copy of ``plan`` whose 结对方案 row (village, unit) names ``new_unit`` instead."""
    book = openpyxl.load_workbook(plan)
    sheet = book[ASSIGNMENTS]
    for row in sheet.iter_rows(min_row=2):
        if (row[0].value, row[3].value) == (village, unit):
            row[3].value = new_unit
    book.save(target)
    return target


def test_a_hand_edited_plan_is_compared_by_its_pairs_and_said_so(
    plans: Plans, tmp_path: Path
) -> None:
    pairs = sorted(sheet_pairs(plans.a))
    (village, unit) = pairs[0]
    spare = next(u for _, u in pairs if u not in units_by_village(set(pairs))[village])
    edited = edit_cell(plans.a, tmp_path / "edited.xlsx", village, unit, spare)
    data = diff_json(plans.a, edited)
    assert as_pairs(data["removed"]) == {(village, unit)}
    assert as_pairs(data["added"]) == {(village, spare)}
    assert data["edited"] == {"a": [], "b": [ASSIGNMENTS]}
    text = run("diff", str(plans.a), str(edited)).stdout
    assert "写出后被改动过" in text and "was edited after it was written" in text
    assert "before the edit" in text
    assert "输入变化 input changes: 无 none（两个方案求解自同一个输入文件" in text
    assert run("schedule", str(edited), "-o", str(tmp_path / "s.xlsx")).exit_code == 3


def test_a_hand_edit_naming_an_unknown_unit_exits_3(plans: Plans, tmp_path: Path) -> None:
    village, unit = sorted(sheet_pairs(plans.a))[0]
    edited = edit_cell(plans.a, tmp_path / "typo.xlsx", village, unit, "U999")
    result = run("diff", str(plans.a), str(edited))
    assert result.exit_code == 3
    assert "U999" in result.stderr and "单位编号 (unit_id)" in result.stderr
    assert "第2行" in result.stderr or "row " in result.stderr
