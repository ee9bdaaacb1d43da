"""Build and solve one group's model; find a conflict core when it has no solution."""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from pairing.cpsat.schedule.objective import set_objective
from pairing.cpsat.schedule.occurrences import add_distinct_days, add_occurrences
from pairing.cpsat.schedule.one_village import add_one_village_a_day
from pairing.cpsat.schedule.spec import GroupResult, GroupSpec, Limits
from pairing.cpsat.schedule.variables import Variables, make_variables
from pairing.cpsat.schedule.visits import link_visits
from pairing.cpsat.stopping import StopFlag, new_solver, solve_stoppable


def build_model(
    spec: GroupSpec, *, with_core: bool = False
) -> tuple[cp_model.CpModel, Variables, list[cp_model.IntVar]]:
    """Return the model of one group, its variables and (``with_core``) one literal per duty.

    With ``with_core`` the duties are enforced by assumption literals and there is no
    objective: the model is built to explain infeasibility, not to optimise.
    """
    model = cp_model.CpModel()
    variables = make_variables(model, spec)
    enforce = [model.new_bool_var(f"duty{i}") for i in range(spec.duties)] if with_core else []
    add_occurrences(model, spec, variables, enforce if with_core else None)
    add_distinct_days(model, spec, variables)
    link_visits(model, spec, variables)
    add_one_village_a_day(model, spec, variables)
    if with_core:
        model.add_assumptions(enforce)
    else:
        set_objective(model, spec, variables)
    return model, variables, enforce


def solve_group(spec: GroupSpec, limits: Limits, stop: StopFlag | None = None) -> GroupResult:
    """Solve one group to optimality or to its limits; return the chosen day of each occurrence.

    ``stop`` (Ctrl-C, SIGTERM) stops the search with CP-SAT's own stop: the group keeps the
    best days found so far, or none, and is marked interrupted; once ``stop`` is set no model
    is built at all.
    """
    started = time.perf_counter()
    if stop is not None and stop.is_set():
        return GroupResult(spec.key, "UNKNOWN", (), 0, 0, 0.0, interrupted=True)
    model, variables, _ = build_model(spec)
    solver = _solver(limits)
    status, stopped = solve_stoppable(solver, model, stop=stop)
    name = solver.status_name(status)
    out_of_time = status != cp_model.OPTIMAL and solver.wall_time >= limits.wall_s * 0.99
    interrupted = stopped or out_of_time
    days: tuple[int, ...] = ()
    objective = bound = 0
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        days = _chosen_days(solver, spec, variables)
        objective = round(solver.objective_value)
        bound = round(solver.best_objective_bound)
    seconds = time.perf_counter() - started
    return GroupResult(spec.key, name, days, objective, bound, seconds, interrupted)


def diagnose(spec: GroupSpec, limits: Limits) -> tuple[int, ...]:
    """Return the indices of duties that cannot all be met together (empty if none found).

    The core is sufficient, not always minimal: every duty in it takes part in a conflict
    CP-SAT found, and dropping all of them makes the model feasible.
    """
    model, _, enforce = build_model(spec, with_core=True)
    solver = _solver(limits)
    if solver.solve(model) != cp_model.INFEASIBLE:
        return ()
    core = set(solver.sufficient_assumptions_for_infeasibility())
    return tuple(index for index, literal in enumerate(enforce) if literal.index in core)


def _solver(limits: Limits) -> cp_model.CpSolver:
    solver = new_solver()
    solver.parameters.num_workers = 1  # one worker: the same input gives the same schedule
    solver.parameters.random_seed = limits.seed
    solver.parameters.max_deterministic_time = limits.deterministic_s
    solver.parameters.max_time_in_seconds = limits.wall_s
    # Level 2 puts the placed => visit implications into the LP; its bound on visit days is
    # then nearly tight and groups are proven optimal in a fraction of a second (level 1
    # leaves them out and the search wanders for minutes).
    solver.parameters.linearization_level = 2
    # The model is already small and tight: presolve and symmetry detection cost more than
    # they save on it (measured: half the time without them, same optima).
    solver.parameters.cp_model_presolve = False
    solver.parameters.symmetry_level = 0
    return solver


def _chosen_days(
    solver: cp_model.CpSolver, spec: GroupSpec, variables: Variables
) -> tuple[int, ...]:
    chosen = []
    for occurrence, placed in zip(spec.occurrences, variables.placed, strict=True):
        day = next(
            day
            for day, var in zip(occurrence.days, placed, strict=True)
            if solver.boolean_value(var)
        )
        chosen.append(day)
    return tuple(chosen)
