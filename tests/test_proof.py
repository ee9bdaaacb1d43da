"""What the solver may claim (issue 14 items 1-3, 13, 14): exit 4 only on a proof, a failed LP
never ends a solve, "proven optimal" holds for the user's own numbers, a bound is shown only
when it says something, and every conflict is named."""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path
from types import MappingProxyType

import pytest
from click.testing import CliRunner
from test_solve import EXAMPLE, unit, village

from pairing.cli import cli
from pairing.cli.proof import missed_gap, proof_text
from pairing.cpsat.pairing import relaxation
from pairing.cpsat.pairing.data import PROOF_RELATIVE, proof_tolerance
from pairing.domain.errors import InfeasibleError
from pairing.domain.model import PairRule, Problem, Score, Settings
from pairing.domain.plan import SolverFacts
from pairing.solve import optimize
from pairing.solve.layout import useful_bound
from pairing.solve.optimize import solve
from pairing.solve.stage import Found
from pairing.solve.terms import evaluate

CASES = Path(__file__).parent / "differential" / "cases"


def settings(**weights: float) -> Settings:
    """Default settings with ``weights`` changed, the plan year fixed."""
    table = dict(Settings().weights)
    table.update(weights)
    return Settings(plan_year=2027, weights=MappingProxyType(table), time_limit_s=20)


def brute_force(problem: Problem) -> float:
    """The cheapest plan's cost by enumeration (one unit per village, each unit at most one,
    no 禁止 pair)."""
    units, villages = range(len(problem.units)), range(len(problem.villages))
    forbidden = {
        (problem.unit_index[r.unit_id], problem.village_index[r.village_id])
        for r in problem.rules
        if r.verb == "forbid"
    }
    plans = (
        {(u, v) for v, u in zip(villages, chosen, strict=True)}
        for chosen in itertools.permutations(units, len(problem.villages))
    )
    return min(evaluate(problem, plan).total_points() for plan in plans if not plan & forbidden)


# --- item 1: a weight of 1000 once made the LP choose its artificial columns -------------


@pytest.mark.parametrize("needs", [(), ("林业",)])
@pytest.mark.parametrize("weight", [1, 1000, 100_000])
def test_large_weights_solve_to_the_enumerated_optimum(weight: float, needs: tuple[str]) -> None:
    """P13 at 1000 (and far beyond) still solves, proven, to the enumerated optimum: by the
    flow when P13 is all there is, by the team search when a need couples the pairs."""
    skills = [("林业",), ()]
    units = tuple(unit(f"U{i}", km_east=7.0 * i, low=0, skills=skills[i % 2]) for i in range(5))
    villages = tuple(village(f"V{i}", km_east=9.0 * i + 3, needs=needs) for i in range(3))
    rules = (PairRule("U4", "V2", "forbid"),)
    problem = Problem(units, villages, rules=rules, settings=settings(P13=weight))
    plan, _ = solve(problem)
    assert plan.facts.proven
    assert plan.facts.objective == pytest.approx(brute_force(problem), rel=1e-9)


def test_a_search_without_plan_falls_back_to_the_hard_rules(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A search that ends with nothing proves nothing: the hard rules' own plan is returned,
    not proven and with no bound, instead of exit 4."""
    real = optimize.search

    def empty(*args, **kwargs):  # type: ignore[no-untyped-def]
        found = real(*args, **kwargs)
        nothing = dataclasses.replace(found.outcome, status="INFEASIBLE", chosen=())
        return Found((), dataclasses.replace(nothing, objective=float("nan")))

    monkeypatch.setattr(optimize, "search", empty)
    skills = [("林业",), ()]
    units = tuple(unit(f"U{i}", km_east=5.0 * i, low=0, skills=skills[i % 2]) for i in range(4))
    villages = tuple(village(f"V{i}", km_east=5.0 * i, needs=("林业",)) for i in range(3))
    plan, _ = solve(Problem(units, villages, settings=settings()))
    assert len(plan.pairs) == 3
    assert not plan.facts.proven and plan.facts.bound is None and plan.facts.gap is None
    assert plan.facts.status == "FEASIBLE"


def test_hard_rules_that_conflict_still_exit_4_with_the_rule_named() -> None:
    """P11_hard with three units of one system for a village that needs two: a proof, named."""
    units = tuple(unit(f"U{i}", system="政府部门", low=0) for i in range(3))
    villages = (village("V1", required=2),)
    hard = dataclasses.replace(settings(), systems_hard=True)
    with pytest.raises(InfeasibleError) as error:
        solve(Problem(units, villages, settings=hard))
    assert any(issue.rule == "P11" and "V1" in str(issue) for issue in error.value.reasons)


# --- item 2: a failing LP ------------------------------------------------------------------


def test_a_failed_lp_falls_back_to_the_lagrangian_bound(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """HiGHS failing by every method leaves the solve with the Lagrangian bound, said so."""

    def fail(self):  # type: ignore[no-untyped-def]
        raise relaxation.LPFailed("LP failed: Unknown")

    monkeypatch.setattr(relaxation.MasterLP, "solve", fail)
    skills = [("林业",), ()]
    units = tuple(unit(f"U{i}", km_east=3.0 * i, low=0, skills=skills[i % 2]) for i in range(6))
    villages = tuple(village(f"V{i}", km_east=4.0 * i, needs=("林业",)) for i in range(4))
    problem = Problem(units, villages, settings=settings())
    plan, _ = solve(problem)
    assert plan.facts.objective == pytest.approx(brute_force(problem), rel=1e-9)
    assert plan.facts.bound_method in {"lagrangian", "cp-sat"}


def test_the_kept_highs_instance_retries_by_simplex(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An interior-point run without an optimum is re-run by dual simplex, same answer."""
    lp = relaxation.MasterLP(2, (0, 0), (1, 1))
    from pairing.cpsat.pairing.data import Team

    lp.add([Team(0, (0,), 300), Team(0, (1,), 500), Team(1, (0,), 100), Team(1, (1,), 400)])
    expected = lp.solve().value
    highs = lp._highs
    if highs is None:
        pytest.skip("this SciPy has no HiGHS binding; linprog solves from scratch")
    set_option = highs.setOptionValue

    class Flaky:
        """The kept instance, whose interior point gives up."""

        solver = "ipm"

        def setOptionValue(self, name: str, value: object) -> None:
            if name == "solver":
                Flaky.solver = str(value)
            set_option(name, value)

        def getModelStatus(self) -> object:
            if Flaky.solver == "ipm":
                return relaxation.highs_core.HighsModelStatus.kUnknown
            return highs.getModelStatus()

        def __getattr__(self, name: str) -> object:
            return getattr(highs, name)

    lp._highs = Flaky()
    assert lp.solve().value == pytest.approx(expected, rel=1e-7)


# --- item 3: precision ---------------------------------------------------------------------


def test_scores_with_many_decimals_are_optimal_to_one_millionth() -> None:
    """Planner scores in [0, 1] with six decimals: the proven plan is the enumerated optimum
    to 1e-6 relative (at 0.01 a point it was not), with a team term on so that the team
    search, not a flow, decides."""
    units = tuple(
        unit(f"U{i}", km_east=1.0 * i, skills=("林业",) if i % 2 else (), low=0) for i in range(6)
    )
    villages = tuple(village(f"V{i}", km_east=2.0 * i, needs=("林业",)) for i in range(4))
    values = [0.123456, 0.987654, 0.5, 0.333333, 0.666667, 0.010101, 0.999999, 0.250001]
    scores = tuple(
        Score(f"U{u}", f"V{v}", values[(3 * u + v) % len(values)])
        for u in range(6)
        for v in range(4)
    )
    problem = Problem(units, villages, scores=scores, settings=settings(P13=0, P10=0.003, P17=1))
    plan, _ = solve(problem)
    best = brute_force(problem)
    assert plan.facts.proven
    assert abs(plan.facts.objective - best) <= 1e-6 * max(1.0, best)


def test_proof_tolerance_is_relative_and_small() -> None:
    """A proof leaves at most 2e-7 of the cost (or of one point) open."""
    assert proof_tolerance(0.5) == PROOF_RELATIVE
    assert proof_tolerance(5000.0) == pytest.approx(5000.0 * PROOF_RELATIVE)
    assert PROOF_RELATIVE < 1e-6


# --- item 13: meaningless figures ----------------------------------------------------------


@pytest.mark.parametrize(
    ("objective", "bound", "shown"),
    [
        (100.0, -7_860_871.0, None),
        (100.0, 0.0, None),
        (100.0, float("-inf"), None),
        (100.0, 99.5, 99.5),
        (100.0, 100.2, 100.0),
        (0.0, -5.0, 0.0),
    ],
)
def test_a_bound_is_shown_only_when_it_says_something(
    objective: float, bound: float, shown: float | None
) -> None:
    """Every term is ≥ 0: a bound at or below 0 is "no bound yet"; a plan at 0 is optimal."""
    assert useful_bound(objective, bound) == shown


def test_no_bound_reads_as_such_and_a_missed_gap_is_seen() -> None:
    """The console says "no bound yet", never a gap of 123,492%; a missed --gap is flagged."""
    facts = SolverFacts("FEASIBLE", 120.0, None, None, 0.5, False)
    assert "no bound yet" in proof_text(facts)
    assert missed_gap(facts, 0.01)
    reached = dataclasses.replace(facts, bound=119.0, gap=0.008)
    assert not missed_gap(reached, 0.01) and missed_gap(reached, 0.001)
    assert not missed_gap(reached, 0.0)


def test_a_plan_costing_nothing_is_proven() -> None:
    """With every weight 0 the first plan costs 0, which no plan can beat."""
    zero = {rule: 0.0 for rule in Settings().weights}
    units = tuple(unit(f"U{i}", low=0) for i in range(3))
    plan, _ = solve(Problem(units, (village("V1"), village("V2")), settings=settings(**zero)))
    assert plan.facts.proven and plan.facts.bound == 0.0 and plan.facts.objective == 0.0


# --- item 14: every conflict has a cause in words ------------------------------------------


def test_locks_above_min_villages_that_overfill_the_places_are_named() -> None:
    """最少村数 deleted (every unit 1) while U1 holds three locks: 5 places for 3 needed."""
    units = (unit("U1", high=3), unit("U2"), unit("U3"))
    villages = tuple(village(f"V{i}") for i in range(1, 4))
    rules = tuple(PairRule("U1", f"V{i}", "must") for i in range(1, 4))
    with pytest.raises(InfeasibleError) as error:
        solve(Problem(units, villages, rules=rules, settings=settings()))
    text = " ".join(str(issue) for issue in error.value.reasons)
    assert "U1" in text and "3" in text and "最少村数" in text
    assert "no small set found" not in text


def test_explain_names_why_an_alternative_cannot_be(tmp_path: Path) -> None:
    """explain --unit on a unit whose three 必须 rows fill min = max = 3: each alternative is
    impossible because of those locks, said in words, not "no small set found"."""

    runner = CliRunner()
    plan = tmp_path / "plan.xlsx"
    assert runner.invoke(cli, ["solve", str(EXAMPLE), "-o", str(plan), "-q"]).exit_code == 0
    result = runner.invoke(cli, ["explain", str(plan), "--unit", "U001"])
    assert result.exit_code == 0, result.output
    assert "no small set found" not in result.output
    impossible = [line for line in result.output.splitlines() if "no feasible plan" in line]
    assert impossible
    # Each names the unit's bound (P02) and the locks that fill it (P03, with their rows).
    assert all("P02" in line and "P03" in line and "指定" in line for line in impossible)


@pytest.mark.parametrize(("strength", "feasible"), [(1.2, False), (1.3, True)])
def test_the_strength_floor_is_not_rounded_down(strength: float, feasible: bool) -> None:
    """P12_min_strength = 1.25: a village of strength 1.2 falls short (it once passed, the
    floor rounded half-even to 12 tenths); 1.3 meets it."""
    floor = dataclasses.replace(settings(), min_strength=1.25)
    problem = Problem((unit("U1", strength=strength),), (village("V1"),), settings=floor)
    if feasible:
        assert solve(problem)[0].facts.proven
    else:
        with pytest.raises(InfeasibleError) as error:
            solve(problem)
        assert any(issue.rule == "P12" for issue in error.value.reasons)


def test_a_plan_edited_after_it_was_written_is_not_built_on(tmp_path: Path) -> None:
    """schedule (and explain) would re-seal an edited plan, and verify would then certify the
    edit: a sheet that differs from its recorded SHA-256 is refused with exit 3, named."""
    import openpyxl

    runner = CliRunner()
    plan = tmp_path / "plan.xlsx"
    assert runner.invoke(cli, ["solve", str(EXAMPLE), "-o", str(plan), "-q"]).exit_code == 0
    book = openpyxl.load_workbook(plan)
    for row in book["指标 summary"].iter_rows():
        if row[1].value == "status":
            row[2].value = "OPTIMAL (edited)"
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    for command in (
        ["schedule", str(edited), "-o", str(tmp_path / "s.xlsx")],
        ["explain", str(edited), "--village", "V001"],
    ):
        done = runner.invoke(cli, command)
        assert done.exit_code == 3, done.output
        assert "指标 summary" in done.output and "edited after it was written" in done.output
    assert not (tmp_path / "s.xlsx").exists()
    assert runner.invoke(cli, ["explain", str(plan), "--village", "V001"]).exit_code == 0
