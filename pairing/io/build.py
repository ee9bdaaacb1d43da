"""Turn raw tables into a validated :class:`~pairing.domain.Problem`.

Validation collects every problem in one pass (sheet, Excel row, column, what is wrong and how
to fix it, in Chinese and English) and raises one :class:`InputError` at the end.
"""

from __future__ import annotations

import gc
import math
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pairing.domain.cells import (
    CellError,
    clean_text,
    parse_bool,
    parse_date,
    parse_float,
    parse_int,
    parse_or,
    parse_tags,
    quote,
)
from pairing.domain.errors import Issue
from pairing.domain.model import (
    Blackout,
    HolidayOverride,
    Member,
    Obligation,
    PairRule,
    PastPairing,
    Problem,
    Score,
    Settings,
    Unit,
    Village,
)
from pairing.domain.schema import Sheet, find_choice
from pairing.domain.settings import build_settings
from pairing.io.tables import RawTable

T = TypeVar("T")
STRENGTH_WORDS = {"强": 3.0, "中": 2.0, "弱": 1.0, "strong": 3.0, "medium": 2.0, "weak": 1.0}
PERIOD_DAYS = {"week": 7, "month": 28, "quarter": 90, "year": 365}
ALL_SCOPE = {"全部", "all", "全县", "所有"}
MAX_ISSUES = 10_000


@dataclass
class Collector:
    """Collects issues while rows are parsed, at most ``limit`` (a hostile workbook of five
    million bad cells must not become five million messages); the rest are counted."""

    issues: list[Issue] = field(default_factory=list)
    limit: int = MAX_ISSUES
    dropped: Counter[str] = field(default_factory=Counter)

    def add(
        self, sheet: Sheet, row: int | None, column: str | None, zh: str, en: str, rule: str = ""
    ) -> None:
        """Record one issue; ``column`` is an English key of ``sheet``."""
        if len(self.issues) >= self.limit:
            self.dropped[sheet.title] += 1
            return
        header = sheet.column(column).header if column else None
        self.issues.append(Issue(sheet.title, row, header, zh, en, rule))

    def result(self) -> list[Issue]:
        """Return the issues, with one more that counts those not listed."""
        if not self.dropped:
            return self.issues
        total = sum(self.dropped.values())
        sheets = ", ".join(sorted(self.dropped))
        summary = Issue(
            sheets,
            None,
            None,
            f"另有 {total:,} 处问题未列出（只列出前 {self.limit:,} 处）；请先改正以上问题",
            f"{total:,} more problems are not listed (only the first {self.limit:,}); "
            "fix those above first",
        )
        return [*self.issues, summary]


@dataclass
class RowReader:
    """Reads the cells of one row of one table, recording problems in a collector."""

    table: RawTable
    row: int
    values: tuple[object, ...]
    issues: Collector
    ok: bool = True

    def text(self, key: str) -> str:
        """Return a column's text ('' when blank or absent)."""
        return clean_text(self.table.get(self.values, key))

    def required(self, key: str) -> str:
        """Return a required text; record an issue when blank."""
        text = self.text(key)
        if not text:
            column = self.table.spec.column(key)
            self.fail(key, f"「{column.zh}」不能为空", f"'{column.key}' must not be blank")
        return text

    def fail(self, key: str, zh: str, en: str, rule: str = "") -> None:
        """Record an issue on column ``key`` of this row."""
        self.ok = False
        self.issues.add(self.table.spec, self.row, key, zh, en, rule)

    def parsed(self, key: str, parse: Callable[[object], T], default: T) -> T:
        """Parse a column with ``parse``; blank gives ``default``; errors are recorded."""
        try:
            return parse_or(self.table.get(self.values, key), parse, default)
        except CellError as error:
            self.fail(key, error.zh, error.en)
            return default

    def choice(self, key: str, default: str | None) -> str | None:
        """Read an enum column; record the allowed values when the cell is not one of them."""
        text = self.text(key)
        if not text:
            if default is None and self.table.spec.column(key).required:
                self.required(key)
            return default
        column = self.table.spec.column(key)
        choice = find_choice(column.choices, text)
        if choice is None:
            allowed = " / ".join(c.label for c in column.choices)
            self.fail(
                key,
                f"「{quote(text)}」不是可选值；可选：{allowed}",
                f"'{quote(text)}' is not allowed; use {allowed}",
            )
            return default
        return choice.value

    def count(self, key: str, default: int, low: int, high: int) -> int:
        """Read a whole number in [low, high]; one issue per bad cell (blank or not a number
        is not also out of range)."""
        number = self.parsed(key, parse_int, None)
        if number is None:
            if self.table.spec.column(key).required:
                self.required(key)
            return default
        if not low <= number <= high:
            self.fail(
                key,
                f"应为 {low} 到 {high} 之间的整数",
                f"must be a whole number in [{low}, {high}]",
            )
            return default
        return number


def rows(table: RawTable | None, issues: Collector) -> Iterator[RowReader]:
    """Yield a reader for each non-blank row of ``table`` (nothing when the sheet is absent)."""
    if table is None:
        return
    for number, values in table.rows:
        yield RowReader(table, number, values, issues)


def read_coordinates(reader: RowReader) -> tuple[float | None, float | None]:
    """Read lat/lon: both or neither, within range, with a hint when they look swapped."""
    lat = reader.parsed("lat", parse_float, None)
    lon = reader.parsed("lon", parse_float, None)
    if (lat is None) != (lon is None):
        missing = "lon" if lon is None else "lat"
        reader.fail(
            missing,
            "纬度与经度须同时填写或同时留空",
            "give both latitude and longitude, or neither",
        )
        return None, None
    if lat is not None and lon is not None and (abs(lat) > 90 or abs(lon) > 180):
        hint = "；是否填反了纬度和经度？" if abs(lon) <= 90 < abs(lat) else ""
        hint_en = "; are latitude and longitude swapped?" if hint else ""
        reader.fail(
            "lat",
            f"坐标不可能：纬度 {lat}、经度 {lon}{hint}",
            f"impossible coordinates: lat {lat}, lon {lon}{hint_en}",
        )
        return None, None
    return lat, lon


def read_strength(value: object) -> float:
    """Read 帮扶力量: a positive number, or 强/中/弱 (3/2/1)."""
    text = clean_text(value).casefold()
    if text in STRENGTH_WORDS:
        return STRENGTH_WORDS[text]
    number = parse_float(value)
    if number <= 0:
        raise CellError(
            "帮扶力量应为正数（或 强/中/弱）", "strength must be positive (or 强/中/弱)"
        )
    return number


def check_unique(
    table: RawTable | None, ids: list[tuple[str, int]], key: str, issues: Collector
) -> None:
    """Record every id that appears more than once, naming the earlier row."""
    if table is None:
        return
    first: dict[str, int] = {}
    for ident, row in ids:
        if ident in first:
            issues.add(
                table.spec,
                row,
                key,
                f"编号「{quote(ident)}」重复（第{first[ident]}行已有）；编号须唯一",
                f"id '{quote(ident)}' repeats row {first[ident]}; ids must be unique",
            )
        else:
            first[ident] = row


def read_units(table: RawTable | None, issues: Collector) -> list[Unit]:
    """Read the 单位 units sheet."""
    units: list[Unit] = []
    for r in rows(table, issues):
        unit_id, name = r.required("unit_id"), r.required("name")
        low = r.count("min_villages", 1, 0, 1000)
        high = r.count("max_villages", max(1, low), 0, 1000)
        if low > high:
            r.fail(
                "min_villages",
                f"最少村数 {low} 大于最多村数 {high}；请改小最少村数或改大最多村数",
                f"min_villages {low} exceeds max_villages {high}; lower min or raise max",
            )
        lat, lon = read_coordinates(r)
        members = r.parsed("party_members", parse_int, None)
        if members is not None and members < 0:
            r.fail("party_members", "党员数不能为负", "party_members cannot be negative")
        units.append(
            Unit(
                unit_id,
                name,
                r.text("system"),
                r.parsed("strength", read_strength, 1.0),
                members,
                r.parsed("skills", parse_tags, frozenset()),
                low,
                high,
                lat,
                lon,
                r.row,
            )
        )
    check_unique(table, [(u.id, u.row) for u in units if u.id], "unit_id", issues)
    return units


def read_villages(table: RawTable | None, settings: Settings, issues: Collector) -> list[Village]:
    """Read the 村 villages sheet; units_required defaults to the setting."""
    villages: list[Village] = []
    for r in rows(table, issues):
        village_id, name, town = r.required("village_id"), r.required("name"), r.required("town")
        lat, lon = read_coordinates(r)
        villages.append(
            Village(
                village_id,
                name,
                town,
                lat,
                lon,
                r.count("households", 0, 0, 10**7) or None,
                r.count("population", 0, 0, 10**8) or None,
                r.parsed("needs", parse_tags, frozenset()),
                r.parsed("typical", parse_bool, False),
                r.count("units_required", settings.units_per_village, 1, 1000),
                r.row,
            )
        )
    check_unique(table, [(v.id, v.row) for v in villages if v.id], "village_id", issues)
    return villages


@dataclass(frozen=True)
class Ids:
    """Known unit and village ids, for cross-sheet checks.

    ``units_read`` / ``villages_read`` say whether the sheet was read at all: when 单位 is
    missing (already one issue), every id elsewhere is unknown, and listing each of them would
    bury the one message that matters under hundreds.
    """

    units: frozenset[str]
    villages: frozenset[str]
    units_read: bool = True
    villages_read: bool = True
    # 单位变更: a merged or renamed unit's old id -> its id now (history, rules and scores
    # written under the old id are read as the new unit's); a removed unit's rows are dropped.
    renamed: Mapping[str, str] = field(default_factory=dict)
    removed: frozenset[str] = frozenset()

    def unknown_unit(self, unit_id: str) -> bool:
        """Return whether ``unit_id`` is known not to be on the 单位 sheet."""
        return bool(unit_id) and self.units_read and unit_id not in self.units

    def unknown_village(self, village_id: str) -> bool:
        """Return whether ``village_id`` is known not to be on the 村 sheet."""
        return bool(village_id) and self.villages_read and village_id not in self.villages

    def check(self, r: RowReader) -> tuple[str, str]:
        """Read unit_id and village_id and record those that are not in 单位 / 村.

        An id 单位变更 names is read as the unit's id now; a removed unit's row reads as ""
        (the caller drops it) and is no error.
        """
        unit_id, village_id = r.required("unit_id"), r.required("village_id")
        unit_id = self.renamed.get(unit_id, unit_id)
        if unit_id in self.removed:
            return "", village_id
        if self.unknown_unit(unit_id):
            r.fail(
                "unit_id",
                f"单位编号「{quote(unit_id)}」不在「单位」表中；请先在单位表添加或更正编号",
                f"unit id '{quote(unit_id)}' is not on the units sheet; add it there or correct it",
            )
        if "village_id" in r.table.columns and self.unknown_village(village_id):
            r.fail(
                "village_id",
                f"村编号「{quote(village_id)}」不在「村」表中；请先在村表添加或更正编号",
                f"village id '{quote(village_id)}' is not on the villages sheet; add it there or "
                "correct it",
            )
        return unit_id, village_id


def read_history(table: RawTable | None, ids: Ids, issues: Collector) -> list[PastPairing]:
    """Read 历史结对 past pairings."""
    history: list[PastPairing] = []
    seen: dict[tuple[str, str, int], int] = {}
    for r in rows(table, issues):
        unit_id, village_id = ids.check(r)
        start = r.count("start_year", 0, 1949, 2100)
        end = r.parsed("end_year", parse_int, None)
        if end is not None and end < start:
            r.fail(
                "end_year",
                f"结束年 {end} 早于起始年 {start}",
                f"end_year {end} is before start_year {start}",
            )
        rating: Any = r.choice("rating", None)
        key = (unit_id, village_id, start)
        if key in seen:
            r.fail("start_year", f"与第{seen[key]}行重复", f"repeats row {seen[key]}")
        seen[key] = r.row
        if r.ok and unit_id:
            history.append(PastPairing(unit_id, village_id, start, end, rating, r.row))
    return history


def read_rules(table: RawTable | None, ids: Ids, issues: Collector) -> list[PairRule]:
    """Read 指定 rules and reject contradictions on one pair (must and forbid, or repeats)."""
    rules: list[PairRule] = []
    by_pair: dict[tuple[str, str], PairRule] = {}
    for r in rows(table, issues):
        unit_id, village_id = ids.check(r)
        verb: Any = r.choice("rule", None)
        rank = r.parsed("rank", parse_int, None)
        if rank is not None and rank < 1:
            r.fail("rank", "排序应为 1 起的正整数", "rank must be a positive whole number, 1 first")
        if not r.ok or verb is None or not unit_id:
            continue
        earlier = by_pair.get((unit_id, village_id))
        if earlier is not None:
            what = {"must": "必须", "forbid": "禁止", "prefer": "意向"}
            rule_id = "P03" if {earlier.verb, verb} == {"must", "forbid"} else ""
            r.fail(
                "rule",
                f"同一对（{quote(unit_id)}, {quote(village_id)}）已在第{earlier.row}行写为"
                f"「{what[earlier.verb]}」，此处又写「{what[verb]}」；每对只保留一行",
                f"pair ({quote(unit_id)}, {quote(village_id)}) is already '{earlier.verb}' on row "
                f"{earlier.row} and '{verb}' here; keep one row per pair",
                rule_id,
            )
            continue
        rule = PairRule(unit_id, village_id, verb, rank, r.text("reason"), r.row)
        by_pair[(unit_id, village_id)] = rule
        rules.append(rule)
    return rules


def read_obligations(table: RawTable | None, issues: Collector) -> list[Obligation]:
    """Read 活动要求 obligations; ``times`` must fit in its period."""
    obligations: list[Obligation] = []
    for r in rows(table, issues):
        code, name = r.required("code"), r.required("name")
        every: Any = r.choice("every", None)
        times = r.count("times", 1, 1, 366)
        if every is not None and times > PERIOD_DAYS[every]:
            r.fail(
                "times",
                f"每{every}做 {times} 次超过了天数",
                f"{times} times a {every} is more than its days",
            )
        joint = r.parsed("joint", parse_bool, False)
        day_type: Any = r.choice("day_type", "any")
        policy: Any = r.choice("holiday_policy", "avoid")
        who: Any = r.choice("who", "unit")
        if r.ok and every is not None:
            obligations.append(
                Obligation(code, name, every, times, joint, day_type, policy, who, r.row)
            )
    check_unique(table, [(o.code, o.row) for o in obligations], "code", issues)
    return obligations


def read_blackouts(
    table: RawTable | None, towns: set[str], ids: Ids, issues: Collector
) -> list[Blackout]:
    """Read 禁排日期; a scope is 全部/all, a town, a village id or a unit id."""
    blackouts: list[Blackout] = []
    for r in rows(table, issues):
        scope = r.required("scope")
        start = r.parsed("start", parse_date, None)
        end = r.parsed("end", parse_date, None)
        kind: Any
        if scope.casefold() in ALL_SCOPE:
            kind = "all"
        elif scope in ids.villages:
            kind = "village"
        elif scope in ids.units:
            kind = "unit"
        elif scope in towns:
            kind = "town"
        else:
            if ids.units_read and ids.villages_read:  # else 单位 or 村 is missing: unknowable
                r.fail(
                    "scope",
                    f"范围「{quote(scope)}」既不是「全部」，也不是已知的镇、村编号或单位编号",
                    f"scope '{quote(scope)}' is not 'all', a known town, village id or unit id",
                )
            continue
        if start is None or end is None:
            if start is None:
                r.required("start")
            if end is None:
                r.required("end")
            continue
        if end < start:
            r.fail("end", f"结束日 {end} 早于开始日 {start}", f"end {end} is before start {start}")
            continue
        if r.ok:
            blackouts.append(Blackout(kind, scope, start, end, r.text("reason"), r.row))
    return blackouts


def read_holidays(table: RawTable | None, issues: Collector) -> list[HolidayOverride]:
    """Read 节假日 overrides; a date may appear once."""
    overrides: list[HolidayOverride] = []
    seen: dict[object, int] = {}
    for r in rows(table, issues):
        day = r.parsed("date", parse_date, None)
        kind: Any = r.choice("kind", None)
        if day is None:
            r.required("date")
        elif day in seen:
            r.fail(
                "date", f"日期 {day} 与第{seen[day]}行重复", f"date {day} repeats row {seen[day]}"
            )
        elif r.ok and kind is not None:
            seen[day] = r.row
            overrides.append(HolidayOverride(day, kind, r.row))
    return overrides


def read_scores(table: RawTable | None, ids: Ids, issues: Collector) -> list[Score]:
    """Read 评分 planner scores; a pair may be scored once.

    A county may score every pair (1,000 units × 500 villages: 500,000 rows), so a row whose
    ids are known and whose score is a plain number is read by :class:`PlainScores`; any other
    row takes the general path below, which words its problems.
    """
    scores: list[Score] = []
    if table is None:
        return scores
    plain = PlainScores(table, ids)
    with paused_gc():
        _read_score_rows(table, ids, issues, plain, scores)
    return scores


def _read_score_rows(
    table: RawTable, ids: Ids, issues: Collector, plain: PlainScores, scores: list[Score]
) -> None:
    seen: dict[tuple[str, str], int] = {}
    for number, values in table.rows:
        read = plain.read(values)
        if read is not None and (read[0], read[1]) not in seen:
            seen[(read[0], read[1])] = number
            scores.append(Score(read[0], read[1], read[2], number))
            continue
        r = RowReader(table, number, values, issues)
        unit_id, village_id = ids.check(r)
        value = r.parsed("score", parse_float, None)
        if value is None:
            r.required("score")
        pair = (unit_id, village_id)
        if pair in seen:
            r.fail(
                "village_id",
                f"此对已在第{seen[pair]}行评分",
                f"this pair is already scored on row {seen[pair]}",
            )
        elif r.ok and value is not None and unit_id:
            seen[pair] = r.row
            scores.append(Score(unit_id, village_id, value, r.row))


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while many acyclic records are made.

    Half a million Score records (with their tuples and dict entries) set off collections
    that scan every object made so far: 40% of reading a full 评分 sheet went to them.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class PlainScores:
    """Reads a score row that needs no words: known ids and a plain finite number.

    It gives what the general path would (the same cleaning of ids, the same number) or None,
    and then the row takes the general path. Ids repeat on every row of a full sheet, so each
    distinct cell is cleaned once. On ``python bench/matcher.py``'s 1000x500 workload
    (500,000 rows) ``read_scores`` took 2.8 s before, 0.8 s with it (medians of 3, 2 cores).
    """

    def __init__(self, table: RawTable, ids: Ids) -> None:
        self.ids = ids
        at = [table.columns.get(key) for key in ("unit_id", "village_id", "score")]
        self.unit_at, self.village_at, self.score_at = (-1 if i is None else i for i in at)
        self.width = 1 << 62 if None in at else max(i for i in at if i is not None)
        self.units: dict[object, str | None] = {}  # a cell as typed -> its known id, or None
        self.villages: dict[object, str | None] = {}

    def read(self, values: tuple[object, ...]) -> tuple[str, str, float] | None:
        """Return (unit id, village id, score) of a plain row, else None."""
        if self.width >= len(values):
            return None
        unit = _known(values[self.unit_at], self.units, self.ids.units)
        village = _known(values[self.village_at], self.villages, self.ids.villages)
        if unit is None or village is None:
            return None
        score = _plain_number(values[self.score_at])
        return None if score is None else (unit, village, score)


def _known(value: object, cache: dict[object, str | None], known: frozenset[str]) -> str | None:
    """The id a cell cleans to when it is in ``known``, else None; each cell cleaned once.

    Text is its own key; other cells are keyed with their type (1, 1.0 and True are equal
    keys, not equal cells).
    """
    key = value if type(value) is str else (type(value), value)
    try:
        return cache[key]
    except KeyError:
        text = clean_text(value)
        found = cache[key] = text if text in known else None
        return found


def _plain_number(value: object) -> float | None:
    """A cell :func:`parse_float` reads as this same number without a word, else None.

    ASCII text needs no cleaning for ``float`` (invisible characters are not ASCII and it
    strips spaces itself); anything else, or a number out of range, is left to the general
    path.
    """
    if type(value) is float or (type(value) is int and abs(value) <= 10**12):
        number = float(value)
    elif type(value) is str and value.isascii():
        try:
            number = float(value)
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) and abs(number) <= 1e12 else None


def read_members(table: RawTable | None, ids: Ids, issues: Collector) -> list[Member]:
    """Read 队员 team members."""
    members: list[Member] = []
    for r in rows(table, issues):
        unit_id = r.required("unit_id")
        if ids.unknown_unit(unit_id):
            r.fail(
                "unit_id",
                f"单位编号「{quote(unit_id)}」不在「单位」表中",
                f"unit id '{quote(unit_id)}' is not on the units sheet",
            )
        name = r.required("name")
        role: Any = r.choice("role", "member")
        if r.ok:
            members.append(Member(unit_id, name, role, r.row))
    return members


def read_settings_table(table: RawTable | None, issues: Collector) -> Settings:
    """Read 参数 settings (key/value rows)."""
    if table is None:
        return Settings()
    triples = [(n, table.get(v, "key"), table.get(v, "value")) for n, v in table.rows]
    settings, problems = build_settings(triples)
    for problem in problems:
        issues.add(table.spec, problem.row, problem.column, problem.zh, problem.en)
    return settings


def check_supply(problem: Problem, issues: Collector, units_sheet: Sheet) -> None:
    """Flag a county where the villages need more places than units can give (and vice versa)."""
    least, most = problem.slots
    demand = problem.demand
    if problem.units and problem.villages and not least <= demand <= most:
        issues.add(
            units_sheet,
            None,
            None,
            f"名额不匹配：各村共需 {demand} 个单位名额，单位可提供 {least}–{most} 个；请调整最少/最多村数或需结对单位数",
            f"places do not match: villages need {demand} unit places, units offer {least}-{most}; "
            "adjust min/max_villages or units_required",
            "P01",
        )


def town_names(villages: list[Village]) -> set[str]:
    """Return the set of town names on the villages sheet."""
    return {village.town for village in villages if village.town}


def count_issues(issues: list[Issue]) -> Counter[str]:
    """Count issues per sheet (for the summary line)."""
    return Counter(issue.sheet for issue in issues)
