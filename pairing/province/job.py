"""The partitioned solve as a job: read, partition, run the parts, check, write.

What ``pairing solve --partition-by`` does; every part runs the per-county job of a plain
solve (:func:`pairing.app.county.solve_county`, through :func:`pairing.province.engine.run_part`),
and the checks and the all-or-nothing writing are the plain solve's too.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from pairing.app.county import ordered_notes, plan_checks
from pairing.app.notices import GapMissed, Listener, Partitioning, Provisional, Waived, ignore
from pairing.app.outputs import write_with_calendars
from pairing.io.output import refuse_overwrite_input
from pairing.io.reader import read_input
from pairing.province.engine import Cluster, Done, PartSettings
from pairing.province.run import PartitionedRun, partition, solve_parts
from pairing.province.workbook import write_partitioned_plan


@dataclass(frozen=True, slots=True)
class PartitionedJob:
    """What to solve by parts, how, and where to write it.

    Attributes
    ----------
    workbook, output
        The input and the merged plan workbook to write.
    by
        The partition column (any spelling of its header) or ``auto``.
    settings, cluster
        Each part's limits, gap and scheduling; where the parts run.
    ics_dir
        Folder for the .ics calendars (with a schedule), or None.
    progress
        Given the number of parts, returns what to call with each part's result.
    """

    workbook: Path
    output: Path
    by: str
    settings: PartSettings
    cluster: Cluster
    ics_dir: Path | None = None
    progress: Callable[[int], Done] | None = field(default=None, compare=False)
    baseline: Path | None = None  # the last round's plan: P18 per part, one weight for all


def solve_and_write(job: PartitionedJob, notices: Listener = ignore) -> PartitionedRun:
    """Partition the input, solve (and schedule) every part, merge, check and write.

    Raises
    ------
    InputError
        For an invalid input or partition, or an output that is the input.
    PartsFailed
        When some part has no plan (or no schedule).
    """
    refuse_overwrite_input(job.output, job.workbook)
    source = read_input(job.workbook, baseline=job.baseline)
    notices(Partitioning(job.by, job.cluster.describe()))
    started = time.perf_counter()
    parts = partition(source, job.by)
    done = job.progress(len(parts)) if job.progress is not None else None
    run = solve_parts(
        source, parts, job.by, job.settings, job.cluster, done, time.perf_counter() - started
    )
    _tell(run, job.settings.gap, notices)
    checks = plan_checks(source.problem, run.plan, run.schedule)
    write = partial(write_partitioned_plan, job.output, source, run, checks)
    write_with_calendars(write, source.problem, run.schedule, job.ics_dir)
    return run


def _tell(run: PartitionedRun, gap: float, notices: Listener) -> None:
    """Tell the parts' missed gaps, and (with a schedule) their waivers and provisional years."""
    parts = tuple(result.plan.facts for result in run.results if result.plan is not None)
    notices(GapMissed(run.plan.facts, gap, parts))
    if run.schedule is not None:
        notices(Waived(ordered_notes([result.waivers for result in run.results])))
        notices(Provisional(run.schedule.provisional_years, merged=True))
