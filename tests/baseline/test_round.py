"""The second round on the real command: ``solve --baseline`` after a merger, a new village and
a complaint; 单位变更 errors; what verify and explain make of P18."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from pairing.cli import cli
from pairing.domain.schema import SETTINGS, UNIT_CHANGES, UNITS
from pairing.examples.round2 import second_round

CHANGES = "变更 changes"


def run(*args: str) -> tuple[int, str]:
    """The real CLI in process: exit code and output (stdout and stderr)."""
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def rounds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Round one solved; round two's input; round two solved with the baseline and without."""
    base = tmp_path_factory.mktemp("rounds")
    paths = {name: base / f"{name}.xlsx" for name in ("in1", "plan1", "in2", "plan2", "free2")}
    assert run("example", "gaozhou", str(paths["in1"]))[0] == 0
    assert run("solve", str(paths["in1"]), "-o", str(paths["plan1"]), "-q")[0] == 0
    assert run("example", "gaozhou-round2", str(paths["in2"]))[0] == 0
    code, out = run(
        "solve",
        str(paths["in2"]),
        "-o",
        str(paths["plan2"]),
        "-q",
        "--baseline",
        str(paths["plan1"]),
    )
    assert code == 0, out
    assert run("solve", str(paths["in2"]), "-o", str(paths["free2"]), "-q")[0] == 0
    return paths


def pairs(plan: Path) -> set[tuple[str, str]]:
    """(unit id, village id) of a plan's 结对方案."""
    sheet = openpyxl.load_workbook(plan, read_only=True)["结对方案 assignments"]
    rows = list(sheet.iter_rows(values_only=True))
    at = {str(h).split(" (")[1].rstrip(")"): i for i, h in enumerate(rows[0])}
    return {(str(r[at["unit_id"]]), str(r[at["village_id"]])) for r in rows[1:]}


def change_rows(plan: Path) -> list[dict[str, object]]:
    """The 变更 sheet's rows by English key."""
    sheet = openpyxl.load_workbook(plan, read_only=True)[CHANGES]
    rows = list(sheet.iter_rows(values_only=True))
    keys = [str(h).split(" (")[1].rstrip(")") for h in rows[0]]
    return [dict(zip(keys, row, strict=True)) for row in rows[1:]]


def test_the_second_round_keeps_every_pair_the_rules_allow(rounds: dict[str, Path]) -> None:
    """Merged unit's pair kept as the new unit's, the lifted lock forced, nothing else changed;
    the new units take the new village and the freed place."""
    story = second_round()
    rows = change_rows(rounds["plan2"])
    status = [str(r["status"]).split()[1] for r in rows]
    assert status.count("changed") == 0 and status.count("forced") == 1
    forced = next(r for r in rows if str(r["status"]).endswith("forced"))
    assert (forced["unit_id"], forced["village_id"]) == story.forbidden
    assert str(forced["reason"]).startswith("禁止（指定表第")
    old, into = story.merged
    merged = [r for r in rows if r["baseline_unit_id"] == old]
    assert merged and all(r["unit_id"] == into for r in merged)
    assert all(str(r["reason"]) == f"单位合并：{old} 并入 {into}" for r in merged)
    assert all(str(r["status"]).endswith("kept") for r in merged)
    assert {r["village_id"] for r in rows if str(r["status"]).endswith("new")} >= {"V055"}


def test_without_the_baseline_the_county_reshuffles(rounds: dict[str, Path]) -> None:
    """The same input solved afresh drops many first-round pairs: the baseline is what binds."""
    first, replanned, free = pairs(rounds["plan1"]), pairs(rounds["plan2"]), pairs(rounds["free2"])
    old, into = second_round().merged
    renamed = {(into if u == old else u, v) for u, v in first}
    assert len(renamed - replanned) == 1  # the forbidden pair only
    assert len(renamed - free) > 10


def test_the_replanned_plan_verifies(rounds: dict[str, Path]) -> None:
    code, out = run("verify", str(rounds["plan2"]), "--json")
    assert code == 0, out
    costs = {c["rule"]: c for c in json.loads(out)["costs"]}
    assert "P18" in costs


def test_a_p18_weight_makes_changes_priced_and_verify_recomputes_them(
    rounds: dict[str, Path], tmp_path: Path
) -> None:
    """P18 = 0.5 a change: cheap enough that some pairs change; verify agrees on the points."""
    weighted = edited(rounds["in2"], tmp_path / "w.xlsx", lambda wb: set_setting(wb, "P18", 0.5))
    plan = tmp_path / "plan.xlsx"
    code, out = run(
        "solve", str(weighted), "-o", str(plan), "-q", "--baseline", str(rounds["plan1"])
    )
    assert code == 0, out
    changed = [r for r in change_rows(plan) if str(r["status"]).endswith(" changed")]
    assert changed and all(r["P18"] == 0.5 for r in changed)
    code, out = run("verify", str(plan), "--json")
    assert code == 0, out
    p18 = next(c for c in json.loads(out)["costs"] if c["rule"] == "P18")
    assert p18["recomputed"] == pytest.approx(0.5 * len(changed))


def test_explain_prices_an_alternative_in_changes(rounds: dict[str, Path]) -> None:
    code, out = run("explain", str(rounds["plan2"]), "--village", "V001", "--alternatives", "2")
    assert code == 0, out
    assert re.search(r"多变更 \d+ 对基线结对，P18 每对 \d+ 分；其余 [-+]\d", out)


# --- 单位变更 errors ------------------------------------------------------------------------


def edited(source: Path, target: Path, change: Callable[[openpyxl.Workbook], None]) -> Path:
    """A copy of ``source`` with ``change`` applied."""
    workbook = openpyxl.load_workbook(source)
    change(workbook)
    workbook.save(target)
    return target


def set_setting(workbook: openpyxl.Workbook, key: str, value: object) -> None:
    sheet = workbook[SETTINGS.title]
    row = next(r for r in sheet.iter_rows(min_row=2) if str(r[0].value).startswith(f"{key} "))
    row[1].value = value


def change_row(*values: object) -> Callable[[openpyxl.Workbook], None]:
    def change(workbook: openpyxl.Workbook) -> None:
        workbook[UNIT_CHANGES.title].append(list(values))

    return change


def old_id_still_a_unit(workbook: openpyxl.Workbook) -> None:
    workbook[UNITS.title].append(["U052", "残联"])


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (old_id_still_a_unit, "仍在单位表中"),
        (change_row("U900", "U901", "更名"), "指向不在单位表中的编号"),
        (change_row("U053", "U052", "合并"), "仍在单位表中"),
        (change_row("U800", "U801", "更名"), "指向不在单位表中的编号"),
        (change_row("U700", "U701", "更名", ""), "指向不在单位表中的编号"),
        (change_row("U600", "U001", "撤销"), "撤销的单位不应有新编号"),
        (change_row("U500", "", "合并"), "不能为空"),
    ],
)
def test_a_bad_unit_change_is_exit_3_with_its_place(
    rounds: dict[str, Path], tmp_path: Path, change: Callable[[openpyxl.Workbook], None], words: str
) -> None:
    bad = edited(rounds["in2"], tmp_path / "bad.xlsx", change)
    code, out = run("check", str(bad))
    assert code == 3, out
    assert words in out and "单位变更" in out and "Traceback" not in out


def test_a_cycle_of_unit_changes_is_named(rounds: dict[str, Path], tmp_path: Path) -> None:
    def cycle(workbook: openpyxl.Workbook) -> None:
        workbook[UNIT_CHANGES.title].append(["U900", "U901", "更名"])
        workbook[UNIT_CHANGES.title].append(["U901", "U900", "更名"])

    code, out = run("check", str(edited(rounds["in2"], tmp_path / "c.xlsx", cycle)))
    assert code == 3 and "成环" in out and "U900 → U901 → U900" in out


def test_a_chain_of_changes_reaches_the_unit_now(rounds: dict[str, Path], tmp_path: Path) -> None:
    """U400 renamed U401, which merged into U053: a baseline pair of U400 is U053's."""
    from pairing.io.reader import read_input

    def chain(workbook: openpyxl.Workbook) -> None:
        workbook[UNIT_CHANGES.title].append(["U400", "U401", "更名"])
        workbook[UNIT_CHANGES.title].append(["U401", "U053", "合并"])
        workbook["基线结对 baseline"].append(["U400", "V001"])

    problem = read_input(edited(rounds["in2"], tmp_path / "chain.xlsx", chain)).problem
    assert [(b.unit_id, b.baseline_unit_id) for b in problem.baseline] == [("U053", "U400")]


def test_a_baseline_that_is_not_a_plan_is_exit_3(rounds: dict[str, Path], tmp_path: Path) -> None:
    code, out = run(
        "solve",
        str(rounds["in2"]),
        "-o",
        str(tmp_path / "p.xlsx"),
        "--baseline",
        str(rounds["in1"]),
    )
    assert code == 3 and "基线不是 pairing 方案工作簿" in out and "not a pairing plan" in out
    assert not (tmp_path / "p.xlsx").exists()


def test_a_hand_edited_baseline_is_the_plan_kept(rounds: dict[str, Path], tmp_path: Path) -> None:
    """The planner moved a pair by hand in the last plan: its pairs, not its seal, count."""
    first = pairs(rounds["plan1"])
    u_a, v_a = sorted(first)[0]
    u_b, v_b = next(p for p in sorted(first) if p[1] != v_a and p[0] != u_a)

    def swap(workbook: openpyxl.Workbook) -> None:
        sheet = workbook["结对方案 assignments"]
        header = [str(c.value) for c in sheet[1]]
        col = header.index("单位编号 (unit_id)")
        for row in sheet.iter_rows(min_row=2):
            key = (row[col].value, row[header.index("村编号 (village_id)")].value)
            if key == (u_a, v_a):
                row[col].value = u_b
            elif key == (u_b, v_b):
                row[col].value = u_a

    baseline = edited(rounds["plan1"], tmp_path / "edited.xlsx", swap)
    plan = tmp_path / "p.xlsx"
    assert (
        run("solve", str(rounds["in1"]), "-o", str(plan), "-q", "--baseline", str(baseline))[0] == 0
    )
    listed = {(r["unit_id"], r["village_id"]) for r in change_rows(plan) if r["baseline_unit_id"]}
    assert listed == pairs(baseline)
    assert (u_b, v_a) in listed and (u_a, v_a) not in listed
