"""The edge formulation: one Boolean per pair, every rule on pair variables.

This is the direct model of the rules (and the benchmark's naive baseline). Its LP
relaxation lets a unit help two villages by halves and so prices needs, systems and
strength at almost nothing; :mod:`pairing.cpsat.pairing.teams` is what ``solve`` uses.
"""

from __future__ import annotations

from pairing.cpsat.pairing import hard
from pairing.cpsat.pairing.data import PairingData
from pairing.cpsat.pairing.rules import FAMILIES, needs
from pairing.cpsat.pairing.variables import PairingVars, make_variables


def build_model(data: PairingData) -> PairingVars:
    """Return the CP-SAT model of ``data`` with the objective set (minimise cost)."""
    v = make_variables(data)
    hard.add_village_counts(v)
    hard.add_unit_counts(v)
    hard.add_locked_pairs(v)
    for family in FAMILIES:
        family.add(v)
    terms = [expr for exprs in v.terms.values() for expr in exprs]
    v.model.minimize(sum(terms) + data.constant + needs.constant(v))
    return v
