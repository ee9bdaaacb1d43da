"""Pair-separable costs: P13 distance, P14 continuity, P16 preferences, P17 scores, P18
stability.

Their per-pair coefficients are computed in the solve layer (one ``Edge.cost`` each,
:class:`pairing.solve.instance.Coefficients`, which also says whom the account charges: a
chosen pair's own terms to the pair, a lost renewal, preference or score to its unit); here a
team's share is the sum of its pairs' coefficients, one team (:func:`team_cost`) or an array of
teams at a time (:func:`single_batch`, :func:`pair_batch`), and on the pair variables it only
enters the objective (:func:`add`).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from numpy.typing import NDArray

from pairing.cpsat.pairing.variables import PairingVars

RULES = ("P13", "P14", "P16", "P17", "P18")


def team_cost(edge_costs: Iterable[int]) -> int:
    """A team's pair-separable cost: the sum of its pairs' coefficients."""
    return sum(edge_costs)


def single_batch(base: NDArray[np.int64], edge: NDArray[np.int64]) -> NDArray[np.int64]:
    """One-place teams (V × K): the locked pairs' ``base`` (per village) plus the member's."""
    out: NDArray[np.int64] = base[:, None] + edge
    return out


def pair_batch(base: NDArray[np.int64], edge: NDArray[np.int64]) -> NDArray[np.int64]:
    """Two-place teams (V × K × K): ``base`` plus both members' coefficients."""
    out: NDArray[np.int64] = base[:, None, None] + edge[:, :, None] + edge[:, None, :]
    return out


def add(v: PairingVars) -> None:
    """Add Σ cost_e · x_e (costs may be negative: a met preference refunds its constant)."""
    costs = [(v.pair[e], edge.cost) for e, edge in enumerate(v.data.edges) if edge.cost]
    if costs:
        v.terms["pairs"].append(sum(coef * var for var, coef in costs))
