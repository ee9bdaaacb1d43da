"""What became of each baseline pair (P18), in words: kept, changed or forced; and the new pairs.

A baseline pair is *forced* when the plan could not keep it: its unit was removed or is no
longer on 单位, its village is gone, or a hard rule now bars it (禁止, tenure, 最多村数 0, the
distance cap). Otherwise it is *kept* when the plan has it and *changed* when it does not; only
changed pairs cost P18. The plan workbook's 变更 sheet lists these rows; the verifier derives
them again with code of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from pairing.domain.model import BaselinePair, Problem, UnitChange
from pairing.domain.pairs import PairFacts

ChangeStatus = Literal["kept", "changed", "forced", "new"]
STATUS_WORDS = {"kept": "保留", "changed": "调整", "forced": "被迫调整", "new": "新增"}
IdPair = tuple[str, str]  # (unit id, village id)


@dataclass(frozen=True, slots=True)
class ChangeRow:
    """One row of 变更: a baseline pair (or a new pair) and what became of it."""

    status: ChangeStatus
    village_id: str
    unit_id: str  # the unit now ("" for a removed one); a new pair's unit
    baseline_unit_id: str  # as the baseline wrote it ("" for a new pair)
    reason: str


def baseline_changes(problem: Problem, plan_pairs: Iterable[IdPair]) -> tuple[ChangeRow, ...]:
    """Every baseline pair's fate under the plan ``plan_pairs``, then the plan's new pairs."""
    if not problem.baseline:
        return ()
    chosen = set(plan_pairs)
    facts = PairFacts(problem)
    changes = {c.old_unit_id: c for c in problem.unit_changes}
    rows = [_fate(b, chosen, facts, changes) for b in problem.baseline]
    kept = {(b.unit_id, b.village_id) for b in problem.baseline}
    before = {b.village_id for b in problem.baseline}
    rows += [
        ChangeRow("new", v, u, "", "新结对" if v in before else "新增村（基线中没有）")
        for u, v in sorted(chosen - kept, key=lambda p: (p[1], p[0]))
    ]
    return tuple(rows)


def _fate(
    b: BaselinePair, chosen: set[IdPair], facts: PairFacts, changes: dict[str, UnitChange]
) -> ChangeRow:
    why = _forced(b, facts, changes)
    if why is not None:
        return ChangeRow("forced", b.village_id, b.unit_id, b.baseline_unit_id, why)
    note = _renamed(b, changes)
    if (b.unit_id, b.village_id) in chosen:
        return ChangeRow("kept", b.village_id, b.unit_id, b.baseline_unit_id, note or "保留")
    reason = "可保留而未保留（为满足其他规则或降低总分）" + (f"；{note}" if note else "")
    return ChangeRow("changed", b.village_id, b.unit_id, b.baseline_unit_id, reason)


def _forced(b: BaselinePair, facts: PairFacts, changes: dict[str, UnitChange]) -> str | None:
    """Why the plan could not keep ``b``, or None when it could."""
    problem = facts.problem
    if not b.unit_id:
        change = changes[b.baseline_unit_id]
        return f"单位撤销：{b.baseline_unit_id}（单位变更表第{change.row}行）"
    if b.unit_id not in problem.unit_index:
        return f"单位已不在单位表：{b.unit_id}"
    if b.village_id not in problem.village_index:
        return f"村已不在村表：{b.village_id}"
    pair = (problem.unit_index[b.unit_id], problem.village_index[b.village_id])
    rule = facts.blocked(pair)
    if rule == "P04":
        return f"禁止（指定表第{facts.forbid[pair].row}行）"
    if rule == "P05":
        return (
            f"任期届满（已结对 {facts.tenure(pair)} 年，上限 {problem.settings.max_tenure_years}）"
        )
    if rule == "P02":
        return "单位最多村数为 0"
    if rule == "P13":
        km = facts.distance_km(pair) or 0.0
        return f"超出最远公里（{km:.1f} km > {problem.settings.max_km:g}）"
    return None


def _renamed(b: BaselinePair, changes: dict[str, UnitChange]) -> str:
    """ "单位合并：U050 并入 U051" when 单位变更 carried the pair to another id, else ""."""
    if b.baseline_unit_id == b.unit_id:
        return ""
    change = changes.get(b.baseline_unit_id)
    verb = "并入" if change is not None and change.kind == "merge" else "改为"
    kind = "单位合并" if verb == "并入" else "单位更名"
    return f"{kind}：{b.baseline_unit_id} {verb} {b.unit_id}"


def change_counts(rows: Iterable[ChangeRow]) -> dict[str, int]:
    """How many baseline pairs were kept, changed and forced, and how many pairs are new."""
    counts = dict.fromkeys(STATUS_WORDS, 0)
    for row in rows:
        counts[row.status] += 1
    return counts
