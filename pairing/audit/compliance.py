"""Compliance: what each slot got from the ledger, and the totals by unit, village,
obligation and month.

A slot is **due** when its period has ended by the audit date (``--as-of``); a later one is
not owed yet, and rows in it are counted as in progress. In a due slot the first ``owed``
rows (by date) fulfil it, each as its status says (已完成 done, 逾期 late, 补报 filed late);
more rows are extra; fewer leave the rest missing. Completion is fulfilled / owed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from pairing.audit.ledger import LedgerEntry
from pairing.audit.model import Slot

SlotKey = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class Tally:
    """Counts of ledger records against what was owed.

    Attributes
    ----------
    owed
        Records owed by due slots.
    done, late, filed_late
        Records that fulfil them, by status.
    missing
        Records owed and not found.
    extra
        Records beyond what a due slot owed.
    """

    owed: int = 0
    done: int = 0
    late: int = 0
    filed_late: int = 0
    missing: int = 0
    extra: int = 0

    def __add__(self, other: Tally) -> Tally:
        """Return the sum of two tallies."""
        return Tally(
            self.owed + other.owed,
            self.done + other.done,
            self.late + other.late,
            self.filed_late + other.filed_late,
            self.missing + other.missing,
            self.extra + other.extra,
        )

    @property
    def fulfilled(self) -> int:
        """Return the records that fulfil an owed one, whatever their status."""
        return self.done + self.late + self.filed_late

    @property
    def completion(self) -> float:
        """Return fulfilled / owed (1.0 when nothing is owed)."""
        return self.fulfilled / self.owed if self.owed else 1.0


@dataclass(frozen=True, slots=True)
class SlotResult:
    """One slot after the ledger: its tally (due slots only) and its records."""

    slot: Slot
    due: bool
    tally: Tally
    records: int


def tally(slot: Slot, entries: Sequence[LedgerEntry]) -> Tally:
    """Return a due slot's tally from its records.

    Parameters
    ----------
    slot
        The slot.
    entries
        Its matched ledger rows.

    Returns
    -------
    Tally
        Owed, fulfilled by status, missing and extra.
    """
    ordered = sorted(entries, key=lambda e: (e.date or dt.date.min, e.row))
    used = ordered[: slot.owed]
    status = [e.status for e in used]
    return Tally(
        slot.owed,
        status.count("done"),
        status.count("late"),
        status.count("filed_late"),
        slot.owed - len(used),
        len(ordered) - len(used),
    )


def slot_results(
    slots: Mapping[SlotKey, Sequence[Slot]],
    matched: Iterable[tuple[LedgerEntry, Slot]],
    as_of: dt.date,
) -> list[SlotResult]:
    """Return every slot with what the ledger gave it.

    Parameters
    ----------
    slots
        The plan's slots.
    matched
        The matched rows.
    as_of
        The audit date: slots whose period ends later are not due.

    Returns
    -------
    list[SlotResult]
        One per slot, in pair, obligation and date order.
    """
    records: dict[Slot, list[LedgerEntry]] = defaultdict(list)
    for entry, slot in matched:
        records[slot].append(entry)
    results = []
    for key in sorted(slots):
        for slot in slots[key]:
            mine = records.get(slot, [])
            due = slot.last <= as_of
            results.append(SlotResult(slot, due, tally(slot, mine) if due else Tally(), len(mine)))
    return results


def totals_by(results: Iterable[SlotResult], key: Callable[[Slot], str]) -> dict[str, Tally]:
    """Return the tallies of due slots summed by ``key``.

    Parameters
    ----------
    results
        The slots' results.
    key
        What to group by (``lambda slot: slot.unit_id``).

    Returns
    -------
    dict[str, Tally]
        Group -> summed tally, in key order.
    """
    sums: dict[str, Tally] = defaultdict(Tally)
    for result in results:
        if result.due:
            sums[key(result.slot)] += result.tally
    return dict(sorted(sums.items()))
