"""Reading a cover's 包户 sheet and a 走访记录 visits ledger, for the visit audit (issue 18).

The cover is read by its own headers (:data:`pairing.domain.cover_schema.COVER`), not by the
code that wrote it: who looks after each household (team, unit member, village member), with
the names a reader looks people up by. The lagging threshold comes from the cover's copy of
the 参数 sheet (``输入·参数 settings``; the default when it has none). The visits ledger is read
strictly: a row without a household or a readable date, or naming a household the cover does
not hold, is an input error naming file, sheet, row and column (exit 3).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pairing.domain import cover_schema as cs
from pairing.domain.cells import CellError, clean_text, parse_date, quote
from pairing.domain.errors import InputError, Issue
from pairing.domain.model import Settings
from pairing.domain.schema import SETTINGS, VISITS, Sheet
from pairing.domain.settings import build_settings
from pairing.sheets import find_header, match_columns, match_sheet

Grid = Sequence[Sequence[object]]
SETTINGS_COPY = f"{cs.INPUT_PREFIX}{SETTINGS.title}"
COVER_FIELDS = (
    "household_id",
    "village_id",
    "village_name",
    "head",
    "group",
    "team_id",
    "unit_member_id",
    "unit_member_name",
    "unit_id",
    "unit_name",
    "village_member_id",
    "village_member_name",
)
REQUIRED_COVER = ("household_id", "village_id", "team_id")


@dataclass(frozen=True, slots=True)
class Covered:
    """A household of the cover and who looks after it."""

    household_id: str
    village_id: str
    village_name: str
    head: str
    group: str
    team_id: str
    unit_member_id: str
    unit_member_name: str
    unit_id: str
    unit_name: str
    village_member_id: str
    village_member_name: str


@dataclass(frozen=True, slots=True)
class Visit:
    """One row of the visits ledger."""

    row: int
    household_id: str
    date: dt.date
    visitor: str


@dataclass(frozen=True, slots=True)
class VisitLedger:
    """The visits ledger's sheet name and rows."""

    sheet: str
    visits: tuple[Visit, ...]


def holds_cover(grids: Mapping[str, Grid]) -> bool:
    """Return whether the workbook is a cover (it has the 包户 cover sheet)."""
    return cs.COVER.title in grids


def _header(sheet: Sheet, key: str) -> str:
    return next(c.header for c in sheet.columns if c.key == key)


def _cell(row: Sequence[object], columns: Mapping[str, int], key: str) -> str:
    index = columns.get(key)
    return clean_text(row[index]) if index is not None and index < len(row) else ""


def read_covered(grids: Mapping[str, Grid], source: str) -> tuple[Covered, ...]:
    """Return the households of the cover's 包户 sheet; raise InputError when one is unreadable."""
    grid = grids.get(cs.COVER.title) or [[]]
    columns = match_columns(cs.COVER, grid[0])
    sheet = f"{source} · {cs.COVER.title}"
    absent = [_header(cs.COVER, key) for key in REQUIRED_COVER if key not in columns]
    if absent:
        raise InputError(
            [
                Issue(
                    sheet,
                    1,
                    None,
                    f"包户表缺少列 {'、'.join(absent)}",
                    f"the cover sheet lacks {', '.join(absent)}",
                )
            ]
        )
    found: list[Covered] = []
    seen: dict[str, int] = {}
    issues: list[Issue] = []
    for number, row in enumerate(grid[1:], start=2):
        cells = [_cell(row, columns, key) for key in COVER_FIELDS]
        if not any(cells):
            continue
        household = cells[0]
        for key in REQUIRED_COVER:
            if not cells[COVER_FIELDS.index(key)]:
                issues.append(
                    Issue(sheet, number, _header(cs.COVER, key), "不能为空", "must not be blank")
                )
        if household in seen:
            issues.append(_repeat(sheet, number, household, seen[household]))
        elif all(cells[COVER_FIELDS.index(key)] for key in REQUIRED_COVER):
            seen[household] = number
            found.append(Covered(*cells))
    if issues:
        raise InputError(issues)
    return tuple(found)


def _repeat(sheet: str, row: int, household: str, first: int) -> Issue:
    return Issue(
        sheet,
        row,
        _header(cs.COVER, "household_id"),
        f"户编号「{quote(household)}」与第{first}行重复",
        f"household '{quote(household)}' repeats row {first}",
    )


def cover_settings(grids: Mapping[str, Grid], source: str) -> Settings:
    """Return the settings of the cover's 参数 copy (the defaults when it has none)."""
    grid = grids.get(SETTINGS_COPY)
    found = find_header(SETTINGS, grid) if grid else None
    rows: list[tuple[int, object, object]] = []
    if grid and found:
        index, columns = found
        for number, row in enumerate(grid[index + 1 :], start=index + 2):
            key = _cell(row, columns, "key")
            value = row[columns["value"]] if columns["value"] < len(row) else None
            if key:
                rows.append((number, key, value))
    settings, problems = build_settings(rows)
    if problems:
        sheet = f"{source} · {SETTINGS_COPY}"
        raise InputError(
            [Issue(sheet, p.row, _header(SETTINGS, p.column), p.zh, p.en) for p in problems]
        )
    return settings


def lagging_threshold(grids: Mapping[str, Grid], source: str) -> float:
    """Return ``lagging_threshold`` from the cover's 参数 copy (the default without one)."""
    return cover_settings(grids, source).lagging_threshold


def find_visits(grids: Mapping[str, Grid]) -> tuple[str, int, dict[str, int]] | None:
    """Return the visits sheet's name, header index and columns: a sheet named 走访记录 first,
    else the first whose header names 户编号 and 日期."""
    ordered = sorted(grids, key=lambda name: match_sheet(name, (VISITS,)) is None)
    for name in ordered:
        found = find_header(VISITS, grids[name])
        if found is not None:
            return name, *found
    return None


def read_visits(grids: Mapping[str, Grid], source: str, known: frozenset[str]) -> VisitLedger:
    """Return the visits of ``grids``; raise InputError naming every bad row (exit 3)."""
    found = find_visits(grids)
    if found is None:
        required = "、".join(c.header for c in VISITS.columns if c.required)
        raise InputError(
            [
                Issue(
                    source,
                    None,
                    None,
                    f"找不到走访记录：需要一张表头含 {required} 的工作表（如「{VISITS.title}」）",
                    f"no visits ledger found: a sheet needs the columns {required} "
                    f"(e.g. '{VISITS.title}')",
                )
            ]
        )
    name, index, columns = found
    sheet = f"{source} · {name}"
    visits: list[Visit] = []
    issues: list[Issue] = []
    for number, row in enumerate(grids[name][index + 1 :], start=index + 2):
        if not any(clean_text(value) for value in row):
            continue
        visit = _visit(sheet, number, row, columns, known, issues)
        if visit is not None:
            visits.append(visit)
    if issues:
        raise InputError(issues)
    return VisitLedger(name, tuple(visits))


def _visit(
    sheet: str,
    number: int,
    row: Sequence[object],
    columns: Mapping[str, int],
    known: frozenset[str],
    issues: list[Issue],
) -> Visit | None:
    household = _cell(row, columns, "household_id")
    where = _header(VISITS, "household_id")
    if not household:
        issues.append(Issue(sheet, number, where, "不能为空", "must not be blank"))
    elif household not in known:
        issues.append(
            Issue(
                sheet,
                number,
                where,
                f"户编号「{quote(household)}」不在包户表中",
                f"household '{quote(household)}' is not on the cover's 包户 sheet",
            )
        )
    index = columns["date"]
    raw = row[index] if index < len(row) else None
    date: dt.date | None = None
    if not clean_text(raw):
        issues.append(
            Issue(sheet, number, _header(VISITS, "date"), "不能为空", "must not be blank")
        )
    else:
        try:
            date = parse_date(raw)
        except CellError as error:
            issues.append(Issue(sheet, number, _header(VISITS, "date"), error.zh, error.en))
    if date is None or not household or household not in known:
        return None
    return Visit(number, household, date, _cell(row, columns, "visitor"))
