"""Integrity of the schedule sheet before its rules are judged.

Each event must name a known unit, village and obligation, a pair of the plan and a date
inside the horizon, and must not repeat another (same date, pair, obligation and people);
an event dated in a year without official holiday data must be marked 暂定 provisional
(S02: its day type cannot be confirmed yet). Events that fail the first checks are left out
of the rules; the provisional flag only adds a finding.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from pairing.domain.model import Problem
from pairing.verify.reading.schedule_sheet import EventRow
from pairing.verify.report.findings import INTEGRITY, Finding
from pairing.verify.schedule.calendar import covered


@dataclass(frozen=True, slots=True)
class Horizon:
    """The dates a schedule covers, both included."""

    start: dt.date
    end: dt.date

    def contains(self, date: dt.date) -> bool:
        """Return whether ``date`` lies inside the horizon.

        ``date``: a date.

        Returns ``start <= date <= end``.
        """
        return self.start <= date <= self.end


def _problem_of(
    event: EventRow, problem: Problem, plan: Collection[tuple[str, str]], horizon: Horizon
) -> tuple[str, str] | None:
    codes = {o.code for o in problem.obligations}
    checks = (
        (
            event.unit_id in problem.unit_index,
            f"未知单位 {event.unit_id}",
            f"unknown unit {event.unit_id}",
        ),
        (
            event.village_id in problem.village_index,
            f"未知村 {event.village_id}",
            f"unknown village {event.village_id}",
        ),
        (event.code in codes, f"未知活动代码 {event.code}", f"unknown obligation {event.code}"),
        (
            event.pair in plan,
            f"{event.unit_id}—{event.village_id} 不是方案中的结对",
            f"{event.unit_id}-{event.village_id} is not a pair of the plan",
        ),
        (
            horizon.contains(event.date),
            f"日期 {event.date} 不在排期 {horizon.start}–{horizon.end} 内",
            f"date {event.date} lies outside the horizon {horizon.start}..{horizon.end}",
        ),
    )
    for ok, zh, en in checks:
        if not ok:
            return zh, en
    return None


def screen(
    events: Iterable[EventRow],
    problem: Problem,
    plan: Collection[tuple[str, str]],
    horizon: Horizon,
    sheet: str,
) -> tuple[list[EventRow], list[Finding]]:
    """Return the events the rules can judge, and the integrity findings.

    - ``events``: the sheet's readable events.
    - ``plan``: the plan's pairs ``(unit_id, village_id)``.
    - ``horizon``: the schedule's dates.
    - ``sheet``: the schedule sheet's name.

    Returns the usable events, and the findings.
    """
    kept: list[EventRow] = []
    findings: list[Finding] = []
    seen: dict[tuple[object, ...], int] = {}
    for event in events:
        problem_words = _problem_of(event, problem, plan, horizon)
        key = (event.date, event.pair, event.code, event.people)
        if problem_words is not None:
            findings.append(Finding(INTEGRITY, sheet, event.row, *problem_words))
        elif key in seen:
            findings.append(
                Finding(
                    INTEGRITY,
                    sheet,
                    event.row,
                    f"与第{seen[key]}行是同一活动",
                    f"the same event as row {seen[key]}",
                )
            )
        else:
            seen[key] = event.row
            kept.append(event)
            findings += provisional_findings(event, sheet)
    return kept, findings


def provisional_findings(event: EventRow, sheet: str) -> list[Finding]:
    """S02: an event in a year without official holiday data must be marked provisional.

    ``event``: a usable event; ``sheet``: the schedule sheet's name.

    Returns one finding when the mark is missing.
    """
    if event.provisional or covered(event.date.year):
        return []
    return [
        Finding(
            "S02",
            sheet,
            event.row,
            f"{event.date.year} 年的官方节假日安排尚未公布，此日期应标为暂定",
            f"the official calendar of {event.date.year} is not out yet; mark this date provisional",
        )
    ]
