"""C13 包户延续 binds and does not; C05 最多户数 holds over all of a unit member's villages."""

from __future__ import annotations

import pytest

from pairing.cover.run import CoverProblem, cover_county
from pairing.domain.cover import CountyCover, CoverInfeasible
from pairing.domain.people import Household, UnitMember, VillageMember
from pairing.domain.rules import cover_weights

W = cover_weights()


def _problem(
    households: list[Household],
    staff: list[UnitMember],
    members: list[VillageMember],
    pairs: dict[str, tuple[str, ...]],
    baseline: dict[str, tuple[str, str]] | None = None,
    weights: dict[str, float] = W,
) -> CoverProblem:
    return CoverProblem(
        pairs, tuple(households), tuple(members), tuple(staff), (), 5, 30, weights, baseline or {}
    )


def _members_of(cover: CountyCover) -> dict[str, tuple[str, str]]:
    return {
        h.id: (vc.teams[t].unit_member.id, vc.teams[t].village_member.id)
        for vc in cover.villages
        for h, t in zip(vc.households, vc.team_of, strict=True)
    }


STAFF = [UnitMember("U1", "A", "队员1"), UnitMember("U2", "A", "队员2")]
MEMBERS = [VillageMember("P1", "V1", "党员1", "一组"), VillageMember("P2", "V1", "党员2", "二组")]
H1 = Household("H1", "V1", "户主1", "二组")


def test_c13_keeps_the_baseline_pair_against_c11() -> None:
    plain = cover_county(_problem([H1], STAFF, MEMBERS, {"V1": ("A",)}))
    assert _members_of(plain)["H1"][1] == "P2"  # C11: the member of its own 小组
    teams = {(t.unit_member.id, t.village_member.id) for t in plain.villages[0].teams}
    assert ("U2", "P1") not in teams  # the baseline pair is not even a team without baseline
    kept = cover_county(_problem([H1], STAFF, MEMBERS, {"V1": ("A",)}, {"H1": ("U2", "P1")}))
    assert _members_of(kept)["H1"] == ("U2", "P1")  # C13 (5) outweighs C11 (3)
    assert kept.points == W["C11"]


def test_c13_at_weight_zero_lets_the_household_move() -> None:
    free = {**W, "C13": 0.0}
    cover = cover_county(_problem([H1], STAFF, MEMBERS, {"V1": ("A",)}, {"H1": ("U2", "P1")}, free))
    assert _members_of(cover)["H1"][1] == "P2"
    assert cover.points == 0


def test_c13_gone_members_cost_nothing_and_a_hard_cap_moves_one() -> None:
    gone = cover_county(_problem([H1], STAFF, MEMBERS, {"V1": ("A",)}, {"H1": ("U9", "P9")}))
    assert _members_of(gone)["H1"][1] == "P2" and gone.points == 0
    capped = [MEMBERS[0], VillageMember("P2", "V1", "党员2", "二组", "member", 1)]
    homes = [Household(f"H{i}", "V1", f"户主{i}", "二组") for i in (1, 2)]
    base = {"H1": ("U1", "P2"), "H2": ("U1", "P2")}
    cover = cover_county(_problem(homes, STAFF, capped, {"V1": ("A",)}, base))
    kept = [h for h, pair in _members_of(cover).items() if pair == ("U1", "P2")]
    assert len(kept) == 1  # C05: P2 holds at most 1; the other household moves


def _two_villages(cap: int | None, v1_homes: int = 4) -> CoverProblem:
    staff = [UnitMember("U1", "A", "队员1", cap), UnitMember("U2", "B", "队员2")]
    members = [
        VillageMember("P1", "V1", "党员1", "一组"),
        VillageMember("P2", "V1", "党员2", "一组"),
        VillageMember("Q1", "V2", "党员3", "一组"),
    ]
    homes = [Household(f"A{i}", "V1", "户", "一组") for i in range(v1_homes)]
    homes += [Household(f"B{i}", "V2", "户", "一组") for i in range(2)]
    return _problem(homes, staff, members, {"V1": ("A", "B"), "V2": ("A",)})


def _load(cover: CountyCover, unit_member: str) -> int:
    return sum(1 for pair in _members_of(cover).values() if pair[0] == unit_member)


def test_c05_unit_member_cap_holds_over_villages() -> None:
    free = cover_county(_two_villages(None))
    assert _load(free, "U1") == 4  # 2 in V2 and, balanced (C12), 2 of V1's 4
    capped = cover_county(_two_villages(3))
    assert _load(capped, "U1") == 3  # 2 in V2 + 1 in V1: the cap is over both villages
    v1 = next(v for v in capped.villages if v.village_id == "V1")
    assert sorted(v1.team_of.count(t) for t in range(2)) == [1, 3]
    assert capped.points == W["C12"]  # V1's loads 1 and 3 pay one household above ⌈4/2⌉


def test_c05_over_villages_infeasible_names_villages_and_member() -> None:
    # V1 alone has room 3 + 5 = 8 ≥ 7 and V2 room 3 ≥ 2, but U1 cannot hold 2 + 2
    with pytest.raises(CoverInfeasible, match=r"V[12]（缺 1 户.*U1（最多 3 户）"):
        cover_county(_two_villages(3, v1_homes=7))
