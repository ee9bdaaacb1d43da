"""Lagging units (落后单位) for 提醒约谈: completion below ``lagging_threshold``, ranked.

Ranked from the lowest completion up (then the most records missing, then the unit id), each
with what it missed: per obligation, how many records and in which periods and villages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pairing.audit.compliance import SlotResult, Tally

MAX_PERIODS_LISTED = 6


@dataclass(frozen=True, slots=True)
class Missed:
    """What a unit missed of one obligation: how many records, and where and when."""

    code: str
    count: int
    periods: tuple[str, ...]

    def words(self) -> str:
        """Return ``LAB ×3 (V001 2027-02, V001 2027-04, …)``."""
        shown = ", ".join(self.periods[:MAX_PERIODS_LISTED])
        more = ", …" if len(self.periods) > MAX_PERIODS_LISTED else ""
        return f"{self.code} ×{self.count} ({shown}{more})"


@dataclass(frozen=True, slots=True)
class Lagging:
    """A lagging unit, its rank and what it missed."""

    rank: int
    unit_id: str
    tally: Tally
    missed: tuple[Missed, ...]

    def missed_words(self) -> str:
        """Return what was missed, obligation by obligation, most first."""
        return "；".join(item.words() for item in self.missed)


def missed_of(results: Iterable[SlotResult]) -> dict[str, tuple[Missed, ...]]:
    """Return what each unit missed, by obligation, most missed first.

    Parameters
    ----------
    results
        The slots' results.

    Returns
    -------
    dict
        Unit id -> missed obligations.
    """
    counts: dict[tuple[str, str], int] = defaultdict(int)
    where: dict[tuple[str, str], list[str]] = defaultdict(list)
    for result in results:
        if result.due and result.tally.missing:
            slot = result.slot
            counts[(slot.unit_id, slot.code)] += result.tally.missing
            where[(slot.unit_id, slot.code)].append(f"{slot.village_id} {slot.label}")
    found: dict[str, list[Missed]] = defaultdict(list)
    for (unit_id, code), count in counts.items():
        found[unit_id].append(Missed(code, count, tuple(where[(unit_id, code)])))
    return {
        unit_id: tuple(sorted(items, key=lambda m: (-m.count, m.code)))
        for unit_id, items in found.items()
    }


def lagging_units(
    by_unit: Mapping[str, Tally], results: Iterable[SlotResult], threshold: float
) -> tuple[Lagging, ...]:
    """Return the units whose completion is below ``threshold``, ranked for 提醒约谈.

    Parameters
    ----------
    by_unit
        Each unit's tally (units that owed nothing are never lagging).
    results
        The slots' results.
    threshold
        ``lagging_threshold`` (0.8 by default).

    Returns
    -------
    tuple[Lagging, ...]
        Lowest completion first.
    """
    missed = missed_of(results)
    behind = [
        (unit_id, tally)
        for unit_id, tally in by_unit.items()
        if tally.owed and tally.completion < threshold
    ]
    behind.sort(key=lambda item: (item[1].completion, -item[1].missing, item[0]))
    return tuple(
        Lagging(rank, unit_id, tally, missed.get(unit_id, ()))
        for rank, (unit_id, tally) in enumerate(behind, start=1)
    )
