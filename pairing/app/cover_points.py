"""The points of each soft cover rule C10-C14 of a cover, for its 指标 sheet.

The flow minimises their sum; 指标 states each rule's share so that ``pairing verify``, which
recomputes them rule by rule with code of its own, can say which rule disagrees. C13 counts,
as the engine prices it, a household whose baseline unit member or village member is still a
person of its village (``kept``, :func:`pairing.cover.teams.kept_members`) and is not its
member now.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from pairing.cover.teams import kept_members
from pairing.domain.cover import CountyCover, VillageCover
from pairing.domain.people import Household, UnitMember, VillageMember
from pairing.io.people import People


def _above_mean(counts: list[int], total: int) -> int:
    """Σ over teams of what each holds above ⌈total / teams⌉ (C10, C12)."""
    free = -(-total // len(counts)) if counts else 0
    return sum(max(0, n - free) for n in counts)


def _village_counts(vc: VillageCover, kept: Mapping[str, tuple[str, str]]) -> dict[str, int]:
    pairs = list(zip(vc.households, vc.team_of, strict=True))
    loads = [vc.team_of.count(t) for t in range(len(vc.teams))]
    priority = [sum(1 for h, k in pairs if k == t and h.priority) for t in range(len(vc.teams))]
    moved = 0
    for h, t in pairs:
        unit_id, member_id = kept.get(h.id, ("", ""))
        team = vc.teams[t]
        moved += bool(unit_id and unit_id != team.unit_member.id) or bool(
            member_id and member_id != team.village_member.id
        )
    return {
        "C10": _above_mean(priority, sum(priority)),
        "C11": sum(1 for h, t in pairs if vc.teams[t].village_member.group != h.group),
        "C12": _above_mean(loads, len(pairs)),
        "C13": moved,
        "C14": sum(len(h.needs - vc.teams[t].unit_member.skills) for h, t in pairs),
    }


def rule_points(
    cover: CountyCover, weights: Mapping[str, float], kept: Mapping[str, tuple[str, str]]
) -> dict[str, float]:
    """Return the points of each soft cover rule (weights by id) over every village."""
    total = dict.fromkeys(weights, 0.0)
    for vc in cover.villages:
        for rule, count in _village_counts(vc, kept).items():
            total[rule] += weights[rule] * count
    return total


def kept_of(
    units_of: Mapping[str, Sequence[str]],
    people: People,
    baseline: Mapping[str, tuple[str, str]],
) -> dict[str, tuple[str, str]]:
    """Return each household's baseline members still people of its village (C13)."""
    if not baseline:
        return {}
    homes: dict[str, list[Household]] = defaultdict(list)
    locals_: dict[str, list[VillageMember]] = defaultdict(list)
    staff: dict[str, list[UnitMember]] = defaultdict(list)
    for h in people.households:
        homes[h.village_id].append(h)
    for m in people.village_members:
        locals_[m.village_id].append(m)
    for u in people.unit_members:
        staff[u.unit_id].append(u)
    kept: dict[str, tuple[str, str]] = {}
    for village_id, units in units_of.items():
        own = [m for unit in units for m in staff[unit]]
        kept |= kept_members(homes[village_id], own, locals_[village_id], baseline)
    return kept
