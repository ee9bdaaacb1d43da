"""The team formulation: one Boolean per (village, set of units), exactly one per village.

P01 holds by construction (a team has ``units_required`` units), P03 and the hard variants of
P10/P11/P12 by the teams offered; P02 bounds how many chosen teams contain a unit; P15 links
a multi-village unit's teams to the towns they lie in. The objective is the sum of team costs
plus town costs plus the constant.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from pairing.cpsat.pairing.data import PairingData
from pairing.cpsat.pairing.rules import towns


@dataclass
class TeamModel:
    """The CP-SAT model over teams and its team variables."""

    model: cp_model.CpModel
    data: PairingData
    team: list[cp_model.IntVar]


def build_team_model(data: PairingData, villages: Iterable[int] | None = None) -> TeamModel:
    """Return the team model (P15 groups villages by ``data.village_town``).

    ``villages`` are those that must hold a team (all by default). A neighbourhood leaves the
    others out, with their teams fixed elsewhere and their units' bounds lowered to match.
    """
    model = cp_model.CpModel()
    team = [model.new_bool_var(f"t_v{t.village}_{i}") for i, t in enumerate(data.teams)]
    by_village: dict[int, list[int]] = defaultdict(list)
    by_unit: dict[int, list[int]] = defaultdict(list)
    for i, t in enumerate(data.teams):
        by_village[t.village].append(i)
        for u in t.units:
            by_unit[u].append(i)
    for v in range(data.n_villages) if villages is None else villages:
        model.add_exactly_one(team[i] for i in by_village[v])
    for u in range(data.n_units):
        low, high = data.villages_min[u], data.villages_max[u]
        if u in by_unit:
            chosen = cp_model.LinearExpr.sum([team[i] for i in by_unit[u]])
            model.add_linear_constraint(chosen, low, high)
        elif not low <= 0 <= high:  # a unit no team holds must be allowed no place
            model.add_bool_or([])
    # One weighted sum: adding 30,000 terms one by one costs a neighbourhood step 0.07 s.
    costs = cp_model.LinearExpr.weighted_sum(team, [t.cost for t in data.teams])
    towns = _town_terms(model, data, team, by_unit)
    model.minimize(costs + cp_model.LinearExpr.sum(towns) + data.constant)
    return TeamModel(model, data, team)


def _town_terms(
    model: cp_model.CpModel,
    data: PairingData,
    team: list[cp_model.IntVar],
    by_unit: dict[int, list[int]],
) -> list[cp_model.LinearExprT]:
    """P15 (:mod:`pairing.cpsat.pairing.rules.towns`): each multi-village unit's teams by town."""
    if not data.town_cost:
        return []
    groups_of: dict[int, dict[str, list[cp_model.IntVar]]] = {}
    for u in sorted(by_unit):
        if data.villages_max[u] < towns.MULTI:
            continue
        groups: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for i in by_unit[u]:
            groups[data.village_town[data.teams[i].village]].append(team[i])
        groups_of[u] = groups
    return towns.team_terms(model, data.town_cost, groups_of)
