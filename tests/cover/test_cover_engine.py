"""Each cover and grid rule binds in a tiny case and not in another (models/COVER.md)."""

from __future__ import annotations

import pytest

from pairing.cover.grids import village_grids
from pairing.cover.teams import VillageTeams, cover_villages, form_teams
from pairing.domain.cover import CoverInfeasible, Team, VillageCover
from pairing.domain.people import Group, Household, UnitMember, VillageMember
from pairing.domain.rules import cover_weights

W = cover_weights()


def _h(i: int, group: str = "一组", cats: str = "", needs: str = "") -> Household:
    return Household(
        f"H{i}",
        "V1",
        f"户主{i}",
        group,
        frozenset(filter(None, [cats])),
        needs=frozenset(filter(None, [needs])),
    )


def _u(i: int, cap: int | None = None, skills: str = "") -> UnitMember:
    return UnitMember(f"U{i}", "A", f"队员{i}", cap, frozenset(filter(None, [skills])))


def _m(i: int, group: str = "一组", cap: int | None = None) -> VillageMember:
    return VillageMember(f"P{i}", "V1", f"党员{i}", group, "member", cap)


def cover_village(
    village_id: str,
    households: list[Household],
    teams: tuple[Team, ...],
    weights: dict[str, float],
    kept: dict[str, tuple[str, str]],
) -> VillageCover:
    return cover_villages([VillageTeams(village_id, tuple(households), teams)], weights, kept)[0]


def _loads(cover: object) -> list[int]:
    team_of = cover.team_of  # type: ignore[attr-defined]
    return [team_of.count(t) for t in range(len(cover.teams))]  # type: ignore[attr-defined]


def test_c01_c04_every_household_once_and_at_most_n() -> None:
    teams = form_teams("V1", [_u(1), _u(2)], [_m(1), _m(2)], 3)
    cover = cover_village("V1", [_h(i) for i in range(6)], teams, W, {})
    assert sorted(_loads(cover)) == [3, 3]
    with pytest.raises(CoverInfeasible, match="7 户超过 2 个结对小组的容量 6"):
        cover_village("V1", [_h(i) for i in range(7)], teams, W, {})


def test_c03_a_member_is_in_one_team() -> None:
    teams = form_teams("V1", [_u(1)], [_m(1), _m(2), _m(3)], 5)
    assert len(teams) == 1  # one unit member: one team however many party members


def test_c05_personal_cap_binds_and_pairing_is_sorted() -> None:
    teams = form_teams("V1", [_u(1, 1), _u(2)], [_m(1), _m(2, cap=2)], 5)
    assert sorted(t.capacity for t in teams) == [1, 5]  # (5 with 5), (1 with 2): the most room
    assert sorted(_loads(cover_village("V1", [_h(i) for i in range(6)], teams, W, {}))) == [1, 5]
    with pytest.raises(CoverInfeasible, match="容量 6"):
        cover_village("V1", [_h(i) for i in range(7)], teams, W, {})


def test_c10_priority_spread_binds_only_with_priority_households() -> None:
    teams = form_teams("V1", [_u(1), _u(2)], [_m(1), _m(2)], 5)
    spread = cover_village("V1", [_h(1, cats="低保户"), _h(2, cats="低保户")], teams, W, {})
    assert sorted(_loads(spread)) == [1, 1]
    plain = cover_village("V1", [_h(1), _h(2)], teams, {**W, "C12": 0.0}, {})
    assert plain.points == 0


def test_c11_same_group_member_preferred() -> None:
    teams = form_teams("V1", [_u(1), _u(2)], [_m(1, "一组"), _m(2, "二组")], 5)
    cover = cover_village("V1", [_h(1, "二组")], teams, W, {})
    assert cover.teams[cover.team_of[0]].village_member.group == "二组"
    assert cover.points == 0


def test_c12_balanced_loads() -> None:
    teams = form_teams("V1", [_u(1), _u(2)], [_m(1), _m(2)], 5)
    cover = cover_village("V1", [_h(i) for i in range(4)], teams, W, {})
    assert _loads(cover) == [2, 2]
    off = cover_village("V1", [_h(i) for i in range(4)], teams, {**W, "C12": 0.0}, {})
    assert off.points == 0


def test_c13_baseline_kept() -> None:
    teams = form_teams("V1", [_u(1), _u(2)], [_m(1), _m(2)], 5)
    keep = {t.id: (t.unit_member.id, t.village_member.id) for t in teams}
    second = teams[1]
    cover = cover_village("V1", [_h(1)], teams, W, {"H1": keep[second.id]})
    assert cover.team_of == (1,)
    assert cover.points == 0


def test_c14_skills_meet_needs() -> None:
    teams = form_teams("V1", [_u(1), _u(2, skills="法律")], [_m(1), _m(2)], 5)
    cover = cover_village("V1", [_h(1, needs="法律")], teams, W, {})
    assert cover.teams[cover.team_of[0]].unit_member.skills == {"法律"}
    lacking = cover_village("V1", [_h(1, needs="电商")], teams, W, {})
    assert lacking.points == W["C14"]


def test_g01_g02_split_large_group_into_fewest_own_grids() -> None:
    groups = [Group("V1", "一组", 70), Group("V1", "二组", 10), Group("V1", "三组", 15)]
    members = [_m(i, "一组") for i in range(3)] + [_m(9, "二组")]
    grids = village_grids("V1", groups, members, 30)
    own = [g for g in grids if any(name == "一组" for name, _ in g.shares)]
    assert len(own) == 3 and all(len(g.shares) == 1 for g in own)
    assert all(g.households <= 30 for g in grids)
    assert sum(g.households for g in grids) == 95
    mixed = [g for g in grids if g not in own]
    assert len(mixed) == 1 and mixed[0].households == 25  # G02 packs small groups together


def test_g04_leader_lives_in_grid_and_infeasible_names_group() -> None:
    groups = [Group("V1", "一组", 70)]
    with pytest.raises(CoverInfeasible, match=r"一组.*需 3 名.*只有 2 名"):
        village_grids("V1", groups, [_m(1, "一组"), _m(2, "一组")], 30)
    grids = village_grids("V1", groups, [_m(i, "一组") for i in range(3)], 30)
    assert len({g.leader.id for g in grids}) == 3
