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
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from itertools import repeat

from pairing.cpsat.schedule import GroupResult, GroupSpec, Limits, solve_group

MIN_DETERMINISTIC_S = 2.0  # every group gets at least this much deterministic time
MIN_WALL_S = 5.0  # and at least this much wall time, even past the overall deadline


def group_limits(time_limit_s: float, groups: int, seed: int) -> Limits:
    """Return the per-group limits: an equal share of the time limit, at least the minimum."""
    share = time_limit_s / max(groups, 1)
    return Limits(max(MIN_DETERMINISTIC_S, share), time_limit_s, seed)


def solve_groups(
    specs: Sequence[GroupSpec], limits: Limits, workers: int, deadline: float
) -> list[GroupResult]:
    """Solve every group; ``deadline`` (``time.time()``) bounds the wall time of the whole run."""
    shapes = [replace(spec, key=0) for spec in specs]  # the model without its group number
    distinct = list(dict.fromkeys(shapes))
    solved = dict(zip(distinct, _solve_each(distinct, limits, workers, deadline), strict=True))
    return [replace(solved[shape], key=spec.key) for spec, shape in zip(specs, shapes, strict=True)]


def _solve_each(
    specs: Sequence[GroupSpec], limits: Limits, workers: int, deadline: float
) -> list[GroupResult]:
    if workers <= 1 or len(specs) <= 1:
        return [solve_before(spec, limits, deadline) for spec in specs]
    context = multiprocessing.get_context("spawn")  # no fork of a process that ran CP-SAT
    chunk = max(1, len(specs) // (workers * 8))
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return list(
            pool.map(solve_before, specs, repeat(limits), repeat(deadline), chunksize=chunk)
        )


def solve_before(spec: GroupSpec, limits: Limits, deadline: float) -> GroupResult:
    """Solve one group with the wall time left before ``deadline`` (at least ``MIN_WALL_S``)."""
    wall = max(MIN_WALL_S, deadline - time.time())
    return solve_group(spec, replace(limits, wall_s=wall))
