"""Turn a :class:`Problem` into the index-based :class:`PairingData` of the CP-SAT layer.

Here every weight becomes an integer coefficient (``SCALE`` units a point) and every id an
index, once. For large counties only the most promising pairs become candidates (see
:mod:`pairing.solve.candidates`); the pairs that carry a rule (must, prefer, running, scored)
always do. ``models/README.md`` documents each term's maths.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from pairing.cpsat.pairing.data import (
    SCALE,
    Edge,
    Need,
    PairingData,
    StrengthTarget,
    SystemGroup,
    TownGroup,
)
from pairing.domain.model import Problem, Settings
from pairing.domain.pairs import Pair, PairFacts

RATING_DROP_FACTOR = {"好": 1.0, "中": 0.5, None: 0.5}  # P14: cost of not renewing, × weight
STRENGTH_TENTHS = 10


def cost_units(points: float) -> int:
    """Return points in the model's integer cost unit (``SCALE`` a point, half to even)."""
    return round(points * SCALE)


def tenths(strength: float) -> int:
    """Return a strength in tenths (the model's integer strength unit)."""
    return round(strength * STRENGTH_TENTHS)


def floor_tenths(floor: float) -> int:
    """P12_min_strength in tenths: the fewest whole tenths not below it. Rounded like a
    strength, 1.25 once became 12 tenths and let a village of 1.2 pass; the product is first
    rounded to 6 decimals so that 10 × 1.1 (11.000000000000002) stays 11."""
    return math.ceil(round(floor * STRENGTH_TENTHS, 6))


@dataclass(frozen=True, slots=True)
class VillageCosts:
    """The numbers of the village rules' families (:mod:`pairing.cpsat.pairing.rules`).

    ``per_need`` / ``per_repeat``: cost units per missing need (P10) and repeated system (P11),
    0 under ``P10_hard`` / ``P11_hard``, which instead bar such teams; ``tiered``: whether P12
    weighs anything; ``floor``: ``P12_min_strength`` in tenths (None when not set).
    """

    per_need: int
    per_repeat: int
    needs_hard: bool
    systems_hard: bool
    tiered: bool
    floor: int | None


def village_costs(settings: Settings) -> VillageCosts:
    """The village rules' numbers of ``settings``."""
    return VillageCosts(
        per_need=0 if settings.needs_hard else cost_units(settings.weight("P10")),
        per_repeat=0 if settings.systems_hard else cost_units(settings.weight("P11")),
        needs_hard=settings.needs_hard,
        systems_hard=settings.systems_hard,
        tiered=bool(settings.weight("P12")),
        floor=None if settings.min_strength is None else floor_tenths(settings.min_strength),
    )


@dataclass(frozen=True)
class Coefficients:
    """Per-pair costs of the pair-separable rules, in points, and their constant parts."""

    facts: PairFacts

    @cached_property
    def renewable(self) -> dict[Pair, float]:
        """P14: running pairs that may be renewed, with the points lost if they are not."""
        w = self.facts.problem.settings.weight("P14")
        return {
            pair: w * RATING_DROP_FACTOR[past.rating]
            for pair, past in self.facts.current.items()
            if past.rating != "差" and self.facts.blocked(pair) is None
        }

    @cached_property
    def failed(self) -> dict[Pair, float]:
        """P14: running pairs rated 差, with the points paid if they are kept."""
        w = self.facts.problem.settings.weight("P14")
        return {pair: w for pair, past in self.facts.current.items() if past.rating == "差"}

    @cached_property
    def preferred(self) -> dict[Pair, float]:
        """P16: points lost if a preference is not met (weight / rank)."""
        w = self.facts.problem.settings.weight("P16")
        return {pair: w / (rule.rank or 1) for pair, rule in self.facts.prefer.items()}

    @cached_property
    def wanted(self) -> dict[Pair, float]:
        """P17: points lost if a positively scored pair is not in the plan."""
        w = self.facts.problem.settings.weight("P17")
        return {p: w * s.score for p, s in self.facts.scores.items() if s.score > 0}

    @cached_property
    def unwanted(self) -> dict[Pair, float]:
        """P17: points paid if a negatively scored pair is in the plan."""
        w = self.facts.problem.settings.weight("P17")
        return {p: -w * s.score for p, s in self.facts.scores.items() if s.score < 0}

    @cached_property
    def stable(self) -> dict[Pair, float]:
        """P18: baseline pairs a hard rule does not bar, with the points paid if changed."""
        w = self.facts.problem.settings.weight("P18")
        if not w:
            return {}
        return {pair: w for pair in self.facts.baseline if self.facts.blocked(pair) is None}

    def distance_points(self, pair: Pair) -> float:
        """P13: weight × road km (0 without coordinates)."""
        km = self.facts.distance_km(pair)
        return 0.0 if km is None else self.facts.problem.settings.weight("P13") * km

    @cached_property
    def _edge_costs(self) -> dict[Pair, int]:
        return {}

    def edge_cost(self, pair: Pair) -> int:
        """The pair's linear coefficient: paid when chosen minus refunds when chosen."""
        cached = self._edge_costs.get(pair)
        if cached is None:
            cached = self._edge_costs[pair] = self._edge_cost(pair)
        return cached

    def _edge_cost(self, pair: Pair) -> int:
        """Compute :meth:`edge_cost` (uncached)."""
        paid = (
            self.distance_points(pair),
            self.failed.get(pair, 0.0),
            self.unwanted.get(pair, 0.0),
        )
        refund = (
            self.renewable.get(pair, 0.0),
            self.preferred.get(pair, 0.0),
            self.wanted.get(pair, 0.0),
            self.stable.get(pair, 0.0),
        )
        # Each term is rounded on its own, as the report and the verifier round it.
        return sum(map(cost_units, paid)) - sum(map(cost_units, refund))

    def constant(self) -> int:
        """Points counted as lost until a pair refunds them (renewals, preferences, scores,
        baseline pairs)."""
        lost = (
            *self.renewable.values(),
            *self.preferred.values(),
            *self.wanted.values(),
            *self.stable.values(),
        )
        return sum(cost_units(points) for points in lost)


def strength_target(problem: Problem, village: int) -> int:
    """P12: a village's target strength in tenths: units required × mean × typical boost."""
    mean = problem.mean_strength
    v = problem.villages[village]
    boost = problem.settings.typical_boost if v.typical else 1.0
    return tenths(v.units_required * mean * boost)


def tier_costs(problem: Problem, village: int, target: int) -> tuple[int, ...]:
    """P12: cost per tenth of shortfall in each one-strength-unit tier (k-th tier costs k×)."""
    settings = problem.settings
    weight = settings.weight("P12")
    if problem.villages[village].typical:
        weight *= settings.typical_weight
    tiers = max(1, math.ceil(target / STRENGTH_TENTHS))
    return tuple(cost_units(weight * k / STRENGTH_TENTHS) for k in range(1, tiers + 1))


def build_data(
    problem: Problem,
    candidates: list[Pair],
    forced: set[Pair] | None = None,
    coefficients: Coefficients | None = None,
) -> PairingData:
    """Build the CP-SAT instance over ``candidates`` (sorted, no barred pairs).

    ``forced`` pairs are fixed like 必须 pairs (``explain`` uses it to price alternatives);
    pass ``coefficients`` to share their cached edge costs with other steps.
    """
    coefficients = coefficients or Coefficients(PairFacts(problem))
    locked = set(forced or ()) | set(coefficients.facts.must)
    settings = problem.settings
    edges = tuple(
        Edge(u, v, coefficients.edge_cost((u, v)), (u, v) in locked) for u, v in candidates
    )
    needs = _needs(problem, edges)
    data = PairingData(
        units_required=tuple(v.units_required for v in problem.villages),
        villages_min=tuple(u.min_villages for u in problem.units),
        villages_max=tuple(u.max_villages for u in problem.units),
        edges=edges,
        strength=tuple(tenths(u.strength) for u in problem.units),
        needs=needs,
        systems=_systems(problem, edges),
        targets=_targets(problem),
        towns=_towns(problem, edges),
        town_cost=cost_units(settings.weight("P15")),
        needs_hard=settings.needs_hard,
        systems_hard=settings.systems_hard,
        min_strength=None if settings.min_strength is None else floor_tenths(settings.min_strength),
        constant=coefficients.constant(),
        village_town=tuple(village.town for village in problem.villages),
    )
    return data


def _needs(problem: Problem, edges: tuple[Edge, ...]) -> tuple[Need, ...]:
    settings = problem.settings
    cost = cost_units(settings.weight("P10"))
    if cost == 0 and not settings.needs_hard:
        return ()
    by_village: dict[int, list[int]] = defaultdict(list)
    for e, edge in enumerate(edges):
        by_village[edge.village].append(e)
    needs = []
    for v, village in enumerate(problem.villages):
        for tag in sorted(village.needs):
            offering = tuple(e for e in by_village[v] if tag in problem.units[edges[e].unit].skills)
            needs.append(Need(v, tag, offering, cost))
    return tuple(needs)


def _systems(problem: Problem, edges: tuple[Edge, ...]) -> tuple[SystemGroup, ...]:
    cost = cost_units(problem.settings.weight("P11"))
    if cost == 0 and not problem.settings.systems_hard:
        return ()
    groups: dict[tuple[int, str], list[int]] = defaultdict(list)
    for e, edge in enumerate(edges):
        system = problem.units[edge.unit].system
        if system:
            groups[(edge.village, system)].append(e)
    return tuple(
        SystemGroup(v, s, tuple(members), cost)
        for (v, s), members in sorted(groups.items())
        if len(members) > 1
    )


def _targets(problem: Problem) -> tuple[StrengthTarget, ...]:
    if problem.settings.weight("P12") == 0:
        return ()
    targets = []
    for v in range(len(problem.villages)):
        target = strength_target(problem, v)
        targets.append(StrengthTarget(v, target, STRENGTH_TENTHS, tier_costs(problem, v, target)))
    return tuple(targets)


def _towns(problem: Problem, edges: tuple[Edge, ...]) -> tuple[TownGroup, ...]:
    if problem.settings.weight("P15") == 0:
        return ()
    groups: dict[tuple[int, str], list[int]] = defaultdict(list)
    for e, edge in enumerate(edges):
        if problem.units[edge.unit].max_villages >= 2:
            groups[(edge.unit, problem.villages[edge.village].town)].append(e)
    return tuple(
        TownGroup(u, town, tuple(members)) for (u, town), members in sorted(groups.items())
    )
