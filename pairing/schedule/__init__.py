"""The activity calendar: dated events for every pair of a plan (rules S01-S08).

:func:`make_schedule` is the entry point. It resolves the horizon and the working calendar,
works out what each obligation owes in each period, checks each (pair, obligation, period)
for enough open days, then solves each independent group of pairs with CP-SAT and returns the
events. ``models/SCHEDULE.md`` documents the rules' maths.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from pairing.cpsat.schedule import GroupResult, GroupSpec, Limits, diagnose
from pairing.domain.errors import InfeasibleError, Issue
from pairing.domain.model import Problem
from pairing.domain.plan import Event, Schedule, SolverFacts
from pairing.schedule.calendar import WorkingCalendar, build_calendar, refuse_provisional
from pairing.schedule.duties import Duty, duties_of, teams_of
from pairing.schedule.events import event_order, events_of
from pairing.schedule.horizon import Horizon, horizon_of
from pairing.schedule.messages import (
    core_issues,
    crowding_issues,
    short_duty_issues,
    unsolved_issue,
)
from pairing.schedule.owed import Owed, Waiver, owed_periods
from pairing.schedule.periods import extent
from pairing.schedule.precheck import crowded_units, short_duties
from pairing.schedule.run import group_limits, solve_groups
from pairing.schedule.sites import Site, components, resolve_pairs
from pairing.schedule.specs import SCALE, CostCache, group_spec

__all__ = ["Prepared", "Waiver", "make_schedule", "prepare"]


@dataclass(frozen=True, slots=True)
class Prepared:
    """Everything about a schedule that is known before solving.

    Attributes
    ----------
    horizon
        The dates to fill.
    calendar
        The working calendar over every period that touches the horizon.
    sites
        The plan's pairs in canonical order.
    owed
        What each obligation owes in each period.
    waivers
        Periods whose calendar has fewer eligible days than ``times``.
    provisional_years
        Years of the horizon without official holiday data.
    """

    horizon: Horizon
    calendar: WorkingCalendar
    sites: tuple[Site, ...]
    owed: tuple[Owed, ...]
    waivers: tuple[Waiver, ...]
    provisional_years: tuple[int, ...]


def prepare(
    problem: Problem, pairs: Sequence[tuple[str, str]], *, strict_calendar: bool = False
) -> Prepared:
    """Resolve horizon, calendar, pairs and owed periods (no solver).

    Raises
    ------
    InputError
        For an empty horizon, unknown or repeated pairs, or (``strict_calendar``) a horizon
        reaching a year without official holiday data.
    """
    horizon = horizon_of(problem.settings)
    sites = resolve_pairs(problem, pairs, horizon)
    calendar = build_calendar(*extent(horizon.start, horizon.end), problem.holidays)
    provisional = calendar.provisional_years(horizon.start, horizon.end)
    if strict_calendar:
        refuse_provisional(provisional)
    owed, waivers = owed_periods(problem, calendar, horizon)
    return Prepared(horizon, calendar, sites, owed, waivers, provisional)


def make_schedule(
    problem: Problem,
    pairs: Sequence[tuple[str, str]],
    *,
    strict_calendar: bool = False,
    time_limit_s: float | None = None,
    workers: int = 1,
) -> Schedule:
    """Return the dated events of every pair of a plan.

    Parameters
    ----------
    problem
        The validated input: obligations, blackouts, holidays, members and settings
        (``schedule_from``/``schedule_to``/``plan_year`` give the horizon; weights S06/S08).
    pairs
        ``(unit_id, village_id)`` of each pair of the plan.
    strict_calendar
        Refuse a horizon in a year without official holiday data instead of scheduling
        on provisional dates.
    time_limit_s
        Time limit of the whole run (default: ``settings.time_limit_s``).
    workers
        Processes solving independent groups side by side; the result is the same for any
        number.

    Raises
    ------
    InputError
        See :func:`prepare`.
    InfeasibleError
        When some period cannot be filled: the issues name the obligation (活动要求 row),
        the period, the pair and the blocking 禁排日期 rows.
    """
    started = time.perf_counter()
    limit = problem.settings.time_limit_s if time_limit_s is None else time_limit_s
    ready = prepare(problem, pairs, strict_calendar=strict_calendar)
    groups = components(ready.sites)
    duties = _duties(problem, ready, groups)
    _precheck(duties, ready)
    cache = CostCache(problem.settings.weight("S06"))
    trip_weight = problem.settings.weight("S08")
    specs = [
        group_spec(key, members, duties[key], ready.sites, trip_weight, cache)
        for key, members in enumerate(groups)
    ]
    limits = group_limits(limit, len(groups), problem.settings.seed)
    results = solve_groups(specs, limits, workers, time.time() + limit)
    _raise_unsolved(results, specs, groups, duties, ready, limits)
    events = sorted(
        (
            event
            for key, result in enumerate(results)
            for event in events_of(
                duties[key], result.days, ready.sites, ready.calendar, ready.horizon
            )
        ),
        key=event_order,
    )
    facts = _facts(results, time.perf_counter() - started, workers, problem.settings.seed)
    return _schedule(events, ready, facts)


def _duties(
    problem: Problem, ready: Prepared, groups: Sequence[tuple[int, ...]]
) -> list[list[Duty]]:
    teams = teams_of(problem)
    return [list(duties_of(members, ready.sites, ready.owed, problem, teams)) for members in groups]


def _precheck(duties: Sequence[Sequence[Duty]], ready: Prepared) -> None:
    every = [duty for group in duties for duty in group]
    issues: list[Issue] = []
    short = short_duties(every)
    if short:
        issues += short_duty_issues(short, ready.sites, ready.horizon)
    crowded = crowded_units(every, ready.sites)
    if crowded:
        issues += crowding_issues(crowded, ready.sites, ready.horizon)
    if issues:
        raise InfeasibleError(issues)


def _raise_unsolved(
    results: Sequence[GroupResult],
    specs: Sequence[GroupSpec],
    groups: Sequence[tuple[int, ...]],
    duties: Sequence[Sequence[Duty]],
    ready: Prepared,
    limits: Limits,
) -> None:
    issues: list[Issue] = []
    for key, result in enumerate(results):
        if result.solved:
            continue
        spec, group_duties = specs[key], duties[key]
        core = diagnose(spec, limits) if result.status == "INFEASIBLE" else ()
        if core:
            chosen = [group_duties[index] for index in core]
            issues += core_issues(chosen, ready.sites, ready.horizon)
        else:
            issues.append(unsolved_issue(groups[key], ready.sites, result.status))
    if issues:
        raise InfeasibleError(issues)


def _facts(results: Sequence[GroupResult], seconds: float, workers: int, seed: int) -> SolverFacts:
    objective = sum(result.objective for result in results) / SCALE
    bound = sum(result.bound for result in results) / SCALE
    proven = all(result.status == "OPTIMAL" for result in results)
    gap = 0.0 if objective == 0 else max(0.0, (objective - bound) / abs(objective))
    return SolverFacts(
        status="OPTIMAL" if proven else "FEASIBLE",
        objective=objective,
        bound=bound,
        gap=gap,
        seconds=seconds,
        proven=proven,
        interrupted=any(result.interrupted for result in results),
        candidates=len(results),
        workers=workers,
        seed=seed,
    )


def _schedule(events: Sequence[Event], ready: Prepared, facts: SolverFacts) -> Schedule:
    return Schedule(
        tuple(events),
        ready.horizon.start,
        ready.horizon.end,
        facts,
        ready.provisional_years,
    )
