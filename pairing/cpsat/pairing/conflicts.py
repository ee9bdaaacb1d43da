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

from pairing.cpsat.pairing.data import PairingData
from pairing.cpsat.pairing.solver import SearchLimits, run
from pairing.cpsat.stopping import new_solver

Tag = tuple[str, int]  # (rule id, index of the village / unit / edge / need / group)


def _guarded_model(
    data: PairingData,
) -> tuple[cp_model.CpModel, dict[int, Tag], list[cp_model.IntVar]]:
    model = cp_model.CpModel()
    pair = [model.new_bool_var(f"x{e}") for e in range(len(data.edges))]
    tags: dict[int, Tag] = {}
    literals: list[cp_model.IntVar] = []

    def guard(tag: Tag) -> cp_model.IntVar:
        literal = model.new_bool_var(f"{tag[0]}_{tag[1]}")
        tags[literal.index] = tag
        literals.append(literal)
        return literal

    by_village: dict[int, list[int]] = {}
    by_unit: dict[int, list[int]] = {}
    for e, edge in enumerate(data.edges):
        by_village.setdefault(edge.village, []).append(e)
        by_unit.setdefault(edge.unit, []).append(e)
    for v, required in enumerate(data.units_required):
        model.add(sum(pair[e] for e in by_village.get(v, [])) == required).only_enforce_if(
            guard(("P01", v))
        )
    for u in range(data.n_units):
        chosen = sum(pair[e] for e in by_unit.get(u, []))
        model.add_linear_constraint(
            chosen, data.villages_min[u], data.villages_max[u]
        ).only_enforce_if(guard(("P02", u)))
    for e, edge in enumerate(data.edges):
        if edge.fixed:
            model.add(pair[e] == 1).only_enforce_if(guard(("P03", e)))
    if data.needs_hard:
        for n, need in enumerate(data.needs):
            model.add(sum(pair[e] for e in need.edges) >= 1).only_enforce_if(guard(("P10", n)))
    if data.systems_hard:
        for g, group in enumerate(data.systems):
            model.add(sum(pair[e] for e in group.edges) <= 1).only_enforce_if(guard(("P11", g)))
    if data.min_strength is not None:
        for v in range(data.n_villages):
            strength = sum(
                data.strength[data.edges[e].unit] * pair[e] for e in by_village.get(v, [])
            )
            model.add(strength >= data.min_strength).only_enforce_if(guard(("P12", v)))
    return model, tags, literals


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
