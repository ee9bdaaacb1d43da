"""What ``pairing check`` tells a planner before any solving: counts, supply and demand."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pairing.domain.model import Problem
from pairing.domain.pairs import PairFacts


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
    )


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
