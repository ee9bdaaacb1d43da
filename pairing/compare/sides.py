"""One side of a comparison: a plan workbook read into its pairs, names, figures and inputs.

A plan is read with :func:`pairing.io.planbook.read_plan`, which refuses a plan edited after it
was written: ``schedule`` and ``explain`` would write such a plan back sealed anew. ``diff``
writes no plan, and a planner may well want to see what a hand edit changed, so a plan whose
seal no longer matches is read here as it stands: its pairs as 结对方案 now holds them, checked
against its own input copies as ``rescore`` checks them (:func:`pairing.io.rescorebook.
read_pairs`: a blank, unknown or repeated id is exit 3), and the edited sheets named (:attr:`PlanSide.edited`), so that
the report can say that its KPIs and points are as written, before the edit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from pairing.domain import plan_schema as layout
from pairing.domain.cells import clean_text
from pairing.domain.digest import grid_cells, sheet_digest, sheet_key
from pairing.domain.errors import InputError
from pairing.domain.model import Problem
from pairing.domain.schema import INPUT_SHEETS
from pairing.io.planbook import read_plan
from pairing.io.reader import build_problem
from pairing.io.rescorebook import read_pairs
from pairing.io.tables import RawTable, book_from_grids, read_grids
from pairing.sheets import Limits

Grids = dict[str, list[tuple[object, ...]]]
Pair = tuple[str, str]  # (village_id, unit_id)
ASSIGNMENTS = layout.ASSIGNMENTS.title
PROVENANCE = layout.PROVENANCE.title


@dataclass(frozen=True, slots=True)
class PlanSide:
    """What ``diff`` compares of one plan workbook.

    Attributes
    ----------
    path
        The workbook.
    pairs
        ``(village_id, unit_id)`` in the order of its 结对方案 sheet.
    villages, units
        Names by id, from the plan's input copies: a village as ``(name, town)``.
    kpis, points
        指标's KPIs by key and each rule's points by rule id, as the plan states them.
    objective
        The stated objective, or None when the plan states none.
    input_sha256
        The SHA-256 of the input the plan was solved from (来源).
    tables
        The plan's input copies (``输入·<sheet>``), by sheet key.
    edited
        Sheets edited after the plan was written (their SHA-256 no longer matches 来源).
    """

    path: Path
    pairs: tuple[Pair, ...]
    villages: Mapping[str, tuple[str, str]]
    units: Mapping[str, str]
    kpis: Mapping[str, float]
    points: Mapping[str, float]
    objective: float | None
    input_sha256: str
    tables: Mapping[str, RawTable]
    edited: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The file's name, as messages show it."""
        return self.path.name


def read_side(path: Path, limits: Limits | None = None) -> PlanSide:
    """Read a plan workbook for comparison; a hand-edited plan is read as it now stands.

    Raises
    ------
    InputError
        For a file that is not a plan workbook (or not readable), input copies that do not
        read, or an edited 结对方案 naming a unit or village its input does not have.
    """
    try:
        book = read_plan(path, limits)
    except InputError as refused:
        try:
            grids = read_grids(Path(path), limits)
        except InputError:
            raise refused from None
        edited = edited_sheets(grids)
        if not edited:
            raise
        return _edited_side(Path(path), grids, edited)
    problem, plan = book.input.problem, book.plan
    return _side(
        Path(path),
        problem,
        tuple((pair.village_id, pair.unit_id) for pair in plan.pairs),
        dict(plan.kpis),
        dict(plan.totals),
        plan.facts.objective,
        book.input.sha256,
        book.input.book.tables,
    )


def _side(
    path: Path,
    problem: Problem,
    pairs: tuple[Pair, ...],
    kpis: Mapping[str, float],
    points: Mapping[str, float],
    objective: float | None,
    input_sha256: str,
    tables: Mapping[str, RawTable],
    edited: tuple[str, ...] = (),
) -> PlanSide:
    return PlanSide(
        path=path,
        pairs=pairs,
        villages=MappingProxyType({v.id: (v.name, v.town) for v in problem.villages}),
        units=MappingProxyType({u.id: u.name for u in problem.units}),
        kpis=MappingProxyType(dict(kpis)),
        points=MappingProxyType(dict(points)),
        objective=objective if objective is not None and math.isfinite(objective) else None,
        input_sha256=input_sha256,
        tables=MappingProxyType(dict(tables)),
        edited=edited,
    )


def edited_sheets(grids: Grids) -> tuple[str, ...]:
    """The sheets whose SHA-256 differs from the one 来源 recorded when the plan was written
    (none for a file that records none: not a plan, or one written before the seal)."""
    recorded = _provenance(grids)
    return tuple(
        title
        for title, grid in grids.items()
        if title != PROVENANCE
        and (digest := recorded.get(sheet_key(title)))
        and digest != sheet_digest(title, grid_cells(grid))
    )


def _provenance(grids: Grids) -> dict[str, str]:
    """来源's values by key (column B → column C)."""
    rows = grids.get(PROVENANCE, [])[1:]
    return {clean_text(row[1]): clean_text(row[2]) for row in rows if len(row) > 2 and row[1]}


def _edited_side(path: Path, grids: Grids, edited: tuple[str, ...]) -> PlanSide:
    """A plan edited after writing, read from its grids: pairs as 结对方案 now holds them."""
    copies = {
        name[len(layout.INPUT_PREFIX) :]: grid
        for name, grid in grids.items()
        if name.startswith(layout.INPUT_PREFIX)
    }
    book = book_from_grids(copies, INPUT_SHEETS)
    problem, issues = build_problem(book)
    if issues:
        raise InputError(issues)
    summary = _summary(grids.get(layout.SUMMARY.title, []))
    return _side(
        path,
        problem,
        tuple((p.village_id, p.unit_id) for p in read_pairs(grids[ASSIGNMENTS], problem)),
        {key: value for key, value in summary.items() if key in layout.KPI_NAMES},
        {
            key[len(layout.POINTS_PREFIX) :]: value
            for key, value in summary.items()
            if key.startswith(layout.POINTS_PREFIX)
        },
        summary.get(layout.OBJECTIVE),
        _provenance(grids).get(layout.INPUT_SHA256, ""),
        book.tables,
        edited,
    )


def _summary(grid: list[tuple[object, ...]]) -> dict[str, float]:
    """指标's numeric values by key (its second and third columns)."""
    out: dict[str, float] = {}
    for row in grid[1:]:
        if len(row) > 2 and isinstance(row[2], int | float) and not isinstance(row[2], bool):
            out[clean_text(row[1])] = float(row[2])
    return out
