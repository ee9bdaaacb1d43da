"""The steps of :func:`pairing.schedule.make_schedule`, callable one by one (the benchmark times
them): prepare, build (duties, pre-checks, specs), solve, assemble events.

:func:`schedule_prepared` is the whole schedule after :func:`prepare`: a caller that tells the
planner about the waivers before the (long) search prepares once, says so, then runs; the
result carries the waivers, so nobody prepares twice to learn them.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from pairing.cpsat.schedule import GroupResult, GroupSpec, Limits, diagnose
from pairing.cpsat.stopping import StopFlag
from pairing.domain.errors import InfeasibleError, Issue, PairingError
from pairing.domain.model import Problem
from pairing.domain.plan import Event, Schedule, SolverFacts
from pairing.schedule.calendar import (
    WorkingCalendar,
    build_calendar,
    day_marks,
    refuse_provisional,
)
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


@dataclass(frozen=True, slots=True)
class Prepared:
    """Everything about a schedule that is known before any duty is built.

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


@dataclass(frozen=True, slots=True)
class Scheduled:
    """A schedule and the waivers of its preparation (periods owed fewer times than asked)."""

    schedule: Schedule
    waivers: tuple[Waiver, ...]


@dataclass(frozen=True, slots=True)
class Built:
    """The independent groups of a schedule, their duties and their model data."""

    groups: tuple[tuple[int, ...], ...]
    duties: tuple[tuple[Duty, ...], ...]
    specs: tuple[GroupSpec, ...]


def prepare(
    problem: Problem, pairs: Sequence[tuple[str, str]], *, strict_calendar: bool = False
) -> Prepared:
    """Resolve horizon, calendar, pairs and owed periods.

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


def schedule_prepared(
    problem: Problem,
    ready: Prepared,
    *,
    time_limit_s: float | None = None,
    workers: int = 1,
    stop: StopFlag | None = None,
    started: float | None = None,
) -> Scheduled:
    """Build, solve and assemble the schedule of a prepared plan (see ``make_schedule``).

    ``started`` is when preparing began (``time.perf_counter()``), so that the facts' seconds
    count the whole schedule; default: now.
    """
    begun = time.perf_counter() if started is None else started
    settings = problem.settings
    limit = settings.time_limit_s if time_limit_s is None else time_limit_s
    built = build(problem, ready)
    results = solve(
        built, ready, time_limit_s=limit, seed=settings.seed, workers=workers, stop=stop
    )
    facts = solver_facts(results, time.perf_counter() - begun, workers, settings.seed)
    return Scheduled(assemble(built, results, ready, facts), ready.waivers)


def build(problem: Problem, ready: Prepared) -> Built:
    """Return the groups' duties and specs after the pre-checks.

    Raises
    ------
    InfeasibleError
        When a duty has fewer open days than it owes, or a unit's villages need more
        distinct days in a period than it has (S04).
    """
    groups = components(ready.sites)
    teams = teams_of(problem)
    duties = tuple(
        tuple(duties_of(members, ready.sites, ready.owed, problem, teams)) for members in groups
    )
    _precheck(duties, ready)
    cache = CostCache(problem.settings.weight("S06"))
    trip_weight = problem.settings.weight("S08")
    specs = tuple(
        group_spec(key, members, duties[key], ready.sites, trip_weight, cache)
        for key, members in enumerate(groups)
    )
    return Built(groups, duties, specs)


def solve(
    built: Built,
    ready: Prepared,
    *,
    time_limit_s: float,
    seed: int,
    workers: int,
    stop: StopFlag | None = None,
) -> list[GroupResult]:
    """Solve every group within ``time_limit_s`` overall, or until ``stop`` is set.

    Raises
    ------
    ScheduleInterrupted
        When ``stop`` was set and some group has no days yet: a stopped schedule is not a
        proof of anything, so it is never reported as infeasible.
    InfeasibleError
        Naming the conflicting duties of each group without a solution.
    """
    limits = group_limits(time_limit_s, len(built.groups), seed)
    results = solve_groups(built.specs, limits, workers, time.time() + time_limit_s, stop)
    if stop is not None and stop.is_set() and not all(result.solved for result in results):
        raise ScheduleInterrupted(sum(not result.solved for result in results), len(results))
    _raise_unsolved(results, built, ready, limits)
    return results


class ScheduleInterrupted(PairingError):
    """Ctrl-C or SIGTERM stopped the schedule before every group had its days. Exit 130."""

    exit_code = 130

    def __init__(self, unsolved: int, groups: int) -> None:
        self.unsolved = unsolved
        super().__init__(
            f"日程已中断：{groups} 组中有 {unsolved} 组尚未排定，未写日程 / the schedule was "
            f"interrupted with {unsolved} of {groups} groups not yet scheduled: no schedule "
            "written"
        )


def assemble(
    built: Built, results: Sequence[GroupResult], ready: Prepared, facts: SolverFacts
) -> Schedule:
    """Return the schedule: every group's events in canonical order."""
    events = sorted(
        (
            event
            for key, result in enumerate(results)
            for event in events_of(
                built.duties[key], result.days, ready.sites, ready.calendar, ready.horizon
            )
        ),
        key=event_order,
    )
    return _schedule(events, ready, facts)


def solver_facts(
    results: Sequence[GroupResult], seconds: float, workers: int, seed: int
) -> SolverFacts:
    """Return the facts of all groups together (points in the planner's units)."""
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
        workers=workers,
        seed=seed,
    )


def _precheck(duties: Sequence[Sequence[Duty]], ready: Prepared) -> None:
    every = [duty for group in duties for duty in group]
    issues: list[Issue] = []
    short = short_duties(every)
    if short:
        issues += short_duty_issues(short, ready.sites, ready.horizon)
    # A duty already reported short would only repeat itself as a crowding (S04) issue.
    reported = {id(duty) for duty in short}
    crowded = crowded_units([d for d in every if id(d) not in reported], ready.sites)
    if crowded:
        issues += crowding_issues(crowded, ready.sites, ready.horizon)
    if issues:
        raise InfeasibleError(issues)


def _raise_unsolved(
    results: Sequence[GroupResult], built: Built, ready: Prepared, limits: Limits
) -> None:
    issues: list[Issue] = []
    for key, result in enumerate(results):
        if result.solved:
            continue
        core = diagnose(built.specs[key], limits) if result.status == "INFEASIBLE" else ()
        if core:
            chosen = [built.duties[key][index] for index in core]
            issues += core_issues(chosen, ready.sites, ready.horizon)
        else:
            issues.append(unsolved_issue(built.groups[key], ready.sites, result.status))
    if issues:
        raise InfeasibleError(issues)


def _schedule(events: Sequence[Event], ready: Prepared, facts: SolverFacts) -> Schedule:
    return Schedule(
        tuple(events),
        ready.horizon.start,
        ready.horizon.end,
        facts,
        ready.provisional_years,
        day_marks(ready.calendar, ready.horizon.start, ready.horizon.end),
    )
