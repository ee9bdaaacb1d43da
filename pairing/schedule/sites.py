"""The pairs of a plan as sites (unit, village, blackouts), and their independent groups.

Pairs are put in a canonical order (village order, then unit order, as in the workbook) so
that the result does not depend on the order the caller lists them in. Two pairs interact
only through a shared unit (S04) or a shared village (S05); the connected groups of the
unit-village graph are therefore independent models, solved one by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pairing.domain.errors import InputError, Issue
from pairing.domain.model import Problem, Unit, Village
from pairing.schedule.blackouts import Barred, barred_for_pair
from pairing.schedule.horizon import Horizon

PLAN_SHEET = "结对方案 assignments"


@dataclass(frozen=True, slots=True)
class Site:
    """One pair of the plan: the unit, the village and the blackouts that bar it."""

    unit: Unit
    village: Village
    barred: Barred


def resolve_pairs(
    problem: Problem, pairs: Sequence[tuple[str, str]], horizon: Horizon
) -> tuple[Site, ...]:
    """Return the pairs as sites in canonical order.

    Raises
    ------
    InputError
        When a pair names an unknown unit or village, or repeats.
    """
    issues: list[Issue] = []
    seen: set[tuple[int, int]] = set()
    for position, (unit_id, village_id) in enumerate(pairs, start=1):
        issue = _pair_issue(problem, unit_id, village_id, position)
        if issue is not None:
            issues.append(issue)
            continue
        key = (problem.village_index[village_id], problem.unit_index[unit_id])
        if key in seen:
            issues.append(
                Issue(
                    PLAN_SHEET,
                    None,
                    None,
                    f"结对 {unit_id}—{village_id} 重复",
                    f"pair {unit_id}-{village_id} is listed twice",
                )
            )
        seen.add(key)
    if issues:
        raise InputError(issues)
    return tuple(
        _site(problem, problem.units[unit], problem.villages[village], horizon)
        for village, unit in sorted(seen)
    )


def components(sites: Sequence[Site]) -> tuple[tuple[int, ...], ...]:
    """Return the connected groups of sites (sharing a unit or a village), in order."""
    parent = list(range(len(sites)))

    def root(item: int) -> int:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    first_of: dict[tuple[str, str], int] = {}
    for index, site in enumerate(sites):
        for key in (("unit", site.unit.id), ("village", site.village.id)):
            other = first_of.setdefault(key, index)
            low, high = sorted((root(index), root(other)))
            parent[high] = low
    groups: dict[int, list[int]] = {}
    for index in range(len(sites)):
        groups.setdefault(root(index), []).append(index)
    return tuple(tuple(members) for _, members in sorted(groups.items()))


def _pair_issue(problem: Problem, unit_id: str, village_id: str, position: int) -> Issue | None:
    missing = []
    if unit_id not in problem.unit_index:
        missing.append((f"单位编号「{unit_id}」", f"unit id '{unit_id}'"))
    if village_id not in problem.village_index:
        missing.append((f"村编号「{village_id}」", f"village id '{village_id}'"))
    if not missing:
        return None
    return Issue(
        PLAN_SHEET,
        None,
        None,
        f"第{position}个结对的" + "、".join(zh for zh, _ in missing) + "不在输入中",
        f"pair {position}: " + " and ".join(en for _, en in missing) + " not in the input",
    )


def _site(problem: Problem, unit: Unit, village: Village, horizon: Horizon) -> Site:
    return Site(unit, village, barred_for_pair(problem, unit, village, horizon))
