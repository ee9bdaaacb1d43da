"""P18 stability: the weight that makes "fewest baseline pairs changed" come first.

With a baseline and no P18 weight the objective is lexicographic: the fewest changes, then the
usual objective. It is solved as one weighted objective, each change costing W points, with
W one point above a ceiling on every other term of any plan (all terms are ≥ 0): one change
more then always costs more than any saving elsewhere, so the optimum of the weighted objective
has the fewest changes and, among those plans, the least of the rest. A single objective keeps
every formulation as it is (a change is a refund per kept pair, like P14's renewals) and its
proof is one proof.

The ceiling is the sum, per rule, of the most it can cost: cheap to compute and loose (on the
example, 38,341.8 points against an optimum of 5,032.9). A loose ceiling costs precision only:
the proof's relative tolerance (2e-7) is on the weighted objective, W × changes + rest.
"""

from __future__ import annotations

import math
from dataclasses import replace
from types import MappingProxyType

from pairing.cpsat.pairing.data import SCALE
from pairing.domain.errors import InputError, Issue
from pairing.domain.geo import EARTH_RADIUS_KM
from pairing.domain.model import Problem
from pairing.domain.pairs import PairFacts
from pairing.domain.plan import Plan
from pairing.domain.rules import STABILITY_RULE
from pairing.solve.instance import Coefficients, cost_units
from pairing.solve.terms import shortfall_cost

MAX_COST_UNITS = 1 << 60  # W × baseline pairs in cost units must stay far inside int64


def lexicographic(problem: Problem) -> bool:
    """Whether P18 is lexicographic: a baseline and no P18 weight in 参数."""
    return bool(problem.baseline) and STABILITY_RULE not in problem.settings.weights


def with_stability(problem: Problem) -> Problem:
    """``problem`` with P18's weight set to W when P18 is lexicographic; else itself."""
    if not lexicographic(problem):
        return problem
    weight = float(math.floor(rest_ceiling(problem)) + 1)
    if cost_units(weight) * len(problem.baseline) > MAX_COST_UNITS:
        raise InputError([_too_large(weight)])
    weights = MappingProxyType({**problem.settings.weights, STABILITY_RULE: weight})
    return replace(problem, settings=replace(problem.settings, weights=weights))


def stated(problem: Problem, weighted: Problem, plan: Plan) -> Plan:
    """``plan`` (of ``weighted = with_stability(problem)``) with the P18 weight it used among
    its KPIs, and whether it was lexicographic: ``verify`` recomputes P18 with that weight."""
    if not problem.baseline:
        return plan
    kpis = {
        **plan.kpis,
        "stability_weight": weighted.settings.weight(STABILITY_RULE),
        "stability_lexicographic": float(lexicographic(problem)),
    }
    return replace(plan, kpis=MappingProxyType(kpis))


def rest_ceiling(problem: Problem) -> float:
    """The most every term but P18 can cost, in points, over all plans."""
    settings = problem.settings
    facts = PairFacts(problem)
    c = Coefficients(facts)
    linear = c.constant() + sum(map(cost_units, (*c.failed.values(), *c.unwanted.values())))
    km = settings.weight("P13") * settings.circuity * _farthest_km(problem)
    per_need = 0.0 if settings.needs_hard else settings.weight("P10")
    per_repeat = 0.0 if settings.systems_hard else settings.weight("P11")
    villages = sum(
        per_need * len(v.needs) + per_repeat * max(0, v.units_required - 1)
        for v in problem.villages
    )
    strength = sum(shortfall_cost(problem, v, 0) for v in range(len(problem.villages)))
    towns = settings.weight("P15") * sum(max(0, u.max_villages - 1) for u in problem.units)
    return (linear + strength) / SCALE + km * problem.demand + villages + towns


def _farthest_km(problem: Problem) -> float:
    """An upper bound on any pair's great-circle km: along a meridian, then a parallel, across
    the box of every place (a path no shorter than the great circle)."""
    seat = problem.settings.county_seat
    places = [(u.lat, u.lon) for u in problem.units if u.lat is not None and u.lon is not None]
    places += [(v.lat, v.lon) for v in problem.villages if v.lat is not None and v.lon is not None]
    located = [(float(a), float(b)) for a, b in places if a is not None and b is not None]
    if seat is not None:
        located.append(seat)
    if not located:
        return 0.0
    lats, lons = [p[0] for p in located], [p[1] for p in located]
    spread = math.radians(max(lats) - min(lats)) + math.radians(max(lons) - min(lons))
    return EARTH_RADIUS_KM * spread


def _too_large(weight: float) -> Issue:
    return Issue(
        "参数 settings",
        None,
        "P18",
        f"按字典序求最少变更需每对 {weight:,.0f} 分，超出计算范围；请在参数表给 P18 设一个权重",
        f"the fewest-changes-first objective needs {weight:,.0f} points a change, beyond "
        "the solver's range; set a P18 weight in 参数",
    )
