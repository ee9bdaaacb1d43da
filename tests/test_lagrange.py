"""The Lagrangian bound: valid below the optimum, exact where prices do not matter."""

from __future__ import annotations

import dataclasses
import itertools
import time
from types import MappingProxyType

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pairing.cpsat.pairing.data import SCALE, Team
from pairing.cpsat.pairing.relaxation import TownLinks
from pairing.domain.errors import InfeasibleError
from pairing.domain.model import Problem, Settings, Unit, Village
from pairing.examples.synthetic import synthetic_county
from pairing.solve.lagrange import _Towns, lagrangian_bound
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


@settings(max_examples=60, deadline=None)
@given(
    gains=st.lists(st.lists(st.floats(0, 100), min_size=1, max_size=4), min_size=1, max_size=4),
    cost=st.floats(1, 60),
)
def test_each_unit_picks_the_towns_worth_their_cost(gains: list[list[float]], cost: float) -> None:
    """A unit's town choice is the brute-force minimum of ``w·max(0, |S|-1) - Σ_S g`` over
    every set S of its towns; ``y`` marks a set that reaches it."""
    pairs, town_of_pair, unit_of_town, prices = [], [], [], []
    for u, towns in enumerate(gains):
        for gain in towns:
            town_of_pair.append(len(unit_of_town))
            unit_of_town.append(u)
            pairs.append((u, len(pairs)))  # one link per town, priced at the town's gain
            prices.append(gain)
    towns = _Towns(TownLinks(cost, tuple(pairs), tuple(town_of_pair), tuple(unit_of_town)))
    value, used = towns.choose(np.array(prices))

    def cost_of(chosen: tuple[float, ...]) -> float:
        return cost * max(0, len(chosen) - 1) - sum(chosen)

    best = sum(
        min(cost_of(s) for k in range(len(g) + 1) for s in itertools.combinations(g, k))
        for g in gains
    )
    assert value == pytest.approx(best)
    chosen = [
        tuple(p for p, y, t in zip(prices, used, town_of_pair, strict=True) if y and t in own)
        for own in _towns_of(unit_of_town)
    ]
    assert sum(cost_of(c) for c in chosen) == pytest.approx(best)


def _towns_of(unit_of_town: list[int]) -> list[set[int]]:
    """Each unit's town entries."""
    owned: dict[int, set[int]] = {}
    for town, unit in enumerate(unit_of_town):
        owned.setdefault(unit, set()).add(town)
    return [owned[u] for u in sorted(owned)]


def _with_p15(problem: Problem, weight: float) -> Problem:
    """``problem`` with P15 weighted ``weight``."""
    weights = dict(problem.settings.weights, P15=weight)
    settings_ = dataclasses.replace(problem.settings, weights=MappingProxyType(weights))
    return dataclasses.replace(problem, settings=settings_)


def _one_unit_two_towns() -> Problem:
    """One unit that must take both villages, which lie in two towns: P15 is unavoidable."""
    seat = (21.90, 110.85)
    units = (Unit("U1", "U1", "", 2.0, None, frozenset(), 2, 2, *seat),)
    villages = tuple(
        Village(vid, vid, town, seat[0], seat[1] + km / 103.0, units_required=1)
        for vid, town, km in (("V1", "甲镇", 10.0), ("V2", "乙镇", 12.0))
    )
    return Problem(units, villages, settings=Settings(plan_year=2027))


@pytest.mark.parametrize("weight", [0.0, 25.0])
def test_town_prices_reach_the_town_cost_no_plan_avoids(weight: float) -> None:
    """With P15 on, the bound climbs to the optimum, extra town included (the bound without
    town prices would sit 25 points below); with P15 off, nothing is priced and the bound is
    the optimum without it."""
    problem = _with_p15(_one_unit_two_towns(), weight)
    plan, _ = solve(problem, SolveOptions(time_limit_s=10))
    assert plan.totals.get("P15", 0.0) == weight
    prepared = prepare(problem, SolveOptions())
    found = lagrangian_bound(
        prepared.space,
        prepared.data,
        [],
        plan.facts.objective * SCALE,
        time.perf_counter() + 2,
    )
    assert bool(found.pair_price) == (weight > 0)
    assert found.value / SCALE == pytest.approx(plan.facts.objective, abs=0.01)


def test_town_prices_stay_zero_where_no_unit_spans_towns() -> None:
    """One town only: no unit can pay P15, no link is priced, and the bound is the one
    without P15."""
    problem = synthetic_county(9, 3)  # fewer than 10 villages: one town
    assert len({v.town for v in problem.villages}) == 1
    prepared = prepare(problem, SolveOptions())
    assert not prepared.space.town_links().pairs
    found = lagrangian_bound(prepared.space, prepared.data, [], 1e9, time.perf_counter() + 0.5)
    off = prepare(_with_p15(problem, 0.0), SolveOptions())
    without = lagrangian_bound(off.space, off.data, [], 1e9, time.perf_counter() + 0.5)
    assert not found.pair_price
    assert found.value == pytest.approx(without.value)
