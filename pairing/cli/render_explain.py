"""The words of ``pairing explain``: an :class:`~pairing.solve.explain.Explanation` in lines,
Chinese with English."""

from __future__ import annotations

from pairing.domain.model import Village
from pairing.domain.rules import RULES_BY_ID
from pairing.solve.explain import Alternative, Explanation, Member, Points


def explanation_lines(explained: Explanation) -> list[str]:
    """Every line of the explanation, as ``pairing explain`` prints them."""
    village = isinstance(explained.subject, Village)
    lines = _village_head(explained) if village else _unit_head(explained)
    lines += [_member_line(member, village) for member in explained.pairs]
    if village:
        lines.append(f"方案总分 plan total {explained.total:.2f}")
    if explained.alternatives:
        lines.append("备选 alternatives（强制该对后重新求解 / forced, then re-solved）：")
    lines += [_alternative_line(alternative) for alternative in explained.alternatives]
    return lines


def terms_line(terms: Points) -> str:
    """``P13 路程 1.20；P16 意向 0.50``, or ``0`` for none."""
    return "；".join(f"{rule} {RULES_BY_ID[rule].zh} {points:.2f}" for rule, points in terms) or "0"


def _village_head(explained: Explanation) -> list[str]:
    village = explained.subject
    assert isinstance(village, Village)
    return [
        f"村 {village.id} {village.name}（{village.town}）需求 needs：{'、'.join(sorted(village.needs)) or '-'}",
        f"  村级得分 village terms：{terms_line(explained.terms)}",
    ]


def _unit_head(explained: Explanation) -> list[str]:
    unit = explained.subject
    assert not isinstance(unit, Village)
    return [
        f"单位 {unit.id} {unit.name}（{unit.system}，职能 {'、'.join(sorted(unit.skills)) or '-'}）",
        f"  单位级得分 unit terms：{terms_line(explained.terms)}",
    ]


def _member_line(member: Member, of_village: bool) -> str:
    unit, village = member.unit, member.village
    if of_village:
        head = f"  {unit.id} {unit.name}（{unit.system}，力量 {unit.strength:g}，职能 {'、'.join(sorted(unit.skills))}）："
    else:
        head = f"  → {village.id} {village.name}（{village.town}，需求 {'、'.join(sorted(village.needs))}）："
    return head + terms_line(member.terms)


def _alternative_line(alternative: Alternative) -> str:
    unit, village = alternative.unit, alternative.village
    label = f"  {unit.id} {unit.name} ↔ {village.id} {village.name}"
    bar = alternative.barred_by
    if bar is not None:
        return f"{label}：不可行，被 {bar} {RULES_BY_ID[bar].zh} 排除 / barred by {bar}"
    if alternative.failure is not None:
        return f"{label}：无可行方案 / no feasible plan ({alternative.failure})"
    delta = alternative.delta
    proof = "" if alternative.proven else "（未证明最优 not proven）"
    line = (
        f"{label}：总分 {alternative.objective:.2f}，多 {delta:+.2f} 分 / costs {delta:+.2f} more"
    )
    if alternative.changes:
        rest = delta - alternative.changes * alternative.change_points
        line += (
            f"（其中多变更 {alternative.changes} 对基线结对，P18 每对 {alternative.change_points:g}"
            f" 分；其余 {rest:+.2f} 分 / {alternative.changes} more baseline pair(s) changed, "
            f"rest {rest:+.2f}）"
        )
    return line + proof
