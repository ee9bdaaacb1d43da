"""The search: a bound and its prices, a rounded plan, CP-SAT or neighbourhoods, proof.

Two paths, chosen in one place by the county's size (:meth:`SearchParams.uses_lp`):

- **The LP path** (up to ``lp_villages`` villages). Column generation gives the bound
  (:mod:`pairing.solve.bounds`; the Lagrangian if HiGHS fails). Stage A: CP-SAT, with its
  LP, on the teams of the whole space whose reduced cost is lowest (and the relaxation's
  support), started from the rounded plan: a good plan quickly. Then reduced-cost fixing.
- **The Lagrangian path** (above). An LP round takes too long: subgradient steps on the
  units' prices give the bound (:mod:`pairing.solve.lagrange`). CP-SAT without its LP finds
  nothing better than the rounded plan, so a neighbourhood search
  (:mod:`pairing.solve.neighbourhoods`) re-optimises a few towns at a time with the LP, the
  rest of the plan fixed, from the rounded plan. Then reduced-cost fixing, if time is left.

Both share the rest. Rounding: the min-cost flow that agrees most with the relaxation
(:mod:`pairing.solve.rounding`) gives a whole plan, or the warm start if that costs less.
Reduced-cost fixing: every team (of the whole space) whose reduced cost is at most
``incumbent - bound`` above its village's lowest may be in a better plan; no other can. CP-SAT
on those (as many as fit in a round) proves the optimum.

The search stops early once a plan is within the caller's gap of the bound. Every knob is a
field of :class:`~pairing.solve.params.SearchParams`.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from pairing.cpsat.pairing.data import SCALE, PairingData, Team, proof_tolerance
from pairing.cpsat.pairing.relaxation import LPFailed
from pairing.cpsat.pairing.solver import Outcome, Progress, SearchLimits
from pairing.domain.pairs import Pair
from pairing.domain.status import BoundMethod, Status
from pairing.solve.bounds import Bound, column_generation
from pairing.solve.lagrange import lagrangian_bound
from pairing.solve.neighbourhoods import improve
from pairing.solve.params import DEFAULT, SearchParams
from pairing.solve.pricing import TeamSpace, enumerated_teams
from pairing.solve.rounding import round_relaxation
from pairing.solve.stage import Found, better, plan_cost, solve_teams, unique

# CP-SAT's LP level on each path. Above ``lp_villages`` CP-SAT re-solves an LP of 10,000+
# team columns at every decision of its hint search and finds no plan at all (2,500 villages:
# nothing in 20 s); without the LP it finds 1,120,575 in that time, where the min-cost-flow
# plan costs 1,195,707.
FULL_LP, NO_LP = 2, 0


def search(
    space: TeamSpace,
    data: PairingData,
    limits: SearchLimits,
    start: set[Pair],
    progress: Progress | None = None,
    stop: threading.Event | None = None,
    params: SearchParams = DEFAULT,
) -> Found:
    """Return the best plan within ``limits`` with a bound valid for every candidate team."""
    started = time.perf_counter()
    extra, truncated = enumerated_teams(space, params.enumeration_budget)
    run = _Run(space, data, extra, limits, started, progress, stop, params, truncated)
    start_teams = _teams_of(space, start)
    if params.uses_lp(data.n_villages):  # the one place the county's size decides
        return _lp_path(run, start_teams)
    return _lagrangian_path(run, start_teams)


@dataclass(frozen=True)
class _Run:
    """What every step shares: the instance, the limits, the clock, the caller's progress
    report and stop event, the knobs, and whether the teams of three were cut short."""

    space: TeamSpace
    data: PairingData
    extra: list[Team]
    limits: SearchLimits
    started: float
    progress: Progress | None
    stop: threading.Event | None
    params: SearchParams
    truncated: bool

    def left(self) -> float:
        """Seconds left of the time limit."""
        return self.limits.time_limit_s - self.elapsed()

    def elapsed(self) -> float:
        """Seconds since the search started."""
        return time.perf_counter() - self.started

    def deadline(self, share: float) -> float:
        """The clock time at ``share`` of the time limit from the start."""
        return self.started + share * self.limits.time_limit_s

    def with_lp_level(self, linearization: int) -> _Run:
        """This run with a path's CP-SAT settings for the team models: its LP level, and the
        team models' probing."""
        probing = self.params.team_probing
        limits = dataclasses.replace(self.limits, probing=probing, linearization=linearization)
        return dataclasses.replace(self, limits=limits)

    def against(self, bound: Bound) -> _Run:
        """This run reporting against ``bound`` and stopping within the caller's gap of it."""
        limits = dataclasses.replace(self.limits, good_enough=_good_enough(bound, self.limits.gap))
        progress = _global(self.progress, self.started, bound.value / SCALE)
        return dataclasses.replace(self, limits=limits, progress=progress)


def _lp_path(run: _Run, start_teams: list[Team]) -> Found:
    """Up to ``lp_villages`` villages: column generation, stage A with CP-SAT's LP from the
    rounded plan, then reduced-cost fixing."""
    run = run.with_lp_level(FULL_LP)
    try:
        bound = column_generation(
            run.space,
            run.data,
            run.extra + start_teams,
            run.deadline(run.params.columns.share),
            run.params.columns,
            run.stop,
        )
    except LPFailed:
        # HiGHS failed by every method it has: the Lagrangian needs no LP solver and its
        # bound is as valid (issue 14, lp-failed.xlsx). The plan says which bound it has.
        bound = _lagrangian(run, start_teams)
    if bound.infeasible:
        return Found((), _empty(Status.INFEASIBLE, run.started), run.truncated)
    run = run.against(bound)
    rounded = _rounded(run, bound, start_teams)
    found = _first_plan(run, bound, lambda: _stage_a(run, bound, rounded or start_teams))
    if _settled(found, run):
        return _finish(run, found, bound, None)
    return _reduced_cost_fixing(run, bound, found)


def _lagrangian_path(run: _Run, start_teams: list[Team]) -> Found:
    """Above ``lp_villages`` villages: the Lagrangian bound, the rounded plan as the first
    plan, neighbourhoods, then reduced-cost fixing if time is left."""
    run = run.with_lp_level(NO_LP)
    bound = _lagrangian(run, start_teams)
    if bound.infeasible:
        return Found((), _empty(Status.INFEASIBLE, run.started), run.truncated)
    run = run.against(bound)
    rounded = _rounded(run, bound, start_teams)

    def first() -> Found:
        # CP-SAT without its LP finds nothing better than the rounded plan (10,000 villages:
        # no plan at all in 20 s): its time goes to the neighbourhoods.
        if rounded:
            return _as_found(run.data, rounded)
        return _stage_a(run, bound, start_teams)

    found = _first_plan(run, bound, first)
    if _settled(found, run):
        return _finish(run, found, bound, None)
    found = _neighbourhoods(run, bound, found)
    # Too little time left for a reduced-cost round: building its model alone takes seconds
    # at 10,000 villages.
    if found.outcome.interrupted or _within(found, run.limits) or run.left() < 1:
        return _finish(run, found, bound, None)
    return _reduced_cost_fixing(run, bound, found)


def _lagrangian(run: _Run, start_teams: list[Team]) -> Bound:
    """The Lagrangian bound by subgradient steps, for its share of the time limit.

    At 2,500 villages it reaches 1,131,389 in 14 s, 0.016% below the LP's optimum
    (1,131,572), for which column generation needs 91 s (a round takes 10 s); at 10,000
    villages one LP round alone takes minutes. Polyak's steps aim at the warm start's cost.
    """
    params = run.params.subgradient
    upper = plan_cost(run.data, start_teams)
    deadline = run.deadline(params.share)
    found = lagrangian_bound(run.space, run.data, run.extra, upper, deadline, run.stop, params)
    return found.bound(run.data.n_villages)


def _first_plan(run: _Run, bound: Bound, find: Callable[[], Found]) -> Found:
    """The path's first plan, with when it came and whether it is within 1% of the bound."""
    began = run.elapsed()
    found = find()
    return _milestones(found, began, run.elapsed(), bound.value / SCALE)


def _settled(found: Found, run: _Run) -> bool:
    """Whether the search ends with the first plan: none, stopped, or within the gap."""
    return not found.outcome.feasible or found.outcome.interrupted or _within(found, run.limits)


def _rounded(run: _Run, bound: Bound, start_teams: list[Team]) -> list[Team]:
    """The cheaper whole plan of the relaxation rounded by flow and the warm start; empty if
    neither is whole (a hard variant of P10-P12 may reject a team of either)."""
    pairs = round_relaxation(run.data, bound.columns, bound.weights)
    rounded = [] if pairs is None else _teams_of(run.space, pairs)
    whole = [teams for teams in (rounded, start_teams) if _is_whole(run.data, teams)]
    return min(whole, key=lambda teams: plan_cost(run.data, teams), default=[])


def _is_whole(data: PairingData, teams: list[Team]) -> bool:
    """Whether ``teams`` give every village one team."""
    return len({team.village for team in teams}) == data.n_villages == len(teams)


def _neighbourhoods(run: _Run, bound: Bound, incumbent: Found) -> Found:
    """The neighbourhood search over the teams that may be in a better plan (as many as fit
    ``teams_per_village`` per village), for its ``share`` of the time left."""
    params = run.params.neighbourhoods
    cap = params.teams_per_village * run.data.n_villages
    window = _fitting(run.space, bound, _gap(incumbent, bound), cap)
    offered = _below(run.space, bound, run.extra, window)
    deadline = time.perf_counter() + params.share * run.left()
    return improve(
        run.data, offered, incumbent, run.limits, deadline, run.progress, run.stop, params
    )


def _reduced_cost_fixing(run: _Run, bound: Bound, incumbent: Found) -> Found:
    """Reduced-cost fixing: offer every team that may be in a better plan, as far as fits.

    A team whose reduced cost exceeds its village's lowest by more than ``incumbent - bound``
    cannot be in a better plan. Each round offers the teams within that window (narrowed, if
    need be, to the ``round_cap`` lowest), starting CP-SAT from the incumbent. A round whose
    window covers the gap left after it is a proof over every candidate team; a narrowed round
    that finds a better plan shrinks the gap, so the next round's window holds more of it.
    """
    first_cap = cap = max(run.params.fixing.round_cap, 10 * len(bound.lowest))
    while True:
        gap = _gap(incumbent, bound)
        offered = _fitting(run.space, bound, gap, cap)
        subset = unique(_below(run.space, bound, run.extra, offered) + list(incumbent.teams))
        share = _share(run.limits, run.started, 1.0)
        found = solve_teams(run.data, subset, list(incumbent.teams), share, run.progress, run.stop)
        improved = found.outcome.feasible and found.outcome.objective < incumbent.outcome.objective
        incumbent = better(incumbent, found)
        # Covering the whole gap from the start, CP-SAT's own bound holds for every plan
        # even if time ran out; a narrowed window needs CP-SAT to have finished.
        covered = offered >= _gap(incumbent, bound)
        proof = found.outcome.feasible and covered and (offered >= gap or found.outcome.proven)
        out_of_time = run.left() <= 0 or found.outcome.interrupted
        # A narrowed round solved without a better plan leaves only a wider round to try.
        grow = (
            not improved
            and found.outcome.proven
            and cap < run.params.fixing.growth_limit * first_cap
        )
        if proof or out_of_time or (not improved and not grow) or _within(incumbent, run.limits):
            certified = found.outcome.bound if proof else None
            return _finish(run, incumbent, bound, certified)
        if grow:
            cap *= 2


def _good_enough(bound: Bound, gap: float) -> float | None:
    """The highest cost (cost units) within the relative ``gap`` of the global bound."""
    if gap <= 0:
        return None
    if gap >= 1:
        return float("inf")
    # (cost - bound) / |cost| <= gap, for a cost of either sign.
    return bound.value / (1 - gap) if bound.value >= 0 else bound.value / (1 + gap)


def _within(found: Found, limits: SearchLimits) -> bool:
    """Whether the plan found is within the caller's gap of the global bound."""
    return limits.good_enough is not None and (
        found.outcome.objective * SCALE <= limits.good_enough
    )


def _gap(incumbent: Found, bound: Bound) -> float:
    """Incumbent minus global bound, in cost units, plus one point of slack for rounding."""
    return incumbent.outcome.objective * SCALE - bound.value + SCALE


def _global(progress: Progress | None, started: float, bound: float) -> Progress | None:
    """Report progress against the whole search's clock and its global (Lagrangian) bound.

    A stage's own CP-SAT bound holds only for the teams it was offered, so it is not shown.
    """
    if progress is None:
        return None
    report = progress

    def relay(_elapsed: float, best: float | None, _stage_bound: float) -> None:
        report(time.perf_counter() - started, best, bound)

    return relay


def _milestones(found: Found, started: float, ended: float, bound: float) -> Found:
    """When the first plan came, and whether the plan is within 1% of the global bound.

    Times are measured from the start of the search; the 1% mark is known at stage granularity.
    """
    outcome = found.outcome
    if not outcome.feasible:
        return found
    first = started + (outcome.first_solution_s or outcome.seconds)
    within = abs(outcome.objective - bound) <= 0.01 * max(1.0, abs(outcome.objective))
    return dataclasses.replace(found, first_plan_s=first, gap1_s=ended if within else None)


def _stage_a(run: _Run, bound: Bound, start: list[Team]) -> Found:
    """CP-SAT on the teams lowest in reduced cost, the relaxation's support and the
    ``start`` plan, started from it; the start itself if CP-SAT finds nothing in its time.

    Teams that admit no plan (a hard variant of P10-P12 leaves few) prove nothing about the
    others: the window then widens, ``widening`` times at a go, until a plan is found or
    every team is offered.
    """
    params = run.params.stage_a
    support = bound.support()
    cap = max(1, params.per_village * run.data.n_villages)
    while True:
        window = _fitting(run.space, bound, np.inf, cap)
        best = _below(run.space, bound, run.extra, window)
        limits = _share(run.limits, run.started, params.share)
        teams = unique(best + support + start)
        found = solve_teams(run.data, teams, start, limits, run.progress, run.stop)
        if found.outcome.status != Status.INFEASIBLE or window == np.inf:
            break
        cap *= params.widening
    if found.outcome.feasible or not _is_whole(run.data, start):
        return found
    fallback = _as_found(run.data, start)
    return dataclasses.replace(
        fallback,
        outcome=dataclasses.replace(fallback.outcome, interrupted=found.outcome.interrupted),
    )


def _as_found(data: PairingData, teams: list[Team]) -> Found:
    """A plan found without CP-SAT (rounding, the warm start), at its whole cost."""
    cost = plan_cost(data, teams)
    outcome = Outcome(
        chosen=tuple(range(len(teams))),
        status=Status.FEASIBLE,
        objective=cost / SCALE,
        bound=float("-inf"),
        seconds=0.0,
        proven=False,
        interrupted=False,
        first_solution_s=0.0,
    )
    return Found(tuple(teams), outcome)


def _teams_of(space: TeamSpace, pairs: set[Pair]) -> list[Team]:
    """Pairs (the warm start, a rounded plan, ``explain``'s hint) as teams, skipping any team
    a hard variant rejects or that lacks a 必须 or forced unit of its village.

    The team model takes a team's units as given: ``explain`` hints the current plan while
    forcing a pair outside it, and a hinted team without the forced unit would be a way
    round the force.
    """
    from pairing.solve.teams import team_cost

    units: dict[int, list[int]] = {}
    for u, v in pairs:
        units.setdefault(v, []).append(u)
    teams = []
    for v, members in sorted(units.items()):
        team = tuple(sorted(members))
        if not set(space.layout.must[v]) <= set(team):
            continue
        costs = {(u, v): space.coefficients.edge_cost((u, v)) for u in team}
        cost = team_cost(space.problem, v, team, costs)
        if cost is not None:
            teams.append(Team(v, team, cost))
    return teams


def _fitting(space: TeamSpace, bound: Bound, window: float, cap: int) -> float:
    """The widest window up to ``window`` that holds at most ``cap`` teams."""
    return space.window_for(bound.prices, bound.lowest, window, cap)


def _below(space: TeamSpace, bound: Bound, extra: list[Team], window: float) -> list[Team]:
    """Every team within ``window`` of its village's lowest reduced cost."""
    limits = bound.lowest + window
    teams = list(space.teams_below(bound.prices, limits))
    if extra:
        reduced = bound.reduced(extra)
        teams += [t for t, rc in zip(extra, reduced, strict=True) if rc <= limits[t.village]]
    return teams


def _share(limits: SearchLimits, started: float, share: float) -> SearchLimits:
    """``limits`` with ``share`` of the time left since ``started`` (0.1 s at least)."""
    left = limits.time_limit_s - (time.perf_counter() - started)
    return dataclasses.replace(limits, time_limit_s=max(0.1, share * left))


def _finish(run: _Run, found: Found, bound: Bound, certified: float | None) -> Found:
    """Attach the global bound: the relaxation's (LP or Lagrangian), or a complete CP-SAT
    stage's bound when that is higher.

    A plan is proven optimal only when a bound that covers every candidate team is within
    :func:`proof_tolerance` of it.
    """
    if not found.outcome.feasible:
        outcome = dataclasses.replace(found.outcome, seconds=run.elapsed())
        return dataclasses.replace(found, outcome=outcome)
    value, method = bound.value / SCALE, bound.method
    if certified is not None and certified > value:
        value, method = certified, BoundMethod.CP_SAT
    objective = found.outcome.objective
    proven = objective - value <= proof_tolerance(objective)
    outcome = dataclasses.replace(
        found.outcome,
        bound=min(value, objective),
        proven=proven,
        status=Status.OPTIMAL if proven else Status.FEASIBLE,
        seconds=run.elapsed(),
    )
    gap1 = found.gap1_s if found.gap1_s is not None or not proven else outcome.seconds
    if gap1 is None and objective - value <= 0.01 * max(1.0, abs(objective)):
        gap1 = outcome.seconds
    return Found(
        found.teams,
        outcome,
        run.truncated,
        first_plan_s=found.first_plan_s,
        gap1_s=gap1,
        bound_method=method,
    )


def _empty(status: Status, started: float) -> Outcome:
    """An outcome without a plan."""
    return Outcome(
        (), status, float("nan"), float("nan"), time.perf_counter() - started, False, False, None
    )
