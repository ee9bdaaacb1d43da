"""The people layer of the Gaozhou example: listed households, village party members, groups.

Issue 18's 1+1+N cover needs, per key village, the households to be looked after (农户), the
village's party members (村党员), its 村民小组 with their household counts, the 片区 areas of the
town leaders, and an id and a 最多户数 for every unit member (队员). This module draws them as
the domain's own records (:mod:`pairing.domain.people`) from seeded ``random.Random`` sources
of their own (``people-*`` parts), so the draws of the pairing sheets, and with them the
pairing plan, do not move.

Feasibility is built in, whatever plan the solver picks, and :func:`check_people` proves it:

- A village's listed households are at most N times the members of the smallest teams the
  units no hard rule bars from it can field, so any admissible plan gives it enough unit
  members for teams of at most N households.
- Every unit member takes 最多户数 ≥ N per village its unit may take (the cap holds over all
  its villages), and at least as many village members as that bound take 最多户数 ≥ N.
- Every 小组 has at least ceil(户数 / 30) party members living in it, so each of its grids can
  be led by someone who lives there; the 小组's 户数 sum to the village's 户数.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pairing.domain.model import Member, Problem
from pairing.domain.pairs import PairFacts
from pairing.domain.people import Area, Group, Household, UnitMember, VillageMember, VillageRole
from pairing.io.people import People

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

ROLE_SHARES: tuple[tuple[VillageRole, int], ...] = (
    ("secretary", 1),
    ("committee", 5),
    ("grid_worker", 6),
)
"""Per village: one 书记, up to five more committee (两委) members, up to six 网格员."""

AREA_VILLAGES = 2
"""A 片区 holds at most this many key villages of its town (a few 片区 per town)."""
AREA_NAMES = ("东片", "西片", "南片", "北片", "中片", "东南片", "西北片")

SURNAMES = tuple("李陈黄梁林张王刘杨吴何罗邓冯钟谢曾庞柯朱潘莫赖庄叶苏邱卢")
GIVEN = tuple("志海文建伟明丽芳振庆国华永强军红玉兰春秋德宏嘉俊婷晓思雅美家荣祥立新平安洪丹敏")
GROUP_NAMES = (
    tuple("一二三四五六七八九十") + tuple(f"十{c}" for c in "一二三四五六七八九") + ("二十",)
)


@dataclass(frozen=True, slots=True)
class VillageFacts:
    """What the people layer needs to know of a village."""

    village_id: str
    town: str
    households: int
    lat: float | None
    lon: float | None
    team_bound: int
    """Members of the smallest eligible unit teams: the fewest unit members any plan gives it."""


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
            lat = round(village.lat + rng.uniform(-0.012, 0.012), 5)
            lon = round(village.lon + rng.uniform(-0.012, 0.012), 5)
        groups.append(Group(village.village_id, f"{GROUP_NAMES[index]}组", size, lat, lon))
    return groups


def draw_categories(rng: random.Random) -> frozenset[str]:
    """Return a listed household's tags: one main tag, sometimes one or two more."""
    tags = list(CATEGORY_WEIGHTS)
    weights = [CATEGORY_WEIGHTS[t] for t in tags]
    chosen = {rng.choices(tags, weights=weights)[0]}
    while len(chosen) < 3 and rng.random() < 0.3:
        chosen.add(rng.choices(tags, weights=weights)[0])
    return frozenset(chosen)


def draw_persons(rng: random.Random, categories: frozenset[str]) -> int:
    """Return a household's 人口: one for a 独居老人, else mostly two to five."""
    if "独居老人" in categories:
        return 1
    return rng.choices((1, 2, 3, 4, 5, 6, 7), weights=(6, 18, 22, 24, 16, 9, 5))[0]


def near(rng: random.Random, group: Group) -> tuple[float | None, float | None]:
    """Return a spot a few hundred metres from ``group``'s centre (None without one)."""
    if group.lat is None or group.lon is None:
        return None, None
    return (
        round(group.lat + rng.uniform(-0.003, 0.003), 5),
        round(group.lon + rng.uniform(-0.003, 0.003), 5),
    )


def make_households(
    village: VillageFacts, groups: Sequence[Group], per_team: int, seed: int, used: set[str]
) -> list[Household]:
    """Return 20-60 listed households, at most ``per_team`` x the village's team bound (drawn
    evenly below it, so no village piles up at the bound)."""
    rng = rng_for(seed, "households", village.village_id)
    most = min(60, per_team * village.team_bound, village.households)
    count = rng.randint(min(20, most), most)
    sizes = [g.households for g in groups]
    rows = []
    for index in range(1, count + 1):
        categories = draw_categories(rng)
        group = rng.choices(list(groups), weights=sizes)[0]
        head = person_name(rng, used)
        lat, lon = near(rng, group)
        rows.append(
            Household(
                id=f"{village.village_id}-H{index:03d}",
                village_id=village.village_id,
                head=head,
                group=group.name,
                categories=categories,
                persons=draw_persons(rng, categories),
                lat=lat,
                lon=lon,
            )
        )
    return rows


def member_caps(
    rng: random.Random, roles: Sequence[VillageRole], per_team: int, able: int
) -> list[int]:
    """Return each member's 最多户数: the 书记 half of N (busy), others around N, and at least
    ``able`` of them N or more, so the village's teams can each take N households."""
    options = (per_team // 2, per_team - 2, per_team, per_team + 2, per_team + 5)
    caps = [
        max(1, per_team // 2)
        if role == "secretary"
        else max(1, rng.choices(options, weights=(1, 2, 5, 2, 1))[0])
        for role in roles
    ]
    short = [i for i, cap in enumerate(caps) if cap < per_team and roles[i] != "secretary"]
    for index in short[: max(0, able - sum(cap >= per_team for cap in caps))]:
        caps[index] = per_team
    return caps


def make_village_members(
    village: VillageFacts,
    groups: Sequence[Group],
    sizes: tuple[int, int],
    seed: int,
    used: set[str],
) -> list[VillageMember]:
    """Return 20-80 party members: enough living in each 小组 to lead each of its grids, and
    enough taking N households for the fewest teams any plan gives the village."""
    per_team, grid_max = sizes
    rng = rng_for(seed, "village-members", village.village_id)
    homes = [g.name for g in groups for _ in range(math.ceil(g.households / grid_max))]
    count = min(80, max(rng.randint(20, 80), len(homes)))
    homes += rng.choices(
        [g.name for g in groups], weights=[g.households for g in groups], k=count - len(homes)
    )
    rng.shuffle(homes)
    shares = [role for role, many in ROLE_SHARES for _ in range(many)]
    roles: list[VillageRole] = [shares[i] if i < len(shares) else "member" for i in range(count)]
    caps = member_caps(rng, roles, per_team, village.team_bound)
    return [
        VillageMember(
            f"{village.village_id}-P{index + 1:02d}",
            village.village_id,
            person_name(rng, used),
            home,
            roles[index],
            caps[index],
        )
        for index, home in enumerate(homes)
    ]


def make_unit_members(
    members: Sequence[Member], per_team: int, seed: int, most: Mapping[str, int]
) -> list[UnitMember]:
    """Return an id (``U001-1`` …) and a 最多户数 for each unit member: N per village its unit
    may take (``most``, its 最多村数; the cap holds over all its villages) plus up to 3."""
    rng = rng_for(seed, "unit-members")
    seen: Counter[str] = Counter()
    rows = []
    for member in members:
        seen[member.unit_id] += 1
        extra = rng.choices((0, 1, 2, 3), weights=(5, 2, 2, 1))[0]
        cap = per_team * most.get(member.unit_id, 1) + extra
        rows.append(
            UnitMember(f"{member.unit_id}-{seen[member.unit_id]}", member.unit_id, member.name, cap)
        )
    return rows


def make_areas(villages: Sequence[VillageFacts], seed: int, used: set[str]) -> list[Area]:
    """Return a few 片区 per town, each of at most :data:`AREA_VILLAGES` key villages under one
    town leader (包片领导)."""
    rng = rng_for(seed, "areas")
    by_town: dict[str, list[VillageFacts]] = defaultdict(list)
    for village in villages:
        by_town[village.town].append(village)
    rows = []
    for town in sorted(by_town):
        own = sorted(by_town[town], key=lambda v: v.village_id)
        for index in range(0, len(own), AREA_VILLAGES):
            area = f"{town}{AREA_NAMES[index // AREA_VILLAGES % len(AREA_NAMES)]}"
            leader = person_name(rng, used)
            rows += [Area(area, v.village_id, leader) for v in own[index : index + AREA_VILLAGES]]
    return rows


def make_people(
    villages: Sequence[VillageFacts],
    members: Sequence[Member],
    seed: int,
    most: Mapping[str, int],
    per_team: int = 5,
    grid_max: int = 30,
) -> People:
    """Return the people layer for ``villages`` and the units' team ``members``; raise
    ``RuntimeError`` when it breaks a feasibility promise (it cannot, by construction)."""
    used = {member.name for member in members}
    households: list[Household] = []
    village_members: list[VillageMember] = []
    groups: list[Group] = []
    for village in villages:
        own = make_groups(village, seed)
        groups += own
        households += make_households(village, own, per_team, seed, used)
        village_members += make_village_members(village, own, (per_team, grid_max), seed, used)
    people = People(
        tuple(households),
        tuple(village_members),
        tuple(groups),
        tuple(make_areas(villages, seed, used)),
        tuple(make_unit_members(members, per_team, seed, most)),
    )
    problems = check_people(people, villages, per_team, grid_max, most)
    if problems:
        raise RuntimeError("the people layer breaks its own promises: " + "; ".join(problems))
    return people


def check_people(
    people: People,
    villages: Sequence[VillageFacts],
    per_team: int = 5,
    grid_max: int = 30,
    most: Mapping[str, int] | None = None,
) -> list[str]:
    """Return every broken feasibility promise of ``people`` (empty when it holds)."""
    problems: list[str] = []
    by_village: Mapping[str, VillageFacts] = {v.village_id: v for v in villages}
    for village_id, village in by_village.items():
        listed = [h for h in people.households if h.village_id == village_id]
        own = [g for g in people.groups if g.village_id == village_id]
        members = [m for m in people.village_members if m.village_id == village_id]
        able = sum((m.max_households or per_team) >= per_team for m in members)
        if len(listed) > per_team * village.team_bound:
            problems.append(f"{village_id}: {len(listed)} households > N x {village.team_bound}")
        if able < min(village.team_bound, len(listed)):
            problems.append(f"{village_id}: {able} members can take N households")
        if sum(g.households for g in own) != village.households:
            problems.append(f"{village_id}: 小组 户数 do not sum to {village.households}")
        problems += [
            f"{village_id} {g.name}: too few members to lead its grids"
            for g in own
            if sum(m.group == g.name for m in members) < math.ceil(g.households / grid_max)
        ]
    problems += [
        f"{m.id}: 最多户数 {m.max_households} < N x its villages"
        for m in people.unit_members
        if (m.max_households or per_team) < per_team * (most or {}).get(m.unit_id, 1)
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


def example_people(problem: Problem, seed: int) -> People:
    """Return the people layer of a generated county ``problem`` (its villages and teams)."""
    settings = problem.settings
    return make_people(
        village_facts(problem),
        problem.members,
        seed,
        {unit.id: max(1, unit.max_villages) for unit in problem.units},
        settings.cover_households_per_team,
        settings.grid_max_households,
    )
