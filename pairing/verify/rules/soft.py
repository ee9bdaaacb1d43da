"""Recompute every soft pairing rule (P10-P18) of a plan, exactly as ``models/README.md`` says.

Points are kept in integer cost units of 1e-7 point, each term rounded on its own
(``round(points × 10**7)``)
before it is added: per pair (P13 distance, P14 for a kept 差 pair, P17 for a kept negative
score), per village (P10 per uncovered need, P11 per repeated system, P12 per tenth of
shortfall in its tier) and per unit (P14 per running pair not renewed, P15 per extra town, P16
per unmet 意向, P17 per missed positive score). A hard variant (``P10_hard``, ``P11_hard``)
replaces its soft term, which then costs nothing.

The ledger of costs per pair, village and unit has the shape of the solver's account
(:mod:`pairing.solve.terms`) and is kept apart from it on purpose: a shared ledger would carry
a wrong sum to both sides, and the two are compared only through the plan's cells.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from pairing.domain.model import Problem, Village
from pairing.verify.rules.facts import Facts, PairKey

# The cost unit of models/README.md ("Precision"): every term is rounded to 1e-7 point on its own.
COST_UNITS = 10_000_000
TENTHS = 10
DROP_FACTOR = {"好": 1.0, "中": 0.5, None: 0.5}  # P14: share of the weight lost by not renewing
Terms = dict[str, int]
K = TypeVar("K")


def cost_units(points: float) -> int:
    """Return points in whole cost units of 1e-7 point (Python's rounding, halves to even).

    ``points``: points.

    Returns hundredths of a point.
    """
    return round(points * COST_UNITS)


def tenths(strength: float) -> int:
    """Return a strength in whole tenths.

    ``strength``: a 帮扶力量 value.

    Returns tenths.
    """
    return round(strength * TENTHS)


@dataclass(frozen=True, slots=True)
class Costs:
    """Recomputed points in cost units, by owner, then rule id (zero terms left out)."""

    pairs: Mapping[PairKey, Terms]
    villages: Mapping[str, Terms]
    units: Mapping[str, Terms]

    def totals(self) -> dict[str, int]:
        """Return the cost units of each rule over all owners.

        Returns rule id -> cost units.
        """
        out: dict[str, int] = defaultdict(int)
        for table in (self.pairs, self.villages, self.units):
            for terms in table.values():
                for rule, cost in terms.items():
                    out[rule] += cost
        return dict(out)


def _add(table: dict[K, Terms], owner: K, rule: str, cost: int) -> None:
    if cost:
        terms = table.setdefault(owner, {})
        terms[rule] = terms.get(rule, 0) + cost


def recompute(facts: Facts, chosen: Iterable[PairKey]) -> Costs:
    """Return the points of every soft rule for the plan ``chosen``.

    ``chosen``: the plan's pairs ``(unit_id, village_id)`` (known ids, no repeats).

    Returns hundredths by pair, village and unit.
    """
    plan = set(chosen)
    pairs: dict[PairKey, Terms] = {}
    villages: dict[str, Terms] = {}
    units: dict[str, Terms] = {}
    for pair in sorted(plan):
        for rule, cost in pair_terms(facts, pair).items():
            _add(pairs, pair, rule, cost)
    for pair, rule, cost in missed_terms(facts):
        if pair not in plan:
            _add(units, pair[0], rule, cost)
    by_village: dict[str, list[str]] = defaultdict(list)
    for unit_id, village_id in sorted(plan):
        by_village[village_id].append(unit_id)
    for village in facts.problem.villages:
        for rule, cost in village_terms(facts.problem, village, by_village[village.id]).items():
            _add(villages, village.id, rule, cost)
    for unit_id, cost in town_terms(facts.problem, plan).items():
        _add(units, unit_id, "P15", cost)
    return Costs(pairs, villages, units)


def pair_terms(facts: Facts, pair: PairKey) -> Terms:
    """Return the terms a chosen pair pays: P13 distance, P14 kept 差, P17 negative score.

    ``pair``: a chosen pair.

    Returns rule id -> cost units.
    """
    settings = facts.problem.settings
    km = facts.km(pair)
    past = facts.running.get(pair)
    score = facts.scores.get(pair)
    return {
        "P13": 0 if km is None else cost_units(settings.weight("P13") * km),
        "P14": cost_units(settings.weight("P14")) if past and past.rating == "差" else 0,
        "P17": cost_units(-settings.weight("P17") * score.score)
        if score and score.score < 0
        else 0,
    }


def missed_terms(facts: Facts) -> list[tuple[PairKey, str, int]]:
    """Return what each pair costs its unit when it is *not* in the plan.

    P14: a running pair not rated 差 and not barred (w for 好, w/2 for 中 or unrated);
    P16: an 意向 pair (w / rank); P17: a positively scored pair (w × score); P18: a baseline
    pair no hard rule bars (w: the P18 weight, or the plan's lexicographic one).

    Returns ``(pair, rule id, cost units)``.
    """
    settings = facts.problem.settings
    out = [
        (pair, "P14", cost_units(settings.weight("P14") * DROP_FACTOR[past.rating]))
        for pair, past in facts.running.items()
        if past.rating != "差" and facts.barred(pair) is None
    ]
    out += [
        (pair, "P16", cost_units(settings.weight("P16") / (rule.rank or 1)))
        for pair, rule in facts.prefer.items()
    ]
    out += [
        (pair, "P17", cost_units(settings.weight("P17") * score.score))
        for pair, score in facts.scores.items()
        if score.score > 0
    ]
    out += [
        (pair, "P18", cost_units(settings.weight("P18")))
        for pair in facts.baseline
        if facts.barred(pair) is None
    ]
    return out


def village_terms(problem: Problem, village: Village, unit_ids: list[str]) -> Terms:
    """Return a village's P10 (uncovered needs), P11 (repeated systems) and P12 (strength).

    ``village``: the village; ``unit_ids``: its units in the plan.

    Returns rule id -> cost units.
    """
    settings = problem.settings
    units = [problem.unit(unit_id) for unit_id in unit_ids]
    skills: set[str] = set().union(*(unit.skills for unit in units))
    systems = [unit.system for unit in units if unit.system]
    strength = sum(tenths(unit.strength) for unit in units)
    return {
        "P10": 0
        if settings.needs_hard
        else len(village.needs - skills) * cost_units(settings.weight("P10")),
        "P11": 0
        if settings.systems_hard
        else (len(systems) - len(set(systems))) * cost_units(settings.weight("P11")),
        "P12": shortfall_cost(problem, village, strength),
    }


def strength_target(problem: Problem, village: Village) -> int:
    """Return a village's P12 target in tenths: round(10 × r_v × mean strength × b_v).

    ``village``: the village.

    Returns tenths of strength.
    """
    mean = sum(unit.strength for unit in problem.units) / max(1, len(problem.units))
    boost = problem.settings.typical_boost if village.typical else 1.0
    return tenths(village.units_required * mean * boost)


def tier_costs(problem: Problem, village: Village, target: int) -> list[int]:
    """Return the cost units per tenth of shortfall in each tier (the k-th costs k times more).

    ``village``: the village; ``target``: its target in tenths.

    Returns one cost per tier of one strength unit, ``max(1, ceil(target / 10))`` tiers.
    """
    weight = problem.settings.weight("P12")
    if village.typical:
        weight *= problem.settings.typical_weight
    tiers = max(1, math.ceil(target / TENTHS))
    return [cost_units(weight * k / TENTHS) for k in range(1, tiers + 1)]


def shortfall_cost(problem: Problem, village: Village, strength: int) -> int:
    """Return P12 of a village with ``strength`` tenths: its shortfall priced tier by tier.

    ``village``: the village; ``strength``: its units' strength in tenths.

    Returns hundredths.
    """
    if problem.settings.weight("P12") == 0:
        return 0
    target = strength_target(problem, village)
    short = max(0, target - strength)
    costs = tier_costs(problem, village, target)
    total = 0
    for k, per_tenth in enumerate(costs, start=1):
        in_tier = short if k == len(costs) else min(short, TENTHS)
        total += per_tenth * in_tier
        short -= in_tier
    return total


def town_terms(problem: Problem, plan: set[PairKey]) -> dict[str, int]:
    """Return P15 of each unit with 最多村数 ≥ 2: w per town beyond its first.

    ``plan``: the chosen pairs.

    Returns unit id -> cost units.
    """
    towns: dict[str, set[str]] = defaultdict(set)
    for unit_id, village_id in plan:
        if problem.unit(unit_id).max_villages >= 2:
            towns[unit_id].add(problem.village(village_id).town)
    per_town = cost_units(problem.settings.weight("P15"))
    return {unit_id: max(0, len(used) - 1) * per_town for unit_id, used in towns.items()}
