"""The cover of a county: per paired village, 1+1 teams, 包户, grids and the roster."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import TypeVar

from pairing.cover.grids import village_grids
from pairing.cover.teams import cover_village, form_teams
from pairing.domain.cover import CountyCover, CoverInfeasible, Grid, VillageCover
from pairing.domain.people import Group, Household, UnitMember, VillageMember

T = TypeVar("T")


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


def cover_county(
    pairs: Mapping[str, Sequence[str]],
    households: Sequence[Household],
    village_members: Sequence[VillageMember],
    unit_members: Sequence[UnitMember],
    groups: Sequence[Group],
    settings: tuple[int, int, Mapping[str, float]],
    baseline: Mapping[str, tuple[str, str]],
) -> CountyCover:
    """Cover every paired village; raise :class:`CoverInfeasible` (all reasons) when not."""
    per_team, grid_max, weights = settings
    homes, locals_ = (
        _by_village(households, "village_id"),
        _by_village(village_members, "village_id"),
    )
    in_groups, by_unit = _by_village(groups, "village_id"), _by_village(unit_members, "unit_id")
    covers: list[VillageCover] = []
    grids: list[Grid] = []
    heads: list[tuple[str, str, VillageMember]] = []
    problems: list[CoverInfeasible] = []
    for village_id in sorted(pairs):
        staff = [m for unit in pairs[village_id] for m in by_unit.get(unit, [])]
        members = locals_.get(village_id, [])
        try:
            if not members and (homes.get(village_id) or in_groups.get(village_id)):
                raise CoverInfeasible(
                    f"村 {village_id} 没有村党员（{len(homes.get(village_id, []))} 户待包）",
                    f"village {village_id} has no party member to cover its households",
                )
            teams = form_teams(village_id, staff, members, per_team)
            covers.append(
                cover_village(village_id, homes.get(village_id, []), teams, weights, baseline)
            )
            grids += village_grids(village_id, in_groups.get(village_id, []), members, grid_max)
            heads += _heads(village_id, in_groups.get(village_id, []), members) if members else []
        except CoverInfeasible as error:
            problems.append(error)
    if problems:
        raise CoverInfeasible("；".join(p.zh for p in problems), "; ".join(p.en for p in problems))
    return CountyCover(tuple(covers), tuple(grids), tuple(heads))
