"""Villages and units without coordinates are said, not silently 0 km (issue 14, item 12).

`pairing check` lists them on stderr with sheet, row and id (exit 0 when nothing else is
wrong); a unit without coordinates starts from the county seat when one is set, and the
warning says so. The plan's 指标 summary counts them, and verify recomputes the counts.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from verify.edits import records
from verify.plans import small_county, write_input
from verify.test_tampering import pairing

from pairing.domain.model import Problem

SUMMARY = "指标 summary"


def unlocated(problem: Problem, *, seat: bool = True) -> Problem:
    """Return ``problem`` with its third village and second unit without coordinates."""
    villages = list(problem.villages)
    villages[2] = replace(villages[2], lat=None, lon=None)
    units = list(problem.units)
    units[1] = replace(units[1], lat=None, lon=None)
    settings = problem.settings if seat else replace(problem.settings, county_seat=None)
    return replace(problem, villages=tuple(villages), units=tuple(units), settings=settings)


@pytest.fixture(scope="module")
def county() -> Problem:
    """A small county with a village and a unit without coordinates (county seat set)."""
    return unlocated(small_county(2026))


def test_check_warns_with_sheet_row_and_id(county: Problem, tmp_path: Path) -> None:
    """The village (0 km) and the unit (from the county seat) are listed; exit stays 0."""
    source = write_input(county, tmp_path / "input.xlsx")
    result = pairing("check", str(source))
    assert result.returncode == 0, result.stderr
    village, unit = county.villages[2], county.units[1]
    lines = result.stderr.splitlines()
    assert any(
        f"村 villages 第{village.row}行 row {village.row} {village.id}" in line and "0 km" in line
        for line in lines
    ), result.stderr
    assert any(
        f"单位 units 第{unit.row}行 row {unit.row} {unit.id}" in line and "county seat" in line
        for line in lines
    ), result.stderr
    assert "warning" in result.stderr and "警告" in result.stderr


def test_without_a_county_seat_the_unit_counts_0_km(county: Problem, tmp_path: Path) -> None:
    """With no county seat the unit's pairs have no distance, and the warning says 0 km."""
    source = write_input(unlocated(small_county(2026), seat=False), tmp_path / "input.xlsx")
    result = pairing("check", str(source))
    assert result.returncode == 0, result.stderr
    unit = county.units[1]
    line = next(line for line in result.stderr.splitlines() if f" {unit.id}:" in line)
    assert "0 km" in line and "county seat" not in line


def test_a_county_with_every_coordinate_has_no_warning(tmp_path: Path) -> None:
    """Nothing to say: stderr holds no coordinate warning."""
    source = write_input(small_county(2026), tmp_path / "input.xlsx")
    result = pairing("check", str(source))
    assert result.returncode == 0 and "coordinates" not in result.stderr


def test_the_summary_counts_them_and_verify_agrees(county: Problem, tmp_path: Path) -> None:
    """指标: 1 village, 1 unit, the village's 2 pairs without distance; verify exits 0."""
    source = write_input(county, tmp_path / "input.xlsx")
    plan = tmp_path / "plan.xlsx"
    assert pairing("solve", str(source), "-o", str(plan), "-q").returncode == 0
    summary = {
        row["key"]: row["value"]
        for _, row in records(openpyxl.load_workbook(plan, read_only=True)[SUMMARY])
    }
    assert summary["villages_without_coordinates"] == 1
    assert summary["units_without_coordinates"] == 1
    assert summary["pairs_without_distance"] == county.villages[2].units_required
    verified = pairing("verify", str(plan))
    assert verified.returncode == 0, verified.stdout[-3000:]
