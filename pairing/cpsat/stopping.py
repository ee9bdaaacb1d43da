"""CP-SAT solves that Ctrl-C, SIGTERM and a stop flag end cleanly, through CP-SAT's own stop.

Two things go wrong when a signal meets a CP-SAT solve, and this module prevents both:

- CP-SAT's ``catch_sigint_signal`` (on by default) installs a C++ SIGINT handler for the
  length of a solve, keeps its action in a thread-local slot and resets SIGINT to the
  default action (kill) when the solve ends. A Ctrl-C handled on another thread than the
  solving one calls an empty slot (``terminate called after throwing an instance of
  'std::bad_function_call'``, exit -6), and any Ctrl-C after the first solve kills the
  process outright, half-written temporary files and all. Every solver made by
  :func:`new_solver` leaves signals to Python.
- A Python signal handler only runs on the main thread, between bytecodes: never while the
  main thread is inside a C++ solve. :func:`solve_stoppable` therefore solves on a worker
  thread while the main thread waits, sees the caller's ``stop`` flag (set by the command's
  signal handler) or a :class:`KeyboardInterrupt`, and calls
  :meth:`~ortools.sat.python.cp_model.CpSolver.stop_search`: CP-SAT returns its best
  solution so far. Nothing is ever raised inside a C++ callback.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol

from ortools.sat.python import cp_model

POLL_S = 0.1  # how often the waiting thread looks at the stop flag
TICK_S = 0.5  # how often it reports progress


class StopFlag(Protocol):
    """What the solves read to know they should stop: a :class:`threading.Event`, or a
    ``multiprocessing`` event in a worker process."""

    def is_set(self) -> bool:
        """Whether a stop was asked for."""
        ...


def new_solver() -> cp_model.CpSolver:
    """A CP-SAT solver that leaves SIGINT to Python (see the module notes)."""
    solver = cp_model.CpSolver()
    solver.parameters.catch_sigint_signal = False
    return solver


def solve_stoppable(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    callback: cp_model.CpSolverSolutionCallback | None = None,
    stop: StopFlag | None = None,
    tick: Callable[[], None] | None = None,
) -> tuple[cp_model.CpSolverStatus, bool]:
    """Solve ``model``; return CP-SAT's status and whether the search was stopped early.

    ``stop`` (checked every ``POLL_S``) stops the search, which then returns its best
    solution; ``tick`` is called every ``TICK_S`` while the search runs (progress lines). A
    :class:`KeyboardInterrupt` on the waiting thread stops the search too, and is raised
    again once the solve has returned, so that the caller gives up instead of carrying on.
    """
    result: dict[str, cp_model.CpSolverStatus] = {}
    failure: list[BaseException] = []
    done = threading.Event()

    def search() -> None:
        try:
            result["status"] = solver.solve(model, callback)
        except BaseException as error:  # re-raised on the waiting thread
            failure.append(error)
        finally:
            done.set()

    worker = threading.Thread(target=search, name="cp-sat")
    interrupt: KeyboardInterrupt | None = None
    stopped = False
    try:
        # Started inside the try: a first solution can come (and a Ctrl-C with it) before
        # start() returns, and the search must be stopped then too, not left running.
        worker.start()
        stopped = _wait(solver, done, stop, tick)
    except KeyboardInterrupt as error:  # wherever it lands: the search is stopped first
        interrupt, stopped = error, True
    finally:  # also for an error of ``tick``: never leave a search running behind
        if worker.ident is not None:  # the thread exists (a Ctrl-C may precede its start)
            _stop_and_wait(solver, done)
            worker.join()
    if interrupt is not None:
        raise interrupt
    if failure:
        raise failure[0]
    return result["status"], stopped


def _wait(
    solver: cp_model.CpSolver,
    done: threading.Event,
    stop: StopFlag | None,
    tick: Callable[[], None] | None,
) -> bool:
    """Wait for ``done``; return whether ``stop`` was set. Once it is, ask CP-SAT to stop at
    every poll: a stop asked before CP-SAT has started its search would otherwise be lost."""
    stopped = False
    polls = round(TICK_S / POLL_S)
    count = 0
    while not done.is_set():
        done.wait(POLL_S)
        if not stopped and stop is not None and stop.is_set():
            stopped = True
        if stopped:
            solver.stop_search()
        count += 1
        if tick is not None and count % polls == 0 and not done.is_set():
            tick()
    return stopped


def _stop_and_wait(solver: cp_model.CpSolver, done: threading.Event) -> None:
    """Stop the search if it still runs and wait for it (a further Ctrl-C changes nothing)."""
    while not done.is_set():
        try:
            solver.stop_search()
            done.wait(POLL_S)
        except KeyboardInterrupt:
            continue
