"""The schedule's sheets in the plan workbook: event list, town calendars, per-unit summary.

- ``活动日程 schedule``: one row per event, headers ``中文 (english_key)``; the verifier and
  the auditor read it back.
- ``日历 <镇>``: one printable month grid per town and month (Monday first), each day listing
  villages, units and activities by name; holidays, rest days and blackouts shaded, with a
  legend (:mod:`pairing.io.town_calendars`).
- ``日程汇总 schedule_by_unit``: per unit, its events, visit days (trips: distinct
  (village, date)) and the km of those trips, there and back, when coordinates are known
  (great-circle km × ``circuity`` from the unit, or else the county seat).
- ``日程指标 schedule_summary``: horizon, totals, provisional years, solver facts, weights.

Every string goes through :func:`pairing.io.output.set_text`, so no name becomes a formula.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from pairing.domain import plan_schema as layout
from pairing.domain.geo import great_circle_km
from pairing.domain.model import Problem, Unit
from pairing.domain.plan import Event, Schedule
from pairing.io.output import set_text
from pairing.io.town_calendars import add_town_calendars
from pairing.io.workbook_writer import plain_cell

SCHEDULE_TITLE = layout.SCHEDULE.title
SUMMARY_TITLE = layout.SCHEDULE_BY_UNIT_TITLE
FACTS_TITLE = layout.SCHEDULE_FACTS.title
SCHEDULE_COLUMNS = layout.SCHEDULE.columns
WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")
LIST_SEPARATOR = "、"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", start_color="DDEBF7")
DATE_FORMAT = "yyyy-mm-dd"


def header(zh: str, key: str) -> str:
    """Return a column header as the contract writes it: ``中文 (english_key)``."""
    return f"{zh} ({key})"


def add_schedule_sheets(workbook: Workbook, problem: Problem, schedule: Schedule) -> list[str]:
    """Add the schedule, a calendar per town and the per-unit summary to ``workbook``.

    Returns the titles of the sheets added, in order.
    """
    titles = [add_event_sheet(workbook, problem, schedule).title]
    titles += [sheet.title for sheet in add_town_calendars(workbook, problem, schedule)]
    titles.append(add_unit_summary(workbook, problem, schedule).title)
    titles.append(add_schedule_facts(workbook, problem, schedule).title)
    return titles


def event_row(event: Event, problem: Problem, names: Mapping[str, str]) -> list[object]:
    """Return the cells of one event row, in :data:`SCHEDULE_COLUMNS` order."""
    return [
        event.date,
        "星期" + WEEKDAYS[event.date.weekday()],
        event.unit_id,
        problem.unit(event.unit_id).name,
        event.village_id,
        problem.village(event.village_id).name,
        event.obligation,
        names.get(event.obligation, event.obligation),
        LIST_SEPARATOR.join(event.people),
        LIST_SEPARATOR.join(event.joint_with),
        "是" if event.provisional else "否",
    ]


def add_event_sheet(workbook: Workbook, problem: Problem, schedule: Schedule) -> Worksheet:
    """Add ``活动日程 schedule``: one row per event, filterable, header frozen."""
    sheet: Worksheet = workbook.create_sheet(SCHEDULE_TITLE)
    _write_header(sheet, layout.headers(layout.SCHEDULE))
    names = {obligation.code: obligation.name for obligation in problem.obligations}
    for number, event in enumerate(schedule.events, start=2):
        for column, value in enumerate(event_row(event, problem, names), start=1):
            cell = plain_cell(sheet, number, column)
            set_text(cell, value)
            if isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
    for index, spec in enumerate(SCHEDULE_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = spec.width
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(SCHEDULE_COLUMNS))}{sheet.max_row}"
    return sheet


def add_unit_summary(workbook: Workbook, problem: Problem, schedule: Schedule) -> Worksheet:
    """Add ``日程汇总 schedule_by_unit``: events, visit days and km per unit."""
    sheet: Worksheet = workbook.create_sheet(SUMMARY_TITLE)
    codes = list(dict.fromkeys(o.code for o in problem.obligations))
    codes += sorted({e.obligation for e in schedule.events} - set(codes))
    names = {o.code: o.name for o in problem.obligations}
    columns = [
        ("单位编号", "unit_id"),
        ("单位名称", "unit_name"),
        ("结对村", "villages"),
        ("活动数", "events"),
        ("走访天数", "visit_days"),
        ("往返公里", "km"),
        ("暂定活动", "provisional_events"),
        *((names.get(code, code), code) for code in codes),
    ]
    _write_header(sheet, columns)
    by_unit: dict[str, list[Event]] = {}
    for event in schedule.events:
        by_unit.setdefault(event.unit_id, []).append(event)
    row = 2
    for unit in problem.units:
        if unit.id in by_unit:
            cells = _summary_row(unit, by_unit[unit.id], problem, codes)
            for column, value in enumerate(cells, start=1):
                set_text(plain_cell(sheet, row, column), value)
            row += 1
    widths = [12, 28, 24, 8, 10, 10, 10, *([10] * len(codes))]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    return sheet


def visit_days(events: Iterable[Event]) -> Counter[str]:
    """Return the number of visit days (distinct dates) per village of some events."""
    return Counter(village for village, _ in sorted({(e.village_id, e.date) for e in events}))


def trip_km(unit: Unit, visits: Mapping[str, int], problem: Problem) -> float | None:
    """Return the km of a unit's trips, there and back, or None if a coordinate is missing."""
    origin = (unit.lat, unit.lon) if unit.lat is not None and unit.lon is not None else None
    origin = origin or problem.settings.county_seat
    if origin is None or origin[0] is None or origin[1] is None:
        return None
    total = 0.0
    for village_id, days in visits.items():
        village = problem.village(village_id)
        if village.lat is None or village.lon is None:
            return None
        one_way = great_circle_km(origin[0], origin[1], village.lat, village.lon)
        total += 2 * one_way * problem.settings.circuity * days
    return round(total, 1)


def _summary_row(
    unit: Unit, events: Sequence[Event], problem: Problem, codes: Sequence[str]
) -> list[object]:
    visits = visit_days(events)
    counts = Counter(event.obligation for event in events)
    return [
        unit.id,
        unit.name,
        LIST_SEPARATOR.join(sorted(visits, key=problem.village_index.__getitem__)),
        len(events),
        sum(visits.values()),
        trip_km(unit, visits, problem),
        sum(1 for event in events if event.provisional),
        *(counts.get(code, 0) for code in codes),
    ]


def add_schedule_facts(workbook: Workbook, problem: Problem, schedule: Schedule) -> Worksheet:
    """Add ``日程指标 schedule_summary``: one row per fact (指标, 键, 值)."""
    sheet: Worksheet = workbook.create_sheet(FACTS_TITLE)
    _write_header(sheet, layout.headers(layout.SCHEDULE_FACTS))
    for row, cells in enumerate(_facts_rows(problem, schedule), start=2):
        for column, value in enumerate(cells, start=1):
            set_text(plain_cell(sheet, row, column), value)
    for column, width in enumerate((18, 20, 24), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    return sheet


def _facts_rows(problem: Problem, schedule: Schedule) -> list[tuple[str, str, object]]:
    facts, events = schedule.facts, schedule.events
    by_unit: dict[str, list[Event]] = {}
    for event in events:
        by_unit.setdefault(event.unit_id, []).append(event)
    distances = [trip_km(problem.unit(u), visit_days(e), problem) for u, e in by_unit.items()]
    known = [km for km in distances if km is not None]
    total_km = round(sum(known), 1) if known and len(known) == len(distances) else None
    yes = {True: "是", False: "否"}
    return [
        ("排期开始", "start", schedule.start.isoformat()),
        ("排期结束", "end", schedule.end.isoformat()),
        ("活动数", "events", len(events)),
        ("走访天数", "visit_days", len({(e.unit_id, e.village_id, e.date) for e in events})),
        ("往返公里", "km", total_km),
        (
            "暂定年份",
            "provisional_years",
            LIST_SEPARATOR.join(map(str, schedule.provisional_years)),
        ),
        ("求解状态", "status", facts.status),
        ("已证明最优", "proven", yes[facts.proven]),
        ("目标值（分）", "objective", round(facts.objective, 7)),
        ("下界", "bound", None if facts.bound is None else round(facts.bound, 7)),
        ("相对差距", "gap", facts.gap),
        ("用时秒", "seconds", round(facts.seconds, 2)),
        ("被中断", "interrupted", yes[facts.interrupted]),
        ("进程数", "workers", facts.workers),
        ("随机种子", "seed", facts.seed),
        ("均匀分布权重", "weight_S06", problem.settings.weight("S06")),
        ("合并出行权重", "weight_S08", problem.settings.weight("S08")),
    ]


def _write_header(sheet: Worksheet, columns: Sequence[tuple[str, str]]) -> None:
    for column, (zh, key) in enumerate(columns, start=1):
        cell = plain_cell(sheet, 1, column)
        set_text(cell, header(zh, key))
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    sheet.freeze_panes = "A2"
