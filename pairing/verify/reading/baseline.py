"""单位变更 and 基线结对 as the verifier reads them (P18), with code of its own.

The solver side reads them in :mod:`pairing.io.baseline`; which unit a baseline id is now is
where a reader can be wrong (a chain of merges, a removed unit), so it is read twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pairing.domain.model import BaselinePair, UnitChange
from pairing.domain.schema import UNIT_CHANGE_KINDS
from pairing.verify.reading.records import rows
from pairing.verify.reading.tables import Table
from pairing.verify.report.findings import Finding


@dataclass(frozen=True, slots=True)
class UnitMoves:
    """Each merged or renamed unit's id now, the removed ids, and the rows read."""

    changes: tuple[UnitChange, ...] = ()
    now: Mapping[str, str] = field(default_factory=dict)
    removed: frozenset[str] = frozenset()


def read_unit_changes(table: Table | None, units: frozenset[str], sink: list[Finding]) -> UnitMoves:
    """Read 单位变更 and follow each old id to a unit of 单位 (a cycle or dead end: a finding)."""
    changes: list[UnitChange] = []
    for r in rows(table, sink):
        old, new = r.required("old_unit_id"), r.text("new_unit_id")
        kind: Any = r.choice("kind", UNIT_CHANGE_KINDS, None)
        if kind is None:
            r.required("kind")
        if old in units:
            r.fail(f"原单位编号「{old}」仍在单位表中", f"old unit id '{old}' is still a unit")
        if not r.failed and kind is not None:
            changes.append(UnitChange(old, new, kind, r.text("note"), r.number))
    by_old = {c.old_unit_id: c for c in changes}
    now: dict[str, str] = {}
    removed: set[str] = set()
    for change in changes:
        seen, at = {change.old_unit_id}, change
        while at.kind != "removed" and at.new_unit_id in by_old and at.new_unit_id not in seen:
            seen.add(at.new_unit_id)
            at = by_old[at.new_unit_id]
        if at.kind == "removed":
            removed.add(change.old_unit_id)
        elif at.new_unit_id in units:
            now[change.old_unit_id] = at.new_unit_id
    return UnitMoves(tuple(changes), now, frozenset(removed))


def read_baseline(table: Table | None, moves: UnitMoves, sink: list[Finding]) -> list[BaselinePair]:
    """Read 基线结对: each pair with its unit's id now ("" when the unit was removed)."""
    found = []
    for r in rows(table, sink):
        unit_id, village_id = r.required("unit_id"), r.required("village_id")
        now = "" if unit_id in moves.removed else moves.now.get(unit_id, unit_id)
        if not r.failed:
            found.append(BaselinePair(now, village_id, unit_id, r.number))
    return found
