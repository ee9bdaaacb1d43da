"""Duties: the occurrences one obligation demands in one period, with their allowed days.

A duty belongs to one pair, or to every pair of a village when the obligation is joint (S05:
one occurrence puts all the village's units on site the same day). Its performers are the
unit (``who = unit``) or each leader (组长) of the unit (``who = leader``, S07: every leader
owes ``count`` occurrences); a joint leader duty is done by all leaders of the village's units
together. Allowed days are the owed period's eligible days (S02, S03 holidays) minus the
pairs' blackouts (S03).

S06 targets: the ``n = count × performers`` occurrences of a duty are spread over the eligible
days of the period's part inside the horizon (``E`` of them, in order): occurrence ``j`` aims
at position ``(j + 1/2) · E / n − 1/2`` of that list, the centre of the ``j``-th of ``n`` equal
slices, interpolated between the two dates around it; performers take turns (occurrence ``j``
is performer ``j mod m``). A plain week's workday duty aims at Wednesday, a month's at its
middle working day, and a holiday week's at the middle of what is left.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from pairing.domain.model import Obligation, Problem
from pairing.schedule.blackouts import Barred, union
from pairing.schedule.owed import Owed
from pairing.schedule.sites import Site

People = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Team:
    """A unit's people from the 队员 sheet: leaders (组长) first, then members."""

    leaders: People
    everyone: People


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One occurrence of a duty: who performs it and the day it should ideally fall on."""

    performer: int
    target: float


@dataclass(frozen=True, slots=True)
class Duty:
    """The occurrences one obligation demands in one period from one pair (or one village).

    Attributes
    ----------
    obligation
        The obligation.
    owed
        The period and the count owed by each performer.
    sites
        Indices of the sites put on site by each occurrence (all pairs of a village if joint).
    performers
        For each performer, the people on duty at each site (aligned with ``sites``).
    days
        Allowed day numbers.
    barred
        The blackouts that apply to the duty's sites.
    occurrences
        The occurrences, in target order.
    """

    obligation: Obligation
    owed: Owed
    sites: tuple[int, ...]
    performers: tuple[tuple[People, ...], ...]
    days: tuple[int, ...]
    barred: Barred
    occurrences: tuple[Occurrence, ...]

    @property
    def rule(self) -> str:
        """Return the rule that demands the occurrences: S07 for leaders, else S01."""
        return "S07" if self.obligation.who == "leader" else "S01"


def teams_of(problem: Problem) -> Mapping[str, Team]:
    """Return each unit's team from the 队员 sheet (units without rows get an empty team)."""
    leaders: dict[str, list[str]] = {}
    members: dict[str, list[str]] = {}
    for member in problem.members:
        chosen = leaders if member.role == "leader" else members
        chosen.setdefault(member.unit_id, []).append(member.name)
    return MappingProxyType(
        {
            unit.id: Team(
                tuple(leaders.get(unit.id, [])),
                tuple(leaders.get(unit.id, []) + members.get(unit.id, [])),
            )
            for unit in problem.units
        }
    )


def duties_of(
    members: Sequence[int],
    sites: Sequence[Site],
    owed: Sequence[Owed],
    problem: Problem,
    teams: Mapping[str, Team],
) -> Iterator[Duty]:
    """Yield the duties of one group of sites, owed period by owed period."""
    by_village: dict[str, list[int]] = {}
    for index in members:
        by_village.setdefault(sites[index].village.id, []).append(index)
    for entry in owed:
        obligation = problem.obligations[entry.obligation]
        if obligation.joint:
            for group in by_village.values():
                yield _duty(obligation, entry, tuple(group), sites, teams)
        else:
            for index in members:
                yield _duty(obligation, entry, (index,), sites, teams)


def _duty(
    obligation: Obligation,
    entry: Owed,
    on_site: tuple[int, ...],
    sites: Sequence[Site],
    teams: Mapping[str, Team],
) -> Duty:
    performers = _performers(obligation, [sites[i] for i in on_site], teams)
    barred = union(sites[i].barred for i in on_site)
    slots = entry.count * len(performers)
    occurrences = tuple(
        Occurrence(j % len(performers), target(entry.days, j, slots)) for j in range(slots)
    )
    return Duty(
        obligation,
        entry,
        on_site,
        performers,
        barred.restrict(entry.days),
        barred,
        occurrences,
    )


def target(days: Sequence[int], slot: int, slots: int) -> float:
    """Return the S06 target day of occurrence ``slot`` of ``slots`` over eligible ``days``."""
    position = min(max((slot + 0.5) * len(days) / slots - 0.5, 0.0), len(days) - 1.0)
    low = int(position)
    if low == len(days) - 1:
        return float(days[low])
    return days[low] + (position - low) * (days[low + 1] - days[low])


def _performers(
    obligation: Obligation, on_site: Sequence[Site], teams: Mapping[str, Team]
) -> tuple[tuple[People, ...], ...]:
    """Return, per performer, the people on duty at each site."""
    site_teams = [teams[site.unit.id] for site in on_site]
    if obligation.who == "unit":
        return (tuple(team.everyone for team in site_teams),)
    if obligation.joint or not site_teams[0].leaders:
        # A joint leader duty is done by all the leaders together; a unit that lists no
        # leader still owes the duty, done by its (unnamed) leader.
        return (tuple(team.leaders for team in site_teams),)
    return tuple(((leader,),) for leader in site_teams[0].leaders)
