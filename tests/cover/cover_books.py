"""A small county with a people layer for the cover verifier's tests: two villages, three
units with identified members, households with 类别 and 需求, and 小组 one of which is larger
than a grid (so G02's split binds)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from openpyxl import Workbook

Rows = list[list[object]]

UNITS: Rows = [["U1", "林业局"], ["U2", "水务局"], ["U3", "农业农村局"]]
VILLAGES: Rows = [["V1", "荷垌村", "曹江镇", 2], ["V2", "石板村", "根子镇", 1]]
MEMBERS: Rows = [
    [unit, f"{name}{k}", f"{unit}-{k}", cap, skills]
    for unit, name in (("U1", "林"), ("U2", "水"), ("U3", "农"))
    for k, cap, skills in ((1, None, "医疗"), (2, 4, ""), (3, None, "农技、法律"))
]
VILLAGE_MEMBERS: Rows = [
    ["P1", "V1", "陈书记", "一组", "书记", None],
    ["P2", "V1", "黄两委", "一组", "两委", None],
    ["P3", "V1", "梁党员", "二组", "党员", None],
    ["P4", "V1", "林党员", "四组", "党员", None],
    ["P5", "V1", "张网格", "三组", "网格员", None],
    ["P6", "V1", "王党员", "二组", "党员", 3],
    ["Q1", "V2", "刘书记", "一组", "书记", None],
    ["Q2", "V2", "杨党员", "二组", "党员", None],
    ["Q3", "V2", "吴党员", "一组", "党员", None],
]
GROUPS: Rows = [
    ["V1", "一组", 45],
    ["V1", "二组", 12],
    ["V1", "三组", 10],
    ["V1", "四组", 9],
    ["V2", "一组", 20],
    ["V2", "二组", 15],
]
_V1_GROUPS = ("一组", "一组", "二组", "三组", "四组", "二组", "一组")
HOUSEHOLDS: Rows = [
    [
        f"H1{i:02d}",
        "V1",
        f"户主{i}",
        _V1_GROUPS[i % 7],
        "脱贫户" if i % 3 == 0 else "",
        2,
        "医疗" if i % 4 == 0 else "",
    ]
    for i in range(14)
] + [
    [f"H2{i:02d}", "V2", f"户主2{i}", "一组" if i < 5 else "二组", "低保户" if i < 3 else "", 3, ""]
    for i in range(8)
]
SHEETS: dict[str, tuple[list[str], Rows]] = {
    "单位": (["单位编号", "单位名称"], UNITS),
    "村": (["村编号", "村名", "所属镇", "需结对单位数"], VILLAGES),
    "队员": (["单位编号", "姓名", "队员编号", "最多户数", "专长"], MEMBERS),
    "村党员": (["党员编号", "村编号", "姓名", "小组", "角色", "最多户数"], VILLAGE_MEMBERS),
    "农户": (["户编号", "村编号", "户主", "小组", "类别", "人口", "需求"], HOUSEHOLDS),
    "村民小组": (["村编号", "小组", "户数"], GROUPS),
}


def write_county(path: Path, sheets: Mapping[str, tuple[list[str], Rows]] | None = None) -> Path:
    """Write the county's input workbook to ``path`` (``sheets`` instead of :data:`SHEETS`)."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for title, (header, rows) in (SHEETS if sheets is None else sheets).items():
        sheet = book.create_sheet(title)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path
