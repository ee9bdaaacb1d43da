"""Turn input tables into the domain's records, one sheet at a time, as the contract reads.

Defaults are the contract's (DESIGN.md, ``models/README.md``): strength 1, 最少村数 1,
最多村数 max(1, 最少村数), 需结对单位数 from ``units_per_village``, an obligation once per
period on any day, avoiding holidays, done by the unit. A row that cannot be read, or that
names an id the 单位/村 sheets do not hold, becomes an ``INT`` finding and is left out.

The same defaults are written in :mod:`pairing.io.build` on purpose: which cell becomes which
field, and what a blank means, is where a reader can be wrong, so the verifier reads it with
code of its own; only the cell parsers (:mod:`pairing.domain.cells`) and the setting parser
(:mod:`pairing.domain.settings`) are shared (see :mod:`pairing.verify`).

Each ``read_<sheet>(table, [known,] sink)`` takes the sheet's table (``None`` when absent),
the input's ids and towns (:class:`Known`) where rows refer to them, and the list findings go
to; it returns the readable rows.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from pairing.domain.cells import (
    CellError,
    clean_text,
    parse_bool,
    parse_date,
    parse_float,
    parse_int,
    parse_tags,
)
from pairing.domain.model import (
    Blackout,
    HolidayOverride,
    Member,
    Obligation,
    PairRule,
    PastPairing,
    Score,
    Settings,
    Unit,
    Village,
)
from pairing.domain.schema import (
    DAY_TYPES,
    HOLIDAY_KINDS,
    HOLIDAY_POLICIES,
    PERIODS,
    RATINGS,
    ROLES,
    RULE_VERBS,
    WHO,
)
from pairing.domain.settings import build_settings
from pairing.verify.reading.rowcells import RowCells
from pairing.verify.reading.tables import Table
from pairing.verify.report.findings import INTEGRITY, Finding

STRENGTH_WORDS = {"强": 3.0, "中": 2.0, "弱": 1.0, "strong": 3.0, "medium": 2.0, "weak": 1.0}
ALL_SCOPE = {"全部", "all", "全县", "所有"}


@dataclass(frozen=True, slots=True)
class Known:
    """The unit ids, village ids and towns of the input, for cross-sheet references."""

    units: frozenset[str]
    villages: frozenset[str]
    towns: frozenset[str]
    renamed: Mapping[str, str] = field(default_factory=dict)  # 单位变更: old id -> id now
    removed: frozenset[str] = frozenset()  # 单位变更: removed units (their rows are left out)


def rows(table: Table | None, sink: list[Finding]) -> Iterator[RowCells]:
    """Yield a cell reader for every non-blank row of ``table`` (nothing when absent).

    ``table``: the table, or ``None`` for a missing sheet.

    Yields one reader per row.
    """
    if table is not None:
        for number, values in table.rows:
            yield RowCells.open(table, number, values, sink)


def strength(value: object) -> float:
    """Read 帮扶力量: a positive number, or 强/中/弱 (3/2/1).

    ``value``: the cell.

    Returns the strength.

    Raises ``CellError`` when the cell is neither.
    """
    word = clean_text(value).casefold()
    if word in STRENGTH_WORDS:
        return STRENGTH_WORDS[word]
    number = parse_float(value)
    if number <= 0:
        raise CellError("帮扶力量应为正数", "strength must be positive")
    return number


def read_settings(table: Table | None, sink: list[Finding]) -> Settings:
    """Read the 参数 sheet with the domain's own setting parser.

    ``table``: the settings table, or ``None``.

    Returns the settings (defaults for what is absent).
    """
    if table is None:
        return Settings()
    triples = [(n, table.get(v, "key"), table.get(v, "value")) for n, v in table.rows]
    settings, problems = build_settings(triples)
    for problem in problems:
        sink.append(Finding(INTEGRITY, table.sheet, problem.row, problem.zh, problem.en))
    return settings


def read_units(table: Table | None, sink: list[Finding]) -> list[Unit]:
    """Read the 单位 sheet; a repeated id is recorded and left out.

    ``table``: the units table.

    Returns the units in workbook order.
    """
    units: dict[str, Unit] = {}
    for r in rows(table, sink):
        unit_id, name = r.required("unit_id"), r.required("name")
        low = r.parsed("min_villages", parse_int, 1)
        lat, lon = r.parsed("lat", parse_float, None), r.parsed("lon", parse_float, None)
        unit = Unit(
            unit_id,
            name,
            r.text("system"),
            r.parsed("strength", strength, 1.0),
            None,
            r.parsed("skills", parse_tags, frozenset()),
            low,
            r.parsed("max_villages", parse_int, max(1, low)),
            lat if lon is not None else None,
            lon if lat is not None else None,
            r.number,
        )
        if unit_id in units:
            r.fail(f"单位编号「{unit_id}」重复", f"unit id '{unit_id}' repeats")
        elif not r.failed:
            units[unit_id] = unit
    return list(units.values())


def read_villages(table: Table | None, settings: Settings, sink: list[Finding]) -> list[Village]:
    """Read the 村 sheet; 需结对单位数 defaults to ``units_per_village``.

    ``table``: the villages table; ``settings``: the settings (for the default units per village).

    Returns the villages in workbook order.
    """
    villages: dict[str, Village] = {}
    for r in rows(table, sink):
        village_id, name, town = r.required("village_id"), r.required("name"), r.required("town")
        lat, lon = r.parsed("lat", parse_float, None), r.parsed("lon", parse_float, None)
        village = Village(
            village_id,
            name,
            town,
            lat if lon is not None else None,
            lon if lat is not None else None,
            None,
            None,
            r.parsed("needs", parse_tags, frozenset()),
            r.parsed("typical", parse_bool, False),
            r.parsed("units_required", parse_int, settings.units_per_village),
            r.number,
        )
        if village_id in villages:
            r.fail(f"村编号「{village_id}」重复", f"village id '{village_id}' repeats")
        elif not r.failed:
            villages[village_id] = village
    return list(villages.values())


def pair_ids(r: RowCells, known: Known) -> tuple[str, str]:
    """Read unit_id and village_id of a row; record ids the input does not hold.

    ``r``: the row; ``known``: the input's ids.

    Returns ``(unit_id, village_id)``.
    """
    unit_id, village_id = r.required("unit_id"), r.required("village_id")
    unit_id = known.renamed.get(unit_id, unit_id)
    if unit_id in known.removed:
        return "", village_id
    if unit_id and unit_id not in known.units:
        r.fail(f"单位编号「{unit_id}」不在单位表中", f"unit id '{unit_id}' is not a unit")
    if village_id and village_id not in known.villages:
        r.fail(f"村编号「{village_id}」不在村表中", f"village id '{village_id}' is not a village")
    return unit_id, village_id


def read_history(table: Table | None, known: Known, sink: list[Finding]) -> list[PastPairing]:
    """Read 历史结对."""
    history = []
    for r in rows(table, sink):
        unit_id, village_id = pair_ids(r, known)
        start = r.parsed("start_year", parse_int, None)
        if start is None:
            r.required("start_year")
        end = r.parsed("end_year", parse_int, None)
        rating: Any = r.choice("rating", RATINGS, None)
        if not r.failed and start is not None and unit_id:
            history.append(PastPairing(unit_id, village_id, start, end, rating, r.number))
    return history


def read_rules(table: Table | None, known: Known, sink: list[Finding]) -> list[PairRule]:
    """Read 指定 (必须/禁止/意向)."""
    found = []
    for r in rows(table, sink):
        unit_id, village_id = pair_ids(r, known)
        verb: Any = r.choice("rule", RULE_VERBS, None)
        if verb is None:
            r.required("rule")
        rank = r.parsed("rank", parse_int, None)
        if not r.failed and verb is not None and unit_id:
            found.append(PairRule(unit_id, village_id, verb, rank, r.text("reason"), r.number))
    return found


def read_obligations(table: Table, sink: list[Finding]) -> list[Obligation]:
    """Read 活动要求."""
    found = []
    for r in rows(table, sink):
        code, name = r.required("code"), r.required("name")
        every: Any = r.choice("every", PERIODS, None)
        if every is None:
            r.required("every")
        day_type: Any = r.choice("day_type", DAY_TYPES, "any")
        policy: Any = r.choice("holiday_policy", HOLIDAY_POLICIES, "avoid")
        who: Any = r.choice("who", WHO, "unit")
        times = r.parsed("times", parse_int, 1)
        joint = r.parsed("joint", parse_bool, False)
        if not r.failed:
            found.append(
                Obligation(code, name, every, times, joint, day_type, policy, who, r.number)
            )
    return found


def scope_kind(scope: str, known: Known) -> str | None:
    """Return what a blackout's 范围 names: all, a village, a unit or a town (else None).

    ``scope``: the 范围 text; ``known``: the input's ids and towns.

    Returns ``all``, ``village``, ``unit``, ``town`` or ``None``.
    """
    if scope.casefold() in ALL_SCOPE:
        return "all"
    for kind, names in (("village", known.villages), ("unit", known.units), ("town", known.towns)):
        if scope in names:
            return kind
    return None


def read_blackouts(table: Table | None, known: Known, sink: list[Finding]) -> list[Blackout]:
    """Read 禁排日期."""
    found = []
    for r in rows(table, sink):
        scope = r.required("scope")
        kind: Any = scope_kind(scope, known)
        start, end = r.parsed("start", parse_date, None), r.parsed("end", parse_date, None)
        if kind is None:
            r.fail(f"范围「{scope}」无法识别", f"scope '{scope}' is not known")
        if start is None or end is None:
            r.fail("开始与结束日期须填写", "start and end dates are required")
        elif not r.failed:
            found.append(Blackout(kind, scope, start, end, r.text("reason"), r.number))
    return found


def read_holidays(table: Table | None, sink: list[Finding]) -> list[HolidayOverride]:
    """Read 节假日 overrides."""
    found = []
    for r in rows(table, sink):
        day = r.parsed("date", parse_date, None)
        kind: Any = r.choice("kind", HOLIDAY_KINDS, None)
        if day is None or kind is None:
            r.fail("日期与类型须填写", "date and kind are required")
        elif not r.failed:
            found.append(HolidayOverride(day, kind, r.number))
    return found


def read_scores(table: Table | None, known: Known, sink: list[Finding]) -> list[Score]:
    """Read 评分."""
    found = []
    for r in rows(table, sink):
        unit_id, village_id = pair_ids(r, known)
        value = r.parsed("score", parse_float, None)
        if value is None:
            r.required("score")
        elif not r.failed and unit_id:
            found.append(Score(unit_id, village_id, value, r.number))
    return found


def read_members(table: Table | None, known: Known, sink: list[Finding]) -> list[Member]:
    """Read 队员."""
    found = []
    for r in rows(table, sink):
        unit_id, name = r.required("unit_id"), r.required("name")
        if unit_id and unit_id not in known.units:
            r.fail(f"单位编号「{unit_id}」不在单位表中", f"unit id '{unit_id}' is not a unit")
        role: Any = r.choice("role", ROLES, "member")
        if not r.failed:
            found.append(Member(unit_id, name, role, r.number))
    return found
