"""The LP relaxation of the team model (HiGHS, as bundled with SciPy), with prices for pricing.

Rows: one per village (exactly one team), and per unit a ranged row bounding how many chosen
teams hold it. Every row also has an artificial column of prohibitive cost, so the LP is always
feasible and its duals always exist; an LP optimum that still uses an artificial means the
offered teams cannot satisfy the row. P15's town costs are non-negative and left out, so the
LP value is a valid lower bound of the full model.

Column generation re-solves this LP after every pricing round, so :class:`MasterLP` keeps one
HiGHS instance and only adds columns (no matrix is rebuilt). It solves by interior point with
crossover. Measured: on these degenerate set-partitioning LPs simplex is slower even warm
(500 villages: 3-5 s a round against 0.45 s), and a simplex basis's prices are extreme, which
widens the reduced-cost windows of the later search (Gaozhou: the proof round no longer fit).
Where SciPy lacks HiGHS's binding, the LP is re-solved from scratch by
:func:`scipy.optimize.linprog` with the same method.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.optimize import linprog

from pairing.cpsat.pairing.data import Team

try:  # SciPy ≥ 1.15 ships HiGHS's own Python binding; older ones only linprog
    from scipy.optimize._highspy import _core as highs_core
except ImportError:  # pragma: no cover - depends on the installed SciPy
    highs_core = None

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


class MasterLP:
    """The team LP over a growing list of teams: add columns, re-solve, read prices.

    Parameters
    ----------
    n_villages
        Number of village rows (each covered by exactly one team).
    villages_min, villages_max
        Per unit, the bounds on how many chosen teams hold it.
    persistent
        Keep one HiGHS instance between solves (the default when SciPy has the binding).
    """

    def __init__(
        self,
        n_villages: int,
        villages_min: Sequence[int],
        villages_max: Sequence[int],
        persistent: bool = True,
    ) -> None:
        self.n_villages = n_villages
        self.n_units = len(villages_min)
        self.row_lower = np.concatenate([np.ones(n_villages), np.asarray(villages_min, float)])
        self.row_upper = np.concatenate([np.ones(n_villages), np.asarray(villages_max, float)])
        self.teams: list[Team] = []
        self._highs = _new_highs(self) if persistent and highs_core is not None else None

    @property
    def n_rows(self) -> int:
        """Village rows then unit rows."""
        return self.n_villages + self.n_units

    @property
    def n_artificial(self) -> int:
        """One artificial per village row, two (surplus, deficit) per unit row."""
        return self.n_villages + 2 * self.n_units

    def add(self, teams: Sequence[Team]) -> None:
        """Add ``teams`` as columns (the caller keeps them free of duplicates)."""
        if not teams:
            return
        self.teams.extend(teams)
        if self._highs is None:
            return
        starts, rows = _team_columns(teams, self.n_villages)
        self._highs.addCols(
            len(teams),
            np.array([t.cost for t in teams], dtype=float),
            np.zeros(len(teams)),
            np.full(len(teams), np.inf),
            len(rows),
            starts,
            rows,
            np.ones(len(rows)),
        )

    def solve(self) -> Relaxation:
        """Solve the LP over every team added so far."""
        if self._highs is None:
            return self._solve_from_scratch()
        highs = self._highs
        highs.run()
        status = highs.getModelStatus()
        if status != highs_core.HighsModelStatus.kOptimal:  # pragma: no cover - artificials
            raise RuntimeError(f"LP failed: {highs.modelStatusToString(status)}")
        solution = highs.getSolution()
        duals = np.asarray(solution.row_dual, dtype=float)
        values = np.asarray(solution.col_value, dtype=float)
        return Relaxation(
            float(highs.getInfo().objective_function_value),
            duals[: self.n_villages].copy(),
            duals[self.n_villages :].copy(),
            values[self.n_artificial :].copy(),
            float(values[: self.n_artificial].sum()),
        )

    def _solve_from_scratch(self) -> Relaxation:
        """The same LP through :func:`scipy.optimize.linprog` (no state kept)."""
        matrix = _matrix(self)
        cost = np.concatenate(
            [np.full(self.n_artificial, ARTIFICIAL_COST), [t.cost for t in self.teams]]
        )
        equal = self.row_lower == self.row_upper
        result = linprog(
            cost,
            A_ub=sparse.vstack([matrix[~equal], -matrix[~equal]]),
            b_ub=np.concatenate([self.row_upper[~equal], -self.row_lower[~equal]]),
            A_eq=matrix[equal],
            b_eq=self.row_lower[equal],
            bounds=(0, None),
            method="highs-ipm",
        )
        if result.status != 0:  # pragma: no cover - artificials make the LP feasible
            raise RuntimeError(f"LP failed: {result.message}")
        half = int((~equal).sum())
        duals = np.zeros(self.n_rows)
        duals[equal] = result.eqlin.marginals
        duals[~equal] = result.ineqlin.marginals[:half] - result.ineqlin.marginals[half:]
        return Relaxation(
            float(result.fun),
            duals[: self.n_villages],
            duals[self.n_villages :],
            result.x[self.n_artificial :],
            float(result.x[: self.n_artificial].sum()),
        )


def _team_columns(
    teams: Sequence[Team], n_villages: int
) -> tuple[NDArray[np.int32], NDArray[np.int32]]:
    """Column starts and row indices of ``teams``: the village row, then each unit's row."""
    sizes = np.array([1 + len(t.units) for t in teams], dtype=np.int32)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int32)
    rows = np.fromiter(
        (row for t in teams for row in (t.village, *(n_villages + u for u in t.units))),
        dtype=np.int32,
        count=int(sizes.sum()),
    )
    return starts, rows


def _artificial_columns(lp: MasterLP) -> sparse.csc_matrix:
    """Village shortfall, then unit surplus (+1) and unit deficit (-1) columns."""
    n_v, n_u = lp.n_villages, lp.n_units
    rows = np.concatenate([np.arange(n_v), n_v + np.arange(n_u), n_v + np.arange(n_u)])
    values = np.concatenate([np.ones(n_v), np.ones(n_u), -np.ones(n_u)])
    columns = np.arange(lp.n_artificial)
    return sparse.csc_matrix((values, (rows, columns)), shape=(lp.n_rows, lp.n_artificial))


def _matrix(lp: MasterLP) -> sparse.csr_matrix:
    """The whole constraint matrix: artificials, then every team."""
    starts, rows = _team_columns(lp.teams, lp.n_villages) if lp.teams else (None, None)
    if starts is None or rows is None:
        return _artificial_columns(lp).tocsr()
    pointers = np.append(starts, len(rows))
    teams = sparse.csc_matrix(
        (np.ones(len(rows)), rows, pointers), shape=(lp.n_rows, len(lp.teams))
    )
    return sparse.hstack([_artificial_columns(lp), teams]).tocsr()


def _new_highs(lp: MasterLP) -> Any:
    """A silent, seeded HiGHS instance holding the rows and the artificial columns."""
    highs = highs_core._Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("random_seed", 0)
    highs.setOptionValue("threads", 1)
    highs.setOptionValue("solver", "ipm")
    artificials = _artificial_columns(lp)
    model = highs_core.HighsLp()
    model.num_col_ = lp.n_artificial
    model.num_row_ = lp.n_rows
    model.col_cost_ = np.full(lp.n_artificial, ARTIFICIAL_COST)
    model.col_lower_ = np.zeros(lp.n_artificial)
    model.col_upper_ = np.full(lp.n_artificial, np.inf)
    model.row_lower_ = lp.row_lower
    model.row_upper_ = lp.row_upper
    matrix = model.a_matrix_
    matrix.format_ = highs_core.MatrixFormat.kColwise
    matrix.num_col_ = lp.n_artificial
    matrix.num_row_ = lp.n_rows
    matrix.start_ = artificials.indptr
    matrix.index_ = artificials.indices
    matrix.value_ = artificials.data
    highs.passModel(model)
    return highs
