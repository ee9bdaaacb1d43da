"""``verify_plan``: read a plan workbook and judge it from its data alone."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

from pairing.domain.model import Problem
from pairing.domain.rules import HARD_PAIRING_RULES, SOFT_PAIRING_RULES
from pairing.verify.integrity.arrangement import arrangement_findings
from pairing.verify.integrity.provenance import copy_findings, sha_findings
from pairing.verify.integrity.restated import restated_findings
from pairing.verify.integrity.sealed import sealed_findings
from pairing.verify.integrity.strength import strength_findings
from pairing.verify.reading.loading import load_plan
from pairing.verify.reading.plan_sheets import KeyValues
from pairing.verify.reading.schedule_sheet import read_schedule
from pairing.verify.report.findings import EDITED, INTEGRITY, PROVENANCE, TOTAL, Finding
from pairing.verify.report.render import Report
from pairing.verify.rules.compare import compare
from pairing.verify.rules.edit_price import edit_price_findings
from pairing.verify.rules.facts import facts_of
from pairing.verify.rules.hard import hard_rules
from pairing.verify.rules.places import Places
from pairing.verify.rules.soft import recompute
from pairing.verify.schedule.judge import horizon_of, schedule_findings

SCHEDULE_RULES = ("S01", "S02", "S03", "S04", "S05")


def checked_rules(problem: Problem, has_schedule: bool) -> tuple[str, ...]:
    """Return the rule ids a verification judges.

    ``has_schedule``: whether the plan has a 活动日程 sheet.

    Returns hard pairing rules, soft pairing rules, and the schedule's hard rules.
    """
    hard = [r for r in HARD_PAIRING_RULES if r != "P05" or problem.settings.max_tenure_years]
    schedule: list[str] = []
    if has_schedule:
        schedule = [*SCHEDULE_RULES, *(("S07",) if problem.members else ())]
    return (*hard, *SOFT_PAIRING_RULES, *schedule)


def stability_weighted(problem: Problem, summary: KeyValues) -> Problem:
    """``problem`` with the P18 weight the plan states when P18 was lexicographic.

    With a baseline and no P18 weight in 参数, each change cost the plan's own W (指标
    ``stability_weight``); its seal vouches for the number, and P18's points are then
    recomputed with it like any weight.
    """
    if not problem.baseline or "P18" in problem.settings.weights:
        return problem
    weight = summary.number("stability_weight") or 0.0
    weights = MappingProxyType({**problem.settings.weights, "P18": weight})
    return replace(problem, settings=replace(problem.settings, weights=weights))


def ordered(findings: list[Finding], checked: tuple[str, ...]) -> tuple[Finding, ...]:
    """Return findings grouped by rule (in checked order, then the verifier's own), by place.

    ``findings``: the findings, in the order found; ``checked``: the rule ids judged.

    Returns sorted by rule, sheet and row (a stable sort: ties keep their order).
    """
    rank = {rule: k for k, rule in enumerate((*checked, INTEGRITY, PROVENANCE, TOTAL, EDITED))}
    return tuple(sorted(findings, key=lambda f: (rank.get(f.rule, len(rank)), f.sheet, f.row or 0)))


def verify_plan(plan: Path, input_path: Path | None = None) -> Report:
    """Verify a plan workbook from its data alone.

    ``plan``: the plan workbook (``pairing solve`` output, possibly with a schedule);
    ``input_path``: the input it was made from (workbook or CSV folder); without it, the plan's own
    input copies are the input, and provenance is not checked.

    Returns findings, costs and totals.

    Raises ``InputError`` when a file cannot be read, or the plan has no assignments or input
    sheets.
    """
    loaded = load_plan(Path(plan), input_path)
    data, sheets, pairs = loaded.data, loaded.sheets, loaded.pairs
    problem = data.problem
    facts = facts_of(stability_weighted(problem, sheets.summary), loaded.year)
    findings: list[Finding] = [*data.findings, *sheets.findings, *pairs.findings]
    findings += hard_rules(facts, pairs, Places(data, sheets), sheets.assignments)
    comparison = compare(facts, recompute(facts, pairs.rows), sheets, pairs)
    findings += comparison.findings
    findings += edit_price_findings(comparison.total, sheets)
    schedule = read_schedule(loaded.grids)
    horizon = horizon_of(problem, loaded.year, sheets.schedule_facts)
    if schedule is not None:
        findings += schedule_findings(schedule, problem, pairs, horizon, data.sheet("settings"))
    findings += restated_findings(loaded.grids, data, facts, pairs)
    findings += arrangement_findings(loaded.grids, facts, pairs)
    findings += strength_findings(loaded.grids, problem, pairs)
    findings += sealed_findings(loaded.grids)
    if input_path is not None and loaded.input_grids is not None:
        findings += sha_findings(input_path, sheets.provenance)
        findings += copy_findings(loaded.input_grids, loaded.grids)
    checked = checked_rules(problem, schedule is not None)
    return Report(
        loaded.path.name,
        "方案内副本 the plan's copies" if input_path is None else str(input_path),
        checked,
        ordered(findings, checked),
        comparison.costs,
        comparison.total,
        comparison.objective,
        None if schedule is None else len(schedule.events),
        "" if schedule is None else f"{horizon.start}..{horizon.end}",
    )
