"""The visit audit's workbook and terminal summary (``pairing audit COVER.xlsx VISITS.xlsx``).

Sheets: 概览 overview, 未走访 unvisited (one row per household and month without a visit),
小组走访 by_team (every team, lowest rate first), 落后小组 lagging (ranked), 月度走访 by_month.
Headers are ``中文 (english_key)``; people are named with their ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl.workbook.workbook import Workbook

from pairing.audit.output import save_atomic
from pairing.audit.visit_run import TeamVisits, VisitAudit
from pairing.audit.visits import Covered
from pairing.audit.workbook import colour_scale, write_table

LISTED = 8  # unvisited households and lagging teams shown on the terminal
HOUSEHOLD = (
    ("户编号", "household_id"),
    ("户主", "head"),
    ("村编号", "village_id"),
    ("村名", "village_name"),
    ("小组", "group"),
    ("结对小组", "team_id"),
    ("单位队员编号", "unit_member_id"),
    ("单位队员", "unit_member_name"),
    ("村党员编号", "village_member_id"),
    ("村党员", "village_member_name"),
)
TEAM = (
    ("结对小组", "team_id"),
    ("村编号", "village_id"),
    ("村名", "village_name"),
    ("单位队员编号", "unit_member_id"),
    ("单位队员", "unit_member_name"),
    ("单位名称", "unit_name"),
    ("村党员编号", "village_member_id"),
    ("村党员", "village_member_name"),
    ("户数", "households"),
    ("应访户月", "owed"),
    ("已访户月", "visited"),
    ("未访户月", "missed"),
    ("走访率", "completion"),
)


def named(name: str, identifier: str) -> str:
    """A person, team or village as a reader looks it up: ``邓建俊 (U015-4)``."""
    return f"{name} ({identifier})" if name else identifier


def team_words(team: TeamVisits) -> str:
    """``V001-T04 邓建俊 (U015-4) + 潘志兰 (V001-P06), 官杨村 (V001)``."""
    h = team.team
    return (
        f"{h.team_id} {named(h.unit_member_name, h.unit_member_id)} + "
        f"{named(h.village_member_name, h.village_member_id)}, "
        f"{named(h.village_name, h.village_id)}"
    )


def _household(h: Covered) -> list[object]:
    return [
        h.household_id,
        h.head,
        h.village_id,
        h.village_name,
        h.group,
        h.team_id,
        h.unit_member_id,
        h.unit_member_name,
        h.village_member_id,
        h.village_member_name,
    ]


def _team(t: TeamVisits) -> list[object]:
    h = t.team
    people = [h.unit_member_id, h.unit_member_name, h.unit_name]
    people += [h.village_member_id, h.village_member_name]
    counts = [t.households, t.owed, t.visited, t.missed, round(t.rate, 4)]
    return [h.team_id, h.village_id, h.village_name, *people, *counts]


def overview_rows(result: VisitAudit) -> list[list[object]]:
    """The 概览 rows: item, key, value."""
    first = result.months[0].month if result.months else ""
    last = result.months[-1].month if result.months else ""
    return [
        ["包户工作簿", "cover", result.cover],
        ["走访记录", "ledger", result.ledger],
        ["审计日期", "as_of", result.as_of],
        ["月份", "months", f"{first} – {last} ({len(result.months)})"],
        ["农户数", "households", result.households],
        ["走访次数", "visits", result.visits],
        ["审计日后走访（未计）", "later_visits", result.later],
        ["应访户月", "owed", result.owed],
        ["已访户月", "visited", result.visited],
        ["走访率", "completion", round(result.rate, 4)],
        ["未走访户月", "unvisited", len(result.unvisited)],
        ["落后阈值", "lagging_threshold", result.threshold],
        ["落后小组数", "lagging_teams", len(result.lagging)],
    ]


def _table(
    workbook: Workbook,
    title: str,
    headers: Sequence[tuple[str, str]],
    rows: Sequence[Sequence[object]],
) -> None:
    sheet = workbook.create_sheet(title)
    last = write_table(sheet, headers, rows)
    keys = [key for _, key in headers]
    if "completion" in keys and last > 1:
        colour_scale(sheet, keys.index("completion") + 1, last)


def write_visit_audit(result: VisitAudit, target: Path) -> None:
    """Write the visit audit workbook to ``target`` atomically."""
    workbook = Workbook()
    overview = workbook.active
    assert overview is not None
    overview.title = "概览 overview"
    write_table(overview, (("项目", "item"), ("键", "key"), ("值", "value")), overview_rows(result))
    unvisited = [[month, *_household(h)] for month, h in result.unvisited]
    _table(workbook, "未走访 unvisited", (("月份", "month"), *HOUSEHOLD), unvisited)
    _table(workbook, "小组走访 by_team", TEAM, [_team(t) for t in result.teams])
    ranked = [[rank, *_team(t)] for rank, t in enumerate(result.lagging, start=1)]
    _table(workbook, "落后小组 lagging", (("排名", "rank"), *TEAM), ranked)
    months = [[m.month, m.households, m.visited, m.visits, round(m.rate, 4)] for m in result.months]
    month_headers = (
        ("月份", "month"),
        ("农户数", "households"),
        ("已访户数", "visited"),
        ("走访次数", "visits"),
        ("走访率", "completion"),
    )
    _table(workbook, "月度走访 by_month", month_headers, months)
    save_atomic(workbook, target)


def render_visits(result: VisitAudit, target: Path | None = None) -> str:
    """Return the visit audit's summary for the terminal."""
    lines = [
        f"pairing audit: {result.cover} × {result.ledger}  审计日期 as of {result.as_of}",
        f"  农户 households {result.households}  月份 months {len(result.months)}  "
        f"走访 visits {result.visits}  走访率 visit rate {result.rate:.1%} "
        f"({result.visited}/{result.owed} 户月 household-months)",
    ]
    for m in result.months:
        lines.append(
            f"  {m.month}: 已访 visited {m.visited}/{m.households} ({m.rate:.1%}), "
            f"未访 not visited {m.households - m.visited}"
        )
    lines.append(f"未走访户月 households not visited in a month: {len(result.unvisited)}")
    for month, h in result.unvisited[:LISTED]:
        lines.append(
            f"  {month} {named(h.head, h.household_id)} {named(h.village_name, h.village_id)} "
            f"{h.team_id}: {named(h.unit_member_name, h.unit_member_id)} + "
            f"{named(h.village_member_name, h.village_member_id)}"
        )
    if len(result.unvisited) > LISTED:
        lines.append(f"  … 另 {len(result.unvisited) - LISTED} 条 more (未走访 unvisited)")
    lines.append(f"落后小组 lagging teams (< {result.threshold:.0%}): {len(result.lagging)}")
    for rank, t in enumerate(result.lagging[:LISTED], start=1):
        lines.append(f"  {rank:>3}. {team_words(t)}  {t.rate:.1%}  未访 missed {t.missed}")
    if len(result.lagging) > LISTED:
        lines.append(f"  … 另 {len(result.lagging) - LISTED} 个 more (落后小组 lagging)")
    if result.later:
        lines.append(f"审计日后的走访未计 visits after the audit date not counted: {result.later}")
    if target is not None:
        lines.append(f"→ {target}")
    return "\n".join(lines)
