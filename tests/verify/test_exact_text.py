"""Formula-like names round-trip exactly: solve -> xlsx -> verify, as text cells, no ``'``.

DESIGN.md: text from a user is written as a text cell holding exactly that text; in xlsx no
``'`` is added (a text cell is never evaluated; the apostrophe would change the value a reader
gets back), CSV outputs keep OWASP's prefix. verify compares names exactly.
"""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from pairing.domain.model import Problem

from .edits import ASSIGNMENTS, records
from .plans import small_county, write_input
from .test_tampering import pairing

FORMULA_LIKE = ("=1+1", "+1+1", "-2+3", "@SUM(A1)")
BY_UNIT = "单位视图 by_unit"
UNITS_COPY = "输入·单位 units"


def formula_named(problem: Problem) -> Problem:
    """Return ``problem`` with every unit, village and town named like a formula."""
    units = tuple(
        replace(unit, name=f"{FORMULA_LIKE[k % 4]}{'' if k < 4 else k}")
        for k, unit in enumerate(problem.units)
    )
    villages = tuple(
        replace(village, name=FORMULA_LIKE[k % 4] + f"村{k}", town="=" + village.town)
        for k, village in enumerate(problem.villages)
    )
    return replace(problem, units=units, villages=villages, blackouts=())  # they name towns


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Problem, Path, Path]:
    """The problem, its input workbook and the plan `pairing solve` wrote from it."""
    folder = tmp_path_factory.mktemp("exact")
    problem = formula_named(small_county(2026))
    source = write_input(problem, folder / "input.xlsx")
    plan = folder / "plan.xlsx"
    solved = pairing("solve", str(source), "-o", str(plan), "-q")
    assert solved.returncode == 0, solved.stderr
    return problem, source, plan


def test_names_are_exact_text_cells_in_the_plan(written: tuple[Problem, Path, Path]) -> None:
    """Each name cell of 结对方案, 单位视图 and the input copy holds the exact name as text."""
    problem, _, plan = written
    names = {unit.id: unit.name for unit in problem.units}
    villages = {village.id: village for village in problem.villages}
    workbook = openpyxl.load_workbook(plan)
    checked = 0
    for sheet, id_key, name_key in (
        (ASSIGNMENTS, "unit_id", "unit_name"),
        (BY_UNIT, "unit_id", "name"),
        (UNITS_COPY, "unit_id", "name"),
    ):
        keys = [str(cell.value).rsplit("(", 1)[-1].rstrip(")") for cell in workbook[sheet][1]]
        column = keys.index(name_key) + 1
        for number, row in records(workbook[sheet]):
            cell = workbook[sheet].cell(number, column)
            assert cell.value == names[str(row[id_key])], (sheet, number, cell.value)
            assert cell.data_type == "s" and not str(cell.value).startswith("'")
            checked += 1
    for _, row in records(workbook[ASSIGNMENTS]):
        village = villages[str(row["village_id"])]
        assert (row["village_name"], row["town"]) == (village.name, village.town)
    assert checked >= len(problem.units)


def test_a_plan_with_formula_like_names_verifies(written: tuple[Problem, Path, Path]) -> None:
    """verify exits 0, from the plan's copies and against the input."""
    _, source, plan = written
    alone = pairing("verify", str(plan))
    assert alone.returncode == 0, alone.stdout[-3000:]
    against = pairing("verify", str(plan), "--input", str(source))
    assert against.returncode == 0, against.stdout[-3000:]


def test_a_quote_added_by_hand_is_caught(
    written: tuple[Problem, Path, Path], tmp_path: Path
) -> None:
    """A name given the old ``'`` prefix is not the name: exit 5 at its row and column."""
    _, _, plan = written
    workbook = openpyxl.load_workbook(plan)
    cell = workbook[ASSIGNMENTS]["E2"]
    cell.value = "'" + str(cell.value)
    workbook.save(tmp_path / "quoted.xlsx")
    result = pairing("verify", str(tmp_path / "quoted.xlsx"))
    assert result.returncode == 5
    assert any(
        "[EDT]" in line and "row 2" in line and "column E" in line and "expected" in line
        for line in result.stdout.splitlines()
    ), result.stdout[-3000:]


def csv_folder(workbook_path: Path, folder: Path) -> Path:
    """Write each sheet of an input workbook as ``<sheet>.csv`` (UTF-8), as a planner exports."""
    folder.mkdir()
    for sheet in openpyxl.load_workbook(workbook_path, read_only=True).worksheets:
        with (folder / f"{sheet.title}.csv").open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(sheet.iter_rows(values_only=True))
    return folder


def test_a_carriage_return_in_a_csv_name_verifies_against_the_input(tmp_path: Path) -> None:
    """A CSV name holding CR reads back from the plan as LF (XML): not an edit of the copy."""
    problem = small_county(2026)
    units = (replace(problem.units[0], name="第一\r单位"), *problem.units[1:])
    book = write_input(replace(problem, units=units), tmp_path / "input.xlsx")
    folder = csv_folder(book, tmp_path / "input")
    units_csv = folder / "单位 units.csv"
    text = units_csv.read_text(encoding="utf-8")  # the xlsx gave LF (XML); put the CR back
    assert '"第一\n单位"' in text
    units_csv.write_text(text.replace('"第一\n单位"', '"第一\r单位"'), encoding="utf-8")
    plan = tmp_path / "plan.xlsx"
    solved = pairing("solve", str(folder), "-o", str(plan), "-q")
    assert solved.returncode == 0, solved.stderr
    result = pairing("verify", str(plan), "--input", str(folder))
    assert result.returncode == 0, result.stdout[-3000:]
