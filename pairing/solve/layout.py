"""A plan laid out from its pairs and account, whichever method found it.

The team search (:mod:`pairing.solve.optimize`) and the min-cost flow
(:mod:`pairing.solve.transport`) each decide the pairs and the solver facts; the rest of a
:class:`Plan` (rows with reasons, totals, village and unit terms, KPIs) and what a bound may
claim are the same for both, and are here once.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from types import MappingProxyType

from pairing.cpsat.pairing.data import SCALE
from pairing.domain.pairs import Pair, PairFacts
from pairing.domain.plan import Plan, SolverFacts
from pairing.solve.reasons import describe_pair, kpis
from pairing.solve.terms import Account

Named = MappingProxyType[str, MappingProxyType[str, float]]


def useful_bound(objective: float, bound: float) -> float | None:
    """The bound worth showing: every term is at least 0, so a bound of 0 or below (or none
    at all) says nothing the user does not know, and is shown as "no bound yet"."""
    if objective == 0.0:
        return 0.0
    if not math.isfinite(bound) or bound <= 0.0:
        return None
    return min(bound, objective)


def relative_gap(objective: float, bound: float) -> float:
    """(objective − bound) / objective, the share of the cost the bound leaves open."""
    return round((objective - bound) / max(1.0, abs(objective)), 6)


def lay_out(facts: PairFacts, chosen: set[Pair], account: Account, solver: SolverFacts) -> Plan:
    """The plan of ``chosen``: one row per pair (by village, then unit) with its terms and
    reason, the totals per rule, the village and unit terms, and the KPIs."""
    problem = facts.problem
    pairs = tuple(
        describe_pair(pair, account, facts) for pair in sorted(chosen, key=lambda p: (p[1], p[0]))
    )
    totals = {rule: cost / SCALE for rule, cost in sorted(account.totals().items())}
    return Plan(
        pairs=pairs,
        totals=MappingProxyType(totals),
        facts=solver,
        village_terms=_named(account.villages, [v.id for v in problem.villages]),
        unit_terms=_named(account.units, [u.id for u in problem.units]),
        kpis=MappingProxyType(kpis(problem, chosen)),
    )


def _named(table: dict[int, dict[str, int]], ids: Sequence[str]) -> Named:
    """Per owner id, its terms in points."""
    return MappingProxyType(
        {
            ids[i]: MappingProxyType({r: c / SCALE for r, c in sorted(t.items())})
            for i, t in sorted(table.items())
        }
    )


__all__ = ["lay_out", "relative_gap", "useful_bound"]
