"""What a cover workbook restates from its input and its own rows, re-derived (``INT``).

No rule reads these cells, but an auditor does: a 包户 row's 村编号 and 小组 are its
household's, a row's and a team's 单位编号 its unit member's, a grid's 网格长小组 where its
网格长 lives, and 责任清单 names for each paired village the units the plan pairs with it
(包村) and one 包户 row per team.
"""

from __future__ import annotations

from collections import defaultdict

from pairing.domain.schema import Sheet
from pairing.verify.cover.reading import People, column
from pairing.verify.cover.stated import COVER, GRIDS, ROSTER, TEAMS, Stated
from pairing.verify.report.findings import INTEGRITY, Finding

UNIT_JOIN = "、"  # how the writer joins a 包村 row's unit ids


def _differs(
    stated: Stated, key: str, spec: Sheet, at: tuple[int, str], says: str, truth: str
) -> Finding | None:
    if says == truth:
        return None
    table = stated.tables[key]
    row, col = at
    return Finding(
        INTEGRITY,
        spec.title if table is None else table.sheet,
        row,
        f"写为「{says}」，应为「{truth}」",
        f"states '{says}'; it is '{truth}'",
        None if table is None else column(table, spec, col),
    )


def restated_findings(people: People, stated: Stated) -> list[Finding]:
    """Return an ``INT`` finding per restated cell that is not what it restates."""
    found: list[Finding | None] = []
    for p in stated.placed:
        home = people.households.get(p.household_id)
        staff = people.unit_members.get(p.unit_member_id)
        if home is not None:
            found.append(
                _differs(
                    stated, "cover", COVER, (p.row, "village_id"), p.village_id, home.village_id
                )
            )
            found.append(_differs(stated, "cover", COVER, (p.row, "group"), p.group, home.group))
        if staff is not None:
            found.append(
                _differs(stated, "cover", COVER, (p.row, "unit_id"), p.unit_id, staff.home)
            )
    for team in stated.teams:
        staff = people.unit_members.get(team.unit_member_id)
        if staff is not None:
            found.append(
                _differs(stated, "teams", TEAMS, (team.row, "unit_id"), team.unit_id, staff.home)
            )
    for grid in stated.grids:
        leader = people.village_members.get(grid.leader_id)
        if leader is not None:
            found.append(
                _differs(
                    stated,
                    "grids",
                    GRIDS,
                    (grid.row, "leader_group"),
                    grid.leader_group,
                    leader.group,
                )
            )
    return [f for f in (*found, *roster_findings(stated)) if f is not None]


def roster_findings(stated: Stated) -> list[Finding | None]:
    """责任清单: each paired village's 包村 units are the plan's; its 包户 rows its teams."""
    units: dict[str, tuple[int, str]] = {}
    teams: dict[str, set[str]] = defaultdict(set)
    for r in stated.roster:
        if r.level == "包村":
            units.setdefault(r.village_id, (r.row, r.person_id))
        elif r.level == "包户":
            teams[r.village_id].add(r.target)
    own: dict[str, set[str]] = defaultdict(set)
    for team in stated.teams:
        own[team.village_id].add(team.id)
    found: list[Finding | None] = []
    table = stated.tables["roster"]
    sheet = ROSTER.title if table is None else table.sheet
    for village, paired in sorted(stated.pairs.items()):
        row, says = units.get(village, (None, ""))
        listed = UNIT_JOIN.join(sorted(set(says.split(UNIT_JOIN)) - {""}))
        truth = UNIT_JOIN.join(sorted(paired))
        if row is None or listed != truth:
            found.append(
                Finding(
                    INTEGRITY,
                    sheet,
                    row,
                    f"村 {village} 的包村单位写为「{says}」，方案结对的是「{truth}」",
                    f"village {village}'s 包村 units are stated as '{says}'; the plan pairs '{truth}'",
                )
            )
        if teams.get(village, set()) != own.get(village, set()):
            found.append(
                Finding(
                    INTEGRITY,
                    sheet,
                    None,
                    f"村 {village} 的包户行与其结对小组不符",
                    f"village {village}'s 包户 rows are not its teams",
                )
            )
    return found
