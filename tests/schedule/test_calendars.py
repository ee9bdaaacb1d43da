"""The printed town calendars: names, not codes; holidays and blackouts shaded with a legend;
cells that fit their text at print size (measured widths, wrapped lines, tall enough rows)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from pairing.domain.model import Blackout, Problem
from pairing.domain.plan import Schedule
from pairing.domain.text_width import display_width, wrap
from pairing.io import town_calendars as tc
from pairing.schedule import make_schedule

from .builders import wuge_yi_county

SPRING = (dt.date(2026, 3, 1), dt.date(2026, 5, 31))
ALL_OFF = Blackout("all", "全部", dt.date(2026, 3, 10), dt.date(2026, 3, 11), "全县大会", 5)
TOWN_OFF = Blackout("town", "镇B", dt.date(2026, 4, 14), dt.date(2026, 4, 14), "防汛演练", 6)


@pytest.fixture(scope="module")
def spring() -> tuple[Problem, Schedule]:
    """The 五个一 county's spring quarter of 2026, with a county-wide and a town blackout."""
    problem, pairs = wuge_yi_county(2026)
    settings = dataclasses.replace(problem.settings, schedule_from=SPRING[0], schedule_to=SPRING[1])
    blackouts = (*problem.blackouts, ALL_OFF, TOWN_OFF)
    problem = dataclasses.replace(problem, settings=settings, blackouts=blackouts)
    return problem, make_schedule(problem, pairs)


def calendars(problem: Problem, schedule: Schedule) -> dict[str, Worksheet]:
    """The town calendar sheets of ``schedule``, by town."""
    workbook = Workbook()
    sheets = tc.add_town_calendars(workbook, problem, schedule)
    return {sheet.title.removeprefix(tc.CALENDAR_PREFIX): sheet for sheet in sheets}


def day_cells(sheet: Worksheet) -> dict[dt.date, object]:
    """Each dated cell of a calendar sheet, by date (its month from the block's title)."""
    found, year, month = {}, 0, 0
    for row in sheet.iter_rows(min_row=2):
        first = str(row[0].value or "")
        if "活动日历" in first:
            year, month = int(first.split()[1][:4]), int(first.split()[1][5:].rstrip("月"))
            continue
        for cell in row:
            text = str(cell.value or "")
            head = text.split("\n")[0].split(" ")[0]
            if head.isdigit() and year:
                found[dt.date(year, month, int(head))] = cell
    return found


def test_day_cells_name_villages_units_and_activities(spring: tuple[Problem, Schedule]) -> None:
    """Every event's village, unit and activity are named in its day's cell; no code or id."""
    problem, schedule = spring
    sheets = calendars(problem, schedule)
    names = {o.code: o.name for o in problem.obligations}
    for event in schedule.events:
        village = problem.village(event.village_id)
        text = str(day_cells(sheets[village.town])[event.date].value)
        unit, activity = problem.unit(event.unit_id).name, names[event.obligation]
        assert any(
            line.startswith(village.name + "｜") and unit in line and activity in line
            for line in text.split("\n")
        ), (event, text)
    texts = [str(c.value) for s in sheets.values() for c in day_cells(s).values()]
    codes = {o.code for o in problem.obligations} | {u.id for u in problem.units}
    words = {word for text in texts for word in text.replace("：", " ").replace("、", " ").split()}
    assert not codes & words


def test_holidays_rest_days_and_blackouts_are_shaded(spring: tuple[Problem, Schedule]) -> None:
    """清明 and 劳动节 are named and shaded as holidays, a county blackout shades every town's
    day and says why, a town blackout only its town, a village's is a line in its cell."""
    problem, schedule = spring
    assert schedule.marks is not None
    sheets = calendars(problem, schedule)
    town_a, town_b = day_cells(sheets["镇A"]), day_cells(sheets["镇B"])
    for date, name in ((dt.date(2026, 4, 5), "清明"), (dt.date(2026, 5, 1), "劳动节")):
        cell = town_a[date]
        assert name in str(cell.value).split("\n")[0]
        assert cell.fill.fgColor.rgb == tc.HOLIDAY_FILL.fgColor.rgb
    for cells in (town_a, town_b):
        for day in (10, 11):
            cell = cells[dt.date(2026, 3, day)]
            assert cell.fill.fgColor.rgb == tc.BLACKOUT_FILL.fgColor.rgb
            assert str(cell.value).split("\n") == [f"{day} 禁排：全县大会"]  # nothing on it
    assert town_b[dt.date(2026, 4, 14)].fill.fgColor.rgb == tc.BLACKOUT_FILL.fgColor.rgb
    assert town_a[dt.date(2026, 4, 14)].fill.fgColor.rgb != tc.BLACKOUT_FILL.fgColor.rgb
    assert "禁排 村V1：村务" in str(town_a[dt.date(2026, 5, 12)].value).split("\n")
    saturday = town_a[dt.date(2026, 3, 7)]
    assert saturday.fill.fgColor.rgb == tc.REST_FILL.fgColor.rgb
    assert town_a[dt.date(2026, 3, 9)].fill.fill_type is None  # a plain Monday


def test_every_sheet_has_the_legend_on_each_printed_page(spring: tuple[Problem, Schedule]) -> None:
    """Row 1 explains each shade with its own fill, and prints at the top of every page."""
    for sheet in calendars(*spring).values():
        legend = {str(c.value): c.fill.fgColor.rgb for c in sheet[1][1:] if c.value}
        for text, fill in tc.LEGEND:
            assert legend[text] == fill.fgColor.rgb
        assert sheet.print_title_rows == "$1:$1"
        legend_lines = max(
            len(wrap(text, int(sheet.column_dimensions["B"].width) - 1)) for text in legend
        )
        assert sheet.row_dimensions[1].height >= tc.LINE_HEIGHT * legend_lines
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1


def test_cells_fit_their_text(spring: tuple[Problem, Schedule]) -> None:
    """Columns are as wide as the longest line (CJK counts two, within bounds); each cell
    wraps; each week's row is tall enough for its fullest day's wrapped lines."""
    for sheet in calendars(*spring).values():
        cells = day_cells(sheet).values()
        lines = [line for c in cells for line in str(c.value).split("\n")[1:]]
        width = sheet.column_dimensions["A"].width
        widest = max(display_width(line) for line in lines)
        assert width == max(tc.MIN_WIDTH, min(tc.MAX_WIDTH, widest + 2))
        assert {sheet.column_dimensions[c].width for c in "ABCDEFG"} == {width}
        for cell in cells:
            assert cell.alignment.wrap_text
            wrapped = [
                w for line in str(cell.value).split("\n") for w in wrap(line, int(width) - 1)
            ]
            assert all(display_width(w) <= width - 1 for w in wrapped if " " in w or len(w) > 1)
            height = sheet.row_dimensions[cell.row].height
            assert height >= tc.LINE_HEIGHT * len(wrapped)


def test_a_schedule_without_marks_is_labelled_from_the_official_calendar(
    spring: tuple[Problem, Schedule],
) -> None:
    """A schedule that carries no calendar marks (made elsewhere) still names and shades
    the holidays, from chinese_calendar."""
    problem, schedule = spring
    bare = dataclasses.replace(schedule, marks=None)
    cell = day_cells(calendars(problem, bare)["镇A"])[dt.date(2026, 5, 1)]
    assert "劳动节" in str(cell.value) and cell.fill.fgColor.rgb == tc.HOLIDAY_FILL.fgColor.rgb
