"""Large-neighbourhood search over towns: re-optimise a few towns at a time, the rest fixed.

Above :data:`pairing.solve.search.LP_VILLAGES` villages CP-SAT must search without its LP, and
its plans stall about 1.5% above the bound (2,500 villages: 1,146,938 against an LP optimum of
1,131,570). A neighbourhood of ~150 villages is small enough for CP-SAT's full LP, which solves
it to optimality in a second or two.

A neighbourhood is the villages of a few whole towns that share candidate units. CP-SAT is
offered every given team of those villages and, everywhere else, only the incumbent's team: so
the rest of the plan stays as it is, and the team model still holds P02 (a unit's places) and
P15 (its towns) across the whole county. Each step can only keep or lower the cost.
"""

from __future__ import annotations

import dataclasses
import random
import threading
import time
from collections import defaultdict
from collections.abc import Sequence

from pairing.cpsat.pairing.data import PairingData, Team
from pairing.cpsat.pairing.solver import Progress, SearchLimits
from pairing.solve.stage import Found, better, solve_teams, unique

NEIGHBOURHOOD_VILLAGES = 400  # villages per neighbourhood, whole towns, at least this many
STEP_SECONDS = 3.0  # CP-SAT's limit for one neighbourhood
STALL_PASSES = 2  # passes in a row without a better plan before the search gives up
LINEARIZATION = 2  # CP-SAT's full LP: what makes a neighbourhood quick to prove


def improve(
    data: PairingData,
    towns_of: dict[int, str],
    offered: Sequence[Team],
    incumbent: Found,
    limits: SearchLimits,
    deadline: float,
    progress: Progress | None = None,
    stop: threading.Event | None = None,
) -> Found:
    """Improve ``incumbent`` neighbourhood by neighbourhood until passes stop gaining.

    Each pass groups the towns afresh, growing groups from towns in a seeded shuffled order,
    so that borders move and units shared across one pass's border meet inside a group in
    the next. The search stops after ``STALL_PASSES`` passes in a row without a better plan.
    """
    by_village: dict[int, list[Team]] = defaultdict(list)
    for team in offered:
        by_village[team.village].append(team)
    graph = _TownGraph(offered, towns_of)
    passes = stalled = 0
    while stalled < STALL_PASSES:
        before = incumbent.outcome.objective
        order = random.Random(limits.seed + passes).sample(graph.towns, len(graph.towns))
        for villages in graph.groups(order, NEIGHBOURHOOD_VILLAGES):
            if time.perf_counter() >= deadline or (stop is not None and stop.is_set()):
                return incumbent
            step = _step_limits(limits, deadline)
            teams = [t for v in villages for t in by_village[v]] + list(incumbent.teams)
            found = solve_teams(
                data, towns_of, unique(teams), list(incumbent.teams), step, progress, stop
            )
            incumbent = better(incumbent, found)
        passes += 1
        stalled = stalled + 1 if incumbent.outcome.objective >= before else 0
    return incumbent


class _TownGraph:
    """Towns, their villages, and how many offered units each pair of towns shares."""

    def __init__(self, teams: Sequence[Team], towns_of: dict[int, str]) -> None:
        self.villages_of: dict[str, set[int]] = defaultdict(set)
        towns_of_unit: dict[int, set[str]] = defaultdict(set)
        for team in teams:
            town = towns_of[team.village]
            self.villages_of[town].add(team.village)
            for unit in team.units:
                towns_of_unit[unit].add(town)
        self.shared: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for towns in towns_of_unit.values():
            for a in towns:
                for b in towns:
                    if a != b:
                        self.shared[a][b] += 1
        self.towns = sorted(self.villages_of)

    def groups(self, order: list[str], size: int) -> list[list[int]]:
        """Villages by whole towns, about ``size`` to a group, each grown from the first
        town of ``order`` not yet grouped; every village with a team is in exactly one."""
        left = list(order)
        groups = []
        while left:
            group = _grow(left[0], left, self.villages_of, self.shared, size)
            left = [town for town in left if town not in group]
            groups.append(sorted(v for town in group for v in self.villages_of[town]))
        return groups


def _grow(
    seed: str,
    left: list[str],
    villages_of: dict[str, set[int]],
    shared: dict[str, dict[str, int]],
    size: int,
) -> set[str]:
    """Towns from ``seed`` outwards (most shared units first) until ``size`` villages."""
    group = {seed}
    count = len(villages_of[seed])
    free = set(left) - group
    while count < size and free:
        ties = defaultdict(int, {town: 0 for town in free})
        for town in group:
            for other, units in shared[town].items():
                if other in free:
                    ties[other] += units
        # Most shared units first; by name among equals, so that groups are reproducible.
        chosen = min(free, key=lambda town: (-ties[town], town))
        group.add(chosen)
        free.discard(chosen)
        count += len(villages_of[chosen])
    return group


def _step_limits(limits: SearchLimits, deadline: float) -> SearchLimits:
    left = max(0.1, deadline - time.perf_counter())
    return dataclasses.replace(
        limits,
        time_limit_s=min(STEP_SECONDS, left),
        linearization=LINEARIZATION,
        good_enough=None,
    )
