"""村力量 (the data of 指标's chart) re-derived: each village's strength and its P12 target.

A row states its village's name, town and 典型村 as the input does, its strength as the sum of
its units' 帮扶力量 in the plan, its target as P12 sets it (re-derived by
:func:`pairing.verify.rules.soft.strength_target`, the verifier's own), and the shortfall between
them. A differing cell is an ``EDT`` finding with its row and column, so the chart a meeting sees
cannot show a village stronger than its units make it.
"""

from __future__ import annotations

from pairing.domain.model import Problem, Village
from pairing.verify.integrity.restated import RECOMPUTED, STRENGTH, Checker, Expected, owned_rows
from pairing.verify.reading.grids import Grids
from pairing.verify.reading.tables import find_table
from pairing.verify.report.findings import Finding
from pairing.verify.rules.hard import PlanPairs
from pairing.verify.rules.soft import TENTHS, strength_target


def strength_cells(problem: Problem, village: Village, units: list[str]) -> dict[str, Expected]:
    """Return what a 村力量 row states about ``village``, whose units in the plan are ``units``."""
    have = float(sum(problem.unit(unit_id).strength for unit_id in units))
    want = strength_target(problem, village) / TENTHS
    return {
        "name": village.name,
        "town": village.town,
        "typical": "是" if village.typical else "否",
        "strength": have,
        "target": want,
        "shortfall": max(0.0, want - have),
    }


def strength_findings(grids: Grids, problem: Problem, pairs: PlanPairs) -> list[Finding]:
    """Return every 村力量 cell that differs from the input and the plan's pairs.

    Returns ``EDT`` findings with row and column; a plan without the sheet (written before it
    existed) is not judged here, and a deleted one is the seal's finding.
    """
    table = find_table(grids, STRENGTH)
    if table is None:
        return []
    checker, members = Checker(table, STRENGTH), pairs.of_village()
    found: list[Finding] = checker.missing_columns()
    rows = owned_rows(table, "village_id", problem.village_index, "村", "village", found)
    for number, values in rows:
        village = problem.village(table.text(values, "village_id"))
        expected = strength_cells(problem, village, members.get(village.id, []))
        found += checker.row(number, values, expected, RECOMPUTED)
    return found
