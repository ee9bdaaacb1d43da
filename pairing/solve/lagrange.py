"""A Lagrangian bound by subgradient steps, for counties too large for the team LP.

Relax each unit's row (``villages_min ≤ teams holding it ≤ villages_max``) with a price
``μ_u``. For any prices, every plan costs at least

    L(μ) = constant + Σ_v min_T [cost(T) - Σ_{u∈T} μ_u] + Σ_u min(μ_u·min_u, μ_u·max_u)

(each village still takes exactly one team; P15's town costs, never negative, are left out).
Pricing every team of the candidate graph is one NumPy pass, so ``L`` and a supergradient
(``r_u - teams holding u``) cost a fraction of a second even at 10,000 villages, where a single
column-generation LP takes minutes. Steps follow Polyak's rule towards the warm start's cost,
with the step factor halved whenever the bound stops rising.

The bound is valid whatever the prices; the best prices found are returned laid out like the
LP's, so that the rest of the search (rounding, windows, neighbourhoods) uses them as is.
"""

from __future__ import annotations

import dataclasses
import time
from collections import Counter, deque
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from pairing.cpsat.pairing.data import PairingData, Team
from pairing.solve.pricing import Prices, TeamSpace

STEP_FACTOR = 2.0  # Polyak's factor at the start (halved when the bound stalls)
STALL_STEPS = 5  # steps without a better bound before the factor is halved
SMALLEST_FACTOR = 1e-4  # below this the steps no longer move the bound: stop
TIE = 1e-9  # reduced costs this close to a village's lowest count as its lowest
RECENT_STEPS = 20  # steps whose lowest teams make the approximate LP solution


@dataclass(frozen=True)
class Lagrangian:
    """The best bound found (hundredths, with the constant) and the prices that give it.

    ``lowest`` is each village's lowest reduced cost under ``unit_price`` (``prices`` laid
    out for pricing); ``steps`` how many prices were tried. Not ``feasible`` when some village
    has no team at all (the bound is then +inf: no plan exists). ``teams`` and ``share`` are an
    approximate LP solution: the lowest teams of the last ``RECENT_STEPS`` steps, each with
    the share of those steps it was lowest in (as in Barahona and Anbil's volume algorithm,
    averaged subproblem solutions approach the LP's).
    """

    value: float
    unit_price: NDArray[np.float64]
    prices: Prices
    lowest: NDArray[np.float64]
    steps: int
    teams: tuple[Team, ...] = ()
    share: tuple[float, ...] = ()

    @property
    def feasible(self) -> bool:
        """Whether every village has a team (else no plan exists)."""
        return bool(np.isfinite(self.lowest).all())


def lagrangian_bound(
    space: TeamSpace, data: PairingData, extra: list[Team], upper: float, deadline: float
) -> Lagrangian:
    """Raise ``L(μ)`` from ``μ = 0`` until ``deadline`` or the steps stop helping.

    ``extra`` are the teams NumPy does not price (villages with no free place or with three
    or more); ``upper`` is the cost of a known plan, the target of Polyak's steps.
    """
    lower = np.asarray(data.villages_min, dtype=float)
    upper_count = np.asarray(data.villages_max, dtype=float)
    extras = _Extras(extra, data.n_villages, data.n_units)
    unit_price = np.zeros(data.n_units)
    best: Lagrangian | None = None
    factor, stalled, steps = STEP_FACTOR, 0, 0
    recent: deque[list[Team]] = deque(maxlen=RECENT_STEPS)
    while True:
        prices = space.prices(np.zeros(data.n_villages), unit_price)
        priced_lowest, priced_teams = space.lowest_teams(prices)
        lowest = np.minimum(priced_lowest, extras.lowest(unit_price))
        value = data.constant + float(lowest.sum()) + _row_terms(unit_price, lower, upper_count)
        steps += 1
        if best is None or value > best.value:
            best = Lagrangian(value, unit_price, prices, lowest, steps)
            stalled = 0
        if not best.feasible:
            return best
        stalled += 1
        if stalled >= STALL_STEPS:
            factor, stalled = factor / 2, 0
        chosen = _lowest_teams(priced_lowest, priced_teams, lowest, extras, unit_price)
        recent.append(chosen)
        held = _held(chosen, data.n_units)
        # The row's best activity: its bound where priced, as close to ``held`` as it may be
        # where not (so that a satisfied row does not pull its price away from zero).
        free = np.clip(held, lower, upper_count)
        rows = np.where(unit_price > 0, lower, np.where(unit_price < 0, upper_count, free))
        direction = rows - held
        norm = float(direction @ direction)
        if norm == 0 or factor < SMALLEST_FACTOR or time.perf_counter() >= deadline:
            teams, share = _averaged(recent)
            return dataclasses.replace(best, steps=steps, teams=teams, share=share)
        # Polyak's step towards the known plan's cost (or just above the bound, if the known
        # plan is incomplete and costs less than the bound).
        target = max(upper, value + 0.01 * abs(value))
        unit_price = unit_price + factor * (target - value) / norm * direction


def _row_terms(
    unit_price: NDArray[np.float64], lower: NDArray[np.float64], upper: NDArray[np.float64]
) -> float:
    """Σ_u min over r in [min_u, max_u] of μ_u·r: the relaxed rows' share of ``L``."""
    return float(np.where(unit_price >= 0, unit_price * lower, unit_price * upper).sum())


def _lowest_teams(
    priced_lowest: NDArray[np.float64],
    priced_teams: dict[int, Team],
    lowest: NDArray[np.float64],
    extras: _Extras,
    unit_price: NDArray[np.float64],
) -> list[Team]:
    """One lowest team per village: the priced one where it is lowest, else an extra one."""
    chosen = [t for v, t in priced_teams.items() if priced_lowest[v] <= lowest[v] + TIE]
    covered = {team.village for team in chosen}
    chosen += [t for t in extras.lowest_teams(unit_price, lowest + TIE) if t.village not in covered]
    return chosen


def _held(chosen: list[Team], units: int) -> NDArray[np.float64]:
    """How many of the ``chosen`` teams hold each unit."""
    members = [u for team in chosen for u in team.units]
    return np.bincount(np.asarray(members, dtype=np.int64), minlength=units).astype(float)


def _averaged(recent: deque[list[Team]]) -> tuple[tuple[Team, ...], tuple[float, ...]]:
    """The teams of the recent steps and the share of those steps each was lowest in."""
    counts: Counter[Team] = Counter(team for chosen in recent for team in chosen)
    teams = sorted(counts, key=lambda t: (t.village, t.units))
    return tuple(teams), tuple(counts[t] / len(recent) for t in teams)


class _Extras:
    """The teams NumPy does not price, as a sparse team × unit matrix."""

    def __init__(self, teams: list[Team], villages: int, units: int) -> None:
        self.teams = teams
        self.villages = villages
        self.village = np.array([t.village for t in teams], dtype=np.int64)
        self.cost = np.array([t.cost for t in teams], dtype=float)
        rows = [row for row, team in enumerate(teams) for _ in team.units]
        columns = [u for team in teams for u in team.units]
        self.membership = sparse.csr_matrix(
            (np.ones(len(rows)), (rows, columns)), shape=(len(teams), units)
        )

    def reduced(self, unit_price: NDArray[np.float64]) -> NDArray[np.float64]:
        """Each extra team's reduced cost under ``unit_price``."""
        reduced: NDArray[np.float64] = self.cost - self.membership @ unit_price
        return reduced

    def lowest(self, unit_price: NDArray[np.float64]) -> NDArray[np.float64]:
        """Per village, the lowest reduced cost of its extra teams (inf where none)."""
        lowest = np.full(self.villages, np.inf)
        np.minimum.at(lowest, self.village, self.reduced(unit_price))
        return lowest

    def lowest_teams(
        self, unit_price: NDArray[np.float64], limit: NDArray[np.float64]
    ) -> list[Team]:
        """The first extra team of each village whose reduced cost is within ``limit``."""
        reduced = self.reduced(unit_price)
        found: dict[int, Team] = {}
        for k in np.flatnonzero(reduced <= limit[self.village]):
            found.setdefault(int(self.village[k]), self.teams[k])
        return list(found.values())
