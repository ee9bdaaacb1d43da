"""The brute-force oracle: every plan of a tiny county, and its cost, from models/README.md alone.

Nothing of ``pairing`` is imported: the cells of :mod:`.county` are read the way the catalogue's
"Cells as read" paragraph says, the hard rules are checked as its tables state them, and every
soft term is computed in exact arithmetic as written there (the solver rounds each term to
1e-7 point, see the catalogue's Precision paragraph, far inside the tests' 1e-6).

The enumerator walks the villages in order and gives each a team of exactly ``r_v`` allowed
units, pruning a unit once it holds its 最多村数; the leaves that meet every hard rule are the
feasible plans. A tiny county (≤ 4 villages, ≤ 7 units, teams of ≤ 2) has at most 21⁴ leaves.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations

from .county import Cell, County, UnitRow, VillageRow

Pair = tuple[str, str]  # (unit_id, village_id)
Plan = frozenset[Pair]

DEFAULT_WEIGHTS = {
    "P10": 30.0,
    "P11": 20.0,
    "P12": 10.0,
    "P13": 1.0,
    "P14": 40.0,
    "P15": 25.0,
    "P16": 30.0,
    "P17": 5.0,
}
STRENGTH_WORDS = {"强": 3.0, "中": 2.0, "弱": 1.0, "strong": 3.0, "medium": 2.0, "weak": 1.0}
TAG_SPLIT = re.compile(r"[、,，;；/\s]+")
YES = {"是", "y", "yes", "true", "1"}
EARTH_RADIUS_KM = 6371.0088


def _tags(cell: Cell) -> frozenset[str]:
    """Tags split on 、 , ， ; ； / and spaces."""
    return frozenset(t for t in TAG_SPLIT.split("" if cell is None else str(cell)) if t)


def _strength(cell: Cell) -> float:
    """Blank = 1; 强/中/弱 = 3/2/1; else the number."""
    if cell is None:
        return 1.0
    if isinstance(cell, str):
        return STRENGTH_WORDS[cell.strip().casefold()]
    return float(cell)


def _yes(cell: Cell) -> bool:
    return cell is not None and str(cell).strip().casefold() in YES


@dataclass(frozen=True)
class Unit:
    """A unit as the catalogue reads it."""

    id: str
    system: str
    strength: float
    skills: frozenset[str]
    low: int
    high: int
    point: tuple[float, float] | None


@dataclass(frozen=True)
class Village:
    """A village as the catalogue reads it."""

    id: str
    town: str
    point: tuple[float, float] | None
    needs: frozenset[str]
    typical: bool
    required: int


@dataclass(frozen=True)
class Settings:
    """The 参数 sheet with the catalogue's defaults."""

    values: dict[str, Cell]

    def number(self, key: str, default: float | None) -> float | None:
        """A numeric setting, or ``default`` when absent."""
        value = self.values.get(key)
        return default if value is None else float(value)

    def weight(self, rule: str) -> float:
        """A soft rule's weight (its default when absent)."""
        return float(self.number(rule, DEFAULT_WEIGHTS[rule]) or 0.0)

    @property
    def year(self) -> int:
        """The plan year (the generator always sets it)."""
        return int(self.values["plan_year"])  # type: ignore[arg-type]

    @property
    def seat(self) -> tuple[float, float] | None:
        """The county seat, when both of its coordinates are set."""
        lat, lon = self.number("county_seat_lat", None), self.number("county_seat_lon", None)
        return None if lat is None or lon is None else (lat, lon)


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle km between two (lat, lon) points in degrees, R = 6371.0088 km."""
    phi1, phi2 = math.radians(a[0]), math.radians(b[0])
    dphi, dlmb = phi2 - phi1, math.radians(b[1] - a[1])
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclass
class Cost:
    """A plan's points by rule, exact."""

    by_rule: dict[str, float] = field(default_factory=dict)

    def add(self, rule: str, points: float) -> None:
        """Add ``points`` to ``rule``."""
        if points:
            self.by_rule[rule] = self.by_rule.get(rule, 0.0) + points

    @property
    def total(self) -> float:
        """The objective: the sum of every term."""
        return math.fsum(self.by_rule.values())


class Oracle:
    """A county read by the catalogue: barred pairs, hard rules, costs, every plan."""

    def __init__(self, county: County) -> None:
        self.settings = Settings(dict(county.settings))
        per_village = int(self.settings.number("units_per_village", 2) or 2)
        self.units = tuple(_unit(row) for row in county.units)
        self.villages = tuple(_village(row, per_village) for row in county.villages)
        self.unit = {u.id: u for u in self.units}
        self.village = {v.id: v for v in self.villages}
        self.running = _running(county, self.settings.year)
        self.must = {(r.unit, r.village) for r in county.rules if r.verb == "必须"}
        self.forbid = {(r.unit, r.village) for r in county.rules if r.verb == "禁止"}
        self.prefer = {(r.unit, r.village): r.rank or 1 for r in county.rules if r.verb == "意向"}
        self.scores = {(s.unit, s.village): float(s.score) for s in county.scores}

    # --- Notation: road km, tenure, barred pairs ---------------------------------------------

    def km(self, pair: Pair) -> float | None:
        """Road km: from the unit (else the county seat) to the village, × circuity."""
        origin = self.unit[pair[0]].point or self.settings.seat
        target = self.village[pair[1]].point
        if origin is None or target is None:
            return None
        return haversine_km(origin, target) * float(self.settings.number("circuity", 1.3) or 0)

    def barred(self, pair: Pair) -> str | None:
        """The rule that bars a pair (P04, P05, P02 with 最多村数 0, the distance cap)."""
        if pair in self.forbid:
            return "P04"
        limit = self.settings.number("max_tenure_years", None)
        start = self.running[pair][0] if pair in self.running else None
        if start is not None and limit is not None and max(0, self.settings.year - start) >= limit:
            return "P05"
        if self.unit[pair[0]].high == 0:
            return "P02"
        cap, km = self.settings.number("P13_max_km", None), self.km(pair)
        if cap is not None and km is not None and km > cap:
            return "cap"
        return None

    # --- hard rules ----------------------------------------------------------------------------

    def team_ok(self, village: Village, team: tuple[str, ...]) -> bool:
        """The village-level hard rules: P10_hard, P11_hard and P12_min_strength."""
        units = [self.unit[u] for u in team]
        uncovered = village.needs - set().union(*(u.skills for u in units))
        if _yes(self.settings.values.get("P10_hard")) and uncovered:
            return False
        systems = [u.system for u in units if u.system]
        if _yes(self.settings.values.get("P11_hard")) and len(systems) != len(set(systems)):
            return False
        floor = self.settings.number("P12_min_strength", None)
        return floor is None or self.tenths_of(team) >= math.ceil(round(10 * floor, 6))

    def violations(self, plan: Plan) -> list[str]:
        """Every hard rule the plan breaks, in words (empty for a feasible plan)."""
        found = [
            f"unknown pair {p}" for p in plan if p[0] not in self.unit or p[1] not in self.village
        ]
        if found:
            return found
        for v in self.villages:
            team = tuple(sorted(u for u, w in plan if w == v.id))
            if len(team) != v.required:
                found.append(f"P01 {v.id} has {len(team)} units, needs {v.required}")
            if not self.team_ok(v, team):
                found.append(f"P10/P11/P12 hard variant broken at {v.id} by {team}")
        for u in self.units:
            count = sum(1 for w, _ in plan if w == u.id)
            if not u.low <= count <= u.high:
                found.append(f"P02 {u.id} has {count} villages, bounds [{u.low}, {u.high}]")
        found += [f"P03 must pair {p} missing" for p in sorted(self.must - plan)]
        found += [
            f"{self.barred(p)} barred pair {p} in the plan" for p in sorted(plan) if self.barred(p)
        ]
        return found

    # --- soft rules ------------------------------------------------------------------------------

    def tenths_of(self, team: tuple[str, ...]) -> int:
        """S_v: the sum of round(10 × s_u) over the team (halves to even)."""
        return sum(round(10 * self.unit[u].strength) for u in team)

    @cached_property
    def mean_strength(self) -> float:
        """The mean of every unit's strength, as read, summed in sheet order."""
        return sum(u.strength for u in self.units) / max(1, len(self.units))

    def strength_cost(self, village: Village, team: tuple[str, ...]) -> float:
        """P12 of a village: its shortfall in tenths priced tier by tier."""
        w = self.settings.weight("P12")
        if w == 0:
            return 0.0
        boost = (
            float(self.settings.number("P12_typical_boost", 1.2) or 0) if village.typical else 1.0
        )
        typical = float(self.settings.number("P12_typical_weight", 2.0) or 0)
        t = typical if village.typical else 1.0
        target = round(((village.required * self.mean_strength) * boost) * 10)
        short = max(0, target - self.tenths_of(team))
        tiers, points = max(1, math.ceil(target / 10)), 0.0
        for k in range(1, tiers + 1):
            in_tier = short if k == tiers else min(short, 10)
            points += in_tier * (w * t * k / 10)
            short -= in_tier
        return points

    def team_cost(self, village: Village, team: tuple[str, ...], cost: Cost) -> None:
        """The terms a village and its chosen pairs pay (P10-P14 and P17 of kept pairs)."""
        units = [self.unit[u] for u in team]
        s = self.settings
        if not _yes(s.values.get("P10_hard")):
            missing = len(village.needs - set().union(*(u.skills for u in units)))
            cost.add("P10", s.weight("P10") * missing)
        if not _yes(s.values.get("P11_hard")):
            systems = [u.system for u in units if u.system]
            repeats = len(systems) - len(set(systems))
            cost.add("P11", s.weight("P11") * repeats)
        cost.add("P12", self.strength_cost(village, team))
        for u in team:
            km = self.km((u, village.id))
            cost.add("P13", 0.0 if km is None else s.weight("P13") * km)
            running = self.running.get((u, village.id))
            if running is not None and running[1] == "差":
                cost.add("P14", s.weight("P14"))
            score = self.scores.get((u, village.id), 0.0)
            if score < 0:
                cost.add("P17", s.weight("P17") * -score)

    def cost(self, plan: Plan) -> Cost:
        """Every soft term of a plan, as models/README.md writes it."""
        cost = Cost()
        for v in self.villages:
            self.team_cost(v, tuple(sorted(u for u, w in plan if w == v.id)), cost)
        self._missed_terms(plan, cost)
        self._town_terms(plan, cost)
        return cost

    def _missed_terms(self, plan: Plan, cost: Cost) -> None:
        """P14 dropped running pairs, P16 unmet preferences, P17 missed positive scores."""
        s = self.settings
        for pair, (_, rating) in sorted(self.running.items()):
            if pair not in plan and rating != "差" and self.barred(pair) is None:
                cost.add("P14", s.weight("P14") * (1.0 if rating == "好" else 0.5))
        for pair, rank in sorted(self.prefer.items()):
            if pair not in plan:
                cost.add("P16", s.weight("P16") / rank)
        for pair, score in sorted(self.scores.items()):
            if score > 0 and pair not in plan:
                cost.add("P17", s.weight("P17") * score)

    def _town_terms(self, plan: Plan, cost: Cost) -> None:
        """P15: w per town beyond the first, for each unit with 最多村数 ≥ 2."""
        for u in self.units:
            if u.high >= 2:
                towns = {self.village[v].town for w, v in plan if w == u.id}
                extra = max(0, len(towns) - 1)
                cost.add("P15", self.settings.weight("P15") * extra)

    # --- enumeration ---------------------------------------------------------------------------

    def plans(self) -> Iterator[Plan]:
        """Every plan that meets every hard rule."""
        teams = [self._teams(v) for v in self.villages]
        load = {u.id: 0 for u in self.units}
        yield from self._walk(teams, 0, load, [])

    def _teams(self, village: Village) -> list[tuple[str, ...]]:
        """The teams of ``r_v`` allowed units that keep its locks and hard variants."""
        allowed = [u.id for u in self.units if self.barred((u.id, village.id)) is None]
        locked = {u for u, v in self.must if v == village.id}
        return [
            team
            for team in combinations(allowed, village.required)
            if locked <= set(team) and self.team_ok(village, team)
        ]

    def _walk(
        self,
        teams: list[list[tuple[str, ...]]],
        depth: int,
        load: dict[str, int],
        chosen: list[tuple[str, str]],
    ) -> Iterator[Plan]:
        if depth == len(self.villages):
            if all(self.unit[u].low <= n for u, n in load.items()):
                yield frozenset(chosen)
            return
        village = self.villages[depth].id
        for team in teams[depth]:
            if any(load[u] >= self.unit[u].high for u in team):
                continue
            for u in team:
                load[u] += 1
            yield from self._walk(teams, depth + 1, load, chosen + [(u, village) for u in team])
            for u in team:
                load[u] -= 1


@dataclass(frozen=True)
class Optimum:
    """The enumeration's result: how many plans and the best cost."""

    plans: int
    cost: float | None


def optimum(oracle: Oracle) -> Optimum:
    """Enumerate every feasible plan; return the best cost (None when there is no plan)."""
    count, best = 0, math.inf
    for plan in oracle.plans():
        count += 1
        best = min(best, oracle.cost(plan).total)
    return Optimum(count, best if count else None)


def _unit(row: UnitRow) -> Unit:
    low = 1 if row.low is None else int(row.low)
    high = max(1, low) if row.high is None else int(row.high)
    point = None if row.lat is None or row.lon is None else (float(row.lat), float(row.lon))
    return Unit(
        row.id, str(row.system or ""), _strength(row.strength), _tags(row.skills), low, high, point
    )


def _village(row: VillageRow, per_village: int) -> Village:
    point = None if row.lat is None or row.lon is None else (float(row.lat), float(row.lon))
    required = per_village if row.required is None else int(row.required)
    return Village(row.id, row.town, point, _tags(row.needs), _yes(row.typical), required)


def _running(county: County, year: int) -> dict[Pair, tuple[int, str | None]]:
    """Running pairs: a row with no end year or one ≥ Y − 1; the earliest such row counts."""
    found: dict[Pair, tuple[int, str | None]] = {}
    for row in county.history:
        if row.end is not None and row.end < year - 1:
            continue
        pair = (row.unit, row.village)
        if pair not in found or row.start < found[pair][0]:
            found[pair] = (row.start, row.rating)
    return found
