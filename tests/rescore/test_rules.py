"""The hard rules a hand edit must keep, judged on the example's pairs under stricter settings."""

from __future__ import annotations

import dataclasses

import pytest

from pairing.domain.edits import EditedPair, EditPrice, OriginalPlan
from pairing.domain.errors import RuleViolation
from pairing.domain.model import Problem
from pairing.io.planbook import read_plan
from pairing.solve.rescore import hard_violations, rescore

from .conftest import Solved


def pairs_of(solved: Solved) -> list[EditedPair]:
    """The solver's pairs as a planner's rows (row numbers as in 结对方案)."""
    plan = read_plan(solved.plan).plan
    return [EditedPair(k + 2, p.unit_id, p.village_id) for k, p in enumerate(plan.pairs)]


def stricter(problem: Problem, **settings: object) -> Problem:
    """The problem with some settings changed."""
    return dataclasses.replace(problem, settings=dataclasses.replace(problem.settings, **settings))


def rules_of(problem: Problem, pairs: list[EditedPair]) -> set[str]:
    return {issue.rule for issue in hard_violations(problem, pairs)}


def test_the_solvers_plan_breaks_no_hard_rule(solved: Solved) -> None:
    """Re-costed as it is: no violation, the solver's objective, no proof claimed."""
    plan = rescore(solved.problem, pairs_of(solved))
    original = read_plan(solved.plan).plan.facts
    assert plan.facts.objective == pytest.approx(original.objective, abs=1e-7)
    assert plan.facts.status == "HAND_EDITED" and not plan.facts.proven
    assert plan.facts.bound is None and plan.facts.gap is None and plan.facts.bound_method == ""


def test_hard_variants_and_the_distance_cap_are_named(solved: Solved) -> None:
    """P10_hard, P12_min_strength, P13_max_km and a short tenure each bind on this plan."""
    pairs = pairs_of(solved)
    cases = {
        "P10": ({"needs_hard": True}, "P10_hard"),
        "P12": ({"min_strength": 5.0}, "P12_min_strength"),
        "P13": ({"max_km": 50.0}, "P13_max_km"),
        "P05": ({"max_tenure_years": 1}, "max_tenure_years"),
    }
    for rule, (settings, words) in cases.items():
        issues = hard_violations(stricter(solved.problem, **settings), pairs)
        assert {i.rule for i in issues} == {rule}, rule
        assert all(words in i.zh and words in i.en and i.row for i in issues), rule
    assert not rules_of(stricter(solved.problem, max_km=80.0), pairs)


def test_a_repeated_system_breaks_p11_hard(solved: Solved) -> None:
    """Two units of one system given to one village, under P11_hard: its row and the system."""
    problem = solved.problem
    pairs = pairs_of(solved)
    assert not rules_of(stricter(problem, systems_hard=True), pairs)
    by_village: dict[str, list[int]] = {}
    for k, p in enumerate(pairs):
        by_village.setdefault(p.village_id, []).append(k)
    swap = None
    for v, (x, y) in by_village.items():
        system = problem.unit(pairs[x].unit_id).system
        for w, (z, _) in by_village.items():
            if w != v and problem.unit(pairs[z].unit_id).system == system:
                swap = (v, y, z)
                break
        if swap:
            break
    assert swap is not None
    village, y, z = swap
    edited = list(pairs)
    edited[y] = dataclasses.replace(pairs[y], unit_id=pairs[z].unit_id)
    edited[z] = dataclasses.replace(pairs[z], unit_id=pairs[y].unit_id)
    issues = [i for i in hard_violations(stricter(problem, systems_hard=True), edited)]
    mine = [i for i in issues if i.rule == "P11"]
    assert mine and f"村 {village} 的单位系统重复" in mine[0].zh and "P11_hard" in mine[0].en
    assert mine[0].row == min(pairs[y].row, pairs[by_village[village][0]].row)


def test_a_dropped_must_pair_names_its_rules_row(solved: Solved) -> None:
    """Removing a 必须 pair: P03 with the 指定 row and the ids (and P01/P02 for the gap)."""
    rule = next(r for r in solved.problem.rules if r.verb == "must")
    pairs = [
        p for p in pairs_of(solved) if (p.unit_id, p.village_id) != (rule.unit_id, rule.village_id)
    ]
    issues = hard_violations(solved.problem, pairs)
    must = [i for i in issues if i.rule == "P03"]
    assert len(must) == 1
    assert f"指定表第{rule.row}行必须 {rule.unit_id} 与 {rule.village_id} 结对" in must[0].zh
    with pytest.raises(RuleViolation) as raised:
        rescore(solved.problem, pairs)
    assert raised.value.exit_code == 5 and {"P01", "P02", "P03"} <= {
        i.rule for i in raised.value.violations
    }


def test_the_price_in_words() -> None:
    """Against a proven optimum, an unproven plan with a bound, and no objective at all."""
    proven = EditPrice(OriginalPlan(5000.0, 5000.0, True), 5037.5)
    assert proven.points == 37.5 and proven.pct == pytest.approx(0.75)
    assert proven.line() == (
        "手工调整多花 37.50 分，比最优方案高 0.8% / the hand edit costs 37.50 points more, 0.8% "
        "above the optimum"
    )
    unproven = EditPrice(OriginalPlan(5000.0, 4900.0, False), 4990.0)
    zh, en = unproven.words()
    assert zh.startswith("手工调整少花 10.00 分，比原方案低 0.2%") and "比其下界高 1.8%" in zh
    assert "not proven optimal" in en
    assert EditPrice(OriginalPlan(None, None, False), 1.0).points is None
    assert "+0.00" in EditPrice(OriginalPlan(10.0, 10.0, True), 10.0).line()
