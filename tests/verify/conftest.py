"""Solver plans for the verifier's tests, made once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from pairing.examples.synthetic import synthetic_county

from .plans import EXAMPLE, PlanCase, small_county, solve_plan, write_input


@pytest.fixture(scope="session")
def example_plan(tmp_path_factory: pytest.TempPathFactory) -> PlanCase:
    """The Gaozhou example, solved once."""
    folder = tmp_path_factory.mktemp("example")
    return solve_plan(EXAMPLE, folder / "plan.xlsx")


@pytest.fixture(scope="session")
def scheduled_plan(tmp_path_factory: pytest.TempPathFactory) -> PlanCase:
    """A small county on the official 2026 calendar, solved and scheduled."""
    folder = tmp_path_factory.mktemp("scheduled")
    source = write_input(small_county(2026), folder / "input.xlsx")
    return solve_plan(source, folder / "plan.xlsx", scheduled=True)


@pytest.fixture(scope="session")
def provisional_plan(tmp_path_factory: pytest.TempPathFactory) -> PlanCase:
    """A small county in 2027, a year without official holiday data: provisional dates."""
    folder = tmp_path_factory.mktemp("provisional")
    source = write_input(small_county(2027, seed=11), folder / "input.xlsx")
    return solve_plan(source, folder / "plan.xlsx", scheduled=True)


@pytest.fixture(scope="session")
def synthetic_plans(tmp_path_factory: pytest.TempPathFactory) -> dict[int, PlanCase]:
    """synthetic_county(54) and synthetic_county(120), solved (no schedule)."""
    folder = tmp_path_factory.mktemp("synthetic")
    plans = {}
    for size in (54, 120):
        source = write_input(synthetic_county(size), folder / f"input{size}.xlsx")
        plans[size] = solve_plan(source, folder / f"plan{size}.xlsx")
    return plans


def pytest_configure() -> None:
    """Nothing to configure; fixtures live here so every verify test shares them."""
    assert Path(__file__).exists()
