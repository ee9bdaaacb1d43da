"""A team's exact cost, and how many candidates a village's enumeration may draw from.

The cost of a team is exactly what :func:`pairing.solve.terms.evaluate` charges the village and
its pairs; a team that breaks a hard variant of P10/P11/P12 has none. Teams of one or two free
places are priced in NumPy (:mod:`pairing.solve.pricing`); three or more are enumerated from
the village's best ``k`` candidates, ``k`` as large as :func:`team_budget_k` allows.
"""

from __future__ import annotations

import math

from pairing.domain.model import Problem
from pairing.domain.pairs import Pair
from pairing.solve.instance import cost_units, floor_tenths, tenths
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
    settings = problem.settings
    village = problem.villages[v]
    members = [problem.units[u] for u in units]
    skills = set().union(*(m.skills for m in members)) if members else set()
    missing = len(village.needs - skills)
    systems = [m.system for m in members if m.system]
    repeats = len(systems) - len(set(systems))
    strength = sum(tenths(m.strength) for m in members)
    if (settings.needs_hard and missing) or (settings.systems_hard and repeats):
        return None
    if settings.min_strength is not None and strength < floor_tenths(settings.min_strength):
        return None
    cost = sum(edge_cost[(u, v)] for u in units)
    if not settings.needs_hard:
        cost += missing * cost_units(settings.weight("P10"))
    if not settings.systems_hard:
        cost += repeats * cost_units(settings.weight("P11"))
    if settings.weight("P12"):
        cost += shortfall_cost(problem, v, strength)
    return cost
