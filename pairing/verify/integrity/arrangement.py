"""结对安排表 re-derived from the plan's pairs and the input, cell by cell.

The issued table restates the plan in names: its title, and for each village, grouped by town
(towns in the order the 村 sheet first names them, villages in its order), 序号, town, village,
典型村, its units' names in the order 结对方案 lists them, 延续 / 新结对, and a note on its
locked pairs (the 指定 sheet's 必须 reason). Each is recomputed here from the input and the pairs,
with the verifier's own code, and a differing cell is an ``EDT`` finding with its row and column:
a name edited in the table people sign is as much an edit as one in 结对方案.
"""

from __future__ import annotations

from collections.abc import Sequence

from pairing.domain import plan_schema as layout
from pairing.domain.digest import column_letter
from pairing.domain.model import Problem, Village
from pairing.domain.plan_schema import requiring
from pairing.verify.integrity.restated import (
    ARRANGEMENT,
    RECOMPUTED,
    Checker,
    Expected,
    agrees,
    shown,
)
from pairing.verify.reading.grids import Grids
from pairing.verify.reading.tables import find_grid, to_table
from pairing.verify.report.findings import EDITED, Finding
from pairing.verify.rules.facts import Facts
from pairing.verify.rules.hard import PlanPairs


def unit_columns(problem: Problem, pairs: PlanPairs) -> int:
    """Return the table's number of unit columns: the most units a village needs or has."""
    widest = [1, *(village.units_required for village in problem.villages)]
    return max(widest + [len(units) for units in pairs.of_village().values()])


def expected_title(problem: Problem, year: int) -> str:
    """Return the title: the 标题 setting, else 县名 + year + 年结对共建安排表."""
    settings = problem.settings
    return settings.title or f"{settings.county}{year}年结对共建安排表"


def town_order(villages: Sequence[Village]) -> list[Village]:
    """Return the villages, a town's together, towns in order of first mention."""
    order: dict[str, int] = {}
    for village in villages:
        order.setdefault(village.town, len(order))
    return sorted(villages, key=lambda village: order[village.town])  # stable: input order


def expected_rows(facts: Facts, pairs: PlanPairs, units: int) -> list[dict[str, Expected]]:
    """Return each row the table must hold, in order, by column key."""
    problem, members = facts.problem, pairs.of_village()
    rows: list[dict[str, Expected]] = []
    for number, village in enumerate(town_order(problem.villages), start=1):
        mine = members.get(village.id, [])
        names: dict[str, Expected] = {
            f"{layout.UNIT_COLUMN_PREFIX}{i}": (
                problem.unit(mine[i - 1]).name if i <= len(mine) else None
            )
            for i in range(1, units + 1)
        }
        kept = [i for i, unit_id in enumerate(mine, 1) if (unit_id, village.id) in facts.running]
        locks = [
            (i, facts.must[(unit_id, village.id)].reason)
            for i, unit_id in enumerate(mine, 1)
            if (unit_id, village.id) in facts.must
        ]
        rows.append(
            {
                "no": float(number),
                "town": village.town,
                "village": village.name,
                "typical": "是" if village.typical else "否",
                **names,
                "continuity": _continuity(kept, len(mine)),
                "note": "；".join(f"单位{i}锁定：{r}" if r else f"单位{i}锁定" for i, r in locks),
            }
        )
    return rows


def _continuity(kept: list[int], units: int) -> str:
    if units and len(kept) == units:
        return "延续"
    if not kept:
        return "新结对"
    return f"单位{'、'.join(map(str, kept))}延续"


def arrangement_findings(grids: Grids, facts: Facts, pairs: PlanPairs) -> list[Finding]:
    """Return every cell of 结对安排表 that differs from what the plan and the input say.

    ``facts``: the input, the plan year, running pairs and 必须 rules; ``pairs``: the plan's
    pairs in 结对方案 order.

    Returns ``EDT`` findings with row and column. A plan without the sheet is not judged here:
    one written before the table existed has none, and a deleted one is the seal's finding.
    """
    units = unit_columns(facts.problem, pairs)
    spec = requiring(layout.arrangement(units), "no", "village")
    found = find_grid(grids, ARRANGEMENT)
    if found is None:
        return []
    table = to_table(found[0], spec, found[1])
    if table is None:
        return [_missing(found[0])]
    checker = Checker(table, spec)
    findings: list[Finding] = []
    findings += checker.missing_columns()
    findings += _title(found[0], found[1], expected_title(facts.problem, facts.year))
    expected = expected_rows(facts, pairs, units)
    for (number, values), wanted in zip(table.rows, expected, strict=False):
        findings += checker.row(number, values, wanted, RECOMPUTED)
    findings += _counted(table.sheet, len(table.rows), len(expected))
    return findings


def _title(sheet: str, grid: Sequence[Sequence[object]], title: str) -> list[Finding]:
    cell = grid[0][0] if grid and grid[0] else None
    if agrees(cell, title):
        return []
    return [
        Finding(
            EDITED,
            sheet,
            1,
            f"标题写为「{shown(cell)}」，应为「{shown(title)}」（参数「标题」或县名与年份）",
            f"the title says '{shown(cell)}', expected '{shown(title)}' (setting title, or "
            "county and year)",
            column_letter(1),
        )
    ]


def _counted(sheet: str, rows: int, villages: int) -> list[Finding]:
    if rows == villages:
        return []
    return [
        Finding(
            EDITED,
            sheet,
            None,
            f"有 {rows} 行，应为每村一行共 {villages} 行（方案写出后被改动）",
            f"{rows} rows, expected one per village, {villages} (edited after the plan was "
            "written)",
        )
    ]


def _missing(title: str) -> Finding:
    return Finding(
        EDITED,
        title,
        None,
        f"「{title}」表缺少表头（方案写出后被改动）",
        f"the '{title}' sheet has no header (edited after the plan was written)",
    )
