"""Day rules of a schedule: S02 day type, S03 holidays and blackouts, S04 one village a day,
S05 joint obligations together.

S02 and S03 use the official calendar where it exists and weekday rules elsewhere (a
provisional date can only be held to Monday-Friday / Saturday-Sunday and the 节假日
overrides). A blackout applies to a pair when its scope is 全部, the village's town, the
village or the unit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from pairing.domain.model import Blackout, Obligation, Problem
from pairing.verify.reading.schedule_sheet import EventRow
from pairing.verify.report.findings import Finding
from pairing.verify.schedule.calendar import Day, WorkCalendar

DAY_TYPE_WORDS = {"workday": ("工作日", "a workday"), "weekend": ("周末", "a weekend day")}


def applies(blackout: Blackout, problem: Problem, unit_id: str, village_id: str) -> bool:
    """Return whether a blackout bars the pair ``(unit_id, village_id)``.

    ``blackout``: a 禁排日期 row; ``unit_id``, ``village_id``: the pair.

    Returns ``True`` for scope 全部, the village's town, the village or the unit.
    """
    if blackout.scope_kind == "all":
        return True
    if blackout.scope_kind == "town":
        return blackout.scope == problem.village(village_id).town
    if blackout.scope_kind == "village":
        return blackout.scope == village_id
    return blackout.scope == unit_id


def day_findings(
    events: Iterable[EventRow],
    problem: Problem,
    calendar: WorkCalendar,
    sheet: str,
) -> list[Finding]:
    """Return S02 and S03 findings, event by event.

    - ``events``: the usable events.
    - ``calendar``: the calendar (weekday rules for years without official data).
    - ``sheet``: the schedule sheet's name.

    Returns the violations.
    """
    obligations = {o.code: o for o in problem.obligations}
    found = []
    for event in events:
        obligation, day = obligations[event.code], calendar.day(event.date)
        found += [
            Finding(rule, sheet, event.row, zh, en)
            for rule, zh, en in _day_words(event, obligation, day)
        ]
        found += blackout_findings(event, problem, sheet)
    return found


def _day_words(event: EventRow, obligation: Obligation, day: Day) -> list[tuple[str, str, str]]:
    """Return ``(rule, zh, en)`` when the event's date has the wrong type or is a holiday."""
    found = []
    if not day.has_type(obligation.day_type):
        zh, en = DAY_TYPE_WORDS[obligation.day_type]
        found.append(
            (
                "S02",
                f"{event.code} 应在{zh}，{event.date} 不是",
                f"{event.code} must fall on {en}; {event.date} is not one",
            )
        )
    if day.holiday and obligation.holiday_policy == "avoid":
        found.append(
            (
                "S03",
                f"{event.date} 是节假日，{event.code} 应避开",
                f"{event.date} is a holiday, which {event.code} avoids",
            )
        )
    return found


def blackout_findings(event: EventRow, problem: Problem, sheet: str) -> list[Finding]:
    """Return an S03 finding for each blackout of the event's pair that covers its date.

    ``event``: a usable event; ``sheet``: the schedule sheet's name.

    Returns one per covering blackout.
    """
    return [
        Finding(
            "S03",
            sheet,
            event.row,
            f"{event.date} 在禁排日期内（禁排表第{b.row}行，{b.scope}）",
            f"{event.date} lies in a blackout (blackouts row {b.row}, {b.scope})",
        )
        for b in problem.blackouts
        if b.covers(event.date) and applies(b, problem, event.unit_id, event.village_id)
    ]


def one_place_findings(events: Iterable[EventRow], sheet: str) -> list[Finding]:
    """S04: a unit is in at most one village a day.

    ``events``: the usable events; ``sheet``: the schedule sheet's name.

    Returns one per unit and day with several villages, at the first row that adds a village.
    """
    first: dict[tuple[str, object], EventRow] = {}
    found = []
    for event in sorted(events, key=lambda e: e.row):
        key = (event.unit_id, event.date)
        earlier = first.setdefault(key, event)
        if earlier.village_id != event.village_id:
            found.append(
                Finding(
                    "S04",
                    sheet,
                    event.row,
                    f"单位 {event.unit_id} 在 {event.date} 同时在 {earlier.village_id}（第{earlier.row}行）"
                    f"和 {event.village_id}",
                    f"unit {event.unit_id} is at {earlier.village_id} (row {earlier.row}) and at "
                    f"{event.village_id} on {event.date}",
                )
            )
    return found


def joint_findings(
    events: Sequence[EventRow],
    obligations: Mapping[str, Obligation],
    units_of: Mapping[str, Sequence[str]],
    sheet: str,
) -> list[Finding]:
    """S05: a joint obligation puts every unit of the village on site the same day.

    Each joint event needs the same obligation, village and date for every other unit of its
    village, and its 联合 cell must name exactly those units.

    - ``events``: the usable events.
    - ``obligations``: obligations by code.
    - ``units_of``: each village's units in the plan.
    - ``sheet``: the schedule sheet's name.

    Returns one per joint event whose partners are missing or misnamed.
    """
    on_site: dict[tuple[str, str, object], set[str]] = defaultdict(set)
    joint = [e for e in events if obligations[e.code].joint]
    for event in joint:
        on_site[(event.village_id, event.code, event.date)].add(event.unit_id)
    found = []
    for event in joint:
        partners = set(units_of.get(event.village_id, ())) - {event.unit_id}
        absent = sorted(partners - on_site[(event.village_id, event.code, event.date)])
        named = event.joint_with
        if absent or (named is not None and named != partners):
            found.append(Finding("S05", sheet, event.row, *_joint_words(event, absent)))
    return found


def _joint_words(event: EventRow, absent: list[str]) -> tuple[str, str]:
    if absent:
        names = "、".join(absent)
        return (
            f"联合活动 {event.code}：同村单位 {names} 不在同一天",
            f"joint {event.code}: {names} not on site the same day",
        )
    names = "、".join(sorted(event.joint_with or ())) or "-"
    return (
        f"联合活动 {event.code}：联合栏写为 {names}，与同村单位不符",
        f"joint {event.code}: joint_with says {names}, not the village's other units",
    )
