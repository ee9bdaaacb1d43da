"""The last round, read for P18: 单位变更 unit changes and 基线结对 baseline pairs.

``solve --baseline PLAN`` reads PLAN's 结对方案 pairs (only the two id columns: a baseline the
planner moved a pair in by hand is still the plan they want kept) into a 基线结对 table of the
input, so that the new plan's input copies hold them and ``verify`` recomputes P18 from the
plan alone. 单位变更 says which unit a baseline id is now: merged and renamed units carry their
pairs, history, rules and scores; a removed unit's pairs are forced changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pairing.domain import plan_schema as layout
from pairing.domain.cells import clean_text, quote
from pairing.domain.errors import InputError, Issue
from pairing.domain.model import BaselinePair, UnitChange
from pairing.domain.schema import BASELINE
from pairing.io.build import Collector, rows
from pairing.io.tables import RawBook, RawTable, to_table
from pairing.sheets import Limits, input_sha256, match_columns, read_grids


@dataclass(frozen=True, slots=True)
class Changes:
    """单位变更 as read: the rows, each old id's unit now, and the removed ids."""

    changes: tuple[UnitChange, ...] = ()
    renamed: Mapping[str, str] = field(default_factory=dict)
    removed: frozenset[str] = frozenset()


def read_unit_changes(table: RawTable | None, units: frozenset[str], issues: Collector) -> Changes:
    """Read 单位变更; an unknown new id, a cycle or an old id still on 单位 is an error."""
    changes: list[UnitChange] = []
    seen: dict[str, int] = {}
    for r in rows(table, issues):
        old, new = r.required("old_unit_id"), r.text("new_unit_id")
        kind: Any = r.choice("kind", None)
        if old in units:
            r.fail(
                "old_unit_id",
                f"「{quote(old)}」仍在单位表中：合并、更名或撤销的旧编号应从单位表删去",
                f"'{quote(old)}' is still on the units sheet: a merged, renamed or removed "
                "unit's old id must be gone from it",
            )
        if old in seen:
            r.fail("old_unit_id", f"与第{seen[old]}行重复", f"repeats row {seen[old]}")
        if kind == "removed" and new:
            r.fail("new_unit_id", "撤销的单位不应有新编号", "a removed unit has no new id")
        if kind in ("merge", "rename") and not new:
            r.required("new_unit_id")
        seen.setdefault(old, r.row)
        if r.ok and kind is not None:
            changes.append(UnitChange(old, new, kind, r.text("note"), r.row))
    return _resolved(changes, units, issues, table)


def _resolved(
    changes: list[UnitChange], units: frozenset[str], issues: Collector, table: RawTable | None
) -> Changes:
    """Follow each old id to a unit on 单位 (A→B→C is C); name cycles and dead ends."""
    step = {c.old_unit_id: c for c in changes}
    renamed: dict[str, str] = {}
    removed: set[str] = set()
    for change in changes:
        path, at = [change.old_unit_id], step[change.old_unit_id]
        while at.kind != "removed" and at.new_unit_id in step and at.new_unit_id not in path:
            path.append(at.new_unit_id)
            at = step[at.new_unit_id]
        if at.kind == "removed":
            removed.add(change.old_unit_id)
        elif at.new_unit_id in path:
            _fail(issues, table, change, "成环", "form a cycle", " → ".join([*path, path[0]]))
        elif at.new_unit_id not in units:
            chain = " → ".join([*path, at.new_unit_id])
            _fail(
                issues, table, change, "指向不在单位表中的编号", "lead to an id not on 单位", chain
            )
        else:
            renamed[change.old_unit_id] = at.new_unit_id
    return Changes(tuple(changes), renamed, frozenset(removed))


def _fail(
    issues: Collector, table: RawTable | None, change: UnitChange, zh: str, en: str, path: str
) -> None:
    assert table is not None  # a change was read from it
    issues.add(
        table.spec,
        change.row,
        "new_unit_id",
        f"单位变更{zh}：{quote(path)}；请更正新单位编号",
        f"the unit changes {en}: {quote(path)}; correct new_unit_id",
    )


def read_baseline(
    table: RawTable | None, changes: Changes, issues: Collector
) -> list[BaselinePair]:
    """Read 基线结对: each pair with its unit's id now ("" when removed).

    Ids no longer on 单位 or 村 are no error: such a pair is a forced change (P18).
    """
    pairs: list[BaselinePair] = []
    seen: dict[tuple[str, str], int] = {}
    for r in rows(table, issues):
        unit_id, village_id = r.required("unit_id"), r.required("village_id")
        if (unit_id, village_id) in seen:
            row = seen[(unit_id, village_id)]
            r.fail("village_id", f"与第{row}行重复", f"repeats row {row}")
        seen.setdefault((unit_id, village_id), r.row)
        now = "" if unit_id in changes.removed else changes.renamed.get(unit_id, unit_id)
        if r.ok:
            pairs.append(BaselinePair(now, village_id, unit_id, r.row))
    return pairs


@dataclass(frozen=True, slots=True)
class BaselinePlan:
    """A baseline plan's pairs as a 基线结对 table, and the file's SHA-256."""

    table: RawTable
    sha256: str
    path: Path


def read_baseline_plan(path: Path, limits: Limits | None = None) -> BaselinePlan:
    """Read the (village_id, unit_id) columns of a plan workbook's 结对方案 sheet."""
    path = Path(path)
    title = layout.ASSIGNMENTS.title
    grid = read_grids(path, limits, wanted=lambda name: name == title).get(title)  # only it
    if grid is None or not grid:
        raise InputError([_not_a_plan(path)])
    columns = match_columns(layout.ASSIGNMENTS, grid[0])
    if "unit_id" not in columns or "village_id" not in columns:
        raise InputError([_not_a_plan(path)])
    at_unit, at_village = columns["unit_id"], columns["village_id"]
    pairs = [
        (_cell(values, at_unit), _cell(values, at_village))
        for values in grid[1:]
        if _cell(values, at_unit) or _cell(values, at_village)
    ]
    header = tuple(column.header for column in BASELINE.columns)
    table = to_table(BASELINE, BASELINE.title, [header, *pairs])
    assert isinstance(table, RawTable)  # the header is the contract's own
    return BaselinePlan(table, input_sha256(path, limits), path)


def _cell(values: tuple[object, ...], at: int) -> str:
    return clean_text(values[at]) if at < len(values) else ""


def _not_a_plan(path: Path) -> Issue:
    return Issue(
        path.name,
        None,
        None,
        "基线不是 pairing 方案工作簿（缺少「结对方案」表或其单位编号、村编号列）",
        "the baseline is not a pairing plan workbook (no 结对方案 sheet with unit_id and "
        "village_id columns)",
    )


def with_baseline(book: RawBook, baseline: BaselinePlan) -> RawBook:
    """``book`` with its 基线结对 table replaced by the baseline plan's pairs."""
    return replace(book, tables={**book.tables, BASELINE.key: baseline.table})
