"""Micro-grids of a village (rules G01-G05; models/COVER.md).

A 小组 of g > L households becomes ⌈g/L⌉ grids of its own with near-equal shares; smaller
小组 are packed whole, first-fit decreasing (in coordinate order when given), into grids of
≤ L. Leaders: a bipartite matching of grids to distinct party members living in them.
"""

from __future__ import annotations

from collections.abc import Sequence

from pairing.domain.cover import CoverInfeasible, Grid
from pairing.domain.people import Group, VillageMember


def _pieces(groups: Sequence[Group], limit: int) -> list[list[tuple[str, int]]]:
    pieces: list[list[tuple[str, int]]] = []
    bins: list[list[tuple[str, int]]] = []
    small = sorted(
        (g for g in groups if g.households <= limit),
        key=lambda g: (-g.households, g.lat or 0.0, g.lon or 0.0, g.name),
    )
    for group in groups:
        if group.households > limit:
            k = -(-group.households // limit)
            base, extra = divmod(group.households, k)
            pieces += [[(group.name, base + (1 if i < extra else 0))] for i in range(k)]
    for group in small:
        for grid in bins:
            if sum(n for _, n in grid) + group.households <= limit:
                grid.append((group.name, group.households))
                break
        else:
            bins.append([(group.name, group.households)])
    return pieces + bins


def _match(
    pieces: list[list[tuple[str, int]]], members: Sequence[VillageMember]
) -> list[int | None]:
    """Augmenting-path matching of pieces to distinct members living in them."""
    owner: dict[int, int] = {}
    options = [
        [i for i, m in enumerate(members) if m.group in {g for g, _ in piece}] for piece in pieces
    ]

    def augment(p: int, seen: set[int]) -> bool:
        for i in options[p]:
            if i not in seen:
                seen.add(i)
                if i not in owner or augment(owner[i], seen):
                    owner[i] = p
                    return True
        return False

    for p in range(len(pieces)):
        augment(p, set())
    chosen: list[int | None] = [None] * len(pieces)
    for i, p in owner.items():
        chosen[p] = i
    return chosen


def village_grids(
    village_id: str, groups: Sequence[Group], members: Sequence[VillageMember], limit: int
) -> tuple[Grid, ...]:
    """Return the grids of one village, or raise :class:`CoverInfeasible` naming the 小组."""
    pieces = _pieces(groups, limit)
    chosen = _match(pieces, members)
    grids = []
    for n, (piece, leader) in enumerate(zip(pieces, chosen, strict=True)):
        if leader is None:
            raise _no_leader(village_id, piece, pieces, members)
        grids.append(Grid(f"{village_id}-G{n + 1:02d}", village_id, tuple(piece), members[leader]))
    return tuple(grids)


def _no_leader(
    village_id: str,
    piece: list[tuple[str, int]],
    pieces: list[list[tuple[str, int]]],
    members: Sequence[VillageMember],
) -> CoverInfeasible:
    names = {g for g, _ in piece}
    label = "、".join(sorted(names))
    need = sum(1 for p in pieces if names & {g for g, _ in p})
    have = sum(1 for m in members if m.group in names)
    return CoverInfeasible(
        f"村 {village_id} 小组 {label}（{sum(h for _, h in piece)} 户）无党员可任网格长："
        f"需 {need} 名住在该处的党员，只有 {have} 名",
        f"village {village_id} group {label}: {need} grid leader(s) living there needed, "
        f"{have} party member(s) live there",
    )
