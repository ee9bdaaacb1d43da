"""P10: a village's needs are covered by its units' skills.

For each need (v, t): ``covered[v,t] <= Σ x_e`` over the edges of v whose unit has skill t,
and ``cost · (1 - covered)`` enters the objective. With ``P10_hard`` every need is covered.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from pairing.cpsat.pairing.variables import PairingVars


def add_needs(v: PairingVars) -> list[tuple[int, cp_model.IntVar]]:
    """Add coverage variables; return (need index, covered var) for reporting."""
    covered_vars: list[tuple[int, cp_model.IntVar]] = []
    for index, need in enumerate(v.data.needs):
        offered = sum(v.pair[e] for e in need.edges)
        if v.data.needs_hard:
            v.model.add(offered >= 1)
            continue
        if not need.edges:
            continue  # uncoverable: a constant, already in data.constant
        covered = v.model.new_bool_var(f"need_v{need.village}_{index}")
        v.model.add(covered <= offered)
        v.terms["P10"].append(-need.cost * covered)  # data.constant holds +cost per need
        covered_vars.append((index, covered))
    return covered_vars
