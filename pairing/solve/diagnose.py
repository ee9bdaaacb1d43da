"""Why no plan exists, in words: cheap checks first, then a Hall violator, then a CP-SAT core.

Each reason names rule ids, sheets, Excel rows and ids, so a planner knows which line to
change. Exit code 4.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from collections.abc import Sequence

import networkx as nx

from pairing.cpsat.pairing.conflicts import Tag, find_conflict, hard_rules_plan
from pairing.domain.errors import InfeasibleError, Issue, PairingError
from pairing.domain.model import Problem
from pairing.domain.pairs import Pair, PairFacts
from pairing.domain.schema import HISTORY, RULES_SHEET, SETTINGS, UNITS, VILLAGES

HALL_PAIR_LIMIT = 400_000  # above this, the Hall check runs on candidate pairs only
BARS = {
    "P04": ("禁止", "forbidden"),
    "P05": ("任期届满", "tenure reached"),
    "P13": ("超出最远公里", "beyond the distance cap"),
    "P02": ("最多村数为 0", "max_villages is 0"),
}


class NoPlanInTime(PairingError):
    """The search ended without any plan (not a proof of infeasibility). Exit code 4."""

    exit_code = 4


def no_plan_in_time(seconds: float) -> NoPlanInTime:
    """Return the error for a search that found no plan before its limit or interruption."""
    return NoPlanInTime(
        f"{seconds:.1f} 秒内未找到方案（未证明无解）；请加大 --time-limit / no plan found in "
        f"{seconds:.1f} s (infeasibility not proven); raise --time-limit"
    )


def precheck(problem: Problem) -> None:
    """Raise :class:`InfeasibleError` for contradictions visible without search."""
    facts = PairFacts(problem)
    reasons = _places(problem) or _locked_places(problem, facts) + _locks(
        problem, facts
    ) + _short_villages(problem, facts)
    if not reasons and len(problem.units) * len(problem.villages) <= HALL_PAIR_LIMIT:
        reasons = hall_violation(problem, facts, allowed_pairs(problem, facts))
    if reasons:
        raise InfeasibleError(reasons)


def allowed_pairs(problem: Problem, facts: PairFacts) -> list[Pair]:
    """Every pair that no hard rule bars (P04, P05, the distance cap, 最多村数 0)."""
    return [
        (u, v)
        for u in range(len(problem.units))
        for v in range(len(problem.villages))
        if facts.blocked((u, v)) is None
    ]


def _places(problem: Problem) -> list[Issue]:
    least, most = problem.slots
    demand = problem.demand
    if demand > most:
        return [
            Issue(
                UNITS.title,
                None,
                "最多村数 (max_villages)",
                f"各村共需 {demand} 个单位名额，单位最多只能提供 {most} 个；请增加单位或提高最多村数",
                f"villages need {demand} unit places but units offer at most {most}; add units or raise max_villages",
                "P01",
            )
        ]
    if demand < least:
        return [
            Issue(
                UNITS.title,
                None,
                "最少村数 (min_villages)",
                f"单位至少要结对 {least} 个村次，但各村共只需 {demand} 个；请降低最少村数或提高需结对单位数",
                f"units must take at least {least} places but villages need only {demand}; lower min_villages",
                "P02",
            )
        ]
    return []


def _locks(problem: Problem, facts: PairFacts) -> list[Issue]:
    reasons = []
    per_village: dict[int, list[int]] = defaultdict(list)
    per_unit: dict[int, list[int]] = defaultdict(list)
    for (u, v), rule in facts.must.items():
        per_village[v].append(rule.row)
        per_unit[u].append(rule.row)
        bar = facts.blocked((u, v))
        if bar is not None:
            zh, en = BARS[bar]
            reasons.append(
                Issue(
                    RULES_SHEET.title,
                    rule.row,
                    "规则 (rule)",
                    f"必须结对 {rule.unit_id}–{rule.village_id}，但该对{zh}（{bar}）",
                    f"must pair {rule.unit_id}-{rule.village_id} is {en} ({bar})",
                    "P03",
                )
            )
    for v, rows in sorted(per_village.items()):
        village = problem.villages[v]
        if len(rows) > village.units_required:
            reasons.append(
                Issue(
                    RULES_SHEET.title,
                    rows[0],
                    "规则 (rule)",
                    f"村 {village.id}（{village.name}）需 {village.units_required} 个单位，但指定表第"
                    f"{_rows(rows)}行锁定了 {len(rows)} 个",
                    f"village {village.id} needs {village.units_required} units but rows {_rows(rows)} "
                    f"lock {len(rows)}",
                    "P01",
                )
            )
    for u, rows in sorted(per_unit.items()):
        unit = problem.units[u]
        if len(rows) > unit.max_villages:
            reasons.append(
                Issue(
                    RULES_SHEET.title,
                    rows[0],
                    "规则 (rule)",
                    f"单位 {unit.id}（{unit.name}）最多 {unit.max_villages} 个村（单位表第{unit.row}行），"
                    f"但指定表第{_rows(rows)}行锁定了 {len(rows)} 个",
                    f"unit {unit.id} may take {unit.max_villages} villages (units row {unit.row}) but "
                    f"rows {_rows(rows)} lock {len(rows)}",
                    "P02",
                )
            )
    return reasons


def _locked_places(problem: Problem, facts: PairFacts) -> list[Issue]:
    """Units whose 必须 rows exceed their 最少村数 raise the places units must fill: when the
    raised total passes the villages' demand, no plan exists (e.g. a deleted 最少村数 column
    defaults every unit to 1 while one unit holds three locks)."""
    locks: Counter[int] = Counter(u for u, _ in facts.must)
    raised = {u: n for u, n in locks.items() if n > problem.units[u].min_villages}
    least = sum(max(unit.min_villages, locks[u]) for u, unit in enumerate(problem.units))
    demand = problem.demand
    if least <= demand or not raised:
        return []
    named = sorted(raised, key=lambda u: (-raised[u], u))[:6]
    zh = "、".join(f"{problem.units[u].id}（锁定 {raised[u]} 个村）" for u in named)
    en = ", ".join(f"{problem.units[u].id} ({raised[u]} locked)" for u in named)
    first = problem.units[named[0]]
    return [
        Issue(
            UNITS.title,
            first.row,
            "最少村数 (min_villages)",
            f"各单位至少要结对 {least} 个村次（最少村数，空白按 1 计，加上必须结对超出的部分：{zh}），"
            f"但各村共只需 {demand} 个；请降低最少村数或减少必须结对",
            f"units must take at least {least} places (min_villages, a blank counting 1, raised "
            f"by 必须 locks: {en}) but villages need only {demand}; lower min_villages or remove "
            "locks",
            "P02",
        )
    ]


def _rows(rows: list[int]) -> str:
    return "、".join(str(r) for r in sorted(rows))


def _short_villages(problem: Problem, facts: PairFacts) -> list[Issue]:
    if len(problem.units) * len(problem.villages) > HALL_PAIR_LIMIT:
        return []
    reasons = []
    for v, village in enumerate(problem.villages):
        bars: Counter[str] = Counter()
        rows: list[str] = []
        eligible = 0
        for u in range(len(problem.units)):
            bar = facts.blocked((u, v))
            if bar is None:
                eligible += 1
                continue
            bars[bar] += 1
            rows.extend(_bar_rows(facts, (u, v), bar))
        if eligible < village.units_required:
            why = "、".join(f"{BARS[b][0]} {n} 个" for b, n in sorted(bars.items()))
            why_en = ", ".join(f"{n} {BARS[b][1]}" for b, n in sorted(bars.items()))
            reasons.append(
                Issue(
                    VILLAGES.title,
                    village.row,
                    "村编号 (village_id)",
                    f"村 {village.id}（{village.name}）需 {village.units_required} 个单位，只有 {eligible} 个可选"
                    f"（{why}；{'；'.join(rows[:6])}）",
                    f"village {village.id} needs {village.units_required} units but only {eligible} are "
                    f"eligible ({why_en})",
                    "P01",
                )
            )
    return reasons


def _bar_rows(facts: PairFacts, pair: Pair, bar: str) -> list[str]:
    if bar == "P04":
        return [f"指定表第{facts.forbid[pair].row}行禁止 {facts.forbid[pair].unit_id}"]
    if bar == "P05":
        past = facts.tenure_blocked[pair]
        return [f"历史结对第{past.row}行 {past.unit_id} 自{past.start_year}年起任期届满"]
    return []


def hall_violation(problem: Problem, facts: PairFacts, pairs: list[Pair]) -> list[Issue]:
    """Name a set of villages whose eligible units cannot fill them (Hall's condition)."""
    graph = nx.DiGraph()
    for u, unit in enumerate(problem.units):
        graph.add_edge("S", ("u", u), capacity=unit.max_villages)
    for v, village in enumerate(problem.villages):
        graph.add_edge(("v", v), "T", capacity=village.units_required)
    for u, v in pairs:
        graph.add_edge(("u", u), ("v", v), capacity=1)
    value, flow = nx.maximum_flow(graph, "S", "T")
    if value >= problem.demand:
        return []
    short = _deficient_side(graph, flow)
    villages = sorted(index for kind, index in short if kind == "v")
    units = sorted({u for u, v in pairs if v in set(villages)})
    need = sum(problem.villages[v].units_required for v in villages)
    offer = sum(problem.units[u].max_villages for u in units)
    names = "、".join(f"{problem.villages[v].id}{problem.villages[v].name}" for v in villages[:12])
    unit_ids = "、".join(problem.units[u].id for u in units[:12]) or "无 none"
    return [
        Issue(
            VILLAGES.title,
            problem.villages[villages[0]].row if villages else None,
            None,
            f"这些村共需 {need} 个单位：{names}；能去的单位只有 {unit_ids}，最多 {offer} 个名额"
            "（其他单位被禁止、任期或距离挡住）",
            f"villages {', '.join(problem.villages[v].id for v in villages[:12])} need {need} units; "
            f"only units {unit_ids} may go there, offering {offer} places",
            "P01",
        )
    ]


def _deficient_side(
    graph: nx.DiGraph, flow: dict[object, dict[object, int]]
) -> set[tuple[str, int]]:
    """Nodes that can still reach T in the residual graph: the villages left short."""
    reach: set[object] = {"T"}
    stack = ["T"]
    while stack:
        node = stack.pop()
        for pred in graph.predecessors(node):  # forward residual pred -> node
            if pred not in reach and flow[pred][node] < graph[pred][node]["capacity"]:
                reach.add(pred)
                stack.append(pred)
        for succ in graph.successors(node):  # backward residual succ -> node
            if succ not in reach and flow[node][succ] > 0:
                reach.add(succ)
                stack.append(succ)
    return {(str(n[0]), int(n[1])) for n in reach if isinstance(n, tuple)}  # ("u" | "v", index)


def hard_plan_or_proof(
    problem: Problem,
    forced: Sequence[Pair] = (),
    barred: Sequence[Pair] = (),
    stop: threading.Event | None = None,
) -> set[Pair]:
    """A plan that obeys every hard rule, or :class:`InfeasibleError` with the conflict.

    Called when a search ended without a plan. That proves nothing: its teams, windows,
    candidate graph or time may have been too narrow (issue 14: a weight of 1000 once made the
    LP prefer its artificial columns, and the search said "infeasible"). The only proof is
    the hard rules alone, over every allowed pair, with no objective and no time limit: if
    they hold, their plan is returned; if not, the smallest conflict is named (exit 4).
    ``forced`` and ``barred`` are ``explain``'s what-ifs; an interruption raises
    :class:`NoPlanInTime`.
    """
    from pairing.solve.instance import build_data

    facts = PairFacts(problem)
    allowed = sorted((set(allowed_pairs(problem, facts)) | set(forced)) - set(barred))
    data = build_data(problem, allowed, set(forced))
    status, chosen = hard_rules_plan(data, stop)
    if status == "FEASIBLE":
        return {(data.edges[e].unit, data.edges[e].village) for e in chosen}
    if status != "INFEASIBLE":
        raise no_plan_in_time(0.0)
    reasons = hall_violation(problem, facts, [p for p in allowed if p not in set(forced)])
    if not reasons:
        reasons = [_describe(problem, data, tag, set(forced)) for tag in find_conflict(data)]
    raise InfeasibleError(reasons or [_unlocated()])


def _unlocated() -> Issue:
    """Proven infeasible, but the conflict could not be narrowed within its time budget."""
    return Issue(
        SETTINGS.title,
        None,
        None,
        "已证明硬规则互相冲突（仅硬规则、不限时），但未能在时限内缩小到几条规则",
        "the hard rules alone are proven to conflict, but the conflict could not be narrowed "
        "to a few rules in time",
    )


def _describe(problem: Problem, data: object, tag: Tag, forced: set[Pair]) -> Issue:
    from pairing.cpsat.pairing.data import PairingData

    assert isinstance(data, PairingData)
    rule, index = tag
    if rule == "P03" and _pair_of(data, index) in forced:
        unit_at, village_at = _pair_of(data, index)
        unit, place = problem.units[unit_at], problem.villages[village_at]
        return Issue(
            UNITS.title,
            unit.row,
            None,
            f"假设 {unit.id}（{unit.name}）改去 {place.id}（{place.name}）",
            f"the what-if pair {unit.id}-{place.id} (unit {unit.name} at {place.name})",
            "P03",
        )
    if rule == "P01":
        v = problem.villages[index]
        return Issue(
            VILLAGES.title,
            v.row,
            None,
            f"村 {v.id}（{v.name}）须有 {v.units_required} 个单位",
            f"village {v.id} must get {v.units_required} units",
            "P01",
        )
    if rule == "P02":
        u = problem.units[index]
        return Issue(
            UNITS.title,
            u.row,
            None,
            f"单位 {u.id}（{u.name}）结对 {u.min_villages}–{u.max_villages} 个村",
            f"unit {u.id} takes {u.min_villages}-{u.max_villages} villages",
            "P02",
        )
    if rule == "P03":
        edge = data.edges[index]
        r = PairFacts(problem).must[(edge.unit, edge.village)]
        return Issue(
            RULES_SHEET.title,
            r.row,
            None,
            f"必须结对 {r.unit_id}–{r.village_id}",
            f"must pair {r.unit_id}-{r.village_id}",
            "P03",
        )
    if rule == "P10":
        need = data.needs[index]
        v = problem.villages[need.village]
        return Issue(
            VILLAGES.title,
            v.row,
            "短板需求 (needs)",
            f"村 {v.id} 的需求「{need.tag}」必须覆盖（P10_hard）",
            f"village {v.id}'s need '{need.tag}' must be covered (P10_hard)",
            "P10",
        )
    if rule == "P11":
        group = data.systems[index]
        v = problem.villages[group.village]
        return Issue(
            VILLAGES.title,
            v.row,
            None,
            f"村 {v.id} 最多一个「{group.system}」系统单位（P11_hard）",
            f"village {v.id} may have one '{group.system}' unit at most (P11_hard)",
            "P11",
        )
    v = problem.villages[index]
    return Issue(
        VILLAGES.title,
        v.row,
        None,
        f"村 {v.id} 帮扶力量不低于 P12_min_strength",
        f"village {v.id} strength at least P12_min_strength",
        "P12",
    )


def _pair_of(data: object, edge: int) -> Pair:
    from pairing.cpsat.pairing.data import PairingData

    assert isinstance(data, PairingData)
    return data.edges[edge].unit, data.edges[edge].village


__all__ = ["HISTORY", "allowed_pairs", "hall_violation", "hard_plan_or_proof", "precheck"]
