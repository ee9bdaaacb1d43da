"""The global bound, as both bound methods give it, and the first of them: column generation.

Column generation (up to ``SearchParams.lp_villages`` villages): start from each village's
cheapest teams and the warm start; solve the LP; price every team of the candidate graph with
NumPy against the LP's prices; add those with negative reduced cost; repeat until none is left.
The LP value plus each village's lowest reduced cost is then a lower bound over *all* teams,
not just the ones generated. The other method, subgradient steps on the units' prices
(:mod:`pairing.solve.lagrange`), returns the same :class:`Bound`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from pairing.cpsat.pairing.data import PairingData, Team
from pairing.cpsat.pairing.relaxation import Duals, MasterLP
from pairing.domain.status import BoundMethod
from pairing.solve.params import ColumnGeneration
from pairing.solve.pricing import Prices, TeamSpace
from pairing.solve.stage import Pool


@dataclass(frozen=True)
class Bound:
    """A lower bound valid for every team, its prices, and the relaxed solution behind it.

    For any plan, cost ≥ ``value`` = relaxed terms + Σ each village's lowest reduced cost (LP
    duality with the unit bounds, or Lagrangian weak duality), and each village holds exactly
    one team; so the bound holds whatever the prices, and a team T of village v can only be in
    a plan costing at most ``UB`` if ``rc(T) - lowest[v] ≤ UB - bound``.

    ``value`` is in cost units with the constant. ``duals`` price a team; ``prices`` are the
    same laid out for pricing the team space. ``weights`` are the relaxed solution, one per
    team of ``columns`` (the LP's values, or the share of recent subgradient steps in which a
    team was lowest): rounding follows them. ``converged``: pricing found no team of negative
    reduced cost, so the LP is solved over the whole space (never said of the Lagrangian).
    ``infeasible``: proven that no plan exists (the LP needs artificials even so, or some
    village has no team at all).
    """

    value: float
    lowest: NDArray[np.float64]
    prices: Prices
    duals: Duals
    columns: tuple[Team, ...]
    weights: NDArray[np.float64]
    method: BoundMethod
    converged: bool = False
    infeasible: bool = False

    def support(self) -> list[Team]:
        """The teams the relaxed solution uses at all."""
        return [self.columns[int(i)] for i in np.flatnonzero(self.weights > 1e-6)]

    def reduced(self, teams: Sequence[Team]) -> NDArray[np.float64]:
        """Each team's reduced cost under these prices."""
        return self.duals.reduced(teams)


def column_generation(
    space: TeamSpace,
    data: PairingData,
    start: Sequence[Team],
    deadline: float,
    params: ColumnGeneration,
    stop: threading.Event | None = None,
) -> Bound:
    """Price and add teams until none has negative reduced cost, ``deadline``, ``stop``
    (Ctrl-C: the bound holds as it is) or ``params.pool_cap`` teams.

    The first pool: each village's cheapest teams and ``start`` (the teams NumPy does not
    price, the warm start's). Every pooled team is a column of the LP, so the weights follow
    the pool. Dropping columns of high reduced cost between rounds was tried: the smaller LP
    solves faster, but its prices swing to the artificials' bounds and the bound collapses.
    Raises :class:`~pairing.cpsat.pairing.relaxation.LPFailed` when HiGHS fails.
    """
    pool = Pool()
    pool.add(space.teams_below(space.zero_prices(), np.inf, params.initial_teams))
    pool.add(start)
    master = MasterLP(
        data.n_villages, data.villages_min, data.villages_max, links=space.town_links()
    )
    master.add(pool.teams)
    while True:
        relaxation = master.solve()
        duals = relaxation.duals
        prices = space.prices(duals.village_price, duals.unit_price, duals.pair_price)
        lowest = space.min_reduced(prices)
        tolerance = params.tolerance * master.cost_unit
        converged = bool(lowest.min(initial=0.0) >= -tolerance)
        stopped = stop is not None and stop.is_set()
        full = len(pool.teams) >= params.pool_cap
        if converged or stopped or time.perf_counter() > deadline or full:
            return Bound(
                relaxation.value + data.constant + float(lowest.sum()),
                lowest,
                prices,
                duals,
                tuple(pool.teams),
                relaxation.values,
                BoundMethod.LP,
                converged=converged,
                infeasible=converged and not relaxation.feasible,
            )
        known = len(pool.teams)
        pool.add(space.teams_below(prices, -tolerance, params.added_teams))
        master.add(pool.teams[known:])
