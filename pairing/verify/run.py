"""``verify_plan``: read a plan workbook and judge it from its data alone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pairing.domain.errors import InputError, Issue
from pairing.domain.model import Problem
from pairing.domain.rules import HARD_PAIRING_RULES, SOFT_PAIRING_RULES
from pairing.verify.compare import compare
from pairing.verify.facts import facts_of
from pairing.verify.findings import Finding
from pairing.verify.grids import read_grids
from pairing.verify.inputs import INPUT_PREFIX, read_inputs
from pairing.verify.pairing_rules import hard_rules, resolve_pairs
from pairing.verify.places import Places
from pairing.verify.plan_sheets import ASSIGNMENTS, KeyValues, read_plan_sheets
from pairing.verify.provenance import copy_findings, sha_findings
from pairing.verify.report import Report
from pairing.verify.schedule_rules import schedule_findings
from pairing.verify.schedule_sheet import read_schedule
from pairing.verify.soft_terms import recompute
from pairing.verify.tables import find_table

SCHEDULE_RULES = ("S01", "S02", "S03", "S04", "S05")


def plan_year(problem: Problem, provenance: KeyValues) -> int:
    """Return the plan year: the setting, else the one the plan records, else next year.

    Parameters
    ----------
    problem
        The input.
    provenance
        The plan's 来源 sheet.

    Returns
    -------
    int
        The year.
    """
    if problem.settings.plan_year is not None:
        return problem.settings.plan_year
    recorded = provenance.number("plan_year")
    if recorded is not None and recorded.is_integer():
        return int(recorded)
    return dt.date.today().year + 1


def not_a_plan(path: Path) -> InputError:
    """Return the error for a workbook without a 结对方案 sheet.

    Parameters
    ----------
    path
        The workbook.

    Returns
    -------
    InputError
        Exit 3.
    """
    return InputError(
        [
            Issue(
                path.name,
                None,
                None,
                "不是 pairing 方案工作簿：找不到「结对方案 assignments」表及其表头",
                "not a pairing plan workbook: no '结对方案 assignments' sheet with its header",
            )
        ]
    )


def checked_rules(problem: Problem, has_schedule: bool) -> tuple[str, ...]:
    """Return the rule ids a verification judges.

    Parameters
    ----------
    problem
        The input.
    has_schedule
        Whether the plan has a 活动日程 sheet.

    Returns
    -------
    tuple[str, ...]
        Hard pairing rules, soft pairing rules, and the schedule's hard rules.
    """
    hard = [r for r in HARD_PAIRING_RULES if r != "P05" or problem.settings.max_tenure_years]
    schedule: list[str] = []
    if has_schedule:
        schedule = [*SCHEDULE_RULES, *(("S07",) if problem.members else ())]
    return (*hard, *SOFT_PAIRING_RULES, *schedule)


def verify_plan(plan: Path, input_path: Path | None = None) -> Report:
    """Verify a plan workbook from its data alone.

    Parameters
    ----------
    plan
        The plan workbook (``pairing solve`` output, possibly with a schedule).
    input_path
        The input it was made from (workbook or CSV folder); without it, the plan's own
        input copies are the input, and provenance is not checked.

    Returns
    -------
    Report
        Findings, costs and totals.

    Raises
    ------
    InputError
        When a file cannot be read, or the plan has no assignments or input sheets.
    """
    plan = Path(plan)
    grids = read_grids(plan)
    assignments = find_table(grids, ASSIGNMENTS)
    if assignments is None:
        raise not_a_plan(plan)
    input_grids = read_grids(input_path) if input_path is not None else None
    data = (
        read_inputs(grids, INPUT_PREFIX, plan)
        if input_grids is None or input_path is None
        else read_inputs(input_grids, "", input_path)
    )
    sheets = read_plan_sheets(grids, assignments)
    problem = data.problem
    year = plan_year(problem, sheets.provenance)
    facts = facts_of(problem, year)
    pairs = resolve_pairs(sheets, problem)
    findings: list[Finding] = [*data.findings, *sheets.findings, *pairs.findings]
    findings += hard_rules(facts, pairs, Places(data, sheets), sheets.assignments)
    comparison = compare(facts, recompute(facts, pairs.rows), sheets, pairs)
    findings += comparison.findings
    schedule = read_schedule(grids)
    if schedule is not None:
        findings += schedule_findings(schedule, problem, pairs, year, data.sheet("settings"))
    if input_path is not None and input_grids is not None:
        findings += sha_findings(input_path, sheets.provenance)
        findings += copy_findings(input_grids, grids)
    return Report(
        plan.name,
        "方案内副本 the plan's copies" if input_path is None else str(input_path),
        checked_rules(problem, schedule is not None),
        tuple(findings),
        comparison.costs,
        comparison.total,
        comparison.objective,
        None if schedule is None else len(schedule.events),
    )
