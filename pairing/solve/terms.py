"""Evaluate every soft rule on a set of pairs, in points, attributed to pairs, villages, units.

This is the plan's own account of its cost; it mirrors the CP-SAT objective term by term
(each term rounded to 1e-7 point), and :func:`pairing.solve.optimize.solve` checks
that both agree. The verifier recomputes the same numbers with code of its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from pairing.cpsat.pairing.data import SCALE
from pairing.cpsat.pairing.rules import needs, systems, towns
from pairing.cpsat.pairing.rules import strength as strength_rule
from pairing.domain.model import Problem
from pairing.domain.pairs import Pair, PairFacts
from pairing.solve.instance import (
    Coefficients,
    cost_units,
    strength_target,
    tenths,
    tier_costs,
    village_costs,
)

Terms = dict[str, int]  # rule id -> cost units (``SCALE`` a point)


@dataclass
class Account:
    """Costs in cost units (``SCALE`` a point), by owner and rule id."""

    pairs: dict[Pair, Terms] = field(default_factory=lambda: defaultdict(dict))
    villages: dict[int, Terms] = field(default_factory=lambda: defaultdict(dict))
    units: dict[int, Terms] = field(default_factory=lambda: defaultdict(dict))

    def add(self, table: dict[object, Terms], owner: object, rule: str, cost: int) -> None:
        """Add ``cost`` to ``owner``'s term ``rule`` (zero costs are not recorded)."""
        if cost:
            terms = table[owner]
            terms[rule] = terms.get(rule, 0) + cost

    def totals(self) -> dict[str, int]:
        """Return the total per rule id."""
        out: dict[str, int] = defaultdict(int)
        for table in (self.pairs, self.villages, self.units):
            for terms in table.values():
                for rule, cost in terms.items():
                    out[rule] += cost
        return dict(out)

    def total_points(self) -> float:
        """Return the total cost in points."""
        return sum(self.totals().values()) / SCALE


def evaluate(problem: Problem, chosen: set[Pair]) -> Account:
    """Return the account of every soft rule for the plan ``chosen``."""
    facts = PairFacts(problem)
    c = Coefficients(facts)
    account = Account()
    pairs: dict[object, Terms] = account.pairs  # type: ignore[assignment]
    units: dict[object, Terms] = account.units  # type: ignore[assignment]
    for pair in sorted(chosen):
        account.add(pairs, pair, "P13", cost_units(c.distance_points(pair)))
        account.add(pairs, pair, "P14", cost_units(c.failed.get(pair, 0.0)))
        account.add(pairs, pair, "P17", cost_units(c.unwanted.get(pair, 0.0)))
    lost_terms = (("P14", c.renewable), ("P16", c.preferred), ("P17", c.wanted), ("P18", c.stable))
    for rule, lost in lost_terms:
        for pair, points in sorted(lost.items()):
            if pair not in chosen:
                account.add(units, pair[0], rule, cost_units(points))
    _village_terms(problem, chosen, account)
    _town_terms(problem, chosen, account)
    return account


def _village_terms(problem: Problem, chosen: set[Pair], account: Account) -> None:
    """P10, P11, P12 of each village's team (:mod:`pairing.cpsat.pairing.rules`)."""
    villages: dict[object, Terms] = account.villages  # type: ignore[assignment]
    by_village: dict[int, list[int]] = defaultdict(list)
    for u, v in chosen:
        by_village[v].append(u)
    for v in range(len(problem.villages)):
        for rule, cost in village_terms(problem, v, by_village[v]).items():
            account.add(villages, v, rule, cost)


def village_terms(problem: Problem, v: int, members: Sequence[int]) -> Terms:
    """The village-owned soft terms of giving ``members`` (unit indices) to village ``v``
    (a hard variant costs 0: :func:`pairing.solve.teams.team_cost` says whether it holds)."""
    units = [problem.units[u] for u in members]
    missing = needs.missing(problem.villages[v].needs, (u.skills for u in units))
    repeated = systems.repeats(u.system for u in units)
    costs = village_costs(problem.settings)
    return {
        "P10": needs.cost(missing, costs.per_need),
        "P11": systems.cost(repeated, costs.per_repeat),
        "P12": shortfall_cost(problem, v, sum(tenths(u.strength) for u in units))
        if costs.tiered
        else 0,
    }


def shortfall_cost(problem: Problem, village: int, strength: int) -> int:
    """P12 cost of a village with ``strength`` tenths: tiered shortfall below its target."""
    target = strength_target(problem, village)
    return strength_rule.shortfall_cost(target, tier_costs(problem, village, target), strength)


def _town_terms(problem: Problem, chosen: set[Pair], account: Account) -> None:
    """P15 of each multi-village unit (:mod:`pairing.cpsat.pairing.rules.towns`)."""
    units: dict[object, Terms] = account.units  # type: ignore[assignment]
    used = towns.used_towns(
        chosen, lambda u: problem.units[u].max_villages, lambda v: problem.villages[v].town
    )
    cost = cost_units(problem.settings.weight("P15"))
    for u, unit_towns in sorted(used.items()):
        account.add(units, u, "P15", towns.unit_cost(unit_towns, cost))
