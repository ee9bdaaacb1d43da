"""The LP relaxation of the team model, and reduced-cost fixing.

The team formulation's LP is nearly integral (on a Gaozhou-sized county the LP bound is within
0.1% of the optimum), but CP-SAT cannot exploit that over tens of thousands of columns. So we
solve the LP with HiGHS (SciPy), then keep only the teams whose reduced cost is at most
``incumbent - LP bound``: any plan that uses another team costs more than the incumbent
(standard LP reduced-cost fixing; P15's town costs are non-negative, so the LP without them is
still a valid bound). CP-SAT then proves optimality on a few hundred columns.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.optimize import linprog

from pairing.cpsat.pairing.data import PairingData


@dataclass(frozen=True)
class Relaxation:
    """LP bound (hundredths, constant included), reduced costs, and the LP solution."""

    bound: float
    reduced: NDArray[np.float64]
    values: NDArray[np.float64]

    def keep(self, incumbent: float, slack: float = 1.0) -> list[int]:
        """Teams that can appear in a plan costing at most ``incumbent`` (hundredths)."""
        limit = incumbent - self.bound + slack
        return [int(i) for i in np.flatnonzero(self.reduced <= limit)]

    def rounded(self) -> list[int]:
        """Teams the LP takes at one half or more: a start for the search."""
        return [int(i) for i in np.flatnonzero(self.values >= 0.5)]


def solve_relaxation(data: PairingData) -> Relaxation | None:
    """Solve the LP of the team model (without P15); None if it is infeasible."""
    n_teams = len(data.teams)
    cost = np.array([t.cost for t in data.teams], dtype=float)
    village_rows = np.array([t.village for t in data.teams])
    eq = sparse.csr_matrix(
        (np.ones(n_teams), (village_rows, np.arange(n_teams))), shape=(data.n_villages, n_teams)
    )
    rows, cols = [], []
    for i, t in enumerate(data.teams):
        for u in t.units:
            rows.append(u)
            cols.append(i)
    member = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(data.n_units, n_teams))
    upper = sparse.vstack([member, -member]).tocsr()
    limits = np.concatenate(
        [np.array(data.villages_max, float), -np.array(data.villages_min, float)]
    )
    result = linprog(
        cost,
        A_ub=upper,
        b_ub=limits,
        A_eq=eq,
        b_eq=np.ones(data.n_villages),
        bounds=(0, None),
        method="highs",
    )
    if result.status != 0:
        return None
    duals = np.concatenate([result.eqlin.marginals, result.ineqlin.marginals])
    stacked = sparse.vstack([eq, upper]).tocsr()
    reduced = cost - stacked.T @ duals
    return Relaxation(float(result.fun) + data.constant, np.maximum(reduced, 0.0), result.x)
