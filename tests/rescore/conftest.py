"""The example solved once per session; each test edits a copy of its plan by hand."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from pairing.app.solve import SolveJob, solve_job
from pairing.domain.model import Problem
from pairing.io.reader import read_input

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "gaozhou.xlsx"
ASSIGNMENTS = "结对方案 assignments"
SUMMARY = "指标 summary"


@dataclass(frozen=True)
class Solved:
    """The example's plan workbook as the solver wrote it, and its input."""

    plan: Path
    problem: Problem


@pytest.fixture(scope="session")
def solved(tmp_path_factory: pytest.TempPathFactory) -> Solved:
    """The Gaozhou example, solved (proven optimal) once for every rescore test."""
    plan = tmp_path_factory.mktemp("rescore") / "plan.xlsx"
    solve_job(SolveJob(EXAMPLE, plan, time_limit_s=60))
    return Solved(plan, read_input(EXAMPLE).problem)


Edit = Callable[[Worksheet], None]


def edited_copy(solved: Solved, folder: Path, edit: Edit, name: str = "edited.xlsx") -> Path:
    """A copy of the solved plan with ``edit`` applied to its 结对方案 sheet (openpyxl, as a
    planner's spreadsheet would save it)."""
    path = folder / name
    shutil.copyfile(solved.plan, path)
    workbook = openpyxl.load_workbook(path)
    edit(workbook[ASSIGNMENTS])
    workbook.save(path)
    return path


def column(sheet: Worksheet, key: str) -> int:
    """The 1-based column whose header ends in ``(key)``."""
    for cell in sheet[1]:
        if str(cell.value).endswith(f"({key})"):
            return int(cell.column)
    raise LookupError(key)


def rows(sheet: Worksheet) -> list[tuple[int, str, str]]:
    """Every pair row as (Excel row, village_id, unit_id)."""
    v, u = column(sheet, "village_id"), column(sheet, "unit_id")
    return [
        (r, str(sheet.cell(r, v).value), str(sheet.cell(r, u).value))
        for r in range(2, sheet.max_row + 1)
        if sheet.cell(r, v).value
    ]


def summary(path: Path) -> dict[str, object]:
    """The 指标 sheet of a plan workbook as key -> value."""
    sheet = openpyxl.load_workbook(path, read_only=True)[SUMMARY]
    return {str(r[1]): r[2] for r in sheet.iter_rows(min_row=2, values_only=True)}
