"""A cover problem and its cover as plain tuples, for sending parts between processes.

Frozen slotted dataclasses pickle through Python-level ``__getstate__`` (measured: 2.4 s for
the 20-county parts of bench/cover.py, more than covering them), plain tuples of strings at C
speed. A part goes out as its records' field values; the cover comes back as ids only (teams
as member ids, households in the part's order, grids' leaders by id) and is rebuilt from the
records the sender already has.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import fields
from typing import Any

from pairing.cover.run import CoverProblem
from pairing.domain.cover import CountyCover, Grid, Team, VillageCover
from pairing.domain.people import Group, Household, UnitMember, VillageMember

Packed = tuple[Any, ...]
RECORDS = (
    ("households", Household),
    ("village_members", VillageMember),
    ("unit_members", UnitMember),
    ("groups", Group),
)


def pack(problem: CoverProblem) -> Packed:
    """Return ``problem`` as tuples (what :func:`unpack` rebuilds)."""
    records = []
    for name, kind in RECORDS:
        names = [f.name for f in fields(kind)]
        records.append(tuple(tuple(getattr(r, n) for n in names) for r in getattr(problem, name)))
    settings = (problem.per_team, problem.grid_max, dict(problem.weights))
    return (dict(problem.pairs), *records, settings, dict(problem.baseline))


def unpack(packed: Packed) -> CoverProblem:
    """Return the problem :func:`pack` packed."""
    pairs, *records, settings, baseline = packed
    built = [
        tuple(kind(*r) for r in rows) for (_, kind), rows in zip(RECORDS, records, strict=True)
    ]
    per_team, grid_max, weights = settings
    households, village_members, unit_members, groups = built
    return CoverProblem(
        pairs,
        households,
        village_members,
        unit_members,
        groups,
        per_team,
        grid_max,
        weights,
        baseline,
    )


def pack_cover(cover: CountyCover) -> Packed:
    """Return ``cover`` as ids (households are the problem's, in its order per village)."""
    villages = tuple(
        (
            v.village_id,
            tuple((t.id, t.unit_member.id, t.village_member.id, t.capacity) for t in v.teams),
            v.team_of,
            v.points,
        )
        for v in cover.villages
    )
    grids = tuple((g.id, g.village_id, g.shares, g.leader.id) for g in cover.grids)
    heads = tuple((v, g, m.id) for v, g, m in cover.group_heads)
    return villages, grids, heads


def unpack_cover(packed: Packed, problem: CoverProblem) -> CountyCover:
    """Rebuild the cover :func:`pack_cover` packed, with ``problem``'s own records."""
    villages, grids, heads = packed
    units = {m.id: m for m in problem.unit_members}
    locals_ = {m.id: m for m in problem.village_members}
    homes: dict[str, list[Household]] = defaultdict(list)
    for h in problem.households:
        homes[h.village_id].append(h)
    covers = tuple(
        VillageCover(
            vid,
            tuple(Team(tid, units[u], locals_[m], cap) for tid, u, m, cap in teams),
            tuple(homes.get(vid, ())),
            team_of,
            points,
        )
        for vid, teams, team_of, points in villages
    )
    return CountyCover(
        covers,
        tuple(Grid(gid, vid, shares, locals_[leader]) for gid, vid, shares, leader in grids),
        tuple((v, g, locals_[m]) for v, g, m in heads),
    )
