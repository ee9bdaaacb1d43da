"""P18 stability on hand-built counties: it binds, it does not, forced pairs are free, and the
lexicographic optimum equals enumeration (fewest changes, then the least rest)."""

from __future__ import annotations

import itertools
import random
from dataclasses import replace
from types import MappingProxyType

import pytest

from pairing.domain.changes import baseline_changes, change_counts
from pairing.domain.model import (
    BaselinePair,
    PairRule,
    PastPairing,
    Problem,
    Settings,
    Unit,
    UnitChange,
    Village,
)
from pairing.domain.pairs import PairFacts
from pairing.solve.optimize import SolveOptions, solve
from pairing.solve.stability import rest_ceiling, with_stability
from pairing.solve.terms import evaluate

SEAT = (21.90, 110.85)


def unit(uid: str, east: float, **kw: object) -> Unit:
    """A unit ``east`` km east of the county seat (one village unless told)."""
    return replace(
        Unit(uid, f"单位{uid}", lat=SEAT[0], lon=SEAT[1] + east / 103.0),
        **kw,  # type: ignore[arg-type]
    )


def village(vid: str, east: float, **kw: object) -> Village:
    """A village of one place ``east`` km east of the county seat."""
    base = Village(vid, f"村{vid}", "甲镇", SEAT[0], SEAT[1] + east / 103.0, units_required=1)
    return replace(base, **kw)  # type: ignore[arg-type]


def county(weights: dict[str, float], pairs: tuple[tuple[str, str], ...], **kw: object) -> Problem:
    """Two units and two villages: the cheap plan is U1-V1, U2-V2 (0 and 0 km away)."""
    settings = Settings(plan_year=2027, weights=MappingProxyType(weights))
    problem = Problem(
        units=(unit("U1", 0.0), unit("U2", 50.0)),
        villages=(village("V1", 0.0), village("V2", 50.0)),
        settings=settings,
        baseline=tuple(BaselinePair(u, v, u) for u, v in pairs),
    )
    return replace(problem, **kw)  # type: ignore[arg-type]


DISTANCE_ONLY = {"P13": 1.0}
CROSSED = (("U1", "V2"), ("U2", "V1"))  # the baseline: the dear plan


def chosen_ids(problem: Problem, options: SolveOptions | None = None) -> set[tuple[str, str]]:
    """The pairs ``solve`` chooses, as (unit id, village id)."""
    plan, _ = solve(problem, options or SolveOptions(time_limit_s=10))
    return {(p.unit_id, p.village_id) for p in plan.pairs}


def test_without_a_baseline_the_cheap_plan_wins() -> None:
    assert chosen_ids(county(DISTANCE_ONLY, ())) == {("U1", "V1"), ("U2", "V2")}


def test_lexicographic_p18_keeps_the_baseline_whatever_it_costs() -> None:
    """No P18 weight: the fewest changes first, although the crossed plan costs 100 km more."""
    problem = county(DISTANCE_ONLY, CROSSED)
    plan, _ = solve(problem, SolveOptions(time_limit_s=10))
    assert {(p.unit_id, p.village_id) for p in plan.pairs} == set(CROSSED)
    assert plan.kpis["baseline_changed"] == 0 and plan.kpis["stability_lexicographic"] == 1
    assert plan.kpis["stability_weight"] > rest_ceiling(problem)
    assert plan.facts.proven


@pytest.mark.parametrize(("weight", "kept"), [(10.0, False), (200.0, True)])
def test_a_p18_weight_trades_changes_against_points(weight: float, kept: bool) -> None:
    """Two changes save about 100 km: at 10 a change they are worth it, at 200 not."""
    problem = county({**DISTANCE_ONLY, "P18": weight}, CROSSED)
    plan, _ = solve(problem, SolveOptions(time_limit_s=10))
    assert ({(p.unit_id, p.village_id) for p in plan.pairs} == set(CROSSED)) is kept
    assert plan.kpis["stability_lexicographic"] == 0
    assert plan.totals.get("P18", 0.0) == (0.0 if kept else 2 * weight)


def test_a_forbidden_baseline_pair_is_forced_and_costs_nothing() -> None:
    """禁止 U1-V2 now: that pair is forced (free). U1 can then only take V1, so U2-V1 must
    change as well: one forced, one changed."""
    forbid = (PairRule("U1", "V2", "forbid", row=5),)
    problem = county(DISTANCE_ONLY, CROSSED, rules=forbid)
    plan, _ = solve(problem, SolveOptions(time_limit_s=10))
    rows = baseline_changes(problem, ((p.unit_id, p.village_id) for p in plan.pairs))
    fates = {(r.unit_id, r.village_id): (r.status, r.reason) for r in rows}
    assert fates[("U1", "V2")] == ("forced", "禁止（指定表第5行）")
    assert fates[("U2", "V1")][0] == "changed"  # U2 had to leave V1: its only unit left is U1
    assert plan.kpis["baseline_forced"] == 1 and plan.kpis["baseline_changed"] == 1


def test_a_merged_units_baseline_pair_is_the_new_units() -> None:
    """U9 merged into U2: its baseline pair U9-V1 is read as U2-V1 and kept."""
    problem = county(
        DISTANCE_ONLY,
        (),
        baseline=(BaselinePair("U2", "V1", "U9"), BaselinePair("U1", "V2", "U1")),
        unit_changes=(UnitChange("U9", "U2", "merge", row=2),),
    )
    plan, _ = solve(problem, SolveOptions(time_limit_s=10))
    rows = baseline_changes(problem, ((p.unit_id, p.village_id) for p in plan.pairs))
    assert (rows[0].status, rows[0].reason) == ("kept", "单位合并：U9 并入 U2")
    assert change_counts(rows)["changed"] == 0


def test_a_removed_units_pair_is_forced() -> None:
    problem = county(
        DISTANCE_ONLY,
        (),
        baseline=(BaselinePair("", "V1", "U7"),),
        unit_changes=(UnitChange("U7", "", "removed", row=3),),
    )
    plan, _ = solve(problem, SolveOptions(time_limit_s=10))
    assert plan.kpis["baseline_forced"] == 1
    rows = baseline_changes(problem, ((p.unit_id, p.village_id) for p in plan.pairs))
    assert rows[0].reason == "单位撤销：U7（单位变更表第3行）"


# --- the lexicographic optimum against enumeration ----------------------------------------


def random_county(rng: random.Random) -> Problem:
    """Up to 5 units and 3 villages, needs, systems, strengths, history, rules, a baseline of
    random pairs (some now barred), big and small weights, and hard variants."""
    towns = ("甲镇", "乙镇")
    units = tuple(
        Unit(f"U{i}", f"U{i}", rng.choice(("党群", "政法", "")), float(rng.randint(1, 4)),
             skills=frozenset(rng.sample(("水利", "教育", "电商"), rng.randint(0, 2))),
             min_villages=rng.choice((0, 1)), max_villages=rng.choice((1, 1, 2)),
             lat=SEAT[0] + rng.uniform(-0.2, 0.2), lon=SEAT[1] + rng.uniform(-0.2, 0.2))
        for i in range(rng.randint(3, 5))
    )  # fmt: skip
    villages = tuple(
        Village(f"V{i}", f"V{i}", rng.choice(towns), SEAT[0] + rng.uniform(-0.2, 0.2),
                SEAT[1] + rng.uniform(-0.2, 0.2),
                needs=frozenset(rng.sample(("水利", "教育", "电商"), rng.randint(0, 2))),
                typical=rng.random() < 0.3, units_required=rng.choice((1, 1, 2)))
        for i in range(rng.randint(1, 3))
    )  # fmt: skip
    pairs = [(u.id, v.id) for u in units for v in villages]
    history = tuple(
        PastPairing(u, v, rng.randint(2018, 2026), None, rng.choice(("好", "中", "差", None)))
        for u, v in rng.sample(pairs, rng.randint(0, 2))
    )
    rules = tuple(PairRule(u, v, "forbid") for u, v in rng.sample(pairs, rng.randint(0, 1)))
    baseline = tuple(
        BaselinePair(u, v, u) for u, v in rng.sample(pairs, rng.randint(1, len(pairs)))
    )
    weights = {
        "P10": rng.choice((0.0, 30.0, 1000.0)),
        "P11": rng.choice((0.0, 20.0)),
        "P12": rng.choice((0.0, 10.0)),
        "P13": rng.choice((0.0, 1.0, 7.3)),
        "P14": rng.choice((0.0, 40.0)),
        "P15": rng.choice((0.0, 25.0)),
        "P16": 30.0,
        "P17": 5.0,
    }
    settings = Settings(
        plan_year=2027,
        weights=MappingProxyType(weights),
        needs_hard=rng.random() < 0.15,
        systems_hard=rng.random() < 0.15,
        max_km=rng.choice((None, None, 25.0)),
        max_tenure_years=rng.choice((None, 4)),
    )
    return Problem(units, villages, history, rules, settings, baseline=baseline)


def lexicographic_best(problem: Problem) -> tuple[int, float] | None:
    """(fewest changes, least rest) over every plan the hard rules allow, by enumeration."""
    facts = PairFacts(problem)
    n_units = len(problem.units)
    teams = [
        [
            team
            for team in itertools.combinations(range(n_units), v.units_required)
            if all(facts.blocked((u, i)) is None for u in team)
        ]
        for i, v in enumerate(problem.villages)
    ]
    best: tuple[int, float] | None = None
    for choice in itertools.product(*teams):
        plan = {(u, v) for v, team in enumerate(choice) for u in team}
        if not _holds(problem, plan):
            continue
        ids = {(problem.units[u].id, problem.villages[v].id) for u, v in plan}
        changes = change_counts(baseline_changes(problem, ids))["changed"]
        rest = evaluate(problem, plan).total_points()
        if best is None or (changes, rest) < (best[0], best[1] - 1e-9):
            best = (changes, rest)
    return best


def _holds(problem: Problem, plan: set[tuple[int, int]]) -> bool:
    """P02 and the hard variants P10_hard / P11_hard on an enumerated plan."""
    settings = problem.settings
    for i, u in enumerate(problem.units):
        if not u.min_villages <= sum(1 for p in plan if p[0] == i) <= u.max_villages:
            return False
    for j, v in enumerate(problem.villages):
        members = [problem.units[i] for i, w in plan if w == j]
        skills = set().union(*(m.skills for m in members))
        systems = [m.system for m in members if m.system]
        if settings.needs_hard and not v.needs <= skills:
            return False
        if settings.systems_hard and len(systems) != len(set(systems)):
            return False
    return True


@pytest.mark.parametrize("seed", range(60))
def test_lexicographic_solve_equals_enumeration(seed: int) -> None:
    """solve's plan has the fewest changes and, among those plans, the least rest."""
    from pairing.domain.errors import InfeasibleError

    problem = random_county(random.Random(seed))
    best = lexicographic_best(problem)
    try:
        plan, _ = solve(problem, SolveOptions(time_limit_s=10))
    except InfeasibleError:
        assert best is None
        return
    assert best is not None
    assert plan.kpis["baseline_changed"] == best[0]
    weight = with_stability(problem).settings.weight("P18")
    rest = plan.facts.objective - weight * best[0]
    assert rest == pytest.approx(best[1], rel=1e-6, abs=1e-6)
