"""``pairing solve`` against exhaustive enumeration on random tiny counties (issue 14 item 4).

Each seed draws a county (:mod:`.county`), writes it as an input workbook and runs the real
command line on it. The oracle (:mod:`.oracle`), written from models/README.md alone, lists
every plan. Per case: no plan → exit 4; else exit 0, a plan that keeps every hard rule, an
objective equal to the oracle's cost of that plan (to 1e-6 point), a bound not above the
optimum and, when proven, a cost within 1e-6 of the optimum. Anything else fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .county import random_county, write_workbook
from .harness import Verdict, judge, run_in_process, run_subprocess

SUBPROCESS_SEEDS = (1, 3, 4)  # a few through `python -m pairing`, as a user runs it


def settle(verdict: Verdict) -> None:
    """Fail on a defect, with what the case was and what each side said."""
    context = "; ".join(verdict.notes)
    assert not verdict.defects, f"{verdict.seed}: {verdict.defects} ({context})"


def test_solve_agrees_with_enumeration(seed: int, tmp_path: Path) -> None:
    """The in-process command line on one random county."""
    county = random_county(seed)
    workbook = write_workbook(county, tmp_path / "county.xlsx")
    settle(
        judge(
            f"seed {seed}: {county.describe()}",
            county,
            run_in_process(workbook, tmp_path / "plan.xlsx"),
        )
    )


@pytest.mark.parametrize("process_seed", SUBPROCESS_SEEDS)
def test_subprocess_agrees_with_enumeration(process_seed: int, tmp_path: Path) -> None:
    """The same judgement through ``python -m pairing solve`` in a process of its own."""
    county = random_county(process_seed)
    workbook = write_workbook(county, tmp_path / "county.xlsx")
    solved = run_subprocess(workbook, tmp_path / "plan.xlsx")
    settle(judge(f"seed {process_seed}", county, solved))
