"""A plan chosen by hand, re-costed: every hard rule checked at its row, every term recomputed.

``pairing rescore`` hands this module the pairs a planner typed into 结对方案. Each hard rule
is checked on them, and each violation is located in words (the rule id, the 结对方案 row or
the 指定 row, the ids): P01-P05, the distance cap ``P13_max_km`` and the hard variants
``P10_hard``, ``P11_hard``, ``P12_min_strength``, as the solver applies them
(:class:`~pairing.domain.pairs.PairFacts`, :func:`~pairing.solve.teams.team_cost`'s rule
families). A plan that holds is accounted for as a solved one is
(:func:`~pairing.solve.terms.evaluate`, :func:`~pairing.solve.layout.lay_out`), with solver
facts that claim no search and no proof: status ``HAND_EDITED``, no bound.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from pairing.cpsat.pairing.rules import needs, strength, systems
from pairing.domain.edits import EditedPair
from pairing.domain.errors import Issue, RuleViolation
from pairing.domain.model import Problem, Unit
from pairing.domain.pairs import Pair, PairFacts
from pairing.domain.plan import Plan, SolverFacts
from pairing.domain.plan_schema import ASSIGNMENTS
from pairing.domain.status import BoundMethod, Status
from pairing.solve.instance import tenths, village_costs
from pairing.solve.layout import lay_out
from pairing.solve.stability import stated, with_stability
from pairing.solve.terms import evaluate

SHEET = ASSIGNMENTS.title
UNIT_COLUMN = "单位编号 (unit_id)"
VILLAGE_COLUMN = "村编号 (village_id)"


def rescore(problem: Problem, edited: Sequence[EditedPair]) -> Plan:
    """The plan of ``edited`` with every term recomputed, or :class:`RuleViolation` (exit 5)
    naming each hard rule it breaks. ``edited``: ids known to ``problem``, no pair twice."""
    violations = hard_violations(problem, edited)
    if violations:
        raise RuleViolation(violations)
    original, problem = problem, with_stability(problem)  # P18 at the weight solve used
    chosen = {(problem.unit_index[p.unit_id], problem.village_index[p.village_id]) for p in edited}
    account = evaluate(problem, chosen)
    facts = SolverFacts(
        status=Status.HAND_EDITED,
        objective=account.total_points(),
        bound=None,
        gap=None,
        seconds=0.0,
        proven=False,
        bound_method=BoundMethod.NONE,
        candidates=0,
        workers=problem.settings.workers,
        seed=problem.settings.seed,
    )
    return stated(original, problem, lay_out(PairFacts(problem), chosen, account, facts))


class Rows:
    """Where each pair, village and unit of a hand-edited plan is in 结对方案."""

    def __init__(self, problem: Problem, edited: Sequence[EditedPair]) -> None:
        self.problem = problem
        self.pair: dict[Pair, EditedPair] = {}
        self.of_village: dict[int, list[EditedPair]] = defaultdict(list)
        self.of_unit: dict[int, list[EditedPair]] = defaultdict(list)
        for row in edited:
            u, v = problem.unit_index[row.unit_id], problem.village_index[row.village_id]
            self.pair[(u, v)] = row
            self.of_village[v].append(row)
            self.of_unit[u].append(row)

    def first(self, rows: Sequence[EditedPair]) -> int | None:
        """The first of ``rows``' Excel rows (None when there is none)."""
        return min((row.row for row in rows), default=None)


def hard_violations(problem: Problem, edited: Sequence[EditedPair]) -> list[Issue]:
    """Every hard rule ``edited`` breaks, in words, rule by rule (empty when it holds)."""
    facts = PairFacts(problem)
    rows = Rows(problem, edited)
    return [
        *_village_counts(rows),
        *_unit_counts(rows),
        *_missing_musts(facts, rows),
        *_barred(facts, rows),
        *_village_variants(rows),
    ]


def _listed(rows: Sequence[EditedPair], key: str) -> str:
    """``U001 第4行、U002 第5行``: the ids of ``key`` with their rows, or ``-``."""
    return "、".join(f"{getattr(row, key)} 第{row.row}行" for row in rows) or "-"


def _listed_en(rows: Sequence[EditedPair], key: str) -> str:
    return ", ".join(f"{getattr(row, key)} (row {row.row})" for row in rows) or "none"


def _village_counts(rows: Rows) -> list[Issue]:
    """P01: each village has exactly its 需结对单位数 units."""
    found = []
    for v, village in enumerate(rows.problem.villages):
        mine = rows.of_village.get(v, [])
        if len(mine) != village.units_required:
            found.append(
                Issue(
                    SHEET,
                    rows.first(mine),
                    VILLAGE_COLUMN,
                    f"村 {village.id} 有 {len(mine)} 个结对单位（{_listed(mine, 'unit_id')}），"
                    f"应为 {village.units_required} 个",
                    f"village {village.id} has {len(mine)} unit(s) "
                    f"({_listed_en(mine, 'unit_id')}); it needs {village.units_required}",
                    "P01",
                )
            )
    return found


def _unit_counts(rows: Rows) -> list[Issue]:
    """P02: each unit's villages within [最少村数, 最多村数]."""
    found = []
    for u, unit in enumerate(rows.problem.units):
        mine = rows.of_unit.get(u, [])
        if unit.min_villages <= len(mine) <= unit.max_villages:
            continue
        if len(mine) > unit.max_villages:
            zh_limit, en_limit = f"最多 {unit.max_villages} 个", f"at most {unit.max_villages}"
        else:
            zh_limit, en_limit = f"至少 {unit.min_villages} 个", f"at least {unit.min_villages}"
        found.append(
            Issue(
                SHEET,
                rows.first(mine),
                UNIT_COLUMN,
                f"单位 {unit.id} 结对 {len(mine)} 个村（{_listed(mine, 'village_id')}），"
                f"{zh_limit}（单位表最少/最多村数）",
                f"unit {unit.id} has {len(mine)} village(s) ({_listed_en(mine, 'village_id')}); "
                f"it may have {en_limit} (units sheet min/max villages)",
                "P02",
            )
        )
    return found


def _missing_musts(facts: PairFacts, rows: Rows) -> list[Issue]:
    """P03: every 必须 pair is in the plan (located at its village's rows, if any)."""
    found = []
    for pair, rule in facts.must.items():
        if pair in rows.pair:
            continue
        mine = rows.of_village.get(pair[1], [])
        found.append(
            Issue(
                SHEET,
                rows.first(mine),
                UNIT_COLUMN,
                f"指定表第{rule.row}行必须 {rule.unit_id} 与 {rule.village_id} 结对，方案中没有"
                f"（{rule.village_id} 现为 {_listed(mine, 'unit_id')}）",
                f"row {rule.row} of the rules sheet (指定) requires {rule.unit_id} with "
                f"{rule.village_id}; the plan has not got it ({rule.village_id} has "
                f"{_listed_en(mine, 'unit_id')})",
                "P03",
            )
        )
    return found


def _barred(facts: PairFacts, rows: Rows) -> list[Issue]:
    """P04 (禁止), P05 (tenure) and the distance cap: a barred pair is not in the plan.

    A unit with 最多村数 0 is barred too; P02's count already names it.
    """
    found = []
    for pair, row in sorted(rows.pair.items(), key=lambda item: item[1].row):
        rule = facts.blocked(pair)
        if rule is None or rule == "P02":
            continue
        zh, en = _barred_words(facts, pair, row, rule)
        found.append(Issue(SHEET, row.row, UNIT_COLUMN, zh, en, rule))
    return found


def _barred_words(facts: PairFacts, pair: Pair, row: EditedPair, rule: str) -> tuple[str, str]:
    unit, village = row.unit_id, row.village_id
    if rule == "P04":
        at = facts.forbid[pair].row
        return (
            f"指定表第{at}行禁止 {unit} 与 {village} 结对",
            f"row {at} of the rules sheet (指定) forbids pairing {unit} with {village}",
        )
    if rule == "P05":
        tenure, limit = facts.tenure(pair), facts.problem.settings.max_tenure_years
        since = facts.current[pair].start_year
        return (
            f"{unit} 与 {village} 自 {since} 年起结对，到 {facts.year} 年已满 {tenure} 年，"
            f"达到最长任期 {limit} 年（max_tenure_years），不能延续",
            f"{unit} and {village} have been paired since {since}: {tenure} years by "
            f"{facts.year}, the longest tenure is {limit} (max_tenure_years); it cannot be renewed",
        )
    km, limit_km = facts.distance_km(pair) or 0.0, facts.problem.settings.max_km
    return (
        f"{unit} 到 {village} 路程 {km:.1f} 公里，超过最远 {limit_km:g} 公里（P13_max_km）",
        f"{unit} is {km:.1f} km from {village}, beyond the cap of {limit_km:g} km (P13_max_km)",
    )


def _village_variants(rows: Rows) -> list[Issue]:
    """P10_hard, P11_hard, P12_min_strength of each village's units, as the solver's team
    rule families judge them (:func:`pairing.solve.teams.team_cost`)."""
    problem = rows.problem
    costs = village_costs(problem.settings)
    found = []
    for v, village in enumerate(problem.villages):
        mine = rows.of_village.get(v, [])
        if not mine:
            continue  # P01 says so; no team to judge
        units = [problem.units[problem.unit_index[row.unit_id]] for row in mine]
        at, listed, listed_en = (
            rows.first(mine),
            _listed(mine, "unit_id"),
            _listed_en(mine, "unit_id"),
        )
        missing = sorted(village.needs - set().union(*(u.skills for u in units)))
        if not needs.allowed(len(missing), costs.needs_hard):
            words = "、".join(missing)
            found.append(
                Issue(
                    SHEET,
                    at,
                    VILLAGE_COLUMN,
                    f"村 {village.id} 的需求「{words}」无单位覆盖（{listed}；P10_hard 要求每项需求都覆盖）",
                    f"village {village.id}: no unit covers {', '.join(missing)} ({listed_en}; "
                    "P10_hard requires every need covered)",
                    "P10",
                )
            )
        if not systems.allowed(systems.repeats(u.system for u in units), costs.systems_hard):
            shared = _shared_systems(units)
            found.append(
                Issue(
                    SHEET,
                    at,
                    VILLAGE_COLUMN,
                    f"村 {village.id} 的单位系统重复：{shared}（{listed}；P11_hard 要求系统各不相同）",
                    f"village {village.id} has units of one system: {shared} ({listed_en}; "
                    "P11_hard requires different systems)",
                    "P11",
                )
            )
        total = sum(tenths(u.strength) for u in units)
        if not strength.allowed(total, costs.floor):
            floor = problem.settings.min_strength
            found.append(
                Issue(
                    SHEET,
                    at,
                    VILLAGE_COLUMN,
                    f"村 {village.id} 帮扶力量 {total / 10:g}（{listed}），低于下限 {floor:g}"
                    "（P12_min_strength）",
                    f"village {village.id} has strength {total / 10:g} ({listed_en}), below the "
                    f"floor of {floor:g} (P12_min_strength)",
                    "P12",
                )
            )
    return found


def _shared_systems(units: Sequence[Unit]) -> str:
    """``党委部门 ×2``: each (non-blank) system held by more than one of ``units``."""
    counts: dict[str, int] = defaultdict(int)
    for unit in units:
        if unit.system:
            counts[unit.system] += 1
    return "、".join(f"{name} ×{n}" for name, n in sorted(counts.items()) if n > 1)


__all__ = ["hard_violations", "rescore"]
