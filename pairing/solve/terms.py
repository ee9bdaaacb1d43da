"""Evaluate every soft rule on a set of pairs, in points, attributed to pairs, villages, units.

This is the plan's own account of its cost; it mirrors the CP-SAT objective term by term
(each term rounded to 1e-7 point), and :func:`pairing.solve.optimize.solve` checks
that both agree. The verifier recomputes the same numbers with code of its own.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from pairing.cpsat.pairing.data import SCALE
from pairing.domain.model import Problem
from pairing.domain.pairs import Pair, PairFacts
from pairing.solve.instance import Coefficients, cost_units, strength_target, tenths, tier_costs

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
    for rule, lost in (("P14", c.renewable), ("P16", c.preferred), ("P17", c.wanted)):
        for pair, points in sorted(lost.items()):
            if pair not in chosen:
                account.add(units, pair[0], rule, cost_units(points))
    _village_terms(problem, chosen, account)
    _town_terms(problem, chosen, account)
    return account


def _village_terms(problem: Problem, chosen: set[Pair], account: Account) -> None:
    villages: dict[object, Terms] = account.villages  # type: ignore[assignment]
    settings = problem.settings
    by_village: dict[int, list[int]] = defaultdict(list)
    for u, v in chosen:
        by_village[v].append(u)
    for v, village in enumerate(problem.villages):
        units = [problem.units[u] for u in by_village[v]]
        if not settings.needs_hard:
            skills = set().union(*(u.skills for u in units)) if units else set()
            missing = len(village.needs - skills)
            account.add(villages, v, "P10", missing * cost_units(settings.weight("P10")))
        if not settings.systems_hard:
            systems = [u.system for u in units if u.system]
            account.add(
                villages,
                v,
                "P11",
                (len(systems) - len(set(systems))) * cost_units(settings.weight("P11")),
            )
        if settings.weight("P12"):
            account.add(
                villages,
                v,
                "P12",
                shortfall_cost(problem, v, sum(tenths(u.strength) for u in units)),
            )


def shortfall_cost(problem: Problem, village: int, strength: int) -> int:
    """P12 cost of a village with ``strength`` tenths: tiered shortfall below its target."""
    target = strength_target(problem, village)
    short = max(0, target - strength)
    cost = 0
    for k, per_tenth in enumerate(tier_costs(problem, village, target), start=1):
        last = k == len(tier_costs(problem, village, target))
        in_tier = short if last else min(short, 10)
        cost += per_tenth * in_tier
        short -= in_tier
        if short <= 0:
            break
    return cost


def _town_terms(problem: Problem, chosen: set[Pair], account: Account) -> None:
    units: dict[object, Terms] = account.units  # type: ignore[assignment]
    towns: dict[int, set[str]] = defaultdict(set)
    for u, v in chosen:
        if problem.units[u].max_villages >= 2:
            towns[u].add(problem.villages[v].town)
    for u, used in sorted(towns.items()):
        account.add(
            units, u, "P15", max(0, len(used) - 1) * cost_units(problem.settings.weight("P15"))
        )
