"""The schedule's own check of S01-S08 on its events (rows for the 校验 checks sheet).

It reads the events, not the model: counts per owed period and performer (S01, S07), day
types and holidays (S02, S03), blackouts (S03), one village per unit and day (S04), joint
days (S05), and the soft rules' points (S08 visit days × weight; S06 the rest of the
objective). The independent verifier is ``pairing verify``; this is the scheduler's statement
of what it delivered.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from pairing.domain.model import Obligation, Problem
from pairing.domain.plan import Event, Schedule
from pairing.schedule.blackouts import applies
from pairing.schedule.periods import period_of
from pairing.schedule.pipeline import Prepared, prepare

CheckRow = tuple[str, str, str]
PASS = "通过 pass"
MAX_NAMED = 20


def schedule_checks(
    problem: Problem, pairs: Sequence[tuple[str, str]], schedule: Schedule
) -> list[CheckRow]:
    """Return (rule id, result, detail) for S01-S08."""
    ready = prepare(problem, pairs)
    events = schedule.events
    rows = [
        _verdict("S01", _missing(problem, ready, events, who="unit")),
        _verdict("S02", _wrong_day_type(problem, ready, events)),
        _verdict("S03", _barred(problem, ready, events)),
        _verdict("S04", _two_villages(events)),
        _verdict("S05", _split_joint(problem, events)),
    ]
    trips = len({(e.unit_id, e.village_id, e.date) for e in events})
    trip_points = trips * problem.settings.weight("S08")
    spread_points = max(0.0, schedule.facts.objective - trip_points)
    rows.append(("S06", f"{spread_points:.1f} 分 points", "偏离均匀日期的天数×权重 / days off"))
    if any(o.who == "leader" for o in problem.obligations):
        rows.append(_verdict("S07", _missing(problem, ready, events, who="leader")))
    else:
        rows.append(("S07", "未启用 off", "无组长活动 / no leader obligation"))
    rows.append(("S08", f"{trip_points:.1f} 分 points", f"走访天数 visit days {trips}"))
    rows.sort(key=lambda row: row[0])
    return rows


def _verdict(rule: str, failures: Sequence[str]) -> CheckRow:
    if not failures:
        return (rule, PASS, "")
    return (rule, f"违反 fail ×{len(failures)}", "、".join(failures[:MAX_NAMED]))


def _missing(problem: Problem, ready: Prepared, events: Sequence[Event], who: str) -> list[str]:
    """Return the (pair, obligation, period[, leader]) whose events fall short of what is owed.

    A leader duty of a unit with named leaders is counted per leader (S07); any other duty
    per pair.
    """
    leaders: dict[str, list[str]] = {}
    for member in problem.members:
        if member.role == "leader":
            leaders.setdefault(member.unit_id, []).append(member.name)
    per_pair: Counter[tuple[str, ...]] = Counter()
    per_person: Counter[tuple[str, ...]] = Counter()
    for event in events:
        obligation = _obligation(problem, event.obligation)
        key = (event.unit_id, event.village_id, event.obligation, _label(obligation, event))
        per_pair[key] += 1
        for person in event.people:
            per_person[(*key, person)] += 1
    failures = []
    for owed in ready.owed:
        obligation = problem.obligations[owed.obligation]
        if obligation.who != who:
            continue
        for site in ready.sites:
            key = (site.unit.id, site.village.id, obligation.code, owed.span.label)
            named = (
                leaders.get(site.unit.id, []) if who == "leader" and not obligation.joint else []
            )
            if not named and per_pair[key] < owed.count:
                failures.append(" ".join(key))
            failures += [
                " ".join((*key, name)) for name in named if per_person[(*key, name)] < owed.count
            ]
    return failures


def _label(obligation: Obligation, event: Event) -> str:
    return period_of(obligation.every, event.date).label


def _wrong_day_type(problem: Problem, ready: Prepared, events: Sequence[Event]) -> list[str]:
    failures = []
    for event in events:
        obligation = _obligation(problem, event.obligation)
        if not ready.calendar.day(event.date).has_type(obligation.day_type):
            failures.append(f"{event.unit_id}-{event.village_id} {event.obligation} {event.date}")
    return failures


def _barred(problem: Problem, ready: Prepared, events: Sequence[Event]) -> list[str]:
    failures = []
    for event in events:
        obligation = _obligation(problem, event.obligation)
        day = ready.calendar.day(event.date)
        unit, village = problem.unit(event.unit_id), problem.village(event.village_id)
        holiday = day.holiday and obligation.holiday_policy == "avoid"
        blocked = any(
            row.covers(event.date) and applies(row, unit, village) for row in problem.blackouts
        )
        if holiday or blocked:
            failures.append(f"{event.unit_id}-{event.village_id} {event.obligation} {event.date}")
    return failures


def _two_villages(events: Sequence[Event]) -> list[str]:
    villages: dict[tuple[str, object], set[str]] = {}
    for event in events:
        villages.setdefault((event.unit_id, event.date), set()).add(event.village_id)
    return [f"{unit} {date}" for (unit, date), seen in villages.items() if len(seen) > 1]


def _split_joint(problem: Problem, events: Sequence[Event]) -> list[str]:
    joint = {o.code for o in problem.obligations if o.joint}
    dates: dict[tuple[str, str, str], Counter[object]] = {}
    for event in events:
        if event.obligation in joint:
            key = (event.village_id, event.obligation, event.unit_id)
            dates.setdefault(key, Counter())[event.date] += 1
    by_village: dict[tuple[str, str], list[Counter[object]]] = {}
    for (village, code, _), counted in dates.items():
        by_village.setdefault((village, code), []).append(counted)
    return [
        f"{village} {code}"
        for (village, code), per_unit in by_village.items()
        if any(counted != per_unit[0] for counted in per_unit)
    ]


def _obligation(problem: Problem, code: str) -> Obligation:
    return next(o for o in problem.obligations if o.code == code)
