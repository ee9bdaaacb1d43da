"""The example solved once by the solve job, for the other jobs to read."""

from __future__ import annotations

from pathlib import Path

import pytest

from pairing.app.notices import Notice
from pairing.app.solve import Solved, SolveJob, solve_job

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "gaozhou.xlsx"


class Heard(list[Notice]):
    """A listener that keeps every notice, in order."""

    def __call__(self, notice: Notice) -> None:
        self.append(notice)


@pytest.fixture(scope="session")
def solved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Solved, Heard]:
    """The example solved (no schedule) and what the job said while it ran."""
    heard = Heard()
    job = SolveJob(EXAMPLE, tmp_path_factory.mktemp("app") / "plan.xlsx", time_limit_s=60)
    return solve_job(job, heard), heard
