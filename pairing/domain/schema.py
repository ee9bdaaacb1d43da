"""The workbook contract of DESIGN.md as data: sheets, columns, enums and setting keys.

The reader, the template, the plan writer and the verifier all take names from here, so the
contract is written down once. Every name has a Chinese and an English form; a header
``中文 (english)`` matches either.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pairing.domain.cells import name_key

Kind = Literal["text", "id", "int", "float", "tags", "bool", "date", "enum"]


@dataclass(frozen=True, slots=True)
class Choice:
    """One allowed value of an enum column: stored as ``value``, typed as zh or en."""

    value: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()

    def keys(self) -> set[str]:
        """Return every spelling that reads as this choice."""
        return {name_key(s) for s in (self.value, self.zh, self.en, *self.aliases)}

    @property
    def label(self) -> str:
        """Return the bilingual label used in dropdowns: ``必须 must``."""
        return f"{self.zh} {self.en}"


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a sheet."""

    key: str
    zh: str
    kind: Kind = "text"
    required: bool = False
    note: str = ""
    choices: tuple[Choice, ...] = ()
    aliases: tuple[str, ...] = ()
    width: int = 14

    @property
    def header(self) -> str:
        """Return the header as written in outputs: ``中文 (english_key)``."""
        return f"{self.zh} ({self.key})"

    def keys(self) -> set[str]:
        """Return every spelling that matches this column."""
        return {name_key(s) for s in (self.key, self.zh, *self.aliases)}


@dataclass(frozen=True, slots=True)
class Sheet:
    """One sheet of the input workbook."""

    key: str
    zh: str
    columns: tuple[Column, ...]
    required: bool = False
    note: str = ""
    aliases: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        """Return the sheet title used in outputs and messages: ``单位 units``."""
        return f"{self.zh} {self.key}"

    def keys(self) -> set[str]:
        """Return every spelling that names this sheet."""
        return {name_key(s) for s in (self.key, self.zh, self.title, *self.aliases)}

    def column(self, key: str) -> Column:
        """Return the column with English key ``key``."""
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)


YES_NO = (
    Choice("是", "是", "yes", ("y", "true", "1")),
    Choice("否", "否", "no", ("n", "false", "0")),
)
RULE_VERBS = (
    Choice("must", "必须", "must", ("锁定", "自选")),
    Choice("forbid", "禁止", "forbid", ("回避",)),
    Choice("prefer", "意向", "prefer", ("优先",)),
)
RATINGS = (
    Choice("好", "好", "good", ("优", "优秀")),
    Choice("中", "中", "fair", ("一般", "合格")),
    Choice("差", "差", "poor", ("不合格",)),
)
PERIODS = (
    Choice("week", "周", "week", ("每周", "weekly")),
    Choice("month", "月", "month", ("每月", "monthly")),
    Choice("quarter", "季", "quarter", ("季度", "每季度", "quarterly")),
    Choice("year", "年", "year", ("每年", "yearly", "annual")),
)
DAY_TYPES = (
    Choice("workday", "工作日", "workday"),
    Choice("weekend", "周末", "weekend", ("休息日",)),
    Choice("any", "不限", "any"),
)
HOLIDAY_POLICIES = (
    Choice("avoid", "避开", "avoid", ("顺延", "skip")),
    Choice("allow", "允许", "allow"),
)
WHO = (Choice("unit", "单位", "unit"), Choice("leader", "组长", "leader"))
HOLIDAY_KINDS = (
    Choice("holiday", "休", "holiday", ("假日", "节假日", "休息")),
    Choice("workday", "班", "workday", ("上班", "调休上班", "补班")),
)
ROLES = (Choice("leader", "组长", "leader", ("队长",)), Choice("member", "队员", "member"))
LEDGER_STATUS = (
    Choice("done", "已完成", "done", ("完成",)),
    Choice("late", "逾期", "late"),
    Choice("filed_late", "补报", "filed late", ("filed_late",)),
)

UNITS = Sheet(
    "units",
    "单位",
    (
        Column(
            "unit_id",
            "单位编号",
            "id",
            True,
            "唯一编号，如 U001 / unique id, e.g. U001",
            aliases=("编号",),
        ),
        Column(
            "name",
            "单位名称",
            "text",
            True,
            "如 高州市林业局 / e.g. 高州市林业局",
            aliases=("单位", "名称", "unit_name"),
            width=26,
        ),
        Column(
            "system",
            "系统",
            "text",
            note="党委部门、政府部门、事业单位、国企… / the unit's "
            "system; a village's units should differ",
            aliases=("类别", "系统/类别", "unit_category"),
        ),
        Column(
            "strength",
            "帮扶力量",
            "float",
            note="帮扶能力，数字 1-5 或 强/中/弱 / helping strength, 1-5 (or 强/中/弱 = 3/2/1)",
            aliases=("帮扶能力等级", "capacity_tier"),
        ),
        Column(
            "party_members",
            "在职党员数",
            "int",
            note="人数 / number of in-post party members",
            aliases=("党员数", "active_party_members"),
        ),
        Column(
            "skills",
            "职能优势",
            "tags",
            note="标签，用、分隔，如 产业、电商、法律 / tags separated by 、, e.g. 产业、电商",
            aliases=("职能优势/可提供资源", "capabilities"),
            width=24,
        ),
        Column("min_villages", "最少村数", "int", note="默认 1 / default 1"),
        Column(
            "max_villages",
            "最多村数",
            "int",
            note="默认 1，大单位可到 3 / default 1, up to 3 for big units",
            aliases=("可结对村数上限",),
        ),
        Column("lat", "纬度", "float", note="WGS-84，如 21.92 / latitude, e.g. 21.92"),
        Column("lon", "经度", "float", note="WGS-84，如 110.84 / longitude, e.g. 110.84"),
    ),
    required=True,
    note="结对单位，一行一个 / the helping units, one per row",
    aliases=("单位表", "结对单位", "单位基本情况表"),
)

VILLAGES = Sheet(
    "villages",
    "村",
    (
        Column("village_id", "村编号", "id", True, "唯一编号，如 V001 / unique id, e.g. V001"),
        Column(
            "name",
            "村名",
            "text",
            True,
            "如 荷垌村 / e.g. 荷垌村",
            aliases=("村名称", "村", "village_name"),
        ),
        Column(
            "town",
            "所属镇",
            "text",
            True,
            "如 曹江镇 / town, e.g. 曹江镇",
            aliases=("所属镇(街道)", "镇(街道)", "镇", "镇街"),
        ),
        Column("lat", "纬度", "float", note="WGS-84"),
        Column("lon", "经度", "float", note="WGS-84"),
        Column("households", "户数", "int", note="户 / households"),
        Column("population", "人口", "int", note="人 / people", aliases=("户籍人口",)),
        Column(
            "needs",
            "短板需求",
            "tags",
            note="标签，与职能优势同一词表 / tags, same words as skills",
            aliases=("短板/需求", "需求"),
            width=24,
        ),
        Column(
            "typical",
            "典型村",
            "bool",
            note="是/否 / yes or no",
            choices=YES_NO,
            aliases=("是否典型村", "is_typical"),
        ),
        Column(
            "units_required",
            "需结对单位数",
            "int",
            note="默认取参数 每村单位数 / default from settings units_per_village",
            aliases=("结对单位数",),
        ),
    ),
    required=True,
    note="重点村，一行一个 / the key villages, one per row",
    aliases=("村表", "重点村", "村情基本情况表"),
)

HISTORY = Sheet(
    "history",
    "历史结对",
    (
        Column("unit_id", "单位编号", "id", True),
        Column("village_id", "村编号", "id", True),
        Column("start_year", "起始年", "int", True, "如 2021 / e.g. 2021"),
        Column("end_year", "结束年", "int", note="空 = 仍在结对 / blank = still running"),
        Column("rating", "成效", "enum", note="好/中/差 / good, fair, poor", choices=RATINGS),
    ),
    note="上一轮及更早的结对 / earlier pairings",
    aliases=("上一轮结对",),
)

RULES_SHEET = Sheet(
    "rules",
    "指定",
    (
        Column("unit_id", "单位编号", "id", True),
        Column("village_id", "村编号", "id", True),
        Column(
            "rule",
            "规则",
            "enum",
            True,
            "必须/禁止/意向 / must, forbid, prefer",
            choices=RULE_VERBS,
        ),
        Column("rank", "排序", "int", note="意向的先后，1 最优先 / preference rank, 1 = first"),
        Column("reason", "原因", "text", note="如 自选、回避 / e.g. self-selected", width=24),
    ),
    note="锁定、禁止与意向 / locks, forbids and preferences",
    aliases=("指定结对", "规则"),
)

SETTINGS = Sheet(
    "settings",
    "参数",
    (
        Column(
            "key",
            "参数",
            "text",
            True,
            "参数名，见说明 / a setting key, see README",
            aliases=("参数名", "名称"),
            width=24,
        ),
        Column("value", "值", "text", True, "参数值 / the value", aliases=("取值", "数值")),
        Column("note", "说明", "text", note="备注 / remark", width=40, aliases=("备注",)),
    ),
    note="权重与参数 / weights and parameters",
    aliases=("设置",),
)

OBLIGATIONS = Sheet(
    "obligations",
    "活动要求",
    (
        Column("code", "代码", "id", True, "如 LAB / e.g. LAB"),
        Column("name", "名称", "text", True, "如 集中劳动 / e.g. 集中劳动", width=18),
        Column(
            "every",
            "周期",
            "enum",
            True,
            "周/月/季/年 / week, month, quarter, year",
            choices=PERIODS,
        ),
        Column("times", "次数", "int", note="每周期次数，默认 1 / times per period, default 1"),
        Column(
            "joint",
            "联合",
            "bool",
            note="该村所有单位同日 / all units of a village on one day",
            choices=YES_NO,
        ),
        Column(
            "day_type",
            "日期类型",
            "enum",
            note="工作日/周末/不限 / workday, weekend, any",
            choices=DAY_TYPES,
        ),
        Column(
            "holiday_policy",
            "节假日处理",
            "enum",
            note="避开/允许 / avoid or allow holidays",
            choices=HOLIDAY_POLICIES,
        ),
        Column("who", "执行人", "enum", note="单位/组长 / the unit, or each leader", choices=WHO),
    ),
    note="每个结对要做的周期性工作 / the recurring duties of every pair",
    aliases=("活动", "五个一"),
)

BLACKOUTS = Sheet(
    "blackouts",
    "禁排日期",
    (
        Column(
            "scope",
            "范围",
            "text",
            True,
            "全部 / 镇名 / 村编号 / 单位编号 / all, a town, a village id or a unit id",
        ),
        Column("start", "开始", "date", True, "如 2027-02-01 / e.g. 2027-02-01"),
        Column("end", "结束", "date", True, "含当天 / inclusive"),
        Column("reason", "原因", "text", note="如 春节、农忙 / e.g. Spring Festival", width=24),
    ),
    note="不排活动的日期 / dates with no activities",
    aliases=("禁排", "不可排日期"),
)

HOLIDAYS = Sheet(
    "holidays",
    "节假日",
    (
        Column("date", "日期", "date", True),
        Column(
            "kind",
            "类型",
            "enum",
            True,
            "休/班 / holiday or make-up workday",
            choices=HOLIDAY_KINDS,
        ),
        Column("note", "说明", "text", aliases=("名称", "备注")),
    ),
    note="覆盖内置节假日 / overrides the built-in calendar",
    aliases=("节假日调整表", "节假日调整"),
)

SCORES = Sheet(
    "scores",
    "评分",
    (
        Column("unit_id", "单位编号", "id", True),
        Column("village_id", "村编号", "id", True),
        Column(
            "score",
            "评分",
            "float",
            True,
            "正数=希望, 负数=不希望, 如 -5..5 / positive wants the pair, negative does not",
        ),
    ),
    note="规划者对结对的打分 / a planner's affinity for pairs",
)

MEMBERS = Sheet(
    "members",
    "队员",
    (
        Column("unit_id", "单位编号", "id", True),
        Column("name", "姓名", "text", True),
        Column("role", "角色", "enum", note="组长/队员 / leader or member", choices=ROLES),
        Column(
            "member_id",
            "队员编号",
            "id",
            note="唯一编号，包户需要，如 M0001 / unique id, needed by cover, e.g. M0001",
        ),
        Column(
            "max_households",
            "最多户数",
            "int",
            note="包户上限，空=参数 每组户数 / most households, blank = cover_households_per_team",
        ),
        Column(
            "skills",
            "专长",
            "tags",
            note="标签，对照农户需求 / tags, matched against a household's needs",
            aliases=("职能优势",),
        ),
    ),
    note="各单位结对工作队 / each unit's team",
)

VILLAGE_ROLES = (
    Choice("secretary", "书记", "secretary", ("村党支部书记", "支书")),
    Choice("committee", "两委", "committee", ("两委干部", "村委")),
    Choice("member", "党员", "member"),
    Choice("grid_worker", "网格员", "grid worker", ("grid_worker",)),
)

HOUSEHOLDS = Sheet(
    "households",
    "农户",
    (
        Column("household_id", "户编号", "id", True, "唯一编号，如 H00001 / unique id"),
        Column("village_id", "村编号", "id", True),
        Column("head", "户主", "text", True, "户主姓名 / head of household"),
        Column("group", "小组", "text", True, "村民小组名 / the 村民小组", aliases=("村民小组",)),
        Column(
            "categories",
            "类别",
            "tags",
            note="脱贫户、监测户、低保户、特困户、独居老人、留守儿童、残疾人… / tags",
            width=24,
        ),
        Column("persons", "人口", "int", note="人 / people"),
        Column("needs", "需求", "tags", note="标签，对照队员专长 / tags, vs members' skills"),
        Column("lat", "纬度", "float", note="WGS-84"),
        Column("lon", "经度", "float", note="WGS-84"),
    ),
    note="包户的农户，一行一户 / the households to be covered, one per row",
    aliases=("包户农户", "重点户"),
)

VILLAGE_MEMBERS = Sheet(
    "village_members",
    "村党员",
    (
        Column("member_id", "党员编号", "id", True, "唯一编号，如 P00001 / unique id"),
        Column("village_id", "村编号", "id", True),
        Column("name", "姓名", "text", True),
        Column("group", "小组", "text", True, "所住村民小组 / the 小组 they live in"),
        Column(
            "role",
            "角色",
            "enum",
            note="书记/两委/党员/网格员 / secretary, committee, member, grid worker",
            choices=VILLAGE_ROLES,
        ),
        Column(
            "max_households",
            "最多户数",
            "int",
            note="包户上限，空=参数 每组户数 / most households, blank = cover_households_per_team",
        ),
    ),
    note="村党员，一行一人 / the village's party members, one per row",
    aliases=("村级党员", "农村党员"),
)

GROUPS = Sheet(
    "groups",
    "村民小组",
    (
        Column("village_id", "村编号", "id", True),
        Column("group", "小组", "text", True, aliases=("村民小组", "组名")),
        Column("households", "户数", "int", True, "该组户数 / households in the group"),
        Column("lat", "纬度", "float", note="WGS-84"),
        Column("lon", "经度", "float", note="WGS-84"),
    ),
    note="各村村民小组，网格按此划分 / each village's groups, for the micro-grids",
    aliases=("小组",),
)

AREAS = Sheet(
    "areas",
    "片区",
    (
        Column("area", "片区", "text", True, "片区名 / area name"),
        Column("village_id", "村编号", "id", True),
        Column("leader", "包片领导", "text", True, "镇领导姓名 / the town leader"),
    ),
    note="镇领导包片 / town leaders' areas (包片)",
    aliases=("包片",),
)

VISITS = Sheet(
    "visits",
    "走访记录",
    (
        Column("household_id", "户编号", "id", True, "包户表中的户编号 / as on the 包户 sheet"),
        Column("date", "日期", "date", True, "走访日期 / the day of the visit"),
        Column("visitor", "走访人", "text", note="姓名或编号 / name or id"),
        Column("note", "备注", "text", note="备注 / remark", width=30),
    ),
    note="包户走访记录，一次走访一行 / visits to the covered households, one per visit",
    aliases=("走访台账", "入户走访", "走访"),
)
"""The visits ledger that ``pairing audit COVER.xlsx VISITS.xlsx`` checks against a cover."""

LEDGER = Sheet(
    "ledger",
    "工作台账",
    (
        Column("unit_id", "单位编号", "id", True, aliases=("单位",)),
        Column("village_id", "村编号", "id", True, aliases=("村",)),
        Column(
            "activity",
            "活动",
            "text",
            True,
            "活动代码或名称 / obligation code or name",
            aliases=("活动类型", "activity_type"),
        ),
        Column("date", "日期", "date", True, aliases=("实际日期", "actual_date")),
        Column(
            "status",
            "状态",
            "enum",
            note="已完成/逾期/补报 / done, late, filed late",
            choices=LEDGER_STATUS,
        ),
    ),
    note="活动台账，供审计 / activity records, for audit",
    aliases=("台账",),
)

SCENARIOS = Sheet(
    "scenarios",
    "方案对比",
    (
        Column("name", "方案", "text", True, "方案名称 / the scenario's name", aliases=("名称",)),
        Column(
            "settings",
            "设置",
            "text",
            False,
            "参数覆盖，如 P13=2; P10_hard=是 / setting overrides, e.g. P13=2; P10_hard=是",
            aliases=("参数",),
            width=40,
        ),
    ),
    note="pairing sweep 的命名方案 / named scenarios for pairing sweep",
)
"""Optional, read by ``pairing sweep`` only (not a solve input: plans do not copy it)."""

UNIT_CHANGE_KINDS = (
    Choice("merge", "合并", "merge", ("并入", "merged")),
    Choice("rename", "更名", "rename", ("改名", "renamed")),
    Choice("removed", "撤销", "removed", ("撤并", "remove", "删除")),
)
UNIT_CHANGES = Sheet(
    "unit_changes",
    "单位变更",
    (
        Column(
            "old_unit_id", "原单位编号", "id", True, "上一轮方案中的编号 / the id in the baseline"
        ),
        Column(
            "new_unit_id",
            "新单位编号",
            "id",
            False,
            "合并或更名后的编号（撤销时留空） / the id after a merge or rename (blank if removed)",
        ),
        Column(
            "kind",
            "类型",
            "enum",
            True,
            "合并/更名/撤销 / merge, rename, removed",
            choices=UNIT_CHANGE_KINDS,
        ),
        Column("note", "备注", "text", width=30),
    ),
    note="两轮之间单位的合并、更名、撤销 / units merged, renamed or removed between rounds",
)

BASELINE = Sheet(
    "baseline",
    "基线结对",
    (
        Column("unit_id", "单位编号", "id", True, "上一轮方案的单位 / the baseline's unit"),
        Column("village_id", "村编号", "id", True, "上一轮方案的村 / the baseline's village"),
    ),
    note="上一轮方案的结对（solve --baseline 填入） / the last plan's pairs (--baseline fills it)",
    aliases=("上一轮方案",),
)
"""The pairs P18 keeps: ``solve --baseline PLAN`` writes the baseline plan's 结对方案 pairs here,
so that a plan's input copies hold them and ``verify`` recomputes P18 from the plan alone."""

INPUT_SHEETS: tuple[Sheet, ...] = (
    UNITS,
    VILLAGES,
    HISTORY,
    RULES_SHEET,
    SETTINGS,
    OBLIGATIONS,
    BLACKOUTS,
    HOLIDAYS,
    SCORES,
    MEMBERS,
    HOUSEHOLDS,
    VILLAGE_MEMBERS,
    GROUPS,
    AREAS,
    UNIT_CHANGES,
    BASELINE,
)
SHEETS_BY_KEY: dict[str, Sheet] = {sheet.key: sheet for sheet in (*INPUT_SHEETS, LEDGER)}


def find_choice(choices: tuple[Choice, ...], text: str) -> Choice | None:
    """Return the choice that ``text`` spells (``必须``, ``must``, ``必须 must``), if any."""
    keys = {name_key(text)}
    keys.update(name_key(part) for part in text.replace("(", " ").replace(")", " ").split())
    for choice in choices:
        if keys & choice.keys():
            return choice
    return None
