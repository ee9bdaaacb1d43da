"""The 活动日程 schedule sheet: one row per event, as DESIGN.md lays it out.

Columns: 日期 (date), 单位编号 (unit_id), 村编号 (village_id), 活动代码 (obligation), 人员
(people, names separated by 、), 联合 (joint_with, unit ids), 暂定 (provisional, 是/否).
A row whose date or flag cannot be read is an ``INT`` finding and is left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pairing.domain import plan_schema as layout
from pairing.domain.cells import parse_bool, parse_date, parse_tags
from pairing.domain.plan_schema import requiring
from pairing.verify.reading.grids import Grids
from pairing.verify.reading.rowcells import RowCells
from pairing.verify.reading.tables import find_table
from pairing.verify.report.findings import Finding

SCHEDULE = requiring(layout.SCHEDULE, "date", "unit_id", "village_id", "obligation")


@dataclass(frozen=True, slots=True)
class EventRow:
    """One event of the schedule sheet.

    - ``row``: the Excel row.
    - ``date``: the event's date.
    - ``unit_id``, ``village_id``: the pair.
    - ``code``: the obligation's code.
    - ``people``: the people on duty, as written.
    - ``joint_with``: the other units on site, as written (``None`` without a 联合 column).
    - ``provisional``: whether the date is marked provisional (暂定).
    """

    row: int
    date: dt.date
    unit_id: str
    village_id: str
    code: str
    people: frozenset[str]
    joint_with: frozenset[str] | None
    provisional: bool

    @property
    def pair(self) -> tuple[str, str]:
        """Return ``(unit_id, village_id)``."""
        return (self.unit_id, self.village_id)


@dataclass(frozen=True, slots=True)
class ScheduleSheet:
    """The events of the sheet, its name and the rows that could not be read."""

    sheet: str
    events: tuple[EventRow, ...]
    findings: tuple[Finding, ...]


def read_schedule(grids: Grids) -> ScheduleSheet | None:
    """Return the schedule sheet's events, or ``None`` when the plan has no schedule.

    Returns the readable events and the findings about the others.
    """
    table = find_table(grids, SCHEDULE)
    if table is None:
        return None
    sink: list[Finding] = []
    events = []
    for number, values in table.rows:
        r = RowCells.open(table, number, values, sink)
        date = r.parsed("date", parse_date, None)
        ids = (r.required("unit_id"), r.required("village_id"), r.required("obligation"))
        nobody: frozenset[str] = frozenset()
        people = r.parsed("people", parse_tags, nobody)
        joint = r.parsed("joint_with", parse_tags, nobody)
        named = joint if "joint_with" in table.columns else None
        provisional = r.parsed("provisional", parse_bool, False)
        if date is None:
            r.required("date")
        elif not r.failed:
            events.append(EventRow(number, date, *ids, people, named, provisional))
    return ScheduleSheet(table.sheet, tuple(events), tuple(sink))
