"""``pairing schedule`` end to end: plan in, plan with schedule and calendars out, exit codes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import openpyxl
import pytest
from click.testing import CliRunner, Result

from pairing.cli import cli
from pairing.domain.model import Blackout
from pairing.io.schedule_sheets import SCHEDULE_TITLE

from .builders import input_county, write_input


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
    assert len([f for f in files if f.name.startswith("unit_")]) == 5
    assert len([f for f in files if f.name.startswith("village_")]) == 3
    total = sum(
        len(icalendar.Calendar.from_ical(f.read_bytes()).walk("VEVENT"))
        for f in files
        if f.name.startswith("unit_")
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
