"""The two reproducers of issue 14 (cases/README.md): the oracle's count, and a solve.

Both solves failed on 3995899 (item 1: exit 4 with 18 feasible plans; item 2: exit 1,
"LP failed: Unknown"); they solve to the oracle's optimum since.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .county import read_workbook
from .harness import judge, run_in_process
from .oracle import Oracle, optimum

CASES = Path(__file__).parent / "cases"


@pytest.mark.parametrize(
    ("name", "plans", "best"),
    [("false-infeasible", 18, 100_957.11), ("lp-failed", 2_880, 14_906.85)],
)
def test_oracle_enumerates_the_case(name: str, plans: int, best: float) -> None:
    """The oracle finds the plans the issue counted, and the best cost it gave."""
    found = optimum(Oracle(read_workbook(CASES / f"{name}.xlsx")))
    assert found.plans == plans
    assert found.cost == pytest.approx(best, abs=0.005)


@pytest.mark.parametrize("name", ["false-infeasible", "lp-failed"])
def test_case_solves(name: str, tmp_path: Path) -> None:
    """The case solves to a plan that keeps the hard rules and costs the optimum."""
    workbook = CASES / f"{name}.xlsx"
    verdict = judge(name, read_workbook(workbook), run_in_process(workbook, tmp_path / "plan.xlsx"))
    assert not verdict.defects, verdict.defects
