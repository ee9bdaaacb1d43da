"""P10: a village's needs are covered by its units' skills (the whole family, solver side).

A team's cost is ``per_need × |needs \\ ∪ skills|`` (village-owned), or 0 under ``P10_hard``,
which instead allows only teams that cover every need. The same count is written three ways:
:func:`missing` for one team (the account, the enumerated teams), :func:`missing_batch` for
NumPy arrays of teams (pricing), and :func:`add` / :func:`add_guarded` on the pair variables:
``covered[v,t] <= Σ x_e`` over the edges of v whose unit has skill t, ``cost · (1 - covered)``
in the objective (the ``+cost`` is the model's constant), or ``Σ x_e >= 1`` when hard.
"""

from __future__ import annotations

from collections.abc import Iterable, Set

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model

# P10 and P11 share their count forms (one home: counts.py); re-exported as this family's.
from pairing.cpsat.pairing.rules.counts import allowed as allowed
from pairing.cpsat.pairing.rules.counts import allowed_batch as allowed_batch
from pairing.cpsat.pairing.rules.counts import cost as cost
from pairing.cpsat.pairing.variables import Guard, PairingVars

RULES = ("P10",)


def missing(needs: Set[str], skills: Iterable[Set[str]]) -> int:
    """How many of ``needs`` no member's ``skills`` cover."""
    return len(needs - set().union(*skills))


def missing_batch(needs: NDArray[np.uint64], skills: NDArray[np.uint64]) -> NDArray[np.int64]:
    """Per team, the missing needs: bit sets (last axis: 64-bit words) of each team's village
    ``needs`` (shape V × words) and of its members' joint ``skills`` (V × ... × words)."""
    shape = (needs.shape[0],) + (1,) * (skills.ndim - 2) + (needs.shape[1],)
    lacking = needs.reshape(shape) & ~skills
    counts: NDArray[np.int64] = np.bitwise_count(lacking).sum(axis=-1).astype(np.int64)
    return counts


def add(v: PairingVars) -> list[tuple[int, cp_model.IntVar]]:
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
        v.terms["P10"].append(-need.cost * covered)  # constant() holds +cost per need
        covered_vars.append((index, covered))
    return covered_vars


def constant(v: PairingVars) -> int:
    """Each soft need is charged up front and refunded by its coverage variable."""
    return 0 if v.data.needs_hard else sum(need.cost for need in v.data.needs)


def add_guarded(v: PairingVars, guard: Guard) -> None:
    """``P10_hard`` for the diagnosis: each need covered, under its own assumption literal."""
    if not v.data.needs_hard:
        return
    for n, need in enumerate(v.data.needs):
        v.model.add(sum(v.pair[e] for e in need.edges) >= 1).only_enforce_if(guard(("P10", n)))
