"""The Lagrangian bound: valid below the optimum, exact where prices do not matter."""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pairing.cpsat.pairing.data import SCALE, Team
from pairing.domain.errors import InfeasibleError
from pairing.examples.synthetic import synthetic_county
from pairing.solve.lagrange import lagrangian_bound
from pairing.solve.optimize import SolveOptions, prepare, solve
from pairing.solve.pricing import Prices, enumerated_teams


def _bound(villages: int, seed: int, seconds: float) -> tuple[float, float] | None:
    """The Lagrangian bound of a synthetic county after ``seconds`` and its proven optimum
    (None if the county has no plan: tiny synthetic counties sometimes do not)."""
    problem = synthetic_county(villages, seed)
    try:
        prepared = prepare(problem, SolveOptions())
    except InfeasibleError:
        return None
    extra, _ = enumerated_teams(prepared.space, 1200)
    plan, _ = solve(problem, SolveOptions(time_limit_s=60))
    assert plan.facts.proven
    upper = plan.facts.objective * SCALE
    found = lagrangian_bound(
        prepared.space, prepared.data, extra, upper, time.perf_counter() + seconds
    )
    return found.value / SCALE, plan.facts.objective


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(villages=st.integers(4, 30), seed=st.integers(0, 10_000))
def test_bound_never_exceeds_the_proven_optimum(villages: int, seed: int) -> None:
    """Whatever prices the steps reach, the bound stays at or below the optimum."""
    result = _bound(villages, seed, 1.0)
    assume(result is not None)
    assert result is not None
    bound, optimum = result
    assert bound <= optimum + 1e-6


def test_steps_raise_the_bound_above_the_cheapest_teams() -> None:
    """Where villages compete for the same units, prices bind: the bound rises above the
    sum of each village's cheapest team (the bound at zero prices) and stays valid."""
    problem = synthetic_county(60, 1)
    prepared = prepare(problem, SolveOptions())
    space, data = prepared.space, prepared.data
    cheapest = data.constant + float(space.lowest_teams(space.zero_prices())[0].sum())
    plan, _ = solve(problem, SolveOptions(time_limit_s=60))
    found = lagrangian_bound(
        space, data, [], plan.facts.objective * SCALE, time.perf_counter() + 2.0
    )
    assert found.value > cheapest
    assert found.value / SCALE <= plan.facts.objective + 1e-6
    assert found.steps > 1


def test_recent_lowest_teams_share_one_per_village_and_step() -> None:
    """The approximate LP solution: every village's shares add up to one."""
    problem = synthetic_county(20, 2)
    prepared = prepare(problem, SolveOptions())
    found = lagrangian_bound(prepared.space, prepared.data, [], 1e9, time.perf_counter() + 0.5)
    totals = np.zeros(prepared.data.n_villages)
    for team, share in zip(found.teams, found.share, strict=True):
        totals[team.village] += share
    assert totals == pytest.approx(np.ones(prepared.data.n_villages))


def test_a_village_without_teams_makes_the_bound_infeasible(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No team for one village: the bound says no plan exists, at once, instead of +inf."""
    problem = synthetic_county(12, 2)
    prepared = prepare(problem, SolveOptions())
    space = prepared.space
    real = space.lowest_teams

    def without_village_0(prices: Prices) -> tuple[np.ndarray, dict[int, Team]]:
        lowest, teams = real(prices)
        lowest[0] = np.inf
        teams.pop(0, None)
        return lowest, teams

    monkeypatch.setattr(space, "lowest_teams", without_village_0)
    found = lagrangian_bound(space, prepared.data, [], 1e9, time.perf_counter() + 5)
    assert not found.feasible and found.steps == 1


def test_every_village_with_teams_is_feasible() -> None:
    """The same county untouched: feasible, and the bound finite."""
    problem = synthetic_county(12, 2)
    prepared = prepare(problem, SolveOptions())
    found = lagrangian_bound(prepared.space, prepared.data, [], 1e9, time.perf_counter() + 0.5)
    assert found.feasible and np.isfinite(found.value)
