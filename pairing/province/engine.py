"""Run the parts: on a Dask cluster (local or remote), else in a local process pool.

Each part is one task: its sub-problem goes to a worker as the frozen dataclasses, the worker
solves it on one thread with the workbook's seed (and schedules it when asked) and sends back
the plan. A worker process runs one part at a time. The parts are handed out largest first,
so that the last part to finish is a small one; the results are merged in canonical part
order, so the plan does not depend on which worker ran what, nor on how many there were.

Engines, in order of preference:

* ``--scheduler tcp://HOST:8786``: a running Dask cluster (``dask scheduler`` and ``dask
  worker``); its workers need this package installed.
* a Dask ``LocalCluster`` of worker processes on this machine, one thread each (``--workers``
  of them, default: the cores), on the loopback interface only.
* without Dask installed: :class:`concurrent.futures.ProcessPoolExecutor` with the same
  tasks and the same results.
"""

from __future__ import annotations

import importlib.util
import logging
import multiprocessing
import os
import socket
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from pairing.app.county import CountyOptions, solve_county
from pairing.domain.errors import InfeasibleError, InputError, Issue, PairingError
from pairing.domain.plan import Plan, Schedule
from pairing.province import transport
from pairing.province.parts import Part

ONE_THREAD = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")
MIN_PART_SECONDS = 2.0  # the least time a part gets when its limit scales with its size
EngineName = Literal["auto", "dask", "pool"]
Done = Callable[["PartResult"], None]


@dataclass(frozen=True, slots=True)
class PartSettings:
    """How each part is solved (and scheduled); the same for every part.

    Attributes
    ----------
    time_limit_s
        Seconds for each part's solve (None: the workbook's ``time_limit_s``); with
        ``seconds_per_village``, the cap of the scaled limit.
    seconds_per_village
        When set, a part gets this many seconds per village (at least
        :data:`MIN_PART_SECONDS`), so that large counties get more time than small ones.
    gap
        Relative gap at which a part's search may stop (0: prove optimality).
    schedule
        Also schedule each part's pairs.
    schedule_time_limit_s
        Seconds for each part's schedule (None: the workbook's ``time_limit_s``).
    strict_calendar
        Refuse years without official holiday data (as ``pairing schedule``).
    """

    time_limit_s: float | None = None
    seconds_per_village: float | None = None
    gap: float = 0.0
    schedule: bool = False
    schedule_time_limit_s: float | None = None
    strict_calendar: bool = False

    def time_limit(self, villages: int) -> float | None:
        """Return the solve's time limit for a part of ``villages`` villages."""
        if self.seconds_per_village is None:
            return self.time_limit_s
        scaled = max(MIN_PART_SECONDS, self.seconds_per_village * villages)
        return scaled if self.time_limit_s is None else min(scaled, self.time_limit_s)

    def county(self, villages: int) -> CountyOptions:
        """Return the per-county options of a part of ``villages`` villages: one thread."""
        return CountyOptions(
            time_limit_s=self.time_limit(villages),
            workers=1,
            gap=self.gap,
            schedule=self.schedule,
            schedule_time_limit_s=self.schedule_time_limit_s,
            strict_calendar=self.strict_calendar,
        )


@dataclass(frozen=True, slots=True)
class PartTask:
    """One part and how to solve it: what a worker receives."""

    part: Part
    settings: PartSettings


@dataclass(frozen=True, slots=True)
class PartFailure:
    """Why a part has no plan: the exit code of its error and its issues."""

    exit_code: int
    issues: tuple[Issue, ...]


@dataclass(frozen=True, slots=True)
class PartResult:
    """What a worker sends back for one part.

    Attributes
    ----------
    index, key, villages, units
        The part: canonical position, name and size.
    plan, schedule
        The part's plan (None when it failed) and schedule (when asked).
    failure
        Why the part has no plan, or None.
    timings
        Seconds of each solve step (precheck, candidates, search).
    solve_seconds, schedule_seconds
        Wall seconds of the solve and of the schedule, in the worker.
    cpu_seconds
        CPU seconds of the worker process for the part (below the wall seconds when the
        machine is busy with other work).
    peak_mb
        The worker process's peak resident memory so far (MB), after this part.
    worker
        ``host:pid`` of the worker process.
    waivers
        The schedule's notes (an obligation waived in a period), Chinese / English.
    provisional
        The years scheduled on provisional dates.
    """

    index: int
    key: str
    villages: int
    units: int
    plan: Plan | None
    schedule: Schedule | None
    failure: PartFailure | None
    timings: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    solve_seconds: float = 0.0
    schedule_seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_mb: float = 0.0
    worker: str = ""
    waivers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Cluster:
    """Where the parts run.

    Attributes
    ----------
    workers
        Local worker processes (default: the cores this process may use).
    scheduler
        Address of a running Dask scheduler (``tcp://HOST:8786``); None: a local cluster.
    engine
        ``"dask"``, ``"pool"`` (a process pool) or ``"auto"`` (Dask when installed).
    """

    workers: int | None = None
    scheduler: str | None = None
    engine: EngineName = "auto"

    def local_workers(self) -> int:
        """Return how many local worker processes to start."""
        if self.workers is not None:
            return self.workers
        affinity = getattr(os, "sched_getaffinity", None)
        return len(affinity(0)) if affinity is not None else os.cpu_count() or 1

    def uses_dask(self) -> bool:
        """Return whether the parts go to Dask (asked for, or installed and not refused)."""
        if self.engine == "pool":
            return False
        return self.engine == "dask" or self.scheduler is not None or dask_installed()

    def describe(self) -> str:
        """Return the engine in words (for stderr and the parts sheet)."""
        if self.scheduler is not None:
            return f"Dask cluster {self.scheduler}"
        kind = "Dask LocalCluster" if self.uses_dask() else "process pool"
        return f"{kind}, {self.local_workers()} worker process(es)"


def dask_installed() -> bool:
    """Return whether ``dask.distributed`` can be imported."""
    return importlib.util.find_spec("distributed") is not None


def run_part(task: PartTask) -> PartResult:
    """Solve (and schedule) one part in this process; the function every worker runs.

    The part is one county to :func:`pairing.app.county.solve_county`, the job a plain
    solve runs. Errors a planner can fix (no feasible plan, invalid input, no plan in time)
    come back as a :class:`PartFailure`, so that every part's problems are reported together;
    anything else is a bug and is raised.
    """
    part, settings = task.part, task.settings
    started, cpu = time.perf_counter(), time.process_time()
    try:
        county = solve_county(part.problem, settings.county(part.villages))
    except PairingError as error:
        return _failed(part, error, time.perf_counter() - started)
    return PartResult(
        index=part.index,
        key=part.key,
        villages=part.villages,
        units=len(part.unit_ids),
        plan=county.plan,
        schedule=county.schedule,
        failure=None,
        timings=MappingProxyType(dict(county.timings.steps)),
        solve_seconds=round(county.solve_seconds, 3),
        schedule_seconds=round(county.schedule_seconds, 3),
        cpu_seconds=round(time.process_time() - cpu, 3),
        peak_mb=peak_mb(),
        worker=worker_name(),
        waivers=county.waivers,
    )


def worker_name() -> str:
    """Return ``host:pid`` of this process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _failed(part: Part, error: PairingError, seconds: float) -> PartResult:
    """Return the result of a part whose solve or schedule ended in a planner's error."""
    if isinstance(error, InputError):
        issues = tuple(error.issues)
    elif isinstance(error, InfeasibleError):
        issues = tuple(error.reasons)
    else:
        zh, _, en = str(error).partition(" / ")
        issues = (Issue(part_label(part.key), None, None, zh, en or zh),)
    return PartResult(
        part.index,
        part.key,
        part.villages,
        len(part.unit_ids),
        None,
        None,
        PartFailure(error.exit_code, issues),
        solve_seconds=round(seconds, 3),
        peak_mb=peak_mb(),
        worker=worker_name(),
    )


def part_label(key: str) -> str:
    """Return how a message names a part: ``分区 part 清丰县``."""
    return f"分区 part {key}"


def peak_mb() -> float:
    """Return this process's peak resident memory in MB (0 where the OS does not say)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    per_mb = 1024 * 1024 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    return round(peak / per_mb, 1)


def run_parts(
    tasks: Sequence[PartTask], cluster: Cluster, done: Done | None = None
) -> list[PartResult]:
    """Run every task on ``cluster``; return the results in canonical part order.

    Parameters
    ----------
    tasks
        One task per part.
    cluster
        Where to run them.
    done
        Called with each result as it arrives (progress on stderr).

    Returns
    -------
    list of PartResult
        Sorted by part index, whatever order they finished in.
    """
    ordered = sorted(tasks, key=lambda t: (-t.part.villages, t.part.index))  # largest first
    runner = _dask_results if cluster.uses_dask() else _pool_results
    results = []
    for result in runner(ordered, cluster):
        if done is not None:
            done(result)
        results.append(result)
    return sorted(results, key=lambda r: r.index)


def _pool_results(tasks: Sequence[PartTask], cluster: Cluster) -> Iterator[PartResult]:
    """Run the tasks in a process pool (fresh interpreters), yielding results as they end."""
    transport.enable()
    context = multiprocessing.get_context("spawn")
    workers = min(cluster.local_workers(), max(1, len(tasks)))
    with (
        _one_thread_libraries(),
        ProcessPoolExecutor(workers, context, initializer=transport.enable) as pool,
    ):
        futures = [pool.submit(run_part, task) for task in tasks]
        for future in as_completed(futures):
            yield future.result()


@contextmanager
def _one_thread_libraries() -> Iterator[None]:
    """Let the pool's processes start with one-thread numeric libraries (as Dask's nanny does).

    A worker process solves one part on one thread; an OpenMP or BLAS pool the size of the
    machine in every worker would only make them wait for each other. The variables are set
    (where not set already) while the pool's processes start, then restored.
    """
    saved = {name: os.environ.get(name) for name in ONE_THREAD}
    for name in ONE_THREAD:
        os.environ.setdefault(name, "1")
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _dask_results(tasks: Sequence[PartTask], cluster: Cluster) -> Iterator[PartResult]:
    """Run the tasks on Dask (a running cluster, or a local one), yielding results as they end."""
    finished = _distributed().as_completed
    with _dask_client(cluster) as client:
        futures = [
            client.submit(run_part, task, pure=False, priority=task.part.villages) for task in tasks
        ]
        for future in finished(futures):
            yield future.result()


@contextmanager
def _dask_client(cluster: Cluster) -> Iterator[Any]:
    """Connect to the scheduler, or start a loopback LocalCluster of one-thread processes."""
    distributed = _distributed()
    if cluster.scheduler is not None:
        with distributed.Client(cluster.scheduler, timeout="30s") as client:
            yield client
        return
    local = distributed.LocalCluster(
        n_workers=cluster.local_workers(),
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",  # loopback, any free port
        silence_logs=logging.ERROR,
    )
    with local, distributed.Client(local) as client:
        yield client


def _distributed() -> Any:
    """Return the ``distributed`` module (imported only when Dask runs the parts; untyped)."""
    return importlib.import_module("distributed")


def describe_failures(results: Iterable[PartResult]) -> list[Issue]:
    """Return every failed part's issues, each prefixed with the part's name."""
    issues = []
    for result in results:
        if result.failure is None:
            continue
        for issue in result.failure.issues:
            if issue.sheet == part_label(result.key):  # already names its part
                issues.append(issue)
                continue
            tag = f"［分区 {result.key}］"
            issues.append(
                Issue(
                    issue.sheet,
                    issue.row,
                    issue.column,
                    tag + issue.zh,
                    f"[part {result.key}] {issue.en}",
                    issue.rule,
                )
            )
    return issues
