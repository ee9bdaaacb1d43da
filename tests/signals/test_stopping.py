"""The stop flag, piece by piece: CP-SAT's own stop, the loops that read the flag, and the
command's signal handler (issue 14, item 5). The real command is in ``test_interrupt.py``."""

from __future__ import annotations

import _thread
import math
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from ortools.sat.python import cp_model

from pairing.cli.interrupt import GracefulStop
from pairing.cpsat.pairing.data import SCALE
from pairing.cpsat.schedule import Limits
from pairing.cpsat.stopping import new_solver, solve_stoppable
from pairing.domain.model import Obligation, Problem, Settings, Unit, Village
from pairing.examples.synthetic import synthetic_county
from pairing.schedule import ScheduleInterrupted, make_schedule
from pairing.schedule.pipeline import build
from pairing.schedule.pipeline import prepare as prepare_schedule
from pairing.schedule.run import solve_groups
from pairing.solve.lagrange import lagrangian_bound
from pairing.solve.optimize import SolveOptions, prepare, solve
from pairing.solve.pricing import enumerated_teams


class FirstSolution(cp_model.CpSolverSolutionCallback):
    """Calls ``then`` at the first solution (never raises inside CP-SAT)."""

    def __init__(self, then: object) -> None:
        super().__init__()
        self.then = then
        self.calls = 0

    def on_solution_callback(self) -> None:
        self.calls += 1
        if self.calls == 1:
            self.then()  # type: ignore[operator]


def endless() -> tuple[cp_model.CpModel, cp_model.CpSolver]:
    """A model whose 2^60 solutions CP-SAT would enumerate for ever (no time limit)."""
    model = cp_model.CpModel()
    for k in range(60):
        model.new_bool_var(f"x{k}")
    solver = new_solver()
    solver.parameters.enumerate_all_solutions = True
    solver.parameters.num_workers = 1
    return model, solver


def search_threads() -> set[threading.Thread]:
    """CP-SAT worker threads still alive (another test's, run in this process, may be too)."""
    return {t for t in threading.enumerate() if t.name == "cp-sat" and t.is_alive()}


def test_new_solvers_leave_ctrl_c_to_python(tmp_path: Path) -> None:
    """After a solve, Ctrl-C is still Python's KeyboardInterrupt. CP-SAT's own handler
    (``catch_sigint_signal``) resets SIGINT to its default action when a solve ends, so the
    next Ctrl-C killed the process outright; a child process shows which it is."""
    code = (
        "import os, signal\n"
        "from ortools.sat.python import cp_model\n"
        "from pairing.cpsat.stopping import new_solver\n"
        "model = cp_model.CpModel()\n"
        "model.new_bool_var('x')\n"
        "new_solver().solve(model)\n"
        "try:\n"
        "    os.kill(os.getpid(), signal.SIGINT)\n"
        "    signal.pause()\n"
        "except KeyboardInterrupt:\n"
        "    print('KeyboardInterrupt')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert (done.returncode, done.stdout.strip()) == (0, "KeyboardInterrupt"), done.stderr


def test_the_stop_flag_stops_a_search_that_would_never_end() -> None:
    """Set from the first solution: CP-SAT's stop_search ends the search; the worker is gone."""
    model, solver = endless()
    stop = threading.Event()
    before = search_threads()
    status, stopped = solve_stoppable(solver, model, FirstSolution(stop.set), stop)
    assert stopped and status == cp_model.FEASIBLE
    assert search_threads() <= before


def test_ctrl_c_while_waiting_stops_the_search_then_interrupts() -> None:
    """A KeyboardInterrupt on the waiting thread stops CP-SAT, waits for it, then is raised.

    Repeated: the first solution (and the Ctrl-C it sends) often comes before the worker's
    start() has returned; a search started outside the guard was then left running for ever
    (about 1 run in 3 here)."""
    before = search_threads()
    for _ in range(20):
        model, solver = endless()
        with pytest.raises(KeyboardInterrupt):
            solve_stoppable(solver, model, FirstSolution(_thread.interrupt_main))
        assert search_threads() <= before


def test_an_error_of_the_search_thread_is_raised_to_the_caller() -> None:
    """No KeyError on a missing status: the worker's own exception reaches the caller."""

    class Broken(cp_model.CpSolver):
        def solve(self, *args: object, **kwargs: object) -> cp_model.CpSolverStatus:
            raise RuntimeError("solver broke")

    model, _ = endless()
    with pytest.raises(RuntimeError, match="solver broke"):
        solve_stoppable(Broken(), model)


def test_a_solve_stopped_before_it_starts_returns_the_warm_start() -> None:
    """Stop set before the search: column generation stops after one round, CP-SAT is not
    started, and the plan is the rounded or warm start, whole, marked interrupted."""
    problem = synthetic_county(40, 2)
    stop = threading.Event()
    stop.set()
    plan, _ = solve(problem, SolveOptions(time_limit_s=60, stop=stop))
    facts = plan.facts
    assert facts.interrupted and not facts.proven
    assert len(plan.pairs) == sum(v.units_required for v in problem.villages)
    assert math.isfinite(facts.objective)


def test_the_lagrangian_stops_after_one_step() -> None:
    """The subgradient loop reads the flag: one step, a valid bound."""
    prepared = prepare(synthetic_county(30, 1), SolveOptions())
    extra, _ = enumerated_teams(prepared.space, 1200)
    stop = threading.Event()
    stop.set()
    found = lagrangian_bound(
        prepared.space, prepared.data, extra, math.inf, time.perf_counter() + 60, stop
    )
    assert found.steps == 1 and math.isfinite(found.value / SCALE)


def small_schedule() -> tuple[Problem, list[tuple[str, str]]]:
    """Three pairs in one town, one weekly obligation: two groups of different shapes (U2
    has two villages), so that worker processes get two models to solve."""
    pairs = [("U1", "V1"), ("U2", "V2"), ("U2", "V3")]
    problem = Problem(
        tuple(Unit(u, f"单位{u}", lat=21.92, lon=110.85) for u in ("U1", "U2")),
        tuple(Village(v, f"村{v}", "镇A", lat=21.95, lon=110.9) for _, v in pairs),
        settings=Settings(plan_year=2026, county_seat=(21.92, 110.85)),
        obligations=(Obligation("D", "活动D", "week", 1, False, "workday", "avoid", "unit", 2),),
    )
    return problem, pairs


def test_a_stopped_schedule_is_interrupted_not_infeasible() -> None:
    """Stop set: no group is solved, and the schedule says interrupted (exit 130), never
    infeasible (exit 4)."""
    problem, pairs = small_schedule()
    stop = threading.Event()
    stop.set()
    with pytest.raises(ScheduleInterrupted) as raised:
        make_schedule(problem, pairs, time_limit_s=30, stop=stop)
    assert raised.value.exit_code == 130


def test_worker_processes_hear_the_stop() -> None:
    """With worker processes, a stop reaches them through the parent: every group comes back
    unsolved and interrupted, none is solved to its limit."""
    problem, pairs = small_schedule()
    ready = prepare_schedule(problem, pairs)
    built = build(problem, ready)
    stop = threading.Event()
    stop.set()
    assert len({replace(spec, key=0) for spec in built.specs}) == 2  # two distinct models
    results = solve_groups(built.specs, Limits(60.0, 60.0), 2, time.time() + 60, stop)
    assert [r.solved for r in results] == [False, False]
    assert all(r.interrupted for r in results)


def test_the_first_signal_sets_the_flag_the_second_interrupts() -> None:
    """Inside GracefulStop: the first SIGINT only asks to stop; the next raises
    KeyboardInterrupt; the old handlers come back after."""
    before = signal.getsignal(signal.SIGTERM)
    with GracefulStop("stopping") as stop:
        signal.raise_signal(signal.SIGTERM)
        assert stop.requested
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGINT)
    assert signal.getsignal(signal.SIGTERM) is before
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
