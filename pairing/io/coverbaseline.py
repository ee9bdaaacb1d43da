"""The previous cover, read for C13 包户延续: each household's unit member and village member.

``pairing cover PLAN --baseline COVER.xlsx`` reads only three columns of COVER's 包户 sheet
(户编号, 单位队员编号, 村党员编号): a cover the planner edited by hand is still the cover they
want kept. Ids no longer in the plan's people are no error (that household's continuity is
simply no longer possible, models/COVER.md C13); a row without a household or without both
members, or a household twice, is.
"""

from __future__ import annotations

from pathlib import Path

from pairing.domain import cover_schema as cs
from pairing.domain.cells import clean_text, quote
from pairing.domain.errors import InputError, Issue
from pairing.sheets import Limits, match_columns, read_grids

COLUMNS = ("household_id", "unit_member_id", "village_member_id")


def _header(key: str) -> str:
    column = next(c for c in cs.COVER.columns if c.key == key)
    return f"{column.zh} ({column.key})"


def _not_a_cover(path: Path, missing: str) -> InputError:
    return InputError(
        [
            Issue(
                path.name,
                None,
                None,
                f"基线不是 pairing 包户工作簿（缺少「{cs.COVER.title}」表或其{missing}）",
                f"the baseline is not a pairing cover workbook (no {cs.COVER.title} sheet "
                f"with {missing})",
            )
        ]
    )


def read_cover_baseline(path: Path, limits: Limits | None = None) -> dict[str, tuple[str, str]]:
    """Return household → (unit member id, village member id) of a cover workbook's 包户."""
    path = Path(path)
    grid = read_grids(path, limits, lambda name: name == cs.COVER.title).get(cs.COVER.title)
    if not grid:
        raise _not_a_cover(path, "表头 header")
    columns = match_columns(cs.COVER, grid[0])
    absent = [_header(key) for key in COLUMNS if key not in columns]
    if absent:
        raise _not_a_cover(path, "、".join(absent))
    sheet = f"{path.name} · {cs.COVER.title}"
    found: dict[str, tuple[str, str]] = {}
    first: dict[str, int] = {}
    issues: list[Issue] = []
    for row, values in enumerate(grid[1:], start=2):
        cells = [
            clean_text(values[columns[k]]) if columns[k] < len(values) else "" for k in COLUMNS
        ]
        if not any(cells):
            continue
        household, unit_member, village_member = cells
        for key, cell in zip(COLUMNS, cells, strict=True):
            if not cell:
                issues.append(Issue(sheet, row, _header(key), "不能为空", "must not be blank"))
        if household in first:
            issues.append(
                Issue(
                    sheet,
                    row,
                    _header("household_id"),
                    f"「{quote(household)}」与第{first[household]}行重复",
                    f"'{quote(household)}' repeats row {first[household]}",
                )
            )
        elif all(cells):
            first[household] = row
            found[household] = (unit_member, village_member)
    if issues:
        raise InputError(issues)
    return found
