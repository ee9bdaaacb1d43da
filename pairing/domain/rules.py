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

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
SOFT_PAIRING_RULES: tuple[str, ...] = ("P10", "P11", "P12", "P13", "P14", "P15", "P16", "P17")
HARD_PAIRING_RULES: tuple[str, ...] = ("P01", "P02", "P03", "P04", "P05")
SCHEDULE_RULES: tuple[str, ...] = ("S01", "S02", "S03", "S04", "S05", "S06", "S07", "S08")


def default_weights() -> dict[str, float]:
    """Return the default weight of every soft rule, by id."""
    return {rule.id: rule.default_weight for rule in RULES if rule.kind == "soft"}
