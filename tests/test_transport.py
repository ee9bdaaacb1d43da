"""Pair-separable problems go to the min-cost flow: exactly when, and its plan is optimal.

A plan's cost is a constant plus one cost per pair when only P13, P14, P16 and P17 can tell
plans apart; the flow then solves it over every allowed pair and proves it. Compared here with
exhaustive enumeration on tiny random counties (hard rules written from models/README.md, not
from the model's code), with the priced graph (potentials) as well as the full one, and a plan
of the kind `pairing verify` checks in a subprocess.
"""

from __future__ import annotations

import csv
import itertools
import random
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pytest

from pairing.cpsat.pairing.flow import Transport, potentials, ship
from pairing.domain.geo import great_circle_km
from pairing.domain.model import PairRule, PastPairing, Problem, Score, Settings, Unit, Village
from pairing.domain.pairs import Pair, PairFacts
from pairing.io import build
from pairing.io.tables import RawTable
from pairing.solve import transport
from pairing.solve.candidates import CandidateDraws
from pairing.solve.instance import Coefficients
from pairing.solve.optimize import SolveOptions, solve
from pairing.solve.pricing import CHUNK_CELLS, TeamSpace
from pairing.solve.terms import evaluate

SEAT = (21.90, 110.85)
YEAR = 2027
LINEAR = {"P10": 0.0, "P11": 0.0, "P12": 0.0, "P15": 0.0}


def settings(**changes: object) -> Settings:
    """Settings with only pair-separable weights on (P13, P14, P16, P17 at their defaults)."""
    weights = dict(Settings().weights)
    weights.update(LINEAR)
    weights.update({k: v for k, v in changes.items() if k.startswith("P") and "_" not in k})
    fields = {k: v for k, v in changes.items() if not (k.startswith("P") and "_" not in k)}
    return replace(Settings(plan_year=YEAR, weights=MappingProxyType(weights)), **fields)  # type: ignore[arg-type]


def unit(uid: str, *, east: float = 0.0, low: int = 0, high: int = 1, **kw: object) -> Unit:
    """A unit ``east`` km east of the county seat."""
    return Unit(
        uid, uid, str(kw.get("system", "")), float(kw.get("strength", 1.0)), None,  # type: ignore[arg-type]
        frozenset(kw.get("skills", ())), low, high, SEAT[0], SEAT[1] + east / 103.0,  # type: ignore[call-overload]
    )  # fmt: skip


def village(vid: str, *, east: float = 10.0, required: int = 1, **kw: object) -> Village:
    """A village ``east`` km east of the county seat."""
    return Village(
        vid, vid, str(kw.get("town", "甲镇")), SEAT[0], SEAT[1] + east / 103.0,
        needs=frozenset(kw.get("needs", ())), typical=bool(kw.get("typical", False)),  # type: ignore[call-overload]
        units_required=required,
    )  # fmt: skip


def cost(problem: Problem, pairs: set[Pair]) -> int:
    """A plan's cost in cost units, by the account."""
    return sum(evaluate(problem, pairs).totals().values())


# --- when the flow is taken -----------------------------------------------------------------


def base(**kw: object) -> Problem:
    """Three units, two villages of two places; scores only."""
    units = kw.pop("units", (unit("U1"), unit("U2", east=5), unit("U3", east=9), unit("U4")))
    villages = kw.pop("villages", (village("V1", required=2), village("V2", required=2)))
    scores = (Score("U1", "V1", 3.0), Score("U2", "V2", 1.5))
    return Problem(units, villages, scores=scores, settings=settings(**kw))  # type: ignore[arg-type]


def test_only_pair_separable_rules_take_the_flow() -> None:
    """P13/P14/P16/P17 alone, and rules that cannot tell plans apart, are separable."""
    assert transport.nonseparable_rules(base()) == []
    # P10 on, but no village has a need a unit can meet: every plan pays the same.
    no_needs = base(P10=30.0)
    assert transport.separable(no_needs)
    # P12 on, but every unit has the same strength: every village's strength is fixed by P01.
    typical = (village("V1", required=2, typical=True), village("V2", required=2))
    assert transport.separable(base(P12=10.0, villages=typical))
    # P15 on, but no unit takes two villages.
    assert transport.separable(base(P15=25.0))


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"P10": 30.0, "skills": True}, "P10"),
        ({"needs_hard": True, "skills": True}, "P10_hard"),
        ({"P11": 20.0, "systems": True}, "P11"),
        ({"systems_hard": True, "systems": True}, "P11_hard"),
        ({"P12": 10.0, "strengths": True}, "P12"),
        ({"min_strength": 1.5, "strengths": True}, "P12_min_strength"),
        ({"min_strength": 9.0}, "P12_min_strength"),  # one strength, and the floor fails
        ({"P15": 25.0, "several": True}, "P15"),
    ],
)
def test_a_non_separable_rule_takes_the_search(changes: dict[str, object], rule: str) -> None:
    """P10, P11, P12, P15 or a hard variant that can bind sends the problem to the search."""
    changes = dict(changes)
    skills, systems = changes.pop("skills", False), changes.pop("systems", False)
    strengths, several = changes.pop("strengths", False), changes.pop("several", False)
    units = (
        unit("U1", skills=("电商",) if skills else (), system="农业" if systems else ""),
        unit("U2", east=5, system="农业" if systems else "", strength=3.0 if strengths else 1.0),
        unit("U3", east=9, high=2 if several else 1),
        unit("U4"),
    )
    villages = (
        village("V1", required=2, needs=("电商",)),
        village("V2", required=2, town="乙镇"),
    )
    problem = base(units=units, villages=villages, **changes)
    assert rule in transport.nonseparable_rules(problem)
    assert transport.solve_separable(problem, SolveOptions()) is None


def test_solve_dispatches_to_the_flow_only_when_separable() -> None:
    """``solve`` returns the flow's proven plan (bound = objective) exactly when separable."""
    plan, timings = solve(base())
    assert "flow" in timings.steps and "search" not in timings.steps
    facts = plan.facts
    assert facts.status == "OPTIMAL" and facts.proven and facts.bound == facts.objective
    assert facts.gap == 0.0 and not facts.restricted
    units = (unit("U1", system="农业"), unit("U2", east=5, system="农业"), unit("U3"), unit("U4"))
    plan, timings = solve(base(P11=20.0, units=units))
    assert "flow" not in timings.steps


# --- the flow's plan is the optimum ----------------------------------------------------------


def random_county(rng: random.Random) -> Problem:
    """A tiny county with every pair-separable rule, hard rule and odd case drawn at random."""
    n_units, n_villages = rng.randint(3, 6), rng.randint(1, 3)
    units = []
    for u in range(n_units):
        low = rng.choice((0, 0, 0, 1, 2))
        located = rng.random() < 0.8
        units.append(
            Unit(f"U{u}", f"U{u}", "", 2.0, None, frozenset(), low, max(low, rng.choice((0, 1, 1, 1, 2))),
                 SEAT[0] + rng.uniform(-0.1, 0.1) if located else None,
                 SEAT[1] + rng.uniform(-0.1, 0.1) if located else None)
        )  # fmt: skip
    villages = [
        Village(f"V{v}", f"V{v}", "甲镇", SEAT[0] + rng.uniform(-0.1, 0.1),
                SEAT[1] + rng.uniform(-0.1, 0.1), needs=frozenset({"水利"} if rng.random() < 0.3 else ()),
                typical=rng.random() < 0.3, units_required=rng.choice((1, 2)))
        for v in range(n_villages)
    ]  # fmt: skip
    pairs = [(u.id, v.id) for u in units for v in villages]
    history = [
        PastPairing(u, v, rng.randint(2015, 2026), rng.choice((None, None, 2025, 2026, 2020)),
                    rng.choice((None, "好", "中", "差")))
        for u, v in rng.sample(pairs, rng.randint(0, min(3, len(pairs))))
    ]  # fmt: skip
    ruled = rng.sample(pairs, rng.randint(0, min(4, len(pairs))))
    rules = [
        PairRule(u, v, rng.choice(("must", "forbid", "forbid", "prefer", "prefer", "prefer")), rng.choice((None, 1, 2, 3)))
        for u, v in ruled
    ]  # fmt: skip
    scores = [
        Score(u, v, round(rng.uniform(-3, 3), rng.choice((0, 2, 6))))
        for u, v in rng.sample(pairs, rng.randint(0, len(pairs)))
    ]
    config = settings(
        P13=rng.choice((0.0, 0.37, 1.0, 3.0)),
        P14=rng.choice((0.0, 40.0, 7.5)),
        P16=rng.choice((0.0, 30.0)),
        P17=rng.choice((0.0, 5.0, 1.0, 1000.0)),
        P10=rng.choice((0.0, 30.0)),  # no unit has a skill: a constant
        P12=rng.choice((0.0, 10.0)),  # one strength: a constant
        max_tenure_years=rng.choice((None, 3, 6)),
        max_km=rng.choice((None, None, 20.0, 30.0)),
    )
    return Problem(tuple(units), tuple(villages), tuple(history), tuple(rules), config,
                   scores=tuple(scores))  # fmt: skip


def running(problem: Problem) -> dict[tuple[str, str], PastPairing]:
    """models/README.md: running = no end year, or ended the year before the plan year or
    later; the earliest such row of a pair counts."""
    out: dict[tuple[str, str], PastPairing] = {}
    for past in sorted(problem.history, key=lambda p: p.start_year):
        if past.end_year is None or past.end_year >= YEAR - 1:
            out.setdefault((past.unit_id, past.village_id), past)
    return out


def allowed(problem: Problem, u: Unit, v: Village) -> bool:
    """P04, P05, the distance cap and 最多村数 0, from models/README.md."""
    rules = {(r.unit_id, r.village_id): r.verb for r in problem.rules}
    if rules.get((u.id, v.id)) == "forbid" or u.max_villages == 0:
        return False
    past = running(problem).get((u.id, v.id))
    limit = problem.settings.max_tenure_years
    if past is not None and limit is not None and YEAR - past.start_year >= limit:
        return False
    cap = problem.settings.max_km
    if cap is not None and u.lat is not None and u.lon is not None:
        km = great_circle_km(u.lat, u.lon, v.lat, v.lon) * problem.settings.circuity  # type: ignore[arg-type]
        return km <= cap
    return True


def brute_force(problem: Problem) -> int | None:
    """The least cost over every plan that obeys P01-P05 and the cap, or None if none does."""
    must = {(r.unit_id, r.village_id) for r in problem.rules if r.verb == "must"}
    choices = [
        [
            team
            for team in itertools.combinations(range(len(problem.units)), v.units_required)
            if all(allowed(problem, problem.units[u], v) for u in team)
        ]
        for v in problem.villages
    ]
    best: int | None = None
    for teams in itertools.product(*choices):
        plan = {(u, v) for v, team in enumerate(teams) for u in team}
        load = [sum(1 for p in plan if p[0] == u) for u in range(len(problem.units))]
        if any(
            not x.min_villages <= n <= x.max_villages
            for x, n in zip(problem.units, load, strict=True)
        ):
            continue  # fmt: skip
        ids = {(problem.units[u].id, problem.villages[v].id) for u, v in plan}
        if must <= ids:
            total = cost(problem, plan)
            best = total if best is None else min(best, total)
    return best


def flow_plan(problem: Problem) -> set[Pair] | None:
    """The flow's plan (unit, village indices), or None when it declines."""
    solved = transport.solve_separable(problem, SolveOptions())
    if solved is None:
        return None
    plan, _ = solved
    assert plan.facts.proven and plan.facts.bound == plan.facts.objective
    return {
        (problem.unit_index[p.unit_id], problem.village_index[p.village_id]) for p in plan.pairs
    }


def test_flow_equals_brute_force_on_random_counties() -> None:
    """300 tiny random counties: the flow's plan costs the enumerated optimum, and it declines
    (for the search's diagnosis) exactly when no plan obeys the hard rules."""
    rng = random.Random(14)
    solved = 0
    for _ in range(300):
        problem = random_county(rng)
        assert transport.separable(problem)
        best, plan = brute_force(problem), flow_plan(problem)
        assert (plan is None) == (best is None)
        if plan is not None:
            solved += 1
            assert cost(problem, plan) == best
    assert solved >= 100


def test_priced_graph_equals_brute_force(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same counties on a graph of one arc per village and unit, grown by reduced costs
    (potentials from the residual graph) until none is negative: still the optimum."""
    monkeypatch.setattr(transport, "FULL_FLOW_ARCS", 0)
    monkeypatch.setattr(transport, "VILLAGE_ARCS", 1)
    monkeypatch.setattr(transport, "UNIT_ARCS", 1)
    rng = random.Random(14)
    rounds = []
    for _ in range(300):
        problem = random_county(rng)
        best, plan = brute_force(problem), flow_plan(problem)
        assert (plan is None) == (best is None)
        if plan is not None:
            assert cost(problem, plan) == best
            facts = PairFacts(problem)
            fixed = frozenset(facts.must)
            costs = transport.ArcCosts(problem, Coefficients(facts), fixed, frozenset())
            flowed = transport._flow(costs, fixed)
            assert flowed is not None
            rounds.append(flowed.rounds)
    assert max(rounds) >= 3  # the pricing loop did add arcs


def test_a_halted_flow_keeps_a_valid_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stopped after its first priced round (time limit, Ctrl-C), the flow returns a plan and
    a Lagrangian bound from its potentials: bound <= enumerated optimum <= plan's cost."""
    monkeypatch.setattr(transport, "FULL_FLOW_ARCS", 0)
    monkeypatch.setattr(transport, "VILLAGE_ARCS", 1)
    monkeypatch.setattr(transport, "UNIT_ARCS", 1)
    rng = random.Random(15)
    halted = 0
    for _ in range(200):
        problem = random_county(rng)
        facts = PairFacts(problem)
        fixed = frozenset(facts.must)
        if any(facts.blocked(pair) for pair in fixed):
            continue
        costs = transport.ArcCosts(problem, Coefficients(facts), fixed, frozenset())
        flowed = transport._flow(costs, fixed, halt=lambda: True)
        best = brute_force(problem)
        if flowed is None:
            continue
        total = cost(problem, set(flowed.chosen))
        others = total - flowed.cost  # what P10 and P12 cost every plan here (constants)
        assert best is not None and flowed.bound + others <= best <= total
        halted += flowed.halted
        assert flowed.proven == (not flowed.halted)
    assert halted >= 3  # seeded: 5 of the 200 were stopped before their proof


# --- the flow itself: unit minimums, potentials --------------------------------------------


def test_flow_meets_unit_minimums_and_its_potentials_prove_it() -> None:
    """最少村数 2 makes a unit take two dear arcs; every residual arc has reduced cost >= 0."""
    t = Transport(
        required=np.array([1, 1, 1]),
        low=np.array([2, 0]),
        high=np.array([2, 3]),
        unit=np.array([0, 0, 0, 1, 1, 1]),
        village=np.array([0, 1, 2, 0, 1, 2]),
        cost=np.array([50, 60, 70, 1, 1, 1]),
    )
    shipment = ship(t)
    assert shipment is not None
    assert shipment.chosen.tolist() == [True, True, False, False, False, True]
    assert shipment.cost == 50 + 60 + 1
    labels = potentials(shipment)
    units, villages = labels[1:3], labels[3:6]
    reduced = t.cost + units[t.unit] - villages[t.village]
    assert (reduced[~shipment.chosen] >= 0).all() and (reduced[shipment.chosen] <= 0).all()
    assert ship(replace(t, low=np.array([3, 0]))) is None  # three places, two arcs


def test_no_arcs_no_places() -> None:
    """An empty transportation problem ships nothing at cost 0."""
    empty = np.zeros(0, dtype=np.int64)
    shipment = ship(Transport(empty, empty, empty, empty, empty, empty))
    assert shipment is not None and shipment.cost == 0 and not shipment.chosen.size


def test_must_forbid_tenure_and_cap_hold_with_minimums() -> None:
    """Without rules the nearest units take V1 and V2; with them 必须 U4-V1 is kept, 禁止
    U2-V1 and the tenure-blocked good pair U3-V2 are left out, and U5's 最少村数 1 sends it
    to V3, the one village within the cap."""
    units = (
        unit("U1"),
        unit("U2"),
        unit("U3", east=10),
        unit("U4", east=20),
        unit("U5", east=100, low=1),
    )
    villages = (village("V1", east=0, required=2), village("V2"), village("V3", east=20))
    config = settings(P13=1.0, max_km=110.0)
    free = Problem(units, villages, settings=config)
    assert flow_names(free) == {("U1", "V1"), ("U2", "V1"), ("U3", "V2"), ("U5", "V3")}
    rules = (PairRule("U4", "V1", "must"), PairRule("U2", "V1", "forbid"))
    history = (PastPairing("U3", "V2", 2018, None, "好"),)
    ruled = Problem(units, villages, history, rules, replace(config, max_tenure_years=6))
    assert flow_names(ruled) == {("U1", "V1"), ("U4", "V1"), ("U2", "V2"), ("U5", "V3")}
    plan = flow_plan(ruled)
    assert plan is not None and cost(ruled, plan) == brute_force(ruled)


def flow_names(problem: Problem) -> set[tuple[str, str]]:
    """The flow's plan as (unit id, village id) pairs."""
    plan = flow_plan(problem)
    assert plan is not None
    return {(problem.units[u].id, problem.villages[v].id) for u, v in plan}


# --- memory of the other path --------------------------------------------------------------


def scored_county(n_units: int, n_villages: int) -> Problem:
    """Every pair scored (the matcher workload), with P11 on so the search must run."""
    rng = random.Random(6)
    units = tuple(unit(f"U{u}", system=f"S{u % 7}") for u in range(n_units))
    villages = tuple(village(f"V{v}", required=2) for v in range(n_villages))
    scores = tuple(Score(u.id, v.id, round(rng.random(), 6)) for u in units for v in villages)
    return Problem(units, villages, scores=scores, settings=settings(P17=1.0, P11=20.0))


def test_scored_pairs_do_not_fill_the_candidate_graph() -> None:
    """A fully scored county of 200 units keeps each village's best scored pairs only."""
    problem = scored_county(200, 100)
    candidates, restricted = CandidateDraws(problem).draw()
    assert restricted and len(candidates) < 0.35 * 200 * 100


def test_pricing_chunks_stay_small_whatever_the_width() -> None:
    """Each chunk of two-place teams holds at most CHUNK_CELLS cells (V × K × K)."""
    problem = scored_county(120, 300)
    pairs = [(u, v) for u in range(120) for v in range(300)]
    space = TeamSpace(problem, pairs, Coefficients(PairFacts(problem)))
    sizes = [(len(villages), space.width(villages), size) for _, size, villages in space._chunks()]
    assert sum(n for n, _, _ in sizes) == 300
    assert all(n == 1 or n * width**size <= CHUNK_CELLS for n, width, size in sizes)


# --- reading a full 评分 sheet ---------------------------------------------------------------


def test_plain_score_rows_read_as_the_general_path_reads_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Plain rows take the quick path; odd ones the general path; both give the same."""
    from pairing.domain.schema import SCORES

    cells = [
        ("U1", "V1", "0.5"),
        (" U1 ", "V2", " 2 "),
        ("U2", "V1", "１２"),  # full-width digits
        ("U2", "V2", "1,000"),
        ("U3", "V1", 3),
        ("U1", "V1", 4.0),  # a repeat
        ("U9", "V1", 1.0),  # an unknown unit
        ("U2", "V2\u200b", "nan"),
        ("U3", "V2", ""),
        ("U3", "V2", True),
        ("1", "V1", 2.5),
        (1, "V2", "1e13"),
        (1.0, "V1", "-0.25"),
    ]
    table = RawTable(
        SCORES, "评分", 1, {"unit_id": 0, "village_id": 1, "score": 2}, (),
        tuple((row + 2, values) for row, values in enumerate(cells)),
    )  # fmt: skip
    ids = build.Ids(frozenset({"U1", "U2", "U3", "1"}), frozenset({"V1", "V2"}))

    def read() -> tuple[list[Score], list[object]]:
        issues = build.Collector()
        return build.read_scores(table, ids, issues), issues.result()

    plain = build.PlainScores(table, ids)
    assert plain.read(cells[1]) == ("U1", "V2", 2.0) and plain.read(cells[2]) is None
    quick = read()
    monkeypatch.setattr(build.PlainScores, "read", lambda self, values: None)
    assert read() == quick
    assert [s.score for s in quick[0]] == [0.5, 2.0, 12.0, 1000.0, 3.0, 2.5]
    assert len(quick[1]) == 8  # repeat ×3 (one with a bad number), unknown, blank, 是, 1e13


def test_a_row_is_filled_exactly_when_a_cell_cleans_to_text() -> None:
    """The quick blank-row test agrees with cleaning every cell."""
    from pairing.domain.cells import clean_text
    from pairing.io.tables import filled

    cells = ["", " ", "\t", "a", " 1 ", "\u200b", "\u3000", "\u200ba", None, 0, 0.0, False, "－"]
    for row in itertools.product(cells, repeat=2):
        assert filled(row) == any(clean_text(v) for v in row), row


# --- a plan `pairing verify` accepts ----------------------------------------------------------


def write_matcher(folder: Path, n_units: int, n_villages: int) -> None:
    """A CSV folder of the matcher workload: scores only, 0-1 village per unit."""
    rng = random.Random(3)
    folder.mkdir()
    sheets = {
        "单位.csv": [["单位编号", "单位名称", "最少村数", "最多村数"]]
        + [[f"U{u:03d}", f"单位{u}", 0, 1] for u in range(n_units)],
        "村.csv": [["村编号", "村名", "所属镇"]]
        + [[f"V{v:03d}", f"村{v}", f"镇{v % 3}"] for v in range(n_villages)],
        "评分.csv": [["单位编号", "村编号", "评分"]]
        + [
            [f"U{u:03d}", f"V{v:03d}", f"{rng.random():.6f}"]
            for u in range(n_units)
            for v in range(n_villages)
        ],
        "参数.csv": [["参数", "值"], ["units_per_village", 2]]
        + [[rule, 0] for rule in ("P10", "P11", "P12", "P13", "P14", "P15", "P16")]
        + [["P17", 1]],
    }
    for name, rows in sheets.items():
        with open(folder / name, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)


def test_flow_plan_passes_verify(tmp_path: Path) -> None:
    """`pairing solve` on a matcher CSV folder writes a proven plan that `pairing verify`
    accepts (exit 0), in subprocesses as a user runs them."""
    folder, plan = tmp_path / "matcher", tmp_path / "plan.xlsx"
    write_matcher(folder, 14, 6)
    command = [sys.executable, "-m", "pairing"]
    solved = subprocess.run(
        [*command, "solve", str(folder), "-o", str(plan), "--quiet", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert solved.returncode == 0, solved.stderr
    assert '"proven": true' in solved.stdout and '"status": "OPTIMAL"' in solved.stdout
    verified = subprocess.run(
        [*command, "verify", str(plan), "--input", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
