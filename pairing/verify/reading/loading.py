"""Open a plan workbook (and optionally its input) and read what the verifier judges."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from pairing.domain.errors import InputError, Issue
from pairing.domain.model import Problem
from pairing.verify.reading.grids import Grids, read_grids
from pairing.verify.reading.inputs import INPUT_PREFIX, InputData, read_inputs
from pairing.verify.reading.plan_sheets import (
    ASSIGNMENTS,
    KeyValues,
    PlanSheets,
    read_plan_sheets,
)
from pairing.verify.reading.tables import find_table
from pairing.verify.rules.hard import PlanPairs, resolve_pairs


@dataclass(frozen=True, slots=True)
class Loaded:
    """A plan workbook as read.

    - ``path``: the plan workbook.
    - ``grids``: its sheets.
    - ``input_grids``: the ``--input`` sheets, or ``None``.
    - ``data``: the input (from ``--input`` when given, else from the plan's copies).
    - ``sheets``: what the plan states about itself.
    - ``pairs``: the plan's distinct pairs of known ids.
    - ``year``: the plan year.
    """

    path: Path
    grids: Grids
    input_grids: Grids | None
    data: InputData
    sheets: PlanSheets
    pairs: PlanPairs
    year: int


def plan_year(problem: Problem, provenance: KeyValues) -> int:
    """Return the plan year: the setting, else the one the plan records, else next year.

    ``provenance``: the plan's 来源 sheet.

    Returns the year.
    """
    if problem.settings.plan_year is not None:
        return problem.settings.plan_year
    recorded = provenance.number("plan_year")
    if recorded is not None and recorded.is_integer():
        return int(recorded)
    return dt.date.today().year + 1


def not_a_plan(path: Path) -> InputError:
    """Return the error for a workbook without a 结对方案 sheet.

    ``path``: the workbook.

    Returns exit 3.
    """
    return InputError(
        [
            Issue(
                path.name,
                None,
                None,
                "不是 pairing 方案工作簿：找不到「结对方案 assignments」表及其表头",
                "not a pairing plan workbook: no '结对方案 assignments' sheet with its header",
            )
        ]
    )


def load_plan(plan: Path, input_path: Path | None = None) -> Loaded:
    """Read a plan workbook and the input it is judged against.

    ``plan``: the plan workbook; ``input_path``: the input workbook or CSV folder; ``None`` uses the
    plan's own copies.

    Returns everything read.

    Raises ``InputError`` when a file cannot be read, or the plan has no assignments or input
    sheets.
    """
    plan = Path(plan)
    grids = read_grids(plan)  # every sheet: the digests cover them all
    assignments = find_table(grids, ASSIGNMENTS)
    if assignments is None:
        raise not_a_plan(plan)
    if input_path is None:
        input_grids, data = None, read_inputs(grids, INPUT_PREFIX, plan)
    else:
        input_grids = read_grids(input_path)
        data = read_inputs(input_grids, "", Path(input_path))
    sheets = read_plan_sheets(grids, assignments)
    pairs = resolve_pairs(sheets, data.problem)
    year = plan_year(data.problem, sheets.provenance)
    return Loaded(plan, grids, input_grids, data, sheets, pairs, year)
