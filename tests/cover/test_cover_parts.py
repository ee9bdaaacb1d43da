"""The cover by parts (``cover --workers``) equals the cover in one process; links hold."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pairing.cover.run import CoverProblem, cover_county, linked_villages, split
from pairing.cover.wire import pack, pack_cover, unpack, unpack_cover
from pairing.domain.cover import CoverInfeasible
from pairing.domain.people import Group, Household, UnitMember, VillageMember
from pairing.domain.rules import cover_weights
from pairing.province import Cluster
from pairing.province.cover import cover_engine, cover_part


def _county(villages: int, cap: int | None = None) -> CoverProblem:
    homes, members, staff, groups = [], [], [], []
    pairs: dict[str, tuple[str, ...]] = {}
    for v in range(villages):
        vid = f"V{v}"
        pairs[vid] = (f"U{v}", f"U{(v + 1) % villages}")  # a ring: each unit in two villages
        groups += [Group(vid, f"{g}组", 20 + 5 * g) for g in range(3)]
        members += [VillageMember(f"{vid}P{i}", vid, "党员", f"{i % 3}组") for i in range(6)]
        homes += [
            Household(f"{vid}H{i}", vid, "户", f"{i % 3}组", frozenset({"低保户"} if i % 4 else ()))
            for i in range(12)
        ]
        staff += [UnitMember(f"U{v}M{i}", f"U{v}", "队员", cap) for i in range(3)]
    return CoverProblem(
        pairs, tuple(homes), tuple(members), tuple(staff), tuple(groups), 5, 30, cover_weights()
    )


def test_unlimited_members_leave_villages_unlinked() -> None:
    assert len(linked_villages(_county(6))) == 6
    assert linked_villages(_county(6, cap=4)) == [[f"V{v}" for v in range(6)]]  # the ring
    assert len(split(_county(6, cap=4), 3)) == 1  # a linked set is never cut
    parts = split(_county(6), 3)
    assert len(parts) == 3 and sum(len(p.households) for p in parts) == 72


def test_parts_on_a_pool_give_the_same_cover() -> None:
    problem = _county(8)
    one = cover_county(problem)
    assert cover_engine(Cluster(workers=2, engine="pool"))(problem) == one


def test_packed_parts_and_covers_round_trip() -> None:
    problem = _county(3, cap=4)
    assert unpack(pack(problem)) == problem
    cover = cover_county(problem)
    assert unpack_cover(pack_cover(cover), problem) == cover
    sent = cover_part(0, pack(problem))  # what a spawned or Dask worker runs
    assert sent.cover is not None and unpack_cover(sent.cover, problem) == cover


def test_every_failed_part_is_reported() -> None:
    whole = _county(6)
    problem = replace(
        whole,
        village_members=tuple(m for m in whole.village_members if m.village_id not in {"V0", "V4"}),
    )
    with pytest.raises(CoverInfeasible, match=r"村 V0 没有村党员.*村 V4 没有村党员"):
        cover_engine(Cluster(workers=2, engine="pool"))(problem)
