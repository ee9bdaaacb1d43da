"""Setting keys of the 参数 sheet and their parsing into :class:`Settings`.

A key is matched in Chinese or English; a soft rule id (``P13``) sets that rule's weight;
an unknown key is an input error, so that a typo never silently keeps a default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from pairing.domain.cells import (
    CellError,
    clean_text,
    name_key,
    parse_bool,
    parse_date,
    parse_float,
    parse_int,
    quote,
)
from pairing.domain.model import Settings
from pairing.domain.rules import COVER_RULES, RULES, RULES_BY_ID, STABILITY_RULE


@dataclass(frozen=True, slots=True)
class SettingKey:
    """One setting: its key, Chinese name, parser, the field it sets and what it means."""

    key: str
    zh: str
    parse: Callable[[object], Any]
    field: str
    note: str
    low: float | None = None
    high: float | None = None


def _optional_int(value: object) -> int | None:
    return None if clean_text(value) == "" else parse_int(value)


def _optional_float(value: object) -> float | None:
    return None if clean_text(value) == "" else parse_float(value)


def _optional_date(value: object) -> dt.date | None:
    return None if clean_text(value) == "" else parse_date(value)


SETTING_KEYS: tuple[SettingKey, ...] = (
    SettingKey(
        "units_per_village",
        "每村单位数",
        parse_int,
        "units_per_village",
        "每村默认结对单位数 / default units per village (2)",
        1,
        20,
    ),
    SettingKey(
        "max_tenure_years",
        "最长任期年",
        _optional_int,
        "max_tenure_years",
        "结对满此年数不再延续，空=不限 / a pair this many years old is not renewed; "
        "blank = no limit (P05)",
        1,
        50,
    ),
    SettingKey(
        "plan_year",
        "规划年份",
        _optional_int,
        "plan_year",
        "方案年份，空=明年 / the plan's year; blank = next year",
        2000,
        2100,
    ),
    SettingKey(
        "time_limit_s",
        "求解时限秒",
        parse_float,
        "time_limit_s",
        "求解时间上限（秒） / solver time limit in seconds (60)",
        0.1,
        86400,
    ),
    SettingKey(
        "seed",
        "随机种子",
        parse_int,
        "seed",
        "固定即可复现 / fixed for reproducibility",
        0,
        2**31 - 1,
    ),
    SettingKey(
        "workers",
        "线程数",
        parse_int,
        "workers",
        "1 = 可复现；更多可能更快但不可复现 / 1 = reproducible; more may be faster",
        1,
        64,
    ),
    SettingKey(
        "county_seat_lat",
        "县城纬度",
        _optional_float,
        "county_seat_lat",
        "单位无坐标时的出发点 / origin for units without coordinates",
        -90,
        90,
    ),
    SettingKey(
        "county_seat_lon",
        "县城经度",
        _optional_float,
        "county_seat_lon",
        "单位无坐标时的出发点 / origin for units without coordinates",
        -180,
        180,
    ),
    SettingKey(
        "circuity",
        "绕行系数",
        parse_float,
        "circuity",
        "道路公里 = 直线公里 × 此系数 / road km = straight km × this (1.3)",
        1.0,
        5.0,
    ),
    SettingKey(
        "P10_hard",
        "需求必须覆盖",
        parse_bool,
        "needs_hard",
        "是 = 每项需求必须覆盖（P10 变为硬约束） / yes makes P10 hard",
    ),
    SettingKey(
        "P11_hard",
        "系统必须不同",
        parse_bool,
        "systems_hard",
        "是 = 同村单位系统必须不同（P11 变为硬约束） / yes makes P11 hard",
    ),
    SettingKey(
        "P12_min_strength",
        "最低村帮扶力量",
        _optional_float,
        "min_strength",
        "每村力量下限（硬约束） / a hard floor on village strength",
        0,
        1e6,
    ),
    SettingKey(
        "P12_typical_weight",
        "典型村权重",
        parse_float,
        "typical_weight",
        "典型村力量差额的倍数 / multiplier on typical villages' shortfall (2)",
        0,
        100,
    ),
    SettingKey(
        "P12_typical_boost",
        "典型村目标倍数",
        parse_float,
        "typical_boost",
        "典型村力量目标高出的倍数 / typical villages' target is this × the mean (1.2)",
        0.1,
        10,
    ),
    SettingKey(
        "P13_max_km",
        "最远公里",
        _optional_float,
        "max_km",
        "超过此路程不结对（硬约束） / no pair farther than this, hard",
        0,
        1e5,
    ),
    SettingKey(
        "candidates_per_village",
        "候选单位数",
        parse_int,
        "candidates_per_village",
        "每村候选单位数，0=自动 / candidate units per village, 0 = automatic",
        0,
        100000,
    ),
    SettingKey(
        "lagging_threshold",
        "落后阈值",
        parse_float,
        "lagging_threshold",
        "完成率低于此为落后单位 / a unit below this completion rate lags (0.8)",
        0,
        1,
    ),
    SettingKey(
        "schedule_from",
        "排期开始",
        _optional_date,
        "schedule_from",
        "排期起始日，空=规划年1月1日 / first day of the schedule",
        None,
        None,
    ),
    SettingKey(
        "schedule_to",
        "排期结束",
        _optional_date,
        "schedule_to",
        "排期结束日，空=规划年12月31日 / last day of the schedule",
        None,
        None,
    ),
    SettingKey(
        "cover_households_per_team",
        "每组户数",
        parse_int,
        "cover_households_per_team",
        "1+1+N 的 N：每个结对小组最多包户数 / N of 1+1+N: most households per team (5)",
        1,
        1000,
    ),
    SettingKey(
        "grid_max_households",
        "网格户数",
        parse_int,
        "grid_max_households",
        "每个网格最多户数 / most households per micro-grid (30)",
        1,
        100000,
    ),
    SettingKey(
        "county",
        "县名",
        clean_text,
        "county",
        "县（市、区）名，用于安排表标题 / the county's name, for the arrangement's title",
    ),
    SettingKey(
        "title",
        "标题",
        clean_text,
        "title",
        "结对安排表的标题，空=「县名+年份+年结对共建安排表」 / the arrangement's title; "
        "blank = county + year + 年结对共建安排表",
    ),
)


def _lookup() -> dict[str, SettingKey | str]:
    table: dict[str, SettingKey | str] = {}
    for spec in SETTING_KEYS:
        table[name_key(spec.key)] = spec
        table[name_key(spec.zh)] = spec
    for rule in (*RULES, *COVER_RULES):
        if rule.kind == "soft":
            table[name_key(rule.id)] = rule.id
            table[name_key(rule.zh)] = rule.id
    return table


LOOKUP = _lookup()


@dataclass(frozen=True, slots=True)
class SettingProblem:
    """A settings row that cannot be used, with the row it came from."""

    row: int
    column: str
    zh: str
    en: str


def find_key(text: str) -> SettingKey | str | None:
    """Return the setting spec or soft-rule id that ``text`` names (``P13 路程`` works too)."""
    candidates = {name_key(text), *(name_key(part) for part in clean_text(text).split())}
    for candidate in sorted(candidates):
        if candidate in LOOKUP:
            return LOOKUP[candidate]
    return None


def build_settings(
    rows: Iterable[tuple[int, object, object]],
) -> tuple[Settings, list[SettingProblem]]:
    """Parse ``(row, key, value)`` triples into settings, collecting every problem."""
    fields: dict[str, Any] = {}
    weights = dict(Settings().weights)
    problems: list[SettingProblem] = []
    seen: dict[str, int] = {}
    for row, key_cell, value in rows:
        key_text = clean_text(key_cell)
        spec = find_key(key_text)
        if spec is None:
            problems.append(_unknown_key(row, key_text))
            continue
        name = spec if isinstance(spec, str) else spec.key
        if name in seen:
            problems.append(
                SettingProblem(
                    row,
                    "key",
                    f"参数「{key_text}」与第{seen[name]}行重复",
                    f"setting '{key_text}' repeats row {seen[name]}",
                )
            )
            continue
        seen[name] = row
        if spec == STABILITY_RULE and clean_text(value) == "":
            continue  # P18 left blank: lexicographic, the fewest changes first
        try:
            if isinstance(spec, str):
                weights[spec] = _weight(value)
            else:
                fields[spec.field] = _checked(spec, value)
        except CellError as error:
            problems.append(
                SettingProblem(
                    row,
                    "value",
                    f"参数「{key_text}」的值有误：{error.zh}",
                    f"setting '{key_text}': {error.en}",
                )
            )
    return _assemble(fields, weights), problems


def _weight(value: object) -> float:
    weight = parse_float(value)
    if weight < 0:
        raise CellError(
            "权重不能为负数（0 表示关闭）", "a weight cannot be negative (0 turns it off)"
        )
    return weight


def _checked(spec: SettingKey, value: object) -> Any:
    parsed = spec.parse(value)
    is_number = isinstance(parsed, int | float) and not isinstance(parsed, bool)
    if is_number and (
        (spec.low is not None and parsed < spec.low)
        or (spec.high is not None and parsed > spec.high)
    ):
        raise CellError(
            f"应在 {spec.low} 到 {spec.high} 之间", f"must lie in [{spec.low}, {spec.high}]"
        )
    return parsed


def _unknown_key(row: int, key_text: str) -> SettingProblem:
    known = ", ".join(spec.key for spec in SETTING_KEYS)
    rule = RULES_BY_ID.get(key_text.upper())
    if rule is not None:
        return SettingProblem(
            row,
            "key",
            f"{rule.id} 是硬规则，不能设权重",
            f"{rule.id} is a hard rule; it has no weight",
        )
    return SettingProblem(
        row,
        "key",
        f"未知参数「{quote(key_text)}」；可用：软规则编号 P10-P17、S06、S08、C10-C14 及 {known}",
        f"unknown setting '{quote(key_text)}'; use a soft rule id (P10-P17, S06, S08, C10-C14) or one of: "
        f"{known}",
    )


def _assemble(fields: dict[str, Any], weights: dict[str, float]) -> Settings:
    lat = fields.pop("county_seat_lat", None)
    lon = fields.pop("county_seat_lon", None)
    seat = (lat, lon) if lat is not None and lon is not None else None
    from types import MappingProxyType

    return replace(Settings(), county_seat=seat, weights=MappingProxyType(weights), **fields)
