"""The search strategy: LP bound, reduced-cost fixing, then CP-SAT to proof.

1. Solve the team LP (HiGHS): a bound, reduced costs, and a fractional plan.
2. Stage A: CP-SAT on the teams whose reduced cost is tiny, started from the LP's rounding:
   a good plan (the incumbent) within a fraction of the time.
3. Stage B: keep every team whose reduced cost is at most ``incumbent - bound``; no other
   team can be in a plan as good as the incumbent. CP-SAT on these, started from the
   incumbent, proves the optimum over all offered teams.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from dataclasses import dataclass

from pairing.cpsat.pairing.data import SCALE, PairingData
from pairing.cpsat.pairing.relaxation import Relaxation, solve_relaxation
from pairing.cpsat.pairing.solver import Outcome, Progress, SearchLimits, run
from pairing.cpsat.pairing.teams import build_team_model

STAGE_A_SHARE = 0.3  # of the time limit
STAGE_A_SLACK = 0.001  # reduced-cost window of stage A, as a share of the LP bound


@dataclass(frozen=True)
class Found:
    """The chosen teams (indices into ``data.teams``) and how the search went."""

    teams: tuple[int, ...]
    outcome: Outcome
    lp_bound: float | None
    columns: int


def search(
    data: PairingData,
    towns_of: dict[int, str],
    limits: SearchLimits,
    hint: list[int],
    progress: Progress | None = None,
    stop: threading.Event | None = None,
) -> Found:
    """Return the best plan over ``data.teams`` within ``limits``."""
    started = time.perf_counter()
    relaxation = solve_relaxation(data)
    if relaxation is None:
        return Found((), _empty("INFEASIBLE", started), None, 0)
    window = max(5 * SCALE, STAGE_A_SLACK * abs(relaxation.bound))
    subset_a = sorted(set(relaxation.keep(relaxation.bound + window)) | set(hint))
    start_a = relaxation.rounded() or hint
    found_a = _solve_subset(
        data, towns_of, subset_a, start_a, _share(limits, started, STAGE_A_SHARE), progress, stop
    )
    if not found_a.outcome.feasible or found_a.outcome.interrupted:
        subset_b = list(range(len(data.teams)))
        start_b = hint
    else:
        subset_b = sorted(
            set(relaxation.keep(found_a.outcome.objective * SCALE)) | set(found_a.teams)
        )
        start_b = list(found_a.teams)
        if subset_b == subset_a and found_a.outcome.proven:
            return _with_bound(found_a, relaxation, started)
    found_b = _solve_subset(
        data, towns_of, subset_b, start_b, _share(limits, started, 1.0), progress, stop
    )
    best = found_b if found_b.outcome.feasible else found_a
    return _with_bound(best, relaxation, started)


def _share(limits: SearchLimits, started: float, share: float) -> SearchLimits:
    left = limits.time_limit_s - (time.perf_counter() - started)
    return dataclasses.replace(limits, time_limit_s=max(0.1, share * left))


def _solve_subset(
    data: PairingData,
    towns_of: dict[int, str],
    subset: list[int],
    start: list[int],
    limits: SearchLimits,
    progress: Progress | None,
    stop: threading.Event | None,
) -> Found:
    sub = dataclasses.replace(data, teams=tuple(data.teams[i] for i in subset))
    position = {team: k for k, team in enumerate(subset)}
    model = build_team_model(sub, towns_of)
    hint = [position[i] for i in start if i in position]
    outcome = run(model.model, model.team, limits, hint, progress, stop)
    return Found(tuple(subset[k] for k in outcome.chosen), outcome, None, len(subset))


def _with_bound(found: Found, relaxation: Relaxation, started: float) -> Found:
    """Report the stronger of the LP bound and CP-SAT's bound, and the total time."""
    bound = max(found.outcome.bound, relaxation.bound / SCALE)
    outcome = dataclasses.replace(
        found.outcome,
        bound=min(bound, found.outcome.objective),
        seconds=time.perf_counter() - started,
    )
    return Found(found.teams, outcome, relaxation.bound / SCALE, found.columns)


def _empty(status: str, started: float) -> Outcome:
    return Outcome(
        (), status, float("nan"), float("nan"), time.perf_counter() - started, False, False, None
    )
