"""Compare what the plan claims with what the verifier recomputed, cell by cell.

Per pair (结对方案: P13, P14, P17, 路程公里, 本对得分), per village (村视图: P10-P12), per unit
(单位视图: P14-P17), per rule (指标 ``points_Pxx``) and in total (指标 ``objective``). Every
term agrees within 1e-6 points or is a finding under its rule id (``TOT`` for sums); a blank
cell claims 0, a missing ``points_Pxx`` row claims 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pairing.domain.plan_schema import (
    OBJECTIVE,
    PAIR_RULES,
    POINTS_PREFIX,
    UNIT_RULES,
    VILLAGE_RULES,
)
from pairing.domain.rules import SOFT_PAIRING_RULES
from pairing.verify.reading.plan_sheets import Claimed, PlanSheets
from pairing.verify.report.findings import INTEGRITY, TOTAL, Finding, TermCost, same_points
from pairing.verify.rules.facts import Facts, PairKey
from pairing.verify.rules.hard import PlanPairs
from pairing.verify.rules.soft import COST_UNITS, Costs

KM_TOLERANCE = 0.05  # 路程公里 is written to 0.1 km
Subject = tuple[str, str]  # what a row is about, in Chinese and in English


@dataclass(frozen=True, slots=True)
class Comparison:
    """The outcome of the comparison: mismatches, cost per soft rule and the totals.

    - ``findings``: every disagreement, located.
    - ``costs``: recomputed and reported points of each soft rule P10-P17.
    - ``total``: recomputed total points.
    - ``objective``: the plan's 指标 ``objective`` (``None`` when absent or unreadable).
    """

    findings: tuple[Finding, ...]
    costs: tuple[TermCost, ...]
    total: float
    objective: float | None


def points(terms: Mapping[str, int] | None, rule: str) -> float:
    """Return one term of an owner in points (0 when it has none).

    ``terms``: the owner's cost units by rule, or ``None``; ``rule``: the rule id.

    Returns points.
    """
    return (terms or {}).get(rule, 0) / COST_UNITS


def mismatches(
    claim: Claimed, expected: Mapping[str, float], sheet: str, what: Subject
) -> list[Finding]:
    """Return a finding for each claimed cell that differs from the recomputed value.

    - ``claim``: the row's claimed numbers.
    - ``expected``: column key -> recomputed points.
    - ``sheet``: the sheet's name.
    - ``what``: the row's subject in Chinese and in English (``("村 V001 ", "village V001")``).

    Returns one per differing cell, under the column's rule id (``TOT`` for ``pair_points``).
    """
    found = []
    for key, value in expected.items():
        if key not in claim.values:
            continue
        stated = claim.values[key] or 0.0
        if not same_points(stated, value):
            rule = TOTAL if key == "pair_points" else key
            found.append(
                Finding(
                    rule,
                    sheet,
                    claim.row,
                    f"{what[0]}的 {key} 写为 {stated:g}，重算为 {value:.2f}",
                    f"{what[1]}: {key} says {stated:g}, recomputed {value:.2f}",
                )
            )
    return found


def pair_findings(facts: Facts, costs: Costs, sheets: PlanSheets, plan: PlanPairs) -> list[Finding]:
    """Compare each pair row's terms, points and distance with the recomputed ones.

    - ``costs``: the recomputed points.
    - ``sheets``: the plan's sheets.
    - ``plan``: the plan's distinct pairs.

    Returns the disagreements.
    """
    found = []
    for row in sheets.pairs:
        key = (row.unit_id, row.village_id)
        if plan.rows.get(key) != row.row:
            continue  # unknown or repeated: an integrity finding already
        terms = costs.pairs.get(key)
        expected = {rule: points(terms, rule) for rule in PAIR_RULES}
        expected["pair_points"] = sum((terms or {}).values()) / COST_UNITS
        what = (f"结对 {key[0]}—{key[1]} ", f"pair {key[0]}-{key[1]}")
        found += mismatches(row.claimed, expected, sheets.assignments, what)
        found += distance_findings(facts, key, row.claimed, sheets.assignments, what)
    return found


def distance_findings(
    facts: Facts, pair: PairKey, claim: Claimed, sheet: str, what: Subject
) -> list[Finding]:
    """Compare a pair's 路程公里 with the recomputed road km (to 0.1 km).

    - ``pair``: the pair.
    - ``claim``: the pair row's claimed numbers.
    - ``sheet``: the sheet's name.
    - ``what``: the pair in Chinese and in English.

    Returns A P13 finding when they differ.
    """
    if "distance_km" not in claim.values:
        return []
    stated = claim.values["distance_km"]
    km = facts.km(pair)
    if stated is None and km is None:
        return []
    if stated is not None and km is not None and abs(stated - km) <= KM_TOLERANCE + 1e-9:
        return []
    shown = "-" if km is None else f"{km:.1f}"
    return [
        Finding(
            "P13",
            sheet,
            claim.row,
            f"{what[0]}的路程写为 {stated if stated is not None else '空'} 公里，重算为 {shown}",
            f"{what[1]}: distance_km says {stated}, recomputed {shown}",
        )
    ]


def view_findings(
    view: Mapping[str, Claimed] | None,
    sheet: str,
    owners: list[str],
    terms: Mapping[str, Mapping[str, int]],
    rules: tuple[str, ...],
    word: Subject,
) -> list[Finding]:
    """Compare a view's rows (村视图 or 单位视图) with the recomputed terms.

    - ``view``: the view's rows by id, or ``None`` when the sheet is missing.
    - ``sheet``: the view's name.
    - ``owners``: every village (or unit) id of the input.
    - ``terms``: recomputed cost units by owner.
    - ``rules``: the view's rule columns.
    - ``word``: ``("村", "village")`` or ``("单位", "unit")``.

    Returns disagreements, and an ``INT`` finding for a missing sheet or row.
    """
    if view is None:
        return [Finding(INTEGRITY, sheet, None, "方案缺少此工作表", "the plan lacks this sheet")]
    found = []
    for owner in owners:
        claim = view.get(owner)
        if claim is None:
            found.append(
                Finding(
                    INTEGRITY,
                    sheet,
                    None,
                    f"缺少{word[0]} {owner} 的行",
                    f"no row for {word[1]} {owner}",
                )
            )
            continue
        expected = {rule: points(terms.get(owner), rule) for rule in rules}
        found += mismatches(claim, expected, sheet, (f"{word[0]} {owner} ", f"{word[1]} {owner}"))
    return found


def rule_costs(costs: Costs, sheets: PlanSheets) -> tuple[list[TermCost], list[Finding]]:
    """Return recomputed vs reported points per soft rule, with the 指标 rows that differ.

    ``costs``: the recomputed points; ``sheets``: the plan's sheets.

    Returns the cost of each rule P10-P17, and the findings.
    """
    totals = costs.totals()
    summary = sheets.summary
    table, found = [], []
    for rule in SOFT_PAIRING_RULES:
        reported = summary.number(POINTS_PREFIX + rule)
        cost = TermCost(rule, totals.get(rule, 0) / COST_UNITS, reported or 0.0)
        table.append(cost)
        if not cost.agrees:
            row = summary.values.get(POINTS_PREFIX + rule, (None, None))[0]
            found.append(
                Finding(
                    rule,
                    summary.sheet,
                    row,
                    f"points_{rule} 写为 {cost.reported:g}，重算为 {cost.recomputed:.2f}",
                    f"points_{rule} says {cost.reported:g}, recomputed {cost.recomputed:.2f}",
                )
            )
    return table, found


def objective_findings(total: float, sheets: PlanSheets) -> list[Finding]:
    """Compare the plan's objective with the recomputed total.

    ``total``: recomputed total points; ``sheets``: the plan's sheets.

    Returns A ``TOT`` finding when they differ or the objective is missing.
    """
    summary = sheets.summary
    objective = summary.number(OBJECTIVE)
    row = summary.values.get(OBJECTIVE, (None, None))[0]
    if objective is None:
        return [
            Finding(TOTAL, summary.sheet, row, "缺少目标值 objective", "the objective is missing")
        ]
    if same_points(objective, total):
        return []
    return [
        Finding(
            TOTAL,
            summary.sheet,
            row,
            f"目标值写为 {objective:g}，各项重算合计 {total:.2f}",
            f"the objective says {objective:g}; the recomputed terms add up to {total:.2f}",
        )
    ]


def compare(facts: Facts, costs: Costs, sheets: PlanSheets, plan: PlanPairs) -> Comparison:
    """Compare every claimed number of the plan with the recomputed one.

    - ``costs``: the recomputed points.
    - ``sheets``: the plan's sheets.
    - ``plan``: the plan's distinct pairs.

    Returns findings, cost per rule, recomputed total and the plan's objective.
    """
    problem = facts.problem
    table, summary_findings = rule_costs(costs, sheets)
    total = sum(costs.totals().values()) / COST_UNITS
    findings = [
        *pair_findings(facts, costs, sheets, plan),
        *view_findings(
            sheets.villages,
            sheets.village_sheet,
            [v.id for v in problem.villages],
            costs.villages,
            VILLAGE_RULES,
            ("村", "village"),
        ),
        *view_findings(
            sheets.units,
            sheets.unit_sheet,
            [u.id for u in problem.units],
            costs.units,
            UNIT_RULES,
            ("单位", "unit"),
        ),
        *summary_findings,
        *objective_findings(total, sheets),
    ]
    return Comparison(tuple(findings), tuple(table), total, sheets.summary.number(OBJECTIVE))
