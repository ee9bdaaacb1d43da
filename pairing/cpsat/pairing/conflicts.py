"""A small set of hard rules that cannot hold together, from assumption literals.

Every hard rule instance (a village's P01, a unit's P02, a locked pair, a must-cover need, a
system limit, a strength floor) is guarded by its own assumption literal. CP-SAT, with no
objective and one worker, returns a sufficient subset of assumptions; we then shrink it by
deletion (drop one, re-solve, keep it out if still infeasible) within a time budget.
"""

from __future__ import annotations

import threading
import time

from ortools.sat.python import cp_model

from pairing.cpsat.pairing import hard
from pairing.cpsat.pairing.data import PairingData
from pairing.cpsat.pairing.rules import GUARDED
from pairing.cpsat.pairing.solver import SearchLimits, run
from pairing.cpsat.pairing.variables import Tag as Tag
from pairing.cpsat.pairing.variables import make_variables
from pairing.cpsat.stopping import new_solver


def _guarded_model(
    data: PairingData,
) -> tuple[cp_model.CpModel, dict[int, Tag], list[cp_model.IntVar]]:
    """The hard rules on the pair variables (pair ``e`` is variable ``e``), each instance guarded."""
    v = make_variables(data)
    tags: dict[int, Tag] = {}
    literals: list[cp_model.IntVar] = []

    def guard(tag: Tag) -> cp_model.IntVar:
        literal = v.model.new_bool_var(f"{tag[0]}_{tag[1]}")
        tags[literal.index] = tag
        literals.append(literal)
        return literal

    hard.add_village_counts(v, guard)
    hard.add_unit_counts(v, guard)
    hard.add_locked_pairs(v, guard)
    for family in GUARDED:
        family.add_guarded(v, guard)
    return v.model, tags, literals


def hard_rules_plan(
    data: PairingData, stop: threading.Event | None = None
) -> tuple[str, tuple[int, ...]]:
    """The hard rules alone, with no objective and no time limit: ("FEASIBLE", the chosen
    edges), ("INFEASIBLE", ()) — a proof — or ("UNKNOWN", ()) when stopped first."""
    model, _, literals = _guarded_model(data)
    for literal in literals:
        model.add(literal == 1)
    pairs = [model.get_bool_var_from_proto_index(e) for e in range(len(data.edges))]
    outcome = run(model, pairs, SearchLimits(time_limit_s=float("inf")), stop=stop)
    if outcome.feasible:
        return "FEASIBLE", outcome.chosen
    return ("INFEASIBLE" if outcome.status == "INFEASIBLE" else "UNKNOWN"), ()


def _infeasible(
    model: cp_model.CpModel, literals: list[cp_model.IntVar], seconds: float
) -> tuple[bool, list[int]]:
    """Solve under ``literals``; return (infeasible, indices of a sufficient core)."""
    model.clear_assumptions()
    model.add_assumptions(literals)
    solver = new_solver()  # leaves Ctrl-C to Python (pairing.cpsat.stopping)
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = max(0.05, seconds)
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        return True, list(solver.sufficient_assumptions_for_infeasibility())
    return False, []


def find_conflict(data: PairingData, time_limit_s: float = 10.0) -> list[Tag]:
    """Return a small infeasible set of rule instances, or [] if the rules can all hold."""
    deadline = time.perf_counter() + time_limit_s
    model, tags, literals = _guarded_model(data)
    by_index = {literal.index: literal for literal in literals}
    infeasible, found = _infeasible(model, literals, time_limit_s)
    if not infeasible:
        return []
    core = [by_index[i] for i in found] or literals
    for literal in list(core):
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            break
        trial = [lit for lit in core if lit.index != literal.index]
        still, smaller = _infeasible(model, trial, remaining)
        if still:
            keep = set(smaller)
            core = [lit for lit in trial if lit.index in keep] or trial
    return sorted(tags[lit.index] for lit in core)
