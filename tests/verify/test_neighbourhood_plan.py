"""A plan improved by the neighbourhood search passes the independent verifier."""

from __future__ import annotations

from pathlib import Path

import pytest

import pairing.solve.neighbourhoods as neighbourhoods
import pairing.solve.optimize as optimize
from pairing.examples.synthetic import synthetic_county
from pairing.solve.params import SearchParams
from pairing.verify.run import verify_plan

from .plans import solve_plan, write_input


def test_a_plan_improved_by_neighbourhoods_passes_the_verifier(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the neighbourhood search switched on for a 120-village county, the written plan
    passes the independent verifier at its reported total, and the neighbourhoods ran."""
    real_search = optimize.search

    def lagrangian_path(*args: object, **kwargs: object) -> object:
        return real_search(*args, **{**kwargs, "params": SearchParams(lp_villages=20)})  # type: ignore[arg-type]

    monkeypatch.setattr(optimize, "search", lagrangian_path)
    steps = []
    real_solve = neighbourhoods.solve_teams

    def counted(*args: object, **kwargs: object) -> object:
        steps.append(1)
        return real_solve(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(neighbourhoods, "solve_teams", counted)
    source = write_input(synthetic_county(120, 4), tmp_path / "input.xlsx")
    case = solve_plan(source, tmp_path / "plan.xlsx")
    report = verify_plan(case.path, case.source)
    assert report.valid, report.findings[:5]
    assert report.total == pytest.approx(case.plan.facts.objective, abs=0.01)
    assert steps
