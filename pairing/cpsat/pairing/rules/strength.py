"""P12: strength balance, the weakest village first, typical villages first.

A village's strength is the sum of its units' strengths (tenths). Its shortfall below its
target is split into tiers of one strength unit; tier k costs k times the base weight (times
the typical weight for typical villages). Because the costs rise, the LP fills the shallow
tiers first, so the relaxation is exact and the optimizer lifts the weakest village first.
``P12_min_strength`` adds a hard floor.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from pairing.cpsat.pairing.variables import PairingVars


def add_strength(v: PairingVars) -> None:
    """Add tiered shortfall variables per village (and the hard floor when set)."""
    data = v.data
    for village in range(data.n_villages):
        if data.min_strength is not None:
            v.model.add(_strength(v, village) >= data.min_strength)
    for target in data.targets:
        strength = _strength(v, target.village)
        tiers = []
        for k, cost in enumerate(target.tier_costs, start=1):
            last = k == len(target.tier_costs)
            upper = target.target if last else target.tier_size
            tier = v.model.new_int_var(0, upper, f"short_v{target.village}_t{k}")
            tiers.append(tier)
            v.terms["P12"].append(cost * tier)
        v.model.add(sum(tiers) >= target.target - strength)


def _strength(v: PairingVars, village: int) -> cp_model.LinearExprT:
    return sum(
        v.data.strength[v.data.edges[e].unit] * v.pair[e] for e in v.by_village.get(village, [])
    )
