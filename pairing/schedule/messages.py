"""Bilingual messages for schedules that cannot be made: obligation, period, pair, rows.

Every message names the 活动要求 row of the obligation, the period, the pair (or the village's
pairs for a joint obligation) and the 禁排日期 rows that took the days away, so that a planner
can act on it without reading the model.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pairing.domain.errors import Issue
from pairing.domain.model import Blackout
from pairing.schedule.duties import Duty
from pairing.schedule.horizon import Horizon
from pairing.schedule.precheck import Crowding
from pairing.schedule.sites import Site

OBLIGATIONS_SHEET = "活动要求 obligations"
BLACKOUTS_SHEET = "禁排日期 blackouts"
MAX_LISTED = 8


def where(duty: Duty, sites: Sequence[Site]) -> tuple[str, str]:
    """Return the duty's pair (or village) in Chinese and in English."""
    on_site = [sites[index] for index in duty.sites]
    village = on_site[0].village
    units = "、".join(site.unit.id for site in on_site)
    if duty.obligation.joint:
        return (
            f"村 {village.id} {village.name} 的单位 {units}（联合）",
            f"village {village.id} with units {', '.join(s.unit.id for s in on_site)} (joint)",
        )
    return (
        f"单位 {units} 在村 {village.id} {village.name}",
        f"unit {units} at village {village.id}",
    )


def short_duty_issues(
    duties: Sequence[Duty], sites: Sequence[Site], horizon: Horizon
) -> list[Issue]:
    """Return the issues of duties with too few allowed days.

    Duties of one obligation that lost their days to the same blackout rows share one issue
    (listing the periods and pairs); each blackout row then gets an issue of its own.
    """
    grouped: dict[tuple[str, tuple[Blackout, ...]], list[Duty]] = {}
    for duty in duties:
        blocking = duty.barred.blocking(duty.owed.days, horizon)
        grouped.setdefault((duty.obligation.code, blocking), []).append(duty)
    issues = [_short_issue(group, blocking, sites) for (_, blocking), group in grouped.items()]
    rows = dict.fromkeys(row for _, blocking in grouped for row in blocking)
    return issues + blackout_issues(rows, "S03")


def crowding_issues(
    crowded: Sequence[Crowding], sites: Sequence[Site], horizon: Horizon
) -> list[Issue]:
    """Return one issue per unit and period whose villages need more distinct days (S04)."""
    issues: list[Issue] = []
    rows: dict[Blackout, None] = {}
    for crowding in crowded:
        duty = crowding.duties[0]
        village_ids = [sites[d.sites[0]].village.id for d in crowding.duties]
        villages = "、".join(village_ids)
        codes = sorted({d.obligation.code for d in crowding.duties})
        issues.append(
            Issue(
                OBLIGATIONS_SHEET,
                duty.obligation.row or None,
                None,
                f"单位 {crowding.unit} 结对 {len(crowding.duties)} 个村（{villages}），"
                f"{duty.owed.span.zh}「{'、'.join(codes)}」共需 {crowding.needed} 个不同的日子"
                f"（一天只能去一个村），但可排的只有 {crowding.days} 天，最多排下 "
                f"{crowding.matched} 次",
                f"unit {crowding.unit} has {len(crowding.duties)} villages "
                f"({', '.join(village_ids)}); "
                f"{'/'.join(codes)} in {duty.owed.span.label} needs {crowding.needed} different "
                f"days (one village a day) but only {crowding.days} day(s) are open, room for "
                f"{crowding.matched}",
                "S04",
            )
        )
        for member in crowding.duties:
            rows.update(dict.fromkeys(member.barred.blocking(member.owed.days, horizon)))
    return issues + blackout_issues(rows, "S04")


def core_issues(duties: Sequence[Duty], sites: Sequence[Site], horizon: Horizon) -> list[Issue]:
    """Return the issues of a solver conflict core: duties that cannot all be met."""
    units = sorted({sites[index].unit.id for duty in duties for index in duty.sites})
    head = Issue(
        OBLIGATIONS_SHEET,
        None,
        None,
        f"单位 {'、'.join(units)} 的以下活动无法同时排下（一天只去一个村 S04、联合活动同日 S05、"
        "同一人同一周期的多次活动不同日）",
        f"units {', '.join(units)}: the following duties cannot all be scheduled together "
        "(one village a day S04, joint on one day S05, repeated occurrences on different days)",
        "S04",
    )
    issues = [head]
    rows: dict[Blackout, None] = {}
    for duty in duties[:MAX_LISTED]:
        zh, en = where(duty, sites)
        issues.append(
            Issue(
                OBLIGATIONS_SHEET,
                duty.obligation.row or None,
                None,
                f"{duty.owed.span.zh}「{duty.obligation.code} {duty.obligation.name}」"
                f"{duty.owed.count} 次：{zh}，可排 {len(duty.days)} 天",
                f"{duty.obligation.code} x{duty.owed.count} in {duty.owed.span.label}: {en}, "
                f"{len(duty.days)} open day(s)",
                duty.rule,
            )
        )
        rows.update(dict.fromkeys(duty.barred.blocking(duty.owed.days, horizon)))
    if len(duties) > MAX_LISTED:
        issues.append(_more(len(duties) - MAX_LISTED))
    return issues + blackout_issues(rows, "S03")


def unsolved_issue(members: Sequence[int], sites: Sequence[Site], status: str) -> Issue:
    """Return the issue of a group the solver neither solved nor proved impossible in time."""
    units = sorted({sites[index].unit.id for index in members})
    return Issue(
        OBLIGATIONS_SHEET,
        None,
        None,
        f"单位 {'、'.join(units)} 的日程在时限内未求出（{status}，并未证明无解）；请加大 --time-limit",
        f"no schedule found in time for units {', '.join(units)} ({status}; not proven "
        "impossible); raise --time-limit",
    )


def blackout_issues(rows: Iterable[Blackout], rule: str) -> list[Issue]:
    """Return one issue per blackout row that took days away, in row order."""
    return [
        Issue(
            BLACKOUTS_SHEET,
            row.row or None,
            "start",
            f"此禁排（范围 {row.scope}，{row.start}~{row.end}"
            + (f"，{row.reason}" if row.reason else "")
            + "）占用了上述活动的可排日子",
            f"this blackout (scope {row.scope}, {row.start}..{row.end}) takes the open days "
            "of the duties above",
            rule,
        )
        for row in sorted(rows, key=lambda row: (row.row, row.start, row.scope))
    ]


def _short_issue(
    group: Sequence[Duty], blocking: Sequence[Blackout], sites: Sequence[Site]
) -> Issue:
    duty = group[0]
    spans = sorted({d.owed.span for d in group}, key=lambda span: span.start)
    places = list(dict.fromkeys(where(d, sites) for d in group))
    open_days = sorted({len(d.days) for d in group})
    rows_zh = "、".join(_blackout_zh(row) for row in blocking)
    rows_en = ", ".join(_blackout_en(row) for row in blocking)
    return Issue(
        OBLIGATIONS_SHEET,
        duty.obligation.row or None,
        None,
        f"「{duty.obligation.code} {duty.obligation.name}」在{_listed([s.zh for s in spans], '、')}"
        f"每期需 {duty.owed.count} 次，但{_listed([zh for zh, _ in places], '；')}只有 "
        f"{'/'.join(map(str, open_days))} 个可排日子：其余被{rows_zh}占用",
        f"{duty.obligation.code} ({duty.obligation.name}) needs {duty.owed.count} in each of "
        f"{_listed([s.label for s in spans], ', ')}, but "
        f"{_listed([en for _, en in places], '; ')} has only "
        f"{'/'.join(map(str, open_days))} open day(s): the rest are taken by {rows_en}",
        "S03",
    )


def _listed(items: Sequence[str], separator: str) -> str:
    """Join at most ``MAX_LISTED`` items and say how many more there are."""
    shown = separator.join(items[:MAX_LISTED])
    if len(items) > MAX_LISTED:
        return f"{shown}{separator}… ({len(items)})"
    return shown


def _blackout_zh(row: Blackout) -> str:
    if row.row:
        return f"禁排日期第 {row.row} 行"
    return f"禁排（{row.scope} {row.start}~{row.end}）"


def _blackout_en(row: Blackout) -> str:
    if row.row:
        return f"blackout row {row.row}"
    return f"the blackout {row.scope} {row.start}..{row.end}"


def _more(count: int) -> Issue:
    return Issue(OBLIGATIONS_SHEET, None, None, f"……另有 {count} 项", f"... and {count} more")
