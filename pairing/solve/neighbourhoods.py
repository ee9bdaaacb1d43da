"""Large-neighbourhood search over towns: re-optimise a few towns at a time, the rest fixed.

Above ``SearchParams.lp_villages`` villages CP-SAT must search without its LP, and
its plans stall about 1.5% above the bound (2,500 villages: 1,146,938 against an LP optimum of
1,131,570). A neighbourhood of ~400 villages is small enough for CP-SAT's full LP, which proves
it optimal (for the teams offered) in 0.1-0.3 s; from the rounded plan (1,136,247) the rest of
60 s then end at 1,133,700.

A neighbourhood is the villages of a few whole towns that share candidate units. CP-SAT is
offered every given team of those villages; the villages whose teams hold a unit it offers
keep their team, in the model so that P02 (a unit's places) and P15 (its towns) still see
them; the rest of the plan stays out of the model. Each step can only keep or lower the cost.
Towns are the model data's own (``PairingData.village_town``); the knobs are
:class:`pairing.solve.params.Neighbourhoods`.
"""

from __future__ import annotations

import dataclasses
import random
import threading
import time
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from pairing.cpsat.pairing.data import SCALE, PairingData, Team
from pairing.cpsat.pairing.solver import Progress, SearchLimits
from pairing.domain.status import Status
from pairing.solve.params import DEFAULT, Neighbourhoods
from pairing.solve.stage import Found, better, plan_cost, solve_teams, unique


def improve(
    data: PairingData,
    offered: Sequence[Team],
    incumbent: Found,
    limits: SearchLimits,
    deadline: float,
    progress: Progress | None = None,
    stop: threading.Event | None = None,
    params: Neighbourhoods = DEFAULT.neighbourhoods,
) -> Found:
    """Improve ``incumbent`` neighbourhood by neighbourhood until passes stop gaining.

    Each pass groups the towns afresh, growing groups from towns in a seeded shuffled order,
    so that borders move and units shared across one pass's border meet inside a group in
    the next. The search stops after ``params.stall_passes`` passes in a row without a better
    plan.
    """
    began = time.perf_counter()
    by_village: dict[int, list[Team]] = defaultdict(list)
    for team in offered:
        by_village[team.village].append(team)
    graph = TownGraph(offered, data.village_town)
    passes = stalled = 0
    while stalled < params.stall_passes:
        before = incumbent.outcome.objective
        order = random.Random(limits.seed + passes).sample(range(graph.size), graph.size)
        for villages in graph.groups(order, params.villages):
            if stop is not None and stop.is_set():
                return _interrupted(incumbent)
            if time.perf_counter() >= deadline:
                return incumbent
            step = _step_limits(limits, deadline, params)
            offered = [t for v in villages for t in by_village[v]]
            found = _solve_step(data, offered, incumbent, step, stop)
            incumbent = better(incumbent, found)
            if found.outcome.interrupted:  # Ctrl-C or the stop event: the caller stops too
                return _interrupted(incumbent)
            if progress is not None:  # a step's own reports would give its model's cost
                elapsed = time.perf_counter() - began
                progress(elapsed, incumbent.outcome.objective, incumbent.outcome.bound)
        passes += 1
        stalled = stalled + 1 if incumbent.outcome.objective >= before else 0
    return incumbent


def _solve_step(
    data: PairingData,
    offered: list[Team],
    incumbent: Found,
    limits: SearchLimits,
    stop: threading.Event | None,
) -> Found:
    """Re-optimise one neighbourhood; return the whole plan at its whole cost.

    CP-SAT's own reports would give the model's cost, not the plan's, so the caller
    reports after each step instead; the model's bound says nothing of the whole plan.

    The model holds the neighbourhood's villages and every village whose team holds a unit
    the ``offered`` teams use (its team fixed: P02 and P15 still see that unit's other
    places). The rest of the plan stays out of the model, its units' bounds lowered by the
    places it takes: at 10,000 villages that leaves a third of the model to build.
    """
    units = {u for team in offered for u in team.units}
    touched = {team.village for team in offered}
    kept: list[Team] = []
    outside: list[Team] = []
    for team in incumbent.teams:
        inside = team.village in touched or not units.isdisjoint(team.units)
        (kept if inside else outside).append(team)
    sub = _without(data, outside)
    scope = sorted({team.village for team in kept})
    found = solve_teams(sub, unique(offered + kept), kept, limits, None, stop, villages=scope)
    if not found.outcome.feasible:
        return found
    teams = found.teams + tuple(outside)
    outcome = dataclasses.replace(
        found.outcome,
        chosen=tuple(range(len(teams))),
        status=Status.FEASIBLE,
        objective=plan_cost(data, teams) / SCALE,
        bound=float("-inf"),
        proven=False,
    )
    return Found(teams, outcome)


def _without(data: PairingData, fixed: Sequence[Team]) -> PairingData:
    """``data`` with each unit's bounds lowered by the places the ``fixed`` teams take."""
    taken = np.zeros(data.n_units, dtype=np.int64)
    for team in fixed:
        taken[list(team.units)] += 1
    low = np.maximum(0, np.asarray(data.villages_min) - taken)
    high = np.asarray(data.villages_max) - taken
    return dataclasses.replace(
        data, villages_min=tuple(low.tolist()), villages_max=tuple(high.tolist())
    )


class TownGraph:
    """Towns (indices in name order), their villages, and the units each pair shares.

    ``shared[a, b]`` counts the units offered to villages of both town ``a`` and town ``b``.
    """

    def __init__(self, teams: Sequence[Team], village_town: Sequence[str]) -> None:
        names = sorted({village_town[t.village] for t in teams})
        index = {name: k for k, name in enumerate(names)}
        self.villages_of: list[set[int]] = [set() for _ in names]
        town_unit: set[tuple[int, int]] = set()
        for team in teams:
            town = index[village_town[team.village]]
            self.villages_of[town].add(team.village)
            town_unit.update((town, unit) for unit in team.units)
        self.size = len(names)
        pairs = np.array(sorted(town_unit), dtype=np.int64).reshape(-1, 2)
        units = int(pairs[:, 1].max(initial=-1)) + 1
        incidence = sparse.csr_matrix(
            (np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(self.size, units)
        )
        shared = (incidence @ incidence.T).tolil()
        shared.setdiag(0)
        self.shared = shared.tocsr()

    def groups(self, order: Sequence[int], size: int) -> list[list[int]]:
        """Villages by whole towns, about ``size`` to a group, neighbours kept together.

        Each group grows from the first town of ``order`` not yet grouped, adding the town
        that shares most units with the group (the first in name order among equals) until
        it holds ``size`` villages or no town is left. Every village is in exactly one group.
        """
        grouped = np.zeros(self.size, dtype=bool)
        groups = []
        for seed in order:
            if not grouped[seed]:
                towns = self._grow(seed, grouped, size)
                groups.append(sorted(v for town in towns for v in self.villages_of[town]))
        return groups

    def _grow(self, seed: int, grouped: NDArray[np.bool_], size: int) -> list[int]:
        ties = np.zeros(self.size)
        towns: list[int] = []
        count = 0
        town = seed
        while True:
            towns.append(town)
            grouped[town] = True
            count += len(self.villages_of[town])
            row = slice(self.shared.indptr[town], self.shared.indptr[town + 1])
            ties[self.shared.indices[row]] += self.shared.data[row]
            free = np.flatnonzero(~grouped)
            if count >= size or free.size == 0:
                return towns
            town = int(free[np.argmax(ties[free])])


def _step_limits(limits: SearchLimits, deadline: float, params: Neighbourhoods) -> SearchLimits:
    """One step's limits: its share of the time left, CP-SAT's full LP, no gap to stop at."""
    left = max(0.1, deadline - time.perf_counter())
    return dataclasses.replace(
        limits,
        time_limit_s=min(params.step_seconds, left),
        linearization=params.linearization,
        good_enough=None,
    )


def _interrupted(found: Found) -> Found:
    """``found``, marked as stopped by the user (so the search stops and says so)."""
    return dataclasses.replace(found, outcome=dataclasses.replace(found.outcome, interrupted=True))
