"""The printed town calendars of a schedule: ``日历 <镇>``, one month grid per month.

A day's cell reads as a person plans by it: the day and what it is (国庆节, 休, 班, 禁排 and
why), then one line per village with its units and activities by name (``官杨村｜县医院、
市财政局：集中劳动、走访接待``), and the blackouts of one village or unit in the town.
Holidays, rest days, make-up workdays and town-wide blackouts are shaded, as the legend on
the first row (repeated on every printed page) says; the words say it too, for a black and
white printer. Columns are as wide as the longest line needs (CJK counts two, up to
:data:`MAX_WIDTH`); lines wrap, and each week's row is as tall as its fullest day wraps to,
so nothing is clipped on paper.

Holidays come from the scheduler's calendar (:attr:`pairing.domain.plan.Schedule.marks`:
official data, rule-based for years not yet published, the 节假日 sheet's overrides); a
schedule without them falls back to ``chinese_calendar`` and the overrides.
"""

from __future__ import annotations

import calendar as month_grid
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import chinese_calendar
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from pairing.domain.model import Blackout, Problem
from pairing.domain.plan import Event, Schedule
from pairing.domain.text_width import display_width, wrap
from pairing.io.output import set_text
from pairing.io.workbook_writer import plain_cell

CALENDAR_PREFIX = "日历 "
WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")
LIST_SEPARATOR = "、"
HEADER_FONT = Font(bold=True)
DAY_FONT = Font(size=10)
HEADER_FILL = PatternFill("solid", start_color="DDEBF7")
REST_FILL = PatternFill("solid", start_color="EDEDED")  # weekend, no work
HOLIDAY_FILL = PatternFill("solid", start_color="FCE4D6")  # official holiday
MAKEUP_FILL = PatternFill("solid", start_color="E2EFDA")  # weekend made a workday (班)
BLACKOUT_FILL = PatternFill("solid", start_color="D9D2E9")  # the whole town barred
LEGEND = (
    ("节假日 holiday", HOLIDAY_FILL),
    ("休息日 rest day", REST_FILL),
    ("调休上班 班 make-up workday", MAKEUP_FILL),
    ("禁排 blackout (全镇 whole town)", BLACKOUT_FILL),
)
THIN = Side(style="thin", color="A6A6A6")
GRID_BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TOP_WRAP = Alignment(vertical="top", wrap_text=True)
LINE_HEIGHT = 13.5  # points per line of the 10-point day text
MIN_WIDTH, MAX_WIDTH = 16, 28  # column width: the day's lines wrap beyond MAX_WIDTH
MAX_ROW_HEIGHT = 409  # Excel's limit
MAX_SHEET_TITLE = 31
FORBIDDEN_IN_TITLE = str.maketrans({c: "_" for c in "[]:*?/\\"})
CHINESE_HOLIDAYS: Mapping[str, str] = {h.value: h.chinese for h in chinese_calendar.Holiday}


@dataclass(frozen=True, slots=True)
class DayLabel:
    """How a calendar cell shows a date: working or not, and the festival or 班/休 mark."""

    rest: bool
    holiday: bool
    note: str
    makeup: bool = False


def day_label(date: dt.date, overrides: Mapping[dt.date, str]) -> DayLabel:
    """Return the label of ``date`` from ``chinese_calendar`` (the 节假日 sheet's word wins):
    the fallback for a schedule that carries no marks of its own."""
    kind = overrides.get(date)
    weekend = date.weekday() >= 5
    if kind == "holiday":
        return DayLabel(True, True, "休")
    if kind == "workday":
        return DayLabel(False, False, "班" if weekend else "", weekend)
    try:
        working = bool(chinese_calendar.is_workday(date))
        _, name = chinese_calendar.get_holiday_detail(date)
    except NotImplementedError:
        return DayLabel(weekend, False, "")
    if working:
        return DayLabel(False, False, "班" if weekend else "", weekend)
    festival = CHINESE_HOLIDAYS.get(name or "", "")
    return DayLabel(True, bool(festival), festival)


def labeller(problem: Problem, schedule: Schedule) -> Mapping[dt.date, DayLabel]:
    """Each marked date's label, from the schedule's calendar, else ``chinese_calendar``."""
    if schedule.marks is None:
        overrides = {override.date: override.kind for override in problem.holidays}
        dates = {
            date
            for year, month in months(schedule.start, schedule.end)
            for date in _days(year, month)
        }
        return {date: day_label(date, overrides) for date in dates}
    labels: dict[dt.date, DayLabel] = {}
    for mark in schedule.marks:
        if mark.holiday:
            labels[mark.date] = DayLabel(True, True, mark.name or "休")
        else:
            labels[mark.date] = DayLabel(False, False, "班", makeup=True)
    return labels


def label_of(date: dt.date, labels: Mapping[dt.date, DayLabel]) -> DayLabel:
    """A date's label: marked, else a plain weekend or working day."""
    return labels.get(date) or DayLabel(date.weekday() >= 5, False, "")


def _days(year: int, month: int) -> Iterable[dt.date]:
    for week in month_grid.Calendar(firstweekday=0).monthdatescalendar(year, month):
        yield from (date for date in week if date.month == month)


def months(start: dt.date, end: dt.date) -> Iterable[tuple[int, int]]:
    """The (year, month) pairs from ``start``'s month to ``end``'s."""
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


@dataclass(frozen=True, slots=True)
class Town:
    """What a town's calendar shows: its name, its lines by date, its labels and blackouts."""

    name: str
    lines: Mapping[dt.date, list[str]]
    labels: Mapping[dt.date, DayLabel]
    barred: Sequence[Blackout]  # rows barring the whole town
    partial: Sequence[tuple[Blackout, str]]  # rows barring one village or unit, with its name


def add_town_calendars(workbook: Workbook, problem: Problem, schedule: Schedule) -> list[Worksheet]:
    """Add one printable month-grid sheet per town that has events, in village order."""
    by_town: dict[str, list[Event]] = {}
    towns = list(dict.fromkeys(village.town for village in problem.villages))
    for event in schedule.events:
        by_town.setdefault(problem.village(event.village_id).town, []).append(event)
    labels = labeller(problem, schedule)
    used: set[str] = set(workbook.sheetnames)
    sheets = []
    for name in (t for t in towns if t in by_town):
        whole, partial = blackouts_of(name, by_town[name], problem)
        town = Town(name, day_lines(by_town[name], problem), labels, whole, partial)
        sheet: Worksheet = workbook.create_sheet(unique_title(CALENDAR_PREFIX + name, used))
        fill_calendar(sheet, town, schedule)
        sheets.append(sheet)
    return sheets


def unique_title(wanted: str, used: set[str]) -> str:
    """Return a valid sheet title (≤ 31 characters, no ``[]:*?/\\``) not yet in ``used``."""
    base = wanted.translate(FORBIDDEN_IN_TITLE)[:MAX_SHEET_TITLE]
    title, number = base, 2
    while title in used:
        suffix = f" ({number})"
        title = base[: MAX_SHEET_TITLE - len(suffix)] + suffix
        number += 1
    used.add(title)
    return title


def blackouts_of(
    town: str, events: Sequence[Event], problem: Problem
) -> tuple[list[Blackout], list[tuple[Blackout, str]]]:
    """The blackout rows of a town: those barring it all (全部, the town), and those barring
    one of its villages or one unit working in it, each with that village's or unit's name."""
    villages = {v.id: v.name for v in problem.villages if v.town == town}
    units = {e.unit_id: problem.unit(e.unit_id).name for e in events}
    whole, partial = [], []
    for row in problem.blackouts:
        if row.scope_kind == "all" or (row.scope_kind == "town" and row.scope == town):
            whole.append(row)
        elif row.scope_kind == "village" and row.scope in villages:
            partial.append((row, villages[row.scope]))
        elif row.scope_kind == "unit" and row.scope in units:
            partial.append((row, units[row.scope]))
    return whole, partial


def day_lines(events: Sequence[Event], problem: Problem) -> dict[dt.date, list[str]]:
    """Per date, one line per village and set of activities: ``村｜单位、单位：活动、活动×2``.

    Units of one village doing the same activities that day (a joint visit) share a line.
    """
    names = {obligation.code: obligation.name for obligation in problem.obligations}
    done: dict[dt.date, dict[str, dict[str, Counter[str]]]] = {}
    for event in events:
        units = done.setdefault(event.date, {}).setdefault(event.village_id, {})
        units.setdefault(event.unit_id, Counter())[event.obligation] += 1
    out: dict[dt.date, list[str]] = {}
    for date, villages in done.items():
        for village_id, units in villages.items():
            shared: dict[tuple[tuple[str, int], ...], list[str]] = {}
            for unit_id, counted in units.items():
                shared.setdefault(tuple(sorted(counted.items())), []).append(unit_id)
            village = problem.village(village_id).name
            for counted_items, unit_ids in shared.items():
                who = LIST_SEPARATOR.join(problem.unit(u).name for u in unit_ids)
                what = LIST_SEPARATOR.join(
                    names.get(code, code) + (f"×{n}" if n > 1 else "") for code, n in counted_items
                )
                out.setdefault(date, []).append(f"{village}｜{who}：{what}")
    return out


def cell_lines(date: dt.date, town: Town, schedule: Schedule) -> tuple[list[str], DayLabel, bool]:
    """A day's lines, its label and whether the whole town is barred that day."""
    label = label_of(date, town.labels)
    if not schedule.start <= date <= schedule.end:
        return [str(date.day)], label, False
    whole = [row for row in town.barred if row.covers(date)]
    notes = [label.note] if label.note else []
    notes += ["禁排" + (f"：{row.reason}" if row.reason else "") for row in whole]
    lines = [" ".join([str(date.day), *notes])]
    lines += [
        f"禁排 {name}" + (f"：{row.reason}" if row.reason else "")
        for row, name in town.partial
        if row.covers(date)
    ]
    return lines + town.lines.get(date, []), label, bool(whole)


def column_width(town: Town) -> int:
    """The calendar's column width: its longest line (in display cells), within bounds."""
    widest = max(
        (display_width(line) for lines in town.lines.values() for line in lines), default=0
    )
    return max(MIN_WIDTH, min(MAX_WIDTH, widest + 2))


def wrapped_count(lines: Sequence[str], width: int) -> int:
    """How many printed lines ``lines`` take in a column ``width`` wide (wrapped, never cut)."""
    return sum(len(wrap(line, width - 1)) for line in lines)


def fill_calendar(sheet: Worksheet, town: Town, schedule: Schedule) -> None:
    """Write the legend and every month of the schedule; set the page up for A4 landscape."""
    width = column_width(town)
    _legend(sheet, width)
    row = 3
    for year, month in months(schedule.start, schedule.end):
        row = _month_block(sheet, row, town, year, month, schedule, width)
        sheet.row_breaks.append(Break(id=row - 1))
    for column in range(1, 8):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    if sheet.sheet_properties.pageSetUpPr is not None:
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True


def _legend(sheet: Worksheet, width: int) -> None:
    """Row 1: what each shade means (repeated at the top of every printed page)."""
    set_text(plain_cell(sheet, 1, 1), "图例 legend")
    plain_cell(sheet, 1, 1).font = HEADER_FONT
    for column, (text, fill) in enumerate(LEGEND, start=2):
        cell = plain_cell(sheet, 1, column)
        set_text(cell, text)
        cell.fill, cell.border, cell.alignment, cell.font = fill, GRID_BORDER, TOP_WRAP, DAY_FONT
    lines = max(wrapped_count([text], width) for text, _ in LEGEND)
    sheet.row_dimensions[1].height = LINE_HEIGHT * lines + 4


def _month_block(
    sheet: Worksheet, row: int, town: Town, year: int, month: int, schedule: Schedule, width: int
) -> int:
    """Write one month at ``row``; return the first row after it."""
    provisional = "（暂定 provisional）" if year in schedule.provisional_years else ""
    title = plain_cell(sheet, row, 1)
    set_text(title, f"{town.name} {year}年{month}月 活动日历{provisional}")
    title.font = Font(bold=True, size=13)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=7)
    for column, name in enumerate(WEEKDAYS, start=1):
        cell = plain_cell(sheet, row + 1, column)
        set_text(cell, "星期" + name)
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, GRID_BORDER
    row += 2
    for week in month_grid.Calendar(firstweekday=0).monthdatescalendar(year, month):
        height = 3
        for column, date in enumerate(week, start=1):
            cell = plain_cell(sheet, row, column)
            cell.border, cell.alignment, cell.font = GRID_BORDER, TOP_WRAP, DAY_FONT
            if date.month != month:
                continue
            lines, label, barred = cell_lines(date, town, schedule)
            set_text(cell, "\n".join(lines))
            height = max(height, wrapped_count(lines, width))
            fill = _fill(label, barred)
            if fill is not None:
                cell.fill = fill
        sheet.row_dimensions[row].height = min(MAX_ROW_HEIGHT, LINE_HEIGHT * height + 4)
        row += 1
    return row + 1


def _fill(label: DayLabel, barred: bool) -> PatternFill | None:
    """A day's shade: a town-wide blackout first, then holiday, rest day, make-up day."""
    if barred:
        return BLACKOUT_FILL
    if label.holiday:
        return HOLIDAY_FILL
    if label.rest:
        return REST_FILL
    return MAKEUP_FILL if label.makeup else None
