"""1+1 teams of a village and their 包户 (rules C01-C05, C10-C14; models/COVER.md)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pairing.cpsat.cover.flow import FlowInput, solve_village
from pairing.domain.cover import CoverInfeasible, Team, VillageCover
from pairing.domain.people import Household, UnitMember, VillageMember


def form_teams(
    village_id: str,
    unit_members: Sequence[UnitMember],
    village_members: Sequence[VillageMember],
    per_team: int,
) -> tuple[Team, ...]:
    """Pair the largest capacities together: sorted-with-sorted maximises Σ min(cap_u, cap_m)."""

    def cap(person: UnitMember | VillageMember) -> int:
        given = person.max_households
        return per_team if given is None else min(per_team, given)

    units = sorted(unit_members, key=lambda p: (-cap(p), p.id))
    locals_ = sorted(village_members, key=lambda p: (-cap(p), p.id))
    teams = []
    for i, (u, m) in enumerate(zip(units, locals_, strict=False)):
        capacity = min(cap(u), cap(m))
        if capacity > 0:
            teams.append(Team(f"{village_id}-T{i + 1:02d}", u, m, capacity))
    return tuple(teams)


def pair_cost(
    household: Household,
    team: Team,
    weights: Mapping[str, float],
    baseline: Mapping[str, tuple[str, str]],
) -> float:
    """Return C11 + C13 + C14 points of covering ``household`` by ``team``."""
    points = 0.0
    if team.village_member.group != household.group:
        points += weights["C11"]
    before = baseline.get(household.id)
    if before is not None and before != (team.unit_member.id, team.village_member.id):
        points += weights["C13"]
    points += weights["C14"] * len(household.needs - team.unit_member.skills)
    return points


def cover_village(
    village_id: str,
    households: Sequence[Household],
    teams: Sequence[Team],
    weights: Mapping[str, float],
    baseline: Mapping[str, tuple[str, str]],
) -> VillageCover:
    """Return the optimal 包户 of one village for its teams, or raise :class:`CoverInfeasible`."""
    capacity = sum(team.capacity for team in teams)
    if len(households) > capacity:
        raise CoverInfeasible(
            f"村 {village_id}：{len(households)} 户超过 {len(teams)} 个结对小组的容量 {capacity}",
            f"village {village_id}: {len(households)} households exceed the capacity {capacity} "
            f"of its {len(teams)} teams",
        )
    data = FlowInput(
        costs=[[pair_cost(h, t, weights, baseline) for t in teams] for h in households],
        priority=[h.priority for h in households],
        capacity=[t.capacity for t in teams],
        load_weight=weights["C12"],
        spread_weight=weights["C10"],
    )
    result = solve_village(data)
    if result.team_of is None:  # cannot happen once capacity suffices; kept as a guard
        raise CoverInfeasible(f"村 {village_id}：无可行包户", f"village {village_id}: no cover")
    return VillageCover(village_id, tuple(teams), tuple(households), result.team_of, result.points)
