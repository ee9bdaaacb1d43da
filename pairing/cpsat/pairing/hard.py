"""Hard rules P01-P03 on the pair variables.

P04 (forbid), P05 (tenure) and the P13 distance cap are enforced by leaving such pairs out of
the candidate edges; the diagnosis model (:mod:`pairing.cpsat.pairing.conflicts`) keeps them in
with assumption literals to explain infeasibility.
"""

from __future__ import annotations

from pairing.cpsat.pairing.variables import PairingVars


def add_village_counts(v: PairingVars) -> None:
    """P01: each village gets exactly ``units_required`` units."""
    for village, required in enumerate(v.data.units_required):
        v.model.add(sum(v.pair[e] for e in v.by_village.get(village, [])) == required)


def add_unit_counts(v: PairingVars) -> None:
    """P02: each unit's number of villages lies within [min, max]."""
    for unit in range(v.data.n_units):
        chosen = sum(v.pair[e] for e in v.by_unit.get(unit, []))
        v.model.add_linear_constraint(chosen, v.data.villages_min[unit], v.data.villages_max[unit])


def add_locked_pairs(v: PairingVars) -> None:
    """P03: 必须 pairs are in the plan."""
    for index, edge in enumerate(v.data.edges):
        if edge.fixed:
            v.model.add(v.pair[index] == 1)
