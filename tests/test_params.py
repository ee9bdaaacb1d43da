"""The search's knobs, its one bound type and its status names (issue 16 item 3)."""

from __future__ import annotations

import dataclasses
import json
import time

import numpy as np
import pytest

import pairing.solve.search as search_module
from pairing.domain.status import BoundMethod, Status
from pairing.examples.synthetic import synthetic_county
from pairing.solve.bounds import column_generation
from pairing.solve.lagrange import lagrangian_bound
from pairing.solve.optimize import SolveOptions, prepare, solve
from pairing.solve.params import DEFAULT, ColumnGeneration, SearchParams, Subgradient


def test_the_defaults_are_the_measured_values() -> None:
    """The knobs the search was measured with (a changed default must change a number in
    params.py's comments with it)."""
    params = SearchParams()
    assert params == DEFAULT
    assert params.lp_villages == 1_000 and params.enumeration_budget == 1200
    assert (params.columns.initial_teams, params.columns.added_teams) == (8, 10)
    assert (params.columns.share, params.subgradient.share, params.stage_a.share) == (
        0.5,
        0.3,
        0.3,
    )
    assert (params.fixing.round_cap, params.fixing.growth_limit) == (7_000, 8)
    assert (params.neighbourhoods.villages, params.neighbourhoods.teams_per_village) == (400, 60)
    assert params.subgradient.aim == 0.02 and params.columns.tolerance == 1e-6
    with pytest.raises(dataclasses.FrozenInstanceError):
        params.lp_villages = 5  # type: ignore[misc]


def test_the_size_chooses_the_path_in_one_place() -> None:
    """Up to ``lp_villages`` villages the LP path; above it the Lagrangian path."""
    assert DEFAULT.uses_lp(1_000) and not DEFAULT.uses_lp(1_001)
    assert not SearchParams(lp_villages=10).uses_lp(11)


@pytest.mark.parametrize(("lp_villages", "path"), [(1_000, "_lp_path"), (5, "_lagrangian_path")])
def test_the_options_knobs_reach_the_search(
    monkeypatch: pytest.MonkeyPatch, lp_villages: int, path: str
) -> None:
    """``SolveOptions.search`` is the search's: its size switch picks the path taken."""
    taken: list[str] = []
    for name in ("_lp_path", "_lagrangian_path"):
        real = getattr(search_module, name)

        def recorded(*args: object, _real: object = real, _name: str = name) -> object:
            taken.append(_name)
            return _real(*args)  # type: ignore[operator]

        monkeypatch.setattr(search_module, name, recorded)
    options = SolveOptions(time_limit_s=10, search=SearchParams(lp_villages=lp_villages))
    plan, _ = solve(synthetic_county(12, 0), options)
    assert taken == [path]
    assert len({p.village_id for p in plan.pairs}) == 12


def test_both_bound_methods_give_the_same_bound_type() -> None:
    """Column generation and the Lagrangian each return a Bound: a value, a lowest reduced
    cost per village, and a relaxed solution over their own columns; only column generation
    can say it converged."""
    prepared = prepare(synthetic_county(20, 1), SolveOptions())
    space, data = prepared.space, prepared.data
    lp = column_generation(space, data, [], time.perf_counter() + 30, ColumnGeneration())
    assert lp.method == BoundMethod.LP and lp.converged and not lp.infeasible
    assert len(lp.weights) == len(lp.columns) and set(lp.support()) <= set(lp.columns)
    found = lagrangian_bound(
        space, data, [], 1e12, time.perf_counter() + 1, params=Subgradient(recent_steps=5)
    )
    lagrangian = found.bound(data.n_villages)
    assert lagrangian.method == BoundMethod.LAGRANGIAN
    assert not lagrangian.converged and not lagrangian.infeasible
    assert len(lagrangian.weights) == len(lagrangian.columns)
    assert not lagrangian.duals.village_price.any()  # the Lagrangian prices no village row
    # Either bound's reduced costs of its own columns are never below a village's lowest.
    for bound in (lp, lagrangian):
        reduced = bound.reduced(list(bound.columns))
        lowest = bound.lowest[[t.village for t in bound.columns]]
        assert np.all(reduced >= lowest - 1e-6 * max(1.0, float(np.abs(lowest).max())))
    assert lagrangian.value <= lp.value + 1e-6 * abs(lp.value)  # no bound beats the LP's optimum


def test_status_names_are_the_old_strings() -> None:
    """Workbooks and JSON carry the same text as before the enum."""
    assert Status.OPTIMAL == "OPTIMAL" and f"{Status.FEASIBLE}" == "FEASIBLE"
    assert json.dumps({"status": Status.INFEASIBLE}) == '{"status": "INFEASIBLE"}'
    assert json.dumps([BoundMethod.CP_SAT, BoundMethod.NONE]) == '["cp-sat", ""]'
    assert Status.OPTIMAL.feasible and not Status.UNKNOWN.feasible
