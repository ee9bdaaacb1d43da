"""Hard rules P01-P03 on the pair variables.

P04 (forbid), P05 (tenure) and the P13 distance cap are enforced by leaving such pairs out of
the candidate edges. Each rule takes an optional ``guard``: the diagnosis model
(:mod:`pairing.cpsat.pairing.conflicts`) puts every instance under its own assumption literal.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from pairing.cpsat.pairing.variables import Guard, PairingVars, Tag

RULES = ("P01", "P02", "P03")
EXCLUDED = ("P04", "P05")  # held by the candidates: such a pair is never an edge


def _enforce(constraint: cp_model.Constraint, guard: Guard | None, tag: Tag) -> None:
    if guard is not None:
        constraint.only_enforce_if(guard(tag))


def add_village_counts(v: PairingVars, guard: Guard | None = None) -> None:
    """P01: each village gets exactly ``units_required`` units."""
    for village, required in enumerate(v.data.units_required):
        chosen = sum(v.pair[e] for e in v.by_village.get(village, []))
        _enforce(v.model.add(chosen == required), guard, ("P01", village))


def add_unit_counts(v: PairingVars, guard: Guard | None = None) -> None:
    """P02: each unit's number of villages lies within [min, max]."""
    for unit in range(v.data.n_units):
        chosen = sum(v.pair[e] for e in v.by_unit.get(unit, []))
        low, high = v.data.villages_min[unit], v.data.villages_max[unit]
        _enforce(v.model.add_linear_constraint(chosen, low, high), guard, ("P02", unit))


def add_locked_pairs(v: PairingVars, guard: Guard | None = None) -> None:
    """P03: 必须 pairs are in the plan."""
    for index, edge in enumerate(v.data.edges):
        if edge.fixed:
            _enforce(v.model.add(v.pair[index] == 1), guard, ("P03", index))
