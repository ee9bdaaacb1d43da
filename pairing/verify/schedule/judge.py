"""Judge the 活动日程 sheet: integrity, then S01-S05 and S07.

The horizon is the one the schedule records (日程指标 ``start``/``end``), else
``schedule_from`` .. ``schedule_to``, by default the whole plan year. Holidays
come from ``chinese_calendar`` for the years it covers plus the 节假日 overrides; dates in
other years must be marked provisional and are held to weekday rules only (S02, S03), while
their periods' counts are bounded as :mod:`pairing.verify.schedule.counts` says.
"""

from __future__ import annotations

import datetime as dt

from pairing.domain.model import Problem
from pairing.verify.reading.plan_sheets import KeyValues
from pairing.verify.reading.schedule_sheet import ScheduleSheet
from pairing.verify.report.findings import INTEGRITY, Finding
from pairing.verify.rules.hard import PlanPairs
from pairing.verify.schedule.calendar import calendar_of
from pairing.verify.schedule.counts import count_findings, dues
from pairing.verify.schedule.days import day_findings, joint_findings, one_place_findings
from pairing.verify.schedule.screen import Horizon, screen


def horizon_of(problem: Problem, year: int, recorded: KeyValues) -> Horizon:
    """Return the schedule's horizon: as the 日程指标 sheet records it (``--from``/``--to``
    of the run), else ``schedule_from``/``schedule_to``, else the plan year.

    ``year``: the plan year; ``recorded``: the plan's 日程指标 sheet (``start``, ``end``), possibly
    empty.

    Returns the dates, both included (possibly empty: ``end < start``).
    """
    settings = problem.settings
    return Horizon(
        recorded.date("start") or settings.schedule_from or dt.date(year, 1, 1),
        recorded.date("end") or settings.schedule_to or dt.date(year, 12, 31),
    )


def schedule_findings(
    schedule: ScheduleSheet,
    problem: Problem,
    plan: PlanPairs,
    horizon: Horizon,
    settings_sheet: str,
) -> list[Finding]:
    """Return every finding about the schedule sheet.

    - ``schedule``: the 活动日程 sheet's events.
    - ``horizon``: the schedule's dates (:func:`horizon_of`).
    - ``settings_sheet``: where the horizon's settings are (for an empty horizon).

    Returns integrity findings and violations of S01-S05 and S07.
    """
    if horizon.end < horizon.start:
        return [
            Finding(
                INTEGRITY,
                settings_sheet,
                None,
                f"排期结束日 {horizon.end} 早于开始日 {horizon.start}",
                f"the schedule ends ({horizon.end}) before it starts ({horizon.start})",
            )
        ]
    sheet = schedule.sheet
    events, found = screen(schedule.events, problem, plan.rows, horizon, sheet)
    obligations = {o.code: o for o in problem.obligations}
    found += day_findings(events, problem, calendar_of(problem.holidays, "weekday"), sheet)
    found += one_place_findings(events, sheet)
    found += joint_findings(events, obligations, plan.of_village(), sheet)
    found += count_findings(events, problem, plan.rows, dues(problem, horizon), sheet)
    return [*schedule.findings, *found]
