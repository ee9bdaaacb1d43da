"""``explain``: each term of a village's (or unit's) pairs, and what alternatives would cost.

An alternative is priced honestly: force the pair into the plan, re-solve from the current
plan as a hint, and report the difference in objective. Barred pairs are named with the rule
that bars them instead.
"""

from __future__ import annotations

from pairing.cpsat.pairing.data import SCALE
from pairing.domain.errors import InputError, Issue, PairingError
from pairing.domain.model import Problem
from pairing.domain.pairs import Pair, PairFacts
from pairing.domain.rules import RULES_BY_ID
from pairing.io.planbook import PlanBook
from pairing.solve.instance import Coefficients
from pairing.solve.optimize import SolveOptions, solve
from pairing.solve.terms import Account, evaluate


def _pairs(book: PlanBook) -> set[Pair]:
    problem = book.input.problem
    return {
        (problem.unit_index[p.unit_id], problem.village_index[p.village_id])
        for p in book.plan.pairs
    }


def _terms_line(terms: dict[str, int]) -> str:
    parts = [
        f"{rule} {RULES_BY_ID[rule].zh} {cost / SCALE:.2f}" for rule, cost in sorted(terms.items())
    ]
    return "；".join(parts) or "0"


def explain_village(
    book: PlanBook, village_id: str, alternatives: int, time_limit: float
) -> list[str]:
    """Return lines explaining village ``village_id``'s units and its best alternatives."""
    problem = book.input.problem
    if village_id not in problem.village_index:
        raise InputError(
            [
                Issue(
                    "村 villages",
                    None,
                    None,
                    f"没有村编号「{village_id}」",
                    f"no village '{village_id}'",
                )
            ]
        )
    v = problem.village_index[village_id]
    village = problem.villages[v]
    pairs = _pairs(book)
    account = evaluate(problem, pairs)
    lines = [
        f"村 {village.id} {village.name}（{village.town}）需求 needs：{'、'.join(sorted(village.needs)) or '-'}",
        f"  村级得分 village terms：{_terms_line(account.villages.get(v, {}))}",
    ]
    team = sorted(u for u, w in pairs if w == v)
    for u in team:
        unit = problem.units[u]
        lines.append(
            f"  {unit.id} {unit.name}（{unit.system}，力量 {unit.strength:g}，职能 {'、'.join(sorted(unit.skills))}）："
            f"{_terms_line(account.pairs.get((u, v), {}))}"
        )
    lines.append(f"方案总分 plan total {account.total_points():.2f}")
    others = _ranked_alternatives(problem, v, team)
    lines += _price(
        book, pairs, account, [(u, v) for u in others[: max(0, alternatives)]], time_limit
    )
    return lines


def explain_unit(book: PlanBook, unit_id: str, alternatives: int, time_limit: float) -> list[str]:
    """Return lines explaining unit ``unit_id``'s villages and its best alternatives."""
    problem = book.input.problem
    if unit_id not in problem.unit_index:
        raise InputError(
            [Issue("单位 units", None, None, f"没有单位编号「{unit_id}」", f"no unit '{unit_id}'")]
        )
    u = problem.unit_index[unit_id]
    unit = problem.units[u]
    pairs = _pairs(book)
    account = evaluate(problem, pairs)
    lines = [
        f"单位 {unit.id} {unit.name}（{unit.system}，职能 {'、'.join(sorted(unit.skills)) or '-'}）",
        f"  单位级得分 unit terms：{_terms_line(account.units.get(u, {}))}",
    ]
    mine = sorted(v for w, v in pairs if w == u)
    for v in mine:
        village = problem.villages[v]
        lines.append(
            f"  → {village.id} {village.name}（{village.town}，需求 {'、'.join(sorted(village.needs))}）："
            f"{_terms_line(account.pairs.get((u, v), {}))}"
        )
    facts = PairFacts(problem)
    coefficients = Coefficients(facts)
    options = sorted(
        (v for v in range(len(problem.villages)) if v not in mine),
        key=lambda v: (
            coefficients.edge_cost((u, v)) - 3000 * len(problem.villages[v].needs & unit.skills),
            v,
        ),
    )
    lines += _price(
        book, pairs, account, [(u, v) for v in options[: max(0, alternatives)]], time_limit
    )
    return lines


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
    book: PlanBook, pairs: set[Pair], account: Account, forced: list[Pair], time_limit: float
) -> list[str]:
    problem = book.input.problem
    facts = PairFacts(problem)
    base = account.total_points()
    lines = ["备选 alternatives（强制该对后重新求解 / forced, then re-solved）："] if forced else []
    for pair in forced:
        unit, village = problem.units[pair[0]], problem.villages[pair[1]]
        label = f"  {unit.id} {unit.name} ↔ {village.id} {village.name}"
        bar = facts.blocked(pair)
        if bar is not None:
            lines.append(f"{label}：不可行，被 {bar} {RULES_BY_ID[bar].zh} 排除 / barred by {bar}")
            continue
        try:
            plan, _ = solve(
                problem,
                SolveOptions(time_limit_s=time_limit, forced=(pair,), hint=tuple(sorted(pairs))),
            )
        except PairingError as error:
            why = "；".join(str(error).splitlines())  # every rule of the conflict, not the first
            lines.append(f"{label}：无可行方案 / no feasible plan ({why})")
            continue
        delta = plan.facts.objective - base
        proof = "" if plan.facts.proven else "（未证明最优 not proven）"
        lines.append(
            f"{label}：总分 {plan.facts.objective:.2f}，多 {delta:+.2f} 分 / costs {delta:+.2f} more{proof}"
        )
    return lines
