"""The schedule's sheets and .ics files: contract headers, one row per event, calendars that
parse and equal the rows, stable UIDs, formula-safe text, atomic writes."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace
from pathlib import Path

import icalendar
import openpyxl
import pytest
from openpyxl import Workbook

from pairing.domain.model import Problem
from pairing.domain.plan import Schedule
from pairing.io.file_names import file_stem
from pairing.io.ics import event_uid, write_ics
from pairing.io.output import save_workbook
from pairing.io.schedule_sheets import (
    FACTS_TITLE,
    SCHEDULE_TITLE,
    SUMMARY_TITLE,
    add_schedule_sheets,
)
from pairing.schedule import make_schedule

from .builders import wuge_yi_county

HEADERS = [
    "日期 (date)",
    "星期 (weekday)",
    "单位编号 (unit_id)",
    "单位名称 (unit_name)",
    "村编号 (village_id)",
    "村名 (village_name)",
    "活动代码 (obligation)",
    "活动名称 (obligation_name)",
    "人员 (people)",
    "联合 (joint_with)",
    "暂定 (provisional)",
]
Row = tuple[dt.date, str, str, str]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Problem, Schedule, Path]:
    """A spring quarter of the 五个一 county (a hostile village name), written to a workbook."""
    problem, pairs = wuge_yi_county(2026)
    hostile = replace(problem.villages[0], name="=HYPERLINK(1)")
    settings = replace(
        problem.settings, schedule_from=dt.date(2026, 3, 1), schedule_to=dt.date(2026, 5, 31)
    )
    problem = replace(problem, villages=(hostile, *problem.villages[1:]), settings=settings)
    schedule = make_schedule(problem, pairs)
    workbook = Workbook()
    add_schedule_sheets(workbook, problem, schedule)
    path = tmp_path_factory.mktemp("sheets") / "plan.xlsx"
    save_workbook(workbook, path)
    return problem, schedule, path


def sheet_rows(path: Path) -> list[Row]:
    """Return (date, unit, village, obligation) of every row of the schedule sheet."""
    sheet = openpyxl.load_workbook(path)[SCHEDULE_TITLE]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    return [(r[0].date(), str(r[2]), str(r[4]), str(r[6])) for r in rows]  # type: ignore[union-attr]


def test_schedule_sheet_has_contract_headers_and_one_row_per_event(
    made: tuple[Problem, Schedule, Path],
) -> None:
    """Headers are `中文 (english_key)`; rows equal the events in order; names are text."""
    _, schedule, path = made
    book = openpyxl.load_workbook(path)
    sheet = book[SCHEDULE_TITLE]
    assert [cell.value for cell in sheet[1]] == HEADERS
    expected = [(e.date, e.unit_id, e.village_id, e.obligation) for e in schedule.events]
    assert sheet_rows(path) == expected
    second = [cell.value for cell in sheet[2]]
    assert str(second[1]).startswith("星期") and second[10] in ("是", "否")
    names = {cell.value for cell in sheet["F"][1:]}
    assert "=HYPERLINK(1)" in names  # formula-like text is stored exactly, as a text cell
    assert all(cell.data_type == "s" for cell in sheet["F"][1:])


def test_town_calendars_and_unit_summary(made: tuple[Problem, Schedule, Path]) -> None:
    """One month-grid sheet per town; the summary counts events and visit days per unit."""
    _, schedule, path = made
    book = openpyxl.load_workbook(path)
    assert {"日历 镇A", "日历 镇B"} <= set(book.sheetnames)
    grid = book["日历 镇A"]
    texts = [str(c.value) for row in grid.iter_rows() for c in row if c.value]
    assert any(text.startswith("镇A 2026年3月") for text in texts)
    assert any("走访接待" in text for text in texts)  # RCP by its name
    summary = book[SUMMARY_TITLE]
    header = [c.value for c in summary[1]]
    rows = {r[0]: r for r in summary.iter_rows(min_row=2, values_only=True)}
    events = Counter(e.unit_id for e in schedule.events)
    visits = Counter(u for u, _, _ in {(e.unit_id, e.village_id, e.date) for e in schedule.events})
    at = header.index("活动数 (events)")
    assert {unit: row[at] for unit, row in rows.items()} == dict(events)
    at = header.index("走访天数 (visit_days)")
    assert {unit: row[at] for unit, row in rows.items()} == dict(visits)
    km = rows["U1"][header.index("往返公里 (km)")]
    assert isinstance(km, float) and km > 0


def vevents(paths: list[Path], prefix: str) -> list[icalendar.Event]:
    """Return the VEVENTs of the files whose owner's id starts with ``prefix`` (all for
    ``''``): a file is named ``<name>-<id>.ics``."""
    found = []
    for path in paths:
        if path.stem.rsplit("-", 1)[-1].startswith(prefix):
            calendar = icalendar.Calendar.from_ical(path.read_bytes())
            found += [v for v in calendar.walk("VEVENT") if isinstance(v, icalendar.Event)]
    return found


def as_row(vevent: icalendar.Event) -> Row:
    """Return (date, unit, village, obligation) of a VEVENT."""
    return (
        vevent.decoded("dtstart"),
        str(vevent["x-pairing-unit"]),
        str(vevent["x-pairing-village"]),
        str(vevent["x-pairing-obligation"]),
    )


def test_ics_files_parse_and_equal_the_sheet_rows(
    made: tuple[Problem, Schedule, Path], tmp_path: Path
) -> None:
    """Unit files and village files each hold exactly the sheet's rows, as all-day events."""
    problem, schedule, path = made
    paths = write_ics(tmp_path, problem, schedule)
    rows = Counter(sheet_rows(path))
    for prefix in ("U", "V"):  # unit files, then village files
        events = vevents(paths, prefix)
        assert Counter(as_row(v) for v in events) == rows
        for vevent in events:
            start, end = vevent.decoded("dtstart"), vevent.decoded("dtend")
            assert not isinstance(start, dt.datetime) and end - start == dt.timedelta(days=1)
            assert str(vevent["summary"]) and "单位" in str(vevent["description"])
    calendar = icalendar.Calendar.from_ical(paths[0].read_bytes())
    assert str(calendar["x-wr-timezone"]) == "Asia/Shanghai"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp files left


def test_ics_uids_are_unique_and_stable_across_runs(
    made: tuple[Problem, Schedule, Path], tmp_path: Path
) -> None:
    """A rerun keeps every UID; UIDs are unique inside a file; provisional means TENTATIVE."""
    problem, schedule, _ = made
    first = write_ics(tmp_path / "a", problem, schedule)
    again = make_schedule(problem, sorted({(e.unit_id, e.village_id) for e in schedule.events}))
    second = write_ics(tmp_path / "b", problem, again)
    for one, two in zip(sorted(first), sorted(second), strict=True):
        uids = [str(v["uid"]) for v in vevents([one], "")]
        assert len(uids) == len(set(uids))
        assert uids == [str(v["uid"]) for v in vevents([two], "")]
    event = schedule.events[0]
    assert event_uid(event, 0) != event_uid(event, 1)
    assert all(str(v["status"]) == "CONFIRMED" for v in vevents(first, ""))


def test_file_names_are_safe_and_distinct() -> None:
    """A calendar is named by name and id; ids with path characters get a hash."""
    assert file_stem("县医院", "U028") == "县医院-U028"
    odd, other = file_stem("甲", "a/b"), file_stem("甲", "a_b")
    assert "/" not in odd and odd != other
    assert file_stem("", "高州01") == "高州01"


def test_schedule_facts_sheet(made: tuple[Problem, Schedule, Path]) -> None:
    """The facts sheet states the horizon, the event count and the solver's status."""
    _, schedule, path = made
    sheet = openpyxl.load_workbook(path)[FACTS_TITLE]
    facts = {row[1]: row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert facts["start"] == "2026-03-01" and facts["end"] == "2026-05-31"
    assert facts["events"] == len(schedule.events) and facts["status"] == "OPTIMAL"
    assert isinstance(facts["km"], float)
