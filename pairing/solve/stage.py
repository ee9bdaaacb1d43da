"""One CP-SAT stage over a set of teams, and the record of what it found.

Every step of the search (stage A, reduced-cost fixing, the neighbourhoods) offers CP-SAT a
subset of teams, starts it from a plan, and keeps the better of two plans.
"""

from __future__ import annotations

import dataclasses
import math
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pairing.cpsat.pairing.data import PairingData, Team
from pairing.cpsat.pairing.rules import towns
from pairing.cpsat.pairing.solver import Outcome, Progress, SearchLimits, run
from pairing.cpsat.pairing.teams import build_team_model
from pairing.domain.status import BoundMethod, Status


@dataclass(frozen=True)
class Found:
    """The chosen teams and how the search went (bound over the whole team space).

    ``truncated``: some village's teams of three or more were cut to an enumeration budget,
    so the bound holds for the teams enumerated only.
    """

    teams: tuple[Team, ...]
    outcome: Outcome
    truncated: bool = False
    first_plan_s: float | None = None
    gap1_s: float | None = None
    bound_method: BoundMethod = BoundMethod.NONE  # what proved the bound


class Pool:
    """Teams generated so far, without duplicates, in the order they came."""

    def __init__(self) -> None:
        self.teams: list[Team] = []
        self._seen: set[tuple[int, tuple[int, ...]]] = set()

    def add(self, teams: Iterable[Team]) -> int:
        """Add new teams; return how many were new."""
        added = 0
        for team in teams:
            key = (team.village, team.units)
            if key not in self._seen:
                self._seen.add(key)
                self.teams.append(team)
                added += 1
        return added


def better(first: Found, second: Found) -> Found:
    """The better plan of two stages, keeping the earlier stage's milestones.

    A stage stopped by the user (Ctrl-C, SIGTERM) marks the result interrupted whichever plan
    wins: the search was cut short, so the plan it ends with must say so.
    """
    if not second.outcome.feasible or (
        first.outcome.feasible and second.outcome.objective > first.outcome.objective
    ):
        return _interrupted(first) if second.outcome.interrupted else first
    return dataclasses.replace(
        second, first_plan_s=first.first_plan_s or second.first_plan_s, gap1_s=first.gap1_s
    )


def _interrupted(found: Found) -> Found:
    """``found``, marked as stopped by the user."""
    return dataclasses.replace(found, outcome=dataclasses.replace(found.outcome, interrupted=True))


def unique(teams: list[Team]) -> list[Team]:
    """``teams`` without duplicates, in a canonical order (village, then units)."""
    pool = Pool()
    pool.add(teams)
    return sorted(pool.teams, key=lambda t: (t.village, t.units))


def plan_cost(data: PairingData, teams: Sequence[Team]) -> int:
    """A plan's whole cost (cost units): its teams, the constant, and P15's extra towns of
    each unit that may take several villages."""
    pairs = ((unit, team.village) for team in teams for unit in team.units)
    used = towns.used_towns(pairs, data.villages_max.__getitem__, data.village_town.__getitem__)
    return sum(team.cost for team in teams) + data.constant + towns.extra_cost(used, data.town_cost)


def solve_teams(
    data: PairingData,
    teams: list[Team],
    start: list[Team],
    limits: SearchLimits,
    progress: Progress | None,
    stop: threading.Event | None,
    villages: Iterable[int] | None = None,
) -> Found:
    """CP-SAT over ``teams``, started from ``start``'s teams: each of ``villages`` (all by
    default) must hold one. Once ``stop`` is set, nothing is built or searched: the result
    is an interrupted outcome without a plan, and the caller keeps the plan it has."""
    if stop is not None and stop.is_set():  # stopped: no model to build, nothing found
        nothing = Outcome((), Status.UNKNOWN, math.nan, math.nan, 0.0, False, True, None)
        return Found((), nothing)
    sub = dataclasses.replace(data, teams=tuple(teams))
    position = {(t.village, t.units): k for k, t in enumerate(teams)}
    model = build_team_model(sub, villages)
    hint = [position[(t.village, t.units)] for t in start if (t.village, t.units) in position]
    outcome = run(model.model, model.team, limits, hint, progress, stop)
    return Found(tuple(teams[k] for k in outcome.chosen), outcome)
