"""C01-C05 re-derived from a cover workbook's rows (models/COVER.md, hard rules).

Each 包户 row is resolved to its household (the 农户 copy) and its team (the 结对小组 sheet);
a team to its two members (the 队员 and 村党员 copies) and the units the plan pairs with its
village (``输入·结对方案 assignments``). Loads are counted from the 包户 rows, never taken from
the 户数 the 结对小组 sheet states (a stated number that differs is an ``INT`` finding).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from pairing.verify.cover.reading import People, Person, column
from pairing.verify.cover.stated import COVER, TEAMS, Placed, Stated, TeamRow
from pairing.verify.report.findings import INTEGRITY, Finding


@dataclass(frozen=True, slots=True)
class Resolved:
    """The 包户 rows that count: one per known household (its first), with a known team."""

    teams: Mapping[str, TeamRow]  # team id -> its (first) 结对小组 row
    placed: tuple[Placed, ...]  # resolved rows, first per household
    loads: Counter[str]  # team id -> households placed
    priority: Counter[str]  # team id -> priority households placed


def _cite(
    stated: Stated, key: str, row: int, rule: str, text: tuple[str, str], col: str
) -> Finding:
    table = stated.tables[key]
    spec = COVER if key == "cover" else TEAMS
    label = None if table is None else column(table, spec, col)
    sheet = table.sheet if table is not None else spec.title
    return Finding(rule, sheet, row, text[0], text[1], label)


def resolve(people: People, stated: Stated, sink: list[Finding]) -> Resolved:
    """Resolve the 包户 rows; C01 (a household twice, none, or in another village's team)."""
    teams: dict[str, TeamRow] = {}
    for team in stated.teams:
        if team.id in teams:
            sink.append(_cite(stated, "teams", team.row, INTEGRITY, _repeat(team.id), "team_id"))
        teams.setdefault(team.id, team)
    seen: dict[str, Placed] = {}
    for p in stated.placed:
        home = people.households.get(p.household_id)
        if home is None:
            text = (
                f"户编号「{p.household_id}」不在农户副本中",
                f"household '{p.household_id}' is not listed",
            )
            sink.append(_cite(stated, "cover", p.row, INTEGRITY, text, "household_id"))
        elif p.household_id in seen:
            first = seen[p.household_id].row
            text = (
                f"农户 {p.household_id} 已在第 {first} 行：一户只能在一个结对小组",
                f"household {p.household_id} is already on row {first}: one team per household",
            )
            sink.append(_cite(stated, "cover", p.row, "C01", text, "household_id"))
        else:
            seen[p.household_id] = p
            owner = teams.get(p.team_id)
            if owner is not None and owner.village_id != home.village_id:
                text = (
                    f"农户 {home.id} 属村 {home.village_id}，却在村 {owner.village_id} 的小组 {owner.id}",
                    f"household {home.id} of village {home.village_id} is in team {owner.id} "
                    f"of village {owner.village_id}",
                )
                sink.append(_cite(stated, "cover", p.row, "C01", text, "team_id"))
    for home in people.households.values():
        if home.village_id in stated.pairs and home.id not in seen:
            sink.append(
                Finding(
                    "C01",
                    people.household_sheet,
                    home.row,
                    f"农户 {home.id}（村 {home.village_id}）不在任何结对小组",
                    f"household {home.id} of village {home.village_id} is in no team",
                )
            )
    placed = tuple(p for p in seen.values() if p.team_id in teams)
    priority = Counter(p.team_id for p in placed if people.households[p.household_id].priority)
    return Resolved(teams, placed, Counter(p.team_id for p in placed), priority)


def _repeat(team_id: str) -> tuple[str, str]:
    return f"结对小组「{team_id}」重复", f"team '{team_id}' is repeated"


def _member_problems(team: TeamRow, people: People, stated: Stated) -> list[tuple[str, str, str]]:
    """C02 for one team: (column, zh, en) per problem."""
    found = []
    units = stated.pairs.get(team.village_id, frozenset())
    unit_member = people.unit_members.get(team.unit_member_id)
    if not units:
        found.append(
            (
                "village_id",
                f"村 {team.village_id} 在方案中没有结对单位",
                f"village {team.village_id} has no unit in the plan",
            )
        )
    if unit_member is None:
        found.append(
            (
                "unit_member_id",
                f"「{team.unit_member_id}」不是有编号的队员",
                f"'{team.unit_member_id}' is not a unit member with an id",
            )
        )
    elif units and unit_member.home not in units:
        found.append(
            (
                "unit_member_id",
                f"队员 {unit_member.id} 属单位 {unit_member.home}，该单位未与村 {team.village_id} 结对",
                f"member {unit_member.id} is of unit {unit_member.home}, which the plan does not "
                f"pair with village {team.village_id}",
            )
        )
    member = people.village_members.get(team.village_member_id)
    if member is None or member.home != team.village_id:
        found.append(
            (
                "village_member_id",
                f"「{team.village_member_id}」不是村 {team.village_id} 的党员",
                f"'{team.village_member_id}' is not a party member of village {team.village_id}",
            )
        )
    return found


def membership(people: People, stated: Stated, resolved: Resolved, sink: list[Finding]) -> None:
    """C02 (every team one paired unit's member + one village member; every row its team's
    members) and C03 (a member in one team per village)."""
    used: Counter[tuple[str, str]] = Counter()
    for team in resolved.teams.values():
        for col, zh, en in _member_problems(team, people, stated):
            sink.append(_cite(stated, "teams", team.row, "C02", (zh, en), col))
        for col, person in (
            ("unit_member_id", team.unit_member_id),
            ("village_member_id", team.village_member_id),
        ):
            used[(team.village_id, person)] += 1
            if used[(team.village_id, person)] == 2:
                text = (
                    f"{person} 在村 {team.village_id} 的两个结对小组中",
                    f"{person} is in two teams of village {team.village_id}",
                )
                sink.append(_cite(stated, "teams", team.row, "C03", text, col))
    for p in stated.placed:
        found = resolved.teams.get(p.team_id)
        if found is None:
            text = (
                f"结对小组「{p.team_id}」不在结对小组表",
                f"team '{p.team_id}' is not on the teams sheet",
            )
            sink.append(_cite(stated, "cover", p.row, "C02", text, "team_id"))
            continue
        for col, says, own in (
            ("unit_member_id", p.unit_member_id, found.unit_member_id),
            ("village_member_id", p.village_member_id, found.village_member_id),
        ):
            if says != own:
                text = (
                    f"此户写为 {says}，其小组 {found.id} 是 {own}",
                    f"the row names {says}; its team {found.id} is {own}",
                )
                sink.append(_cite(stated, "cover", p.row, "C02", text, col))


def _cap(person: Person | None) -> int | None:
    return None if person is None else person.cap


def loads(
    people: People, stated: Stated, resolved: Resolved, per_team: int, sink: list[Finding]
) -> None:
    """C04 (≤ N per team), C05 (≤ each member's 最多户数; a unit member over all villages),
    and the 户数 / 重点户数 the 结对小组 sheet states."""
    held: Counter[str] = Counter()
    last: dict[str, TeamRow] = {}
    spread: dict[str, set[str]] = defaultdict(set)  # unit member -> villages of their teams
    for team in resolved.teams.values():
        load = resolved.loads[team.id]
        held[team.unit_member_id] += load
        spread[team.unit_member_id].add(team.village_id)
        last[team.unit_member_id] = team
        if load > per_team:
            text = (
                f"小组 {team.id} 包 {load} 户，超过每组户数 {per_team}",
                f"team {team.id} holds {load} households, more than N = {per_team}",
            )
            sink.append(_cite(stated, "teams", team.row, "C04", text, "households"))
        caps = [
            (who, c)
            for who, c in (
                (team.unit_member_id, _cap(people.unit_members.get(team.unit_member_id))),
                (team.village_member_id, _cap(people.village_members.get(team.village_member_id))),
            )
            if c is not None
        ]
        for who, cap in caps:
            if load > cap:
                text = (
                    f"小组 {team.id} 包 {load} 户，超过 {who} 的最多户数 {cap}",
                    f"team {team.id} holds {load} households, more than {who}'s limit {cap}",
                )
                sink.append(_cite(stated, "teams", team.row, "C05", text, "households"))
        for col, says, counted in (
            ("households", team.households, load),
            ("priority_households", team.priority, resolved.priority[team.id]),
        ):
            if says is not None and says != counted:  # unreadable: INT already
                text = (
                    f"写为 {says}，包户表计得 {counted}",
                    f"states {says}; the cover sheet gives {counted}",
                )
                sink.append(_cite(stated, "teams", team.row, INTEGRITY, text, col))
    for who, total in held.items():
        member = people.unit_members.get(who)
        if member is None or member.cap is None:
            continue  # a blank 最多户数 is N per team and no limit over villages
        cap = member.cap
        villages = spread[who]
        if len(villages) > 1 and total > cap:
            text = (
                f"队员 {who} 在 {len(villages)} 个村共包 {total} 户，超过最多户数 {cap}",
                f"unit member {who} holds {total} households over {len(villages)} villages, "
                f"more than {cap}",
            )
            sink.append(_cite(stated, "teams", last[who].row, "C05", text, "unit_member_id"))
