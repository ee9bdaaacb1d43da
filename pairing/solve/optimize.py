"""``solve``: Problem -> Plan. Candidates, warm start, CP-SAT, account, explanation.

The steps, each measured: pick candidate pairs (all of them for a county-sized input), check
the cheap necessary conditions (:mod:`pairing.solve.diagnose`), find a warm start by min-cost
flow, search with CP-SAT, then account for every point of the plan and say why each pair is
there. A plan whose account disagrees with the solver's objective is a bug and raises.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace

from pairing.cpsat.pairing.data import SCALE, PairingData, Team
from pairing.cpsat.pairing.flow import (
    Assignment,
    assignment_exists,
    flow_costs,
    min_cost_assignment,
)
from pairing.cpsat.pairing.solver import Outcome, Progress, SearchLimits
from pairing.domain.errors import InputError, Issue
from pairing.domain.model import Problem
from pairing.domain.pairs import Pair, PairFacts
from pairing.domain.plan import Plan, PlanPair, SolverFacts
from pairing.domain.status import BoundMethod, Status
from pairing.solve import diagnose, transport
from pairing.solve.candidates import CROWDING, SPREAD_CROWDING, CandidateDraws
from pairing.solve.instance import Coefficients, build_data
from pairing.solve.layout import lay_out, relative_gap, useful_bound
from pairing.solve.params import DEFAULT, SearchParams
from pairing.solve.pricing import TeamSpace
from pairing.solve.search import search
from pairing.solve.stability import stated, with_stability
from pairing.solve.stage import Found
from pairing.solve.terms import Account, evaluate

SEARCH_FLOOR = 0.25  # of the time limit, at least, for the search however long the build
# Kept from the search for what follows it (account, reasons, KPIs) and a last step's
# overrun: 1.2 s and 0.4 s at 10,000 villages.
AFTER_SEARCH_PER_VILLAGE = 1.6e-4


@dataclass(frozen=True)
class SolveOptions:
    """How to search: limits override the workbook's settings when given; ``search`` holds
    the search's knobs (the measured defaults unless a test or benchmark says otherwise)."""

    time_limit_s: float | None = None
    workers: int | None = None
    gap: float = 0.0
    progress: Progress | None = None
    stop: threading.Event | None = None
    forced: tuple[Pair, ...] = ()
    barred: tuple[Pair, ...] = ()
    hint: tuple[Pair, ...] = ()
    search: SearchParams = DEFAULT


@dataclass
class Timings:
    """Seconds spent in each step (for the summary and the benchmark)."""

    steps: dict[str, float] = field(default_factory=dict)

    def mark(self, step: str, since: float) -> float:
        """Record the time since ``since`` under ``step``; return now."""
        now = time.perf_counter()
        self.steps[step] = round(now - since, 4)
        return now


def require_content(problem: Problem) -> None:
    """Refuse to solve an input without units or villages (a template not yet filled)."""
    issues = [
        Issue(
            title,
            None,
            None,
            f"「{zh}」表没有数据，无法求解；请先填写",
            f"the {en} sheet is empty; fill it in first",
        )
        for title, zh, en, items in (
            ("单位 units", "单位", "units", problem.units),
            ("村 villages", "村", "villages", problem.villages),
        )
        if not items
    ]
    if issues:
        raise InputError(issues)


@dataclass(frozen=True)
class Prepared:
    """The instance to search: data, team space, candidate pairs and a warm start (pairs)."""

    data: PairingData
    space: TeamSpace
    candidates: list[Pair]
    restricted: bool
    start: set[Pair]


def prepare(problem: Problem, options: SolveOptions) -> Prepared:
    """Pick candidates (re-drawing until P01-P04 can hold) and find a warm start by min-cost
    flow.

    A restricted graph that fails Hall's condition is first re-drawn with the unit-side picks
    spread harder, then widened: at 10,000 villages the first graph failed (1,219 villages
    needing 2,438 units reached 2,370 places); spread 4 times harder it holds (449,747
    pairs), where doubling every village's list took twice the time and 3.8 GB. The check is
    a flow without costs on the bare pairs, so a failed draw costs no instance build.
    """
    k: int | None = None
    crowding = CROWDING
    draws = CandidateDraws(problem)
    while True:
        candidates, restricted = draws.draw(k, crowding)
        candidates = _apply_overrides(candidates, options)
        if not restricted or assignment_exists(_assignment(draws.facts, candidates, options)):
            break
        if crowding == CROWDING:
            crowding = SPREAD_CROWDING
        else:
            k = 2 * (k or max(1, len(candidates) // max(1, len(problem.villages))))
    coefficients = Coefficients(draws.facts)
    data = build_data(problem, candidates, set(options.forced), coefficients)
    start = min_cost_assignment(data, flow_costs(data))
    if start is None:  # the hard rules decide: a conflict in words (exit 4), or their plan
        wanted = diagnose.hard_plan_or_proof(problem, options.forced, options.barred, options.stop)
    else:
        wanted = {(data.edges[e].unit, data.edges[e].village) for e in start}
    wanted = set(options.hint) or wanted
    space = TeamSpace(problem, candidates, coefficients, forced=set(options.forced))
    return Prepared(data, space, candidates, restricted, wanted)


def _assignment(facts: PairFacts, candidates: list[Pair], options: SolveOptions) -> Assignment:
    """P01-P04 over ``candidates``, with 必须 and forced pairs fixed, as ``build_data`` has it."""
    problem = facts.problem
    locked = set(options.forced) | set(facts.must)
    return Assignment(
        tuple(v.units_required for v in problem.villages),
        tuple(u.min_villages for u in problem.units),
        tuple(u.max_villages for u in problem.units),
        tuple(candidates),
        tuple(pair in locked for pair in candidates),
    )


def _apply_overrides(candidates: list[Pair], options: SolveOptions) -> list[Pair]:
    """The candidates with ``explain``'s forced pairs added and its barred pairs removed."""
    if not options.forced and not options.barred:
        return candidates
    barred = set(options.barred)
    return sorted((set(candidates) | set(options.forced)) - barred)


def solve(problem: Problem, options: SolveOptions | None = None) -> tuple[Plan, Timings]:
    """Return the best plan found within the limits, with its account and solver facts.

    With a baseline, P18's weight is the user's or, when they set none, the lexicographic W
    of :mod:`pairing.solve.stability`; the plan's KPIs record which.
    """
    weighted = with_stability(problem)
    plan, timings = _solve(weighted, options or SolveOptions())
    return stated(problem, weighted, plan), timings


def _solve(problem: Problem, options: SolveOptions) -> tuple[Plan, Timings]:
    """:func:`solve` of a problem whose P18 weight is set."""
    require_content(problem)
    timings = Timings()
    clock = started = time.perf_counter()
    diagnose.precheck(problem)
    clock = timings.mark("precheck", clock)
    flowed = transport.solve_separable(problem, options)  # None unless pair-separable
    if flowed is not None:
        timings.steps.update(flowed[1])
        return flowed[0], timings
    prepared = prepare(problem, options)
    clock = timings.mark("candidates", clock)
    data = prepared.data
    settings = problem.settings
    limit = options.time_limit_s or settings.time_limit_s
    limits = SearchLimits(
        time_limit_s=_search_seconds(limit, clock - started, len(problem.villages)),
        workers=options.workers or settings.workers,
        seed=settings.seed,
        gap=options.gap,
    )
    found = search(
        prepared.space,
        data,
        limits,
        prepared.start,
        options.progress,
        options.stop,
        params=options.search,
    )
    timings.mark("search", clock)
    if not found.outcome.feasible:
        found = _hard_rules_plan(problem, prepared, options, found)
    outcome = found.outcome
    chosen = {(u, team.village) for team in found.teams for u in team.units}
    account = evaluate(problem, chosen)
    _check_account(account, outcome)
    restricted, candidates = prepared.restricted or found.truncated, len(prepared.candidates)
    plan = _plan(problem, chosen, account, found, restricted, candidates, limits)
    milestones = replace(plan.facts, first_plan_s=found.first_plan_s, gap1_s=found.gap1_s)
    return replace(plan, facts=milestones), timings


def _hard_rules_plan(
    problem: Problem, prepared: Prepared, options: SolveOptions, found: Found
) -> Found:
    """The search ended without a plan, which proves nothing: the hard rules alone decide.

    Interrupted, it says so (no plan yet). Otherwise their plan, at its cost and with no
    bound, is the result; or they conflict, and :class:`InfeasibleError` names how (exit 4).
    """
    if found.outcome.interrupted:
        raise diagnose.no_plan_in_time(found.outcome.seconds)
    pairs = diagnose.hard_plan_or_proof(problem, options.forced, options.barred, options.stop)
    cost = evaluate(problem, pairs).total_points()
    teams = _as_teams(pairs)
    outcome = Outcome(
        chosen=tuple(range(len(teams))),
        status=Status.FEASIBLE,
        objective=cost,
        bound=float("-inf"),
        seconds=found.outcome.seconds,
        proven=False,
        interrupted=False,
        first_solution_s=found.outcome.seconds,
    )
    return Found(tuple(teams), outcome, found.truncated, bound_method=BoundMethod.NONE)


def _as_teams(pairs: set[Pair]) -> list[Team]:
    """Pairs as one team per village (costs are not needed: the account recomputes them)."""
    units: dict[int, list[int]] = {}
    for u, v in sorted(pairs):
        units.setdefault(v, []).append(u)
    return [Team(v, tuple(members), 0) for v, members in sorted(units.items())]


def _search_seconds(limit: float, spent: float, villages: int) -> float:
    """The search's share of the time limit, which counts from the start of ``solve``.

    A user's limit is wall time for the whole solve; at 10,000 villages picking candidates
    takes 20-30 s of it, and the account after the search 1-2 s. The search keeps at least
    ``SEARCH_FLOOR`` of the limit, so that a slow build still leaves it time to find a plan.
    """
    after = AFTER_SEARCH_PER_VILLAGE * villages
    return max(SEARCH_FLOOR * limit, limit - spent - after)


def _check_account(account: Account, outcome: Outcome) -> None:
    """The plan's account must not exceed the solver's objective, and equal it when proven.

    Below optimality an auxiliary variable (a town in use) may still be slack, so the
    solver's objective can sit above the true cost; never below. Either way is a bug.
    """
    excess = outcome.objective - account.total_points()
    if excess < -1.0 / SCALE or (outcome.proven and excess > 1.0 / SCALE):
        raise AssertionError(f"account {account.total_points()} != objective {outcome.objective}")


def _plan(
    problem: Problem,
    chosen: set[Pair],
    account: Account,
    found: Found,
    restricted: bool,
    candidates: int,
    limits: SearchLimits,
) -> Plan:
    # The plan's own cost: a search stopped early may leave a P15 town variable slack, so
    # CP-SAT's objective can sit above it (never below); the plan reports what it costs.
    outcome = found.outcome
    objective = account.total_points()
    bound = useful_bound(objective, outcome.bound)
    proven = outcome.proven or objective == 0.0  # no term is below 0: a plan at 0 is optimal
    facts = SolverFacts(
        status=Status.OPTIMAL if proven else outcome.status,
        objective=objective,
        bound=bound,
        gap=None if bound is None else 0.0 if proven else relative_gap(objective, bound),
        seconds=round(outcome.seconds, 3),
        proven=proven,
        bound_method=found.bound_method if bound is not None else BoundMethod.NONE,
        interrupted=outcome.interrupted,
        restricted=restricted,
        candidates=candidates,
        workers=limits.workers,
        seed=limits.seed,
    )
    return lay_out(PairFacts(problem), chosen, account, facts)


__all__ = ["PlanPair", "SolveOptions", "solve"]
