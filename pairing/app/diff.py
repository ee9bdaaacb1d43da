"""The diff job: read two plans of one county, compare them, optionally write the workbook."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pairing.compare import PlanDiff, diff_plans, read_side
from pairing.compare.book import write_diff
from pairing.io.output import refuse_overwrite_input


@dataclass(frozen=True, slots=True)
class DiffJob:
    """Plans A and B (B − A), and the workbook to write (None: none)."""

    a: Path
    b: Path
    output: Path | None = None


def diff_job(job: DiffJob) -> PlanDiff:
    """What changed from plan A to plan B; written to ``job.output`` when given.

    Raises
    ------
    InputError
        A file that is not a plan workbook, an output that is one of the plans, or two plans
        with no village in common (exit 3).
    """
    if job.output is not None:
        refuse_overwrite_input(job.output, job.a, job.b)
    diff = diff_plans(read_side(job.a), read_side(job.b))
    if job.output is not None:
        write_diff(job.output, diff)
    return diff
