"""The people layer of the Gaozhou example: listed households, village party members, groups.

Issue 18's 1+1+N cover needs, per key village, the households to be looked after (农户), the
village's party members (村党员), its 村民小组 with their household counts, the 片区 areas of the
town leaders, and an id and a 最多户数 for every unit member (队员). This module draws them from
seeded ``random.Random`` sources of their own (``people-*`` parts), so the draws of the pairing
sheets, and with them the pairing plan, do not move.

Feasibility is built in, whatever plan the solver picks, and :func:`check_people` proves it:

- A village's listed households are at most N times the members of the two smallest teams
  among the units no hard rule bars from it, so every admissible pair of units has enough
  unit members for teams of at most N households.
- Every unit member and at least as many village members as that bound takes 最多户数 ≥ N.
- Every 小组 has at least ceil(户数 / 30) party members living in it, so each of its grids can
  be led by someone who lives there; the 小组's 户数 sum to the village's 户数.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pairing.domain.model import Problem
from pairing.domain.pairs import PairFacts

CATEGORY_WEIGHTS: dict[str, float] = {
    "脱贫户": 0.42,
    "低保户": 0.28,
    "监测户": 0.14,
    "残疾人": 0.14,
    "独居老人": 0.12,
    "留守儿童": 0.11,
    "特困户": 0.07,
}
"""How often a listed household carries each tag (a household may carry several)."""

ROLE_SHARES = (("书记", 1), ("两委", 5), ("网格员", 6))
"""Per village: one 书记, up to five more committee (两委) members, up to six 网格员."""

SURNAMES = tuple("李陈黄梁林张王刘杨吴何罗邓冯钟谢曾庞柯朱潘莫赖庄叶苏邱卢")
GIVEN = tuple("志海文建伟明丽芳振庆国华永强军红玉兰春秋德宏嘉俊婷晓思雅美家荣祥立新平安洪丹敏")
GROUP_NAMES = (
    tuple("一二三四五六七八九十") + tuple(f"十{c}" for c in "一二三四五六七八九") + ("二十",)
)


@dataclass(frozen=True, slots=True)
class Household:
    """A listed household (农户) to be covered by a team of its village."""

    household_id: str
    village_id: str
    head: str
    group: str
    categories: tuple[str, ...]
    persons: int


@dataclass(frozen=True, slots=True)
class VillageMember:
    """A party member of a village (村党员), living in one of its 小组."""

    member_id: str
    village_id: str
    name: str
    group: str
    role: str
    max_households: int


@dataclass(frozen=True, slots=True)
class Group:
    """A 村民小组 of a village with its household count and an estimated centre."""

    village_id: str
    group: str
    households: int
    lat: float | None
    lon: float | None


@dataclass(frozen=True, slots=True)
class Area:
    """A 片区: the villages of one town under one town leader (包片领导)."""

    area: str
    village_id: str
    leader: str


@dataclass(frozen=True, slots=True)
class UnitMemberQuota:
    """A unit member's (队员) id and how many households they can take on."""

    member_id: str
    unit_id: str
    name: str
    max_households: int


@dataclass(frozen=True, slots=True)
class VillageFacts:
    """What the people layer needs to know of a village."""

    village_id: str
    town: str
    households: int
    lat: float | None
    lon: float | None
    team_bound: int
    """Members of the two smallest eligible unit teams: the fewest teams any plan gives it."""


@dataclass(frozen=True, slots=True)
class People:
    """The people-layer records of the example, in sheet order."""

    households: tuple[Household, ...]
    village_members: tuple[VillageMember, ...]
    groups: tuple[Group, ...]
    areas: tuple[Area, ...]
    unit_members: tuple[UnitMemberQuota, ...]
    per_team: int
    grid_max: int


def rng_for(seed: int, part: str, key: str = "") -> random.Random:
    """Return the random source of one people part (separate from the pairing parts)."""
    return random.Random(f"{seed}:people-{part}:{key}")


def person_name(rng: random.Random, used: set[str]) -> str:
    """Return a new Chinese personal name unique in ``used``."""
    while True:
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        name = rng.choice(SURNAMES) + given
        if name not in used:
            used.add(name)
            return name


def split_households(total: int, count: int, rng: random.Random) -> list[int]:
    """Return ``count`` positive group sizes summing to ``total`` (uneven, like real 小组)."""
    weights = [rng.uniform(0.5, 1.8) for _ in range(count)]
    scale = sum(weights)
    sizes = [max(1, int(total * w / scale)) for w in weights]
    index = 0
    while sum(sizes) != total:
        step = 1 if sum(sizes) < total else -1
        if sizes[index % count] + step >= 1:
            sizes[index % count] += step
        index += 1
    return sizes


def make_groups(village: VillageFacts, seed: int) -> list[Group]:
    """Return 8-20 小组 of ``village`` whose 户数 sum to its 户数, centred near the village."""
    rng = rng_for(seed, "groups", village.village_id)
    count = rng.randint(8, 20)
    sizes = split_households(village.households, count, rng)
    groups = []
    for index, size in enumerate(sizes):
        lat = lon = None
        if village.lat is not None and village.lon is not None:
            lat = round(village.lat + rng.uniform(-0.012, 0.012), 4)
            lon = round(village.lon + rng.uniform(-0.012, 0.012), 4)
        groups.append(Group(village.village_id, f"{GROUP_NAMES[index]}组", size, lat, lon))
    return groups


def draw_categories(rng: random.Random) -> tuple[str, ...]:
    """Return a listed household's tags: one main tag, sometimes one or two more."""
    tags = sorted(CATEGORY_WEIGHTS)
    weights = [CATEGORY_WEIGHTS[t] for t in tags]
    chosen = {rng.choices(tags, weights=weights)[0]}
    while len(chosen) < 3 and rng.random() < 0.3:
        chosen.add(rng.choices(tags, weights=weights)[0])
    order = list(CATEGORY_WEIGHTS)
    return tuple(sorted(chosen, key=order.index))


def draw_persons(rng: random.Random, categories: tuple[str, ...]) -> int:
    """Return a household's 人口: one for a 独居老人, else mostly two to five."""
    if "独居老人" in categories:
        return 1
    return rng.choices((1, 2, 3, 4, 5, 6, 7), weights=(6, 18, 22, 24, 16, 9, 5))[0]


def make_households(
    village: VillageFacts, groups: Sequence[Group], per_team: int, seed: int, used: set[str]
) -> list[Household]:
    """Return 20-60 listed households, at most ``per_team`` x the village's team bound."""
    rng = rng_for(seed, "households", village.village_id)
    count = min(rng.randint(20, 60), per_team * village.team_bound, village.households)
    names = [g.group for g in groups]
    sizes = [g.households for g in groups]
    rows = []
    for index in range(1, count + 1):
        categories = draw_categories(rng)
        rows.append(
            Household(
                household_id=f"{village.village_id}-H{index:03d}",
                village_id=village.village_id,
                head=person_name(rng, used),
                group=rng.choices(names, weights=sizes)[0],
                categories=categories,
                persons=draw_persons(rng, categories),
            )
        )
    return rows


def make_village_members(
    village: VillageFacts, groups: Sequence[Group], grid_max: int, seed: int, used: set[str]
) -> list[VillageMember]:
    """Return 20-80 party members: enough living in each 小组 to lead each of its grids."""
    rng = rng_for(seed, "village-members", village.village_id)
    homes = [g.group for g in groups for _ in range(math.ceil(g.households / grid_max))]
    count = min(80, max(rng.randint(20, 80), len(homes)))
    homes += rng.choices(
        [g.group for g in groups], weights=[g.households for g in groups], k=count - len(homes)
    )
    rng.shuffle(homes)
    roles = [role for role, many in ROLE_SHARES for _ in range(many)]
    rows = []
    for index, home in enumerate(homes, start=1):
        role = roles[index - 1] if index <= len(roles) else "党员"
        cap = 3 if role == "书记" else rng.choices((3, 4, 5, 6, 8), weights=(1, 1, 5, 2, 1))[0]
        rows.append(
            VillageMember(
                f"{village.village_id}-M{index:02d}",
                village.village_id,
                person_name(rng, used),
                home,
                role,
                cap,
            )
        )
    return rows


def make_unit_members(
    members: Sequence[tuple[str, str]], per_team: int, seed: int
) -> list[UnitMemberQuota]:
    """Return an id (``U001-1`` …) and a 最多户数 (N to N+3) for each ``(unit_id, name)``."""
    rng = rng_for(seed, "unit-members")
    seen: dict[str, int] = {}
    rows = []
    for unit_id, name in members:
        seen[unit_id] = seen.get(unit_id, 0) + 1
        cap = per_team + rng.choices((0, 1, 2, 3), weights=(5, 2, 2, 1))[0]
        rows.append(UnitMemberQuota(f"{unit_id}-{seen[unit_id]}", unit_id, name, cap))
    return rows


def make_areas(villages: Sequence[VillageFacts], seed: int, used: set[str]) -> list[Area]:
    """Return one 片区 per town with key villages, led by one town leader."""
    rng = rng_for(seed, "areas")
    leaders: dict[str, str] = {}
    rows = []
    for village in sorted(villages, key=lambda v: (v.town, v.village_id)):
        if village.town not in leaders:
            leaders[village.town] = person_name(rng, used)
        rows.append(Area(f"{village.town}片", village.village_id, leaders[village.town]))
    return rows


def make_people(
    villages: Sequence[VillageFacts],
    members: Sequence[tuple[str, str]],
    seed: int,
    per_team: int = 5,
    grid_max: int = 30,
) -> People:
    """Return the people layer for ``villages`` and the units' ``(unit_id, name)`` members."""
    used = {name for _, name in members}
    households: list[Household] = []
    village_members: list[VillageMember] = []
    groups: list[Group] = []
    for village in villages:
        own = make_groups(village, seed)
        groups += own
        households += make_households(village, own, per_team, seed, used)
        village_members += make_village_members(village, own, grid_max, seed, used)
    people = People(
        tuple(households),
        tuple(village_members),
        tuple(groups),
        tuple(make_areas(villages, seed, used)),
        tuple(make_unit_members(members, per_team, seed)),
        per_team,
        grid_max,
    )
    problems = check_people(people, villages)
    if problems:
        raise RuntimeError("the people layer breaks its own promises: " + "; ".join(problems))
    return people


def check_people(people: People, villages: Sequence[VillageFacts]) -> list[str]:
    """Return every broken feasibility promise of ``people`` (empty when it holds)."""
    problems: list[str] = []
    by_village: Mapping[str, VillageFacts] = {v.village_id: v for v in villages}
    for village_id, village in by_village.items():
        listed = [h for h in people.households if h.village_id == village_id]
        own = [g for g in people.groups if g.village_id == village_id]
        members = [m for m in people.village_members if m.village_id == village_id]
        able = sum(m.max_households >= people.per_team for m in members)
        if len(listed) > people.per_team * village.team_bound:
            problems.append(f"{village_id}: {len(listed)} households > N x {village.team_bound}")
        if able < min(village.team_bound, len(listed)):
            problems.append(f"{village_id}: {able} members can take N households")
        if sum(g.households for g in own) != village.households:
            problems.append(f"{village_id}: 小组 户数 do not sum to {village.households}")
        problems += [
            f"{village_id} {g.group}: too few members to lead its grids"
            for g in own
            if sum(m.group == g.group for m in members) < math.ceil(g.households / people.grid_max)
        ]
    problems += [
        f"{m.member_id}: 最多户数 {m.max_households} < N"
        for m in people.unit_members
        if m.max_households < people.per_team
    ]
    return problems


def village_facts(problem: Problem) -> list[VillageFacts]:
    """Return each village's facts, its team bound over the units no hard rule bars from it."""
    facts = PairFacts(problem)
    team_sizes = Counter(member.unit_id for member in problem.members)
    rows = []
    for index, village in enumerate(problem.villages):
        sizes = sorted(
            team_sizes[unit.id]
            for u, unit in enumerate(problem.units)
            if facts.blocked((u, index)) is None
        )
        rows.append(
            VillageFacts(
                village.id,
                village.town,
                village.households or 0,
                village.lat,
                village.lon,
                sum(sizes[: village.units_required]),
            )
        )
    return rows
