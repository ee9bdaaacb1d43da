"""1+1 teams of a village and the 包户 of linked villages (rules C01-C05, C10-C14;
models/COVER.md)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pairing.cpsat.cover.flow import FlowInput, best_pairing, solve_villages
from pairing.domain.cover import CoverInfeasible, Team, VillageCover
from pairing.domain.people import Household, UnitMember, VillageMember

Kept = Mapping[str, tuple[str, str]]  # household → (unit member, village member) still there


@dataclass(frozen=True, slots=True)
class VillageTeams:
    """One village to cover: its households and formed teams."""

    village_id: str
    households: tuple[Household, ...]
    teams: tuple[Team, ...]


def kept_members(
    households: Sequence[Household],
    unit_members: Sequence[UnitMember],
    village_members: Sequence[VillageMember],
    baseline: Mapping[str, tuple[str, str]],
) -> dict[str, tuple[str, str]]:
    """C13: each household's baseline members that are still people of its village ("" not)."""
    units, locals_ = {u.id for u in unit_members}, {m.id for m in village_members}
    kept = {}
    for h in households:
        unit_id, member_id = baseline.get(h.id, ("", ""))
        pair = (unit_id if unit_id in units else "", member_id if member_id in locals_ else "")
        if any(pair):
            kept[h.id] = pair
    return kept


def _cap(person: UnitMember | VillageMember, per_team: int) -> int:
    given = person.max_households
    return per_team if given is None else min(per_team, given)


def form_teams(
    village_id: str,
    unit_members: Sequence[UnitMember],
    village_members: Sequence[VillageMember],
    per_team: int,
    kept: Kept | None = None,
    households: int = 0,
) -> tuple[Team, ...]:
    """Pair the largest capacities together: sorted-with-sorted maximises Σ min(cap_u, cap_m).

    With baseline pairs (``kept``, C13), the pairing keeps the most baseline households'
    pairs among those whose room still holds every household of the village (an exact
    assignment), else the most room first and continuity second.
    """
    units = sorted(unit_members, key=lambda p: (-_cap(p, per_team), p.id))
    locals_ = sorted(village_members, key=lambda p: (-_cap(p, per_team), p.id))
    together = Counter(pair for pair in (kept or {}).values() if all(pair))
    if together:
        pairs = _continuing(units, locals_, per_team, together, households)
    else:
        pairs = list(zip(units, locals_, strict=False))
    teams: list[Team] = []
    for u, m in pairs:
        capacity = min(_cap(u, per_team), _cap(m, per_team))
        if capacity > 0:
            teams.append(Team(f"{village_id}-T{len(teams) + 1:02d}", u, m, capacity))
    return tuple(teams)


def _continuing(
    units: Sequence[UnitMember],
    locals_: Sequence[VillageMember],
    per_team: int,
    together: Counter[tuple[str, str]],
    households: int,
) -> list[tuple[UnitMember, VillageMember]]:
    """The continuity-first pairing when its room suffices, else the room-first one."""
    room = [[min(_cap(u, per_team), _cap(m, per_team)) for m in locals_] for u in units]
    keep = [[together[(u.id, m.id)] for m in locals_] for u in units]
    big_room, big_keep = per_team * len(units) + 1, sum(together.values()) + 1
    cells = [list(zip(ks, rs, strict=True)) for ks, rs in zip(keep, room, strict=True)]
    first = best_pairing([[k * big_room + r for k, r in row] for row in cells])
    if sum(room[i][j] for i, j in first) < households:
        first = best_pairing([[r * big_keep + k for k, r in row] for row in cells])
    return [(units[i], locals_[j]) for i, j in first]


def pair_cost(household: Household, team: Team, weights: Mapping[str, float], kept: Kept) -> float:
    """Return C11 + C13 + C14 points of covering ``household`` by ``team``."""
    points = 0.0
    if team.village_member.group != household.group:
        points += weights["C11"]
    unit_id, member_id = kept.get(household.id, ("", ""))
    if (unit_id and unit_id != team.unit_member.id) or (
        member_id and member_id != team.village_member.id
    ):
        points += weights["C13"]
    points += weights["C14"] * len(household.needs - team.unit_member.skills)
    return points


def _flow_input(
    villages: Sequence[VillageTeams], weights: Mapping[str, float], kept: Kept
) -> FlowInput:
    teams = [(v, t) for v in villages for t in v.teams]
    holders = sorted({t.unit_member.id: t.unit_member for _, t in teams}.items())
    holder_at = {uid: j for j, (uid, _) in enumerate(holders)}
    options: list[list[tuple[int, float]]] = []
    load_free, spread_free = [], []
    first = 0
    for v in villages:
        k = max(1, len(v.teams))
        load_free += [-(-len(v.households) // k)] * len(v.teams)
        spread_free += [-(-sum(h.priority for h in v.households) // k)] * len(v.teams)
        for h in v.households:
            options.append(
                [(first + i, pair_cost(h, t, weights, kept)) for i, t in enumerate(v.teams)]
            )
        first += len(v.teams)
    return FlowInput(
        options=options,
        priority=[h.priority for v in villages for h in v.households],
        capacity=[t.capacity for _, t in teams],
        load_free=load_free,
        spread_free=spread_free,
        holder=[holder_at[t.unit_member.id] for _, t in teams],
        holder_cap=[u.max_households for _, u in holders],
        load_weight=weights["C12"],
        spread_weight=weights["C10"],
    )


def village_points(
    households: Sequence[Household],
    teams: Sequence[Team],
    team_of: Sequence[int],
    weights: Mapping[str, float],
    kept: Kept,
) -> float:
    """Return the soft points (C10-C14) of one village's cover, as the flow costs them."""
    k = max(1, len(teams))
    load_free = -(-len(households) // k)
    spread_free = -(-sum(h.priority for h in households) // k)
    points = sum(
        pair_cost(h, teams[t], weights, kept) for h, t in zip(households, team_of, strict=True)
    )
    for i in range(len(teams)):
        mine = [h for h, t in zip(households, team_of, strict=True) if t == i]
        points += weights["C12"] * max(0, len(mine) - load_free)
        points += weights["C10"] * max(0, sum(h.priority for h in mine) - spread_free)
    return points


def cover_villages(
    villages: Sequence[VillageTeams], weights: Mapping[str, float], kept: Kept
) -> list[VillageCover]:
    """Return the optimal 包户 of linked villages for their teams (one flow: a unit member's
    最多户数 holds over all of them), or raise :class:`CoverInfeasible` naming who is short."""
    for v in villages:
        _room_suffices(v)
    result = solve_villages(_flow_input(villages, weights, kept))
    if not result.complete:
        raise _shared_members_short(villages, result.team_of)
    covers, first, start = [], 0, 0
    for v in villages:
        team_of = tuple(t - first for t in result.team_of[start : start + len(v.households)])
        points = village_points(v.households, v.teams, team_of, weights, kept)
        covers.append(VillageCover(v.village_id, v.teams, v.households, team_of, points))
        first, start = first + len(v.teams), start + len(v.households)
    return covers


def _room_suffices(village: VillageTeams) -> None:
    capacity = sum(team.capacity for team in village.teams)
    if len(village.households) > capacity:
        vid, n, k = village.village_id, len(village.households), len(village.teams)
        raise CoverInfeasible(
            f"村 {vid}：{n} 户超过 {k} 个结对小组的容量 {capacity}",
            f"village {vid}: {n} households exceed the capacity {capacity} of its {k} teams",
        )


def _shared_members_short(
    villages: Sequence[VillageTeams], team_of: Sequence[int]
) -> CoverInfeasible:
    """The villages left short because unit members' 最多户数 hold over all their villages."""
    short, start = [], 0
    for v in villages:
        missing = sum(1 for t in team_of[start : start + len(v.households)] if t < 0)
        if missing:
            short.append(f"{v.village_id}（缺 {missing} 户 short by {missing}）")
        start += len(v.households)
    shared = sorted(
        {
            f"{t.unit_member.id}（最多 {t.unit_member.max_households} 户）"
            for v in villages
            for t in v.teams
            if t.unit_member.max_households is not None
        }
    )
    return CoverInfeasible(
        f"村 {'、'.join(short)}：单位队员的最多户数跨村合计，容量不足；相关队员 {'、'.join(shared)}",
        f"villages {', '.join(short)}: the unit members' 最多户数 hold over all their villages "
        f"together and leave too little room; members concerned {', '.join(shared)}",
    )
