"""The verifier's report, in the style of timetabling-competition validators.

First every violation by rule id with its sheet, row and one sentence (Chinese / English);
then the number of violations of each hard rule; then the cost of each soft rule, recomputed
against reported; then the total and the verdict. ``as_json`` gives the same as data.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from pairing.domain.plan_schema import ASSIGNMENTS
from pairing.domain.rules import RULES_BY_ID
from pairing.verify.report.findings import (
    EDITED,
    HAND_EDIT_EN,
    HAND_EDIT_ZH,
    OWN_RULES,
    Finding,
    TermCost,
    same_points,
)


@dataclass(frozen=True, slots=True)
class Report:
    """What ``pairing verify`` found.

    - ``plan``: the plan workbook's name.
    - ``source``: where the input came from (the plan's copies, or the ``--input`` path).
    - ``checked``: the rule ids judged.
    - ``findings``: violations and mismatches, in the order found.
    - ``costs``: recomputed vs reported points of each soft rule.
    - ``total``: recomputed total points.
    - ``objective``: the plan's objective (``None`` when missing).
    - ``events``: events on the schedule sheet (``None`` without one).
    - ``horizon``: the schedule's dates, as judged (``""`` without a schedule).
    """

    plan: str
    source: str
    checked: tuple[str, ...]
    findings: tuple[Finding, ...]
    costs: tuple[TermCost, ...]
    total: float
    objective: float | None
    events: int | None
    horizon: str = ""

    @property
    def hand_edited(self) -> bool:
        """Whether 结对方案's cells differ from its seal: pairs were changed by hand."""
        return any(f.rule == EDITED and f.sheet == ASSIGNMENTS.title for f in self.findings)

    @property
    def valid(self) -> bool:
        """Return whether nothing was found."""
        return not self.findings

    def counts(self) -> Counter[str]:
        """Return the number of findings per rule id.

        Returns rule id -> findings.
        """
        return Counter(finding.rule for finding in self.findings)


def rule_name(rule: str) -> str:
    """Return a rule's Chinese name (the catalogue's, or the verifier's own).

    ``rule``: a rule id.

    Returns its name.
    """
    if rule in RULES_BY_ID:
        return RULES_BY_ID[rule].zh
    return OWN_RULES.get(rule, (rule, ""))[0]


def _pad(text: str, width: int) -> str:
    shown = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return text + " " * max(1, width - shown)


def render(report: Report) -> str:
    """Return the report as text for a terminal.

    ``report``: the report.

    Returns lines of text.
    """
    lines = [
        f"pairing verify: {report.plan}  (输入 input: {report.source})",
        f"检查规则 rules checked: {' '.join(report.checked)}",
    ]
    if report.events is not None:
        lines.append(f"活动日程 schedule: {report.events} 个活动 events, {report.horizon}")
    lines += ["", f"违反与不符 violations and mismatches: {len(report.findings)}"]
    lines += [f"  [{f.rule}] {f.location()}: {f.zh} / {f.en}" for f in report.findings]
    counts = report.counts()
    lines += ["", "规则 rule                          违反 violations"]
    for rule in (*report.checked, *sorted(set(counts) - set(report.checked))):
        lines.append(f"  {_pad(f'{rule} {rule_name(rule)}', 32)} {counts.get(rule, 0)}")
    lines += ["", "软规则 soft rule                 重算 recomputed   方案 reported"]
    for cost in report.costs:
        mark = "ok" if cost.agrees else "≠"
        lines.append(
            f"  {_pad(f'{cost.rule} {rule_name(cost.rule)}', 28)}"
            f"{cost.recomputed:14.2f}{cost.reported:16.2f}   {mark}"
        )
    lines.append(_total_line(report))
    lines += ["", _verdict(report)]
    return "\n".join(lines)


def _total_line(report: Report) -> str:
    reported = report.objective
    shown = "-" if reported is None else f"{reported:16.2f}"
    mark = "ok" if reported is not None and same_points(reported, report.total) else "≠"
    return f"  {_pad('合计 total (objective)', 28)}{report.total:14.2f}{shown:>16}   {mark}"


def _verdict(report: Report) -> str:
    if report.valid:
        return "结论 verdict: 有效 VALID (0 violations)"
    verdict = f"结论 verdict: 无效 INVALID ({len(report.findings)} violations)"
    if report.hand_edited:
        verdict += f"\n{HAND_EDIT_ZH} / {HAND_EDIT_EN}"
    return verdict


def as_json(report: Report) -> dict[str, Any]:
    """Return the report as JSON-ready data.

    ``report``: the report.

    Returns ``valid``, ``violations``, ``counts``, ``costs``, ``total`` and what was checked.
    """
    return {
        "plan": report.plan,
        "input": report.source,
        "valid": report.valid,
        "hand_edited": report.hand_edited,
        "checked": list(report.checked),
        "events": report.events,
        "horizon": report.horizon,
        "violations": [
            {
                "rule": f.rule,
                "sheet": f.sheet,
                "row": f.row,
                "column": f.column,
                "zh": f.zh,
                "en": f.en,
            }
            for f in report.findings
        ],
        "counts": dict(sorted(report.counts().items())),
        "costs": [
            {
                "rule": c.rule,
                "recomputed": round(c.recomputed, 2),
                "reported": round(c.reported, 2),
                "agrees": c.agrees,
            }
            for c in report.costs
        ],
        "total": {
            "recomputed": round(report.total, 2),
            "reported": report.objective,
            "agrees": report.objective is not None and same_points(report.objective, report.total),
        },
    }
