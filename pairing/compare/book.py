"""The workbook ``pairing diff -o`` writes: what changed between two plans, sheet by sheet.

Sheets: 概要 summary (files, counts, objective, edited sheets), 结对变化 pair changes (one row per
pair added or removed), 村变化 villages (each village whose units changed, A's and B's), 单位调动
moved units, 指标变化 KPI deltas (KPIs, each rule's points, the objective) and 输入变化 input
changes (settings, then rows added, removed or changed per input sheet). Headers are
``中文 (english_key)`` as in the plan workbook; text is written as text; the file is written
atomically (:func:`pairing.io.output.save_workbook`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook

from pairing.compare.inputs import InputDiff, SheetDiff
from pairing.compare.plans import Delta, PlanDiff
from pairing.domain.plan_schema import KPI_NAMES
from pairing.domain.rules import RULES_BY_ID
from pairing.domain.schema import SETTINGS
from pairing.io.output import save_workbook
from pairing.io.planbook import write_table

Header = tuple[str, str]
Rows = list[list[object]]
A, B = ("方案A", "a"), ("方案B", "b")
SUMMARY: tuple[Header, ...] = (("项目", "item"), ("键", "key"), A, B, ("差", "delta"))
PAIRS: tuple[Header, ...] = (
    ("变化", "change"),
    ("村编号", "village_id"),
    ("村名", "village_name"),
    ("所属镇", "town"),
    ("单位编号", "unit_id"),
    ("单位名称", "unit_name"),
)
VILLAGES: tuple[Header, ...] = (
    ("村编号", "village_id"),
    ("村名", "village_name"),
    ("所属镇", "town"),
    ("方案A单位", "units_a"),
    ("方案B单位", "units_b"),
)
MOVED: tuple[Header, ...] = (
    ("单位编号", "unit_id"),
    ("单位名称", "unit_name"),
    ("原村编号", "from_village_id"),
    ("原村名", "from_village_name"),
    ("新村编号", "to_village_id"),
    ("新村名", "to_village_name"),
)
FIGURES: tuple[Header, ...] = (
    ("类别", "kind"),
    ("键", "key"),
    ("名称", "name"),
    A,
    B,
    ("差", "delta"),
)
INPUTS: tuple[Header, ...] = (
    ("工作表", "sheet"),
    ("变化", "change"),
    ("键", "key"),
    ("列", "column"),
    A,
    B,
    ("方案A行", "row_a"),
    ("方案B行", "row_b"),
)
ADDED, REMOVED, CHANGED = "新增 added", "取消 removed", "修改 changed"


def write_diff(target: Path, diff: PlanDiff) -> None:
    """Write the diff workbook to ``target`` (temporary file, then rename)."""
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "概要 summary"
    write_table(first, SUMMARY, summary_rows(diff))
    sheets: tuple[tuple[str, Sequence[Header], Rows], ...] = (
        ("结对变化 pair_changes", PAIRS, pair_rows(diff)),
        ("村变化 villages", VILLAGES, village_rows(diff)),
        ("单位调动 moved_units", MOVED, moved_rows(diff)),
        ("指标变化 kpi_deltas", FIGURES, figure_rows(diff)),
        ("输入变化 input_changes", INPUTS, input_rows(diff.inputs)),
    )
    for title, headers, rows in sheets:
        write_table(book.create_sheet(title), headers, rows)
    save_workbook(book, target)


def summary_rows(diff: PlanDiff) -> Rows:
    """概要's rows: the files, what each side holds, and how many things changed."""
    a, b = diff.a, diff.b
    sheet_rows = sum(len(s.added) + len(s.removed) + len(s.changed) for s in diff.inputs.sheets)
    rows: Rows = [
        ["文件", "file", a.name, b.name, None],
        ["输入 SHA-256", "input_sha256", a.input_sha256, b.input_sha256, None],
        ["写出后被改动的工作表", "edited_sheets", "、".join(a.edited), "、".join(b.edited), None],
        ["结对数", "pairs", len(a.pairs), len(b.pairs), len(b.pairs) - len(a.pairs)],
        ["村数", "villages", len(a.villages), len(b.villages), len(b.villages) - len(a.villages)],
        ["共同的村", "villages_in_common", diff.common, diff.common, None],
        ["仅此方案有的村", "villages_only", "、".join(diff.only_a), "、".join(diff.only_b), None],
        ["新增结对", "added", None, None, len(diff.added)],
        ["取消结对", "removed", None, None, len(diff.removed)],
        ["调动的单位", "moved", None, None, len(diff.moved)],
        ["单位有变化的村", "villages_changed", None, None, len(diff.villages)],
        ["参数变化", "settings_changed", None, None, len(diff.inputs.settings)],
        ["输入行变化", "input_rows_changed", None, None, sheet_rows],
    ]
    objective = diff.objective
    rows.append(["目标值（分）", "objective", objective.a, objective.b, objective.delta])
    return rows


def pair_rows(diff: PlanDiff) -> Rows:
    """One row per pair removed (A's names), then per pair added (B's names)."""
    rows: Rows = []
    for change, pairs in ((REMOVED, diff.removed), (ADDED, diff.added)):
        for village_id, unit_id in pairs:
            rows.append(
                [
                    change,
                    village_id,
                    *diff.village(village_id),
                    unit_id,
                    diff.unit(unit_id),
                ]
            )
    return rows


def village_rows(diff: PlanDiff) -> Rows:
    """Each village whose units changed, with A's and B's units by id and name."""
    return [
        [
            change.village_id,
            *diff.village(change.village_id),
            "、".join(diff.unit_label(u) for u in change.units_a),
            "、".join(diff.unit_label(u) for u in change.units_b),
        ]
        for change in diff.villages
    ]


def moved_rows(diff: PlanDiff) -> Rows:
    """Each unit that moved, from which village to which."""
    return [
        [
            m.unit_id,
            diff.unit(m.unit_id),
            m.from_village_id,
            diff.village(m.from_village_id)[0],
            m.to_village_id,
            diff.village(m.to_village_id)[0],
        ]
        for m in diff.moved
    ]


def figure_rows(diff: PlanDiff) -> Rows:
    """KPIs, then each rule's points, then the objective: A, B and B − A."""
    rows: Rows = [
        _figure("指标 KPI", key, KPI_NAMES.get(key, key), d) for key, d in diff.kpis.items()
    ]
    for rule, delta in diff.points.items():
        name = RULES_BY_ID[rule].zh if rule in RULES_BY_ID else rule
        rows.append(_figure("分值 points", rule, f"{name}（分）", delta))
    rows.append(_figure("目标 objective", "objective", "目标值（分）", diff.objective))
    return rows


def _figure(kind: str, key: str, name: str, delta: Delta) -> list[object]:
    return [kind, key, name, delta.a, delta.b, delta.delta]


def input_rows(inputs: InputDiff) -> Rows:
    """Settings changed, then each input sheet's rows removed, added and changed."""
    rows: Rows = [
        [
            SETTINGS.title,
            CHANGED,
            s.name,
            "值 (value)",
            _setting(s.a, s.default),
            _setting(s.b, s.default),
            None,
            None,
        ]
        for s in inputs.settings
    ]
    for sheet in inputs.sheets:
        rows += _sheet_rows(sheet)
    return rows


def _setting(value: str | None, default: str) -> str:
    return f"（未填，默认 default {default}）" if value is None else value


def _sheet_rows(sheet: SheetDiff) -> Rows:
    rows: Rows = []
    for r in sheet.removed:
        rows.append(
            [sheet.title, REMOVED, r.key, None, _cells(sheet.headers, r.values), None, r.row, None]
        )
    for r in sheet.added:
        rows.append(
            [sheet.title, ADDED, r.key, None, None, _cells(sheet.headers, r.values), None, r.row]
        )
    for c in sheet.changed:
        for label, value_a, value_b in c.columns:
            header = sheet.headers.get(label, label)
            rows.append([sheet.title, CHANGED, c.key, header, value_a, value_b, c.row_a, c.row_b])
    return rows


def _cells(headers: Mapping[str, str], values: Mapping[str, str]) -> str:
    """A whole row in one cell: ``单位编号 (unit_id)=U109；单位名称 (name)=…`` (blanks left out)."""
    return "；".join(
        f"{headers.get(label, label)}={text}" for label, text in values.items() if text
    )
