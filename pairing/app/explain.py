"""The explain job: read a plan workbook and explain one village or one unit of it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pairing.io.planbook import read_plan
from pairing.solve.explain import Explanation, explain_unit, explain_village


@dataclass(frozen=True, slots=True)
class ExplainJob:
    """Which plan, which village or unit (exactly one), how many alternatives, and the
    seconds of each alternative's re-solve."""

    plan: Path
    village_id: str | None = None
    unit_id: str | None = None
    alternatives: int = 3
    time_limit_s: float = 20.0


def explain_job(job: ExplainJob) -> Explanation:
    """The terms of the village's (or unit's) pairs and its best alternatives, priced.

    Raises
    ------
    InputError
        For an unknown village or unit, or a file that is not a plan workbook.
    """
    book = read_plan(job.plan)
    problem, plan = book.input.problem, book.plan
    if job.village_id is not None:
        return explain_village(problem, plan, job.village_id, job.alternatives, job.time_limit_s)
    return explain_unit(problem, plan, str(job.unit_id), job.alternatives, job.time_limit_s)
