"""Counts of a schedule: S01 (each obligation ``times`` times in every period) and S07 (each
组长 does the leader duties).

What a period owes is worked out per obligation (:mod:`pairing.verify.schedule.periods`); in a year
without official holiday data it is bounded by two calendars (weekday rules, and the
rule-based holidays provisional dates are drawn from), and any count between the two is
accepted. Counts are exact (``models/SCHEDULE.md`` §7): a unit duty owes its count per pair;
a leader duty (执行人 组长) owes it per leader of the unit when the 队员 sheet names leaders
(S07), else per pair like a unit duty.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from pairing.domain.model import Obligation, Problem
from pairing.verify.reading.schedule_sheet import EventRow
from pairing.verify.report.findings import Finding
from pairing.verify.schedule.calendar import calendar_of
from pairing.verify.schedule.periods import owed, spans
from pairing.verify.schedule.screen import Horizon

Key = tuple[str, str, str]  # (unit_id, village_id, code)


@dataclass(frozen=True, slots=True)
class Due:
    """What one obligation owes, per performer, in the part of one period inside the horizon.

    - ``code``: the obligation's code.
    - ``label``: the period (``2027-W05``).
    - ``first``, ``last``: the part inside the horizon.
    - ``low``, ``high``: the accepted count (equal unless the period has provisional dates).
    """

    code: str
    label: str
    first: dt.date
    last: dt.date
    low: int
    high: int

    def words(self) -> str:
        """Return the owed count as ``1`` or ``0–1``."""
        return str(self.low) if self.low == self.high else f"{self.low}–{self.high}"


def dues(problem: Problem, horizon: Horizon) -> list[Due]:
    """Return what every obligation owes in every period that overlaps the horizon.

    ``problem``: the input (obligations, 节假日 overrides); ``horizon``: the schedule's dates.

    Returns one per obligation and period.
    """
    calendars = [calendar_of(problem.holidays, fill) for fill in ("weekday", "rules")]
    found = []
    for obligation in problem.obligations:
        for span in spans(obligation.every, horizon.start, horizon.end):
            first, last = max(span.start, horizon.start), min(span.end, horizon.end)
            counts = [owed(obligation, span, first, last, c) for c in calendars]
            found.append(Due(obligation.code, span.label, first, last, min(counts), max(counts)))
    return found


@dataclass(frozen=True, slots=True)
class Dated:
    """Dates (sorted) and their rows, for counting events in a period."""

    dates: Sequence[dt.date]
    rows: Sequence[int]

    def within(self, first: dt.date, last: dt.date) -> list[int]:
        """Return the rows of the events dated ``first``..``last``.

        ``first``, ``last``: the dates, both included.

        Returns Excel rows.
        """
        low = bisect.bisect_left(self.dates, first)
        high = bisect.bisect_right(self.dates, last)
        return list(self.rows[low:high])


def index(events: Iterable[EventRow], by_person: bool) -> dict[tuple[str, ...], Dated]:
    """Return events grouped by pair and code (and by person on duty when ``by_person``).

    ``events``: the usable events; ``by_person``: group by each name in 人员 as well.

    Returns key -> dated rows.
    """
    groups: dict[tuple[str, ...], list[tuple[dt.date, int]]] = defaultdict(list)
    for event in events:
        base: tuple[str, ...] = (event.unit_id, event.village_id, event.code)
        keys = [(*base, person) for person in event.people] if by_person else [base]
        for key in keys:
            groups[key].append((event.date, event.row))
    out: dict[tuple[str, ...], Dated] = {}
    for key, items in groups.items():
        items.sort()
        out[key] = Dated([d for d, _ in items], [r for _, r in items])
    return out


def leaders_of(problem: Problem) -> dict[str, frozenset[str]]:
    """Return each unit's 组长 (leaders) from the 队员 sheet.

    Returns unit id -> leader names (units without leaders are absent).
    """
    found: dict[str, set[str]] = defaultdict(set)
    for member in problem.members:
        if member.role == "leader":
            found[member.unit_id].add(member.name)
    return {unit: frozenset(names) for unit, names in found.items()}


def count_findings(
    events: Sequence[EventRow],
    problem: Problem,
    pairs: Iterable[tuple[str, str]],
    due: Sequence[Due],
    sheet: str,
) -> list[Finding]:
    """Return S01 and S07 findings for every pair, obligation and period.

    - ``events``: the usable events.
    - ``due``: what each obligation owes per period.
    - ``sheet``: the schedule sheet's name.

    Returns missing and extra occurrences, and leader duties not done by every leader.
    """
    obligations = {o.code: o for o in problem.obligations}
    leaders = leaders_of(problem)
    per_pair, per_person = index(events, False), index(events, True)
    empty = Dated((), ())
    found = []
    for unit_id, village_id in sorted(pairs):
        for entry in due:
            key = (unit_id, village_id, entry.code)
            team = leaders.get(unit_id, frozenset())
            if obligations[entry.code].who == "leader" and team:
                counted = {
                    n: per_person.get((*key, n), empty).within(entry.first, entry.last)
                    for n in sorted(team)
                }
                found += leader_findings(key, entry, counted, sheet)
            else:
                rows = per_pair.get(key, empty).within(entry.first, entry.last)
                found += pair_findings(key, entry, rows, sheet)
    return found + wrong_people(events, obligations, leaders, sheet)


def pair_findings(key: Key, entry: Due, rows: list[int], sheet: str) -> list[Finding]:
    """S01 for a duty of the pair as a whole: its count lies within the owed range.

    - ``key``: ``(unit_id, village_id, code)``.
    - ``entry``: what the period owes.
    - ``rows``: rows of the pair's events of that obligation in the period.
    - ``sheet``: the schedule sheet's name.

    Returns one finding when the count is off.
    """
    if entry.low <= len(rows) <= entry.high:
        return []
    unit_id, village_id, code = key
    return [
        Finding(
            "S01",
            sheet,
            rows[entry.high] if len(rows) > entry.high else None,
            f"结对 {unit_id}—{village_id} 的 {code} 在 {entry.label} 有 {len(rows)} 次，应为 {entry.words()} 次",
            f"pair {unit_id}-{village_id} has {len(rows)} {code} in {entry.label}; it owes {entry.words()}",
        )
    ]


def leader_findings(
    key: Key, entry: Due, counted: Mapping[str, list[int]], sheet: str
) -> list[Finding]:
    """S07: each leader of the unit has the period's count of the leader duty, exactly.

    - ``key``: ``(unit_id, village_id, code)``.
    - ``entry``: what the period owes each leader.
    - ``counted``: leader name -> rows of the events naming them.
    - ``sheet``: the schedule sheet's name.

    Returns one per leader with too few or too many.
    """
    unit_id, village_id, code = key
    return [
        Finding(
            "S07",
            sheet,
            mine[entry.high] if len(mine) > entry.high else None,
            f"组长 {name}（{unit_id}）在 {village_id} 的 {code} 于 {entry.label} 有 {len(mine)} 次，"
            f"应为 {entry.words()} 次",
            f"leader {name} ({unit_id}) has {len(mine)} {code} at {village_id} in {entry.label}; "
            f"owes {entry.words()}",
        )
        for name, mine in counted.items()
        if not entry.low <= len(mine) <= entry.high
    ]


def wrong_people(
    events: Iterable[EventRow],
    obligations: Mapping[str, Obligation],
    leaders: Mapping[str, frozenset[str]],
    sheet: str,
) -> list[Finding]:
    """S07: a leader duty of a unit with leaders names at least one of them in 人员.

    - ``events``: the usable events.
    - ``obligations``: obligations by code.
    - ``leaders``: leaders by unit.
    - ``sheet``: the schedule sheet's name.

    Returns one per event done by no leader.
    """
    return [
        Finding(
            "S07",
            sheet,
            event.row,
            f"{event.code} 须由组长完成，人员栏没有 {event.unit_id} 的组长",
            f"{event.code} is a leader duty; no leader of {event.unit_id} is on duty",
        )
        for event in events
        if obligations[event.code].who == "leader"
        and leaders.get(event.unit_id)
        and not event.people & leaders[event.unit_id]
    ]
