"""Candidate graphs: distances by unit vectors, the sampled partial sort, re-draws, Hall's check."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pairing.cpsat.pairing.flow import Assignment, assignment_exists
from pairing.domain.geo import great_circle_km
from pairing.examples.synthetic import synthetic_county
from pairing.solve.candidates import (
    SPREAD_CROWDING,
    CandidateDraws,
    Geometry,
    _lowest,
    _vectors,
)

latitudes = st.floats(-80, 80, allow_nan=False)
longitudes = st.floats(-179, 179, allow_nan=False)
points = st.lists(st.tuples(latitudes, longitudes), min_size=1, max_size=6)


@settings(max_examples=60, deadline=None)
@given(units=points, villages=points, circuity=st.floats(1.0, 2.0))
def test_km_by_unit_vectors_matches_the_haversine(
    units: list[tuple[float, float]], villages: list[tuple[float, float]], circuity: float
) -> None:
    """The chord formula gives the domain's haversine km (times circuity) within a metre, in
    both layouts."""
    geometry = Geometry(_vectors(units), _vectors(villages), circuity)
    km = geometry.km(np.arange(len(villages)))
    by_unit = geometry.km_by_unit(np.arange(len(units)))
    for v, (vlat, vlon) in enumerate(villages):
        for u, (ulat, ulon) in enumerate(units):
            expected = great_circle_km(ulat, ulon, vlat, vlon) * circuity
            assert math.isclose(km[v, u], expected, abs_tol=1e-3)
            assert by_unit[u, v] == km[v, u]


def test_an_unknown_point_has_unknown_distances() -> None:
    """A unit without coordinates gets NaN km, and the geometry says it has gaps."""
    geometry = Geometry(_vectors([(np.nan, np.nan), (22.0, 111.0)]), _vectors([(22.0, 111.0)]), 1)
    km = geometry.km(np.arange(1))
    assert np.isnan(km[0, 0]) and km[0, 1] == 0.0
    assert geometry.gaps


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(st.integers(-20, 20), min_size=1, max_size=300),
    take=st.integers(1, 12),
    sample_size=st.integers(1, 40),
)
def test_lowest_finds_the_lowest_values(values: list[int], take: int, sample_size: int) -> None:
    """Whatever the sample, the sampled partial sort returns ``take`` indices holding the
    ``take`` lowest values (ties may go either way)."""
    array = np.array(values, dtype=float)
    sample = np.unique(np.linspace(0, len(array) - 1, sample_size).astype(np.int64))
    found = _lowest(array, take, sample)
    assert len(set(found.tolist())) == min(take, len(array))
    assert sorted(array[found]) == sorted(array)[: min(take, len(array))]


def test_a_redraw_equals_a_fresh_draw() -> None:
    """Draws that share a ``k`` share its village lists and still give what a fresh draw
    gives, whatever the crowding."""
    problem = synthetic_county(120, 3)  # 246 units: a restricted graph
    draws = CandidateDraws(problem)
    first, restricted = draws.draw()
    spread, _ = draws.draw(None, SPREAD_CROWDING)
    assert restricted
    assert (first, True) == CandidateDraws(problem).draw()
    assert (spread, True) == CandidateDraws(problem).draw(None, SPREAD_CROWDING)
    assert first != spread, "crowding changes the unit-side picks"


def test_assignment_exists_binds_on_hall_violators() -> None:
    """Two villages needing two units each cannot share three units of capacity one; a fourth
    unit, or a unit of capacity two, makes the graph assignable."""
    three = [(u, v) for u in range(3) for v in range(2)]
    assert not assignment_exists(Assignment([2, 2], [1] * 3, [1] * 3, three, [False] * 6))
    four = [(u, v) for u in range(4) for v in range(2)]
    assert assignment_exists(Assignment([2, 2], [1] * 4, [1] * 4, four, [False] * 8))
    assert assignment_exists(Assignment([2, 2], [1, 1, 1], [2, 1, 1], three, [False] * 6))


def test_assignment_exists_counts_fixed_pairs() -> None:
    """A fixed pair takes its unit's only place: the other village then lacks a unit."""
    pairs = [(0, 0), (0, 1), (1, 1)]
    assert assignment_exists(Assignment([1, 1], [1, 1], [1, 1], pairs, [True, False, False]))
    assert not assignment_exists(Assignment([1, 2], [1, 1], [1, 1], pairs, [True, False, False]))
