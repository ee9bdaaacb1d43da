"""The neighbourhood search: town groups, and steps that never lose."""

from __future__ import annotations

import dataclasses
import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pairing.cpsat.pairing.data import SCALE, PairingData, Team
from pairing.cpsat.pairing.solver import SearchLimits
from pairing.examples.synthetic import synthetic_county
from pairing.solve.neighbourhoods import TownGraph, _solve_step, improve
from pairing.solve.optimize import SolveOptions, prepare
from pairing.solve.search import _teams_of
from pairing.solve.stage import Found, Pool, plan_cost, solve_teams, unique


@settings(max_examples=60, deadline=None)
@given(
    teams=st.lists(
        st.tuples(st.integers(0, 29), st.lists(st.integers(0, 19), min_size=1, max_size=3)),
        min_size=1,
        max_size=80,
    ),
    towns=st.lists(st.sampled_from("ABCDEFG"), min_size=30, max_size=30),
    size=st.integers(1, 40),
    seed=st.integers(0, 1000),
)
def test_groups_cover_every_village_once_by_whole_towns(
    teams: list[tuple[int, list[int]]], towns: list[str], size: int, seed: int
) -> None:
    """Every village with a team is in exactly one group, with all its town's villages; a
    group smaller than ``size`` is one that ran out of towns."""
    offered = [Team(v, tuple(sorted(set(units))), 0) for v, units in teams]
    graph = TownGraph(offered, towns)
    order = list(np.random.default_rng(seed).permutation(graph.size))
    groups = graph.groups(order, size)
    flat = [v for group in groups for v in group]
    assert sorted(flat) == sorted({t.village for t in offered})
    town_group: dict[str, int] = {}
    for k, group in enumerate(groups):
        for v in group:
            assert town_group.setdefault(towns[v], k) == k
    # Only the group grown last can have run out of towns before reaching ``size``.
    assert all(len(group) >= size for group in groups[:-1])


def test_groups_grow_toward_towns_that_share_units() -> None:
    """A group of two towns takes the town sharing a unit with its seed, not the nearer name."""
    offered = [Team(0, (7,), 0), Team(2, (7,), 0), Team(1, (8,), 0)]
    graph = TownGraph(offered, ("A", "B", "C"))
    assert graph.groups([0, 1, 2], 2) == [[0, 2], [1]]


def test_shared_units_bind_only_when_towns_share_them() -> None:
    """Without shared units the group takes the next town in name order."""
    offered = [Team(0, (7,), 0), Team(2, (9,), 0), Team(1, (8,), 0)]
    graph = TownGraph(offered, ("A", "B", "C"))
    assert graph.groups([0, 1, 2], 2) == [[0, 1], [2]]


def _county(villages: int, seed: int) -> tuple[PairingData, list[Team], Found, SearchLimits]:
    """A county's data (with its towns), teams (12 cheapest per village) and a CP-SAT plan
    from its warm start (offered only the warm start's teams, so it is the warm start)."""
    problem = synthetic_county(villages, seed)
    prepared = prepare(problem, SolveOptions())
    space, data = prepared.space, prepared.data
    start = _teams_of(space, prepared.start)
    limits = SearchLimits(time_limit_s=10, linearization=0)
    incumbent = solve_teams(data, start, start, limits, None, None)
    pool = Pool()
    pool.add(space.teams_below(space.zero_prices(), np.inf, 12))
    return data, pool.teams, incumbent, limits


def test_a_set_stop_event_returns_the_incumbent_marked_interrupted() -> None:
    """Stopped before the first neighbourhood: the plan is the incumbent, marked stopped."""
    data, teams, incumbent, limits = _county(30, 1)
    stop = threading.Event()
    stop.set()
    stopped = improve(data, teams, incumbent, limits, np.inf, stop=stop)
    assert stopped.outcome.interrupted and stopped.teams == incumbent.teams


def test_improve_never_loses_and_reports_its_plans_cost() -> None:
    """From the warm start, the search ends no worse, at the plan's own cost."""
    data, teams, incumbent, limits = _county(80, 3)
    improved = improve(data, teams, incumbent, limits, np.inf)
    assert not improved.outcome.interrupted
    cost = plan_cost(data, list(improved.teams))
    assert improved.outcome.objective <= incumbent.outcome.objective
    assert improved.outcome.objective < incumbent.outcome.objective  # the start is poor
    assert improved.outcome.objective == pytest.approx(cost / SCALE, abs=1e-6)
    assert sorted(t.village for t in improved.teams) == list(range(data.n_villages))


def test_each_step_reports_progress() -> None:
    """Every neighbourhood step reports the best plan so far, never rising."""
    data, teams, incumbent, limits = _county(60, 3)
    reports: list[float] = []

    def progress(_elapsed: float, best: float | None, _bound: float) -> None:
        assert best is not None
        reports.append(best)

    improve(data, teams, incumbent, limits, np.inf, progress)
    assert reports and reports == sorted(reports, reverse=True)
    assert reports[-1] <= incumbent.outcome.objective


def test_a_lean_step_matches_the_whole_model() -> None:
    """A step that models only the group and the villages sharing its units finds a plan as
    good as the model of the whole county with every other team fixed, and reports its
    whole cost."""
    data, teams, incumbent, limits = _county(80, 3)
    full_lp = dataclasses.replace(limits, linearization=2)
    graph = TownGraph(teams, data.village_town)
    for group in graph.groups(list(range(graph.size)), 25)[:3]:
        offered = [t for t in teams if t.village in set(group)]
        lean = _solve_step(data, offered, incumbent, full_lp, None)
        whole = solve_teams(
            data,
            unique(offered + list(incumbent.teams)),
            list(incumbent.teams),
            full_lp,
            None,
            None,
        )
        assert whole.outcome.proven
        assert lean.outcome.objective == pytest.approx(whole.outcome.objective, abs=0.01)
        # The model's bound speaks of the model, not of the whole plan.
        assert not lean.outcome.proven and lean.outcome.bound == float("-inf")
        cost = plan_cost(data, lean.teams) / SCALE
        assert lean.outcome.objective == pytest.approx(cost, abs=0.01)
        assert sorted(t.village for t in lean.teams) == list(range(data.n_villages))
        incumbent = lean


def test_a_unit_held_outside_the_group_is_not_booked_twice() -> None:
    """A team of the group that would take a unit already placed outside it, at a huge
    gain, is refused: the village holding that unit is in the model, its team fixed, and
    the unit's bound binds."""
    data, _, incumbent, limits = _county(30, 1)
    holder = next(t for t in incumbent.teams if data.villages_max[t.units[0]] == 1)
    unit = holder.units[0]
    other = next(t for t in incumbent.teams if t.village != holder.village)
    grabbing = Team(other.village, tuple(sorted({unit, other.units[-1]})), -(10**7))
    step = _solve_step(data, [grabbing, other], incumbent, limits, None)
    chosen = {t.village: t for t in step.teams}
    assert chosen[other.village] == other and chosen[holder.village] == holder
    free = dataclasses.replace(
        data, villages_max=tuple(2 if u == unit else m for u, m in enumerate(data.villages_max))
    )
    step = _solve_step(free, [grabbing, other], incumbent, limits, None)
    assert {t.village: t for t in step.teams}[other.village] == grabbing
