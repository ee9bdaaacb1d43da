"""G06 re-derived: where every small 小组 of a village has coordinates, each grid's 小组 are
connected in the village's minimum spanning tree over them (models/COVER.md, grids).

The tree is built here again (Prim's algorithm, edges ordered by distance² then the two
names, so that it is the one tree the writer's Kruskal builds); only the formula is shared.
"""

from __future__ import annotations

import math
from collections import defaultdict

from pairing.verify.cover.grids import _at
from pairing.verify.cover.reading import Group, People
from pairing.verify.cover.stated import Stated
from pairing.verify.report.findings import Finding


def _distance2(a: Group, b: Group) -> float:
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    east = (a.lon - b.lon) * math.cos(math.radians((a.lat + b.lat) / 2))
    return (a.lat - b.lat) ** 2 + east**2


def _tree(groups: list[Group]) -> dict[str, set[str]]:
    """Prim over the total edge order (distance², smaller name, larger name); O(n²)."""
    by_name = {g.name: g for g in groups}
    links: dict[str, set[str]] = {name: set() for name in by_name}
    newest = min(by_name)
    outside = set(by_name) - {newest}
    best: dict[str, tuple[tuple[float, str, str], str]] = {}  # outside → (least edge, from)
    while outside:
        for name in outside:
            a, b = by_name[newest], by_name[name]
            key = (_distance2(a, b), min(a.name, b.name), max(a.name, b.name))
            if name not in best or key < best[name][0]:
                best[name] = (key, newest)
        newest = min(outside, key=lambda n: best[n][0])
        parent = best.pop(newest)[1]
        links[parent].add(newest)
        links[newest].add(parent)
        outside.discard(newest)
    return links


def _connected(names: set[str], links: dict[str, set[str]]) -> bool:
    seen, todo = set(), [min(names)]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += [n for n in links[name] if n in names]
    return seen == names


def contiguity(people: People, stated: Stated, limit: int, sink: list[Finding]) -> None:
    """G06: a grid of several small 小组 of a located village is connected in its tree."""
    small: dict[str, list[Group]] = defaultdict(list)
    for g in people.groups:
        if g.village_id in stated.pairs and g.households <= limit:
            small[g.village_id].append(g)
    trees = {
        v: _tree(groups)
        for v, groups in small.items()
        if len(groups) > 1 and all(g.lat is not None and g.lon is not None for g in groups)
    }
    for grid in stated.grids:
        links = trees.get(grid.village_id)
        names = set(grid.groups)
        if links is None or len(names) < 2 or not names <= links.keys():
            continue  # not located, one 小组, or a 小组 G02/G03 already reports
        if not _connected(names, links):
            sink.append(
                _at(
                    stated,
                    grid,
                    "G06",
                    f"网格 {grid.id} 的小组 {'、'.join(grid.groups)} 在本村最小生成树上不相连",
                    f"grid {grid.id}: its groups are not connected in the village's "
                    "minimum spanning tree",
                    "groups",
                )
            )
