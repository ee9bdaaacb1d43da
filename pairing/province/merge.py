"""Merge the parts' plans (and schedules) into one, as if the whole input had been solved.

Pairs of all parts in the order a single solve gives them (village, then unit, in input
order); each soft rule's points summed; the objective the sum of the parts' objectives and
the bound the sum of their bounds (each part's bound holds for that part, so their sum holds
for the partitioned problem); proven only when every part is. The merged plan's account is
then taken again on the whole input, as the verifier takes it, and must equal the sum: a
difference is a bug (of the partition, not of the planner) and raises.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType

from pairing.cpsat.pairing.data import SCALE
from pairing.domain.model import Problem
from pairing.domain.plan import Plan, Schedule, SolverFacts
from pairing.province.engine import PartResult
from pairing.province.parts import REFERENCE_ID
from pairing.schedule.events import event_order
from pairing.solve.reasons import kpis
from pairing.solve.terms import evaluate

Terms = Mapping[str, Mapping[str, float]]


def merge_plans(whole: Problem, results: Sequence[PartResult], seconds: float) -> Plan:
    """Return one plan from the parts' plans (every result must have a plan).

    Parameters
    ----------
    whole
        The whole problem.
    results
        The parts' results, in canonical order.
    seconds
        Wall seconds of the whole partitioned solve (the summary's time).

    Returns
    -------
    Plan
        Pairs of all parts, summed totals and facts, the KPIs of the whole plan.

    Raises
    ------
    AssertionError
        When the whole input's account of the merged plan differs from the parts' sum.
    """
    plans = [_plan(result) for result in results]
    pairs = sorted(
        (pair for plan in plans for pair in plan.pairs),
        key=lambda p: (whole.village_index[p.village_id], whole.unit_index[p.unit_id]),
    )
    chosen = {(whole.unit_index[p.unit_id], whole.village_index[p.village_id]) for p in pairs}
    merged = Plan(
        pairs=tuple(pairs),
        totals=summed([plan.totals for plan in plans]),
        facts=merge_facts([plan.facts for plan in plans], seconds, whole.settings.seed),
        village_terms=_joined([plan.village_terms for plan in plans]),
        unit_terms=_joined([plan.unit_terms for plan in plans]),
        kpis=MappingProxyType(kpis(whole, chosen)),
    )
    check_account(whole, chosen, merged)
    return merged


def _plan(result: PartResult) -> Plan:
    """Return a result's plan (a failed part has none: the caller reports it first)."""
    if result.plan is None:
        raise ValueError(f"part {result.key} has no plan")
    return result.plan


def cost_units(points: float) -> int:
    """Return points in the solver's whole cost units (sums of these are exact)."""
    return round(points * SCALE)


def summed(tables: Iterable[Mapping[str, float]]) -> MappingProxyType[str, float]:
    """Return the sum of several ``{rule: points}`` tables, added in whole cost units."""
    total: dict[str, int] = {}
    for table in tables:
        for rule, points in table.items():
            total[rule] = total.get(rule, 0) + cost_units(points)
    return MappingProxyType({rule: total[rule] / SCALE for rule in sorted(total)})


def _joined(tables: Iterable[Terms]) -> MappingProxyType[str, Mapping[str, float]]:
    """Return the union of the parts' per-village (or per-unit) terms; parts never overlap."""
    joined = {
        name: terms for table in tables for name, terms in table.items() if name != REFERENCE_ID
    }
    return MappingProxyType(dict(sorted(joined.items())))


def merge_facts(facts: Sequence[SolverFacts], seconds: float, seed: int) -> SolverFacts:
    """Return the facts of all parts together: sums, proven only when every part is.

    Parameters
    ----------
    facts
        Each part's solver facts.
    seconds
        Wall seconds of the whole run.
    seed
        The workbook's seed (every part used it).

    Returns
    -------
    SolverFacts
        Objective and bound summed (in cost units), the relative gap of the sums, one
        search thread per part.
    """
    objective = sum(cost_units(f.objective) for f in facts) / SCALE
    bounds = [f.bound for f in facts]
    # A part with no useful bound yet leaves the whole without one.
    bound = None if None in bounds else sum(cost_units(b or 0.0) for b in bounds) / SCALE
    proven = all(f.proven for f in facts)
    gap = 0.0 if proven else None if bound is None else (objective - bound) / max(1.0, objective)
    return SolverFacts(
        status="OPTIMAL" if proven else "FEASIBLE",
        objective=objective,
        bound=bound,
        gap=None if gap is None else round(gap, 6),
        seconds=round(seconds, 3),
        proven=proven,
        interrupted=any(f.interrupted for f in facts),
        restricted=any(f.restricted for f in facts),
        candidates=sum(f.candidates for f in facts),
        workers=1,
        seed=seed,
    )


def check_account(whole: Problem, chosen: set[tuple[int, int]], plan: Plan) -> None:
    """Raise ``AssertionError`` unless the whole input's account equals the merged totals.

    Parameters
    ----------
    whole
        The whole problem.
    chosen
        The merged plan's pairs as (unit index, village index).
    plan
        The merged plan.
    """
    account = evaluate(whole, chosen)
    mine = {rule: cost_units(points) for rule, points in plan.totals.items() if points}
    theirs = {rule: cost for rule, cost in account.totals().items() if cost}
    if mine != theirs:
        raise AssertionError(f"merged totals {mine} != whole-input account {theirs}")


def merge_schedules(schedules: Sequence[Schedule], seconds: float, seed: int) -> Schedule:
    """Return one schedule from the parts' schedules (same horizon for every part).

    Parameters
    ----------
    schedules
        Each part's schedule, in canonical part order.
    seconds
        Wall seconds of the run.
    seed
        The workbook's seed.

    Returns
    -------
    Schedule
        Every event in the scheduler's canonical order, the facts summed, provisional years
        of any part.
    """
    first = schedules[0]
    events = sorted((e for s in schedules for e in s.events), key=event_order)
    years = sorted({year for s in schedules for year in s.provisional_years})
    return Schedule(
        events=tuple(events),
        start=first.start,
        end=first.end,
        facts=merge_facts([s.facts for s in schedules], seconds, seed),
        provisional_years=tuple(years),
        # counties of one province share the official calendar, not their own 节假日 rows
        marks=first.marks if all(s.marks == first.marks for s in schedules) else None,
    )
