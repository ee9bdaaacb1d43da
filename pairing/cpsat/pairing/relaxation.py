"""The LP relaxation of the team model (HiGHS, as bundled with SciPy), with prices for pricing.

Rows: one per village (exactly one team), and per unit a ranged row bounding how many chosen
teams hold it. Every row also has an artificial column of prohibitive cost, so the LP is always
feasible and its duals always exist; an LP optimum that still uses an artificial means the
offered teams cannot satisfy the row. P15's town costs enter through :class:`TownLinks`; the LP
never charges more than a plan pays, so its value is a valid lower bound of the full model.

Column generation re-solves this LP after every pricing round, so :class:`MasterLP` keeps one
HiGHS instance and only adds columns (no matrix is rebuilt). It solves by interior point
without crossover. Measured at 500 villages: simplex is slower even warm (3-5 s a round
against 0.7 s); crossover to a vertex doubles the rounds (22 against 9), as a vertex's prices
are extreme, and they also widen the later search's reduced-cost windows.
Where SciPy lacks HiGHS's binding, the LP is re-solved from scratch by
:func:`scipy.optimize.linprog` (interior point too).

HiGHS sees costs divided by ``cost_unit`` (the largest |cost| of the first pool), so that a
weight of 1000 does not leave it with numbers from 1 to 1e14. An interior-point run that
still ends without an optimum is re-run by dual simplex, then from scratch by ``linprog``;
only when all three fail does :meth:`MasterLP.solve` raise :class:`LPFailed`, and the search
then takes its bound elsewhere (issue 14: ``lp-failed.xlsx`` ended the solve here).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.optimize import linprog

from pairing.cpsat.pairing.data import Team

try:  # SciPy's private HiGHS binding (tested with 1.17); without it, linprog from scratch
    from scipy.optimize._highspy import _core as highs_core
except ImportError:  # pragma: no cover - depends on the installed SciPy
    highs_core = None
if highs_core is not None and not hasattr(highs_core, "_Highs"):  # pragma: no cover
    highs_core = None

# An artificial column costs this many times the dearest team of the first pool (costs are
# divided by that team's cost before HiGHS sees them, so the LP's numbers stay near 1). A
# fixed 1e7 (units) was once below the teams' own cost when a weight was 1000, and the LP
# then preferred the artificials: issue 14's false "infeasible".
ARTIFICIAL_COST = 1e4
# Interior point stops within a relative duality gap of 1e-8: the value is lowered by ten
# times that, so that it never exceeds the LP's true optimum (and stays a valid bound).
VALUE_MARGIN = 1e-7


@dataclass(frozen=True)
class TownLinks:
    """P15 in the LP: which units may take villages in several towns, and where.

    For each such unit ``u`` and candidate village ``v``, a row ``z_uv ≤ y_u,town(v)`` (``z_uv``
    being the teams of ``v`` that hold ``u``), and per unit ``extra_u ≥ Σ_town y_u,town - 1``
    at ``cost`` each. A plan pays exactly its P15 here; the LP pays at most that, so its value
    stays a lower bound, and it now prices the towns a team draws a unit into.
    """

    cost: float
    pairs: tuple[tuple[int, int], ...]
    town_of_pair: tuple[int, ...]
    unit_of_town: tuple[int, ...]

    @property
    def units(self) -> tuple[int, ...]:
        """The units concerned, in the order of their extra-town rows."""
        return tuple(sorted(set(self.unit_of_town)))

    @cached_property
    def index(self) -> dict[tuple[int, int], int]:
        """Each (unit, village) pair's position in ``pairs``."""
        return {pair: i for i, pair in enumerate(self.pairs)}


NO_TOWN_LINKS = TownLinks(0.0, (), (), ())


class LPFailed(RuntimeError):
    """HiGHS found no optimum of the (always feasible) LP by any of its methods."""


@dataclass(frozen=True)
class Duals:
    """Prices of the team LP's rows: per village, per unit, and per town link.

    The LP's duals, or the Lagrangian's multipliers (no village prices, the town links' ``-π``):
    either prices a team the same way. ``pair_price`` maps a (unit, village) pair with a town
    link to that row's price; a team's reduced cost subtracts it for each of its units that
    has one.
    """

    village_price: NDArray[np.float64]
    unit_price: NDArray[np.float64]
    pair_price: Mapping[tuple[int, int], float] = field(default_factory=dict)

    def reduced(self, teams: Sequence[Team]) -> NDArray[np.float64]:
        """Reduced cost of each team under these prices."""
        pair = self.pair_price
        return np.array(
            [
                t.cost
                - self.village_price[t.village]
                - self.unit_price[list(t.units)].sum()
                - sum(pair.get((u, t.village), 0.0) for u in t.units)
                for t in teams
            ]
        )


@dataclass(frozen=True)
class Relaxation:
    """What one LP solve gives: value (cost units, without the constant), the row prices
    (:class:`Duals`' fields) and the LP solution ``values``, one per team column."""

    value: float
    village_price: NDArray[np.float64]
    unit_price: NDArray[np.float64]
    values: NDArray[np.float64]
    artificial: float
    pair_price: Mapping[tuple[int, int], float] = field(default_factory=dict)

    @property
    def feasible(self) -> bool:
        """Whether the offered teams satisfy every row without artificials."""
        return self.artificial < 1e-6

    @property
    def duals(self) -> Duals:
        """The row prices alone."""
        return Duals(self.village_price, self.unit_price, self.pair_price)

    def reduced(self, teams: Sequence[Team]) -> NDArray[np.float64]:
        """Reduced cost of each team under these prices."""
        return self.duals.reduced(teams)

    def support(self) -> list[int]:
        """Indices of teams the LP uses at all."""
        return [int(i) for i in np.flatnonzero(self.values > 1e-6)]


class MasterLP:
    """The team LP over a growing list of teams: add columns, re-solve, read prices.

    Rows: villages, units, town links, extra towns. Fixed columns: artificials, then one
    ``y`` per (unit, town) and one ``extra`` per linked unit; teams come after.

    Parameters
    ----------
    n_villages
        Number of village rows (each covered by exactly one team).
    villages_min, villages_max
        Per unit, the bounds on how many chosen teams hold it.
    links
        P15's rows and columns (none by default).
    persistent
        Keep one HiGHS instance between solves (the default when SciPy has the binding).
    cost_unit
        Costs are divided by this before HiGHS sees them (values and prices are scaled back);
        by default the largest |cost| of the first :meth:`add`.
    """

    def __init__(
        self,
        n_villages: int,
        villages_min: Sequence[int],
        villages_max: Sequence[int],
        links: TownLinks = NO_TOWN_LINKS,
        persistent: bool = True,
        cost_unit: float | None = None,
    ) -> None:
        self.cost_unit = 1.0 if cost_unit is None else max(1.0, cost_unit)
        self._unit_given = cost_unit is not None
        self._persistent = persistent and highs_core is not None
        self.n_villages = n_villages
        self.n_units = len(villages_min)
        self.links = links
        n_links, n_extra = len(links.pairs), len(links.units)
        self.row_lower = np.concatenate(
            [
                np.ones(n_villages),
                np.asarray(villages_min, float),
                np.full(n_links, -np.inf),
                np.full(n_extra, -1.0),
            ]
        )
        self.row_upper = np.concatenate(
            [
                np.ones(n_villages),
                np.asarray(villages_max, float),
                np.zeros(n_links),
                np.full(n_extra, np.inf),
            ]
        )
        self.teams: list[Team] = []
        self._highs: Any = None
        self.fixed = _fixed_columns(self)
        if self._unit_given:
            self._start()

    def _start(self) -> None:
        """Lay out the fixed columns at the cost unit, and the HiGHS instance that keeps them."""
        self.fixed = _fixed_columns(self)
        if self._persistent:
            self._highs = _new_highs(self)

    @property
    def n_rows(self) -> int:
        """Village rows, unit rows, town-link rows, extra-town rows."""
        return len(self.row_lower)

    @property
    def n_artificial(self) -> int:
        """One artificial per village row, two (surplus, deficit) per unit row."""
        return self.n_villages + 2 * self.n_units

    def add(self, teams: Sequence[Team]) -> None:
        """Add ``teams`` as columns (the caller keeps them free of duplicates)."""
        if not teams:
            return
        if not self._unit_given and not self.teams:
            # The largest magnitude, not the largest cost: refunds (P14, P16-P18) can make
            # every team's cost negative, and artificials priced off a tiny positive cost then
            # let the LP use a unit twice to collect two refunds (P18: a false "infeasible").
            self.cost_unit = max(1.0, max(abs(t.cost) for t in teams))
            self._start()
        self.teams.extend(teams)
        if self._highs is None:
            return
        starts, rows = _team_columns(self, teams)
        self._highs.addCols(
            len(teams),
            np.array([t.cost for t in teams], dtype=float) / self.cost_unit,
            np.zeros(len(teams)),
            np.full(len(teams), np.inf),
            len(rows),
            starts,
            rows,
            np.ones(len(rows)),
        )

    def solve(self) -> Relaxation:
        """Solve the LP over every team added so far (interior point, then simplex, then
        ``linprog`` from scratch); raise :class:`LPFailed` when none finds the optimum."""
        if self._highs is None and not self.teams and self._persistent:
            self._start()
        solved = self._solve_kept() if self._highs is not None else None
        if solved is None:
            solved = _solve_from_scratch(self)
        value, duals, values = solved
        unit = self.cost_unit
        return self._relaxation(value * unit, duals * unit, values)

    def _solve_kept(self) -> tuple[float, NDArray[np.float64], NDArray[np.float64]] | None:
        """The kept HiGHS instance by interior point, else by dual simplex; ``None`` if both
        end without an optimum."""
        highs: Any = self._highs
        for solver in ("ipm", "simplex"):
            highs.setOptionValue("solver", solver)
            highs.run()
            if highs.getModelStatus() == highs_core.HighsModelStatus.kOptimal:
                highs.setOptionValue("solver", "ipm")
                solution = highs.getSolution()
                return (
                    float(highs.getInfo().objective_function_value),
                    np.asarray(solution.row_dual, dtype=float),
                    np.asarray(solution.col_value, dtype=float),
                )
        highs.setOptionValue("solver", "ipm")
        return None

    def _relaxation(
        self, value: float, duals: NDArray[np.float64], values: NDArray[np.float64]
    ) -> Relaxation:
        n_v, n_u, n_fixed = self.n_villages, self.n_units, self.fixed.costs.size
        link_duals = duals[n_v + n_u : n_v + n_u + len(self.links.pairs)]
        return Relaxation(
            value - VALUE_MARGIN * max(1.0, abs(value)),
            duals[:n_v].copy(),
            duals[n_v : n_v + n_u].copy(),
            values[n_fixed:].copy(),
            float(values[: self.n_artificial].sum()),
            {pair: float(d) for pair, d in zip(self.links.pairs, link_duals, strict=True) if d},
        )


@dataclass(frozen=True)
class _Columns:
    """Columns in compressed sparse form, with their costs and bounds."""

    matrix: sparse.csc_matrix
    costs: NDArray[np.float64]
    upper: NDArray[np.float64]


def _fixed_columns(lp: MasterLP) -> _Columns:
    """Artificials (village shortfall, unit surplus +1 and deficit -1), ``y`` and ``extra``."""
    n_v, n_u = lp.n_villages, lp.n_units
    links = lp.links
    link_base = n_v + n_u
    extra_base = link_base + len(links.pairs)
    extra_row = {u: extra_base + i for i, u in enumerate(links.units)}
    n_towns = len(links.unit_of_town)
    rows = [*range(n_v), *(n_v + u for u in range(n_u)), *(n_v + u for u in range(n_u))]
    cols = list(range(lp.n_artificial))
    values = [1.0] * (n_v + n_u) + [-1.0] * n_u
    for link, town in enumerate(links.town_of_pair):  # y: -1 in each of its link rows
        rows.append(link_base + link)
        cols.append(lp.n_artificial + town)
        values.append(-1.0)
    for town, unit in enumerate(links.unit_of_town):  # y: -1 in its unit's extra row
        rows.append(extra_row[unit])
        cols.append(lp.n_artificial + town)
        values.append(-1.0)
    first_extra = lp.n_artificial + n_towns
    for i, unit in enumerate(links.units):  # extra: +1 in its row
        rows.append(extra_row[unit])
        cols.append(first_extra + i)
        values.append(1.0)
    n_cols = first_extra + len(links.units)
    matrix = sparse.csc_matrix((values, (rows, cols)), shape=(lp.n_rows, n_cols))
    costs = np.concatenate(
        [
            np.full(lp.n_artificial, ARTIFICIAL_COST),
            np.zeros(n_towns),
            np.full(len(links.units), links.cost / lp.cost_unit),
        ]
    )
    upper = np.concatenate(
        [np.full(lp.n_artificial, np.inf), np.ones(n_towns), np.full(len(links.units), np.inf)]
    )
    return _Columns(matrix, costs, upper)


def _team_columns(
    lp: MasterLP, teams: Sequence[Team]
) -> tuple[NDArray[np.int32], NDArray[np.int32]]:
    """Column starts and row indices of ``teams``: village, units, then town links."""
    n_v, link_base = lp.n_villages, lp.n_villages + lp.n_units
    columns = []
    for t in teams:
        links = [
            link_base + lp.links.index[(u, t.village)]
            for u in t.units
            if (u, t.village) in lp.links.index
        ]
        columns.append((t.village, *(n_v + u for u in t.units), *links))
    sizes = np.array([len(c) for c in columns], dtype=np.int32)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int32)
    rows = np.fromiter((r for c in columns for r in c), dtype=np.int32, count=int(sizes.sum()))
    return starts, rows


def _solve_from_scratch(lp: MasterLP) -> tuple[float, NDArray[np.float64], NDArray[np.float64]]:
    """The same LP through :func:`scipy.optimize.linprog`: value, row duals, column values."""
    matrix = lp.fixed.matrix
    costs, upper = lp.fixed.costs, lp.fixed.upper
    if lp.teams:
        starts, rows = _team_columns(lp, lp.teams)
        pointers = np.append(starts, len(rows))
        teams = sparse.csc_matrix(
            (np.ones(len(rows)), rows, pointers), shape=(lp.n_rows, len(lp.teams))
        )
        matrix = sparse.hstack([matrix, teams]).tocsc()
        costs = np.concatenate([costs, np.array([t.cost for t in lp.teams]) / lp.cost_unit])
        upper = np.concatenate([upper, np.full(len(lp.teams), np.inf)])
    matrix = matrix.tocsr()
    equal = lp.row_lower == lp.row_upper
    below = ~equal & np.isfinite(lp.row_upper)
    above = ~equal & np.isfinite(lp.row_lower)
    result = linprog(
        costs,
        A_ub=sparse.vstack([matrix[below], -matrix[above]]),
        b_ub=np.concatenate([lp.row_upper[below], -lp.row_lower[above]]),
        A_eq=matrix[equal],
        b_eq=lp.row_lower[equal],
        bounds=np.column_stack([np.zeros(len(costs)), upper]),
        method="highs-ipm",
    )
    if result.status != 0:
        raise LPFailed(f"LP failed: {result.message}")
    duals = np.zeros(lp.n_rows)
    duals[equal] = result.eqlin.marginals
    n_below = int(below.sum())
    duals[below] += result.ineqlin.marginals[:n_below]
    duals[above] -= result.ineqlin.marginals[n_below:]
    return float(result.fun), duals, np.asarray(result.x, dtype=float)


def _new_highs(lp: MasterLP) -> Any:
    """A silent, seeded HiGHS instance holding the rows and the fixed columns."""
    highs = highs_core._Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("random_seed", 0)
    highs.setOptionValue("threads", 1)
    highs.setOptionValue("solver", "ipm")
    # Interior prices, without crossover to a vertex: column generation converges in far
    # fewer rounds (500 villages: 9 rounds, 5.7 s, against 22 rounds, 16.8 s).
    highs.setOptionValue("run_crossover", "off")
    fixed = lp.fixed
    model = highs_core.HighsLp()
    model.num_col_ = fixed.costs.size
    model.num_row_ = lp.n_rows
    model.col_cost_ = fixed.costs
    model.col_lower_ = np.zeros(fixed.costs.size)
    model.col_upper_ = fixed.upper
    model.row_lower_ = lp.row_lower
    model.row_upper_ = lp.row_upper
    matrix = model.a_matrix_
    matrix.format_ = highs_core.MatrixFormat.kColwise
    matrix.num_col_ = fixed.costs.size
    matrix.num_row_ = lp.n_rows
    matrix.start_ = fixed.matrix.indptr
    matrix.index_ = fixed.matrix.indices
    matrix.value_ = fixed.matrix.data
    highs.passModel(model)
    return highs
