"""G06 网格连片: where every small 小组 has coordinates, a grid's 小组 are connected in their
minimum spanning tree; it binds (first-fit would mix distant 小组), it does not without
coordinates, and `pairing verify` catches a grid that breaks it."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook, load_workbook

from pairing.cover.grids import spanning_tree, village_grids
from pairing.domain.people import Group, VillageMember

from . import cover_books
from .test_cover_verify import GRIDS, assert_caught, edited, put, records, run

# 二组 and 三组 at the two ends of a line, 四组 between them
LINE = {"二组": (22.0, 111.00), "四组": (22.0, 111.01), "三组": (22.0, 111.02)}
SIZES = {"二组": 12, "三组": 10, "四组": 9}


def _groups(located: bool) -> list[Group]:
    return [
        Group("V1", name, SIZES[name], *(LINE[name] if located else (None, None))) for name in SIZES
    ]


def _members() -> list[VillageMember]:
    return [VillageMember(f"P{name}", "V1", "党员", name) for name in SIZES]


def _mixed(located: bool) -> set[frozenset[str]]:
    grids = village_grids("V1", _groups(located), _members(), 30)
    return {frozenset(n for n, _ in g.shares) for g in grids}


def test_g06_grids_follow_the_spanning_tree() -> None:
    tree = spanning_tree(_groups(True))
    assert sorted(tree["四组"]) == ["三组", "二组"] and tree["二组"] == ["四组"]
    assert _mixed(True) == {frozenset({"二组", "四组"}), frozenset({"三组"})}


def test_g06_does_not_bind_without_coordinates() -> None:
    # first-fit decreasing puts the two largest together, the line's two ends
    assert frozenset({"二组", "三组"}) in _mixed(False)


def test_verify_catches_a_grid_of_unconnected_groups(tmp_path: Path) -> None:
    groups = [["V1", "一组", 45, 22.01, 111.0]]
    groups += [["V1", name, SIZES[name], *LINE[name]] for name in SIZES]
    groups += [["V2", "一组", 20, None, None], ["V2", "二组", 15, None, None]]
    sheets = {
        **cover_books.SHEETS,
        "村民小组": (["村编号", "小组", "户数", "纬度", "经度"], groups),
    }
    source, plan, cover = tmp_path / "in.xlsx", tmp_path / "plan.xlsx", tmp_path / "cover.xlsx"
    cover_books.write_county(source, sheets)
    for args in (("solve", source, "-o", plan, "-q"), ("cover", plan, "-o", cover)):
        done = run(*args)
        assert done.returncode == 0, done.stderr
    done = run("verify", cover)
    assert done.returncode == 0 and "G06" in done.stdout, done.stdout
    rows = records(load_workbook(cover)[GRIDS])
    mine = {str(g["groups"]): r for r, g in rows if g["village_id"] == "V1"}
    assert set(mine) >= {"二组、四组", "三组"}

    def edit(wb: Workbook) -> None:
        at, other = mine["二组、四组"], mine["三组"]
        for row, names, size, leader in ((at, "二组、三组", 22, "P3"), (other, "四组", 9, "P4")):
            put(wb[GRIDS], row, "groups", names)
            put(wb[GRIDS], row, "households", size)
            person = next(p for p in cover_books.VILLAGE_MEMBERS if p[0] == leader)
            put(wb[GRIDS], row, "leader_id", leader)
            put(wb[GRIDS], row, "leader_name", person[2])
            put(wb[GRIDS], row, "leader_group", person[3])

    assert_caught(edited(cover, tmp_path, edit), "G06", f"{GRIDS} 第{mine['二组、四组']}行")
