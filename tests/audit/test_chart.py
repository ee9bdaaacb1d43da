"""The audit's per-unit view as a person reads it: lowest completion first, charted by unit
name, the lagging threshold drawn as a line, the bars under it red; partners by name."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import openpyxl
from openpyxl.chart import BarChart, LineChart
from openpyxl.worksheet.worksheet import Worksheet

from pairing.audit import read_ledger, run_audit, write_audit
from pairing.audit.workbook import BELOW_COLOUR
from pairing.verify import read_grids

from .conftest import LedgerCase

UNITS = "单位合规 by_unit"


def written(case: LedgerCase, target: Path, threshold: float | None = None) -> Worksheet:
    """The 单位合规 sheet of the case's audit (at ``threshold`` when given)."""
    ledger = read_ledger(read_grids(case.ledger), case.ledger.name)
    plan = case.audit_plan
    if threshold is not None:
        settings = dataclasses.replace(plan.problem.settings, lagging_threshold=threshold)
        problem = dataclasses.replace(plan.problem, settings=settings)
        plan = dataclasses.replace(plan, problem=problem)
    write_audit(run_audit(plan, ledger), target)
    return openpyxl.load_workbook(target)[UNITS]


def columns(sheet: Worksheet) -> dict[str, int]:
    """Each header's English key -> 1-based column."""
    return {str(c.value).rsplit("(", 1)[1].rstrip(")"): c.column for c in sheet[1] if c.value}


def test_units_are_sorted_by_completion_and_charted_by_name(
    generated: LedgerCase, tmp_path: Path
) -> None:
    """Rows run from the lowest completion up (units owing nothing last); the chart's bars are
    those rows' completions, labelled by the unit names of column B."""
    sheet = written(generated, tmp_path / "audit.xlsx")
    at = columns(sheet)
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    rates = [row[at["completion"] - 1] for row in rows]
    owed = [rate for rate in rates if rate is not None]
    assert owed == sorted(owed) and rates[: len(owed)] == owed and len(set(owed)) > 1
    charts = sheet._charts
    assert len(charts) == 1
    chart = charts[0]
    assert isinstance(chart, BarChart)
    bars = chart.series[0]
    last = 1 + len(owed)
    assert bars.val.numRef.f == f"'{UNITS}'!$K$2:$K${last}"
    assert bars.cat.strRef.f == f"'{UNITS}'!$B$2:$B${last}"  # names, not ids
    assert [row[1] for row in rows[:3]] == [
        sheet.cell(row=r, column=2).value for r in range(2, 5)
    ] and all(isinstance(row[1], str) and not str(row[1]).startswith("U") for row in rows[:3])


def test_the_threshold_is_drawn_and_the_bars_under_it_are_red(
    generated: LedgerCase, tmp_path: Path
) -> None:
    """A line series holds the threshold on every charted row; exactly the rows below it are
    red; another threshold moves both."""
    for threshold in (0.8, 0.5):
        sheet = written(generated, tmp_path / f"audit{threshold}.xlsx", threshold)
        at = columns(sheet)
        chart = sheet._charts[0]
        lines = [c for c in getattr(chart, "_charts", []) if isinstance(c, LineChart)]
        assert len(lines) == 1
        line = lines[0].series[0]
        column = openpyxl.utils.get_column_letter(at["threshold"])
        assert line.val.numRef.f.startswith(f"'{UNITS}'!${column}$2")
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        charted = [row for row in rows if row[at["completion"] - 1] is not None]
        assert {row[at["threshold"] - 1] for row in charted} == {threshold}
        red = {
            p.idx
            for p in chart.series[0].dPt
            if str(p.graphicalProperties.solidFill.srgbClr).endswith(BELOW_COLOUR)
        }
        below = {i for i, row in enumerate(charted) if row[at["completion"] - 1] < threshold}
        assert red == below and below
        assert {row[0] for row in charted if row[at["lagging"] - 1] == "是"} == {
            row[0] for i, row in enumerate(charted) if i in below
        }


def test_partners_are_listed_by_name_and_id(generated: LedgerCase, tmp_path: Path) -> None:
    """单位合规's villages and 村合规's units read ``name (id)``."""
    sheet = written(generated, tmp_path / "audit.xlsx")
    problem = generated.audit_plan.problem
    for row in sheet.iter_rows(min_row=2, values_only=True):
        for item in str(row[2] or "").split("、") if row[2] else []:
            name, identifier = item.rsplit(" (", 1)
            assert problem.village(identifier.rstrip(")")).name == name
    villages = openpyxl.load_workbook(tmp_path / "audit.xlsx")["村合规 by_village"]
    first = next(villages.iter_rows(min_row=2, values_only=True))
    name, identifier = str(first[3]).split("、")[0].rsplit(" (", 1)
    assert problem.unit(identifier.rstrip(")")).name == name
