"""The LP relaxation of the team model (HiGHS through SciPy), with prices for pricing.

Rows: one per village (exactly one team), and per unit its bounds on how many chosen teams
hold it. Every row also has an artificial column of prohibitive cost, so the LP is always
feasible and its duals always exist; an LP optimum that still uses an artificial means the
offered teams cannot satisfy the row. P15's town costs are non-negative and left out, so the
LP value is a valid lower bound of the full model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.optimize import linprog

from pairing.cpsat.pairing.data import Team

ARTIFICIAL_COST = 1e7  # hundredths of a point: far above any team's cost


@dataclass(frozen=True)
class Relaxation:
    """LP value (hundredths, without the constant), prices and the LP solution."""

    value: float
    village_price: NDArray[np.float64]
    unit_price: NDArray[np.float64]
    values: NDArray[np.float64]
    artificial: float

    @property
    def feasible(self) -> bool:
        """Whether the offered teams satisfy every row without artificials."""
        return self.artificial < 1e-6

    def reduced(self, teams: Sequence[Team]) -> NDArray[np.float64]:
        """Reduced cost of each team under these prices."""
        return np.array(
            [
                t.cost - self.village_price[t.village] - self.unit_price[list(t.units)].sum()
                for t in teams
            ]
        )

    def support(self) -> list[int]:
        """Indices of teams the LP uses at all."""
        return [int(i) for i in np.flatnonzero(self.values > 1e-6)]


def solve_relaxation(
    teams: Sequence[Team],
    n_villages: int,
    villages_min: Sequence[int],
    villages_max: Sequence[int],
    method: str = "highs-ipm",
) -> Relaxation:
    """Solve the LP over ``teams`` (plus artificial columns) with a HiGHS ``method``."""
    n_units = len(villages_min)
    n_teams = len(teams)
    cost = np.concatenate(
        [
            np.array([t.cost for t in teams], dtype=float),
            np.full(n_villages + n_units, ARTIFICIAL_COST),
        ]
    )
    village_of = np.array([t.village for t in teams], dtype=np.int64)
    eq = sparse.hstack(
        [
            sparse.csr_matrix(
                (np.ones(n_teams), (village_of, np.arange(n_teams))), shape=(n_villages, n_teams)
            ),
            sparse.identity(n_villages, format="csr"),
            sparse.csr_matrix((n_villages, n_units)),
        ]
    ).tocsr()
    rows = [u for t in teams for u in t.units]
    cols = [i for i, t in enumerate(teams) for _ in t.units]
    member = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_units, n_teams))
    zeros = sparse.csr_matrix((n_units, n_villages))
    upper = sparse.vstack(
        [
            sparse.hstack([member, zeros, sparse.csr_matrix((n_units, n_units))]),
            sparse.hstack([-member, zeros, -sparse.identity(n_units, format="csr")]),
        ]
    ).tocsr()
    bounds = np.concatenate([np.array(villages_max, float), -np.array(villages_min, float)])
    result = linprog(
        cost,
        A_ub=upper,
        b_ub=bounds,
        A_eq=eq,
        b_eq=np.ones(n_villages),
        bounds=(0, None),
        method=method,
    )
    if result.status != 0:  # pragma: no cover - artificials make the LP feasible and bounded
        raise RuntimeError(f"LP failed: {result.message}")
    marginals = result.ineqlin.marginals
    unit_price = marginals[:n_units] - marginals[n_units:]
    artificial = float(result.x[n_teams:].sum())
    # The value keeps the artificials' cost: with the reduced costs it bounds every plan.
    value = float(result.fun)
    return Relaxation(
        value, result.eqlin.marginals.copy(), unit_price, result.x[:n_teams], artificial
    )
