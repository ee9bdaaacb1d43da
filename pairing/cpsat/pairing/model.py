"""The edge formulation: one Boolean per pair, every rule on pair variables.

This is the direct model of the rules (and the benchmark's naive baseline). Its LP
relaxation lets a unit help two villages by halves and so prices needs, systems and
strength at almost nothing; :mod:`pairing.cpsat.pairing.teams` is what ``solve`` uses.
"""

from __future__ import annotations

from pairing.cpsat.pairing import hard, linear, needs, strength, systems, towns
from pairing.cpsat.pairing.data import PairingData
from pairing.cpsat.pairing.variables import PairingVars, make_variables


def build_model(data: PairingData) -> PairingVars:
    """Return the CP-SAT model of ``data`` with the objective set (minimise cost)."""
    v = make_variables(data)
    hard.add_village_counts(v)
    hard.add_unit_counts(v)
    hard.add_locked_pairs(v)
    linear.add_pair_costs(v)
    needs.add_needs(v)
    systems.add_systems(v)
    strength.add_strength(v)
    towns.add_towns(v)
    terms = [expr for exprs in v.terms.values() for expr in exprs]
    # Each soft need is charged up front and refunded by its coverage variable.
    need_constant = 0 if data.needs_hard else sum(need.cost for need in data.needs)
    v.model.minimize(sum(terms) + data.constant + need_constant)
    return v
