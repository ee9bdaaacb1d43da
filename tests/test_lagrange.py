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
from numpy.typing import NDArray

from pairing.cpsat.pairing.data import SCALE, Team
from pairing.cpsat.pairing.relaxation import Relaxation, TownLinks
from pairing.cpsat.pairing.rules.towns import TownChoice
from pairing.domain.errors import InfeasibleError
from pairing.domain.model import PairRule, Problem, Settings, Unit, Village
from pairing.examples.synthetic import synthetic_county
from pairing.solve.lagrange import _Extras, lagrangian_bound
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
    prices=st.lists(
        st.lists(st.lists(st.floats(0, 60), min_size=1, max_size=3), min_size=1, max_size=4),
        min_size=1,
        max_size=4,
    ),
    cost=st.floats(1, 60),
)
def test_each_unit_picks_the_towns_worth_their_cost(
    prices: list[list[list[float]]], cost: float
) -> None:
    """A unit's town choice is the brute-force minimum of ``w·max(0, |S|-1) - Σ_S g`` over
    every set S of its towns, ``g`` summing the prices of the town's links (one or more);
    ``y`` marks a set that reaches it."""
    pairs, town_of_pair, unit_of_town, flat = [], [], [], []
    for u, towns in enumerate(prices):
        for links in towns:
            for price in links:
                town_of_pair.append(len(unit_of_town))
                pairs.append((u, len(pairs)))
                flat.append(price)
            unit_of_town.append(u)
    links_ = TownLinks(cost, tuple(pairs), tuple(town_of_pair), tuple(unit_of_town))
    value, used = TownChoice(links_).choose(np.array(flat))

    def cost_of(gains: tuple[float, ...]) -> float:
        return cost * max(0, len(gains) - 1) - sum(gains)

    gains = [[sum(links) for links in towns] for towns in prices]
    best = sum(
        min(cost_of(s) for k in range(len(g) + 1) for s in itertools.combinations(g, k))
        for g in gains
    )
    assert value == pytest.approx(best)
    taken = {town_of_pair[k] for k, y in enumerate(used) if y}
    assert all(used[k] == (town in taken) for k, town in enumerate(town_of_pair))
    town_gain = [g for towns in gains for g in towns]
    chosen = [
        tuple(town_gain[t] for t in sorted(taken) if unit_of_town[t] == u)
        for u in range(len(prices))
    ]
    assert sum(cost_of(c) for c in chosen) == pytest.approx(best)


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


def _forced_across_towns(weight: float) -> Problem:
    """A 30-village county where a unit that may take several villages must take two in
    different towns, P15 weighted ``weight``."""
    problem = _with_p15(synthetic_county(30, 2), weight)
    unit = next(u for u in problem.units if u.max_villages >= 2)
    first = problem.villages[0]
    second = next(v for v in problem.villages if v.town != first.town)
    rules = (
        *problem.rules,
        PairRule(unit.id, first.id, "must", row=90),
        PairRule(unit.id, second.id, "must", row=91),
    )
    return dataclasses.replace(problem, rules=rules)


@pytest.mark.parametrize("weight", [25.0, 400.0])
def test_bound_stays_valid_where_a_town_cost_is_forced(weight: float) -> None:
    """A unit forced into two towns pays P15 in every plan: the town prices rise, and the
    bound stays at or below the proven optimum however heavy the weight."""
    problem = _forced_across_towns(weight)
    plan, _ = solve(problem, SolveOptions(time_limit_s=60))
    assert plan.facts.proven and plan.totals["P15"] >= weight
    prepared = prepare(problem, SolveOptions())
    found = lagrangian_bound(
        prepared.space,
        prepared.data,
        enumerated_teams(prepared.space, 1200)[0],
        plan.facts.objective * SCALE,
        time.perf_counter() + 2,
    )
    assert found.pair_price
    assert found.value / SCALE <= plan.facts.objective + 1e-6
    # The prices it hands on (as the LP's duals) lay out as the ones it priced with.
    handed_on = prepared.space.prices(
        np.zeros(len(problem.villages)), found.unit_price, found.pair_price
    )
    assert handed_on.slot == pytest.approx(found.prices.slot)
    assert handed_on.base == pytest.approx(found.prices.base)


def _random_link_prices(links: TownLinks, seed: int) -> NDArray[np.float64]:
    """Town-link prices π ≥ 0, some of them zero."""
    rng = np.random.default_rng(seed)
    return np.where(rng.random(len(links.pairs)) < 0.3, 0.0, rng.uniform(0, 500, len(links.pairs)))


def test_link_prices_lay_out_as_the_lps_would() -> None:
    """``with_links`` (the Lagrangian's) and ``prices`` with a mapping (the LP's) lay the same
    link prices out alike, a 必须 unit's link included (it lands on the village's base)."""
    problem = _forced_across_towns(25.0)
    space = prepare(problem, SolveOptions()).space
    links = space.town_links()
    assert any(u in space.layout.must[v] for u, v in links.pairs)
    rng = np.random.default_rng(0)
    village_price = rng.uniform(-100, 100, len(problem.villages))
    unit_price = rng.uniform(-100, 100, len(problem.units))
    link_price = -_random_link_prices(links, 1)
    laid_out = space.with_links(space.prices(village_price, unit_price), links, link_price)
    mapped = space.prices(
        village_price, unit_price, dict(zip(links.pairs, link_price.tolist(), strict=True))
    )
    assert laid_out.base == pytest.approx(mapped.base)
    assert laid_out.slot == pytest.approx(mapped.slot)


def test_extra_teams_cost_what_the_lp_says() -> None:
    """Teams NumPy does not price (villages needing three units): the Lagrangian's reduced
    costs equal the LP's under the same unit and town-link prices."""
    problem = _forced_across_towns(25.0)
    villages = tuple(
        dataclasses.replace(v, units_required=3) if i % 4 == 1 else v
        for i, v in enumerate(problem.villages)
    )
    problem = dataclasses.replace(problem, villages=villages)
    space = prepare(problem, SolveOptions()).space
    extra, _ = enumerated_teams(space, 1200)
    towns = TownChoice(space.town_links())
    assert any(towns.links.index.get((u, t.village)) is not None for t in extra for u in t.units)
    unit_price = np.random.default_rng(2).uniform(-100, 100, len(problem.units))
    link_price = _random_link_prices(towns.links, 3)
    lagrangian = _Extras(extra, len(problem.villages), len(problem.units), towns)
    lp = Relaxation(
        0.0,
        np.zeros(len(problem.villages)),
        unit_price,
        np.zeros(0),
        0.0,
        dict(zip(towns.links.pairs, (-link_price).tolist(), strict=True)),
    )
    assert lagrangian.reduced(unit_price, link_price) == pytest.approx(lp.reduced(extra))
