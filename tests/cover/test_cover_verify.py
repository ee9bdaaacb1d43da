"""`pairing verify COVER.xlsx`: a fresh cover verifies; every kind of damage is caught by its rule.

Each mutation edits a copy of a real cover workbook with openpyxl and then re-seals it with the
project's own digest code (:func:`pairing.io.planbook.seal`), so that what catches it is the
rule re-derived from the rows, not the seal; one edit left unsealed shows the seal (``EDT``).
"""

from __future__ import annotations

import math
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from pairing.domain.digest import FORM_KEY
from pairing.io.planbook import seal

from .cover_books import write_county

COVER = "包户 cover"
TEAMS = "结对小组 teams"
GRIDS = "网格 grids"
SUMMARY = "指标 summary"
PROVENANCE = "来源 provenance"
HOUSEHOLDS = "输入·农户 households"
Row = dict[str, object]


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pairing", *map(str, args)], capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The county's input, its plan and its cover, each by the real command."""
    folder = tmp_path_factory.mktemp("cover_verify")
    source = write_county(folder / "in.xlsx")
    plan, cover = folder / "plan.xlsx", folder / "cover.xlsx"
    for args in (("solve", source, "-o", plan, "-q"), ("cover", plan, "-o", cover)):
        done = run(*args)
        assert done.returncode == 0, done.stderr
    return source, plan, cover


def keys(sheet: Worksheet) -> list[str]:
    return [str(cell.value).rsplit("(", 1)[-1].rstrip(")") for cell in sheet[1]]


def records(sheet: Worksheet) -> list[tuple[int, Row]]:
    """Each data row as (Excel row, {english key: value})."""
    names = keys(sheet)
    return [
        (number, dict(zip(names, values, strict=False)))
        for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2)
        if any(v is not None for v in values)
    ]


def put(sheet: Worksheet, row: int, key: str, value: object) -> None:
    sheet.cell(row=row, column=keys(sheet).index(key) + 1, value=value)


def reseal(workbook: Workbook) -> None:
    """Drop 来源's digest rows and seal again, as ``pairing cover`` seals."""
    sheet = workbook[PROVENANCE]
    first = next(r for r, rec in records(sheet) if rec["key"] == FORM_KEY)
    sheet.delete_rows(first, sheet.max_row - first + 1)
    seal(workbook)


def edited(
    cover: Path, tmp_path: Path, edit: Callable[[Workbook], None], *, sealed: bool = True
) -> subprocess.CompletedProcess[str]:
    """Verify a copy of ``cover`` with ``edit`` applied (and re-sealed unless told not)."""
    target = tmp_path / "edited.xlsx"
    shutil.copy(cover, target)
    workbook = load_workbook(target)
    edit(workbook)
    if sealed:
        reseal(workbook)
    workbook.save(target)
    return run("verify", target)


def findings(done: subprocess.CompletedProcess[str]) -> list[str]:
    return [line.strip() for line in done.stdout.splitlines() if line.startswith("  [")]


def assert_caught(done: subprocess.CompletedProcess[str], rule: str, where: str) -> None:
    """Exit 5, a finding of ``rule`` at ``where`` (sheet and row), and no seal finding."""
    assert done.returncode == 5, done.stdout + done.stderr
    lines = findings(done)
    assert any(line.startswith(f"[{rule}] {where}") for line in lines), lines
    assert not any(line.startswith("[EDT]") for line in lines), lines


def move(workbook: Workbook, household_row: int, team_id: str) -> None:
    """Move one 包户 row to ``team_id`` consistently: its ids and names, both teams' counts."""
    teams = {rec["team_id"]: (r, rec) for r, rec in records(workbook[TEAMS])}
    cover = workbook[COVER]
    old = next(rec for r, rec in records(cover) if r == household_row)
    (to_row, to), (from_row, was) = teams[team_id], teams[old["team_id"]]
    for key in ("team_id", "unit_member_id", "unit_member_name", "unit_id", "village_member_id"):
        put(cover, household_row, key, to[key])
    put(cover, household_row, "village_member_name", to["village_member_name"])
    priority = 1 if old["categories"] else 0
    for row, rec, step in ((to_row, to, 1), (from_row, was, -1)):
        put(workbook[TEAMS], row, "households", int(str(rec["households"])) + step)
        put(
            workbook[TEAMS],
            row,
            "priority_households",
            int(str(rec["priority_households"])) + step * priority,
        )


def test_fresh_cover_verifies(made: tuple[Path, Path, Path]) -> None:
    done = run("verify", made[2])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "C01 C02 C03 C04 C05 C10 C11 C12 C13 C14 G01 G02 G03 G04 G05" in done.stdout
    assert "有效 VALID" in done.stdout


def test_fresh_cover_verifies_against_its_input(made: tuple[Path, Path, Path]) -> None:
    done = run("verify", made[2], "--input", made[0])
    assert done.returncode == 0, done.stdout + done.stderr


def test_plan_workbook_still_verifies(made: tuple[Path, Path, Path]) -> None:
    done = run("verify", made[1])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "P01" in done.stdout and "C01" not in done.stdout


def test_dropped_household_breaks_c01(made: tuple[Path, Path, Path], tmp_path: Path) -> None:
    cover = load_workbook(made[2])
    row, rec = records(cover[COVER])[4]
    listed = next(r for r, h in records(cover[HOUSEHOLDS]) if h["户编号"] == rec["household_id"])
    done = edited(made[2], tmp_path, lambda wb: wb[COVER].delete_rows(row))
    assert_caught(done, "C01", f"{HOUSEHOLDS} 第{listed}行")
    assert str(rec["household_id"]) in done.stdout


def test_household_in_another_team_breaks_c02(
    made: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """Only the 结对小组 cell changed: the row's members are not its team's."""
    cover = load_workbook(made[2])
    row, rec = records(cover[COVER])[0]
    other = next(
        t
        for _, t in records(cover[TEAMS])
        if t["village_id"] == rec["village_id"] and t["team_id"] != rec["team_id"]
    )
    done = edited(made[2], tmp_path, lambda wb: put(wb[COVER], row, "team_id", other["team_id"]))
    assert_caught(done, "C02", f"{COVER} 第{row}行")


def _full_and_other(workbook: Workbook) -> tuple[int, str]:
    """A household without 类别 of a village, and a team of it at ⌈mean⌉ that is not its own."""
    teams = records(workbook[TEAMS])
    for row, rec in records(workbook[COVER]):
        own = [t for _, t in teams if t["village_id"] == rec["village_id"]]
        share = math.ceil(sum(int(str(t["households"])) for t in own) / len(own))
        for team in own:
            if (
                not rec["categories"]
                and team["team_id"] != rec["team_id"]
                and team["households"] == share
            ):
                mine = next(t for t in own if t["team_id"] == rec["team_id"])
                if int(str(mine["households"])) <= share:
                    return row, str(team["team_id"])
    raise LookupError("no such move")


def test_household_moved_to_another_team_changes_c12(
    made: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """Moved with its ids, names and the teams' counts: C12's points are not the stated ones."""
    row, team = _full_and_other(load_workbook(made[2]))
    done = edited(made[2], tmp_path, lambda wb: move(wb, row, team))
    summary = load_workbook(made[2])[SUMMARY]
    at = next(r for r, rec in records(summary) if rec["key"] == "points_C12")
    assert_caught(done, "C12", f"{SUMMARY} 第{at}行")


def test_team_over_n_breaks_c04(made: tuple[Path, Path, Path], tmp_path: Path) -> None:
    workbook = load_workbook(made[2])
    target_row, target = records(workbook[TEAMS])[0]
    others = [
        r
        for r, rec in records(workbook[COVER])
        if rec["village_id"] == target["village_id"] and rec["team_id"] != target["team_id"]
    ]
    need = 6 - int(str(target["households"]))  # N = 5 by default

    def edit(wb: Workbook) -> None:
        for row in others[:need]:
            move(wb, row, str(target["team_id"]))

    assert_caught(edited(made[2], tmp_path, edit), "C04", f"{TEAMS} 第{target_row}行")


def test_member_in_two_teams_breaks_c03(made: tuple[Path, Path, Path], tmp_path: Path) -> None:
    workbook = load_workbook(made[2])
    teams = records(workbook[TEAMS])
    (_, first), (second_row, second) = teams[0], teams[1]
    assert first["village_id"] == second["village_id"]

    def edit(wb: Workbook) -> None:
        put(wb[TEAMS], second_row, "village_member_id", first["village_member_id"])
        for row, rec in records(wb[COVER]):
            if rec["team_id"] == second["team_id"]:
                put(wb[COVER], row, "village_member_id", first["village_member_id"])

    done = edited(made[2], tmp_path, edit)
    assert_caught(done, "C03", f"{TEAMS} 第{second_row}行")


def test_grid_over_30_breaks_g01(made: tuple[Path, Path, Path], tmp_path: Path) -> None:
    """A split 小组's shares moved 23 + 22 → 31 + 14: the sum holds, the limit does not."""
    grids = records(load_workbook(made[2])[GRIDS])
    (first, a), (second, b) = [
        (r, g) for r, g in grids if g["groups"] == "一组" and g["village_id"] == "V1"
    ]
    total = int(str(a["households"])) + int(str(b["households"]))

    def edit(wb: Workbook) -> None:
        put(wb[GRIDS], first, "households", 31)
        put(wb[GRIDS], second, "households", total - 31)

    assert_caught(edited(made[2], tmp_path, edit), "G01", f"{GRIDS} 第{first}行")


def test_leader_living_elsewhere_breaks_g04(made: tuple[Path, Path, Path], tmp_path: Path) -> None:
    grids = records(load_workbook(made[2])[GRIDS])
    row = next(r for r, g in grids if g["groups"] == "四组")
    leaders = {g["leader_id"] for _, g in grids}
    # P6 lives in 二组 of V1 and leads no grid: only "lives in the grid" is broken
    assert "P6" not in leaders
    done = edited(made[2], tmp_path, lambda wb: put(wb[GRIDS], row, "leader_id", "P6"))
    assert_caught(done, "G04", f"{GRIDS} 第{row}行")


def test_changed_soft_points_are_a_c11_mismatch(
    made: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """points_C11 raised by 3: the objective still is the recomputed total, C11 is not."""
    summary = records(load_workbook(made[2])[SUMMARY])
    rows = {rec["key"]: (r, rec["value"]) for r, rec in summary}

    def edit(wb: Workbook) -> None:
        put(wb[SUMMARY], rows["points_C11"][0], "value", float(str(rows["points_C11"][1])) + 3)

    done = edited(made[2], tmp_path, edit)
    assert_caught(done, "C11", f"{SUMMARY} 第{rows['points_C11'][0]}行")
    assert not any(line.startswith("[TOT]") for line in findings(done))


def test_edited_cell_without_reseal_is_edt(made: tuple[Path, Path, Path], tmp_path: Path) -> None:
    done = edited(
        made[2], tmp_path, lambda wb: put(wb[COVER], 2, "head", "改过的户主"), sealed=False
    )
    assert done.returncode == 5
    assert any(line.startswith(f"[EDT] {COVER} 第2行") for line in findings(done)), done.stdout
    assert "户主 (head)" in done.stdout
    assert (
        "在包户工作簿写出后被改动" in done.stdout
        and "after the cover workbook was written" in done.stdout
    )


def _baseline_with_swaps(cover: Path, target: Path) -> Path:
    """The cover with two households of V1 swapped between teams: a previous cover to keep."""
    workbook = load_workbook(cover)
    rows = [(r, rec) for r, rec in records(workbook[COVER]) if rec["village_id"] == "V1"]
    (a, first), (b, second) = next(
        ((x, y) for x in rows for y in rows if x[1]["team_id"] != y[1]["team_id"]),
    )
    for key in ("unit_member_id", "village_member_id"):
        put(workbook[COVER], a, key, second[key])
        put(workbook[COVER], b, key, first[key])
    workbook.save(target)
    return target


def test_cover_with_baseline_verifies_and_c13_is_recomputed(
    made: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """With --baseline the workbook copies the baseline's 包户 ids; C13 is re-derived from them:
    the fresh cover verifies, and a changed baseline id (re-sealed) is a C13 mismatch."""
    baseline = _baseline_with_swaps(made[2], tmp_path / "before.xlsx")
    again = tmp_path / "again.xlsx"
    done = run("cover", made[1], "-o", again, "--baseline", baseline)
    assert done.returncode == 0, done.stderr
    done = run("verify", again)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "C13 包户延续" in done.stdout
    copy = load_workbook(again)["输入·基线包户 baseline_cover"]
    kept = {rec["household_id"]: (r, rec) for r, rec in records(copy)}
    rows = {rec["key"]: r for r, rec in records(load_workbook(again)[SUMMARY])}
    cover = records(load_workbook(again)[COVER])
    # a V1 household that kept both members: a baseline naming another party member costs C13
    row, now = next(
        (kept[rec["household_id"]][0], rec)
        for _, rec in cover
        if rec["village_id"] == "V1"
        and kept[rec["household_id"]][1]["unit_member_id"] == rec["unit_member_id"]
        and kept[rec["household_id"]][1]["village_member_id"] == rec["village_member_id"]
    )
    other = next(
        rec["village_member_id"]
        for _, rec in cover
        if rec["village_id"] == "V1" and rec["village_member_id"] != now["village_member_id"]
    )
    done = edited(
        again,
        tmp_path,
        lambda wb: put(wb["输入·基线包户 baseline_cover"], row, "village_member_id", other),
    )
    assert_caught(done, "C13", f"{SUMMARY} 第{rows['points_C13']}行")


def test_restated_cells_are_re_derived(made: tuple[Path, Path, Path], tmp_path: Path) -> None:
    """A 包户 row's 小组 and a 包村 row's units are checked against the input and the plan."""
    workbook = load_workbook(made[2])
    row, rec = records(workbook[COVER])[0]
    other = "三组" if rec["group"] != "三组" else "二组"
    roster = next(r for r, x in records(workbook["责任清单 roster"]) if x["level"] == "包村")

    def edit(wb: Workbook) -> None:
        put(wb[COVER], row, "group", other)
        put(wb["责任清单 roster"], roster, "person_id", "U9")

    done = edited(made[2], tmp_path, edit)
    assert_caught(done, "INT", f"{COVER} 第{row}行 row {row} 列 column E 小组 (group)")
    assert_caught(done, "INT", f"责任清单 roster 第{roster}行")


def _row_of(workbook: Workbook, title: str, **match: object) -> int:
    return next(
        r for r, rec in records(workbook[title]) if all(rec[k] == v for k, v in match.items())
    )


def _groups_row(workbook: Workbook, village: str, group: str) -> int:
    return next(
        r
        for r, rec in records(workbook["输入·村民小组 groups"])
        if rec["村编号"] == village and rec["小组"] == group
    )


def _duplicate_row(wb: Workbook) -> None:
    sheet = wb[COVER]
    sheet.append([cell.value for cell in sheet[2]])


def _cap_team(wb: Workbook) -> None:
    """Fill the team of a member whose 最多户数 is 4 up to 5 (N): C05 binds, C04 does not."""
    team = next(t for _, t in records(wb[TEAMS]) if t["capacity"] == 4)
    others = [
        r
        for r, rec in records(wb[COVER])
        if rec["village_id"] == team["village_id"] and rec["team_id"] != team["team_id"]
    ]
    for row in others[: 5 - int(str(team["households"]))]:
        move(wb, row, str(team["team_id"]))


MUTATIONS: dict[str, tuple[Callable[[Workbook], None], str, Callable[[Workbook], str]]] = {
    "a household twice": (
        _duplicate_row,
        "C01",
        lambda wb: f"{COVER} 第{wb[COVER].max_row + 1}行",  # the appended row
    ),
    "a team above a member's 最多户数": (
        _cap_team,
        "C05",
        lambda wb: f"{TEAMS} 第{_row_of(wb, TEAMS, capacity=4)}行",
    ),
    "a 小组 of ≤ 30 in two grids": (
        lambda wb: put(wb[GRIDS], _row_of(wb, GRIDS, grid_id="V2-G02"), "groups", "一组、二组"),
        "G02",
        lambda wb: f"{GRIDS} 第{_row_of(wb, GRIDS, grid_id='V2-G02')}行",
    ),
    "the 农户 copy deleted": (
        lambda wb: wb.remove(wb[HOUSEHOLDS]),
        "INT",
        lambda wb: f"{HOUSEHOLDS}: 包户工作簿缺少此工作表",
    ),
    "a 小组 in no grid": (
        lambda wb: wb[GRIDS].delete_rows(_row_of(wb, GRIDS, groups="四组")),
        "G03",
        lambda wb: f"输入·村民小组 groups 第{_groups_row(wb, 'V1', '四组')}行",
    ),
    "a 包组 member living elsewhere": (
        lambda wb: put(
            wb["责任清单 roster"],
            _row_of(wb, "责任清单 roster", level="包组", target="二组", village_id="V1"),
            "person_id",
            "P1",
        ),
        "G05",
        lambda wb: (
            "责任清单 roster 第"
            f"{_row_of(wb, '责任清单 roster', level='包组', target='二组', village_id='V1')}行"
        ),
    ),
}


@pytest.mark.parametrize("case", sorted(MUTATIONS))
def test_each_rule_catches_its_breach(
    case: str, made: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    edit, rule, where = MUTATIONS[case]
    assert_caught(edited(made[2], tmp_path, edit), rule, where(load_workbook(made[2])))


def test_summary_figures_are_counted_again(made: tuple[Path, Path, Path], tmp_path: Path) -> None:
    """指标's 最大小组户数 raised by one (re-sealed): counted from the rows, it is not."""
    rows = {rec["key"]: (r, rec["value"]) for r, rec in records(load_workbook(made[2])[SUMMARY])}
    row, value = rows["max_team_load"]
    done = edited(made[2], tmp_path, lambda wb: put(wb[SUMMARY], row, "value", int(str(value)) + 1))
    assert_caught(done, "INT", f"{SUMMARY} 第{row}行")
    assert "max_team_load" in done.stdout
