"""The rule catalogue: stable ids, names, kinds and default weights.

Ids are a contract (DESIGN.md): they appear in error messages, in the verifier's report and in
the plan's ``checks`` sheet, and a settings key equal to a soft rule's id sets its weight.
``models/README.md`` holds the maths of each rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

RuleKind = Literal["hard", "soft"]


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of the catalogue.

    ``unit`` says what one point of weight buys, so that a planner can read a weight.
    """

    id: str
    zh: str
    en: str
    kind: RuleKind
    default_weight: float = 0.0
    unit: str = ""


RULES: tuple[Rule, ...] = (
    Rule("P01", "每村结对单位数", "each village gets exactly its units_required units", "hard"),
    Rule(
        "P02",
        "单位结对村数上下限",
        "each unit's villages within [min_villages, max_villages]",
        "hard",
    ),
    Rule("P03", "必须结对", "必须 (must) pairs are in the plan", "hard"),
    Rule("P04", "禁止结对", "禁止 (forbid) pairs are not in the plan", "hard"),
    Rule("P05", "任期轮换", "a pair that has run max_tenure_years is not renewed", "hard"),
    Rule(
        "P10",
        "需求覆盖",
        "a village's needs are covered by its units' skills",
        "soft",
        30.0,
        "分/项未覆盖需求 points per uncovered need",
    ),
    Rule(
        "P11",
        "系统多样",
        "a village's units come from different systems",
        "soft",
        20.0,
        "分/个重复系统 points per repeated system",
    ),
    Rule(
        "P12",
        "强弱搭配",
        "strength balance: weakest village first, typical villages first",
        "soft",
        10.0,
        "分/力量差额(逐级递增) points per strength short of target, rising",
    ),
    Rule(
        "P13",
        "路程",
        "travel distance from unit to village",
        "soft",
        1.0,
        "分/公里 points per road km",
    ),
    Rule(
        "P14",
        "延续与调整",
        "keep pairs that worked (好/中), drop pairs that failed (差)",
        "soft",
        40.0,
        "分/对 points per good pair dropped or failed pair kept",
    ),
    Rule(
        "P15",
        "同镇集中",
        "a unit with several villages has them in one town",
        "soft",
        25.0,
        "分/个额外镇 points per extra town",
    ),
    Rule(
        "P16",
        "意向",
        "意向 preferences, by rank",
        "soft",
        30.0,
        "分/未满足意向(除以排序) points per unmet preference, divided by rank",
    ),
    Rule("P17", "评分", "评分 planner scores", "soft", 5.0, "分/评分点 points per score point"),
    Rule(
        "P18",
        "稳定",
        "stability: the fewest baseline pairs changed (with --baseline)",
        "soft",
        0.0,  # not set: lexicographic, the fewest changes first (see STABILITY_RULE)
        "分/对变更 points per baseline pair changed; 不设 = 先求最少变更 blank = fewest first",
    ),
    Rule("S01", "活动频次", "each obligation happens `times` times in every period", "hard"),
    Rule("S02", "日期类型", "on its day type (official workdays, with make-up days)", "hard"),
    Rule("S03", "避开节假日与禁排", "never on a holiday or inside a blackout of its scope", "hard"),
    Rule("S04", "一天一地", "a unit is in at most one village a day", "hard"),
    Rule(
        "S05", "联合活动同日", "joint obligations: all units of a village on the same day", "hard"
    ),
    Rule(
        "S06",
        "均匀分布",
        "occurrences of one obligation for one pair are spread",
        "soft",
        1.0,
        "分/天偏离 points per day away from the even spacing",
    ),
    Rule("S07", "组长接待", "each leader (组长) does the reception at least once a month", "hard"),
    Rule(
        "S08",
        "合并出行",
        "obligations for one pair bundled on the same visit day",
        "soft",
        5.0,
        "分/次出行 points per visit day",
    ),
)

COVER_RULES: tuple[Rule, ...] = (  # issue 18: 1+1+N 包户 and micro-grids (models/COVER.md)
    Rule("C01", "每户一组", "every listed household is in exactly one team of its village", "hard"),
    Rule(
        "C02",
        "一加一",
        "a team is one member of a unit paired with the village + one party member of the village",
        "hard",
    ),
    Rule("C03", "一人一组", "a member is in at most one team per village", "hard"),
    Rule(
        "C04", "每组户数", "a team holds at most N (cover_households_per_team) households", "hard"
    ),
    Rule("C05", "个人户数上限", "a team holds at most each of its members' 最多户数", "hard"),
    Rule(
        "C10",
        "重点户分散",
        "priority households (any 类别) spread across the village's teams",
        "soft",
        10.0,
        "分/队超出均分的重点户 points per priority household above the even share",
    ),
    Rule(
        "C11",
        "同组党员",
        "a household's village party member lives in its 小组",
        "soft",
        3.0,
        "分/户 points per household whose party member lives in another 小组",
    ),
    Rule(
        "C12",
        "负荷均衡",
        "balanced loads: households per team near the village's mean",
        "soft",
        1.0,
        "分/户超出均值上取整 points per household above ceil(mean)",
    ),
    Rule(
        "C13",
        "包户延续",
        "a household keeps its team's members from the baseline cover",
        "soft",
        5.0,
        "分/户 points per household whose baseline unit member or village member changed",
    ),
    Rule(
        "C14",
        "专长对需求",
        "a household's needs are met by its unit member's skills",
        "soft",
        2.0,
        "分/项未对上需求 points per household need its unit member lacks",
    ),
    Rule("G01", "网格户数", "a grid holds at most grid_max_households households", "hard"),
    Rule(
        "G02",
        "小组完整",
        "a 小组 is wholly in one grid, or (if larger than the limit) split into the fewest "
        "grids of its own, never mixed with another",
        "hard",
    ),
    Rule(
        "G03", "网格覆盖", "the grids partition each village's 小组 and their 户数 exactly", "hard"
    ),
    Rule(
        "G04",
        "网格长",
        "each grid is led by a distinct party member of the village living in it",
        "hard",
    ),
    Rule(
        "G05",
        "包组党员",
        "every 小组 has a responsible party member (消除零党员村民小组)",
        "hard",
    ),
    Rule(
        "G06",
        "网格连片",
        "where every small 小组 of a village has coordinates, a grid's 小组 are connected in "
        "their minimum spanning tree",
        "hard",
    ),
)
RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in (*RULES, *COVER_RULES)}
SOFT_PAIRING_RULES: tuple[str, ...] = (
    "P10",
    "P11",
    "P12",
    "P13",
    "P14",
    "P15",
    "P16",
    "P17",
    "P18",
)
HARD_PAIRING_RULES: tuple[str, ...] = ("P01", "P02", "P03", "P04", "P05")
SCHEDULE_RULES: tuple[str, ...] = ("S01", "S02", "S03", "S04", "S05", "S06", "S07", "S08")
HARD_COVER_RULES: tuple[str, ...] = ("C01", "C02", "C03", "C04", "C05")
SOFT_COVER_RULES: tuple[str, ...] = ("C10", "C11", "C12", "C13", "C14")
GRID_RULES: tuple[str, ...] = ("G01", "G02", "G03", "G04", "G05", "G06")


STABILITY_RULE = "P18"
"""Absent from the default weights: a P18 weight makes it a weighted term; without one the
change count comes first, lexicographically (:mod:`pairing.solve.stability`)."""


def default_weights() -> dict[str, float]:
    """Return the default weight of every soft rule, by id (P18 has none: lexicographic)."""
    return {
        rule.id: rule.default_weight
        for rule in RULES
        if rule.kind == "soft" and rule.id != STABILITY_RULE
    }


def cover_weights(weights: dict[str, float] | None = None) -> dict[str, float]:
    """Return the weight of every soft cover rule: the 参数 sheet's, else the default.

    Kept apart from :func:`default_weights` so that a plan's weights stay the pairing rules'.
    """
    given = weights or {}
    return {r: float(given.get(r, RULES_BY_ID[r].default_weight)) for r in SOFT_COVER_RULES}
