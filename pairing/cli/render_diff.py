"""How ``pairing diff`` reads on the console: bilingual headings, ids with their names."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pairing.cli.console import echo
from pairing.compare.inputs import InputDiff, Row, SheetDiff
from pairing.compare.plans import Delta, PlanDiff
from pairing.compare.sides import PlanSide
from pairing.domain.plan_schema import KPI_NAMES
from pairing.domain.rules import RULES_BY_ID

SHOWN = 40  # lines of one list on the console; the workbook (-o) and --json hold them all


def render_diff(diff: PlanDiff) -> None:
    """Print the difference of two plans, section by section (empty sections left out)."""
    a, b = diff.a, diff.b
    echo(f"方案对比 plan diff: {a.name} → {b.name}")
    for side in (a, b):
        if side.edited:
            echo(edited_note(side))
    echo(
        f"结对 pairs: {len(a.pairs)} → {len(b.pairs)}；新增 added {len(diff.added)}，"
        f"取消 removed {len(diff.removed)}；共同的村 villages in common {diff.common}"
    )
    for title, ids in (
        ("仅方案A有的村 only in A", diff.only_a),
        ("仅方案B有的村 only in B", diff.only_b),
    ):
        if ids:
            echo(f"{title}: {'、'.join(diff.village_label(v) for v in ids)}")
    if diff.unchanged:
        echo(
            "两个方案相同：结对、指标与输入都没有变化 / the plans agree: no pair, figure or input differs"
        )
        return
    _pairs(diff)
    _figures("指标变化 KPI deltas", diff.kpis, KPI_NAMES)
    points_names = {r: RULES_BY_ID[r].zh for r in diff.points if r in RULES_BY_ID}
    points_names["objective"] = "目标值（分）"
    _figures(
        "各规则分值 points by rule", {**diff.points, "objective": diff.objective}, points_names
    )
    _inputs(diff.inputs)


def edited_note(side: PlanSide) -> str:
    """The warning for a plan edited after it was written."""
    sheets = "、".join(side.edited[:6])
    return (
        f"注意：{side.name} 写出后被改动过（{sheets}）：按其中现有的结对比较，其指标与分值仍是"
        f"改动前写出的 / note: {side.name} was edited after it was written ({sheets}): compared "
        "by the pairs it now holds; its KPIs and points are as written, before the edit"
    )


def _pairs(diff: PlanDiff) -> None:
    _section(
        "单位调动 moved units",
        [
            f"{diff.unit_label(m.unit_id)}: {diff.village_label(m.from_village_id)} → "
            f"{diff.village_label(m.to_village_id)}"
            for m in diff.moved
        ],
    )
    _section(
        "单位有变化的村 villages whose units changed",
        [
            f"{diff.village_label(c.village_id)}（{diff.village(c.village_id)[1]}）: "
            f"{'、'.join(map(diff.unit_label, c.units_a)) or '无 none'} → "
            f"{'、'.join(map(diff.unit_label, c.units_b)) or '无 none'}"
            for c in diff.villages
        ],
    )
    for title, pairs in (
        ("取消结对 pairs removed", diff.removed),
        ("新增结对 pairs added", diff.added),
    ):
        _section(title, [f"{diff.village_label(v)} — {diff.unit_label(u)}" for v, u in pairs])


def _section(title: str, lines: Iterable[str]) -> None:
    """A heading with its count and up to :data:`SHOWN` lines; nothing for no lines."""
    items = list(lines)
    if not items:
        return
    echo(f"\n{title} ({len(items)}):")
    for line in items[:SHOWN]:
        echo(f"  {line}")
    if len(items) > SHOWN:
        echo(f"  …另有 {len(items) - SHOWN} 项 / {len(items) - SHOWN} more (-o, --json)")


def _figures(title: str, deltas: Mapping[str, Delta], names: Mapping[str, str]) -> None:
    """The figures that differ: ``name key: a → b (±delta)``."""
    _section(
        title,
        [
            f"{names.get(key, '')} {key}: {number(d.a)} → {number(d.b)} ({signed(d.delta)})".strip()
            for key, d in deltas.items()
            if d.delta != 0
        ],
    )


def number(value: float | None) -> str:
    """A figure to 0.01, without trailing zeros; ``—`` when not stated."""
    if value is None:
        return "—"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def signed(value: float | None) -> str:
    """A delta with its sign; ``—`` when a side does not state the figure."""
    if value is None:
        return "—"
    text = number(value)
    return text if text.startswith("-") or text == "0" else f"+{text}"


def _inputs(inputs: InputDiff) -> None:
    lines = [
        f"参数 settings: {s.name}: {_setting(s.a, s.default)} → {_setting(s.b, s.default)}"
        for s in inputs.settings
    ]
    for sheet in inputs.sheets:
        lines += _sheet_lines(sheet)
    _section("输入变化 input changes", lines)
    if not lines:
        same = "两个方案求解自同一个输入文件" if inputs.same_file else "输入副本相同"
        same_en = "both plans were solved from the same input file" if inputs.same_file else ""
        echo(f"\n输入变化 input changes: 无 none（{same} / {same_en or 'the input copies agree'}）")


def _setting(value: str | None, default: str) -> str:
    return f"{default or '空 blank'}（默认 default）" if value is None else value or "空 blank"


def _sheet_lines(sheet: SheetDiff) -> list[str]:
    """One line per row removed, added or changed (a changed row lists its cells)."""
    lines = [
        f"{sheet.title}: 取消 removed {_row(r)}（方案A第{r.row}行 row {r.row}）"
        for r in sheet.removed
    ]
    lines += [
        f"{sheet.title}: 新增 added {_row(r)}（方案B第{r.row}行 row {r.row}）" for r in sheet.added
    ]
    for change in sheet.changed:
        cells = "；".join(
            f"{sheet.headers.get(label, label)} {a or '空'} → {b or '空'}"
            for label, a, b in change.columns
        )
        lines.append(f"{sheet.title}: 修改 changed {change.key}: {cells}")
    return lines


def _row(row: Row) -> str:
    """A row added or removed: its key, with its name when the sheet has one."""
    name = row.values.get("name", "")
    return f"{row.key} {name}" if name and row.key != name else row.key
