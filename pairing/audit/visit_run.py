"""The visit audit: which covered households went a month without a visit, which teams lag.

The months audited are those of the ledger's span: from the month of its first visit to the
month of the audit date (default: its last visit). A household owes one visit a month; a
month in which the ledger has no row for it is a miss. A team's visit rate is its
households' visited months over their owed months; a team below ``lagging_threshold`` lags
(ranked lowest first, then the most misses, then the team id).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from pairing.audit.visits import Covered, VisitLedger


@dataclass(frozen=True, slots=True)
class TeamVisits:
    """A team's households and how many of their owed months had a visit."""

    team: Covered  # the team's first household: its members' ids and names
    households: int
    owed: int
    visited: int

    @property
    def rate(self) -> float:
        """Visited months over owed months (1 when nothing was owed)."""
        return self.visited / self.owed if self.owed else 1.0

    @property
    def missed(self) -> int:
        """Owed months without a visit."""
        return self.owed - self.visited


@dataclass(frozen=True, slots=True)
class MonthVisits:
    """One month of the span: households owed, visited, and visits counted."""

    month: str
    households: int
    visited: int
    visits: int

    @property
    def rate(self) -> float:
        """Visited households over covered households."""
        return self.visited / self.households if self.households else 1.0


@dataclass(frozen=True, slots=True)
class VisitAudit:
    """What the visit audit found."""

    cover: str
    ledger: str
    as_of: dt.date
    threshold: float
    months: tuple[MonthVisits, ...]
    households: int
    visits: int
    later: int  # visits after the audit date, not counted
    unvisited: tuple[tuple[str, Covered], ...]  # (month, household), by month then id
    teams: tuple[TeamVisits, ...]  # lowest rate first
    lagging: tuple[TeamVisits, ...]

    @property
    def owed(self) -> int:
        """Household-months owed over the span."""
        return sum(m.households for m in self.months)

    @property
    def visited(self) -> int:
        """Household-months with a visit."""
        return sum(m.visited for m in self.months)

    @property
    def rate(self) -> float:
        """The county's visit rate over the span."""
        return self.visited / self.owed if self.owed else 1.0


def month_of(day: dt.date) -> str:
    """``2027-03``."""
    return f"{day.year:04d}-{day.month:02d}"


def span(first: dt.date, last: dt.date) -> list[str]:
    """Every month from ``first``'s to ``last``'s, in order."""
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def audit_visits(
    names: tuple[str, str],
    covered: Sequence[Covered],
    ledger: VisitLedger,
    threshold: float,
    as_of: dt.date | None = None,
) -> VisitAudit:
    """Audit ``ledger`` against the ``covered`` households, over the ledger's months up to
    ``as_of`` (default: its last visit); ``names`` are the cover's and ledger's file names."""
    dates = [v.date for v in ledger.visits]
    day = as_of or max(dates, default=dt.date.today())
    counted = [v for v in ledger.visits if v.date <= day]
    months = span(min((v.date for v in counted), default=day), day)
    seen: dict[str, set[str]] = defaultdict(set)
    visits_in: dict[str, int] = defaultdict(int)
    for visit in counted:
        seen[month_of(visit.date)].add(visit.household_id)
        visits_in[month_of(visit.date)] += 1
    unvisited = [(m, h) for m in months for h in covered if h.household_id not in seen[m]]
    teams = _teams(covered, months, seen)
    return VisitAudit(
        names[0],
        names[1],
        day,
        threshold,
        tuple(
            MonthVisits(
                m, len(covered), len(seen[m] & {h.household_id for h in covered}), visits_in[m]
            )
            for m in months
        ),
        len(covered),
        len(counted),
        len(ledger.visits) - len(counted),
        tuple(unvisited),
        teams,
        tuple(t for t in teams if t.rate < threshold),
    )


def _teams(
    covered: Sequence[Covered], months: Sequence[str], seen: dict[str, set[str]]
) -> tuple[TeamVisits, ...]:
    members: dict[str, list[Covered]] = defaultdict(list)
    for household in covered:
        members[household.team_id].append(household)
    teams = [
        TeamVisits(
            own[0],
            len(own),
            len(own) * len(months),
            sum(h.household_id in seen[m] for h in own for m in months),
        )
        for own in members.values()
    ]
    return tuple(sorted(teams, key=lambda t: (t.rate, -t.missed, t.team.team_id)))
