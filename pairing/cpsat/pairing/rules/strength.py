"""P12: strength balance, the weakest village first, typical villages first (solver side).

A village's strength is the sum of its units' strengths (tenths). Its shortfall below its
target is split into tiers of one strength unit; tier k costs k times the base weight (times
the typical weight for typical villages). Because the costs rise, the LP fills the shallow
tiers first, so the relaxation is exact and the optimizer lifts the weakest village first.
``P12_min_strength`` is a hard floor. Written as :func:`shortfall_cost` for one team,
:class:`Shortfalls` for NumPy arrays of teams, and :func:`add` /
:func:`add_guarded` on the pair variables. The targets and tier costs come from the solve
layer (:mod:`pairing.solve.instance`), which maps the workbook to numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from pairing.cpsat.pairing.variables import Guard, PairingVars

RULES = ("P12",)
TIER_SIZE = 10  # tenths a tier: one strength unit


def shortfall_cost(target: int, tier_costs: Sequence[int], strength: int) -> int:
    """P12 cost units of a village with ``strength`` tenths: tiered shortfall below ``target``
    (tiers 1 … n−1 take up to ``TIER_SIZE`` tenths each, the last one whatever remains)."""
    short = max(0, target - strength)
    cost = 0
    for k, per_tenth in enumerate(tier_costs, start=1):
        in_tier = short if k == len(tier_costs) else min(short, TIER_SIZE)
        cost += per_tenth * in_tier
        short -= in_tier
        if short <= 0:
            break
    return cost


def allowed(strength: int, floor: int | None) -> bool:
    """Whether a team of ``strength`` tenths meets the ``P12_min_strength`` floor (if any)."""
    return floor is None or strength >= floor


def allowed_batch(strength: NDArray[np.int64], floor: int | None) -> NDArray[np.bool_]:
    """:func:`allowed` for an array of teams."""
    if floor is None:
        return np.ones(strength.shape, dtype=bool)
    return np.asarray(strength >= floor)


@dataclass(frozen=True)
class Shortfalls:
    """Per village, the P12 target (tenths) and the cumulative cost by shortfall: row v,
    column d is :func:`shortfall_cost` of a shortfall of d tenths (one column when P12 is off)."""

    target: NDArray[np.int64]
    table: NDArray[np.int64]

    def cost(self, strength: NDArray[np.int64], villages: NDArray[np.int64]) -> NDArray[np.int64]:
        """P12 cost of each team of ``villages`` (its strength, V × ...)."""
        if self.table.shape[1] == 1:
            return np.zeros(strength.shape, dtype=np.int64)
        shape = (len(villages),) + (1,) * (strength.ndim - 1)
        short = np.clip(self.target[villages].reshape(shape) - strength, 0, None)
        rows = np.broadcast_to(villages.reshape(shape), short.shape)
        costs: NDArray[np.int64] = self.table[rows, short]
        return costs


def no_shortfalls(villages: int) -> Shortfalls:
    """P12 off: every target 0, every team's cost 0."""
    return Shortfalls(np.zeros(villages, dtype=np.int64), np.zeros((villages, 1), dtype=np.int64))


def shortfalls(targets: Sequence[int], tier_costs: Sequence[Sequence[int]]) -> Shortfalls:
    """The batch form's tables from each village's target and tier costs."""
    table = np.zeros((len(targets), max(targets, default=0) + 1), dtype=np.int64)
    for v, target in enumerate(targets):
        per_tenth = np.repeat(np.array(tier_costs[v], dtype=np.int64), TIER_SIZE)[:target]
        table[v, 1 : target + 1] = np.cumsum(per_tenth)
    return Shortfalls(np.array(targets, dtype=np.int64), table)


def add(v: PairingVars) -> None:
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


def add_guarded(v: PairingVars, guard: Guard) -> None:
    """``P12_min_strength`` for the diagnosis: each village's floor under its own literal."""
    if v.data.min_strength is None:
        return
    for village in range(v.data.n_villages):
        v.model.add(_strength(v, village) >= v.data.min_strength).only_enforce_if(
            guard(("P12", village))
        )


def _strength(v: PairingVars, village: int) -> cp_model.LinearExprT:
    return sum(
        v.data.strength[v.data.edges[e].unit] * v.pair[e] for e in v.by_village.get(village, [])
    )
