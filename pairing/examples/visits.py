"""A plausible 走访记录 visits ledger for a cover, to try the visit audit on (``pairing
example-ledger COVER.xlsx OUT``).

From January of the cover's plan year (the current year without one), for ``months`` months,
every team visits its households month by month: most teams nearly every household every
month (97%), a few (about 12%) lagging (55%). A visited household gets one visit, sometimes
two, on a day of that month, by the team's unit member or its village member. Which teams
lag is returned (:class:`VisitsTruth`), not written.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from pairing.audit.visits import SETTINGS_COPY, Covered, cover_settings, read_covered
from pairing.domain import cover_schema as cs
from pairing.domain.schema import VISITS
from pairing.io.output import save_workbook, set_text
from pairing.io.workbook_writer import plain_cell
from pairing.sheets import read_grids

DILIGENT, LAGGING, LAGGING_SHARE, TWICE = 0.97, 0.55, 0.12, 0.1
Row = tuple[str, dt.date, str, str]


@dataclass(frozen=True, slots=True)
class VisitsTruth:
    """What was written: rows, and the teams drawn as lagging."""

    rows: int
    lagging: tuple[str, ...]


def month_days(year: int, month: int) -> int:
    """Days in the month."""
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


def visit_rows(
    covered: Sequence[Covered], year: int, months: int, rng: random.Random
) -> tuple[list[Row], tuple[str, ...]]:
    """Return the visits, by date then household, and the lagging teams."""
    teams: dict[str, list[Covered]] = defaultdict(list)
    for household in covered:
        teams[household.team_id].append(household)
    lagging = tuple(sorted(t for t in sorted(teams) if rng.random() < LAGGING_SHARE))
    rows: list[Row] = []
    for team_id in sorted(teams):
        share = LAGGING if team_id in lagging else DILIGENT
        for month in range(1, months + 1):
            for h in teams[team_id]:
                if rng.random() >= share:
                    continue
                for _ in range(2 if rng.random() < TWICE else 1):
                    day = dt.date(year, month, rng.randint(1, month_days(year, month)))
                    visitor = rng.choice((h.unit_member_name, h.village_member_name))
                    rows.append((h.household_id, day, visitor, ""))
    rows.sort(key=lambda row: (row[1], row[0]))
    return rows, lagging


def visits_workbook(rows: Sequence[Row]) -> Workbook:
    """Return the 走访记录 sheet holding ``rows``."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = VISITS.title
    for column, spec in enumerate(VISITS.columns, start=1):
        set_text(plain_cell(sheet, 1, column), spec.header)
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            set_text(plain_cell(sheet, number, column), value or None)
        sheet.cell(row=number, column=2).number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    return workbook


def write_visits(cover: Path, target: Path, seed: int = 0, months: int = 6) -> VisitsTruth:
    """Write a visits ledger for the cover workbook ``cover`` to ``target`` atomically."""
    grids = read_grids(Path(cover), None, lambda name: name in (cs.COVER.title, SETTINGS_COPY))
    covered = read_covered(grids, Path(cover).name)
    year = cover_settings(grids, Path(cover).name).plan_year or dt.date.today().year
    rows, lagging = visit_rows(covered, year, months, random.Random(f"{seed}:visits"))
    save_workbook(visits_workbook(rows), target)
    return VisitsTruth(len(rows), lagging)
