"""Tampered plans: `pairing verify` exits 5 for every edit a reader could see, naming where.

A plan is written by the real ``pairing solve`` on a small county (history, locks, two-village
unit); each case edits one thing with openpyxl, as a planner would in Excel, saves, and runs
the real ``pairing verify`` in a subprocess, without ``--input``. Each must exit 5 with an
``EDT`` line naming the sheet and, where a cell was changed, its row and column; the plan as
written, and the plan merely re-saved, verify (exit 0).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

from .edits import ASSIGNMENTS, find_row, get_cell, records, set_cell, summary_row
from .plans import header_index, small_county, write_input

ARRANGEMENT = "结对安排表 arrangement"  # title in row 1, header in row 2
BY_VILLAGE = "村视图 by_village"
STRENGTH = "村力量 strength"
BY_UNIT = "单位视图 by_unit"
SUMMARY = "指标 summary"
CHECKS = "校验 checks"
PROVENANCE = "来源 provenance"
UNITS_COPY = "输入·单位 units"
AFTER_WRITING = re.compile(r"after (the plan|it) was written|expected")


def pairing(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed ``pairing`` command; return its exit code and output."""
    script = Path(sys.executable).with_name("pairing")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "pairing"]
    return subprocess.run([*command, *args], capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plan written by `pairing solve` on a small county."""
    folder = tmp_path_factory.mktemp("tampering")
    source = write_input(small_county(2026), folder / "input.xlsx")
    out = folder / "plan.xlsx"
    solved = pairing("solve", str(source), "-o", str(out), "-q")
    assert solved.returncode == 0, solved.stderr
    return out


@dataclass(frozen=True)
class Where:
    """Where the report must point: a sheet, and the row and column when a cell was edited.

    ``mention`` is a text the line must hold as well (a deleted column's header key).
    """

    sheet: str
    row: int | None = None
    column: str | None = None
    mention: str = ""

    def found_in(self, report: str) -> bool:
        """Return whether one ``[EDT]`` line of the report names this place."""
        for line in report.splitlines():
            if "[EDT]" not in line or self.sheet not in line or self.mention not in line:
                continue
            if self.row is not None and not re.search(rf"\brow {self.row}\b", line):
                continue
            if self.column is not None and f"column {self.column}" not in line:
                continue
            return True
        return False


def cell_at(workbook: Workbook, sheet: str, row: int, key: str, value: object) -> Where:
    """Set the cell of column ``key`` in ``row`` of ``sheet``; return where it is."""
    set_cell(workbook[sheet], row, key, value)
    return Where(sheet, row, get_column_letter(header_index(workbook[sheet], key)))


def renamed(text: object) -> str:
    """Return a text one character longer: a name that reads almost the same."""
    return f"{text}X"


def flipped(value: object) -> str:
    """Return 否 for 是 and 是 for anything else."""
    return "否" if value == "是" else "是"


def edit_pair(key: str, change: Callable[[object], object]) -> Callable[[Workbook], Where]:
    """Return an edit of column ``key`` on 结对方案's first pair row."""

    def edit(workbook: Workbook) -> Where:
        old = get_cell(workbook[ASSIGNMENTS], 2, key)
        return cell_at(workbook, ASSIGNMENTS, 2, key, change(old))

    return edit


def since_year(old: object) -> object:
    """Return another start year (a year where there was none)."""
    return 2020 if old in (None, "") else int(str(old)) - 1


def village_units(workbook: Workbook) -> Where:
    """List another village's units on 村视图's first row."""
    sheet = workbook[BY_VILLAGE]
    mine = get_cell(sheet, 2, "units")
    other = get_cell(sheet, find_row(sheet, lambda row: row["units"] != mine), "units")
    return cell_at(workbook, BY_VILLAGE, 2, "units", other)


def view_name(sheet: str, key: str) -> Callable[[Workbook], Where]:
    """Return an edit of the first partner's name (not its id) in a view's list on row 2.

    The finding must come from the re-derived cell ("recomputed"), not the seal alone.
    """

    def edit(workbook: Workbook) -> Where:
        old = str(get_cell(workbook[sheet], 2, key))
        name, rest = old.split(" (", 1)
        where = cell_at(workbook, sheet, 2, key, f"{renamed(name)} ({rest}")
        return Where(where.sheet, where.row, where.column, mention="recomputed")

    return edit


def unit_count(workbook: Workbook) -> Where:
    """Add one to the number of villages on 单位视图's first row."""
    old = get_cell(workbook[BY_UNIT], 2, "villages")
    return cell_at(workbook, BY_UNIT, 2, "villages", int(str(old)) + 1)


def summary_value(key: str, value: object) -> Callable[[Workbook], Where]:
    """Return an edit of the 指标 value of ``key``."""

    def edit(workbook: Workbook) -> Where:
        return cell_at(workbook, SUMMARY, summary_row(workbook, key), "value", value)

    return edit


def check_result(workbook: Workbook) -> Where:
    """Change the result of 校验's first rule."""
    old = get_cell(workbook[CHECKS], 2, "result")
    return cell_at(workbook, CHECKS, 2, "result", f"{old}（已复核）")


def delete_checks(workbook: Workbook) -> Where:
    """Delete the 校验 sheet."""
    del workbook[CHECKS]
    return Where(CHECKS)


def delete_column(key: str) -> Callable[[Workbook], Where]:
    """Return an edit that deletes 结对方案's column ``key``."""

    def edit(workbook: Workbook) -> Where:
        sheet = workbook[ASSIGNMENTS]
        column = header_index(sheet, key)
        sheet.delete_cols(column)
        return Where(ASSIGNMENTS, mention=f"({key})")

    return edit


def second_assignments(workbook: Workbook) -> Where:
    """Add a copy of 结对方案 (whose second sheet would a reader believe?)."""
    copy = workbook.copy_worksheet(workbook[ASSIGNMENTS])
    copy.title = "结对方案 assignments (2)"
    return Where(copy.title)


def copied_unit_name(workbook: Workbook) -> Where:
    """Rename a unit in the plan's copy of the input (the names would follow it)."""
    sheet = workbook[UNITS_COPY]
    return cell_at(workbook, UNITS_COPY, 2, "name", renamed(get_cell(sheet, 2, "name")))


def digest_rows_deleted(workbook: Workbook) -> Where:
    """Delete 来源's digest rows (a plan that cannot show it is as written)."""
    sheet = workbook[PROVENANCE]
    first = find_row(sheet, lambda row: str(row["key"]).startswith("sheet_sha256:"))
    sheet.delete_rows(first, sheet.max_row - first + 1)
    return Where(PROVENANCE)


def pair_village_town(workbook: Workbook) -> Where:
    """Give the first pair's village the town of a village elsewhere."""
    sheet = workbook[ASSIGNMENTS]
    towns = {row["town"] for _, row in records(sheet)}
    old = get_cell(sheet, 2, "town")
    other = next((town for town in sorted(map(str, towns)) if town != old), f"{old}外")
    return cell_at(workbook, ASSIGNMENTS, 2, "town", other)


def arrangement_cell(key: str, change: Callable[[object], object]) -> Callable[[Workbook], Where]:
    """Return an edit of column ``key`` on 结对安排表's first village row (row 3)."""

    def edit(workbook: Workbook) -> Where:
        sheet = workbook[ARRANGEMENT]
        column = next(
            int(cell.column or 0) for cell in sheet[2] if str(cell.value).endswith(f"({key})")
        )
        cell = sheet.cell(row=3, column=column)
        cell.value = change(cell.value)
        return Where(ARRANGEMENT, 3, get_column_letter(column))

    return edit


def arrangement_title(workbook: Workbook) -> Where:
    """Retitle the issued table."""
    workbook[ARRANGEMENT]["A1"] = "另一个县2027年结对共建安排表"
    return Where(ARRANGEMENT, 1, "A")


def strength_value(workbook: Workbook) -> Where:
    """Make 村力量's first village (the chart's first bar) one stronger."""
    old = get_cell(workbook[STRENGTH], 2, "strength")
    return cell_at(workbook, STRENGTH, 2, "strength", float(str(old)) + 1)


TAMPERINGS: dict[str, Callable[[Workbook], Where]] = {
    "strength chart value": strength_value,
    "arrangement unit name": arrangement_cell("unit_1", renamed),
    "arrangement village name": arrangement_cell("village", renamed),
    "arrangement continuity": arrangement_cell("continuity", lambda old: "新结对?"),
    "arrangement title": arrangement_title,
    "unit name": edit_pair("unit_name", renamed),
    "village name": edit_pair("village_name", renamed),
    "village town": pair_village_town,
    "unit system": edit_pair("system", lambda old: "另一系统"),
    "unit strength": edit_pair("strength", lambda old: float(str(old)) + 1),
    "continued": edit_pair("continued", flipped),
    "locked": edit_pair("locked", flipped),
    "since year": edit_pair("since_year", since_year),
    "village view units": village_units,
    "village view unit name": view_name(BY_VILLAGE, "units"),
    "unit view village name": view_name(BY_UNIT, "village_ids"),
    "unit view count": unit_count,
    "summary bound": summary_value("bound", 1.0),
    "summary status": summary_value("status", "OPTIMAL?"),
    "summary count": summary_value("villages_without_coordinates", 3),
    "checks edited": check_result,
    "checks deleted": delete_checks,
    "distance column deleted": delete_column("distance_km"),
    "term column deleted": delete_column("P13"),
    "second assignments sheet": second_assignments,
    "input copy edited": copied_unit_name,
    "digest rows deleted": digest_rows_deleted,
}


def test_the_plan_as_written_verifies(plan: Path) -> None:
    """The unedited plan exits 0 with no EDT finding."""
    result = pairing("verify", str(plan))
    assert result.returncode == 0, result.stdout[-3000:]
    assert "[EDT]" not in result.stdout


def test_a_resaved_plan_still_verifies(plan: Path, tmp_path: Path) -> None:
    """Opening the plan and saving it unchanged (openpyxl) changes no value: exit 0."""
    workbook = openpyxl.load_workbook(plan)
    workbook.save(tmp_path / "resaved.xlsx")
    result = pairing("verify", str(tmp_path / "resaved.xlsx"))
    assert result.returncode == 0, result.stdout[-3000:]


@pytest.mark.parametrize("name", sorted(TAMPERINGS))
def test_tampering_exits_5_naming_the_place(plan: Path, tmp_path: Path, name: str) -> None:
    """Each edit exits 5; an EDT line names the sheet (row and column of an edited cell)."""
    workbook = openpyxl.load_workbook(plan)
    where = TAMPERINGS[name](workbook)
    edited = tmp_path / "edited.xlsx"
    workbook.save(edited)
    result = pairing("verify", str(edited))
    assert result.returncode == 5, result.stdout[-3000:]
    assert where.found_in(result.stdout), (where, result.stdout[-3000:])
    assert AFTER_WRITING.search(result.stdout), result.stdout[-3000:]  # says why, in words
