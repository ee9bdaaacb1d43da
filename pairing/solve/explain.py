"""``explain``: each term of a village's (or unit's) pairs, and what alternatives would cost.

An alternative is priced honestly: force the pair into the plan, re-solve from the current
plan as a hint, and report the difference in objective. Barred pairs are named with the rule
that bars them instead. This returns the numbers (:class:`Explanation`); the words are the
CLI's (``pairing/cli/render_explain.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from pairing.cpsat.pairing.data import SCALE
from pairing.domain.errors import InputError, Issue, PairingError
from pairing.domain.model import Problem, Unit, Village
from pairing.domain.pairs import Pair, PairFacts
from pairing.domain.plan import Plan
from pairing.solve.instance import Coefficients
from pairing.solve.optimize import SolveOptions, solve
from pairing.solve.reasons import baseline_kpis
from pairing.solve.stability import with_stability
from pairing.solve.terms import Account, evaluate

Points = tuple[tuple[str, float], ...]  # (rule id, points), by rule id


@dataclass(frozen=True, slots=True)
class Alternative:
    """A pair not in the plan, priced by forcing it in and re-solving.

    Exactly one of ``barred_by`` (the rule that forbids the pair), ``failure`` (why no plan
    holds it, every rule of the conflict) and ``objective`` (the re-solved plan's total,
    ``delta`` above the plan's; ``proven`` when that total is optimal) is set.
    """

    unit: Unit
    village: Village
    barred_by: str | None = None
    failure: str | None = None
    objective: float | None = None
    delta: float = 0.0
    proven: bool = False
    changes: int = 0  # baseline pairs it changes beyond the plan's (P18)
    change_points: float = 0.0  # P18's points a change


@dataclass(frozen=True, slots=True)
class Member:
    """One pair of the plan seen from the explained village or unit, with its terms."""

    unit: Unit
    village: Village
    terms: Points


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why the plan gives ``subject`` (a village or a unit) its pairs.

    ``terms`` are the subject's own terms (a village's or a unit's), ``pairs`` its pairs,
    ``total`` the plan's total points, ``alternatives`` the best pairs it does not have.
    """

    subject: Village | Unit
    terms: Points
    pairs: tuple[Member, ...]
    total: float
    alternatives: tuple[Alternative, ...]


def _pairs(problem: Problem, plan: Plan) -> set[Pair]:
    return {
        (problem.unit_index[p.unit_id], problem.village_index[p.village_id]) for p in plan.pairs
    }


def _points(terms: Mapping[str, int]) -> Points:
    return tuple((rule, cost / SCALE) for rule, cost in sorted(terms.items()))


def _unknown(sheet: str, zh: str, en: str) -> InputError:
    return InputError([Issue(sheet, None, None, zh, en)])


def explain_village(
    problem: Problem, plan: Plan, village_id: str, alternatives: int, time_limit: float
) -> Explanation:
    """Explain village ``village_id``'s units and price its best ``alternatives``."""
    if village_id not in problem.village_index:
        raise _unknown("村 villages", f"没有村编号「{village_id}」", f"no village '{village_id}'")
    v = problem.village_index[village_id]
    pairs = _pairs(problem, plan)
    team = sorted(u for u, w in pairs if w == v)
    others = _ranked_alternatives(problem, v, team)[: max(0, alternatives)]
    mine = [(u, v) for u in team]
    forced = [(u, v) for u in others]
    village = problem.villages[v]
    return _explain(
        problem, village, pairs, mine, forced, time_limit, lambda a: a.villages.get(v, {})
    )


def explain_unit(
    problem: Problem, plan: Plan, unit_id: str, alternatives: int, time_limit: float
) -> Explanation:
    """Explain unit ``unit_id``'s villages and price its best ``alternatives``."""
    if unit_id not in problem.unit_index:
        raise _unknown("单位 units", f"没有单位编号「{unit_id}」", f"no unit '{unit_id}'")
    u = problem.unit_index[unit_id]
    pairs = _pairs(problem, plan)
    villages = sorted(v for w, v in pairs if w == u)
    others = _ranked_villages(problem, u, villages)[: max(0, alternatives)]
    mine = [(u, v) for v in villages]
    forced = [(u, v) for v in others]
    unit = problem.units[u]
    return _explain(problem, unit, pairs, mine, forced, time_limit, lambda a: a.units.get(u, {}))


def _explain(
    problem: Problem,
    subject: Village | Unit,
    pairs: set[Pair],
    mine: list[Pair],
    forced: list[Pair],
    time_limit: float,
    own: Callable[[Account], Mapping[str, int]],
) -> Explanation:
    """Explain ``subject``: its pairs ``mine`` with their terms, its ``own`` terms, and the
    ``forced`` alternatives priced (P18 at the plan's weight, lexicographic or not)."""
    problem = with_stability(problem)
    account = evaluate(problem, pairs)
    members = tuple(
        Member(problem.units[u], problem.villages[v], _points(account.pairs.get((u, v), {})))
        for u, v in mine
    )
    base = account.total_points()
    return Explanation(
        subject,
        _points(own(account)),
        members,
        base,
        _price(problem, pairs, base, forced, time_limit),
    )


def _ranked_villages(problem: Problem, u: int, mine: list[int]) -> list[int]:
    """The villages ``u`` lacks, best first by a pair-separable estimate."""
    unit = problem.units[u]
    coefficients = Coefficients(PairFacts(problem))
    return sorted(
        (v for v in range(len(problem.villages)) if v not in mine),
        key=lambda v: (
            coefficients.edge_cost((u, v)) - 3000 * len(problem.villages[v].needs & unit.skills),
            v,
        ),
    )


def _ranked_alternatives(problem: Problem, v: int, team: list[int]) -> list[int]:
    facts = PairFacts(problem)
    coefficients = Coefficients(facts)
    village = problem.villages[v]

    def estimate(u: int) -> tuple[float, int]:
        unit = problem.units[u]
        bonus = problem.settings.weight("P10") * len(village.needs & unit.skills) * SCALE
        return (coefficients.edge_cost((u, v)) - bonus, u)

    return sorted((u for u in range(len(problem.units)) if u not in team), key=estimate)


def _price(
    problem: Problem, pairs: set[Pair], base: float, forced: list[Pair], time_limit: float
) -> tuple[Alternative, ...]:
    facts = PairFacts(problem)
    return tuple(_alternative(problem, facts, pairs, base, pair, time_limit) for pair in forced)


def _alternative(
    problem: Problem,
    facts: PairFacts,
    pairs: set[Pair],
    base: float,
    pair: Pair,
    time_limit: float,
) -> Alternative:
    """Price one forced pair: barred, without a plan, or the re-solved plan's total."""
    unit, village = problem.units[pair[0]], problem.villages[pair[1]]
    bar = facts.blocked(pair)
    if bar is not None:
        return Alternative(unit, village, barred_by=bar)
    try:
        plan, _ = solve(
            problem,
            SolveOptions(time_limit_s=time_limit, forced=(pair,), hint=tuple(sorted(pairs))),
        )
    except PairingError as error:
        why = "；".join(str(error).splitlines())  # every rule of the conflict, not the first
        return Alternative(unit, village, failure=why)
    objective = plan.facts.objective
    changes = plan.kpis.get("baseline_changed", 0.0) - _changes(problem, pairs)
    return Alternative(
        unit,
        village,
        objective=objective,
        delta=objective - base,
        proven=plan.facts.proven,
        changes=round(changes),
        change_points=problem.settings.weight("P18"),
    )


def _changes(problem: Problem, pairs: set[Pair]) -> float:
    """How many baseline pairs the plan ``pairs`` changes (P18), 0 without a baseline."""
    return baseline_kpis(problem, pairs).get("baseline_changed", 0.0)
