"""The cover workbook's layout (issue 18, ``pairing cover``): sheets, columns, summary keys.

The writer (:mod:`pairing.io.coverbook`) writes these titles and headers ``中文 (english_key)``
in this order; ``pairing verify COVER.xlsx`` finds sheets and columns by the same objects and
re-derives every C and G rule on its own. A cover workbook is told from a plan by its 来源
(provenance) row ``kind = cover``. Layout only: what a value must be is in models/COVER.md.

Input copies are titled ``输入·<sheet title>`` as in a plan (:data:`INPUT_PREFIX`): every input
sheet the cover read (units, villages, members, households, village_members, groups, areas,
settings) plus the plan's 结对方案 as ``输入·结对方案 assignments``.
"""

from __future__ import annotations

from pairing.domain.plan_schema import CHECKS, INPUT_PREFIX, INPUT_SHA256, KEY_VALUE, PROVENANCE
from pairing.domain.schema import Column, Sheet

__all__ = [
    "BASELINE_COVER",
    "BASELINE_SHA256",
    "CHECKS",
    "COVER",
    "COVER_KIND",
    "COVER_SHEETS",
    "GRIDS",
    "INPUT_PREFIX",
    "INPUT_SHA256",
    "PLAN_PAIRS",
    "PLAN_SHA256",
    "PROVENANCE",
    "ROSTER",
    "ROSTER_LEVELS",
    "SUMMARY",
    "SUMMARY_KEYS",
    "TEAMS",
]

COVER_KIND = "cover"  # 来源 row (item 类型, key kind, value cover)
PLAN_COPY = "assignments"  # the plan's 结对方案, copied as 输入·结对方案 assignments
PLAN_SHA256 = "plan_file_sha256"  # 来源 key: the SHA-256 of the plan workbook the cover read
BASELINE_SHA256 = "baseline_cover_sha256"  # 来源 key: of the --baseline cover workbook read


def _sheet(key: str, zh: str, *columns: tuple[str, str]) -> Sheet:
    return Sheet(key, zh, tuple(Column(c[1], c[0]) for c in columns))


COVER = _sheet(
    "cover",
    "包户",
    ("户编号", "household_id"),
    ("村编号", "village_id"),
    ("村名", "village_name"),
    ("户主", "head"),
    ("小组", "group"),
    ("类别", "categories"),
    ("结对小组", "team_id"),
    ("单位队员编号", "unit_member_id"),
    ("单位队员", "unit_member_name"),
    ("单位编号", "unit_id"),
    ("单位名称", "unit_name"),
    ("村党员编号", "village_member_id"),
    ("村党员", "village_member_name"),
    ("理由", "reason"),
)
TEAMS = _sheet(
    "teams",
    "结对小组",
    ("结对小组", "team_id"),
    ("村编号", "village_id"),
    ("村名", "village_name"),
    ("单位队员编号", "unit_member_id"),
    ("单位队员", "unit_member_name"),
    ("单位编号", "unit_id"),
    ("村党员编号", "village_member_id"),
    ("村党员", "village_member_name"),
    ("户数", "households"),
    ("重点户数", "priority_households"),
    ("上限", "capacity"),
)
GRIDS = _sheet(
    "grids",
    "网格",
    ("网格编号", "grid_id"),
    ("村编号", "village_id"),
    ("村名", "village_name"),
    ("小组", "groups"),  # tags joined by 、 ; a split 小组 appears in several grids
    ("户数", "households"),  # the grid's share; a split 小组's shares sum to its 户数
    ("网格长编号", "leader_id"),
    ("网格长", "leader_name"),
    ("网格长小组", "leader_group"),
)
ROSTER = _sheet(
    "roster",
    "责任清单",
    ("村编号", "village_id"),
    ("村名", "village_name"),
    ("层级", "level"),  # one of ROSTER_LEVELS (中文)
    ("对象", "target"),  # the area, the village, the 小组, or the team id
    ("责任人编号", "person_id"),  # unit id / party member id / team id; blank for 包片
    ("责任人", "person"),  # names
    ("说明", "detail"),
)
ROSTER_LEVELS = ("包片", "包村", "包组", "包户")
SUMMARY = _sheet("summary", "指标", *KEY_VALUE)
SUMMARY_KEYS: tuple[tuple[str, str], ...] = (  # 指标 rows (中文, key), in order
    ("求解状态", "status"),  # optimal / feasible
    ("已证明最优", "proven"),
    ("目标值（分）", "objective"),
    ("下界", "bound"),
    ("相对差距", "gap"),
    ("用时秒", "seconds"),
    ("村数", "villages"),
    ("农户数", "households"),
    ("已包户数", "covered"),
    ("结对小组数", "teams"),
    ("每组户数上限", "cover_households_per_team"),
    ("最大小组户数", "max_team_load"),
    ("平均小组户数", "mean_team_load"),
    ("重点户数", "priority_households"),
    ("同组党员户数", "same_group_households"),
    ("网格数", "grids"),
    ("网格户数上限", "grid_max_households"),
    ("最大网格户数", "max_grid_households"),
    ("零党员小组数", "groups_without_member"),
    ("C10 重点户分散（分）", "points_C10"),
    ("C11 同组党员（分）", "points_C11"),
    ("C12 负荷均衡（分）", "points_C12"),
    ("C13 包户延续（分）", "points_C13"),
    ("C14 专长对需求（分）", "points_C14"),
)
PLAN_PAIRS = _sheet(  # the plan's pairs as the cover read them: 输入·结对方案 assignments
    PLAN_COPY,
    "结对方案",
    ("村编号", "village_id"),
    ("村名", "village_name"),
    ("单位编号", "unit_id"),
    ("单位名称", "unit_name"),
)
BASELINE_COVER = _sheet(  # --baseline's 包户 as read (C13), copied as 输入·基线包户 baseline_cover
    "baseline_cover",
    "基线包户",
    ("户编号", "household_id"),
    ("单位队员编号", "unit_member_id"),
    ("村党员编号", "village_member_id"),
)
COVER_SHEETS = (COVER, TEAMS, GRIDS, ROSTER, SUMMARY, CHECKS, PROVENANCE)
