"""An independent checker of the hard schedule rules (S01-S05, S07) on a schedule's events.

It imports nothing of the scheduler (``pairing.schedule``, ``pairing.cpsat``): it re-derives
the calendar from ``chinese_calendar``/``holidays``, the periods from date arithmetic and what
each period owes from the definition in ``models/SCHEDULE.md``, so that a modelling bug shows
up as a disagreement.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import chinese_calendar
import holidays

from pairing.domain.model import Blackout, Obligation, Problem, Unit, Village
from pairing.domain.plan import Schedule

DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Day:
    """What the official calendar says about one date."""

    workday: bool
    holiday: bool
    provisional: bool


def calendar_day(date: dt.date, problem: Problem) -> Day:
    """Return the date's type: 节假日 override, else chinese_calendar, else the rule fallback."""
    for override in problem.holidays:
        if override.date == date:
            return Day(override.kind == "workday", override.kind == "holiday", _uncovered(date))
    if not _uncovered(date):
        working = chinese_calendar.is_workday(date)
        name = chinese_calendar.get_holiday_detail(date)[1]
        return Day(working, not working and name is not None, False)
    festive = date in holidays.country_holidays("CN", years=date.year)
    return Day(date.weekday() < 5 and not festive, festive, True)


def _uncovered(date: dt.date) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(date.year, 1, 1))
    except NotImplementedError:
        return True
    return False


def eligible(date: dt.date, obligation: Obligation, problem: Problem) -> bool:
    """Return whether the calendar allows the obligation on ``date`` (S02, S03 holidays)."""
    day = calendar_day(date, problem)
    if day.holiday and obligation.holiday_policy == "avoid":
        return False
    if obligation.day_type == "workday":
        return day.workday
    if obligation.day_type == "weekend":
        return date.weekday() >= 5 and not day.workday
    return True


def period_bounds(every: str, date: dt.date) -> tuple[str, dt.date, dt.date]:
    """Return (label, first, last) of the ISO week / month / quarter / year holding ``date``."""
    if every == "week":
        monday = date - dt.timedelta(days=date.weekday())
        year, week, _ = monday.isocalendar()
        return f"{year}-W{week:02d}", monday, monday + 6 * DAY
    if every == "month":
        first = date.replace(day=1)
        last = (first + 32 * DAY).replace(day=1) - DAY
        return f"{date:%Y-%m}", first, last
    if every == "quarter":
        q = (date.month - 1) // 3
        first = dt.date(date.year, 3 * q + 1, 1)
        last = (dt.date(date.year, 3 * q + 3, 1) + 32 * DAY).replace(day=1) - DAY
        return f"{date.year}-Q{q + 1}", first, last
    return str(date.year), dt.date(date.year, 1, 1), dt.date(date.year, 12, 31)


def dates(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    """Yield the dates from ``first`` to ``last``."""
    while first <= last:
        yield first
        first += DAY


def owed(obligation: Obligation, problem: Problem, start: dt.date, end: dt.date) -> dict[str, int]:
    """Return what each period owes per performer: cumulative rounding of the eligible share."""
    result = {}
    seen = set()
    for date in dates(start, end):
        label, first, last = period_bounds(obligation.every, date)
        if label in seen:
            continue
        seen.add(label)
        flags = [eligible(d, obligation, problem) for d in dates(first, last)]
        total = sum(flags)
        times = min(obligation.times, total)
        before = sum(flags[: (max(first, start) - first).days])
        upto = sum(flags[: (min(last, end) - first).days + 1])
        share = _round(times * upto, total) - _round(times * before, total)
        if share:
            result[label] = share
    return result


def _round(numerator: int, denominator: int) -> int:
    if denominator == 0:
        return 0
    whole, rest = divmod(numerator, denominator)
    return whole + (1 if 2 * rest >= denominator else 0)


def barred(blackout: Blackout, unit: Unit, village: Village) -> bool:
    """Return whether the blackout's scope covers this unit at this village."""
    return {
        "all": True,
        "town": blackout.scope == village.town,
        "village": blackout.scope == village.id,
        "unit": blackout.scope == unit.id,
    }[blackout.scope_kind]


def violations(
    problem: Problem, pairs: Sequence[tuple[str, str]], schedule: Schedule
) -> dict[str, list[str]]:
    """Return the broken rules (id -> what broke them); an empty dict when all hold."""
    found: dict[str, list[str]] = defaultdict(list)
    obligations = {o.code: o for o in problem.obligations}
    plan = set(pairs)
    leaders = defaultdict(list)
    for member in problem.members:
        if member.role == "leader":
            leaders[member.unit_id].append(member.name)
    counted: Counter[tuple[str, ...]] = Counter()
    days_of: dict[tuple[str, ...], list[dt.date]] = defaultdict(list)
    for event in schedule.events:
        where = f"{event.unit_id}-{event.village_id} {event.obligation} {event.date}"
        if (event.unit_id, event.village_id) not in plan:
            found["pairs"].append(where)
        if not schedule.start <= event.date <= schedule.end:
            found["horizon"].append(where)
        obligation = obligations[event.obligation]
        unit, village = problem.unit(event.unit_id), problem.village(event.village_id)
        day = calendar_day(event.date, problem)
        if event.provisional != day.provisional:
            found["provisional"].append(where)
        wanted = eligible(event.date, obligation, problem)
        if not wanted and not (day.holiday and obligation.holiday_policy == "avoid"):
            found["S02"].append(where)
        if day.holiday and obligation.holiday_policy == "avoid":
            found["S03"].append(where)
        if any(b.covers(event.date) and barred(b, unit, village) for b in problem.blackouts):
            found["S03"].append(where)
        label = period_bounds(obligation.every, event.date)[0]
        performers = _performers(event.people, obligation, leaders[event.unit_id])
        for person in performers:
            key = (event.unit_id, event.village_id, event.obligation, label, person)
            counted[key] += 1
            days_of[key].append(event.date)
    _check_counts(problem, pairs, schedule, leaders, counted, found)
    for performer, seen in days_of.items():
        if len(seen) != len(set(seen)):
            found["distinct"].append(" ".join(performer))
    _check_one_village(schedule, found)
    _check_joint(problem, pairs, schedule, found)
    return {rule: broken for rule, broken in found.items() if broken}


def _performers(people: Sequence[str], obligation: Obligation, leaders: list[str]) -> list[str]:
    if obligation.who == "leader" and not obligation.joint and leaders:
        return list(people)
    return [""]


def _check_counts(
    problem: Problem,
    pairs: Sequence[tuple[str, str]],
    schedule: Schedule,
    leaders: dict[str, list[str]],
    counted: Counter[tuple[str, ...]],
    found: dict[str, list[str]],
) -> None:
    for obligation in problem.obligations:
        periods = owed(obligation, problem, schedule.start, schedule.end)
        rule = "S07" if obligation.who == "leader" else "S01"
        for unit_id, village_id in pairs:
            named = leaders[unit_id] if rule == "S07" and not obligation.joint else []
            for person in named or [""]:
                for label, count in periods.items():
                    key = (unit_id, village_id, obligation.code, label, person)
                    if counted[key] != count:
                        found[rule].append(f"{' '.join(key)}: {counted[key]} != {count}")
                mine = (unit_id, village_id, obligation.code)
                extra = {k[3] for k in counted if k[:3] == mine and k[4] == person}
                for label in extra - set(periods):
                    found[rule].append(f"{unit_id}-{village_id} {obligation.code} {label}: extra")


def _check_one_village(schedule: Schedule, found: dict[str, list[str]]) -> None:
    seen: dict[tuple[str, dt.date], set[str]] = defaultdict(set)
    for event in schedule.events:
        seen[(event.unit_id, event.date)].add(event.village_id)
    found["S04"] += [f"{u} {d}" for (u, d), villages in seen.items() if len(villages) > 1]


def _check_joint(
    problem: Problem,
    pairs: Sequence[tuple[str, str]],
    schedule: Schedule,
    found: dict[str, list[str]],
) -> None:
    joint = {o.code for o in problem.obligations if o.joint}
    units_of = defaultdict(set)
    for unit_id, village_id in pairs:
        units_of[village_id].add(unit_id)
    dates_of: dict[tuple[str, str, str], Counter[dt.date]] = defaultdict(Counter)
    for event in schedule.events:
        if event.obligation in joint:
            dates_of[(event.village_id, event.obligation, event.unit_id)][event.date] += 1
            if set(event.joint_with) != units_of[event.village_id] - {event.unit_id}:
                found["S05"].append(f"{event.unit_id}-{event.village_id} joint_with")
    for village_id, units in units_of.items():
        for code in joint:
            per_unit = [dates_of[(village_id, code, unit)] for unit in sorted(units)]
            if any(Counter(set(c)) != Counter(set(per_unit[0])) for c in per_unit):
                found["S05"].append(f"{village_id} {code}")
