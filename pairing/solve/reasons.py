"""Why each pair is in the plan, in words, and the plan's key figures."""

from __future__ import annotations

from collections import defaultdict
from statistics import mean
from types import MappingProxyType

from pairing.cpsat.pairing.data import SCALE
from pairing.domain.changes import baseline_changes, change_counts
from pairing.domain.model import Problem
from pairing.domain.pairs import Pair, PairFacts
from pairing.domain.plan import PlanPair
from pairing.solve.terms import Account

RATING_WORDS = {"好": "成效好", "中": "成效中", "差": "成效差", None: "未评"}


def describe_pair(pair: Pair, account: Account, facts: PairFacts) -> PlanPair:
    """Return the plan row of ``pair``: its own terms, facts and the reason in words.

    ``facts`` is shared by every row: building it reads the whole history, and once per row
    made 20,000 rows take 50 s.
    """
    problem = facts.problem
    unit, village = problem.units[pair[0]], problem.villages[pair[1]]
    km = facts.distance_km(pair)
    past = facts.current.get(pair)
    parts = []
    if pair in facts.must:
        rule = facts.must[pair]
        parts.append(f"指定必须（{rule.reason or '指定'}，指定表第{rule.row}行）")
    covered = sorted(village.needs & unit.skills)
    if covered:
        parts.append("补齐需求：" + "、".join(covered))
    if pair in facts.baseline:
        parts.append("保留上一轮方案的结对")
    if past is not None:
        parts.append(f"延续{past.start_year}年起结对（{RATING_WORDS[past.rating]}）")
    else:
        parts.append("新结对")
    if pair in facts.prefer:
        parts.append(f"意向第{facts.prefer[pair].rank or 1}位")
    if pair in facts.scores:
        parts.append(f"评分 {facts.scores[pair].score:g}")
    if village.typical:
        parts.append(f"典型村，帮扶力量 {unit.strength:g}")
    if km is not None:
        parts.append(f"距离 {km:.0f} km")
    terms = {rule: cost / SCALE for rule, cost in sorted(account.pairs.get(pair, {}).items())}
    return PlanPair(
        unit_id=unit.id,
        village_id=village.id,
        terms=MappingProxyType(terms),
        distance_km=None if km is None else round(km, 1),
        continued=past is not None,
        since_year=None if past is None else past.start_year,
        locked=pair in facts.must,
        reason="；".join(parts),
    )


def kpis(problem: Problem, chosen: set[Pair]) -> dict[str, float]:
    """Key figures a department reports: needs covered, distance, continuity, strength."""
    facts = PairFacts(problem)
    by_village: dict[int, list[int]] = defaultdict(list)
    for u, v in chosen:
        by_village[v].append(u)
    needs = sum(len(v.needs) for v in problem.villages)
    covered = sum(
        len(v.needs & set().union(*(problem.units[u].skills for u in by_village[i])))
        for i, v in enumerate(problem.villages)
    )
    km = [d for d in (facts.distance_km(p) for p in chosen) if d is not None]
    strength = {
        i: sum(problem.units[u].strength for u in by_village[i])
        for i in range(len(problem.villages))
    }
    typical = [strength[i] for i, v in enumerate(problem.villages) if v.typical]
    systems = [
        len({problem.units[u].system for u in by_village[i]}) for i in range(len(problem.villages))
    ]
    renewable = [p for p, past in facts.current.items() if past.rating in ("好", "中")]
    return {
        "needs_covered_pct": round(100 * covered / needs, 1) if needs else 100.0,
        "mean_km": round(mean(km), 1) if km else 0.0,
        "max_km": round(max(km), 1) if km else 0.0,
        "continued_pct": round(
            100 * sum(p in facts.current for p in chosen) / max(1, len(chosen)), 1
        ),
        "good_pairs_kept_pct": round(100 * sum(p in chosen for p in renewable) / len(renewable), 1)
        if renewable
        else 100.0,
        "weakest_village_strength": round(min(strength.values()), 2) if strength else 0.0,
        "mean_village_strength": round(mean(strength.values()), 2) if strength else 0.0,
        "weakest_typical_strength": round(min(typical), 2) if typical else 0.0,
        "mean_typical_strength": round(mean(typical), 2) if typical else 0.0,
        "mean_systems_per_village": round(mean(systems), 2) if systems else 0.0,
        "pairs": float(len(chosen)),
        **coordinate_kpis(problem, facts, chosen),
        **baseline_kpis(problem, chosen),
    }


def baseline_kpis(problem: Problem, chosen: set[Pair]) -> dict[str, float]:
    """With a baseline: its pairs kept, changed (P18 counts these) and forced; new pairs."""
    if not problem.baseline:
        return {}
    ids = ((problem.units[u].id, problem.villages[v].id) for u, v in chosen)
    counts = change_counts(baseline_changes(problem, ids))
    return {f"baseline_{status}": float(n) for status, n in counts.items()}


def coordinate_kpis(problem: Problem, facts: PairFacts, chosen: set[Pair]) -> dict[str, float]:
    """Count what has no coordinates: such a pair has no distance and P13 counts it as 0 km.

    A unit without coordinates starts from the county seat when that is set, so its pairs do
    have a distance; ``pairs_without_distance`` counts the pairs that have none.
    """
    return {
        "villages_without_coordinates": float(
            sum(v.lat is None or v.lon is None for v in problem.villages)
        ),
        "units_without_coordinates": float(
            sum(u.lat is None or u.lon is None for u in problem.units)
        ),
        "pairs_without_distance": float(sum(facts.distance_km(p) is None for p in chosen)),
    }
