"""Micro-grids of a village (rules G01-G06; models/COVER.md).

A 小组 of g > L households becomes ⌈g/L⌉ grids of its own with near-equal shares; smaller
小组 are packed whole into grids of ≤ L: where every one of them has coordinates, as
connected pieces of their minimum spanning tree (G06, the fewest such pieces, Kundu and
Misra's bottom-up greedy), else first-fit decreasing. Leaders: a bipartite matching of grids
to distinct party members living in them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from pairing.domain.cover import CoverInfeasible, Grid
from pairing.domain.people import Group, VillageMember


def squared_distance(a: Group, b: Group) -> float:
    """G06's distance²: degrees, longitude scaled by the cosine of the mean latitude."""
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    east = (a.lon - b.lon) * math.cos(math.radians((a.lat + b.lat) / 2))
    return (a.lat - b.lat) ** 2 + east**2


def spanning_tree(groups: Sequence[Group]) -> dict[str, list[str]]:
    """The minimum spanning tree of located 小组 (Kruskal; ties by the names), as neighbours."""
    edges: list[tuple[float, str, str]] = sorted(
        (squared_distance(a, b), min(a.name, b.name), max(a.name, b.name))
        for i, a in enumerate(groups)
        for b in groups[i + 1 :]
    )
    parent = {g.name: g.name for g in groups}

    def root(name: str) -> str:
        while parent[name] != name:
            name = parent[name]
        return name

    tree: dict[str, list[str]] = {g.name: [] for g in groups}
    for _, a, b in edges:
        if root(a) != root(b):
            parent[root(a)] = root(b)
            tree[a].append(b)
            tree[b].append(a)
    return tree


def _contiguous(small: Sequence[Group], limit: int) -> list[list[tuple[str, int]]]:
    """Cut the spanning tree into the fewest connected pieces of ≤ ``limit`` (bottom-up: a
    小组 takes its children's open pieces smallest first while they fit, closes the rest)."""
    tree, size = spanning_tree(small), {g.name: g.households for g in small}
    pieces: list[list[tuple[str, int]]] = []

    def close(name: str, parent: str) -> list[str]:
        open_: list[str] = [name]
        children = [close(c, name) for c in sorted(tree[name]) if c != parent]
        for piece in sorted(children, key=lambda p: (sum(size[n] for n in p), p)):
            if sum(size[n] for n in open_) + sum(size[n] for n in piece) <= limit:
                open_ += piece
            else:
                pieces.append([(n, size[n]) for n in sorted(piece)])
        return open_

    root = min(size)
    pieces.append([(n, size[n]) for n in sorted(close(root, ""))])
    return sorted(pieces)


def located(small: Sequence[Group]) -> bool:
    """Return whether G06 applies: two or more small 小组, every one with coordinates."""
    return len(small) > 1 and all(g.lat is not None and g.lon is not None for g in small)


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
    if located(small):
        return pieces + _contiguous(small, limit)
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
