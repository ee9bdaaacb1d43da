"""Solve the groups one after another, or in worker processes.

Each group is solved by one CP-SAT worker under a deterministic-time budget, so its result
does not depend on the machine's load or on how many groups run side by side: ``workers > 1``
spreads groups over processes and still returns the same schedule as ``workers = 1`` (unless
the wall-clock safety net, the overall time limit, stops a search first).

Groups whose models are identical (the same calendar, obligations, team sizes and blackouts,
which is most villages of a county) are solved once: a deterministic solve of the same model
gives the same answer, so the answer is shared instead of recomputed.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.synchronize
import signal
import time
from collections.abc import Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ProcessPoolExecutor, wait
from dataclasses import replace

from pairing.cpsat.schedule import GroupResult, GroupSpec, Limits, solve_group
from pairing.cpsat.stopping import StopFlag

MIN_DETERMINISTIC_S = 2.0  # every group gets at least this much deterministic time
MIN_WALL_S = 5.0  # and at least this much wall time, even past the overall deadline
POLL_S = 0.2  # how often the parent looks at the stop flag while worker processes solve
Halt = multiprocessing.synchronize.Event


def group_limits(time_limit_s: float, groups: int, seed: int) -> Limits:
    """Return the per-group limits: an equal share of the time limit, at least the minimum."""
    share = time_limit_s / max(groups, 1)
    return Limits(max(MIN_DETERMINISTIC_S, share), time_limit_s, seed)


def solve_groups(
    specs: Sequence[GroupSpec],
    limits: Limits,
    workers: int,
    deadline: float,
    stop: StopFlag | None = None,
) -> list[GroupResult]:
    """Solve every group; ``deadline`` (``time.time()``) bounds the wall time of the whole run.

    Once ``stop`` is set (Ctrl-C, SIGTERM), the group being solved keeps its best days so far
    and the groups not yet begun are not solved (each is returned without days, interrupted).
    """
    shapes = [replace(spec, key=0) for spec in specs]  # the model without its group number
    distinct = list(dict.fromkeys(shapes))
    results = _solve_each(distinct, limits, workers, deadline, stop)
    solved = dict(zip(distinct, results, strict=True))
    return [replace(solved[shape], key=spec.key) for spec, shape in zip(specs, shapes, strict=True)]


def _solve_each(
    specs: Sequence[GroupSpec],
    limits: Limits,
    workers: int,
    deadline: float,
    stop: StopFlag | None,
) -> list[GroupResult]:
    if workers <= 1 or len(specs) <= 1:
        return [solve_before(spec, limits, deadline, stop) for spec in specs]
    context = multiprocessing.get_context("spawn")  # no fork of a process that ran CP-SAT
    # The workers ignore Ctrl-C and SIGTERM (a terminal sends Ctrl-C to the whole process
    # group); the parent decides, and tells them through this event.
    halt = context.Event()
    size = max(1, len(specs) // (workers * 8))
    chunks = [list(specs[i : i + size]) for i in range(0, len(specs), size)]
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_worker_start, initargs=(halt,)
    ) as pool:
        futures = [pool.submit(_solve_chunk, chunk, limits, deadline) for chunk in chunks]
        _relay_stop(futures, stop, halt)
        return [result for future in futures for result in future.result()]


def _relay_stop(
    futures: Sequence[Future[list[GroupResult]]], stop: StopFlag | None, halt: Halt
) -> None:
    """Wait for ``futures``, passing a ``stop`` on to the worker processes as ``halt``."""
    pending = set(futures)
    try:
        while pending:
            _, pending = wait(pending, timeout=POLL_S, return_when=FIRST_EXCEPTION)
            if stop is not None and stop.is_set():
                halt.set()
    except KeyboardInterrupt:  # a second Ctrl-C: the workers stop at once, the caller gives up
        halt.set()
        raise


_HALT: list[StopFlag] = []  # a worker process's stop flag, given by its initializer


def _worker_start(halt: StopFlag) -> None:
    """Initialise a worker process: signals are the parent's business; keep its stop flag."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _HALT[:] = [halt]


def _solve_chunk(specs: Sequence[GroupSpec], limits: Limits, deadline: float) -> list[GroupResult]:
    """Solve some groups in a worker process, stopping when the parent says so."""
    stop = _HALT[0] if _HALT else None
    return [solve_before(spec, limits, deadline, stop) for spec in specs]


def solve_before(
    spec: GroupSpec, limits: Limits, deadline: float, stop: StopFlag | None = None
) -> GroupResult:
    """Solve one group with the wall time left before ``deadline`` (at least ``MIN_WALL_S``)."""
    wall = max(MIN_WALL_S, deadline - time.time())
    return solve_group(spec, replace(limits, wall_s=wall), stop)
