"""P15: a unit with several villages has them in one town (the whole family, solver side).

A unit that may take two or more villages pays ``town_cost`` for each town beyond its first
(unit-owned). The rule is written here in every form the solver needs:

- :func:`used_towns` / :func:`extra_cost`: the scalar count of a plan (the account, a stage's
  plan cost);
- :func:`add`: on the pair variables, ``uses[u,town] >= x_e`` for the unit's edges into the
  town and ``extra[u] >= Σ uses - 1``;
- :func:`team_terms`: the same on team variables (a team holding u in town t implies uses);
- :func:`links`: the LP's rows ``z_uv ≤ y_u,town(v)`` (:class:`TownLinks`), for column
  generation;
- :class:`TownChoice`: each unit's own choice of towns under the links' prices, for the
  Lagrangian bound.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from pairing.cpsat.pairing.data import Team
from pairing.cpsat.pairing.relaxation import NO_TOWN_LINKS, TownLinks
from pairing.cpsat.pairing.variables import PairingVars

RULES = ("P15",)
MULTI = 2  # a unit whose 最多村数 is at least this pays P15


def used_towns(
    pairs: Iterable[tuple[int, int]],
    villages_max: Callable[[int], int],
    town_of: Callable[[int], str],
) -> dict[int, set[str]]:
    """The towns each multi-village unit's (unit, village) ``pairs`` lie in."""
    towns: dict[int, set[str]] = {}
    for unit, village in pairs:
        if villages_max(unit) >= MULTI:
            towns.setdefault(unit, set()).add(town_of(village))
    return towns


def unit_cost(towns: set[str], town_cost: int) -> int:
    """One unit's P15 cost units for the ``towns`` it uses."""
    return max(0, len(towns) - 1) * town_cost


def extra_cost(towns: Mapping[int, set[str]], town_cost: int) -> int:
    """A plan's P15 cost units: ``town_cost`` per extra town of each unit."""
    return town_cost * sum(max(0, len(used) - 1) for used in towns.values())


def add(v: PairingVars) -> None:
    """Add town-use indicators and the extra-town count of multi-village units."""
    if not v.data.town_cost:
        return
    by_unit: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for group in v.data.towns:
        uses = v.model.new_bool_var(f"town_u{group.unit}_{group.town}")
        for e in group.edges:
            v.model.add_implication(v.pair[e], uses)
        by_unit[group.unit].append(uses)
    for unit, uses_list in sorted(by_unit.items()):
        if len(uses_list) >= 2:
            v.terms["P15"].append(v.data.town_cost * _extra(v.model, unit, uses_list))


def team_terms(
    model: cp_model.CpModel,
    town_cost: int,
    groups_of: Mapping[int, Mapping[str, list[cp_model.IntVar]]],
) -> list[cp_model.LinearExprT]:
    """P15 on team variables: ``groups_of[u][town]`` are the team variables of the teams that
    hold multi-village unit ``u`` in ``town``; ``town_cost`` per extra town."""
    terms: list[cp_model.LinearExprT] = []
    for u, groups in groups_of.items():
        if len(groups) < 2:
            continue
        uses = []
        for town, members in sorted(groups.items()):
            used = model.new_bool_var(f"town_u{u}_{town}")
            for team in members:
                model.add_implication(team, used)
            uses.append(used)
        terms.append(town_cost * _extra(model, u, uses))
    return terms


def _extra(model: cp_model.CpModel, unit: int, uses: list[cp_model.IntVar]) -> cp_model.IntVar:
    """``extra >= Σ uses - 1``: the unit's towns beyond its first."""
    extra = model.new_int_var(0, len(uses) - 1, f"extra_towns_u{unit}")
    model.add(extra >= sum(uses) - 1)
    return extra


def links(
    pairs: Iterable[tuple[int, int]], town_of: Callable[[int], str], town_cost: int
) -> TownLinks:
    """P15's LP rows over candidate (unit, village) ``pairs`` of multi-village units.

    Units whose candidates all lie in one town are left out: they cannot pay P15.
    """
    if not town_cost:
        return NO_TOWN_LINKS
    villages_of: dict[int, list[int]] = defaultdict(list)
    for u, v in pairs:
        villages_of[u].append(v)
    linked: list[tuple[int, int]] = []
    town_of_pair: list[int] = []
    unit_of_town: list[int] = []
    for u, villages in sorted(villages_of.items()):
        towns = sorted({town_of(v) for v in villages})
        if len(towns) < 2:
            continue
        first = len(unit_of_town)
        unit_of_town += [u] * len(towns)
        for v in sorted(villages):
            linked.append((u, v))
            town_of_pair.append(first + towns.index(town_of(v)))
    return TownLinks(float(town_cost), tuple(linked), tuple(town_of_pair), tuple(unit_of_town))


class TownChoice:
    """P15's town links as arrays, and each unit's own choice of towns under their prices."""

    def __init__(self, links: TownLinks) -> None:
        self.links = links
        self.cost = links.cost
        self.town_of_link = np.asarray(links.town_of_pair, dtype=np.int64)
        units = np.asarray(links.unit_of_town, dtype=np.int64)
        # Each town entry's unit, numbered 0.. over the linked units.
        self.unit_of_town = np.unique(units, return_inverse=True)[1].astype(np.int64)
        self.n_units = int(self.unit_of_town.max(initial=-1)) + 1

    def choose(self, link_price: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        """``Σ_u min_{y,extra} [w·extra_u - Σ_town g_u,town·y_u,town]`` and the ``y`` of each
        link's town (1 where the unit takes that town).

        A unit's best town comes free and any other is worth its ``g - w``: the minimum is
        ``-Σ_town max(0, g - w) - min(w, best g)``.
        """
        gain = np.bincount(self.town_of_link, weights=link_price, minlength=len(self.unit_of_town))
        best = np.zeros(self.n_units)
        np.maximum.at(best, self.unit_of_town, gain)
        value = -float(np.maximum(0.0, gain - self.cost).sum() + np.minimum(self.cost, best).sum())
        used = gain > self.cost
        # Each unit's best town too (the first of equals; none while its prices are all 0).
        tops = np.flatnonzero((gain >= best[self.unit_of_town]) & (gain > 0))
        _, first = np.unique(self.unit_of_town[tops], return_index=True)
        used[tops[first]] = True
        return value, used[self.town_of_link].astype(float)

    def held(self, chosen: Iterable[Team]) -> NDArray[np.float64]:
        """1 for each link whose unit a ``chosen`` team of its village holds, else 0."""
        held = np.zeros(len(self.links.pairs))
        for team in chosen:
            for u in team.units:
                link = self.links.index.get((u, team.village))
                if link is not None:
                    held[link] = 1.0
        return held
