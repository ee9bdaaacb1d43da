"""Write the audit workbook and render the audit's summary for the terminal."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from openpyxl.workbook.workbook import Workbook

from pairing.audit.compliance import Tally
from pairing.audit.output import save_atomic
from pairing.audit.run import AuditResult
from pairing.audit.workbook import (
    compliance_sheet,
    overview_rows,
    write_table,
)
from pairing.domain.schema import PERIODS

LIST = "、"
PERIOD_WORDS = {choice.value: f"{choice.zh} {choice.en}" for choice in PERIODS}


def named(name: str, identifier: str) -> str:
    """A unit or village as a reader looks it up: ``县医院 (U028)``."""
    return f"{name} ({identifier})" if name else identifier


def by_completion(tally: Tally, identifier: str) -> tuple[bool, float, str]:
    """Sort key: lowest completion first, then by id; a row that owed nothing last."""
    return (not tally.owed, tally.completion if tally.owed else 0.0, identifier)


def _unit_sheet(workbook: Workbook, result: AuditResult) -> None:
    """单位合规, lowest completion first, charted by name against the lagging threshold."""
    problem = result.plan.problem
    villages: dict[str, list[str]] = defaultdict(list)
    for unit_id, village_id in result.plan.pairs:
        villages[unit_id].append(named(problem.village(village_id).name, village_id))
    lagging = {item.unit_id for item in result.lagging}
    tallies = {unit.id: result.by_unit.get(unit.id, Tally()) for unit in problem.units}
    ordered = sorted(problem.units, key=lambda unit: by_completion(tallies[unit.id], unit.id))
    rows = [
        (
            [
                unit.id,
                unit.name,
                LIST.join(villages.get(unit.id, [])),
                "是" if unit.id in lagging else "否",
            ],
            tallies[unit.id],
        )
        for unit in ordered
    ]
    compliance_sheet(
        workbook,
        "单位合规 by_unit",
        (
            ("单位编号", "unit_id"),
            ("单位名称", "name"),
            ("结对村", "villages"),
            ("落后", "lagging"),
        ),
        rows,
        "各单位完成率（低→高，虚线为落后阈值）completion by unit, lowest first; dashed: threshold",
        result.threshold,
    )


def _village_sheet(workbook: Workbook, result: AuditResult) -> None:
    units: dict[str, list[str]] = defaultdict(list)
    for unit_id, village_id in result.plan.pairs:
        units[village_id].append(named(result.plan.problem.unit(unit_id).name, unit_id))
    rows = [
        (
            [v.id, v.name, v.town, LIST.join(units.get(v.id, []))],
            result.by_village.get(v.id, Tally()),
        )
        for v in result.plan.problem.villages
    ]
    compliance_sheet(
        workbook,
        "村合规 by_village",
        (("村编号", "village_id"), ("村名", "name"), ("所属镇", "town"), ("结对单位", "units")),
        rows,
    )


def _obligation_sheet(workbook: Workbook, result: AuditResult) -> None:
    rows = [
        (
            [o.code, o.name, PERIOD_WORDS[o.every], o.times],
            result.by_obligation.get(o.code, Tally()),
        )
        for o in result.plan.problem.obligations
    ]
    compliance_sheet(
        workbook,
        "活动合规 by_obligation",
        (("代码", "code"), ("名称", "name"), ("周期", "every"), ("次数", "times")),
        rows,
        "各活动完成率 completion by obligation",
    )


def _month_sheet(workbook: Workbook, result: AuditResult) -> None:
    compliance_sheet(
        workbook,
        "月度合规 by_month",
        (("月份", "month"),),
        (([month], tally) for month, tally in result.by_month.items()),
        "各月完成率 completion by month",
    )


def _lagging_sheet(workbook: Workbook, result: AuditResult) -> None:
    problem = result.plan.problem
    write_table(
        workbook.create_sheet("落后单位 lagging"),
        (
            ("排名", "rank"),
            ("单位编号", "unit_id"),
            ("单位名称", "name"),
            ("完成率", "completion"),
            ("应报", "owed"),
            ("缺报", "missing"),
            ("缺项", "missed"),
        ),
        (
            [
                item.rank,
                item.unit_id,
                problem.unit(item.unit_id).name,
                round(item.tally.completion, 4),
                item.tally.owed,
                item.tally.missing,
                item.missed_words(),
            ]
            for item in result.lagging
        ),
    )


def _missing_sheet(workbook: Workbook, result: AuditResult) -> None:
    write_table(
        workbook.create_sheet("缺报明细 missing"),
        (
            ("单位编号", "unit_id"),
            ("村编号", "village_id"),
            ("活动代码", "obligation"),
            ("周期", "period"),
            ("开始", "first"),
            ("结束", "last"),
            ("应报", "owed"),
            ("已报", "recorded"),
            ("缺报", "missing"),
        ),
        (
            [
                r.slot.unit_id,
                r.slot.village_id,
                r.slot.code,
                r.slot.label,
                r.slot.first,
                r.slot.last,
                r.slot.owed,
                r.tally.fulfilled,
                r.tally.missing,
            ]
            for r in result.missing
        ),
    )


def _unmatched_sheet(workbook: Workbook, result: AuditResult) -> None:
    write_table(
        workbook.create_sheet("未匹配 unmatched"),
        (
            ("台账行", "ledger_row"),
            ("单位编号", "unit_id"),
            ("村编号", "village_id"),
            ("活动", "activity"),
            ("日期", "date"),
            ("状态", "status"),
            ("原因", "reason_zh"),
            ("reason", "reason_en"),
        ),
        (
            [
                u.entry.row,
                u.entry.unit_id,
                u.entry.village_id,
                u.entry.activity,
                u.entry.date or u.entry.date_text,
                u.entry.status_text,
                u.zh,
                u.en,
            ]
            for u in result.unmatched
        ),
    )


def write_audit(result: AuditResult, target: Path) -> None:
    """Write the audit workbook to ``target`` atomically.

    Parameters
    ----------
    result
        The audit.
    target
        The ``.xlsx`` to write.
    """
    workbook = Workbook()
    overview = workbook.active
    assert overview is not None
    overview.title = "概览 overview"
    write_table(overview, (("项目", "item"), ("键", "key"), ("值", "value")), overview_rows(result))
    for write in (
        _unit_sheet,
        _village_sheet,
        _obligation_sheet,
        _month_sheet,
        _lagging_sheet,
        _missing_sheet,
        _unmatched_sheet,
    ):
        write(workbook, result)
    save_atomic(workbook, target)


def render(result: AuditResult, target: Path | None = None) -> str:
    """Return the audit's summary for the terminal.

    Parameters
    ----------
    result
        The audit.
    target
        The workbook written, if any.

    Returns
    -------
    str
        Lines of text: totals, lagging units ranked, unmatched rows.
    """
    total = result.total
    lines = [
        f"pairing audit: {result.plan.name} × {result.ledger}  审计日期 as of {result.as_of}",
        f"  应报 owed {total.owed}  完成 fulfilled {total.fulfilled} ({total.completion:.1%})  "
        f"逾期 late {total.late}  补报 filed late {total.filed_late}  缺报 missing {total.missing}",
        f"  台账 {result.rows} 行 rows; 未到期 not yet due {result.pending}; "
        f"未匹配 unmatched {len(result.unmatched)}",
        f"落后单位 lagging units (< {result.threshold:.0%}): {len(result.lagging)}",
    ]
    problem = result.plan.problem
    for item in result.lagging:
        lines.append(
            f"  {item.rank:>3}. {item.unit_id} {problem.unit(item.unit_id).name}  "
            f"{item.tally.completion:.1%}  缺 missing {item.tally.missing}: {item.missed_words()[:160]}"
        )
    for u in result.unmatched:
        lines.append(f"  未匹配 unmatched 第{u.entry.row}行 row {u.entry.row}: {u.zh} / {u.en}")
    if target is not None:
        lines.append(f"→ {target}")
    return "\n".join(lines)
