"""Match ledger rows to what each pair owes, and list the rows that match nothing.

A row matches when its unit and village are a pair of the plan, its activity is an
obligation (by code or by name, case- and space-insensitive), its date lies in the horizon
and it is not a repeat of an earlier row (same unit, village, obligation and date). Every
other row is listed with its reason, never dropped. A matched row lands in the period of its
obligation that holds its date.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from pairing.audit.ledger import Ledger, LedgerEntry
from pairing.audit.model import AuditPlan, Slot
from pairing.domain.cells import name_key, quote
from pairing.domain.model import Obligation, Problem

SlotKey = tuple[str, str, str]  # (unit_id, village_id, code)


@dataclass(frozen=True, slots=True)
class Unmatched:
    """A ledger row that matches no obligation of the plan, and why (zh / en)."""

    entry: LedgerEntry
    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class Matching:
    """The ledger's rows: matched to a slot, or unmatched with a reason."""

    matched: tuple[tuple[LedgerEntry, Slot], ...]
    unmatched: tuple[Unmatched, ...]


def leaders(problem: Problem) -> dict[str, int]:
    """Return how many 组长 each unit lists on the 队员 sheet.

    Parameters
    ----------
    problem
        The input.

    Returns
    -------
    dict[str, int]
        Unit id -> number of leaders (absent: none).
    """
    found: dict[str, int] = defaultdict(int)
    for member in problem.members:
        if member.role == "leader":
            found[member.unit_id] += 1
    return dict(found)


def slots_of(plan: AuditPlan) -> dict[SlotKey, list[Slot]]:
    """Return every pair's slots, by (unit, village, code), in date order.

    A leader duty (执行人 组长, not joint) owes its count once per leader of the unit (once when
    the 队员 sheet lists none), as each leader performs it (``models/SCHEDULE.md`` §3); a joint
    one is done by the leaders together, once per pair.

    Parameters
    ----------
    plan
        The plan.

    Returns
    -------
    dict
        Slot key -> slots.
    """
    obligations = {o.code: o for o in plan.problem.obligations}
    heads = leaders(plan.problem)
    found: dict[SlotKey, list[Slot]] = defaultdict(list)
    for unit_id, village_id in plan.pairs:
        for period in plan.periods:
            obligation = obligations[period.code]
            alone = obligation.who == "leader" and not obligation.joint
            performers = heads.get(unit_id, 1) if alone else 1
            slot = Slot(
                unit_id,
                village_id,
                period.code,
                period.label,
                period.first,
                period.last,
                period.owed * max(1, performers),
            )
            found[(unit_id, village_id, period.code)].append(slot)
    for slots in found.values():
        slots.sort(key=lambda slot: slot.first)
    return dict(found)


def activity_index(obligations: Iterable[Obligation]) -> dict[str, str]:
    """Return the code each spelling of an activity means (code or name, any case).

    Parameters
    ----------
    obligations
        The plan's obligations.

    Returns
    -------
    dict[str, str]
        Comparison key -> code.
    """
    index: dict[str, str] = {}
    for obligation in obligations:
        index.setdefault(name_key(obligation.code), obligation.code)
        index.setdefault(name_key(obligation.name), obligation.code)
        index.setdefault(name_key(f"{obligation.code} {obligation.name}"), obligation.code)
    return index


def _slot(slots: Sequence[Slot], entry: LedgerEntry) -> Slot | None:
    if entry.date is None:
        return None
    position = bisect.bisect_right(slots, entry.date, key=lambda slot: slot.first) - 1
    if position >= 0 and entry.date <= slots[position].last:
        return slots[position]
    return None


def reason(
    entry: LedgerEntry, plan: AuditPlan, pairs: Collection[tuple[str, str]], code: str | None
) -> tuple[str, str] | None:
    """Return why a row cannot be matched (zh, en), or ``None`` when it can.

    Parameters
    ----------
    entry
        The ledger row.
    plan
        The plan.
    pairs
        The plan's pairs.
    code
        The obligation the activity names, or ``None``.

    Returns
    -------
    tuple or None
        The first reason found.
    """
    problem = plan.problem
    if entry.date is None:
        return (
            f"日期「{quote(entry.date_text)}」无法识别",
            f"date '{quote(entry.date_text)}' cannot be read",
        )
    if entry.unit_id not in problem.unit_index:
        return f"未知单位「{quote(entry.unit_id)}」", f"unknown unit '{quote(entry.unit_id)}'"
    if entry.village_id not in problem.village_index:
        return (
            f"未知村「{quote(entry.village_id)}」",
            f"unknown village '{quote(entry.village_id)}'",
        )
    if code is None:
        return f"未知活动「{quote(entry.activity)}」", f"unknown activity '{quote(entry.activity)}'"
    if entry.status is None:
        return (
            f"未知状态「{quote(entry.status_text)}」",
            f"unknown status '{quote(entry.status_text)}'",
        )
    if not plan.start <= entry.date <= plan.end:
        return (
            f"日期 {entry.date} 不在方案期限 {plan.start}–{plan.end} 内",
            f"date {entry.date} lies outside the plan's horizon {plan.start}..{plan.end}",
        )
    if (entry.unit_id, entry.village_id) not in pairs:
        return (
            f"单位 {entry.unit_id} 与村 {entry.village_id} 没有结对",
            f"unit {entry.unit_id} is not paired with village {entry.village_id}",
        )
    return None


def match(plan: AuditPlan, ledger: Ledger, slots: Mapping[SlotKey, Sequence[Slot]]) -> Matching:
    """Match every ledger row to its slot, or list it with its reason.

    Parameters
    ----------
    plan
        The plan.
    ledger
        The ledger.
    slots
        The plan's slots (:func:`slots_of`).

    Returns
    -------
    Matching
        Matched and unmatched rows, in ledger order.
    """
    index = activity_index(plan.problem.obligations)
    pairs = set(plan.pairs)
    matched: list[tuple[LedgerEntry, Slot]] = []
    unmatched: list[Unmatched] = []
    seen: dict[tuple[object, ...], int] = {}
    for entry in ledger.entries:
        code = index.get(name_key(entry.activity))
        why = reason(entry, plan, pairs, code)
        key = (entry.unit_id, entry.village_id, code, entry.date)
        slot = (
            None
            if why or code is None
            else _slot(slots[(entry.unit_id, entry.village_id, code)], entry)
        )
        if why is None and key in seen:
            why = (f"与第{seen[key]}行重复", f"repeats row {seen[key]}")
        if why is not None or slot is None:
            unmatched.append(Unmatched(entry, *(why or ("无对应周期", "no period holds it"))))
            continue
        seen[key] = entry.row
        matched.append((entry, slot))
    return Matching(tuple(matched), tuple(unmatched))
