"""The report's charts as inline SVG: bars against targets, coverage, a histogram, a calendar
heatmap and a sorted compliance chart with its threshold. Every text is HTML-escaped."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from html import escape

from pairing.report.model import CalendarDay, NeedCoverage, ReportVillage, UnitCompliance

BAR = "#4472c4"
TARGET = "#c00000"
TYPICAL = "#ed7d31"
MUTED = "#a6a6a6"


def esc(value: object) -> str:
    """HTML-escape any value for text or an attribute."""
    return escape(str(value), quote=True)


def _svg(width: float, height: float, body: Sequence[str], label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="100%" role="img" aria-label="{esc(label)}">' + "".join(body) + "</svg>"
    )


def strength_chart(villages: Sequence[ReportVillage]) -> str:
    """Vertical bars of each village's strength, its target as a red tick; typical first."""
    ordered = sorted(villages, key=lambda v: (not v.typical, v.strength - v.target, v.id))
    top = max([1.0, *(max(v.strength, v.target) for v in ordered)]) * 1.1
    step, left, height = 16.0, 40.0, 220.0
    width = left + step * len(ordered) + 10

    def y(value: float) -> float:
        return float(10 + height * (1 - value / top))

    body = _axis(left, width, height, top, y)
    for i, village in enumerate(ordered):
        x = left + i * step + 2
        colour = TYPICAL if village.typical else BAR
        tip = (
            f"{village.name} ({village.id}) 力量 strength {village.strength:g} / 目标 target "
            f"{village.target:g}"
        )
        body.append(
            f'<rect class="bar" x="{x:.1f}" y="{y(village.strength):.1f}" width="{step - 4:.1f}" '
            f'height="{y(0) - y(village.strength):.1f}" fill="{colour}"><title>{esc(tip)}</title>'
            "</rect>"
            f'<line x1="{x - 1:.1f}" x2="{x + step - 3:.1f}" y1="{y(village.target):.1f}" '
            f'y2="{y(village.target):.1f}" stroke="{TARGET}" stroke-width="2"/>'
            f'<text x="{x + 6:.1f}" y="{height + 16:.1f}" font-size="8" '
            f'transform="rotate(60 {x + 6:.1f} {height + 16:.1f})">{esc(village.name)}</text>'
        )
    return _svg(width, height + 70, body, "村帮扶力量与目标 / village strength against target")


def _axis(
    left: float, width: float, height: float, top: float, y: Callable[[float], float]
) -> list[str]:
    """Horizontal grid lines with their values, for a chart from 0 to ``top``."""
    tick = _nice_step(top / 5)
    body = []
    value = 0.0
    while value <= top:
        body.append(
            f'<line x1="{left}" x2="{width}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'stroke="#e0e0e0"/><text x="{left - 4}" y="{y(value) + 3:.1f}" font-size="9" '
            f'text-anchor="end">{value:g}</text>'
        )
        value += tick
    return body


def _nice_step(raw: float) -> float:
    """1, 2 or 5 times a power of ten, at least ``raw``."""
    if raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    return float(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


def needs_chart(needs: Sequence[NeedCoverage]) -> str:
    """Horizontal bars per need tag: villages asking (grey) and covered (blue)."""
    top = max([1, *(n.needed for n in needs)])
    left, row, span = 90.0, 22.0, 360.0
    body = []
    for i, need in enumerate(needs):
        y = 8 + i * row
        body.append(
            f'<text x="{left - 6}" y="{y + 12}" font-size="11" text-anchor="end">'
            f"{esc(need.tag)}</text>"
            f'<rect x="{left}" y="{y}" width="{span * need.needed / top:.1f}" height="15" '
            f'fill="{MUTED}"/>'
            f'<rect x="{left}" y="{y}" width="{span * need.covered / top:.1f}" height="15" '
            f'fill="{BAR}"><title>{esc(need.tag)}: {need.covered}/{need.needed}</title></rect>'
            f'<text x="{left + span * need.needed / top + 6:.1f}" y="{y + 12}" font-size="10">'
            f"{need.covered}/{need.needed}</text>"
        )
    height = 16 + row * max(1, len(needs))
    return _svg(left + span + 60, height, body, "需求覆盖 / needs coverage")


def distance_chart(distances: Sequence[float]) -> str:
    """A histogram of the pairs' road distances, in bins of a round width."""
    if not distances:
        return "<p>无路程数据 / no distances</p>"
    width_km = _nice_step(max(distances) / 12)
    bins = [0] * (int(max(distances) // width_km) + 1)
    for km in distances:
        bins[int(km // width_km)] += 1
    top = max(bins) * 1.1
    left, height, step = 40.0, 180.0, 36.0
    width = left + step * len(bins) + 10

    def y(value: float) -> float:
        return float(10 + height * (1 - value / top))

    body = _axis(left, width, height, top, y)
    for i, count in enumerate(bins):
        x = left + i * step + 2
        label = f"{i * width_km:g}–{(i + 1) * width_km:g} km"
        body.append(
            f'<rect x="{x}" y="{y(count):.1f}" width="{step - 4}" height="{y(0) - y(count):.1f}" '
            f'fill="{BAR}"><title>{esc(label)}: {count}</title></rect>'
            f'<text x="{x + step / 2 - 2}" y="{height + 24}" font-size="9" text-anchor="middle">'
            f"{i * width_km:g}</text>"
        )
    body.append(
        f'<text x="{width - 10}" y="{height + 40}" font-size="10" text-anchor="end">'
        "公里 km（每格起点 / bin start）</text>"
    )
    return _svg(width, height + 46, body, "路程分布 / distance distribution")


def calendar_chart(days: Sequence[CalendarDay]) -> str:
    """A heatmap of events per day: a column per week, a row per weekday; holidays and
    blackout days shaded with their own colours and outlined."""
    if not days:
        return "<p>无日程 / no schedule</p>"
    first = days[0].date - dt.timedelta(days=days[0].date.weekday())
    top = max([1, *(d.events for d in days)])
    cell, left, head = 13.0, 30.0, 18.0
    body = [
        f'<text x="{left - 4}" y="{head + i * cell + 10}" font-size="9" text-anchor="end">'
        f"{name}</text>"
        for i, name in enumerate("一二三四五六日")
    ]
    for day in days:
        week, weekday = (day.date - first).days // 7, day.date.weekday()
        x, y = left + week * cell, head + weekday * cell
        if day.date.day == 1:
            body.append(f'<text x="{x}" y="{head - 5}" font-size="9">{day.date.month}月</text>')
        body.append(_day_cell(day, x, y, cell, top))
    weeks = (days[-1].date - first).days // 7 + 1
    return _svg(left + weeks * cell + 8, head + 7 * cell + 6, body, "活动日历 / events per day")


def _day_cell(day: CalendarDay, x: float, y: float, cell: float, top: int) -> str:
    """One day's square: blue by events, pink for a holiday, grey hatch for a blackout."""
    shade = day.events / top
    fill = f"rgb({int(235 - 190 * shade)},{int(240 - 150 * shade)},{int(250 - 60 * shade)})"
    stroke = "none"
    notes = [f"{day.date.isoformat()}：{day.events} 项活动 events"]
    if not day.workday and not day.events:
        fill = "#f2f2f2"
    if day.holiday:
        fill, stroke = ("#f8cbad" if not day.events else fill), "#c00000"
        notes.append(f"节假日 holiday {day.holiday}")
    if day.blackout:
        fill, stroke = ("#7f7f7f" if not day.events else fill), "#404040"
        notes.append(f"禁排 blackout {day.blackout}")
    kind = "holiday" if day.holiday else "blackout" if day.blackout else "day"
    return (
        f'<rect class="{kind}" x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" '
        f'fill="{fill}" stroke="{stroke}"><title>{esc("；".join(notes))}</title></rect>'
    )


def compliance_chart(units: Sequence[UnitCompliance], threshold: float) -> str:
    """Horizontal bars of completion by unit, lowest first, with the lagging threshold."""
    ordered = sorted(units, key=lambda u: (u.completion, u.unit_id))
    left, row, span = 190.0, 13.0, 380.0
    body = []
    for i, unit in enumerate(ordered):
        y = 6 + i * row
        colour = TARGET if unit.completion < threshold else BAR
        body.append(
            f'<text x="{left - 4}" y="{y + 9}" font-size="9" text-anchor="end">'
            f"{esc(unit.name)}</text>"
            f'<rect x="{left}" y="{y}" width="{span * min(1.0, unit.completion):.1f}" '
            f'height="{row - 3}" fill="{colour}"><title>{esc(unit.name)} ({esc(unit.unit_id)}) '
            f"{unit.completion:.1%}</title></rect>"
        )
    height = 12 + row * max(1, len(ordered))
    x = left + span * threshold
    body.append(
        f'<line class="threshold" x1="{x:.1f}" x2="{x:.1f}" y1="0" y2="{height}" '
        f'stroke="{TARGET}" stroke-dasharray="4 3" stroke-width="1.5"/>'
        f'<text x="{x + 4:.1f}" y="{height + 12}" font-size="10" fill="{TARGET}">'
        f"落后阈值 threshold {threshold:.0%}</text>"
    )
    return _svg(left + span + 60, height + 18, body, "单位完成率 / completion by unit")
