"""村力量 and 指标's chart: each village's strength against its P12 target, typical villages first.

A village's strength is the sum of its units' 帮扶力量; its target is what P12 aims at,
units required × the units' mean strength × the typical boost for a typical village
(models/README.md, P12), to 0.1. The rows put typical villages first and, within each group,
the biggest shortfall first, so that the chart's left end is where a planner looks.
"""

from __future__ import annotations

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.worksheet.worksheet import Worksheet

from pairing.domain import plan_schema as layout
from pairing.domain.model import Problem, Village
from pairing.domain.plan import Plan

Record = dict[str, object]
CHART_ANCHOR = "E2"  # right of 指标's three columns


def target(problem: Problem, village: Village) -> float:
    """Return a village's P12 target strength, to 0.1."""
    boost = problem.settings.typical_boost if village.typical else 1.0
    return round(village.units_required * problem.mean_strength * boost * 10) / 10  # P12's tenths


def strength_rows(problem: Problem, plan: Plan) -> list[Record]:
    """Return 村力量's rows by column key, typical villages first, biggest shortfall first."""
    strength: dict[str, float] = {}
    for pair in plan.pairs:
        unit = problem.unit(pair.unit_id)
        strength[pair.village_id] = strength.get(pair.village_id, 0.0) + unit.strength
    rows: list[tuple[tuple[bool, float, int], Record]] = []
    for order, village in enumerate(problem.villages):
        have, want = strength.get(village.id, 0.0), target(problem, village)
        short = max(0.0, want - have)  # unrounded, as verify recomputes it; shown to 0.1
        record: Record = {
            "village_id": village.id,
            "name": village.name,
            "town": village.town,
            "typical": "是" if village.typical else "否",
            "strength": have,
            "target": want,
            "shortfall": short,
        }
        rows.append(((not village.typical, -short, order), record))
    return [record for _, record in sorted(rows, key=lambda item: item[0])]


def add_strength_chart(summary: Worksheet, data: Worksheet) -> None:
    """Draw on 指标 the bars of each village's strength and the line of its target, read
    from 村力量 (``data``: its header in row 1, one village a row)."""
    villages = data.max_row - 1
    if villages < 1:
        return
    keys = [column.key for column in layout.STRENGTH.columns]
    names = Reference(data, min_col=keys.index("name") + 1, min_row=2, max_row=villages + 1)
    have = keys.index("strength") + 1
    want = keys.index("target") + 1
    bars = BarChart()
    bars.type = "col"
    bars.title = "村帮扶力量与目标（典型村在前） village strength against its target"
    bars.y_axis.title = "帮扶力量 strength"
    bars.add_data(
        Reference(data, min_col=have, min_row=1, max_row=villages + 1), titles_from_data=True
    )
    bars.set_categories(names)
    line = LineChart()
    line.add_data(
        Reference(data, min_col=want, min_row=1, max_row=villages + 1), titles_from_data=True
    )
    line.set_categories(names)
    bars += line
    bars.width, bars.height = max(18, min(60, villages // 2)), 10  # cm
    bars.x_axis.delete = bars.y_axis.delete = False  # openpyxl 3.1 hides axes by default
    if bars.legend is not None:
        bars.legend.position = "b"
    summary.add_chart(bars, CHART_ANCHOR)
