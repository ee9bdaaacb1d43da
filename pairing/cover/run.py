"""The cover of a county: per paired village, 1+1 teams, 包户, grids and the roster.

Villages are linked when a unit paired with both has a member with a 最多户数 (that limit
holds over all the member's villages, C05): linked villages are covered by one flow, the
others each alone. :func:`split` cuts a problem into parts along those links, so that parts
can run side by side (:mod:`pairing.province.cover`) and :func:`merge` gives the cover a
single run gives.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from pairing.cover.grids import village_grids
from pairing.cover.teams import VillageTeams, cover_villages, form_teams, kept_members
from pairing.domain.cover import CountyCover, CoverInfeasible, Grid, VillageCover
from pairing.domain.people import Group, Household, UnitMember, VillageMember

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class CoverProblem:
    """What a cover needs: the plan's pairs (village → units), the people, the settings."""

    pairs: Mapping[str, tuple[str, ...]]
    households: tuple[Household, ...]
    village_members: tuple[VillageMember, ...]
    unit_members: tuple[UnitMember, ...]
    groups: tuple[Group, ...]
    per_team: int
    grid_max: int
    weights: Mapping[str, float]
    baseline: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def size(self) -> int:
        """Return the work in it, roughly: households plus 小组."""
        return len(self.households) + len(self.groups)


def _by_village(items: Sequence[T], key: str) -> dict[str, list[T]]:
    found: dict[str, list[T]] = defaultdict(list)
    for item in items:
        found[getattr(item, key)].append(item)
    return found


def _heads(
    village_id: str, groups: Sequence[Group], members: Sequence[VillageMember]
) -> list[tuple[str, str, VillageMember]]:
    """G05: a committee member (书记/两委) living in the 小组, else any living there, else the
    village's least-loaded committee member (else any member)."""
    rank = {"secretary": 0, "committee": 0, "grid_worker": 1, "member": 2}
    ordered = sorted(members, key=lambda m: (rank[m.role], m.id))
    committee = [m for m in ordered if m.role in ("secretary", "committee")] or ordered
    load: dict[str, int] = defaultdict(int)
    heads = []
    for group in groups:
        living = [m for m in ordered if m.group == group.name]
        pick = living[0] if living else min(committee, key=lambda m: (load[m.id], m.id))
        load[pick.id] += 1
        heads.append((village_id, group.name, pick))
    return heads


def linked_villages(problem: CoverProblem) -> list[list[str]]:
    """Return the paired villages in linked sets (sorted), each set sorted."""
    limited = {m.unit_id for m in problem.unit_members if m.max_households is not None}
    parent = {v: v for v in problem.pairs}

    def root(v: str) -> str:
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    first_of: dict[str, str] = {}
    for village_id in sorted(problem.pairs):
        for unit in problem.pairs[village_id]:
            if unit in limited:
                other = first_of.setdefault(unit, village_id)
                parent[root(village_id)] = root(other)
    sets: dict[str, list[str]] = defaultdict(list)
    for village_id in sorted(problem.pairs):
        sets[root(village_id)].append(village_id)
    return sorted(sets.values())


def split(problem: CoverProblem, parts: int) -> list[CoverProblem]:
    """Cut ``problem`` into at most ``parts`` parts of linked sets, largest set first."""
    homes = _by_village(problem.households, "village_id")
    in_groups = _by_village(problem.groups, "village_id")
    sets = sorted(
        linked_villages(problem),
        key=lambda s: -sum(len(homes.get(v, ())) + len(in_groups.get(v, ())) for v in s),
    )
    bins: list[list[str]] = [[] for _ in range(max(1, min(parts, len(sets))))]
    load = [0] * len(bins)
    for villages in sets:
        at = load.index(min(load))
        bins[at] += villages
        load[at] += sum(len(homes.get(v, ())) + len(in_groups.get(v, ())) + 1 for v in villages)
    return [_part(problem, frozenset(b)) for b in bins if b]


def _part(problem: CoverProblem, villages: frozenset[str]) -> CoverProblem:
    units = {u for v in villages for u in problem.pairs[v]}
    households = tuple(h for h in problem.households if h.village_id in villages)
    homes = {h.id for h in households}
    return CoverProblem(
        {v: problem.pairs[v] for v in sorted(villages)},
        households,
        tuple(m for m in problem.village_members if m.village_id in villages),
        tuple(m for m in problem.unit_members if m.unit_id in units),
        tuple(g for g in problem.groups if g.village_id in villages),
        problem.per_team,
        problem.grid_max,
        problem.weights,
        {h: pair for h, pair in problem.baseline.items() if h in homes},
    )


def merge(covers: Sequence[CountyCover]) -> CountyCover:
    """Return one cover of the parts' covers, in village order (as one run writes it)."""
    return CountyCover(
        tuple(sorted((v for c in covers for v in c.villages), key=lambda v: v.village_id)),
        tuple(sorted((g for c in covers for g in c.grids), key=lambda g: g.village_id)),
        tuple(sorted((h for c in covers for h in c.group_heads), key=lambda h: h[0])),
    )


def cover_county(problem: CoverProblem) -> CountyCover:
    """Cover every paired village; raise :class:`CoverInfeasible` (all reasons) when not."""
    homes = _by_village(problem.households, "village_id")
    locals_ = _by_village(problem.village_members, "village_id")
    in_groups = _by_village(problem.groups, "village_id")
    by_unit = _by_village(problem.unit_members, "unit_id")
    covers: list[VillageCover] = []
    grids: list[Grid] = []
    heads: list[tuple[str, str, VillageMember]] = []
    problems: list[CoverInfeasible] = []
    for villages in linked_villages(problem):
        try:
            linked: list[VillageTeams] = []
            kept: dict[str, tuple[str, str]] = {}
            for village_id in villages:
                staff = [m for unit in problem.pairs[village_id] for m in by_unit.get(unit, [])]
                members, houses = locals_.get(village_id, []), homes.get(village_id, [])
                if not members and (houses or in_groups.get(village_id)):
                    raise CoverInfeasible(
                        f"村 {village_id} 没有村党员（{len(houses)} 户待包）",
                        f"village {village_id} has no party member to cover its households",
                    )
                mine = kept_members(houses, staff, members, problem.baseline)
                if problem.weights["C13"] <= 0:
                    mine = {}  # no continuity asked: the baseline shapes nothing
                kept.update(mine)
                teams = form_teams(village_id, staff, members, problem.per_team, mine, len(houses))
                linked.append(VillageTeams(village_id, tuple(houses), teams))
                groups = in_groups.get(village_id, [])
                grids += village_grids(village_id, groups, members, problem.grid_max)
                heads += _heads(village_id, groups, members) if members else []
            covers += cover_villages(linked, problem.weights, kept)
        except CoverInfeasible as error:
            problems.append(error)
    if problems:
        raise CoverInfeasible("；".join(p.zh for p in problems), "; ".join(p.en for p in problems))
    return merge([CountyCover(tuple(covers), tuple(grids), tuple(heads))])
