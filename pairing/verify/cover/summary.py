"""The figures 指标 states about a cover, counted again from its rows (``INT`` when not).

People read these numbers, not the rows: 村数 (the paired villages), 农户数 and 已包户数, 结对
小组数, the largest and mean team load, 重点户数, 同组党员户数, 网格数 and the largest grid, and
零党员小组数 (包组 rows whose member lives elsewhere); N and L as the settings say.
"""

from __future__ import annotations

from pairing.domain.model import Settings
from pairing.verify.cover.reading import People, column
from pairing.verify.cover.stated import SUMMARY, Stated
from pairing.verify.cover.teams import Resolved
from pairing.verify.report.findings import INTEGRITY, Finding

MEAN_DIGITS = 3  # 平均小组户数 is written to 3 decimals


def counted(
    people: People, stated: Stated, resolved: Resolved, settings: Settings
) -> dict[str, float]:
    """Return each 指标 figure as counted from the rows and copies."""
    listed = [h for h in people.households.values() if h.village_id in stated.pairs]
    loads = [resolved.loads[t] for t in resolved.teams]
    same = 0
    for p in resolved.placed:
        member = people.village_members.get(resolved.teams[p.team_id].village_member_id)
        same += member is not None and member.group == people.households[p.household_id].group
    away = 0
    for r in stated.roster:
        member = people.village_members.get(r.person_id)
        away += r.level == "包组" and (member is None or member.group != r.target)
    return {
        "villages": len(stated.pairs),
        "households": len(listed),
        "covered": len(resolved.placed),
        "teams": len(resolved.teams),
        "cover_households_per_team": settings.cover_households_per_team,
        "max_team_load": max(loads, default=0),
        "mean_team_load": round(sum(loads) / len(loads), MEAN_DIGITS) if loads else 0.0,
        "priority_households": sum(h.priority for h in listed),
        "same_group_households": same,
        "grids": len(stated.grids),
        "grid_max_households": settings.grid_max_households,
        "max_grid_households": max((g.households or 0 for g in stated.grids), default=0),
        "groups_without_member": away,
    }


def summary_findings(
    people: People, stated: Stated, resolved: Resolved, settings: Settings
) -> list[Finding]:
    """Return an ``INT`` finding per 指标 figure that differs from its count."""
    table = stated.tables["summary"]
    label = None if table is None else column(table, SUMMARY, "value")
    found = []
    for key, truth in counted(people, stated, resolved, settings).items():
        says = stated.summary.number(key)
        row = stated.summary.values.get(key, (None, None))[0]
        if says is None or abs(says - truth) > 10**-MEAN_DIGITS / 2:
            shown = "-" if says is None else f"{says:g}"
            found.append(
                Finding(
                    INTEGRITY,
                    stated.summary.sheet,
                    row,
                    f"「{key}」写为 {shown}，按各表计得 {truth:g}",
                    f"'{key}' states {shown}; the sheets give {truth:g}",
                    label,
                )
            )
    return found
