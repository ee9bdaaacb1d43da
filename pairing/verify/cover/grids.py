"""G01-G05 re-derived from a cover workbook's 网格 and 责任清单 rows (models/COVER.md, grids).

A grid's share of a 小组 is not written per 小组; G02 makes it exact: a 小组 of ≤ L households
is wholly in its grid, so its share is its 户数; a larger one has grids of its own, so its
share is the grid's 户数. G03 is judged on those shares, for the paired villages only.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping

from pairing.verify.cover.reading import COMMITTEE, Group, People, Person, column
from pairing.verify.cover.stated import GRIDS, GridRow, Stated
from pairing.verify.report.findings import Finding

GROUP_LEVEL = "包组"


def _at(stated: Stated, grid: GridRow, rule: str, zh: str, en: str, col: str) -> Finding:
    table = stated.tables["grids"]
    sheet = GRIDS.title if table is None else table.sheet
    return Finding(
        rule, sheet, grid.row, zh, en, None if table is None else column(table, GRIDS, col)
    )


def _sizes(people: People, stated: Stated) -> dict[tuple[str, str], Group]:
    return {(g.village_id, g.name): g for g in people.groups if g.village_id in stated.pairs}


def _split(stated: Stated, group: Group, grids: list[GridRow], limit: int) -> list[Finding]:
    """G02 and G03 for a 小组 above L: ⌈g / L⌉ grids holding only it, shares adding up."""
    found = []
    need = -(-group.households // limit)
    if len(grids) != need:
        found.append(
            _at(
                stated,
                grids[0],
                "G02",
                f"小组 {group.name}（{group.households} 户）应分为 {need} 个网格，实为 {len(grids)} 个",
                f"group {group.name} ({group.households}) must be split into {need} grids, not {len(grids)}",
                "groups",
            )
        )
    found += [
        _at(
            stated,
            g,
            "G02",
            f"小组 {group.name} 超过 {limit} 户，其网格不能含别的小组",
            f"group {group.name} is above {limit}: its grids hold no other group",
            "groups",
        )
        for g in grids
        if len(g.groups) > 1
    ]
    shares = sum(g.households or 0 for g in grids if len(g.groups) == 1)
    if all(len(g.groups) == 1 for g in grids) and shares != group.households:
        found.append(
            _at(
                stated,
                grids[0],
                "G03",
                f"小组 {group.name} 的网格共 {shares} 户，应为 {group.households} 户",
                f"the grids of group {group.name} hold {shares}, not {group.households}",
                "households",
            )
        )
    return found


def partition(people: People, stated: Stated, limit: int, sink: list[Finding]) -> None:
    """G01 (≤ L per grid), G02 (whole or split alone), G03 (every 小组, 户数 exact)."""
    sizes = _sizes(people, stated)
    holding: dict[tuple[str, str], list[GridRow]] = defaultdict(list)
    for grid in stated.grids:
        if grid.households is not None and grid.households > limit:
            sink.append(
                _at(
                    stated,
                    grid,
                    "G01",
                    f"网格 {grid.id} 有 {grid.households} 户，超过 {limit}",
                    f"grid {grid.id} holds {grid.households}, more than {limit}",
                    "households",
                )
            )
        for name in grid.groups:
            if (grid.village_id, name) not in sizes:
                sink.append(
                    _at(
                        stated,
                        grid,
                        "G03",
                        f"小组「{name}」不是村 {grid.village_id} 的村民小组",
                        f"'{name}' is not a group of village {grid.village_id}",
                        "groups",
                    )
                )
            else:
                holding[(grid.village_id, name)].append(grid)
        small = [sizes[(grid.village_id, n)] for n in grid.groups if (grid.village_id, n) in sizes]
        if small and all(g.households <= limit for g in small) and len(small) == len(grid.groups):
            total = sum(g.households for g in small)
            if grid.households is not None and grid.households != total:  # else INT already
                sink.append(
                    _at(
                        stated,
                        grid,
                        "G03",
                        f"网格写为 {grid.households} 户，其小组共 {total} 户",
                        f"the grid states {grid.households}; its groups hold {total}",
                        "households",
                    )
                )
    for key, group in sizes.items():
        grids = holding.get(key, [])
        if not grids:
            sink.append(
                Finding(
                    "G03",
                    people.group_sheet,
                    group.row,
                    f"村 {group.village_id} 小组 {group.name} 不在任何网格",
                    f"group {group.name} of village {group.village_id} is in no grid",
                )
            )
        elif group.households > limit:
            sink += _split(stated, group, grids, limit)
        elif len(grids) > 1:
            sink.append(
                _at(
                    stated,
                    grids[1],
                    "G02",
                    f"小组 {group.name}（{group.households} 户）被拆到多个网格",
                    f"group {group.name} ({group.households}) is split across grids",
                    "groups",
                )
            )


def leaders(people: People, stated: Stated, sink: list[Finding]) -> None:
    """G04: each grid led by a party member of the village living in it; none leads two."""
    led: Counter[str] = Counter()
    for grid in stated.grids:
        member = people.village_members.get(grid.leader_id)
        led[grid.leader_id] += 1
        if member is None or member.home != grid.village_id or member.group not in grid.groups:
            sink.append(
                _at(
                    stated,
                    grid,
                    "G04",
                    f"网格长「{grid.leader_id}」不是住在该网格的村 {grid.village_id} 党员",
                    f"'{grid.leader_id}' is not a party member of village {grid.village_id} living in the grid",
                    "leader_id",
                )
            )
        elif led[grid.leader_id] == 2:
            sink.append(
                _at(
                    stated,
                    grid,
                    "G04",
                    f"{grid.leader_id} 已是另一网格的网格长",
                    f"{grid.leader_id} already leads another grid",
                    "leader_id",
                )
            )


def _residents(members: Mapping[str, Person]) -> tuple[dict[tuple[str, str], bool], set[str]]:
    """(village, 小组) lived in -> whether a committee member lives there; villages with one."""
    living: dict[tuple[str, str], bool] = {}
    villages: set[str] = set()
    for m in members.values():
        key, board = (m.home, m.group), m.role in COMMITTEE
        living[key] = living.get(key, False) or board
        if board:
            villages.add(m.home)
    return living, villages


def _expected(
    residents: tuple[dict[tuple[str, str], bool], set[str]], group: Group
) -> tuple[str, str] | None:
    """What the 包组 member must be when the village leaves a choice: (zh, en) of the demand."""
    living, villages = residents
    board = living.get((group.village_id, group.name))
    if board:
        return "住在该组的两委成员", "a committee member living in it"
    if board is not None:
        return "住在该组的党员", "a party member living in it"
    if group.village_id in villages:
        return "村两委成员", "a committee member of the village"
    return None


def _fits(member: Person, group: Group, demand: str) -> bool:
    lives = member.group == group.name
    return {
        "住在该组的两委成员": lives and member.role in COMMITTEE,
        "住在该组的党员": lives,
        "村两委成员": member.role in COMMITTEE,
    }[demand]


def group_heads(people: People, stated: Stated, sink: list[Finding]) -> None:
    """G05: every 小组 of a paired village has a 包组 party member of the village in 责任清单:
    one living in it when any does (a committee member when one lives there), else a
    committee member when the village has one."""
    heads = {(r.village_id, r.target): r for r in stated.roster if r.level == GROUP_LEVEL}
    residents = _residents(people.village_members)
    for key, group in _sizes(people, stated).items():
        row = heads.get(key)
        member = None if row is None else people.village_members.get(row.person_id)
        demand = _expected(residents, group)
        if row is None or member is None or member.home != group.village_id:
            who = "无" if row is None else row.person_id or "空"
            sink.append(
                Finding(
                    "G05",
                    people.group_sheet,
                    group.row,
                    f"村 {group.village_id} 小组 {group.name} 在责任清单中没有本村包组党员（{who}）",
                    f"group {group.name} of village {group.village_id} has no 包组 party member of the village in the roster",
                )
            )
        elif demand is not None and not _fits(member, group, demand[0]):
            sink.append(
                Finding(
                    "G05",
                    stated.tables["roster"].sheet if stated.tables["roster"] else "责任清单 roster",
                    row.row,
                    f"小组 {group.name} 的包组党员 {member.id} 应为{demand[0]}",
                    f"the 包组 member {member.id} of group {group.name} must be {demand[1]}",
                )
            )
