"""The workbook ``pairing sweep`` writes: scenarios side by side, their pairs, a trade-off chart.

Sheets: 方案对比 scenarios (one row per scenario: settings, status, objective, bound, gap,
every KPI, pairs changed against the first scenario, non-dominated), 各方案结对 assignments
(one long table: scenario, village, unit, km, continued) and 权衡图 chart (a native Excel
scatter chart of two KPIs, the non-dominated scenarios as their own series). Written
atomically (:func:`pairing.io.output.save_workbook`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import Reference, ScatterChart, Series
from openpyxl.worksheet.worksheet import Worksheet

from pairing.domain.plan import Plan
from pairing.io.output import save_workbook, xml_text

KPI_NAMES: dict[str, str] = {
    "needs_covered_pct": "需求覆盖% needs covered",
    "mean_km": "平均路程km mean km",
    "max_km": "最远路程km max km",
    "continued_pct": "延续% continued",
    "good_pairs_kept_pct": "好结对保留% good pairs kept",
    "weakest_village_strength": "最弱村力量 weakest village",
    "mean_village_strength": "平均村力量 mean village strength",
    "weakest_typical_strength": "最弱典型村力量 weakest typical",
    "mean_typical_strength": "平均典型村力量 mean typical",
    "mean_systems_per_village": "每村系统数 systems per village",
}


@dataclass(frozen=True, slots=True)
class SweepRow:
    """One scenario's outcome.

    Attributes
    ----------
    name, settings
        The scenario's name and its overrides as written (``P13=2; P10_hard=是``).
    plan
        Its plan, or None when it has none (``note`` says why).
    changed
        Pairs of the first scenario's plan that this plan drops (None without a plan).
    front
        Non-dominated on the chart's two KPIs.
    seconds
        Wall seconds of its solve.
    """

    name: str
    settings: str
    plan: Plan | None
    note: str
    changed: int | None
    front: bool
    seconds: float


HEAD = (
    "方案 scenario",
    "设置 settings",
    "状态 status",
    "已证明 proven",
    "目标 objective",
    "下界 bound",
    "差距 gap",
)
TAIL = ("较首方案变动对数 pairs changed vs first", "非劣 non-dominated", "秒 seconds", "说明 note")


def write_sweep(target: Path, rows: Sequence[SweepRow], x_kpi: str, y_kpi: str) -> None:
    """Write the sweep workbook to ``target`` (temp file + rename)."""
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "方案对比 scenarios"
    _summary(summary, rows)
    _assignments(book.create_sheet("各方案结对 assignments"), rows)
    _chart(book.create_sheet("权衡图 chart"), rows, x_kpi, y_kpi)
    save_workbook(book, target)


def _summary(sheet: Worksheet, rows: Sequence[SweepRow]) -> None:
    sheet.append([*HEAD, *KPI_NAMES.values(), *TAIL])
    for row in rows:
        plan = row.plan
        facts = plan.facts if plan is not None else None
        head: list[object] = [
            row.name,
            row.settings,
            facts.status if facts else "无方案 no plan",
            ("是" if facts.proven else "否") if facts else "",
            round(facts.objective, 4) if facts else None,
            round(facts.bound, 4) if facts and facts.bound is not None else None,
            round(facts.gap, 6) if facts and facts.gap is not None else None,
        ]
        kpis = [plan.kpis.get(key) if plan else None for key in KPI_NAMES]
        tail = [row.changed, "是" if row.front else "否", row.seconds, row.note]
        _put(sheet, [*head, *kpis, *tail])
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 36


def _assignments(sheet: Worksheet, rows: Sequence[SweepRow]) -> None:
    sheet.append(
        ["方案 scenario", "村编号 village_id", "单位编号 unit_id", "路程km km", "延续 continued"]
    )
    for row in rows:
        if row.plan is None:
            continue
        for pair in sorted(row.plan.pairs, key=lambda p: (p.village_id, p.unit_id)):
            values = (
                row.name,
                pair.village_id,
                pair.unit_id,
                pair.distance_km,
                "是" if pair.continued else "否",
            )
            _put(sheet, values)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def _chart(sheet: Worksheet, rows: Sequence[SweepRow], x_kpi: str, y_kpi: str) -> None:
    """The two KPIs of every scenario with a plan, then a chart of them in two series."""
    x_name, y_name = KPI_NAMES[x_kpi], KPI_NAMES[y_kpi]
    sheet.append(["方案 scenario", x_name, y_name, "非劣 non-dominated"])
    plotted = [row for row in rows if row.plan is not None]
    ordered = [r for r in plotted if not r.front] + [r for r in plotted if r.front]
    for row in ordered:
        assert row.plan is not None
        values = (row.name, row.plan.kpis.get(x_kpi), row.plan.kpis.get(y_kpi))
        _put(sheet, (*values, "是" if row.front else "否"))
    chart = ScatterChart()
    chart.title = f"{y_name} 对 {x_name}"
    chart.style = 13
    chart.x_axis.title = x_name
    chart.y_axis.title = y_name
    others = len(ordered) - sum(r.front for r in ordered)
    for label, first, last in (
        ("其他方案 dominated", 2, 1 + others),
        ("非劣方案 non-dominated", 2 + others, 1 + len(ordered)),
    ):
        if last < first:
            continue
        xs = Reference(sheet, min_col=2, min_row=first, max_row=last)
        ys = Reference(sheet, min_col=3, min_row=first, max_row=last)
        series = Series(ys, xs, title=label)
        series.marker.symbol = "diamond" if "non" in label else "circle"
        series.marker.size = 9
        series.graphicalProperties.line.noFill = True
        chart.series.append(series)
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.width, chart.height = 20, 12
    sheet.add_chart(chart, "F2")
    sheet.column_dimensions["A"].width = 28


def _put(sheet: Worksheet, values: Sequence[object]) -> None:
    """Append one row, text made safe for xlsx."""
    sheet.append([xml_text(v) if isinstance(v, str) else v for v in values])
