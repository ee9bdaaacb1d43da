"""A Lagrangian bound by subgradient steps, for counties too large for the team LP.

Relax each unit's row (``villages_min ≤ teams holding it ≤ villages_max``) with a price
``μ_u``, and each of P15's town links (``z_uv ≤ y_u,town(v)``, the column generation's LP rows,
:class:`~pairing.cpsat.pairing.relaxation.TownLinks`) with a price ``π_uv ≥ 0``. For any
prices, every plan costs at least

    L(μ, π) = constant + Σ_v min_T [cost(T) - Σ_{u∈T} μ_u + Σ_{u∈T} π_uv]
              + Σ_u min(μ_u·min_u, μ_u·max_u)
              + Σ_u min_{y,extra} [w·extra_u - Σ_town g_u,town·y_u,town]

where ``g_u,town`` sums ``π_uv`` over the unit's villages in that town: each village still
takes exactly one team, and each unit picks its towns alone (its best town free, any other
whose ``g`` exceeds ``w``). Leaving P15 out, as this module first did, lost 228 points of
95,889 at 500 villages (the LP with and without its links).
Pricing every team of the candidate graph is one NumPy pass, so ``L`` and a supergradient
(``r_u - teams holding u``; ``z_uv - y_u,town(v)``) cost a fraction of a second even at 10,000
villages, where a single column-generation LP takes minutes. Steps follow Polyak's rule towards
the warm start's cost, or towards ``AIM`` above the best bound if that is lower, with the step
factor halved whenever the bound stops rising.

The bound is valid whatever the prices; the best prices found are returned laid out like the
LP's, as the :class:`~pairing.solve.bounds.Bound` column generation returns, so that the rest of
the search (rounding, windows, neighbourhoods) uses them as is. The steps' knobs, with their
measured reasons: :class:`pairing.solve.params.Subgradient`.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from pairing.cpsat.pairing.data import PairingData, Team
from pairing.cpsat.pairing.relaxation import NO_TOWN_LINKS, Duals, TownLinks
from pairing.cpsat.pairing.rules.towns import TownChoice
from pairing.domain.status import BoundMethod
from pairing.solve.bounds import Bound
from pairing.solve.params import DEFAULT, Subgradient
from pairing.solve.pricing import Prices, TeamSpace

TIE = 1e-9  # reduced costs this close to a village's lowest count as its lowest


@dataclass(frozen=True)
class Lagrangian:
    """The best bound found (cost units, with the constant) and the prices that give it.

    ``lowest`` is each village's lowest reduced cost under ``unit_price`` and ``link_price``
    (the town links' ``π``, aligned with ``links.pairs``); ``prices`` lays both out for
    pricing; ``steps`` is how many prices were tried. Not ``feasible`` when some village has
    no team at all (the bound is then +inf: no plan exists). ``teams`` and ``share`` are an
    approximate LP solution: the lowest teams of the last ``recent_steps`` steps, each with
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
    links: TownLinks = NO_TOWN_LINKS
    link_price: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))

    @property
    def feasible(self) -> bool:
        """Whether every village has a team (else no plan exists)."""
        return bool(np.isfinite(self.lowest).all())

    @property
    def pair_price(self) -> dict[tuple[int, int], float]:
        """The town links' prices as the LP's duals would be: ``-π`` by (unit, village)."""
        return {
            pair: -float(price)
            for pair, price in zip(self.links.pairs, self.link_price, strict=True)
            if price > 0
        }

    def bound(self, villages: int) -> Bound:
        """This bound as the search uses it: the multipliers price a team as the LP's duals
        would (no village prices), and the recent steps' lowest teams are the relaxed
        solution."""
        duals = Duals(np.zeros(villages), self.unit_price, self.pair_price)
        weights = np.array(self.share, dtype=float)
        return Bound(
            self.value,
            self.lowest,
            self.prices,
            duals,
            self.teams,
            weights,
            BoundMethod.LAGRANGIAN,
            infeasible=not self.feasible,
        )


def lagrangian_bound(
    space: TeamSpace,
    data: PairingData,
    extra: list[Team],
    upper: float,
    deadline: float,
    stop: threading.Event | None = None,
    params: Subgradient = DEFAULT.subgradient,
) -> Lagrangian:
    """Raise ``L(μ, π)`` from zero prices until ``deadline``, ``stop`` (Ctrl-C: the best
    bound so far is valid as it is) or the steps stop helping.

    ``extra`` are the teams NumPy does not price (villages with no free place or with three
    or more); ``upper`` is the cost of a known plan, the target of Polyak's steps.
    """
    lower = np.asarray(data.villages_min, dtype=float)
    upper_count = np.asarray(data.villages_max, dtype=float)
    towns = TownChoice(space.town_links())
    extras = _Extras(extra, data.n_villages, data.n_units, towns)
    unit_price = np.zeros(data.n_units)
    link_price = np.zeros(len(towns.links.pairs))
    best: Lagrangian | None = None
    factor, stalled, steps = params.step_factor, 0, 0
    recent: deque[list[Team]] = deque(maxlen=params.recent_steps)
    while True:
        unit_prices = space.prices(np.zeros(data.n_villages), unit_price)
        prices = space.with_links(unit_prices, towns.links, -link_price)
        priced_lowest, priced_teams = space.lowest_teams(prices)
        lowest = np.minimum(priced_lowest, extras.lowest(unit_price, link_price))
        town_terms, used = towns.choose(link_price)
        value = (
            data.constant
            + float(lowest.sum())
            + _row_terms(unit_price, lower, upper_count)
            + town_terms
        )
        steps += 1
        if best is None or value > best.value:
            best = Lagrangian(
                value, unit_price, prices, lowest, steps, links=towns.links, link_price=link_price
            )
            stalled = 0
        else:
            stalled += 1
        if not best.feasible:
            return best
        if stalled >= params.stall_steps:
            factor, stalled = factor / 2, 0
        chosen = _lowest_teams(priced_lowest, priced_teams, lowest, extras, unit_price, link_price)
        recent.append(chosen)
        held = _held(chosen, data.n_units)
        # The row's best activity: its bound where priced, as close to ``held`` as it may be
        # where not (so that a satisfied row does not pull its price away from zero).
        free = np.clip(held, lower, upper_count)
        rows = np.where(unit_price > 0, lower, np.where(unit_price < 0, upper_count, free))
        direction = rows - held
        # A link row z - y ≤ 0: its price rises while a team draws the unit into a town it
        # did not choose, and falls (never below zero) while the town stands unused.
        link_direction = towns.held(chosen) - used
        link_direction = np.where(link_price > 0, link_direction, np.maximum(link_direction, 0))
        norm = float(direction @ direction + link_direction @ link_direction)
        ended = (stop is not None and stop.is_set()) or time.perf_counter() >= deadline
        if norm == 0 or factor < params.smallest_factor or ended:
            teams, share = _averaged(recent)
            return dataclasses.replace(best, steps=steps, teams=teams, share=share)
        # Polyak's step towards the known plan's cost, but no more than ``aim`` above the best
        # bound; a known plan below the bound is incomplete and not aimed at.
        ceiling = best.value + params.aim * abs(best.value) + 1
        target = min(upper, ceiling) if upper > best.value else ceiling
        step = factor * (target - value) / norm
        unit_price = unit_price + step * direction
        link_price = np.maximum(0.0, link_price + step * link_direction)


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
    link_price: NDArray[np.float64],
) -> list[Team]:
    """One lowest team per village: the priced one where it is lowest, else an extra one."""
    chosen = [t for v, t in priced_teams.items() if priced_lowest[v] <= lowest[v] + TIE]
    covered = {team.village for team in chosen}
    extra = extras.lowest_teams(unit_price, link_price, lowest + TIE)
    chosen += [t for t in extra if t.village not in covered]
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
    """The teams NumPy does not price, as sparse team × unit and team × link matrices."""

    def __init__(self, teams: list[Team], villages: int, units: int, towns: TownChoice) -> None:
        self.teams = teams
        self.villages = villages
        self.village = np.array([t.village for t in teams], dtype=np.int64)
        self.cost = np.array([t.cost for t in teams], dtype=float)
        self.membership = _incidence([list(team.units) for team in teams], (len(teams), units))
        links = [
            [
                towns.links.index[(u, t.village)]
                for u in t.units
                if (u, t.village) in towns.links.index
            ]
            for t in teams
        ]
        self.links = _incidence(links, (len(teams), len(towns.links.pairs)))

    def reduced(
        self, unit_price: NDArray[np.float64], link_price: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """Each extra team's reduced cost under ``unit_price`` and ``link_price``."""
        reduced: NDArray[np.float64] = (
            self.cost - self.membership @ unit_price + self.links @ link_price
        )
        return reduced

    def lowest(
        self, unit_price: NDArray[np.float64], link_price: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """Per village, the lowest reduced cost of its extra teams (inf where none)."""
        lowest = np.full(self.villages, np.inf)
        np.minimum.at(lowest, self.village, self.reduced(unit_price, link_price))
        return lowest

    def lowest_teams(
        self,
        unit_price: NDArray[np.float64],
        link_price: NDArray[np.float64],
        limit: NDArray[np.float64],
    ) -> list[Team]:
        """The first extra team of each village whose reduced cost is within ``limit``."""
        reduced = self.reduced(unit_price, link_price)
        found: dict[int, Team] = {}
        for k in np.flatnonzero(reduced <= limit[self.village]):
            found.setdefault(int(self.village[k]), self.teams[k])
        return list(found.values())


def _incidence(columns: list[list[int]], shape: tuple[int, int]) -> sparse.csr_matrix:
    """A 0/1 matrix with a 1 in row ``i`` at each column of ``columns[i]``."""
    rows = [row for row, cells in enumerate(columns) for _ in cells]
    cells = [cell for row_cells in columns for cell in row_cells]
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cells)), shape=shape)
