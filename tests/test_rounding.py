"""Rounding the relaxation by flow: whole plans that follow the relaxation where they can."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pairing.cpsat.pairing.data import PairingData, Team
from pairing.examples.synthetic import synthetic_county
from pairing.solve.optimize import SolveOptions, prepare
from pairing.solve.rounding import round_relaxation
from pairing.solve.stage import Pool

_PREPARED = prepare(synthetic_county(40, 2), SolveOptions())


def _teams(per_village: int) -> list[Team]:
    """The ``per_village`` cheapest teams of each village of the 40-village county."""
    pool = Pool()
    pool.add(_PREPARED.space.teams_below(_PREPARED.space.zero_prices(), np.inf, per_village))
    return pool.teams


def _holds(data: PairingData, pairs: set[tuple[int, int]]) -> bool:
    """P01 and P02: each village's units required, each unit within its bounds, on edges."""
    edges = {(edge.unit, edge.village) for edge in data.edges}
    per_village = np.bincount([v for _, v in pairs], minlength=data.n_villages)
    per_unit = np.bincount([u for u, _ in pairs], minlength=data.n_units)
    return (
        pairs <= edges
        and per_village.tolist() == list(data.units_required)
        and bool((per_unit >= data.villages_min).all() and (per_unit <= data.villages_max).all())
    )


def test_an_integral_relaxation_rounds_to_itself() -> None:
    """Values of 1 on a feasible plan's teams give back exactly that plan, though the flow's
    own costs choose another: the warm start with two units swapped between villages."""
    data = _PREPARED.data
    edges = {(edge.unit, edge.village) for edge in data.edges}
    units_of: dict[int, list[int]] = {}
    for unit, village in sorted(_PREPARED.start):
        units_of.setdefault(village, []).append(unit)
    a, b = next(
        (v, w)
        for v in units_of
        for w in units_of
        if v < w and (units_of[v][0], w) in edges and (units_of[w][0], v) in edges
    )
    units_of[a][0], units_of[b][0] = units_of[b][0], units_of[a][0]
    swapped = [Team(v, tuple(sorted(units)), 0) for v, units in units_of.items()]
    pairs = round_relaxation(data, swapped, np.ones(len(swapped)))
    assert pairs == {(u, t.village) for t in swapped for u in t.units}
    assert pairs != _PREPARED.start


def test_rounding_keeps_a_forced_pair_against_the_values() -> None:
    """A forced (or 必须) pair is a fixed edge of the flow: it stays, though the values put
    the whole weight of its village on another team."""
    problem = synthetic_county(40, 2)
    start = sorted(_PREPARED.start)
    village = start[0][1]
    forced = next(
        (u, v) for u, v in _PREPARED.candidates if v == village and (u, v) not in _PREPARED.start
    )
    data = prepare(problem, SolveOptions(forced=(forced,))).data
    elsewhere = tuple(sorted(u for u, v in start if v == village))
    pairs = round_relaxation(data, [Team(village, elsewhere, 0)], np.ones(1))
    assert pairs is not None and forced in pairs
    assert _holds(data, pairs)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), density=st.floats(0.0, 1.0))
def test_any_relaxation_rounds_to_a_feasible_plan(seed: int, density: float) -> None:
    """Whatever the values, fractional or conflicting, the rounded plan satisfies P01-P02 on
    the candidate graph."""
    data = _PREPARED.data
    teams = _teams(8)
    rng = np.random.default_rng(seed)
    values = rng.random(len(teams)) * (rng.random(len(teams)) < density)
    pairs = round_relaxation(data, teams, values)
    assert pairs is not None and _holds(data, pairs)


def test_a_graph_without_a_plan_rounds_to_none() -> None:
    """Four units for two villages needing two each, but only three reach them (Hall's
    condition fails though places suffice): no plan, whatever the values."""
    data = _PREPARED.data
    starved = replace(
        data,
        units_required=(2, 2),
        villages_min=(0, 0, 0, 0),
        villages_max=(1, 1, 1, 1),
        edges=tuple(e for e in data.edges if e.unit < 3 and e.village < 2),
        needs=(),
    )
    assert len({e.unit for e in starved.edges}) == 3
    teams = [Team(0, (0, 1), 0), Team(1, (1, 2), 0)]
    assert round_relaxation(starved, teams, np.ones(2)) is None
