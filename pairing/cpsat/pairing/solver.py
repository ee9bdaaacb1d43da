"""Run CP-SAT on the pairing model: hints, limits, live progress and clean interruption.

The search runs through :func:`pairing.cpsat.stopping.solve_stoppable`: on a worker thread,
so that the main thread stays free to see the caller's stop flag (set by the command's
Ctrl-C/SIGTERM handler) and stop CP-SAT with its own ``stop_search``; the best plan found so
far is then returned, marked interrupted and not proven.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from pairing.cpsat.pairing.data import SCALE
from pairing.cpsat.stopping import StopFlag, new_solver, solve_stoppable
from pairing.domain.status import Status

Progress = Callable[[float, float | None, float], None]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a search found: chosen edges and the proof status, costs in points."""

    chosen: tuple[int, ...]
    status: Status
    objective: float
    bound: float
    seconds: float
    proven: bool
    interrupted: bool
    first_solution_s: float | None

    @property
    def feasible(self) -> bool:
        """Whether a plan was found."""
        return self.status in (Status.OPTIMAL, Status.FEASIBLE)


class _Watcher(cp_model.CpSolverSolutionCallback):
    """Records the best objective, bound and the time of the first solution."""

    def __init__(self, start: float, good_enough: float | None) -> None:
        super().__init__()
        self.start = start
        self.good_enough = good_enough
        self.best: float | None = None
        self.bound: float = float("-inf")
        self.first: float | None = None

    def on_solution_callback(self) -> None:
        now = time.perf_counter() - self.start
        if self.first is None:
            self.first = now
        self.best = self.objective_value
        self.bound = self.best_objective_bound
        if self.good_enough is not None and self.best <= self.good_enough:
            self.stop_search()


@dataclass(frozen=True, slots=True)
class SearchLimits:
    """Time limit (s), workers, seed, a relative gap at which to stop (0 = prove), and more.

    ``probing`` is CP-SAT's probing level: the team models are exactly-one rows over
    thousands of Booleans, where probing every literal costs far more than it fixes (on the
    Gaozhou proof round it is 0.8 s of 1.0 s), so the team search turns it off.
    ``good_enough`` (cost units) stops the search at the first plan that costs no more: the
    caller's gap against a bound CP-SAT does not know. ``linearization`` is CP-SAT's LP level
    (2: the full LP, what the team models need to prove; 0: none, for very large ones).
    """

    time_limit_s: float = 60.0
    workers: int = 1
    seed: int = 0
    gap: float = 0.0
    probing: int = 2
    good_enough: float | None = None
    linearization: int = 2


def run(
    model: cp_model.CpModel,
    decisions: Sequence[cp_model.IntVar],
    limits: SearchLimits,
    hint: Sequence[int] = (),
    progress: Progress | None = None,
    stop: StopFlag | None = None,
) -> Outcome:
    """Minimise ``model``; report which ``decisions`` are true.

    ``hint`` lists the decisions of a starting plan (the others are hinted false when a hint
    is given); ``stop`` ends the search from another thread.
    """
    model.clear_hints()  # type: ignore[no-untyped-call]
    if hint:
        # Straight into the proto: add_hint costs 0.1 s per 35,000 decisions (a 10,000-village
        # neighbourhood step before it kept only its own part of the plan); this, 0.008 s.
        chosen_hint = set(hint)
        solution_hint = model.proto.solution_hint
        solution_hint.vars.extend(var.index for var in decisions)
        solution_hint.values.extend(int(i in chosen_hint) for i in range(len(decisions)))
    solver = new_solver()
    params = solver.parameters
    params.max_time_in_seconds = limits.time_limit_s
    params.num_workers = limits.workers
    params.random_seed = limits.seed
    params.relative_gap_limit = limits.gap
    # Full linearisation puts the team LP (nearly integral) into the search: on a
    # Gaozhou-sized county it proves in 0.1 s what level 1 leaves 2% open after minutes, and
    # at 500 villages its first 16 s reach 94,805 where level 1 reaches 97,068.
    params.linearization_level = limits.linearization
    params.cp_model_probing_level = limits.probing
    start = time.perf_counter()
    watcher = _Watcher(start, limits.good_enough)
    if stop is not None and stop.is_set():  # asked to stop already: do not start a search
        return _outcome(decisions, solver, cp_model.UNKNOWN, watcher, 0.0, True)

    def tick() -> None:
        if progress is not None:
            best = None if watcher.best is None else watcher.best / SCALE
            progress(time.perf_counter() - start, best, watcher.bound / SCALE)

    status, interrupted = solve_stoppable(solver, model, watcher, stop, tick)
    seconds = time.perf_counter() - start
    return _outcome(decisions, solver, status, watcher, seconds, interrupted)


def _outcome(
    decisions: Sequence[cp_model.IntVar],
    solver: cp_model.CpSolver,
    status: cp_model.CpSolverStatus,
    watcher: _Watcher,
    seconds: float,
    interrupted: bool,
) -> Outcome:
    name = Status(solver.status_name(status))
    feasible = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    chosen = tuple(i for i, var in enumerate(decisions) if feasible and solver.boolean_value(var))
    objective = solver.objective_value / SCALE if feasible else float("nan")
    bound = solver.best_objective_bound / SCALE if feasible else float("nan")
    return Outcome(
        chosen,
        name,
        objective,
        bound,
        seconds,
        status == cp_model.OPTIMAL,
        interrupted,
        watcher.first,
    )
