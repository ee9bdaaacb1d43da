"""The hard pairing rules, re-derived from the plan's rows: integrity, P01-P05, hard variants.

Integrity first: every 结对方案 row must name a known unit and village, and no pair may
appear twice; the rules then judge the distinct, known pairs. Hard variants apply when set:
``P10_hard`` (every need covered), ``P11_hard`` (no repeated system), ``P12_min_strength``
(a floor on each village's strength, compared in tenths) and ``P13_max_km``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from pairing.domain.model import Problem, Unit
from pairing.verify.reading.plan_sheets import PlanSheets
from pairing.verify.report.findings import INTEGRITY, Finding
from pairing.verify.rules.facts import Facts, PairKey
from pairing.verify.rules.places import Places
from pairing.verify.rules.soft import tenths


@dataclass(frozen=True, slots=True)
class PlanPairs:
    """The plan's distinct pairs of known ids, with the row each was first listed on."""

    rows: Mapping[PairKey, int]
    findings: tuple[Finding, ...]

    def of_village(self) -> dict[str, list[str]]:
        """Return each village's units in the plan.

        Returns village id -> unit ids, in row order.
        """
        found: dict[str, list[str]] = defaultdict(list)
        for unit_id, village_id in self.rows:
            found[village_id].append(unit_id)
        return found

    def of_unit(self) -> dict[str, list[str]]:
        """Return each unit's villages in the plan.

        Returns unit id -> village ids, in row order.
        """
        found: dict[str, list[str]] = defaultdict(list)
        for unit_id, village_id in self.rows:
            found[unit_id].append(village_id)
        return found


def resolve_pairs(sheets: PlanSheets, problem: Problem) -> PlanPairs:
    """Return the plan's distinct known pairs; unknown ids and repeats are ``INT`` findings.

    ``sheets``: the plan's sheets.

    Returns pairs and integrity findings.
    """
    rows: dict[PairKey, int] = {}
    findings = []
    for pair in sheets.pairs:
        key = (pair.unit_id, pair.village_id)
        unknown = [
            text
            for text, known in (
                (f"单位 unit {pair.unit_id}", pair.unit_id in problem.unit_index),
                (f"村 village {pair.village_id}", pair.village_id in problem.village_index),
            )
            if not known
        ]
        if unknown:
            findings.append(
                Finding(
                    INTEGRITY,
                    sheets.assignments,
                    pair.row,
                    f"输入中没有{'、'.join(unknown)}",
                    f"the input has no {' and '.join(unknown)}",
                )
            )
        elif key in rows:
            findings.append(
                Finding(
                    INTEGRITY,
                    sheets.assignments,
                    pair.row,
                    f"结对 {key[0]}—{key[1]} 与第{rows[key]}行重复",
                    f"pair {key[0]}-{key[1]} repeats row {rows[key]}",
                )
            )
        else:
            rows[key] = pair.row
    return PlanPairs(rows, tuple(findings))


def hard_rules(facts: Facts, plan: PlanPairs, places: Places, sheet: str) -> list[Finding]:
    """Return every violation of P01-P05 and of the hard variants that are set.

    ``sheet``: the 结对方案 sheet's name.

    Returns the violations, rule by rule.
    """
    return [
        *village_counts(facts.problem, plan, places),
        *unit_counts(facts.problem, plan, places),
        *missing_musts(facts, plan, places),
        *barred_pairs(facts, plan, sheet),
        *village_hard_variants(facts.problem, plan, places),
    ]


def village_counts(problem: Problem, plan: PlanPairs, places: Places) -> list[Finding]:
    """P01: each village has exactly its 需结对单位数 units.

    Returns one per village with another number of units.
    """
    units = plan.of_village()
    found = []
    for village in problem.villages:
        mine = units.get(village.id, [])
        if len(mine) != village.units_required:
            listed = "、".join(mine) or "-"
            found.append(
                Finding(
                    "P01",
                    *places.village(village.id),
                    f"村 {village.id} 有 {len(mine)} 个结对单位（{listed}），应为 {village.units_required} 个",
                    f"village {village.id} has {len(mine)} unit(s) ({listed}); it needs "
                    f"{village.units_required}",
                )
            )
    return found


def unit_counts(problem: Problem, plan: PlanPairs, places: Places) -> list[Finding]:
    """P02: each unit's number of villages lies within [最少村数, 最多村数].

    Returns one per unit outside its bounds.
    """
    villages = plan.of_unit()
    found = []
    for unit in problem.units:
        count = len(villages.get(unit.id, []))
        if not unit.min_villages <= count <= unit.max_villages:
            found.append(
                Finding(
                    "P02",
                    *places.unit(unit.id),
                    f"单位 {unit.id} 结对 {count} 个村，应在 {unit.min_villages}–{unit.max_villages} 之间",
                    f"unit {unit.id} has {count} village(s); it may have "
                    f"{unit.min_villages}-{unit.max_villages}",
                )
            )
    return found


def missing_musts(facts: Facts, plan: PlanPairs, places: Places) -> list[Finding]:
    """P03: every 必须 pair is in the plan.

    Returns one per missing pair, at its 指定 row.
    """
    sheet = places.data.sheet("rules")
    return [
        Finding(
            "P03",
            sheet,
            rule.row,
            f"必须结对的 {pair[0]}—{pair[1]} 不在方案中",
            f"the must pair {pair[0]}-{pair[1]} is not in the plan",
        )
        for pair, rule in facts.must.items()
        if pair not in plan.rows
    ]


def barred_pairs(facts: Facts, plan: PlanPairs, sheet: str) -> list[Finding]:
    """P04 (禁止), P05 (tenure) and P13 (``P13_max_km``): barred pairs are not in the plan.

    ``sheet``: the 结对方案 sheet's name.

    Returns one per barred pair in the plan, at its row.
    """
    found = []
    for pair, row in plan.rows.items():
        rule = facts.barred(pair)
        if rule in ("P04", "P05", "P13"):
            zh, en = _barred_words(facts, pair, rule)
            found.append(Finding(rule, sheet, row, zh, en))
    return found


def _barred_words(facts: Facts, pair: PairKey, rule: str) -> tuple[str, str]:
    name = f"{pair[0]}—{pair[1]}"
    if rule == "P04":
        row = facts.forbid[pair].row
        return (
            f"结对 {name} 被禁止（指定表第{row}行）",
            f"pair {pair[0]}-{pair[1]} is forbidden (rules row {row})",
        )
    if rule == "P05":
        tenure, limit = facts.tenure(pair), facts.problem.settings.max_tenure_years
        return (
            f"结对 {name} 已满 {tenure} 年（上限 {limit} 年），不能延续",
            f"pair {pair[0]}-{pair[1]} has run {tenure} years (limit {limit}); it cannot be renewed",
        )
    km, limit_km = facts.km(pair) or 0.0, facts.problem.settings.max_km
    return (
        f"结对 {name} 路程 {km:.1f} 公里，超过上限 {limit_km} 公里",
        f"pair {pair[0]}-{pair[1]} is {km:.1f} km away, beyond the limit of {limit_km} km",
    )


def village_hard_variants(problem: Problem, plan: PlanPairs, places: Places) -> list[Finding]:
    """P10_hard, P11_hard and P12_min_strength, village by village (when set).

    Returns one per village and violated variant.
    """
    members = plan.of_village()
    found = []
    for village in problem.villages:
        units = [problem.unit(unit_id) for unit_id in members.get(village.id, [])]
        for words in _hard_variant_words(problem, village.id, village.needs, units):
            found.append(Finding(words[0], *places.village(village.id), *words[1:]))
    return found


def _hard_variant_words(
    problem: Problem, village_id: str, needs: frozenset[str], units: list[Unit]
) -> list[tuple[str, str, str]]:
    """Return ``(rule, zh, en)`` for each hard variant a village with ``units`` breaks."""
    settings = problem.settings
    found = []
    uncovered = needs - set().union(*(u.skills for u in units))
    if settings.needs_hard and uncovered:
        words = "、".join(sorted(uncovered))
        found.append(
            (
                "P10",
                f"村 {village_id} 的需求未覆盖：{words}",
                f"village {village_id} has uncovered needs: {words}",
            )
        )
    systems = [u.system for u in units if u.system]
    if settings.systems_hard and len(systems) != len(set(systems)):
        found.append(
            (
                "P11",
                f"村 {village_id} 的单位系统重复",
                f"village {village_id} has units of one system",
            )
        )
    floor = settings.min_strength
    strength = sum(tenths(u.strength) for u in units)
    # The floor in tenths: the fewest whole tenths not below it (models/README.md, P12).
    if floor is not None and strength < math.ceil(round(floor * 10, 6)):
        found.append(
            (
                "P12",
                f"村 {village_id} 帮扶力量 {strength / 10:g}，低于下限 {floor:g}",
                f"village {village_id} has strength {strength / 10:g}, below the floor {floor:g}",
            )
        )
    return found
