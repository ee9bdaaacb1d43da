"""C10-C14 recomputed from a cover workbook's rows and compared with its 指标 (models/COVER.md).

Per paired village v with teams T_v (the 结对小组 rows of v) and listed households H_v (the
农户 copy): C10 w per priority household a team holds above ⌈|P_v| / |T_v|⌉; C11 w per
household whose team's party member lives in another 小组; C12 w per household a team holds
above ⌈|H_v| / |T_v|⌉; C13 w per household whose baseline unit member (of the copy
``输入·基线包户``) is one of U_v and not its team's, or whose baseline party member is one of
M_v and not its team's; C14 w per 需求 tag its team's unit member's 专长 lack.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from pairing.domain.rules import SOFT_COVER_RULES
from pairing.verify.cover.reading import People
from pairing.verify.cover.stated import Stated
from pairing.verify.cover.teams import Resolved
from pairing.verify.reading.plan_sheets import KeyValues
from pairing.verify.report.findings import INTEGRITY, TOTAL, Finding, TermCost, same_points


def _above_mean(counts: list[int], total: int) -> int:
    share = -(-total // len(counts)) if counts else 0
    return sum(max(0, n - share) for n in counts)


def moved(people: People, stated: Stated, resolved: Resolved) -> int:
    """C13's count: households whose baseline members are still of their village, not theirs."""
    count = 0
    for p in resolved.placed:
        unit_member, party_member = stated.baseline.get(p.household_id, ("", ""))
        team = resolved.teams[p.team_id]
        staff = people.unit_members.get(unit_member)
        local = people.village_members.get(party_member)
        unit_kept = staff is not None and staff.home in stated.pairs.get(team.village_id, ())
        local_kept = local is not None and local.home == team.village_id
        count += (unit_kept and unit_member != team.unit_member_id) or (
            local_kept and party_member != team.village_member_id
        )
    return count


def recompute(
    people: People, stated: Stated, resolved: Resolved, weights: Mapping[str, float]
) -> dict[str, float]:
    """Return the points of each soft cover rule, from the rows alone."""
    teams_of: dict[str, list[str]] = defaultdict(list)
    for team in resolved.teams.values():
        teams_of[team.village_id].append(team.id)
    listed: dict[str, int] = defaultdict(int)
    priority: dict[str, int] = defaultdict(int)
    for home in people.households.values():
        listed[home.village_id] += 1
        priority[home.village_id] += home.priority
    counts = dict.fromkeys(SOFT_COVER_RULES, 0)
    for village, teams in teams_of.items():
        counts["C10"] += _above_mean([resolved.priority[t] for t in teams], priority[village])
        counts["C12"] += _above_mean([resolved.loads[t] for t in teams], listed[village])
    counts["C13"] = moved(people, stated, resolved)
    for p in resolved.placed:
        home, team = people.households[p.household_id], resolved.teams[p.team_id]
        member = people.village_members.get(team.village_member_id)
        counts["C11"] += member is None or member.group != home.group
        unit_member = people.unit_members.get(team.unit_member_id)
        skills = frozenset() if unit_member is None else unit_member.skills
        counts["C14"] += len(home.needs - skills)
    return {rule: weights[rule] * n for rule, n in counts.items()}


def compare(
    recomputed: Mapping[str, float], summary: KeyValues, value: str | None
) -> tuple[list[Finding], list[TermCost], float | None]:
    """Each rule's points and the objective against 指标 (``value``: its value column's label);
    return findings, costs, objective."""
    found: list[Finding] = []
    costs = []
    for rule, points in recomputed.items():
        key = f"points_{rule}"
        reported = summary.number(key)
        row = summary.values.get(key, (None, None))[0]
        costs.append(TermCost(rule, points, reported or 0.0))
        if reported is None:
            found.append(
                Finding(
                    INTEGRITY,
                    summary.sheet,
                    row,
                    f"指标缺少「{key}」或其值不是数",
                    f"the summary has no '{key}', or its value is not a number",
                )
            )
        elif not same_points(points, reported):
            found.append(
                Finding(
                    rule,
                    summary.sheet,
                    row,
                    f"写为 {reported:g} 分，重算为 {points:g} 分",
                    f"states {reported:g} points; recomputed {points:g}",
                    value,
                )
            )
    objective = summary.number("objective")
    total = sum(recomputed.values())
    if objective is None or not same_points(objective, total):
        row = summary.values.get("objective", (None, None))[0]
        shown = "-" if objective is None else f"{objective:g}"
        found.append(
            Finding(
                TOTAL,
                summary.sheet,
                row,
                f"目标值写为 {shown}，各项重算合计 {total:g}",
                f"the objective says {shown}; the recomputed terms add up to {total:g}",
                value,
            )
        )
    return found, costs, objective
