"""A team's exact cost, and how many candidates a village's enumeration may draw from.

The cost of a team is exactly what :func:`pairing.solve.terms.evaluate` charges the village and
its pairs; a team that breaks a hard variant of P10/P11/P12 has none. Teams of one or two free
places are priced in NumPy (:mod:`pairing.solve.pricing`); three or more are enumerated from
the village's best ``k`` candidates, ``k`` as large as :func:`team_budget_k` allows.
"""

from __future__ import annotations

import math

from pairing.cpsat.pairing.rules import linear, needs, strength, systems
from pairing.domain.model import Problem
from pairing.domain.pairs import Pair
from pairing.solve.instance import tenths, village_costs
from pairing.solve.terms import shortfall_cost

TEAMS_PER_VILLAGE = 1200  # the default enumeration budget of a village


def team_budget_k(free_slots: int, available: int, budget: int = TEAMS_PER_VILLAGE) -> int:
    """Largest k ≤ available with C(k, free_slots) ≤ budget (at least free_slots)."""
    k = available
    while k > free_slots and math.comb(k, free_slots) > budget:
        k -= 1
    return max(min(free_slots, available), k)


def team_cost(
    problem: Problem, v: int, units: tuple[int, ...], edge_cost: dict[Pair, int]
) -> int | None:
    """Exact cost of giving ``units`` to village ``v``, or None if a hard variant forbids it."""
    costs = village_costs(problem.settings)
    members = [problem.units[u] for u in units]
    missing = needs.missing(problem.villages[v].needs, (m.skills for m in members))
    repeated = systems.repeats(m.system for m in members)
    total = sum(tenths(m.strength) for m in members)
    if not (
        needs.allowed(missing, costs.needs_hard)
        and systems.allowed(repeated, costs.systems_hard)
        and strength.allowed(total, costs.floor)
    ):
        return None
    cost = linear.team_cost(edge_cost[(u, v)] for u in units)
    cost += needs.cost(missing, costs.per_need) + systems.cost(repeated, costs.per_repeat)
    if costs.tiered:
        cost += shortfall_cost(problem, v, total)
    return cost
