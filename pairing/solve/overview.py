"""What ``pairing check`` tells a planner before any solving: counts, supply and demand."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pairing.domain.model import Problem
from pairing.domain.pairs import PairFacts
from pairing.domain.schema import UNITS, VILLAGES

WARNINGS_PER_SHEET = 20  # listed one by one; the rest are counted (the JSON has them all)


@dataclass(frozen=True)
class Unlocated:
    """A village or unit without coordinates (纬度 or 经度 blank): P13 may count it as 0 km.

    ``origin`` says what its distances start from: ``none`` (a village, or a unit when no
    county seat is set: its pairs have no distance, 0 km for P13) or ``county_seat``.
    """

    sheet: str
    row: int
    id: str
    origin: str

    def line(self) -> str:
        """Return the warning as one line, in Chinese and English, with sheet, row and id."""
        where = f"{self.sheet} 第{self.row}行 row {self.row} {self.id}"
        if self.origin == "county_seat":
            return (
                f"  - {where}: 无坐标，路程从县城坐标算起 / no coordinates: its distances start "
                "from the county seat"
            )
        return (
            f"  - {where}: 无坐标，其结对的路程按 0 公里计（P13 = 0） / no coordinates: its "
            "pairs count 0 km (P13 = 0)"
        )


@dataclass(frozen=True)
class Overview:
    """Facts a planner can act on, computed without a solver."""

    units: int
    villages: int
    towns: int
    typical: int
    demand: int
    slots: tuple[int, int]
    must: int
    forbid: int
    prefer: int
    scores: int
    obligations: int
    members: int
    leaders: int
    blackouts: int
    running_pairs: int
    villages_with_running: int
    ratings: dict[str, int]
    tenure_blocked: int
    short_villages: list[tuple[str, str, int, int]]
    tags: list[tuple[str, int, int]]
    unlocated: list[Unlocated]

    def lines(self) -> list[str]:
        """Return the overview as lines for a terminal."""
        least, most = self.slots
        balance = "平衡 balanced" if least <= self.demand <= most else "不平衡 UNBALANCED"
        out = [
            f"单位 units: {self.units}    村 villages: {self.villages} (典型村 typical {self.typical}, "
            f"镇 towns {self.towns})",
            f"名额 places: 村需 demand {self.demand}; 单位可供 supply {least}-{most}  [{balance}]",
            f"指定 rules: 必须 must {self.must}, 禁止 forbid {self.forbid}, 意向 prefer {self.prefer}; "
            f"评分 scores {self.scores}",
            f"历史 history: {self.running_pairs} 对在结对 running pairs in {self.villages_with_running} "
            f"villages; 成效 ratings {self._ratings()}; 任期届满 tenure-blocked {self.tenure_blocked}",
            f"活动 obligations: {self.obligations}; 队员 members {self.members} (组长 leaders "
            f"{self.leaders}); 禁排 blackouts {self.blackouts}",
        ]
        if self.short_villages:
            out.append("可选单位不足的村 villages with too few eligible units:")
            out += [
                f"  - {vid} {name}: 需 needs {need}, 可选 eligible {have}"
                for vid, name, need, have in self.short_villages
            ]
        else:
            out.append("每村可选单位均充足 every village has enough eligible units")
        out.append("需求与职能 needs vs skills (tag: villages needing / units offering):")
        out += [
            f"  {'!' if supply == 0 else ' '} {tag}: {need} / {supply}"
            for tag, need, supply in self.tags
        ]
        return out

    def warnings(self) -> list[str]:
        """Return the warnings (input that is valid but silently changes the plan), as lines."""
        if not self.unlocated:
            return []
        out = [
            "警告 warning: 无坐标（纬度/经度）的村或单位 villages or units without coordinates (lat/lon):"
        ]
        for sheet in (VILLAGES.title, UNITS.title):
            mine = [place for place in self.unlocated if place.sheet == sheet]
            out += [place.line() for place in mine[:WARNINGS_PER_SHEET]]
            if len(mine) > WARNINGS_PER_SHEET:
                more = len(mine) - WARNINGS_PER_SHEET
                out.append(f"  - {sheet}: 另有 {more} 行 and {more} more rows")
        return out

    def _ratings(self) -> str:
        return ", ".join(f"{k} {v}" for k, v in sorted(self.ratings.items())) or "-"


def overview(problem: Problem) -> Overview:
    """Compute the overview of a validated problem."""
    facts = PairFacts(problem)
    return Overview(
        units=len(problem.units),
        villages=len(problem.villages),
        towns=len({v.town for v in problem.villages}),
        typical=sum(v.typical for v in problem.villages),
        demand=problem.demand,
        slots=problem.slots,
        must=len(facts.must),
        forbid=len(facts.forbid),
        prefer=len(facts.prefer),
        scores=len(problem.scores),
        obligations=len(problem.obligations),
        members=len(problem.members),
        leaders=sum(m.role == "leader" for m in problem.members),
        blackouts=len(problem.blackouts),
        running_pairs=len(facts.current),
        villages_with_running=len({v for _, v in facts.current}),
        ratings=dict(Counter(p.rating or "未评 unrated" for p in facts.current.values())),
        tenure_blocked=len(facts.tenure_blocked),
        short_villages=short_villages(problem, facts),
        tags=tag_balance(problem),
        unlocated=unlocated(problem),
    )


def unlocated(problem: Problem) -> list[Unlocated]:
    """Return the villages, then the units, without coordinates, in workbook order."""
    seat = "county_seat" if problem.settings.county_seat is not None else "none"
    places = [
        Unlocated(VILLAGES.title, v.row, v.id, "none")
        for v in problem.villages
        if v.lat is None or v.lon is None
    ]
    places += [
        Unlocated(UNITS.title, u.row, u.id, seat)
        for u in problem.units
        if u.lat is None or u.lon is None
    ]
    return places


def eligible_counts(problem: Problem, facts: PairFacts) -> list[int]:
    """Return, per village, how many units no hard rule bars from it."""
    counts = [0] * len(problem.villages)
    for v in range(len(problem.villages)):
        counts[v] = sum(facts.blocked((u, v)) is None for u in range(len(problem.units)))
    return counts


def short_villages(problem: Problem, facts: PairFacts) -> list[tuple[str, str, int, int]]:
    """Return villages that have fewer eligible units than they need."""
    counts = eligible_counts(problem, facts)
    return [
        (v.id, v.name, v.units_required, counts[i])
        for i, v in enumerate(problem.villages)
        if counts[i] < v.units_required
    ]


def tag_balance(problem: Problem) -> list[tuple[str, int, int]]:
    """Return (tag, villages needing it, units offering it), scarcest first."""
    need = Counter(tag for v in problem.villages for tag in v.needs)
    supply = Counter(tag for u in problem.units for tag in u.skills)
    tags = sorted(set(need) | set(supply), key=lambda t: (supply[t] - need[t], t))
    return [(tag, need[tag], supply[tag]) for tag in tags]
