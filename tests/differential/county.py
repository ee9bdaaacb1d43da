"""A tiny county as plain data: the cells a planner would type, and its input workbook.

The differential test draws a county here, writes it as a real ``.xlsx`` with openpyxl and
hands the same cells to the oracle (:mod:`.oracle`), which reads them by ``models/README.md``.
Nothing here imports ``pairing``: the county is what the user typed, not what the tool read.

Blank and odd cells are drawn on purpose (blank strength, 强/中/弱, missing coordinates, blank
system, blank rank, blank end year, blank rating, blank 最少/最多村数 and 需结对单位数), and
weights come from ``WEIGHTS`` or are random decimals, so that every rule and its hard variant is
exercised somewhere.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

Cell = str | int | float | None

SOFT_RULES = ("P10", "P11", "P12", "P13", "P14", "P15", "P16", "P17")
WEIGHTS = (0, 0.5, 1, 5, 30, 100, 1000)
TAGS = ("产业", "林业", "电商", "法律", "教育")
SYSTEMS = ("政府部门", "国企", "党委部门")
TOWNS = ("镇A", "镇B", "镇C")
TAG_JOINS = ("、", ",", "，", "; ", "/", " ")
STRENGTH_WORDS = ("强", "中", "弱", "强", "中", "弱", "strong", "weak")
RATINGS = ("好", "中", "差")

UNIT_HEADERS = (
    "单位编号 (unit_id)",
    "单位名称 (name)",
    "系统 (system)",
    "帮扶力量 (strength)",
    "职能优势 (skills)",
    "最少村数 (min_villages)",
    "最多村数 (max_villages)",
    "纬度 (lat)",
    "经度 (lon)",
)
VILLAGE_HEADERS = (
    "村编号 (village_id)",
    "村名 (name)",
    "所属镇 (town)",
    "纬度 (lat)",
    "经度 (lon)",
    "短板需求 (needs)",
    "典型村 (typical)",
    "需结对单位数 (units_required)",
)
HISTORY_HEADERS = (
    "单位编号 (unit_id)",
    "村编号 (village_id)",
    "起始年 (start_year)",
    "结束年 (end_year)",
    "成效 (rating)",
)
RULE_HEADERS = ("单位编号 (unit_id)", "村编号 (village_id)", "规则 (rule)", "排序 (rank)")
SCORE_HEADERS = ("单位编号 (unit_id)", "村编号 (village_id)", "评分 (score)")
SETTING_HEADERS = ("参数 (key)", "值 (value)")


@dataclass(frozen=True)
class UnitRow:
    """One 单位 row as typed."""

    id: str
    system: Cell
    strength: Cell
    skills: Cell
    low: Cell
    high: Cell
    lat: Cell
    lon: Cell

    def cells(self) -> tuple[Cell, ...]:
        """The row in ``UNIT_HEADERS`` order."""
        name = "单位" + self.id[1:]
        return (
            self.id,
            name,
            self.system,
            self.strength,
            self.skills,
            self.low,
            self.high,
            self.lat,
            self.lon,
        )


@dataclass(frozen=True)
class VillageRow:
    """One 村 row as typed."""

    id: str
    town: str
    lat: Cell
    lon: Cell
    needs: Cell
    typical: Cell
    required: Cell

    def cells(self) -> tuple[Cell, ...]:
        """The row in ``VILLAGE_HEADERS`` order."""
        name = "村" + self.id[1:]
        return (
            self.id,
            name,
            self.town,
            self.lat,
            self.lon,
            self.needs,
            self.typical,
            self.required,
        )


@dataclass(frozen=True)
class HistoryRow:
    """One 历史结对 row as typed."""

    unit: str
    village: str
    start: int
    end: int | None
    rating: str | None

    def cells(self) -> tuple[Cell, ...]:
        """The row in ``HISTORY_HEADERS`` order."""
        return (self.unit, self.village, self.start, self.end, self.rating)


@dataclass(frozen=True)
class RuleRow:
    """One 指定 row as typed: 必须, 禁止 or 意向, with a rank or none."""

    unit: str
    village: str
    verb: str
    rank: int | None

    def cells(self) -> tuple[Cell, ...]:
        """The row in ``RULE_HEADERS`` order."""
        return (self.unit, self.village, self.verb, self.rank)


@dataclass(frozen=True)
class ScoreRow:
    """One 评分 row as typed."""

    unit: str
    village: str
    score: float

    def cells(self) -> tuple[Cell, ...]:
        """The row in ``SCORE_HEADERS`` order."""
        return (self.unit, self.village, self.score)


@dataclass(frozen=True)
class County:
    """Every sheet of a tiny county's input workbook, as typed."""

    units: tuple[UnitRow, ...]
    villages: tuple[VillageRow, ...]
    history: tuple[HistoryRow, ...] = ()
    rules: tuple[RuleRow, ...] = ()
    scores: tuple[ScoreRow, ...] = ()
    settings: tuple[tuple[str, Cell], ...] = field(default_factory=tuple)

    def describe(self) -> str:
        """A few words to say which county failed (sizes and settings)."""
        settings = ", ".join(f"{k}={v}" for k, v in self.settings)
        return (
            f"{len(self.units)} units, {len(self.villages)} villages, {len(self.history)} "
            f"history, {len(self.rules)} rules, {len(self.scores)} scores; {settings}"
        )


def write_workbook(county: County, path: Path) -> Path:
    """Write ``county`` as an input workbook (only the sheets it has rows for)."""
    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    sheets: list[tuple[str, tuple[str, ...], list[tuple[Cell, ...]]]] = [
        ("单位 units", UNIT_HEADERS, [u.cells() for u in county.units]),
        ("村 villages", VILLAGE_HEADERS, [v.cells() for v in county.villages]),
        ("历史结对 history", HISTORY_HEADERS, [h.cells() for h in county.history]),
        ("指定 rules", RULE_HEADERS, [r.cells() for r in county.rules]),
        ("评分 scores", SCORE_HEADERS, [s.cells() for s in county.scores]),
        ("参数 settings", SETTING_HEADERS, [tuple(kv) for kv in county.settings]),
    ]
    for title, headers, rows in sheets:
        if rows or title.startswith(("单位", "村")):
            sheet = book.create_sheet(title)
            sheet.append(headers)
            for row in rows:
                sheet.append(row)
    book.save(path)
    return path


def read_workbook(path: Path) -> County:
    """Read back a workbook in this module's own layout (the case files share it).

    Sheets are found by their Chinese title word, columns by the English key in parentheses;
    this reads our layout only, not every workbook the tool accepts.
    """
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    tables = {title.split()[0]: _records(book[title]) for title in book.sheetnames}
    book.close()
    return County(
        units=tuple(
            UnitRow(
                str(r["unit_id"]),
                r.get("system"),
                r.get("strength"),
                r.get("skills"),
                r.get("min_villages"),
                r.get("max_villages"),
                r.get("lat"),
                r.get("lon"),
            )
            for r in tables.get("单位", [])
        ),
        villages=tuple(
            VillageRow(
                str(r["village_id"]),
                str(r["town"]),
                r.get("lat"),
                r.get("lon"),
                r.get("needs"),
                r.get("typical"),
                r.get("units_required"),
            )
            for r in tables.get("村", [])
        ),
        history=tuple(
            HistoryRow(
                str(r["unit_id"]),
                str(r["village_id"]),
                int(r["start_year"]),  # type: ignore[arg-type]
                None if r.get("end_year") is None else int(r["end_year"]),  # type: ignore[arg-type]
                None if r.get("rating") is None else str(r["rating"]),
            )
            for r in tables.get("历史结对", [])
        ),
        rules=tuple(
            RuleRow(
                str(r["unit_id"]),
                str(r["village_id"]),
                str(r["rule"]),
                None if r.get("rank") is None else int(r["rank"]),  # type: ignore[arg-type]
            )
            for r in tables.get("指定", [])
        ),
        scores=tuple(
            ScoreRow(str(r["unit_id"]), str(r["village_id"]), float(r["score"]))  # type: ignore[arg-type]
            for r in tables.get("评分", [])
        ),
        settings=tuple((str(r["key"]), r.get("value")) for r in tables.get("参数", [])),
    )


def _records(sheet: object) -> list[dict[str, Cell]]:
    """A sheet's rows as dicts keyed by the English key of each ``中文 (english)`` header."""
    rows = list(sheet.iter_rows(values_only=True))  # type: ignore[attr-defined]
    keys = [str(h).split("(")[-1].rstrip(")") for h in rows[0]]
    return [
        dict(zip(keys, row, strict=False)) for row in rows[1:] if any(c is not None for c in row)
    ]


def random_county(seed: int) -> County:
    """Draw a tiny county (≤ 4 villages, ≤ 7 units) from ``seed``, reproducibly."""
    rng = random.Random(f"differential-{seed}")
    villages = tuple(_village(rng, i) for i in range(1, rng.randint(1, 4) + 1))
    settings = _settings(rng)
    units = _units(rng, rng.randint(2, 7), _demand(villages, settings), len(villages))
    plan_year = int(dict(settings)["plan_year"])  # type: ignore[arg-type]
    pairs = [(u.id, v.id) for u in units for v in villages]
    return County(
        units=units,
        villages=villages,
        history=_history(rng, pairs, plan_year),
        rules=_rules(rng, pairs),
        scores=_scores(rng, pairs),
        settings=settings,
    )


def _demand(villages: tuple[VillageRow, ...], settings: tuple[tuple[str, Cell], ...]) -> int:
    """Places the villages need (a blank 需结对单位数 is ``units_per_village``, default 2)."""
    default = int(dict(settings).get("units_per_village", 2))  # type: ignore[arg-type]
    return sum(default if v.required is None else int(v.required) for v in villages)


def _coordinates(rng: random.Random, lat: float, lon: float) -> tuple[Cell, Cell]:
    """A point near (lat, lon), or none (about one time in five)."""
    if rng.random() < 0.2:
        return None, None
    return round(lat + rng.uniform(-0.12, 0.12), 4), round(lon + rng.uniform(-0.12, 0.12), 4)


def _tags(rng: random.Random, most: int) -> Cell:
    """A tag cell: blank, or a few tags joined by one of the separators the reader splits on."""
    chosen = rng.sample(TAGS, rng.randint(0, most))
    return rng.choice(TAG_JOINS).join(chosen) if chosen else None


def _village(rng: random.Random, index: int) -> VillageRow:
    lat, lon = _coordinates(rng, 22.12, 111.06)
    return VillageRow(
        id=f"V{index}",
        town=rng.choice(TOWNS),
        lat=lat,
        lon=lon,
        needs=_tags(rng, 2),
        typical=rng.choice((None, None, "是", "否", "Y")),
        required=rng.choice((None, 1, 2, 2)),
    )


def _strength(rng: random.Random) -> Cell:
    """Blank, a word (强/中/弱), a round number or a random decimal."""
    kind = rng.random()
    if kind < 0.2:
        return None
    if kind < 0.4:
        return rng.choice(STRENGTH_WORDS)
    if kind < 0.8:
        return rng.choice((0.5, 1, 1.5, 2, 2.5, 3, 3.5))
    return round(rng.uniform(0.1, 4.0), rng.randint(1, 3))


def _capacity(rng: random.Random) -> tuple[Cell, Cell]:
    """最少/最多村数 as typed: blanks, 0-3, never min > max (that is an input error)."""
    high = rng.choice((None, None, 0, 1, 1, 2, 3))
    if high == 0:
        return 0, 0
    most = 1 if high is None else int(high)
    return rng.choice((None, None, 0, 1, most)), high


def _units(rng: random.Random, count: int, demand: int, villages: int) -> tuple[UnitRow, ...]:
    """Units, with capacities fitted to the demand (mostly: a county may have no plan)."""
    capacities = [_capacity(rng) for _ in range(count)]
    if rng.random() < 0.9:
        capacities = _fitted(rng, capacities, demand, villages)
    units = []
    for i, (low, high) in enumerate(capacities, start=1):
        lat, lon = _coordinates(rng, 21.95, 110.85)
        units.append(
            UnitRow(
                id=f"U{i}",
                system=rng.choice((None, *SYSTEMS)),
                strength=_strength(rng),
                skills=_tags(rng, 3),
                low=low,
                high=high,
                lat=lat,
                lon=lon,
            )
        )
    return tuple(units)


def _most(low: Cell, high: Cell) -> int:
    """The unit's effective 最多村数 (blank = max(1, 最少村数))."""
    return max(1, 1 if low is None else int(low)) if high is None else int(high)


def _least(low: Cell) -> int:
    """The unit's effective 最少村数 (blank = 1)."""
    return 1 if low is None else int(low)


def _fitted(
    rng: random.Random, capacities: list[tuple[Cell, Cell]], demand: int, villages: int
) -> list[tuple[Cell, Cell]]:
    """Raise random units' 最多村数 (to at most 3) until the places cover the demand; write
    最少村数 0 on random units until their least places fit in it (and no unit must take more
    villages than there are)."""
    out = [(0, high) if _least(low) > villages else (low, high) for low, high in capacities]
    for _ in range(40):
        if sum(min(villages, _most(low, high)) for low, high in out) >= demand:
            break
        i = rng.randrange(len(out))
        low, high = out[i]
        out[i] = (low, min(3, villages, _most(low, high) + 1))
    for _ in range(40):
        if sum(_least(low) for low, _ in out) <= demand:
            break
        i = rng.randrange(len(out))
        out[i] = (0, out[i][1])
    return out


def _history(
    rng: random.Random, pairs: list[tuple[str, str]], plan_year: int
) -> tuple[HistoryRow, ...]:
    """0-4 rows; a pair may have two (one of them ended), start years unique per pair."""
    rows: list[HistoryRow] = []
    for unit, village in rng.sample(pairs, min(len(pairs), rng.randint(0, 4))):
        start = rng.randint(plan_year - 8, plan_year)
        rows.append(_history_row(rng, unit, village, start, plan_year, open_end=True))
        if rng.random() < 0.25 and start > plan_year - 8:
            earlier = rng.randint(plan_year - 10, start - 1)
            rows.append(_history_row(rng, unit, village, earlier, plan_year, open_end=False))
    rng.shuffle(rows)
    return tuple(rows)


def _history_row(
    rng: random.Random, unit: str, village: str, start: int, plan_year: int, *, open_end: bool
) -> HistoryRow:
    """A row ending blank (only when ``open_end``), or some year from its start on."""
    end: int | None = None
    if not open_end or rng.random() < 0.6:
        end = rng.randint(start, max(start, plan_year + 1))
    return HistoryRow(unit, village, start, end, rng.choice((None, *RATINGS)))


def _rules(rng: random.Random, pairs: list[tuple[str, str]]) -> tuple[RuleRow, ...]:
    """0-3 指定 rows on distinct pairs (a pair may carry one rule only)."""
    rows = []
    for unit, village in rng.sample(pairs, min(len(pairs), rng.choice((0, 0, 1, 2, 3)))):
        verb = rng.choice(("必须", "禁止", "意向", "意向"))
        rank = rng.choice((None, 1, 2, 3)) if verb == "意向" else None
        rows.append(RuleRow(unit, village, verb, rank))
    return tuple(rows)


def _scores(rng: random.Random, pairs: list[tuple[str, str]]) -> tuple[ScoreRow, ...]:
    """0-4 评分 rows on distinct pairs, positive, negative or zero, often decimals."""
    rows = []
    for unit, village in rng.sample(pairs, min(len(pairs), rng.choice((0, 0, 2, 4)))):
        score = rng.choice((0, 1, -1, 2, round(rng.uniform(-3, 3), rng.randint(1, 4))))
        rows.append(ScoreRow(unit, village, score))
    return tuple(rows)


def _weight(rng: random.Random) -> Cell:
    """A weight from ``WEIGHTS`` or a random decimal (about one time in four)."""
    if rng.random() < 0.25:
        return round(rng.uniform(0, 60), rng.randint(1, 4))
    return rng.choice(WEIGHTS)


def _settings(rng: random.Random) -> tuple[tuple[str, Cell], ...]:
    """The 参数 rows: a plan year always, each other key sometimes."""
    rows: list[tuple[str, Cell]] = [("plan_year", rng.randint(2025, 2027))]
    optional: list[tuple[float, str, Cell]] = [
        (0.3, "units_per_village", rng.choice((1, 2))),
        (0.3, "max_tenure_years", rng.randint(1, 6)),
        (0.1, "P10_hard", "是"),
        (0.1, "P11_hard", "是"),
        (0.1, "P12_min_strength", rng.choice((0.5, 1, 1.5, 2, 3, round(rng.uniform(0, 4), 2)))),
        (0.15, "P13_max_km", rng.choice((25, 30, 35, 40, round(rng.uniform(20, 50), 2)))),
        (0.3, "county_seat_lat", 21.9),
        (0.2, "circuity", rng.choice((1.0, 1.25, 1.5))),
        (0.2, "P12_typical_weight", rng.choice((0, 1, 3, 2.5))),
        (0.2, "P12_typical_boost", rng.choice((1, 1.5, 0.8))),
    ]
    for chance, key, value in optional:
        if rng.random() < chance:
            rows.append((key, value))
            if key == "county_seat_lat":
                rows.append(("county_seat_lon", 110.85))
    for rule in SOFT_RULES:
        if rng.random() < 0.6:
            rows.append((rule, _weight(rng)))
    return tuple(rows)
