"""The team space under prices: reduced costs of whole villages' teams at once (NumPy).

:class:`TeamSpace` holds the static parts (:mod:`pairing.solve.team_tables`: the candidates'
layout, the cost tables, and the team costs of one- and two-place villages, computed by the
batch forms of the rule families as :func:`pairing.solve.teams.team_cost` computes them one by
one; ``tests/test_rule_families.py`` checks both agree), keeps each chunk's team costs between
rounds, and answers the search's queries under LP or Lagrangian prices: lowest teams, teams
below a limit, window sizes. Villages with three or more free places fall back to
enumeration (:func:`enumerated_teams`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from pairing.cpsat.pairing.data import Team
from pairing.cpsat.pairing.relaxation import TownLinks
from pairing.cpsat.pairing.rules import towns
from pairing.domain.model import Problem
from pairing.domain.pairs import Pair
from pairing.solve import team_tables
from pairing.solve.instance import Coefficients, cost_units
from pairing.solve.team_tables import CHUNK_CELLS, INF, Layout

__all__ = ["CHUNK_CELLS", "INF", "Layout", "Prices", "TeamSpace", "enumerated_teams"]

CACHED_CELLS = 25_000_000  # team costs kept between pricing rounds (8 bytes each) at most
LOCKED, ABSENT = -1, -2  # a town link's slot when its unit is locked, or not a candidate


@dataclass(frozen=True)
class Prices:
    """LP prices laid out like the team space: per village, and per village and free slot.

    ``base`` holds each village's price plus its locked units' prices (those units are in
    every team of the village); ``slot`` each free candidate's unit price plus its town-link
    price in that village (0 in padding).
    """

    base: NDArray[np.float64]
    slot: NDArray[np.float64]


class TeamSpace:
    """All teams a problem allows over its candidate pairs, priced with NumPy."""

    def __init__(
        self,
        problem: Problem,
        candidates: list[Pair],
        coefficients: Coefficients,
        forced: set[Pair] | None = None,
    ) -> None:
        self.problem = problem
        self.coefficients = coefficients
        self.locked = set(coefficients.facts.must) | set(forced or ())
        self.layout = team_tables.lay_out(problem, candidates, coefficients, self.locked)
        self.tables = team_tables.cost_tables(problem, self.layout)
        self._chunk_list = list(team_tables.make_chunks(self.layout))
        # Team costs do not depend on prices: compute each chunk's once, if they fit.
        self._cost_cache: dict[int, NDArray[np.int64]] = {}
        self._cache_left = CACHED_CELLS
        self._links_laid_out: tuple[TownLinks, NDArray[np.int64], NDArray[np.int64]] | None = None

    def prices(
        self,
        village_price: NDArray[np.float64],
        unit_price: NDArray[np.float64],
        pair_price: Mapping[tuple[int, int], float] | None = None,
    ) -> Prices:
        """Lay out LP prices (and town-link prices by (unit, village)) for pricing."""
        units = self.layout.units
        slot = np.where(units >= 0, np.append(unit_price, 0.0)[units], 0.0)
        base = np.array(village_price, dtype=float)
        for v, must in enumerate(self.layout.must):
            base[v] += float(unit_price[list(must)].sum()) if must else 0.0
        for (u, v), price in (pair_price or {}).items():
            k = self.layout.slot_of.get((u, v))
            if k is not None:
                slot[v, k] += price
            elif u in self.layout.must[v]:
                base[v] += price
        return Prices(base, slot)

    def with_links(
        self, prices: Prices, links: TownLinks, link_price: NDArray[np.float64]
    ) -> Prices:
        """``prices`` plus one price per town link (aligned with ``links.pairs``).

        Lays them out as :meth:`prices` does from a mapping, but in a few array operations:
        the Lagrangian prices thousands of links at every step.
        """
        villages, slots = self._link_slots(links)
        in_slot, in_base = slots >= 0, slots == LOCKED
        slot = prices.slot.copy()
        np.add.at(slot, (villages[in_slot], slots[in_slot]), link_price[in_slot])
        base = prices.base.copy()
        np.add.at(base, villages[in_base], link_price[in_base])
        return Prices(base, slot)

    def _link_slots(self, links: TownLinks) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Each link's village and its unit's slot there: ``LOCKED`` for a locked unit (its
        price goes to the base), ``ABSENT`` for a pair this space does not hold (ignored, as
        :meth:`prices` ignores it).

        Kept for the last ``links`` asked about: the Lagrangian asks at every step.
        """
        cached = self._links_laid_out
        if cached is not None and cached[0] is links:
            return cached[1], cached[2]
        villages = np.array([v for _, v in links.pairs], dtype=np.int64)
        slots = np.array(
            [
                self.layout.slot_of.get((u, v), LOCKED if u in self.layout.must[v] else ABSENT)
                for u, v in links.pairs
            ],
            dtype=np.int64,
        )
        self._links_laid_out = (links, villages, slots)
        return villages, slots

    def zero_prices(self) -> Prices:
        """All prices zero: reduced costs are costs."""
        return Prices(np.zeros(len(self.problem.villages)), np.zeros(self.layout.units.shape))

    def town_links(self) -> TownLinks:
        """P15's LP rows (:func:`pairing.cpsat.pairing.rules.towns.links`) over the candidate
        villages of each unit that may take several."""
        problem = self.problem
        pairs = sorted(self.layout.slot_of) + [
            (u, v)
            for v, must in enumerate(self.layout.must)
            for u in must
            if problem.units[u].max_villages >= towns.MULTI
        ]
        cost = cost_units(problem.settings.weight("P15"))
        return towns.links(pairs, lambda v: problem.villages[v].town, cost)

    def width(self, villages: NDArray[np.int64]) -> int:
        """Columns used by the widest of ``villages`` (chunks are priced at their own width)."""
        return team_tables.width(self.layout, villages)

    def pair_costs(self, villages: NDArray[np.int64]) -> NDArray[np.int64]:
        """Costs of all two-place teams of ``villages`` (V × K × K; invalid cells = INF)."""
        return team_tables.pair_costs(self.layout, self.tables, villages)

    def single_costs(self, villages: NDArray[np.int64]) -> NDArray[np.int64]:
        """Costs of all one-place teams of ``villages`` (V × K; invalid = INF)."""
        return team_tables.single_costs(self.layout, self.tables, villages)

    def _chunks(self) -> Iterator[tuple[int, int, NDArray[np.int64]]]:
        """(chunk number, free places, villages) for every chunk, in a canonical order."""
        for number, (size, villages) in enumerate(self._chunk_list):
            yield number, size, villages

    def _costs(self, number: int, size: int, villages: NDArray[np.int64]) -> NDArray[np.int64]:
        """The chunk's team costs, from the cache when they were kept."""
        cached = self._cost_cache.get(number)
        if cached is not None:
            return cached
        cost = self.pair_costs(villages) if size == 2 else self.single_costs(villages)
        if cost.size <= self._cache_left:
            self._cache_left -= cost.size
            self._cost_cache[number] = cost
        return cost

    def _reduced(
        self, number: int, villages: NDArray[np.int64], size: int, prices: Prices
    ) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
        """Units, costs and reduced costs (inf where no team) of chunk ``number``'s teams."""
        width = self.width(villages)
        units = self.layout.units[villages][:, :width]
        price = prices.slot[villages][:, :width]
        base = prices.base[villages]
        cost = self._costs(number, size, villages)
        if size == 2:
            reduced = cost - base[:, None, None] - price[:, :, None] - price[:, None, :]
        else:
            reduced = cost - base[:, None] - price
        return units, cost, np.where(cost >= INF, np.inf, reduced)

    def min_reduced(self, prices: Prices) -> NDArray[np.float64]:
        """Per village, the lowest reduced cost of any of its priced teams (0 where none)."""
        lowest = np.zeros(len(self.problem.villages))
        for number, size, villages in self._chunks():
            _, _, reduced = self._reduced(number, villages, size, prices)
            flat = reduced.reshape(len(villages), -1)
            lowest[villages] = np.minimum(0.0, np.min(flat, axis=1, initial=np.inf))
        return lowest

    def lowest_teams(self, prices: Prices) -> tuple[NDArray[np.float64], dict[int, Team]]:
        """Per village, the lowest reduced cost (inf where no team is priced) and a team that
        has it (the first cell among equals), in one pass."""
        lowest = np.full(len(self.problem.villages), np.inf)
        teams: dict[int, Team] = {}
        for number, size, villages in self._chunks():
            units, cost, reduced = self._reduced(number, villages, size, prices)
            flat = reduced.reshape(len(villages), -1)
            if flat.shape[1] == 0:
                continue
            cells = np.argmin(flat, axis=1)
            lowest[villages] = flat[np.arange(len(villages)), cells]
            for row, v in enumerate(villages):
                if np.isfinite(lowest[v]):
                    teams[int(v)] = self._team(int(v), row, int(cells[row]), units, cost)
        return lowest, teams

    def count_below(self, prices: Prices, limit: NDArray[np.float64]) -> int:
        """How many priced teams have reduced cost ≤ their village's ``limit`` (no objects made)."""
        total = 0
        for number, size, villages in self._chunks():
            _, _, reduced = self._reduced(number, villages, size, prices)
            flat = reduced.reshape(len(villages), -1)
            total += int(np.count_nonzero(flat <= limit[villages][:, None]))
        return total

    def window_for(
        self, prices: Prices, lowest: NDArray[np.float64], window: float, count: int
    ) -> float:
        """The widest window up to ``window`` that holds at most ``count`` priced teams.

        Windows are measured from each village's ``lowest`` reduced cost; one pass, no team
        objects (materialising every team of a wide window once took 16 GB).
        """
        inside: list[NDArray[np.float64]] = []
        for number, size, villages in self._chunks():
            _, _, reduced = self._reduced(number, villages, size, prices)
            excess = reduced.reshape(len(villages), -1) - lowest[villages][:, None]
            inside.append(excess[excess <= window])
        excesses = np.concatenate(inside) if inside else np.zeros(0)
        if len(excesses) <= count:
            return window
        # The (count+1)-th smallest excess is the first left out: stay strictly below it.
        first_out = float(np.partition(excesses, count)[count])
        kept = excesses[excesses < first_out]
        return float(kept.max()) if len(kept) else -1.0

    def teams_below(
        self,
        prices: Prices,
        limit: float | NDArray[np.float64],
        per_village: int | None = None,
    ) -> Iterator[Team]:
        """Yield teams with reduced cost ≤ ``limit`` (a number, or one per village).

        At most ``per_village`` per village, the lowest reduced costs first.
        """
        limits = np.broadcast_to(np.asarray(limit, dtype=float), (len(self.problem.villages),))
        for number, size, villages in self._chunks():
            units, cost, reduced = self._reduced(number, villages, size, prices)
            flat = reduced.reshape(len(villages), -1)
            for row, v in enumerate(villages):
                cells = np.flatnonzero(np.isfinite(flat[row]) & (flat[row] <= limits[v]))
                if per_village is not None and len(cells) > per_village:
                    cells = cells[np.argsort(flat[row, cells], kind="stable")[:per_village]]
                for cell in sorted(cells.tolist()):
                    yield self._team(int(v), row, cell, units, cost)

    def _team(
        self,
        village: int,
        row: int,
        cell: int,
        units: NDArray[np.int64],
        cost: NDArray[np.int64],
    ) -> Team:
        """The team in flat ``cell`` of ``row`` of a chunk laid out as ``cost``."""
        picked = np.unravel_index(cell, cost.shape[1:])
        members = tuple(int(units[row, i]) for i in picked)
        must = self.layout.must[village]
        return Team(village, tuple(sorted(must + members)), int(cost[(row, *picked)]))


def enumerated_teams(space: TeamSpace, budget: int) -> tuple[list[Team], bool]:
    """Teams of villages with no free place or with three or more (not priced by NumPy).

    Three free places draw from the village's best ``k`` candidates, ``C(k, 3) ≤ budget``;
    returns the teams and whether any village was truncated.
    """
    import itertools

    from pairing.solve.teams import team_budget_k, team_cost

    layout = space.layout
    teams: list[Team] = []
    truncated = False
    for v in range(len(space.problem.villages)):
        free = int(layout.free[v])
        if free in (1, 2) or free < 0:
            continue
        others = [int(u) for u in layout.units[v] if u >= 0]
        others.sort(key=lambda u: (int(layout.edge_cost[v][list(layout.units[v]).index(u)]), u))
        k = team_budget_k(free, len(others), budget)
        truncated |= k < len(others)
        costs = {
            (u, v): space.coefficients.edge_cost((u, v)) for u in (*others[:k], *layout.must[v])
        }
        for combo in itertools.combinations(others[:k], free):
            units = tuple(sorted((*layout.must[v], *combo)))
            cost = team_cost(space.problem, v, units, costs)
            if cost is not None:
                teams.append(Team(v, units, cost))
    return teams, truncated
