"""``pairing schedule`` end to end: plan in, plan with schedule and calendars out, exit codes."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import icalendar
import openpyxl
import pytest
from click.testing import CliRunner, Result

from pairing.cli import cli
from pairing.domain.model import Blackout
from pairing.domain.plan import Event
from pairing.io.ics import calendar_of, staged_calendars
from pairing.io.schedule_sheets import SCHEDULE_TITLE
from pairing.schedule import make_schedule

from .builders import input_county, write_input, wuge_yi_county


def as_date(value: object) -> dt.date:
    """Return the date of a date cell (openpyxl reads it as a datetime)."""
    assert isinstance(value, dt.datetime)
    return value.date()


def run(*args: str) -> Result:
    """Run the CLI in-process."""
    return CliRunner().invoke(cli, list(args))


def solved(folder: Path, year: int, blackouts: list[Blackout] | None = None) -> Path:
    """Write the input county of ``year`` and solve it; return the plan workbook."""
    source = write_input(input_county(year, blackouts or []), folder / "input.xlsx")
    result = run("solve", str(source), "-o", str(folder / "plan.xlsx"), "-q")
    assert result.exit_code == 0, result.output
    return folder / "plan.xlsx"


@pytest.fixture(scope="module")
def plan_2026(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A solved plan of the small county in 2026."""
    return solved(tmp_path_factory.mktemp("cli2026"), 2026)


def test_schedule_writes_sheets_and_calendars(plan_2026: Path, tmp_path: Path) -> None:
    """Exit 0; the workbook gains the schedule sheet; one .ics per unit and village."""
    out = tmp_path / "scheduled.xlsx"
    result = run(
        "schedule",
        str(plan_2026),
        "-o",
        str(out),
        "--ics",
        str(tmp_path / "ics"),
        "--from",
        "2026-03-01",
        "--to",
        "2026-04-30",
    )
    assert result.exit_code == 0, result.output
    assert "events" in result.stdout and "warning" not in result.stderr
    sheet = openpyxl.load_workbook(out)[SCHEDULE_TITLE]
    dates = [as_date(row[0]) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert dates and min(dates) >= dt.date(2026, 3, 1) and max(dates) <= dt.date(2026, 4, 30)
    files = sorted((tmp_path / "ics").glob("*.ics"))
    unit_files = [f for f in files if f.stem.startswith("单位")]  # named 单位U1-U1.ics
    assert sorted(f.name for f in unit_files) == [f"单位U{n}-U{n}.ics" for n in range(1, 6)]
    assert sorted(f.name for f in files if f not in unit_files) == [
        f"村V{n}-V{n}.ics" for n in range(1, 4)
    ]
    total = sum(
        len(icalendar.Calendar.from_ical(f.read_bytes()).walk("VEVENT")) for f in unit_files
    )
    assert total == len(dates)


def test_schedule_refuses_to_overwrite_its_input(plan_2026: Path) -> None:
    """-o equal to the plan is an input error (exit 3); the plan stays as it was."""
    before = plan_2026.read_bytes()
    result = run("schedule", str(plan_2026), "-o", str(plan_2026))
    assert result.exit_code == 3 and plan_2026.read_bytes() == before


def test_2027_is_provisional_with_a_warning_and_strict_refuses(tmp_path: Path) -> None:
    """2027: exit 0 with a provisional warning on stderr; --strict-calendar: exit 3."""
    plan = solved(tmp_path, 2027)
    out = tmp_path / "out.xlsx"
    result = run("schedule", str(plan), "-o", str(out), "--to", "2027-02-28")
    assert result.exit_code == 0, result.output
    assert "暂定" in result.stderr and "provisional" in result.stderr
    assert "Traceback" not in result.output
    flags = {
        row[10]
        for row in openpyxl.load_workbook(out)[SCHEDULE_TITLE].iter_rows(
            min_row=2, values_only=True
        )
    }
    assert flags == {"是"}
    strict = run("schedule", str(plan), "-o", str(tmp_path / "x.xlsx"), "--strict-calendar")
    assert strict.exit_code == 3 and "2027" in strict.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_infeasible_schedule_exits_4_naming_the_blackout_row(tmp_path: Path) -> None:
    """A blackout over all of June for everyone: exit 4, the row and the period named."""
    shut = Blackout("all", "全部", dt.date(2026, 6, 1), dt.date(2026, 6, 30), "全月封闭", 5)
    plan = solved(tmp_path, 2026, [shut])
    result = run("schedule", str(plan), "-o", str(tmp_path / "out.xlsx"))
    assert result.exit_code == 4
    assert "2026-06" in result.stderr and "row 5" in result.stderr
    assert not (tmp_path / "out.xlsx").exists()


# Issue 14, item 9: text for calendars, and calendars all or nothing. On the real command
# (a subprocess): exit codes and files.

CONTROL_BYTES = set(range(0x00, 0x09)) | set(range(0x0A, 0x20)) | {0x7F}


def pairing_command(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``python -m pairing ARGS`` to its end."""
    return subprocess.run(
        [sys.executable, "-m", "pairing", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def broken_names_input(folder: Path) -> Path:
    """The 五个一 county with line breaks in a unit's, a village's and a member's name (a lone
    carriage return in a cell comes back from the xlsx as a line feed)."""
    problem = input_county(2026)
    units = (replace(problem.units[0], name="单位\r甲"), *problem.units[1:])
    villages = (replace(problem.villages[0], name="村\n乙\t丙"), *problem.villages[1:])
    members = (replace(problem.members[0], name="甲组长\r\n"), *problem.members[1:])
    broken = replace(problem, units=units, villages=villages, members=members)
    return write_input(broken, folder / "input.xlsx")


def content_lines(path: Path) -> list[bytes]:
    """The content lines of a calendar file, unfolded (RFC 5545 3.1)."""
    return path.read_bytes().replace(b"\r\n ", b"").split(b"\r\n")


def test_names_with_line_breaks_give_clean_calendars(tmp_path: Path) -> None:
    """`solve --ics` with CR/LF in names: exit 0 (was 1, after the plan and some calendars),
    every calendar parses, no content line holds a control character, names read on one line."""
    source = broken_names_input(tmp_path)
    done = pairing_command(
        "solve",
        str(source),
        "-o",
        "plan.xlsx",
        "-q",
        "--ics",
        "ics",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    files = sorted((tmp_path / "ics").glob("*.ics"))
    assert files
    for path in files:
        icalendar.Calendar.from_ical(path.read_bytes())
        for line in content_lines(path):
            assert not CONTROL_BYTES & set(line), (path.name, line)
    unit_calendar = icalendar.Calendar.from_ical((tmp_path / "ics" / "单位 甲-U1.ics").read_bytes())
    assert str(unit_calendar["X-WR-CALNAME"]).startswith("单位 甲")
    summaries = [str(event["SUMMARY"]) for event in unit_calendar.walk("VEVENT")]
    assert summaries and all("单位 甲" in summary for summary in summaries)
    assert leftovers(tmp_path) == []


def test_calendars_are_written_all_or_nothing(plan_2026: Path, tmp_path: Path) -> None:
    """A calendar that cannot be written (its path is a folder): exit 3 naming it; no other
    calendar and no schedule workbook written, no temporary file left."""
    calendars = tmp_path / "ics"
    (calendars / "村V3-V3.ics").mkdir(parents=True)  # the last calendar to be written
    out = tmp_path / "scheduled.xlsx"
    done = pairing_command(
        "schedule", str(plan_2026), "-o", str(out), "--ics", str(calendars), cwd=tmp_path
    )
    assert done.returncode == 3, done.stderr
    assert "村V3-V3.ics" in done.stderr and "Traceback" not in done.stderr
    assert sorted(p.name for p in calendars.iterdir()) == ["村V3-V3.ics"]
    assert not out.exists()
    assert leftovers(tmp_path) == []


def leftovers(folder: Path) -> list[str]:
    """Temporary files left under ``folder``."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*.tmp"))


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("a\rb", "a b"),
        ("a\nb", "a b"),
        ("a\r\nb", "a b"),
        ("a\x00b", "a b"),
        ("a\x1bb", "a b"),
        ("a\x7fb", "a b"),
        ("a\x85b", "a b"),
        ("a\u2028b", "a b"),
        ("a\ud800b", "a\ufffdb"),
    ],
    ids=["CR", "LF", "CRLF", "NUL", "ESC", "DEL", "NEL", "LSEP", "surrogate"],
)
def test_calendar_text_holds_no_control_character(name: str, shown: str) -> None:
    """Every name with a control, a line break or a lone surrogate gives a calendar that
    serialises, with the name on one line (RFC 5545 allows no control but tab in a value)."""
    problem, pairs = wuge_yi_county()
    units = (replace(problem.units[0], name=name), *problem.units[1:])
    villages = (replace(problem.villages[0], name=name, town=name), *problem.villages[1:])
    problem = replace(problem, units=units, villages=villages)
    event = Event(dt.date(2026, 3, 2), pairs[0][0], pairs[0][1], "RCP", (name,), ())
    stamp = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    payload = calendar_of(name, [(event, 0)], problem, {"RCP": name}, stamp).to_ical()
    for line in payload.replace(b"\r\n ", b"").split(b"\r\n"):
        assert not CONTROL_BYTES & set(line), line
    parsed = icalendar.Calendar.from_ical(payload)
    assert str(parsed["X-WR-CALNAME"]) == shown
    assert str(parsed.walk("VEVENT")[0]["SUMMARY"]) == f"{shown}：{shown} → {shown}"


def test_ctrl_c_while_the_workbook_is_written_leaves_no_calendar(tmp_path: Path) -> None:
    """A KeyboardInterrupt inside the staged block (the plan workbook being written): every
    staged calendar is removed, none is moved into place."""
    problem, pairs = wuge_yi_county()
    schedule = make_schedule(problem, pairs, time_limit_s=30)
    staged = staged_calendars(tmp_path / "ics", problem, schedule)
    with pytest.raises(KeyboardInterrupt), staged as paths:
        assert paths and list((tmp_path / "ics").glob(".*.tmp"))
        raise KeyboardInterrupt
    assert list((tmp_path / "ics").iterdir()) == []
