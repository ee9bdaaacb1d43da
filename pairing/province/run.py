"""A partitioned solve from input to merged plan: partition, run the parts, merge.

:func:`partition` splits the input by a column or by components; :func:`solve_partitioned`
runs every part on the chosen engine and merges the results into one plan (and schedule).
A part that has no plan stops the run with every failed part's reasons (exit 3 or 4).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from pairing.domain.errors import Issue, PairingError
from pairing.domain.plan import Plan, Schedule
from pairing.io.reader import Input
from pairing.province.columns import by_column
from pairing.province.components import by_components
from pairing.province.engine import (
    Cluster,
    Done,
    PartResult,
    PartSettings,
    PartTask,
    describe_failures,
    run_parts,
)
from pairing.province.merge import merge_plans, merge_schedules
from pairing.province.parts import Part, split
from pairing.solve.stability import stated, with_stability

AUTO = "auto"


class PartsFailed(PairingError):
    """Some parts have no plan; every reason is listed, prefixed with its part.

    The exit code is 3 when a part's input is invalid, else 4 (no plan satisfies the hard
    rules, or none was found in time).
    """

    def __init__(self, issues: Sequence[Issue], exit_code: int) -> None:
        self.issues = list(issues)
        self.exit_code = exit_code
        lines = "\n".join(f"  - {issue}" for issue in self.issues)
        super().__init__(f"分区求解未成功 / some parts have no plan:\n{lines}")


@dataclass(frozen=True, slots=True)
class PartitionedRun:
    """A partitioned solve: its parts' results, the merged plan and schedule, and times.

    Attributes
    ----------
    by
        The partition column, or ``auto``.
    engine
        Where the parts ran, in words.
    results
        Each part's result in canonical order.
    plan, schedule
        The merged plan and (when asked) schedule.
    partition_seconds, seconds
        Wall seconds to partition, and of the whole run (partition, parts, merge).
    """

    by: str
    engine: str
    results: tuple[PartResult, ...]
    plan: Plan
    schedule: Schedule | None
    partition_seconds: float
    seconds: float


def partition(source: Input, by: str) -> tuple[Part, ...]:
    """Return the parts of ``source``: by the column ``by``, or by components for ``auto``.

    Raises
    ------
    InputError
        For a missing column, blank or one-sided values, or rows crossing parts.
    """
    problem = with_stability(source.problem)  # one P18 weight for every part, the whole's
    if by.strip().casefold() == AUTO:
        return split(problem, by_components(problem))
    return split(problem, by_column(source, by))


def solve_partitioned(
    source: Input,
    by: str,
    settings: PartSettings,
    cluster: Cluster,
    done: Done | None = None,
) -> PartitionedRun:
    """Partition ``source``, solve (and schedule) every part on ``cluster``, merge.

    Parameters
    ----------
    source
        The read input.
    by
        The partition column (any spelling of its header) or ``auto``.
    settings
        Limits, gap and scheduling of each part.
    cluster
        Where the parts run.
    done
        Called with each part's result as it arrives.

    Returns
    -------
    PartitionedRun
        The results and the merged plan (and schedule).

    Raises
    ------
    InputError
        When the partition is invalid.
    PartsFailed
        When some part has no plan (or no schedule).
    """
    started = time.perf_counter()
    parts = partition(source, by)
    return solve_parts(source, parts, by, settings, cluster, done, time.perf_counter() - started)


def solve_parts(
    source: Input,
    parts: Sequence[Part],
    by: str,
    settings: PartSettings,
    cluster: Cluster,
    done: Done | None = None,
    partition_seconds: float = 0.0,
) -> PartitionedRun:
    """Solve (and schedule) the given parts of ``source`` on ``cluster`` and merge them.

    Parameters
    ----------
    source
        The read input.
    parts
        Its parts, from :func:`partition`.
    by
        What the parts were split by (for the record).
    settings, cluster, done
        As for :func:`solve_partitioned`.
    partition_seconds
        Seconds the partition took (counted in the run's time).

    Returns
    -------
    PartitionedRun
        The results and the merged plan (and schedule).
    """
    started = time.perf_counter() - partition_seconds
    results = run_parts([PartTask(part, settings) for part in parts], cluster, done)
    _raise_failures(results)
    seconds = time.perf_counter() - started
    whole = with_stability(source.problem)
    plan = stated(source.problem, whole, merge_plans(whole, results, seconds))
    seed = source.problem.settings.seed
    schedules = [r.schedule for r in results if r.schedule is not None]
    schedule = merge_schedules(schedules, seconds, seed) if settings.schedule else None
    return PartitionedRun(
        by,
        cluster.describe(),
        tuple(results),
        plan,
        schedule,
        round(partition_seconds, 3),
        round(time.perf_counter() - started, 3),
    )


def _raise_failures(results: Sequence[PartResult]) -> None:
    """Raise :class:`PartsFailed` listing every failed part, if any failed."""
    issues = describe_failures(results)
    if not issues:
        return
    codes = [r.failure.exit_code for r in results if r.failure is not None]
    raise PartsFailed(issues, 3 if 3 in codes else codes[0])
