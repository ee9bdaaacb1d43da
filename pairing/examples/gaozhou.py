"""A Gaozhou-sized example county, generated deterministically from a seed.

Gaozhou (高州) paired 108 county units with 54 key villages in 2024, two units per village
(``DOMAIN.md``). This module builds a synthetic county of that shape for the plan year 2027:
the towns, and the villages and units named in public sources (``data/*.csv``), filled up with
plausible ones; a previous round of pairings, locks, forbids, preferences, scores, blackouts and
teams. Names and town coordinates come from the research notes; everything else (strengths,
skills, needs, history, teams) is made up.

The example is feasible by construction: a hidden assignment that obeys every hard rule is
built first, and only forbids and tenure blocks that it does not use are added afterwards
(:func:`check_construction` proves it on every generation). Every random draw comes from
``random.Random`` seeded with the seed and the name of the part being drawn, and every
iteration is over sorted data, so one seed always gives the same cells.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from openpyxl.workbook.workbook import Workbook

from pairing.domain.cells import parse_tags
from pairing.domain.model import (
    Blackout,
    Member,
    PairRule,
    PastPairing,
    Problem,
    Rating,
    Score,
    Settings,
    Unit,
    Village,
)
from pairing.domain.pairs import PairFacts
from pairing.domain.schema import (
    AREAS,
    BLACKOUTS,
    GROUPS,
    HISTORY,
    HOUSEHOLDS,
    MEMBERS,
    RULES_SHEET,
    SCORES,
    UNITS,
    VILLAGE_MEMBERS,
    VILLAGES,
)
from pairing.examples.people import example_people
from pairing.io.output import save_workbook
from pairing.io.people import People
from pairing.io.rulemodel import RuleModel, load_rule_model
from pairing.io.template import Rows, build_input_workbook, obligation_rows, settings_rows
from pairing.io.workbook_writer import record_row

DEFAULT_SEED = 2024
PLAN_YEAR = 2027
MAX_TENURE_YEARS = 6
HOUSEHOLDS_PER_TEAM = 10
"""每组户数 N of the example's 1+1+N cover: every admissible plan gives a key village at least
four unit members (two units of two), so N = 10 admits 40 listed households in any plan; the
default 5 would cap every village at 20."""
VILLAGE_COUNT = 54
TYPICAL_TARGET = 26  # seed 001: Gaozhou aimed at 31 typical villages; about half of the 54 here
MIN_ELIGIBLE = 4  # every village keeps at least this many units that no hard rule bars
COUNTY = "高州市"  # the 安排表's title: 高州市2027年结对共建安排表
SEAT_TOWN = "潘州街道"  # the city seat: county units sit here
# History: 3 story pairs + 40 continuing + 29 moving = 72 running pairs, two thirds of the
# 108 places (the previous round); 18 pairs of an older round ended long ago.
CONTINUING = 40
MOVING = 29
ENDED = 18

# The stories of seed 001, as pairs the generator fixes (unit name, village name, reason).
OFFICE = "中共高州市委办公室"
OFFICE_LOCKS = (
    ("程村村", "自选 self-selected"),
    ("元坝村", "统一安排 arranged by the county"),
    ("柏桥村", "统一安排 arranged by the county"),
)
EXTERNAL_LOCKS = (
    ("高州市投资促进中心", "耀新村", "与茂名石化高州分公司共同挂钩 jointly with the state firm"),
    ("茂名石化高州分公司", "耀新村", "外部力量 external partner (state firm branch)"),
)
STORY_PREFERENCES = (
    ("高州市林业局", "荷垌村", 1, "湿地公园规划 planned wetland park (二次创业 in 曹江镇)"),
    ("高州市林业局", "坑垌村", 2, "2015 年曾在此植树 planted trees here in 2015"),
    ("高州市市场监督管理局", "古丁村", 1, "品牌与地理标志 brands and GI products"),
    ("高州市市场监督管理局", "储良村", 2, "储良龙眼品牌 the 储良 longan brand"),
    ("高州市政协办公室", "朗练村", 1, "政协主席带队调研 the CPPCC chair leads this pair"),
)
# (unit, village, start year, rating): running pairs the articles imply. 林业局 has served
# 帅堂村 since 2021, so at max_tenure_years 6 rotation (P05) moves it on in 2027.
STORY_RUNNING: tuple[tuple[str, str, int, Rating], ...] = (
    ("高州市林业局", "帅堂村", 2021, "好"),
    ("高州市政协办公室", "朗练村", 2023, "好"),
    (OFFICE, "程村村", 2022, "好"),
)
# Units whose capacity differs from one village: the office takes three; two big units may
# take two; three reserve units may take none, so that supply (107-112) brackets demand (108).
CAPACITY: Mapping[str, tuple[int, int]] = {
    OFFICE: (3, 3),
    "高州市农业农村局": (1, 2),
    "高州市人民医院": (1, 2),
    "高州市应急管理局": (0, 1),
    "高州市信访局": (0, 1),
    "高州市档案馆": (0, 1),
}

SKILL_TAGS = (
    "产业", "电商", "文旅", "林业", "农技", "水利", "交通", "法律",
    "医疗", "教育", "金融", "品牌", "招商", "规划", "党建",
)  # fmt: skip
# Extra skills a unit may add on top of its function: never the scarce ones (林业, 水利,
# 品牌, 交通), which stay with the few units whose function they are, so P10 binds.
EXTRA_SKILLS = ("产业", "电商", "党建", "教育", "金融", "招商", "规划", "文旅", "农技")
NEED_WEIGHTS: Mapping[str, int] = {
    "产业": 10, "电商": 8, "农技": 7, "文旅": 6, "招商": 5, "水利": 4, "交通": 4, "品牌": 4,
    "规划": 4, "林业": 3, "教育": 3, "党建": 3, "医疗": 2, "金融": 2, "法律": 1,
}  # fmt: skip
STRENGTH_WEIGHTS = (10, 30, 35, 20, 5)  # strength 1..5: few 5s
SIZE_SHIFT: Mapping[str, int] = {"大": 1, "中": 0, "小": -1}
PARTY_MEMBERS: Mapping[str, tuple[int, int]] = {"大": (50, 180), "中": (20, 60), "小": (8, 25)}
RATING_WEIGHTS: Mapping[Rating, int] = {"好": 50, "中": 38, "差": 12}

NAME_HEADS = tuple("大新石上下东西南龙凤黄白青竹禾长平和福安丰旺榕荔桂茶松沙湾岭")
NAME_TAILS = tuple("垌坡岭塘坑田湾坝埇水江头寨背冲陂岗边桥围圳岸")
SURNAMES = tuple("李陈黄梁林张王刘杨吴何罗邓冯钟谢曾庞柯朱潘莫赖庄叶苏邱卢")
GIVEN = tuple("志海文建伟明丽芳振庆国华永强军红玉兰春秋德宏嘉俊婷晓思雅美家荣祥立新平安洪丹敏")
# People named in seed 001: a generated team member never takes a real person's name.
REAL_PEOPLE = frozenset(
    (
        "张万盛",
        "李志基",
        "王土瑞",
        "黄媚",
        "庄家银",
        "官渭奇",
        "梁振庆",
        "罗桂添",
        "赖虎",
        "洪军",
        "白舒萍",
    )
)

CONFLICT_REASON = "单位负责人近亲属任该村“两委”干部，回避 / conflict of interest: a relative sits on the village committee"
APPROVAL_REASON = (
    "该村在建项目由本单位审批监管，回避 / the unit approves the village's current project"
)
AUDIT_REASON = "正在审计该村集体资金，回避 / the unit is auditing the village's collective funds"
AUDIT_UNIT = "高州市审计局"
APPROVING_SYSTEM = "政府部门"  # government departments approve and supervise village projects

Pair = tuple[str, str]  # (unit id, village id)
NO_PEOPLE = People((), (), (), (), ())


@dataclass(frozen=True, slots=True)
class Town:
    """A town (镇) or sub-district (街道) of Gaozhou with its (mostly estimated) coordinates."""

    name: str
    kind: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class UnitProfile:
    """A unit as the data files describe it: name, system, skills by function, size, base."""

    name: str
    system: str
    skills: frozenset[str]
    size: str
    base_town: str


@dataclass(frozen=True, slots=True)
class VillageProfile:
    """A village named in the sources: its town, needs, and typical flag when known."""

    name: str
    town: str
    needs: frozenset[str]
    typical: bool | None


@dataclass(frozen=True, slots=True)
class GaozhouExample:
    """One generated county: the records of every input sheet and the hidden witness.

    Attributes
    ----------
    seed
        The seed it was generated from.
    units, villages, history, rules, blackouts, scores, members
        The records of the input sheets, in the order they are written.
    seat
        The county seat (潘州街道), where units set out from.
    witness
        A hidden assignment ``(unit_id, village_id)`` that obeys every hard rule; the example
        is feasible because this exists. It is not written to the workbook.
    people
        The people layer of the 1+1+N cover (农户, 村党员, 村民小组, 片区, and the unit
        members' ids and 最多户数), feasible for ``pairing cover`` whatever plan is solved.
    """

    seed: int
    units: tuple[Unit, ...]
    villages: tuple[Village, ...]
    history: tuple[PastPairing, ...]
    rules: tuple[PairRule, ...]
    blackouts: tuple[Blackout, ...]
    scores: tuple[Score, ...]
    members: tuple[Member, ...]
    seat: tuple[float, float]
    witness: tuple[Pair, ...]
    people: People = NO_PEOPLE

    @property
    def settings(self) -> dict[str, object]:
        """Return the setting values that differ from the rule model's, by English key."""
        return {
            "county": COUNTY,
            "plan_year": PLAN_YEAR,
            "max_tenure_years": MAX_TENURE_YEARS,
            "county_seat_lat": self.seat[0],
            "county_seat_lon": self.seat[1],
            "cover_households_per_team": HOUSEHOLDS_PER_TEAM,
        }

    def problem(self) -> Problem:
        """Return the example as a problem, with the settings that bear on hard rules."""
        settings = Settings(
            plan_year=PLAN_YEAR,
            max_tenure_years=MAX_TENURE_YEARS,
            county_seat=self.seat,
            cover_households_per_team=HOUSEHOLDS_PER_TEAM,
        )
        return Problem(
            units=self.units,
            villages=self.villages,
            history=self.history,
            rules=self.rules,
            settings=settings,
            blackouts=self.blackouts,
            scores=self.scores,
            members=self.members,
        )

    def tables(self, model: RuleModel) -> dict[str, Rows]:
        """Return the rows of every input sheet, by sheet key (settings on top of ``model``)."""
        return {
            "units": [record_row(UNITS, unit) for unit in self.units],
            # units_required is left blank: it defaults to the setting units_per_village.
            "villages": [record_row(VILLAGES, v, omit=("units_required",)) for v in self.villages],
            "history": [record_row(HISTORY, past) for past in self.history],
            "rules": [record_row(RULES_SHEET, rule) for rule in self.rules],
            "settings": settings_rows(model, self.settings),
            "obligations": obligation_rows(model),
            "blackouts": [record_row(BLACKOUTS, blackout) for blackout in self.blackouts],
            "scores": [record_row(SCORES, score) for score in self.scores],
            "members": member_rows(self.members, self.people),
            "households": [record_row(HOUSEHOLDS, h) for h in self.people.households],
            "village_members": [
                record_row(VILLAGE_MEMBERS, m) for m in self.people.village_members
            ],
            "groups": [record_row(GROUPS, g) for g in self.people.groups],
            "areas": [record_row(AREAS, a) for a in self.people.areas],
        }

    def intro(self) -> list[str]:
        """Return the paragraphs that introduce the example on its README sheet."""
        return [
            f"高州示例（虚构数据，种子 {self.seed}）：{len(self.units)} 个市直（含驻高）单位、"
            f"{len(self.villages)} 个重点村，每村 2 个单位，规划年份 {PLAN_YEAR}。",
            f"Gaozhou example (synthetic, seed {self.seed}): {len(self.units)} units, "
            f"{len(self.villages)} key villages, two units per village, plan year {PLAN_YEAR}.",
            "镇名、部分村名与单位名来自公开资料，坐标多为估计；力量、技能、需求、历史等均为虚构。"
            "详见 examples/README.md。",
            "Town, village and unit names come from public sources, coordinates are mostly "
            "estimated; strengths, skills, needs and history are made up. See examples/README.md.",
        ]


def data_rows(name: str) -> list[dict[str, str]]:
    """Return the rows of ``data/<name>`` (a CSV shipped inside the package) as dicts."""
    text = (
        resources.files("pairing.examples")
        .joinpath("data")
        .joinpath(name)
        .read_text(encoding="utf-8")
    )
    return list(csv.DictReader(text.splitlines()))


def load_towns() -> tuple[Town, ...]:
    """Return Gaozhou's towns and sub-districts in the order of ``gaozhou.csv``."""
    return tuple(
        Town(row["name_zh"], row["kind"], float(row["lat"]), float(row["lon"]))
        for row in data_rows("gaozhou.csv")
    )


def load_unit_profiles() -> tuple[UnitProfile, ...]:
    """Return the 108 unit profiles of ``unit_profiles.csv``, in file order."""
    return tuple(
        UnitProfile(
            row["unit_zh"], row["system"], parse_tags(row["skills"]), row["size"], row["base_town"]
        )
        for row in data_rows("unit_profiles.csv")
    )


def load_village_profiles() -> tuple[VillageProfile, ...]:
    """Return the villages named in ``gaozhou_villages.csv`` with needs from ``village_profiles.csv``."""
    towns = {
        row["village_zh"]: row["town_zh"].split("(")[0].strip()
        for row in data_rows("gaozhou_villages.csv")
    }
    return tuple(
        VillageProfile(
            row["village_zh"],
            towns[row["village_zh"]],
            parse_tags(row["needs"]),
            True if row["typical"] == "是" else None,
        )
        for row in data_rows("village_profiles.csv")
    )


def part_rng(seed: int, part: str) -> random.Random:
    """Return the random source of one part of the example (string seeds hash stably)."""
    return random.Random(f"{seed}:{part}")


def jitter(rng: random.Random, lat: float, lon: float, spread: float) -> tuple[float, float]:
    """Return a point within ``spread`` degrees of (lat, lon), rounded to 4 decimals (~10 m)."""
    return (
        round(lat + rng.uniform(-spread, spread), 4),
        round(lon + rng.uniform(-spread, spread), 4),
    )


def make_units(
    profiles: Sequence[UnitProfile], towns: Mapping[str, Town], seed: int
) -> tuple[Unit, ...]:
    """Return the units ``U001``... in profile order, with drawn strength, members and skills."""
    rng = part_rng(seed, "units")
    return tuple(
        make_unit(f"U{index:03d}", profile, towns, rng)
        for index, profile in enumerate(profiles, start=1)
    )


def make_unit(
    unit_id: str, profile: UnitProfile, towns: Mapping[str, Town], rng: random.Random
) -> Unit:
    """Return one unit: strength skewed by size, members by size, skills by function plus one."""
    base = rng.choices(range(1, 6), weights=STRENGTH_WEIGHTS)[0]
    strength = min(5, max(1, base + SIZE_SHIFT[profile.size]))
    skills = set(profile.skills)
    if rng.random() < 0.35:
        skills.add(rng.choice(EXTRA_SKILLS))
    town = towns[profile.base_town or SEAT_TOWN]
    spread = 0.012 if not profile.base_town else 0.02
    lat, lon = jitter(rng, town.lat, town.lon, spread)
    low, high = CAPACITY.get(profile.name, (1, 1))
    return Unit(
        id=unit_id,
        name=profile.name,
        system=profile.system,
        strength=float(strength),
        party_members=rng.randint(*PARTY_MEMBERS[profile.size]),
        skills=frozenset(skills),
        min_villages=low,
        max_villages=high,
        lat=lat,
        lon=lon,
    )


def plausible_names(
    count: int, taken: Iterable[str], towns: Sequence[Town], rng: random.Random
) -> list[str]:
    """Return ``count`` new village names of Gaozhou's shape (大垌村, 石岭村).

    None is in ``taken``, and none shares its stem with a town (南塘村 would read as a village
    of 南塘镇 wherever it lies).
    """
    used = set(taken)
    stems = {town.name[:-1] for town in towns} | {town.name[:-2] for town in towns}
    names: list[str] = []
    while len(names) < count:
        stem = rng.choice(NAME_HEADS) + rng.choice(NAME_TAILS)
        name = stem + "村"
        if name not in used and stem not in stems:
            used.add(name)
            names.append(name)
    return names


def generated_towns(
    known: Sequence[VillageProfile], towns: Sequence[Town], count: int, rng: random.Random
) -> list[str]:
    """Return the towns of ``count`` generated villages: two in each town the sources miss,
    the rest spread over rural towns, at most four key villages a town."""
    load = Counter(profile.town for profile in known)
    rural = [town.name for town in towns if town.kind == "镇"]
    chosen: list[str] = []
    for name in rural:
        if load[name] == 0:
            chosen += [name, name]
            load[name] += 2
    while len(chosen) < count:
        name = rng.choice([town for town in rural if load[town] < 4])
        chosen.append(name)
        load[name] += 1
    return chosen[:count]


def draw_needs(rng: random.Random) -> frozenset[str]:
    """Return 1-3 needs, drawn without replacement by :data:`NEED_WEIGHTS`."""
    count = rng.choices((1, 2, 3), weights=(3, 5, 2))[0]
    pool = dict(NEED_WEIGHTS)
    needs: set[str] = set()
    while len(needs) < count:
        tag = rng.choices(sorted(pool), weights=[pool[t] for t in sorted(pool)])[0]
        needs.add(tag)
        del pool[tag]
    return frozenset(needs)


def village_profiles(
    known: Sequence[VillageProfile], towns: Sequence[Town], seed: int
) -> list[VillageProfile]:
    """Return the 54 village profiles: the named ones, then generated ones, typical flags set."""
    rng = part_rng(seed, "villages")
    count = VILLAGE_COUNT - len(known)
    names = plausible_names(count, (profile.name for profile in known), towns, rng)
    places = generated_towns(known, towns, count, rng)
    generated = [
        VillageProfile(name, town, draw_needs(rng), None)
        for name, town in zip(names, places, strict=True)
    ]
    profiles = [*known, *generated]
    fixed = sum(profile.typical is True for profile in profiles)
    open_names = sorted(profile.name for profile in profiles if profile.typical is None)
    typical = set(rng.sample(open_names, TYPICAL_TARGET - fixed))
    return [
        VillageProfile(p.name, p.town, p.needs, p.typical is True or p.name in typical)
        for p in profiles
    ]


def make_villages(
    known: Sequence[VillageProfile], towns: Sequence[Town], seed: int
) -> tuple[Village, ...]:
    """Return the villages ``V001``... ordered by town (as in ``gaozhou.csv``), then name."""
    rng = part_rng(seed, "village-facts")
    order = {town.name: index for index, town in enumerate(towns)}
    by_name = {town.name: town for town in towns}
    profiles = sorted(village_profiles(known, towns, seed), key=lambda p: (order[p.town], p.name))
    villages = []
    for index, profile in enumerate(profiles, start=1):
        town = by_name[profile.town]
        lat, lon = jitter(rng, town.lat, town.lon, 0.03)
        households = rng.randint(350, 1600)
        villages.append(
            Village(
                id=f"V{index:03d}",
                name=profile.name,
                town=profile.town,
                lat=lat,
                lon=lon,
                households=households,
                population=round(households * rng.uniform(3.6, 4.8)),
                needs=profile.needs,
                typical=bool(profile.typical),
            )
        )
    return tuple(villages)


@dataclass(frozen=True, slots=True)
class Lookup:
    """Ids by name, for the story pairs that the sources name."""

    units: Mapping[str, str]
    villages: Mapping[str, str]

    def pair(self, unit_name: str, village_name: str) -> Pair:
        """Return the (unit id, village id) pair of two names."""
        return (self.units[unit_name], self.villages[village_name])


def lock_rules(lookup: Lookup) -> list[PairRule]:
    """Return the 必须 locks of seed 001: the office's three villages and the 耀新村 partners."""
    locks = [
        PairRule(*lookup.pair(OFFICE, village), "must", None, reason)
        for village, reason in OFFICE_LOCKS
    ]
    locks += [
        PairRule(*lookup.pair(unit, village), "must", None, reason)
        for unit, village, reason in EXTERNAL_LOCKS
    ]
    return locks


def preference_rules(lookup: Lookup) -> list[PairRule]:
    """Return the 意向 preferences of seed 001, ranked per unit."""
    return [
        PairRule(*lookup.pair(unit, village), "prefer", rank, reason)
        for unit, village, rank, reason in STORY_PREFERENCES
    ]


def hidden_assignment(
    units: Sequence[Unit], villages: Sequence[Village], fixed: Iterable[Pair], seed: int
) -> tuple[Pair, ...]:
    """Return an assignment obeying P01-P03 that contains ``fixed``: shuffled unit places.

    Each unit gets its ``min_villages`` places (fixed pairs count); the gap to the villages'
    demand is filled from units with room to spare. Places are shuffled onto the open village
    slots until no unit lands twice in one village.
    """
    rng = part_rng(seed, "witness")
    chosen = set(fixed)
    load = Counter(unit for unit, _ in chosen)
    places = [u.id for u in units for _ in range(max(0, u.min_villages - load[u.id]))]
    slots = [
        v.id for v in villages for _ in range(v.units_required - sum(p[1] == v.id for p in chosen))
    ]
    spare = [u.id for u in units if max(u.min_villages, load[u.id]) < u.max_villages]
    places += rng.sample(spare, len(slots) - len(places))
    for _ in range(1000):
        rng.shuffle(places)
        pairs = set(zip(places, slots, strict=True))
        if len(pairs) == len(slots) and not pairs & chosen:
            return tuple(sorted(chosen | pairs))
    raise RuntimeError("could not place the units without repeating one in a village")


def draw_rating(rng: random.Random) -> Rating:
    """Return a rating 好/中/差, mostly 好 or 中."""
    ratings = sorted(RATING_WEIGHTS)
    return rng.choices(ratings, weights=[RATING_WEIGHTS[r] for r in ratings])[0]


def running_pairs(
    units: Sequence[Unit],
    villages: Sequence[Village],
    witness: Sequence[Pair],
    new: set[Pair],
    lookup: Lookup,
    seed: int,
) -> list[PastPairing]:
    """Return the previous round still running: 72 pairs, two thirds of the 108 places.

    Besides the story pairs, :data:`CONTINUING` pairs continue in the witness and
    :data:`MOVING` are pairs the witness moves away from. Two of the moving pairs began in
    2019/2020 and are blocked by rotation (P05); one continuing pair has run since 2022 rated
    差, which continuity (P14) wants dropped. The rest began in 2022-2023.
    """
    rng = part_rng(seed, "history")
    story = [
        PastPairing(*lookup.pair(u, v), start, None, rating)
        for u, v, start, rating in STORY_RUNNING
    ]
    busy_units = Counter(p.unit_id for p in story)
    busy_villages = Counter(p.village_id for p in story)
    taken = new | {(p.unit_id, p.village_id) for p in story}
    staying = staying_pairs(sorted(set(witness) - taken), busy_units, busy_villages, rng)
    moving = moved_pairs(units, villages, set(witness) | new, busy_units, busy_villages, rng)
    poor, *kept = staying
    tenure_blocked, moved = moving[:2], moving[2:]
    return [
        *story,
        PastPairing(*poor, 2022, None, "差"),
        *(
            PastPairing(*pair, rng.choice((2022, 2023, 2023)), None, draw_rating(rng))
            for pair in kept
        ),
        *(
            PastPairing(*pair, start, None, rng.choice(("好", "中")))
            for pair, start in zip(tenure_blocked, (2019, 2020), strict=True)
        ),
        *(PastPairing(*pair, rng.choice((2022, 2023)), None, draw_rating(rng)) for pair in moved),
    ]


def staying_pairs(
    pool: Sequence[Pair],
    busy_units: Counter[str],
    busy_villages: Counter[str],
    rng: random.Random,
) -> list[Pair]:
    """Return :data:`CONTINUING` pairs of ``pool`` (witness pairs), one per unit, two per village."""
    staying: list[Pair] = []
    for unit_id, village_id in rng.sample(pool, len(pool)):
        if len(staying) < CONTINUING and busy_units[unit_id] == 0 and busy_villages[village_id] < 2:
            staying.append((unit_id, village_id))
            busy_units[unit_id] += 1
            busy_villages[village_id] += 1
    return staying


def moved_pairs(
    units: Sequence[Unit],
    villages: Sequence[Village],
    avoid: set[Pair],
    busy_units: Counter[str],
    busy_villages: Counter[str],
    rng: random.Random,
) -> list[Pair]:
    """Return :data:`MOVING` running pairs outside ``avoid``: free units onto villages with room."""
    free_units = [u.id for u in units if busy_units[u.id] == 0 and u.max_villages > 0]
    pairs: list[Pair] = []
    for unit_id in rng.sample(free_units, len(free_units)):
        open_villages = [
            v.id for v in villages if busy_villages[v.id] < 2 and (unit_id, v.id) not in avoid
        ]
        if not open_villages or len(pairs) == MOVING:
            continue
        village_id = rng.choice(open_villages)
        busy_villages[village_id] += 1
        pairs.append((unit_id, village_id))
    return pairs


def ended_pairs(
    units: Sequence[Unit], villages: Sequence[Village], running: Sequence[PastPairing], seed: int
) -> list[PastPairing]:
    """Return :data:`ENDED` pairs of an older round (2016-2018, three years each), long ended."""
    rng = part_rng(seed, "old-history")
    taken = {(p.unit_id, p.village_id) for p in running}
    rows: list[PastPairing] = []
    while len(rows) < ENDED:
        pair = (rng.choice(units).id, rng.choice(villages).id)
        if pair in taken:
            continue
        taken.add(pair)
        start = rng.randint(2016, 2018)
        rows.append(PastPairing(*pair, start, start + 3, draw_rating(rng)))
    return rows


def forbid_rules(
    units: Sequence[Unit],
    villages: Sequence[Village],
    running: Sequence[PastPairing],
    avoid: set[Pair],
    seed: int,
) -> list[PairRule]:
    """Return five 禁止 forbids (回避), all on pairs the witness does not use and none of them dull.

    Two fall on running pairs rated 好 (continuity wants them kept), two on government
    departments whose skills cover every need of the village, and one on the audit bureau.
    """
    rng = part_rng(seed, "forbids")
    blocked_good = sorted(
        (p.unit_id, p.village_id)
        for p in running
        if p.rating == "好" and p.start_year >= 2022 and (p.unit_id, p.village_id) not in avoid
    )
    forbids = [
        PairRule(u, v, "forbid", None, CONFLICT_REASON) for u, v in rng.sample(blocked_good, 2)
    ]
    avoid = avoid | {(r.unit_id, r.village_id) for r in forbids}
    matches = sorted(
        (u.id, v.id)
        for u in units
        for v in villages
        if u.system == APPROVING_SYSTEM
        and len(v.needs) >= 2
        and v.needs <= u.skills
        and (u.id, v.id) not in avoid
    )
    approvers: dict[str, str] = {}  # unit -> village: two different departments
    for unit_id, village_id in rng.sample(matches, len(matches)):
        if len(approvers) < 2:
            approvers.setdefault(unit_id, village_id)
    forbids += [PairRule(u, v, "forbid", None, APPROVAL_REASON) for u, v in approvers.items()]
    avoid = avoid | {(r.unit_id, r.village_id) for r in forbids}
    auditor = next(u.id for u in units if u.name == AUDIT_UNIT)
    village = rng.choice([v.id for v in villages if (auditor, v.id) not in avoid])
    forbids.append(PairRule(auditor, village, "forbid", None, AUDIT_REASON))
    return forbids


def make_scores(
    units: Sequence[Unit], villages: Sequence[Village], avoid: set[Pair], seed: int
) -> tuple[Score, ...]:
    """Return eight 评分 rows: six survey scores for matching pairs (+2..+5), two against (-2..-4)."""
    rng = part_rng(seed, "scores")
    matching = sorted(
        (u.id, v.id)
        for u in units
        for v in villages
        if u.skills & v.needs and (u.id, v.id) not in avoid
    )
    others = sorted(
        (u.id, v.id)
        for u in units
        for v in villages
        if not u.skills & v.needs and (u.id, v.id) not in avoid
    )
    scores = [Score(u, v, float(rng.randint(2, 5))) for u, v in rng.sample(matching, 6)]
    scores += [Score(u, v, float(-rng.randint(2, 4))) for u, v in rng.sample(others, 2)]
    return tuple(sorted(scores, key=lambda s: (s.village_id, s.unit_id)))


def make_blackouts(lookup: Lookup) -> tuple[Blackout, ...]:
    """Return the 2027 blackouts: Spring Festival, lychee and longan harvests, units' own busy days.

    None of them empties a whole week's workdays, because the weekly reception (走访接待) is
    owed every week (on any day): harvest peaks block Monday to Wednesday, units a few days.
    """
    day = dt.date
    unit = lookup.units
    lychee, longan = "荔枝采收高峰 lychee harvest peak", "龙眼采收高峰 longan harvest peak"
    harvests = [
        Blackout("town", town, day(2027, month, first), day(2027, month, first + 2), why)
        for town, month, why in (
            ("根子镇", 6, lychee),
            ("泗水镇", 6, lychee),
            ("荷塘镇", 8, longan),
            ("分界镇", 8, longan),
        )
        for first in ((7, 14) if month == 6 else (2, 9))
    ]
    return (
        Blackout(
            "all",
            "全部",
            day(2027, 2, 4),
            day(2027, 2, 10),
            "春节（2027-02-06，假期待国务院公布）Spring Festival, provisional",
        ),
        *harvests,
        Blackout(
            "unit",
            unit["高州市教育局"],
            day(2027, 6, 7),
            day(2027, 6, 9),
            "高考保障 college entrance exams",
        ),
        Blackout(
            "unit",
            unit["国家税务总局高州市税务局"],
            day(2027, 5, 24),
            day(2027, 5, 27),
            "汇算清缴 annual tax filing",
        ),
        Blackout(
            "unit",
            unit["高州市统计局"],
            day(2027, 1, 11),
            day(2027, 1, 14),
            "年报审核 annual statistics",
        ),
    )


def make_members(units: Sequence[Unit], seed: int) -> tuple[Member, ...]:
    """Return each unit's team: 2-6 people (more for stronger units), 1-2 of them 组长 leaders."""
    rng = part_rng(seed, "members")
    used = set(REAL_PEOPLE)
    members: list[Member] = []
    for unit in units:
        size = min(6, max(2, int(unit.strength) + rng.randint(0, 2)))
        leaders = 1 if size <= 3 else rng.choice((1, 2))
        for index in range(size):
            name = person_name(rng, used)
            members.append(Member(unit.id, name, "leader" if index < leaders else "member"))
    return tuple(members)


def member_rows(members: Sequence[Member], people: People) -> Rows:
    """Return the 队员 rows: each member with the 队员编号 and 最多户数 the people layer gave
    them, matched by name (names are unique; a merged unit's members keep theirs)."""
    quota = {m.name: m for m in people.unit_members}
    rows = []
    for member in members:
        row = dict(zip((c.key for c in MEMBERS.columns), record_row(MEMBERS, member), strict=True))
        if member.name in quota:
            row["member_id"] = quota[member.name].id
            row["max_households"] = quota[member.name].max_households
        rows.append(tuple(row.values()))
    return rows


def person_name(rng: random.Random, used: set[str]) -> str:
    """Return a new Chinese personal name (surname plus one or two characters), unique in ``used``."""
    while True:
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        name = rng.choice(SURNAMES) + given
        if name not in used:
            used.add(name)
            return name


def generate(seed: int = DEFAULT_SEED) -> GaozhouExample:
    """Generate the Gaozhou example for ``seed`` and check that it is feasible.

    Parameters
    ----------
    seed
        Any integer; the same seed always gives the same example.

    Returns
    -------
    GaozhouExample
        The records of every sheet and the hidden feasible assignment.
    """
    towns = load_towns()
    by_name = {town.name: town for town in towns}
    units = make_units(load_unit_profiles(), by_name, seed)
    villages = make_villages(load_village_profiles(), towns, seed)
    lookup = Lookup({u.name: u.id for u in units}, {v.name: v.id for v in villages})
    locks, preferences = lock_rules(lookup), preference_rules(lookup)
    # The witness honours every lock and each unit's first preference, so those stay possible.
    fixed = {(r.unit_id, r.village_id) for r in locks} | {
        (r.unit_id, r.village_id) for r in preferences if r.rank == 1
    }
    witness = hidden_assignment(units, villages, fixed, seed)
    stories = {(r.unit_id, r.village_id) for r in [*locks, *preferences]}
    running = running_pairs(units, villages, witness, stories, lookup, seed)
    history = sorted(
        [*running, *ended_pairs(units, villages, running, seed)],
        key=lambda p: (p.village_id, p.start_year, p.unit_id),
    )
    forbids = forbid_rules(units, villages, running, set(witness) | stories, seed)
    avoid = {(r.unit_id, r.village_id) for r in forbids}
    seat = by_name[SEAT_TOWN]
    example = GaozhouExample(
        seed=seed,
        units=units,
        villages=villages,
        history=tuple(history),
        rules=(*locks, *forbids, *preferences),
        blackouts=make_blackouts(lookup),
        scores=make_scores(units, villages, avoid, seed),
        members=make_members(units, seed),
        seat=(seat.lat, seat.lon),
        witness=witness,
    )
    check_construction(example)
    return replace(example, people=example_people(example.problem(), seed))


def check_construction(example: GaozhouExample) -> None:
    """Raise ``RuntimeError`` unless the witness obeys P01-P05 and every village has choices.

    Parameters
    ----------
    example
        A generated example.

    Raises
    ------
    RuntimeError
        Naming every broken promise: a forbidden or tenure-blocked pair used, a village or
        unit off its count, a lock missing, or a village with fewer than
        :data:`MIN_ELIGIBLE` eligible units.
    """
    problem = example.problem()
    facts = PairFacts(problem)
    problems = witness_problems(problem, facts, example.witness) + eligibility_problems(
        problem, facts
    )
    if problems:
        raise RuntimeError("the generated example breaks its own promises: " + "; ".join(problems))


def witness_problems(problem: Problem, facts: PairFacts, witness: Iterable[Pair]) -> list[str]:
    """Return how ``witness`` breaks P01-P05 (empty when it is a feasible plan)."""
    pairs = {(problem.unit_index[u], problem.village_index[v]) for u, v in witness}
    per_village = Counter(v for _, v in pairs)
    per_unit = Counter(u for u, _ in pairs)
    return [
        *(
            f"{facts.blocked(pair)} {problem.units[pair[0]].id}-{problem.villages[pair[1]].id}"
            for pair in sorted(pairs)
            if facts.blocked(pair)
        ),
        *(
            f"P01 {v.id}"
            for i, v in enumerate(problem.villages)
            if per_village[i] != v.units_required
        ),
        *(
            f"P02 {u.id}"
            for i, u in enumerate(problem.units)
            if not u.min_villages <= per_unit[i] <= u.max_villages
        ),
        *(f"P03 {pair}" for pair in sorted(facts.must) if pair not in pairs),
    ]


def eligibility_problems(problem: Problem, facts: PairFacts) -> list[str]:
    """Return the villages with fewer than :data:`MIN_ELIGIBLE` units no hard rule bars."""
    units = range(len(problem.units))
    problems = []
    for index, village in enumerate(problem.villages):
        eligible = sum(facts.blocked((u, index)) is None for u in units)
        if eligible < MIN_ELIGIBLE:
            problems.append(f"{village.id} has {eligible} eligible units")
    return problems


def example_workbook(example: GaozhouExample) -> Workbook:
    """Return ``example`` as an input workbook: README sheet first, then every input sheet."""
    model = load_rule_model()
    return build_input_workbook(model, example.tables(model), example.intro())


def write_example(target: Path, seed: int = DEFAULT_SEED) -> GaozhouExample:
    """Write the Gaozhou example for ``seed`` to ``target`` atomically and return it.

    Parameters
    ----------
    target
        The ``.xlsx`` to write; an existing file is replaced only once the new one is complete.
    seed
        The generator's seed.

    Returns
    -------
    GaozhouExample
        What was written (for a summary line).
    """
    example = generate(seed)
    save_workbook(example_workbook(example), target)
    return example
