"""The plan workbook's layout as data: its sheets, their columns and the keys of its key/value
sheets, as DESIGN.md's "The plan workbook (output)" lays them out.

The writer (:mod:`pairing.io.planbook`, :mod:`pairing.io.schedule_sheets`) writes these titles
and headers ``中文 (english_key)`` in this order; the plan's reader (:func:`pairing.io.planbook.
read_plan`) and the verifier (:mod:`pairing.verify.reading`, :mod:`pairing.verify.integrity`)
find sheets and columns by the same :class:`~pairing.domain.schema.Sheet` objects, so a new
column is added here once and both sides see it.

This is layout, not rules: where a cell is and what it is called, never what its value must
be. The verifier sharing it keeps its independence, as sharing the input contract
(:mod:`pairing.domain.schema`) does: a cell written under the wrong header is still judged by
the verifier's own re-derivation of its value. Which columns a reader cannot do without is the
reader's call (:func:`requiring`), so the contract marks none required.
"""

from __future__ import annotations

import dataclasses

from pairing.domain.schema import Column, Kind, Sheet

INPUT_PREFIX = "输入·"  # the plan's copy of an input sheet is titled 输入·<sheet title>
PAIR_RULES = ("P13", "P14", "P17")  # the soft terms a 结对方案 row states
VILLAGE_RULES = ("P10", "P11", "P12")  # ... a 村视图 row states
UNIT_RULES = ("P14", "P15", "P16", "P17", "P18")  # ... a 单位视图 row states
POINTS_PREFIX = "points_"  # 指标 key of a rule's total: points_P13
OBJECTIVE = "objective"
INPUT_SHA256 = "input_sha256"  # 来源 key of the input file's SHA-256


def _sheet(key: str, zh: str, *columns: tuple[str, str] | Column) -> Sheet:
    """A plan sheet from ``(中文, key)`` pairs (or full columns where a reader needs more)."""
    built = tuple(c if isinstance(c, Column) else Column(c[1], c[0]) for c in columns)
    return Sheet(key, zh, built)


def _typed(zh: str, key: str, kind: Kind, width: int, *aliases: str) -> Column:
    return Column(key, zh, kind, width=width, aliases=aliases)


ASSIGNMENTS = _sheet(
    "assignments",
    "结对方案",
    ("村编号", "village_id"),
    ("村名", "village_name"),
    ("所属镇", "town"),
    ("单位编号", "unit_id"),
    ("单位名称", "unit_name"),
    ("系统", "system"),
    ("帮扶力量", "strength"),
    ("路程公里", "distance_km"),
    ("延续", "continued"),
    ("起始年", "since_year"),
    ("锁定", "locked"),
    ("P13 路程分", "P13"),
    ("P14 延续分", "P14"),
    ("P17 评分分", "P17"),
    ("本对得分", "pair_points"),
    ("理由", "reason"),
)
BY_VILLAGE = _sheet(
    "by_village",
    "村视图",
    ("村编号", "village_id"),
    ("村名", "name"),
    ("所属镇", "town"),
    ("典型村", "typical"),
    ("结对单位", "units"),
    ("短板需求", "needs"),
    ("未覆盖需求", "uncovered"),
    ("系统", "systems"),
    ("帮扶力量", "strength"),
    ("P10 需求分", "P10"),
    ("P11 系统分", "P11"),
    ("P12 力量分", "P12"),
)
BY_UNIT = _sheet(
    "by_unit",
    "单位视图",
    ("单位编号", "unit_id"),
    ("单位名称", "name"),
    ("系统", "system"),
    ("村数", "villages"),
    ("结对村", "village_ids"),
    ("镇", "towns"),
    ("P14 未延续分", "P14"),
    ("P15 跨镇分", "P15"),
    ("P16 意向分", "P16"),
    ("P17 评分分", "P17"),
    ("P18 变更分", "P18"),
)
ARRANGEMENT_KEY, ARRANGEMENT_ZH = "arrangement", "结对安排表"
ARRANGEMENT_TITLE = f"{ARRANGEMENT_ZH} {ARRANGEMENT_KEY}"  # the sheet the 组织部 issues: first
ARRANGEMENT_HEADER_ROW = 2  # row 1 holds the title (setting 标题 title)
UNIT_COLUMN_PREFIX = "unit_"  # 结对单位1 (unit_1) .. 结对单位k (unit_k)


def arrangement(units: int) -> Sheet:
    """结对安排表's layout for villages of at most ``units`` units (one column per unit).

    One row per village, grouped by town: 序号, town, village, typical, the units by name, 延续
    or 新结对, and a note on locked pairs.
    """
    return _sheet(
        ARRANGEMENT_KEY,
        ARRANGEMENT_ZH,
        ("序号", "no"),
        ("镇（街道）", "town"),
        ("村", "village"),
        ("典型村", "typical"),
        *((f"结对单位{i}", f"{UNIT_COLUMN_PREFIX}{i}") for i in range(1, units + 1)),
        ("延续/新结对", "continuity"),
        ("备注", "note"),
    )


ARRANGEMENT = arrangement(2)  # the title and fixed columns; the unit columns follow the input
KEY_VALUE: tuple[tuple[str, str], ...] = (("指标", "name"), ("键", "key"), ("值", "value"))
SUMMARY = _sheet("summary", "指标", *KEY_VALUE)
STRENGTH = _sheet(  # the data of 指标's chart: typical villages first, biggest shortfall first
    "strength",
    "村力量",
    ("村编号", "village_id"),
    ("村名", "name"),
    ("所属镇", "town"),
    ("典型村", "typical"),
    ("帮扶力量", "strength"),
    ("力量目标", "target"),
    ("差额", "shortfall"),
)
CHECKS = _sheet(
    "checks",
    "校验",
    ("规则", "rule"),
    ("名称", "name"),
    ("类型", "kind"),
    ("结果", "result"),
    ("说明", "detail"),
)
CHANGES = _sheet(
    "changes",
    "变更",
    ("状态", "status"),
    ("村编号", "village_id"),
    ("村名", "village_name"),
    ("单位编号", "unit_id"),
    ("单位名称", "unit_name"),
    ("基线单位编号", "baseline_unit_id"),
    ("原因", "reason"),
    ("P18 分", "P18"),
)
"""With a baseline: every baseline pair as kept / changed / forced, then the new pairs."""
PROVENANCE = _sheet(
    "provenance",
    "来源",
    ("项目", "item"),
    ("键", "key"),
    ("值", "value"),
    ("列摘要", "columns"),
    ("行摘要", "rows"),
)
SCHEDULE = _sheet(
    "schedule",
    "活动日程",
    _typed("日期", "date", "date", 12),
    _typed("星期", "weekday", "text", 8),
    _typed("单位编号", "unit_id", "id", 12),
    _typed("单位名称", "unit_name", "text", 28),
    _typed("村编号", "village_id", "id", 12),
    _typed("村名", "village_name", "text", 14),
    _typed("活动代码", "obligation", "id", 10, "code", "活动"),
    _typed("活动名称", "obligation_name", "text", 16),
    _typed("人员", "people", "tags", 28),
    _typed("联合", "joint_with", "tags", 16),
    _typed("暂定", "provisional", "bool", 8),
)
SCHEDULE_BY_UNIT_TITLE = "日程汇总 schedule_by_unit"  # its columns follow the obligations
SCHEDULE_FACTS = _sheet("schedule_summary", "日程指标", *KEY_VALUE)
PLAN_SHEETS = (
    ARRANGEMENT,
    ASSIGNMENTS,
    BY_VILLAGE,
    BY_UNIT,
    SUMMARY,
    STRENGTH,
    CHECKS,
    PROVENANCE,
)

SOLVER_FACTS: tuple[tuple[str, str], ...] = (  # 指标's auditor section, (中文, key), in order
    ("求解状态", "status"),
    ("已证明最优", "proven"),
    ("目标值（分）", OBJECTIVE),
    ("下界", "bound"),
    ("下界来源", "bound_method"),
    ("相对差距", "gap"),
    ("用时秒", "seconds"),
    ("被中断", "interrupted"),
    ("候选受限", "restricted"),
    ("首个方案秒", "first_plan_s"),
    ("差距≤1%秒", "gap1_s"),
    ("候选对数", "candidates"),
    ("线程数", "workers"),
    ("随机种子", "seed"),
)
# 指标's rows after the KPIs in a plan re-costed from a hand edit (``pairing rescore``): the
# solver's plan it was edited from, and what the edit costs against it.
EDIT_FACTS: tuple[tuple[str, str], ...] = (
    ("原方案目标值（分）", "original_objective"),
    ("原方案下界", "original_bound"),
    ("原方案已证明最优", "original_proven"),
    ("手工调整多花（分）", "edit_cost_points"),
    ("手工调整多花%", "edit_cost_pct"),
)
RESCORED_FROM = "rescored_from"  # 来源 key: the hand-edited workbook's file name
RESCORED_FROM_SHA256 = "rescored_from_sha256"  # ... and its SHA-256
KPI_NAMES = {  # 指标's KPI rows: key -> 中文
    "needs_covered_pct": "需求覆盖率%",
    "mean_km": "平均路程公里",
    "max_km": "最远路程公里",
    "continued_pct": "延续结对%",
    "good_pairs_kept_pct": "好/中结对保留%",
    "weakest_village_strength": "最弱村帮扶力量",
    "mean_village_strength": "平均村帮扶力量",
    "weakest_typical_strength": "最弱典型村力量",
    "mean_typical_strength": "典型村平均力量",
    "mean_systems_per_village": "每村平均系统数",
    "pairs": "结对数",
    "baseline_kept": "基线结对保留数",
    "baseline_changed": "基线结对变更数（P18 计分）",
    "baseline_forced": "基线结对被迫调整数（不计分）",
    "baseline_new": "新增结对数",
    "stability_weight": "P18 每对变更分",
    "stability_lexicographic": "P18 先求最少变更（1 = 是）",
    "villages_without_coordinates": "无坐标村数",
    "units_without_coordinates": "无坐标单位数（有县城坐标时按县城计）",
    "pairs_without_distance": "无路程结对数（按 0 公里计）",
}


def headers(sheet: Sheet) -> tuple[tuple[str, str], ...]:
    """Return a sheet's ``(中文, english_key)`` pairs in the order the writer writes them."""
    return tuple((column.zh, column.key) for column in sheet.columns)


def requiring(sheet: Sheet, *keys: str) -> Sheet:
    """Return ``sheet`` with the columns ``keys`` required: the header row is the first that
    names all of them. Each reader says what it cannot read without; the layout stays one."""
    columns = tuple(
        dataclasses.replace(column, required=column.key in keys) for column in sheet.columns
    )
    return dataclasses.replace(sheet, columns=columns)
