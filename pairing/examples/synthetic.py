"""Seeded synthetic counties of any size, for benchmarks and tests.

Shape (issue 3): units ≈ 2.05 × villages, 10% of units may take 2-3 villages, needs and skills
over 12 tags, 8 systems, 60% of villages with a running pair, two units per village, about
30% typical villages, a few locks, forbids, preferences and scores. Geography: villages in
towns spread over a county-sized square around a seat; units in the seat.
"""

from __future__ import annotations

import math
import random

from pairing.domain.model import (
    PairRule,
    PastPairing,
    Problem,
    Rating,
    Score,
    Settings,
    Unit,
    Village,
)

TAGS = (
    "产业",
    "电商",
    "文旅",
    "林业",
    "农技",
    "水利",
    "交通",
    "法律",
    "医疗",
    "教育",
    "金融",
    "党建",
)
SYSTEMS = ("党委部门", "人大政协", "政府部门", "群团", "事业单位", "驻县单位", "国企", "金融")
SEAT = (21.92, 110.85)


def synthetic_county(
    villages: int, seed: int = 0, *, plan_year: int = 2027, **settings: object
) -> Problem:
    """Return a feasible synthetic county with ``villages`` villages (two units each)."""
    rng = random.Random(seed)
    n_units = math.ceil(2.05 * villages)
    towns = max(1, villages // 10)
    radius = 0.3 * math.sqrt(max(1.0, villages / 54))  # degrees: ~35 km for a Gaozhou-sized county
    town_xy = [
        (SEAT[0] + rng.uniform(-radius, radius), SEAT[1] + rng.uniform(-radius, radius))
        for _ in range(towns)
    ]
    village_list = [_village(rng, i, town_xy) for i in range(villages)]
    unit_list = [_unit(rng, i, n_units) for i in range(n_units)]
    history = _history(rng, unit_list, village_list)
    rules, scores = _rules(rng, unit_list, village_list, history)
    base = Settings(plan_year=plan_year, county_seat=SEAT, seed=seed)
    return Problem(
        units=tuple(unit_list),
        villages=tuple(village_list),
        history=tuple(history),
        rules=tuple(rules),
        settings=_with(base, settings),
        scores=tuple(scores),
    )


def _with(base: Settings, overrides: dict[str, object]) -> Settings:
    from dataclasses import replace

    return replace(base, **overrides)  # type: ignore[arg-type]


def _village(rng: random.Random, i: int, town_xy: list[tuple[float, float]]) -> Village:
    t = rng.randrange(len(town_xy))
    lat, lon = town_xy[t]
    return Village(
        id=f"V{i + 1:05d}",
        name=f"村{i + 1}",
        town=f"镇{t + 1}",
        lat=round(lat + rng.uniform(-0.03, 0.03), 5),
        lon=round(lon + rng.uniform(-0.03, 0.03), 5),
        households=rng.randint(300, 2000),
        needs=frozenset(rng.sample(TAGS, rng.randint(1, 3))),
        typical=rng.random() < 0.3,
        units_required=2,
        row=i + 2,
    )


def _unit(rng: random.Random, i: int, n_units: int) -> Unit:
    big = rng.random() < 0.10
    optional = not big and rng.random() < 0.12
    return Unit(
        id=f"U{i + 1:05d}",
        name=f"单位{i + 1}",
        system=rng.choice(SYSTEMS),
        strength=float(rng.choices((1, 2, 3, 4, 5), weights=(2, 4, 5, 3, 1))[0]),
        skills=frozenset(rng.sample(TAGS, rng.randint(1, 3))),
        min_villages=0 if optional else 1,
        max_villages=rng.randint(2, 3) if big else 1,
        lat=round(SEAT[0] + rng.uniform(-0.02, 0.02), 5),
        lon=round(SEAT[1] + rng.uniform(-0.02, 0.02), 5),
        row=i + 2,
    )


def _history(rng: random.Random, units: list[Unit], villages: list[Village]) -> list[PastPairing]:
    """A running pair for 60% of villages, from a shuffled feasible previous round."""
    order = list(range(len(units)))
    rng.shuffle(order)
    history: list[PastPairing] = []
    ratings: tuple[Rating, ...] = ("好", "中", "差")
    for village in villages:
        if rng.random() < 0.6 and order:
            unit = units[order.pop()]
            rating = rng.choices(ratings, weights=(5, 3, 1))[0]
            start = rng.randint(2019, 2024)
            history.append(PastPairing(unit.id, village.id, start, None, rating, len(history) + 2))
    return history


def _rules(
    rng: random.Random, units: list[Unit], villages: list[Village], history: list[PastPairing]
) -> tuple[list[PairRule], list[Score]]:
    rules: list[PairRule] = []
    scores: list[Score] = []
    taken: set[tuple[str, str]] = {(p.unit_id, p.village_id) for p in history}
    for village in rng.sample(villages, max(1, len(villages) // 50)):
        unit = rng.choice(units)
        if (unit.id, village.id) not in taken:
            taken.add((unit.id, village.id))
            rules.append(PairRule(unit.id, village.id, "forbid", reason="回避", row=len(rules) + 2))
    for village in rng.sample(villages, max(1, len(villages) // 20)):
        unit = rng.choice(units)
        if (unit.id, village.id) not in taken:
            taken.add((unit.id, village.id))
            rules.append(
                PairRule(unit.id, village.id, "prefer", rank=rng.randint(1, 3), row=len(rules) + 2)
            )
    for village in rng.sample(villages, max(1, len(villages) // 20)):
        unit = rng.choice(units)
        if (unit.id, village.id) not in taken:
            taken.add((unit.id, village.id))
            scores.append(
                Score(unit.id, village.id, float(rng.randint(-5, 5)), row=len(scores) + 2)
            )
    return rules, scores
