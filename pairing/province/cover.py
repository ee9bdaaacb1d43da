"""``pairing cover --workers N [--scheduler tcp://…]``: the cover by parts, side by side.

The problem is cut into parts along the links between villages (:func:`pairing.cover.run.split`:
villages sharing a unit member with a 最多户数 stay in one part), each part is covered by
:func:`pairing.cover.run.cover_county` in a worker process (a process pool, or Dask as ``solve
--partition-by`` runs its parts, :mod:`pairing.province.engine`), and the parts' covers are
merged in village order: the same cover as one process gives, whatever the number of workers.
Every part's infeasibility reasons are reported together.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass

from pairing.app.cover import Engine
from pairing.cover.run import CoverProblem, cover_county, merge, split
from pairing.cover.wire import Packed, pack, pack_cover, unpack, unpack_cover
from pairing.domain.cover import CountyCover, CoverInfeasible
from pairing.province import transport
from pairing.province.engine import (
    Cluster,
    _dask_client,
    _distributed,
    _one_thread_libraries,
)

PARTS_PER_WORKER = 4  # smaller parts than workers even out the load; each part costs a pickle
_FORKED: list[CoverProblem] = []  # the parts, as a forked pool's workers inherit them


@dataclass(frozen=True, slots=True)
class PartCover:
    """What a worker sends back: the part's index and packed cover, or its reasons for none."""

    index: int
    cover: Packed | None
    reasons: tuple[str, str] = ("", "")


def cover_part(index: int, part: Packed) -> PartCover:
    """Cover one packed part in this process (the function every worker runs)."""
    try:
        return PartCover(index, pack_cover(cover_county(unpack(part))))
    except CoverInfeasible as error:  # sent back as text: the exception does not pickle
        return PartCover(index, None, (error.zh, error.en))


def cover_forked(index: int) -> PartCover:
    """Cover the part a forked worker inherited (nothing of it was pickled)."""
    try:
        return PartCover(index, pack_cover(cover_county(_FORKED[index])))
    except CoverInfeasible as error:
        return PartCover(index, None, (error.zh, error.en))


def _pool(parts: Sequence[CoverProblem], cluster: Cluster) -> Iterator[PartCover]:
    """A local pool: forked where the OS forks (the workers inherit the parts: no start-up
    imports, no pickling of 250,000 records, measured 5.6 s of CPU on bench/cover.py's 20
    counties), else fresh interpreters that get each part packed."""
    transport.enable()
    fork = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if fork else "spawn")
    workers = min(cluster.local_workers(), len(parts))
    _FORKED[:] = parts if fork else []
    try:
        with (
            _one_thread_libraries(),
            ProcessPoolExecutor(workers, context, initializer=transport.enable) as pool,
        ):
            futures = [
                pool.submit(cover_forked, i) if fork else pool.submit(cover_part, i, pack(part))
                for i, part in enumerate(parts)
            ]
            for future in as_completed(futures):
                yield future.result()
    finally:
        _FORKED.clear()


def _dask(parts: Sequence[CoverProblem], cluster: Cluster) -> Iterator[PartCover]:
    finished = _distributed().as_completed
    with _dask_client(cluster) as client:
        futures = [
            client.submit(cover_part, i, pack(part), pure=False, priority=part.size)
            for i, part in enumerate(parts)
        ]
        for future in finished(futures):
            yield future.result()


def cover_engine(cluster: Cluster) -> Engine:
    """Return an engine for :func:`pairing.app.cover.cover_job` that runs parts on ``cluster``."""

    def run(problem: CoverProblem) -> CountyCover:
        parts = split(problem, PARTS_PER_WORKER * max(1, cluster.local_workers()))
        if (len(parts) <= 1 or cluster.local_workers() == 1) and cluster.scheduler is None:
            return cover_county(problem)  # one worker is this process: no process to start
        parts = sorted(parts, key=lambda p: -p.size)  # largest first: a small one ends last
        runner = _dask if cluster.uses_dask() else _pool
        done = list(runner(parts, cluster))
        failed = sorted(d.reasons for d in done if d.cover is None)
        if failed:
            raise CoverInfeasible("；".join(z for z, _ in failed), "; ".join(e for _, e in failed))
        return merge([unpack_cover(d.cover, parts[d.index]) for d in done if d.cover is not None])

    return run
