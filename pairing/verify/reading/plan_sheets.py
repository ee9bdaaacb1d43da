"""The plan's own sheets as the verifier reads them: pairs, views, summary and provenance.

Sheets and columns are found by their contract names (``中文 (english_key)``), so a plan
whose columns were reordered by hand still reads. What each cell *claims* (score terms,
distances, totals) is kept as written, to be compared with what the verifier recomputes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from pairing.domain import plan_schema as layout
from pairing.domain.cells import CellError, clean_text, parse_date, parse_float
from pairing.domain.plan_schema import PAIR_RULES, UNIT_RULES, VILLAGE_RULES, requiring
from pairing.verify.reading.grids import Grids
from pairing.verify.reading.tables import Row, Table, find_table
from pairing.verify.report.findings import INTEGRITY, Finding

ASSIGNMENTS = requiring(layout.ASSIGNMENTS, "village_id", "unit_id")
BY_VILLAGE = requiring(layout.BY_VILLAGE, "village_id")
BY_UNIT = requiring(layout.BY_UNIT, "unit_id")
SUMMARY = requiring(layout.SUMMARY, "key", "value")
PROVENANCE = requiring(layout.PROVENANCE, "key", "value")
SCHEDULE_FACTS = requiring(layout.SCHEDULE_FACTS, "key", "value")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Claimed:
    """Numbers a sheet row states, by column key (``None``: blank; absent: unreadable)."""

    row: int
    owner: str
    values: Mapping[str, float | None]


@dataclass(frozen=True, slots=True)
class PairRow:
    """One row of 结对方案 with what it claims."""

    row: int
    unit_id: str
    village_id: str
    claimed: Claimed


@dataclass(frozen=True, slots=True)
class KeyValues:
    """A key/value sheet (指标, 来源): each key's row and value."""

    sheet: str
    values: Mapping[str, tuple[int, object]] = field(default_factory=dict)

    def date(self, key: str) -> dt.date | None:
        """Return the value of ``key`` (``start``) as a date (``None`` when absent or not one)."""
        return self._parsed(key, parse_date)

    def number(self, key: str) -> float | None:
        """Return the value of ``key`` (``objective``) as a number (``None`` when absent or not
        one)."""
        return self._parsed(key, parse_float)

    def _parsed(self, key: str, parse: Callable[[object], T]) -> T | None:
        found = self.values.get(key)
        if found is None:
            return None
        try:
            return parse(found[1])
        except CellError:
            return None


@dataclass(frozen=True, slots=True)
class PlanSheets:
    """Everything the plan states about itself.

    - ``pairs``: the 结对方案 rows with both ids.
    - ``assignments``: the 结对方案 sheet's name.
    - ``villages``, ``units``: 村视图 / 单位视图 rows by id, or ``None`` when the sheet is missing.
    - ``village_sheet``, ``unit_sheet``: their names.
    - ``summary``, ``provenance``, ``schedule_facts``: the 指标, 来源 and 日程指标 sheets (the last holds
      the schedule's horizon).
    - ``findings``: what could not be read (``INT``).
    """

    pairs: tuple[PairRow, ...]
    assignments: str
    villages: Mapping[str, Claimed] | None
    village_sheet: str
    units: Mapping[str, Claimed] | None
    unit_sheet: str
    summary: KeyValues
    provenance: KeyValues
    schedule_facts: KeyValues
    findings: tuple[Finding, ...]


def claimed(
    table: Table, number: int, values: Row, owner: str, keys: tuple[str, ...], sink: list[Finding]
) -> Claimed:
    """Return the numbers a row claims in columns ``keys``; unreadable ones are recorded.

    - ``table``: the table.
    - ``number``: the Excel row.
    - ``values``: the row.
    - ``owner``: the id the row is about.
    - ``keys``: column keys to read.

    Returns the numbers (blank cells as ``None``; unreadable cells left out).
    """
    found: dict[str, float | None] = {}
    for key in keys:
        if key not in table.columns:
            continue
        cell = table.get(values, key)
        if clean_text(cell) == "":
            found[key] = None
            continue
        try:
            found[key] = parse_float(cell)
        except CellError as error:
            sink.append(
                Finding(
                    INTEGRITY, table.sheet, number, f"「{key}」{error.zh}", f"'{key}': {error.en}"
                )
            )
    return Claimed(number, owner, found)


def read_pairs(table: Table, sink: list[Finding]) -> tuple[PairRow, ...]:
    """Return the 结对方案 rows; a row with one id only is recorded.

    ``table``: the assignments table.

    Returns rows with both ids, in sheet order.
    """
    keys = ("distance_km", *PAIR_RULES, "pair_points")
    pairs = []
    for number, values in table.rows:
        unit_id, village_id = table.text(values, "unit_id"), table.text(values, "village_id")
        if not unit_id or not village_id:
            sink.append(
                Finding(
                    INTEGRITY,
                    table.sheet,
                    number,
                    "结对行缺少单位编号或村编号",
                    "a pair row lacks its unit id or village id",
                )
            )
            continue
        row = claimed(table, number, values, unit_id, keys, sink)
        pairs.append(PairRow(number, unit_id, village_id, row))
    return tuple(pairs)


def read_view(
    table: Table | None, key: str, rules: tuple[str, ...], sink: list[Finding]
) -> Mapping[str, Claimed] | None:
    """Return a view's rows by id (村视图 by village, 单位视图 by unit).

    - ``table``: the view, or ``None`` when missing.
    - ``key``: the id column.
    - ``rules``: the rule columns to read.

    Returns id -> claimed terms; a repeated id is recorded and its first row kept.
    """
    if table is None:
        return None
    found: dict[str, Claimed] = {}
    for number, values in table.rows:
        owner = table.text(values, key)
        if owner in found:
            sink.append(
                Finding(
                    INTEGRITY, table.sheet, number, f"「{owner}」重复出现", f"'{owner}' repeats"
                )
            )
            continue
        found[owner] = claimed(table, number, values, owner, rules, sink)
    return found


def read_key_values(table: Table | None, title: str) -> KeyValues:
    """Return a key/value sheet (first row of each key wins).

    ``table``: the table, or ``None`` when missing; ``title``: the name to cite when missing.

    Returns key -> (row, value).
    """
    if table is None:
        return KeyValues(title)
    found: dict[str, tuple[int, object]] = {}
    for number, values in table.rows:
        found.setdefault(table.text(values, "key"), (number, table.get(values, "value")))
    return KeyValues(table.sheet, found)


def read_plan_sheets(grids: Grids, assignments: Table) -> PlanSheets:
    """Return what the plan states about itself.

    ``assignments``: its 结对方案 table (found by the caller, who refuses a workbook without one).

    Returns pairs, views, summary, provenance and unreadable cells.
    """
    sink: list[Finding] = []
    pairs = read_pairs(assignments, sink)
    by_village = find_table(grids, BY_VILLAGE)
    by_unit = find_table(grids, BY_UNIT)
    return PlanSheets(
        pairs,
        assignments.sheet,
        read_view(by_village, "village_id", VILLAGE_RULES, sink),
        by_village.sheet if by_village else BY_VILLAGE.title,
        read_view(by_unit, "unit_id", UNIT_RULES, sink),
        by_unit.sheet if by_unit else BY_UNIT.title,
        read_key_values(find_table(grids, SUMMARY), SUMMARY.title),
        read_key_values(find_table(grids, PROVENANCE), PROVENANCE.title),
        read_key_values(find_table(grids, SCHEDULE_FACTS), SCHEDULE_FACTS.title),
        tuple(sink),
    )
