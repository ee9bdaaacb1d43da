"""The search: a bound and its prices, a rounded plan, CP-SAT or neighbourhoods, proof.

1. Column generation. Start from each village's cheapest teams and the warm start; solve the
   LP; price every team of the candidate graph with NumPy against the LP's prices; add those
   with negative reduced cost; repeat until none is left. The LP value plus each village's
   lowest reduced cost is then a lower bound over *all* teams, not just the ones generated.
   Above ``LP_VILLAGES`` villages an LP round takes too long: subgradient steps on the units'
   prices give the bound instead (:mod:`pairing.solve.lagrange`).
2. Rounding: the min-cost flow that agrees most with the relaxation
   (:mod:`pairing.solve.rounding`) gives a whole plan, or the warm start if that costs less.
3. Stage A: CP-SAT on the teams of the whole space whose reduced cost is lowest (and the
   relaxation's support), started from the rounded plan: a good plan quickly.
   Above ``LP_VILLAGES`` villages CP-SAT has no LP and finds nothing better than the rounded
   plan: a neighbourhood search (:mod:`pairing.solve.neighbourhoods`) re-optimises a few
   towns at a time with the LP, the rest of the plan fixed, from the rounded plan.
4. Reduced-cost fixing: every team (of the whole space) whose reduced cost is at most
   ``incumbent - bound`` above its village's lowest may be in a better plan; no other can.
   CP-SAT on those (as many as fit in a round) proves the optimum.

The search stops early once a plan is within the caller's gap of the bound.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from pairing.cpsat.pairing.data import SCALE, PairingData, Team, proof_tolerance
from pairing.cpsat.pairing.relaxation import LPFailed, MasterLP, Relaxation
from pairing.cpsat.pairing.solver import Outcome, Progress, SearchLimits
from pairing.domain.pairs import Pair
from pairing.solve.lagrange import lagrangian_bound
from pairing.solve.neighbourhoods import improve
from pairing.solve.pricing import Prices, TeamSpace, enumerated_teams
from pairing.solve.rounding import round_relaxation
from pairing.solve.stage import Found, Pool, better, plan_cost, solve_teams, unique

INITIAL_TEAMS = 8  # cheapest teams per village to start the column generation
ADDED_TEAMS = 10  # most negative teams per village added per pricing round
PRICING_SHARE = 0.5  # of the time limit, at most, for column generation
LAGRANGE_SHARE = 0.3  # of the time limit for the Lagrangian bound, above LP_VILLAGES
STAGE_A_SHARE = 0.3  # of what is left
STAGE_A_PER_VILLAGE = 4  # stage A: the lowest reduced costs of the whole space, 4 per village
# on average (+ LP support): Gaozhou's optimum is among them, 4 from the pool's best was not
STAGE_A_WIDENING = 4  # stage A's window grows this much while its teams admit no plan
ROUND_CAP = 7_000  # teams per round (or 10 per village if more); a wider window is narrowed
GROWTH_LIMIT = 8  # a round that found nothing better may double its cap up to this many times
ENUMERATION_BUDGET = 1200
POOL_CAP = 300_000  # teams generated at most: bounds memory; the bound stays valid if reached
TEAM_PROBING = 0  # CP-SAT probing on team models: costs most of a round, fixes little
LP_VILLAGES = 1_000  # above this many villages CP-SAT searches without its LP
NEIGHBOURHOOD_TEAMS = 60  # teams per village on average offered to the neighbourhoods
NEIGHBOURHOOD_SHARE = 1.0  # of the time left after the first plan; the rest: reduced costs
# A reduced cost above -EPSILON × the LP's cost unit (its dearest first team) is taken as 0: the
# interior point's prices are exact to about 1e-8 of that unit, never to one cost unit.
EPSILON = 1e-6


def search(
    space: TeamSpace,
    data: PairingData,
    towns_of: dict[int, str],
    limits: SearchLimits,
    start: set[Pair],
    progress: Progress | None = None,
    stop: threading.Event | None = None,
) -> Found:
    """Return the best plan within ``limits`` with a bound valid for every candidate team."""
    started = time.perf_counter()
    limits = dataclasses.replace(
        limits, probing=TEAM_PROBING, linearization=_linearization(data.n_villages)
    )
    extra, truncated = enumerated_teams(space, ENUMERATION_BUDGET)
    start_teams = _teams_of(space, start)
    relaxation, bound, columns = _relax(
        space, data, towns_of, extra, start_teams, limits, started, stop
    )
    if not relaxation.feasible and bound.converged:
        return Found((), _empty("INFEASIBLE", started), truncated)
    progress = _global(progress, started, bound.value / SCALE)
    limits = dataclasses.replace(limits, good_enough=_good_enough(bound, limits.gap))
    run = _Run(space, data, towns_of, extra, limits, started, progress, stop)
    rounded = _rounded(run, columns, relaxation, start_teams)
    first_started = time.perf_counter() - started
    if data.n_villages > LP_VILLAGES and rounded:
        # CP-SAT without its LP finds nothing better than the rounded plan (10,000
        # villages: no plan at all in 20 s): its time goes to the neighbourhoods.
        found = _as_found(data, towns_of, rounded)
    else:
        found = _stage_a(run, columns, relaxation, bound, rounded or start_teams)
    found = _milestones(found, first_started, time.perf_counter() - started, bound.value / SCALE)
    if not found.outcome.feasible or found.outcome.interrupted or _within(found, limits):
        return _finish(found, bound, None, started, truncated)
    if data.n_villages > LP_VILLAGES:
        found = _neighbourhoods(run, relaxation, bound, found)
        # Too little time left for a reduced-cost round: building its model alone takes
        # seconds at 10,000 villages.
        if found.outcome.interrupted or _within(found, limits) or run.left() < 1:
            return _finish(found, bound, None, started, truncated)
    return _reduced_cost_fixing(run, relaxation, bound, found, truncated)


def _rounded(
    run: _Run, columns: list[Team], relaxation: Relaxation, start_teams: list[Team]
) -> list[Team]:
    """The cheaper whole plan of the relaxation rounded by flow and the warm start; empty if
    neither is whole (a hard variant of P10-P12 may reject a team of either)."""
    pairs = round_relaxation(run.data, columns, relaxation.values)
    rounded = [] if pairs is None else _teams_of(run.space, pairs)
    whole = [teams for teams in (rounded, start_teams) if _is_whole(run.data, teams)]
    return min(whole, key=lambda teams: plan_cost(run.data, run.towns_of, teams), default=[])


def _is_whole(data: PairingData, teams: list[Team]) -> bool:
    """Whether ``teams`` give every village one team."""
    return len({team.village for team in teams}) == data.n_villages == len(teams)


def _relax(
    space: TeamSpace,
    data: PairingData,
    towns_of: dict[int, str],
    extra: list[Team],
    start_teams: list[Team],
    limits: SearchLimits,
    started: float,
    stop: threading.Event | None = None,
) -> tuple[Relaxation, Bound, list[Team]]:
    """The bound and its prices: column generation up to ``LP_VILLAGES`` villages, the
    Lagrangian above, each for its share of the time limit from ``started``. Returns the
    relaxation, the bound and the teams the relaxation's values refer to."""
    lagrange_deadline = started + LAGRANGE_SHARE * limits.time_limit_s
    if data.n_villages > LP_VILLAGES:
        return _lagrangian(space, data, towns_of, extra, start_teams, lagrange_deadline, stop)
    pool = Pool()
    pool.add(space.teams_below(space.zero_prices(), np.inf, INITIAL_TEAMS))
    pool.add(extra)
    pool.add(start_teams)
    deadline = started + PRICING_SHARE * limits.time_limit_s
    try:
        relaxation, bound = _generate_columns(space, data, pool, deadline, data.constant, stop)
    except LPFailed:
        # HiGHS failed by every method it has: the Lagrangian needs no LP solver and its
        # bound is as valid (issue 14, lp-failed.xlsx). The plan says which bound it has.
        return _lagrangian(space, data, towns_of, extra, start_teams, lagrange_deadline, stop)
    return relaxation, bound, pool.teams


@dataclass(frozen=True)
class _Run:
    """What the steps after the bound share: the instance, the limits, the clock, the caller's
    progress report and stop event."""

    space: TeamSpace
    data: PairingData
    towns_of: dict[int, str]
    extra: list[Team]
    limits: SearchLimits
    started: float
    progress: Progress | None
    stop: threading.Event | None

    def left(self) -> float:
        """Seconds left of the time limit."""
        return self.limits.time_limit_s - (time.perf_counter() - self.started)


def _neighbourhoods(run: _Run, relaxation: Relaxation, bound: Bound, incumbent: Found) -> Found:
    """The neighbourhood search over the teams that may be in a better plan (as many as fit
    ``NEIGHBOURHOOD_TEAMS`` per village), for ``NEIGHBOURHOOD_SHARE`` of the time left."""
    cap = NEIGHBOURHOOD_TEAMS * run.data.n_villages
    window = _fitting(run.space, bound, _gap(incumbent, bound), cap)
    offered = _below(run.space, relaxation, bound, run.extra, window)
    deadline = time.perf_counter() + NEIGHBOURHOOD_SHARE * run.left()
    return improve(
        run.data, run.towns_of, offered, incumbent, run.limits, deadline, run.progress, run.stop
    )


def _reduced_cost_fixing(
    run: _Run, relaxation: Relaxation, bound: Bound, incumbent: Found, truncated: bool
) -> Found:
    """Reduced-cost fixing: offer every team that may be in a better plan, as far as fits.

    A team whose reduced cost exceeds its village's lowest by more than ``incumbent - bound``
    cannot be in a better plan. Each round offers the teams within that window (narrowed, if
    need be, to the ``ROUND_CAP`` lowest), starting CP-SAT from the incumbent. A round whose
    window covers the gap left after it is a proof over every candidate team; a narrowed round
    that finds a better plan shrinks the gap, so the next round's window holds more of it.
    """
    cap = _cap(bound)
    while True:
        gap = _gap(incumbent, bound)
        offered = _fitting(run.space, bound, gap, cap)
        teams = _below(run.space, relaxation, bound, run.extra, offered)
        subset = unique(teams + list(incumbent.teams))
        share = _share(run.limits, run.started, 1.0)
        found = solve_teams(
            run.data, run.towns_of, subset, list(incumbent.teams), share, run.progress, run.stop
        )
        improved = found.outcome.feasible and found.outcome.objective < incumbent.outcome.objective
        incumbent = better(incumbent, found)
        # Covering the whole gap from the start, CP-SAT's own bound holds for every plan
        # even if time ran out; a narrowed window needs CP-SAT to have finished.
        covered = offered >= _gap(incumbent, bound)
        proof = found.outcome.feasible and covered and (offered >= gap or found.outcome.proven)
        out_of_time = run.left() <= 0 or found.outcome.interrupted
        # A narrowed round solved without a better plan leaves only a wider round to try.
        grow = not improved and found.outcome.proven and cap < GROWTH_LIMIT * _cap(bound)
        if proof or out_of_time or (not improved and not grow) or _within(incumbent, run.limits):
            certified = found.outcome.bound if proof else None
            return _finish(incumbent, bound, certified, run.started, truncated)
        if grow:
            cap *= 2


def _linearization(villages: int) -> int:
    """CP-SAT's LP level for this size: the full LP up to ``LP_VILLAGES`` villages, none above.

    Above it CP-SAT re-solves an LP of 10,000+ team columns at every decision of its hint
    search and finds no plan at all (2,500 villages: nothing in 20 s); without the LP it finds
    1,120,575 in that time, where the min-cost-flow plan costs 1,195,707.
    """
    return 2 if villages <= LP_VILLAGES else 0


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


def _stage_a(
    run: _Run, columns: list[Team], relaxation: Relaxation, bound: Bound, start: list[Team]
) -> Found:
    """CP-SAT on the teams lowest in reduced cost, the relaxation's support and the
    ``start`` plan, started from it; the start itself if CP-SAT finds nothing in its time.

    ``columns`` are the relaxation's, which its values refer to. Teams that admit no plan
    (a hard variant of P10-P12 leaves few) prove nothing about the others: the window then
    widens, four times at a go, until a plan is found or every team is offered.
    """
    support = [columns[i] for i in relaxation.support()]
    cap = max(1, STAGE_A_PER_VILLAGE * run.data.n_villages)
    while True:
        window = _fitting(run.space, bound, np.inf, cap)
        best = _below(run.space, relaxation, bound, run.extra, window)
        limits = _share(run.limits, run.started, STAGE_A_SHARE)
        found = solve_teams(
            run.data,
            run.towns_of,
            unique(best + support + start),
            start,
            limits,
            run.progress,
            run.stop,
        )
        if found.outcome.status != "INFEASIBLE" or window == np.inf:
            break
        cap *= STAGE_A_WIDENING
    if found.outcome.feasible or not _is_whole(run.data, start):
        return found
    fallback = _as_found(run.data, run.towns_of, start)
    return dataclasses.replace(
        fallback,
        outcome=dataclasses.replace(fallback.outcome, interrupted=found.outcome.interrupted),
    )


def _as_found(data: PairingData, towns_of: dict[int, str], teams: list[Team]) -> Found:
    """A plan found without CP-SAT (rounding, the warm start), at its whole cost."""
    cost = plan_cost(data, towns_of, teams)
    outcome = Outcome(
        chosen=tuple(range(len(teams))),
        status="FEASIBLE",
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


@dataclass(frozen=True)
class Bound:
    """A lower bound valid for every team: LP value plus each village's lowest reduced cost.

    For any plan, cost ≥ LP value + Σ reduced costs of its teams (LP duality with the unit
    bounds), and each village holds exactly one team; so the bound holds whether or not column
    generation has converged, and a team T of village v can only be in a plan costing at most
    ``UB`` if ``rc(T) - lowest[v] ≤ UB - bound``. ``prices`` are the LP's, laid out for
    pricing: the reduced costs this bound was computed with.
    """

    value: float
    lowest: NDArray[np.float64]
    converged: bool
    prices: Prices
    method: str = "lp"  # how it was found: "lp" (column generation) or "lagrangian"


def _generate_columns(
    space: TeamSpace,
    data: PairingData,
    pool: Pool,
    deadline: float,
    offset: float,
    stop: threading.Event | None = None,
) -> tuple[Relaxation, Bound]:
    """Price and add teams until none has negative reduced cost or time runs out.

    Every pooled team is a column of the LP, so the relaxation's values follow ``pool.teams``.
    Dropping columns of high reduced cost between rounds was tried: the smaller LP solves
    faster, but its prices swing to the artificials' bounds and the bound collapses.
    """
    master = MasterLP(
        data.n_villages,
        data.villages_min,
        data.villages_max,
        links=space.town_links(),
    )
    master.add(pool.teams)
    while True:
        relaxation = master.solve()
        prices = _prices(space, relaxation)
        lowest = space.min_reduced(prices)
        tolerance = EPSILON * master.cost_unit
        converged = bool(lowest.min(initial=0.0) >= -tolerance)
        value = relaxation.value + offset + float(lowest.sum())
        bound = Bound(value, lowest, converged, prices)
        stopped = stop is not None and stop.is_set()  # Ctrl-C: the bound holds as it is
        if converged or stopped or time.perf_counter() > deadline or len(pool.teams) >= POOL_CAP:
            return relaxation, bound
        known = len(pool.teams)
        pool.add(space.teams_below(prices, -tolerance, ADDED_TEAMS))
        master.add(pool.teams[known:])


def _lagrangian(
    space: TeamSpace,
    data: PairingData,
    towns_of: dict[int, str],
    extra: list[Team],
    start_teams: list[Team],
    deadline: float,
    stop: threading.Event | None = None,
) -> tuple[Relaxation, Bound, list[Team]]:
    """The Lagrangian bound by subgradient steps, in the shape column generation returns.

    At 2,500 villages it reaches 1,131,389 in 14 s, 0.016% below the LP's optimum
    (1,131,572), for which column generation needs 91 s (a round takes 10 s); at 10,000
    villages one LP round alone takes minutes.
    The relaxation holds its prices and, as its solution, the share of recent steps in which
    each of ``found.teams`` was lowest: rounding follows them.
    """
    upper = plan_cost(data, towns_of, start_teams)
    found = lagrangian_bound(space, data, extra, upper, deadline, stop)
    relaxed_terms = found.value - data.constant - float(found.lowest.sum())  # rows, towns
    # A village without any team: no plan exists, as an LP left with artificials would say.
    artificial = 0.0 if found.feasible else 1.0
    relaxation = Relaxation(
        relaxed_terms,
        np.zeros(data.n_villages),
        found.unit_price,
        np.array(found.share),
        artificial,
        found.pair_price,
    )
    bound = Bound(found.value, found.lowest, not found.feasible, found.prices, "lagrangian")
    return relaxation, bound, list(found.teams)


def _prices(space: TeamSpace, relaxation: Relaxation) -> Prices:
    """The LP's prices laid out for pricing the team space."""
    return space.prices(relaxation.village_price, relaxation.unit_price, relaxation.pair_price)


def _cap(bound: Bound) -> int:
    """Teams one CP-SAT round may be offered: CP-SAT must finish a round in seconds."""
    return max(ROUND_CAP, 10 * len(bound.lowest))


def _fitting(space: TeamSpace, bound: Bound, window: float, cap: int) -> float:
    """The widest window up to ``window`` that holds at most ``cap`` teams."""
    return space.window_for(bound.prices, bound.lowest, window, cap)


def _below(
    space: TeamSpace, relaxation: Relaxation, bound: Bound, extra: list[Team], window: float
) -> list[Team]:
    """Every team within ``window`` of its village's lowest reduced cost."""
    limits = bound.lowest + window
    teams = list(space.teams_below(bound.prices, limits))
    if extra:
        reduced = relaxation.reduced(extra)
        teams += [t for t, rc in zip(extra, reduced, strict=True) if rc <= limits[t.village]]
    return teams


def _share(limits: SearchLimits, started: float, share: float) -> SearchLimits:
    left = limits.time_limit_s - (time.perf_counter() - started)
    return dataclasses.replace(limits, time_limit_s=max(0.1, share * left))


def _finish(
    found: Found,
    bound: Bound,
    certified: float | None,
    started: float,
    truncated: bool,
) -> Found:
    """Attach the global bound: the relaxation's (LP or Lagrangian), or a complete CP-SAT
    stage's bound when that is higher.

    A plan is proven optimal only when a bound that covers every candidate team is within
    :func:`proof_tolerance` of it.
    """
    if not found.outcome.feasible:
        seconds = time.perf_counter() - started
        return dataclasses.replace(
            found, outcome=dataclasses.replace(found.outcome, seconds=seconds)
        )
    value, method = bound.value / SCALE, bound.method
    if certified is not None and certified > value:
        value, method = certified, "cp-sat"
    objective = found.outcome.objective
    proven = objective - value <= proof_tolerance(objective)
    outcome = dataclasses.replace(
        found.outcome,
        bound=min(value, objective),
        proven=proven,
        status="OPTIMAL" if proven else "FEASIBLE",
        seconds=time.perf_counter() - started,
    )
    gap1 = found.gap1_s if found.gap1_s is not None or not proven else outcome.seconds
    if gap1 is None and objective - value <= 0.01 * max(1.0, abs(objective)):
        gap1 = outcome.seconds
    return Found(
        found.teams,
        outcome,
        truncated,
        first_plan_s=found.first_plan_s,
        gap1_s=gap1,
        bound_method=method,
    )


def _empty(status: str, started: float) -> Outcome:
    return Outcome(
        (), status, float("nan"), float("nan"), time.perf_counter() - started, False, False, None
    )
