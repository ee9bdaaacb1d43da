"""Inputs for the signal and output tests: a county big enough to search for a while, the
Gaozhou example and its plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from pairing.examples import gaozhou, province

from .processes import pairing

# Three counties of 270 villages (810 villages, 1,662 units) as one input: column generation,
# then CP-SAT, for many seconds before the first plan (about 15-30 s on 2 cores), which is
# what a user interrupts.
BIG_COUNTIES = (270, 270, 270)


@pytest.fixture(scope="session")
def big_county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An 810-village input workbook."""
    path = tmp_path_factory.mktemp("big") / "three-counties.xlsx"
    province.write(province.generate(sizes=BIG_COUNTIES), path)
    return path


@pytest.fixture(scope="session")
def gaozhou_input(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Gaozhou example (plan year 2027: its schedule warns of provisional dates)."""
    path = tmp_path_factory.mktemp("gaozhou") / "gaozhou.xlsx"
    gaozhou.write_example(path)
    return path


@pytest.fixture(scope="session")
def gaozhou_plan(gaozhou_input: Path) -> Path:
    """The Gaozhou example's plan."""
    plan = gaozhou_input.with_name("plan.xlsx")
    done = pairing(["solve", str(gaozhou_input), "-o", str(plan), "-q"], gaozhou_input.parent)
    assert done.code == 0, done.stderr
    return plan
