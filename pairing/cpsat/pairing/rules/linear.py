"""Pair-separable costs: P13 distance, P14 continuity, P16 preferences, P17 scores.

Their per-pair coefficients are computed in the solve layer (one ``Edge.cost`` each); here
they only enter the objective.
"""

from __future__ import annotations

from pairing.cpsat.pairing.variables import PairingVars


def add_pair_costs(v: PairingVars) -> None:
    """Add Σ cost_e · x_e (costs may be negative: a met preference refunds its constant)."""
    costs = [(v.pair[e], edge.cost) for e, edge in enumerate(v.data.edges) if edge.cost]
    if costs:
        v.terms["pairs"].append(sum(coef * var for var, coef in costs))
