"""Partition by a column of the input (``--partition-by 县``).

The column is an extra column, present on both the 单位 units and the 村 villages sheets and
found like any header (case-, space- and width-insensitive; ``县``, ``county`` and
``县 (county)`` all find ``县 (county)``). Every unit and village must name a part, every part
must have units and villages, and every history, rule and score row must stay within one
part; anything else is an input error naming the sheet, row and column (exit 3).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from pairing.domain.cells import clean_text, name_candidates, quote
from pairing.domain.errors import InputError, Issue
from pairing.domain.model import BaselinePair, PairRule, PastPairing, Problem, Score
from pairing.domain.schema import BASELINE, HISTORY, RULES_SHEET, SCORES, UNITS, VILLAGES, Sheet
from pairing.io.build import MAX_ISSUES
from pairing.io.reader import Input
from pairing.io.tables import RawTable
from pairing.province.parts import Assignment

SIDES = (UNITS, VILLAGES)


class Record(Protocol):
    """A unit or a village: an id and the Excel row it came from."""

    @property
    def id(self) -> str:
        """The unit's or village's id."""

    @property
    def row(self) -> int:
        """The Excel row it came from."""


@dataclass(frozen=True, slots=True)
class Located:
    """The partition column on one sheet: where it is and each row's value."""

    sheet: Sheet
    header: str
    header_row: int
    values: Mapping[int, str]

    def other(self) -> Sheet:
        """Return the sheet on the other side (units for villages and back)."""
        return VILLAGES if self.sheet is UNITS else UNITS


def by_column(source: Input, column: str) -> Assignment:
    """Return the part of every unit and village by the value of ``column``.

    Parameters
    ----------
    source
        The read input (its raw tables hold the extra column).
    column
        The column's name as the user typed it.

    Returns
    -------
    Assignment
        Parts keyed by the column's values, in sorted order.

    Raises
    ------
    InputError
        When the column is missing, a value is blank or on one side only, or a history,
        rule or score row pairs a unit and a village of different parts.
    """
    located = [_locate(source.book.tables.get(sheet.key), sheet, column) for sheet in SIDES]
    missing = [issue for issue in located if isinstance(issue, Issue)]
    if missing:
        raise InputError(missing)
    units, villages = (loc for loc in located if isinstance(loc, Located))
    problem = source.problem
    unit_values = {u.id: units.values.get(u.row, "") for u in problem.units}
    village_values = {v.id: villages.values.get(v.row, "") for v in problem.villages}
    issues = [
        *_blank_or_alone(units, problem.units, unit_values, set(village_values.values())),
        *_blank_or_alone(villages, problem.villages, village_values, set(unit_values.values())),
    ]
    if not issues:
        issues = _crossing(problem, unit_values, village_values)
    if issues:
        raise InputError(_capped(issues))
    keys = tuple(sorted(set(village_values.values())))
    index = {key: i for i, key in enumerate(keys)}
    return Assignment(
        keys,
        {unit: index[value] for unit, value in unit_values.items()},
        {village: index[value] for village, value in village_values.items()},
    )


def find_header(headers: Sequence[str], column: str) -> int | None:
    """Return the index of the first header that spells ``column``, or None."""
    wanted = name_candidates(column)
    for index, header in enumerate(headers):
        if wanted & name_candidates(header):
            return index
    return None


def _locate(table: RawTable | None, sheet: Sheet, column: str) -> Located | Issue:
    """Find the column on one sheet and read every row's value (cleaned text)."""
    index = None if table is None else find_header(table.headers, column)
    if table is None or index is None:
        return Issue(
            sheet.title,
            None if table is None else table.header_row,
            column,
            f"「{sheet.zh}」表没有分区列「{quote(column)}」；请在单位表和村表都加上这一列",
            f"the {sheet.key} sheet has no partition column '{quote(column)}'; add it to both "
            "the units and the villages sheets",
        )
    values = {
        number: clean_text(row[index]) if index < len(row) else "" for number, row in table.rows
    }
    return Located(sheet, table.headers[index], table.header_row, values)


def _blank_or_alone(
    located: Located,
    records: Iterable[Record],
    values: Mapping[str, str],
    other_side: set[str],
) -> list[Issue]:
    """Issues for rows of one side whose value is blank or absent from the other side."""
    issues = []
    other = located.other()
    for record in records:
        record_id, row = record.id, record.row
        value = values[record_id]
        if not value:
            issues.append(
                Issue(
                    located.sheet.title,
                    row,
                    located.header,
                    f"「{record_id}」的分区列为空；请填写所属分区",
                    f"'{record_id}' has no value in the partition column; fill it in",
                )
            )
        elif value not in other_side:
            issues.append(
                Issue(
                    located.sheet.title,
                    row,
                    located.header,
                    f"分区「{quote(value)}」在「{other.zh}」表中没有；请检查拼写，或在该表补上",
                    f"part '{quote(value)}' does not occur on the {other.key} sheet; check the "
                    "spelling or add its rows there",
                )
            )
    return issues


def _crossing(
    problem: Problem, unit_values: Mapping[str, str], village_values: Mapping[str, str]
) -> list[Issue]:
    """Issues for history, rule, score and baseline rows whose unit and village are in different
    parts."""
    known = [
        b for b in problem.baseline if b.unit_id in unit_values and b.village_id in village_values
    ]
    sheets: tuple[tuple[Sheet, Sequence[PastPairing | PairRule | Score | BaselinePair]], ...] = (
        (HISTORY, problem.history),
        (RULES_SHEET, problem.rules),
        (SCORES, problem.scores),
        (BASELINE, known),  # a baseline pair across parts could never be kept
    )
    issues = []
    for sheet, records in sheets:
        for record in records:
            unit_part = unit_values[record.unit_id]
            village_part = village_values[record.village_id]
            if unit_part != village_part:
                issues.append(
                    Issue(
                        sheet.title,
                        record.row,
                        sheet.column("village_id").header,
                        f"单位 {record.unit_id} 属于「{quote(unit_part)}」，村 {record.village_id} "
                        f"属于「{quote(village_part)}」：此行跨越分区；请删去此行或不分区求解",
                        f"unit {record.unit_id} is in part '{quote(unit_part)}' and village "
                        f"{record.village_id} in '{quote(village_part)}': this row crosses parts; "
                        "remove it or solve without a partition",
                    )
                )
    return issues


def _capped(issues: list[Issue]) -> list[Issue]:
    """Return at most MAX_ISSUES issues, with one more that counts the rest."""
    if len(issues) <= MAX_ISSUES:
        return issues
    rest = len(issues) - MAX_ISSUES
    return [
        *issues[:MAX_ISSUES],
        Issue(
            issues[MAX_ISSUES].sheet,
            None,
            None,
            f"另有 {rest:,} 处问题未列出；请先改正以上问题",
            f"{rest:,} more problems are not listed; fix those above first",
        ),
    ]
