"""The input a plan was made from, re-read from its copies (``输入·…``) or from ``--input``.

Sheets are matched as the reader matches them; the records are built by
:mod:`pairing.verify.reading.records`. Without 单位 and 村 there is nothing to verify: that is an
unreadable plan (exit 3). Everything else that is wrong is an ``INT`` finding.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pairing.domain.errors import InputError, Issue
from pairing.domain.model import Problem
from pairing.domain.plan_schema import INPUT_PREFIX
from pairing.domain.schema import (
    BASELINE,
    BLACKOUTS,
    HISTORY,
    HOLIDAYS,
    INPUT_SHEETS,
    MEMBERS,
    OBLIGATIONS,
    RULES_SHEET,
    SCORES,
    SETTINGS,
    UNIT_CHANGES,
    UNITS,
    VILLAGES,
)
from pairing.verify.reading import records
from pairing.verify.reading.baseline import read_baseline, read_unit_changes
from pairing.verify.reading.grids import Grids
from pairing.verify.reading.rulemodel import default_obligations
from pairing.verify.reading.tables import Table, find_table
from pairing.verify.report.findings import Finding


@dataclass(frozen=True, slots=True)
class InputData:
    """The input as the verifier reads it.

    - ``problem``: everything the rules need.
    - ``sheets``: contract sheet key -> the sheet's name in the workbook read.
    - ``findings``: rows that could not be read (``INT``).
    """

    problem: Problem
    sheets: Mapping[str, str]
    findings: tuple[Finding, ...]

    def sheet(self, key: str) -> str:
        """Return the workbook name of contract sheet ``key`` (its title when absent).

        ``key``: a contract sheet key (``units``).

        Returns the sheet name to cite.
        """
        for spec in INPUT_SHEETS:
            if spec.key == key:
                return self.sheets.get(key, spec.title)
        raise KeyError(key)


def read_inputs(grids: Grids, prefix: str, source: Path) -> InputData:
    """Build the problem from the input sheets of ``grids`` (names after ``prefix``).

    - ``grids``: the workbook's sheets.
    - ``prefix``: ``输入·`` for a plan's copies, ``''`` for an input workbook.
    - ``source``: the file read (for messages).

    Returns the problem, where each sheet was found, and what could not be read.

    Raises ``InputError`` when the 单位 or 村 sheet (or its header) is missing.
    """
    tables = {spec.key: find_table(grids, spec, prefix) for spec in INPUT_SHEETS}
    _require(tables, source)
    sink: list[Finding] = []
    settings = records.read_settings(tables[SETTINGS.key], sink)
    units = records.read_units(tables[UNITS.key], sink)
    villages = records.read_villages(tables[VILLAGES.key], settings, sink)
    unit_ids = frozenset(u.id for u in units)
    moves = read_unit_changes(tables[UNIT_CHANGES.key], unit_ids, sink)
    known = records.Known(
        unit_ids,
        frozenset(v.id for v in villages),
        frozenset(v.town for v in villages if v.town),
        moves.now,
        moves.removed,
    )
    obligations_table = tables[OBLIGATIONS.key]
    problem = Problem(
        units=tuple(units),
        villages=tuple(villages),
        history=tuple(records.read_history(tables[HISTORY.key], known, sink)),
        rules=tuple(records.read_rules(tables[RULES_SHEET.key], known, sink)),
        settings=settings,
        obligations=default_obligations()
        if obligations_table is None
        else tuple(records.read_obligations(obligations_table, sink)),
        blackouts=tuple(records.read_blackouts(tables[BLACKOUTS.key], known, sink)),
        holidays=tuple(records.read_holidays(tables[HOLIDAYS.key], sink)),
        scores=tuple(records.read_scores(tables[SCORES.key], known, sink)),
        members=tuple(records.read_members(tables[MEMBERS.key], known, sink)),
        baseline=tuple(read_baseline(tables[BASELINE.key], moves, sink)),
        unit_changes=moves.changes,
    )
    sheets = {key: table.sheet for key, table in tables.items() if table is not None}
    return InputData(problem, sheets, tuple(sink))


def _require(tables: Mapping[str, Table | None], source: Path) -> None:
    missing = [spec for spec in (UNITS, VILLAGES) if tables[spec.key] is None]
    if missing:
        names = "、".join(spec.title for spec in missing)
        raise InputError(
            [
                Issue(
                    source.name,
                    None,
                    None,
                    f"找不到输入表（或其表头）：{names}；方案工作簿应含「{INPUT_PREFIX}单位 units」等"
                    "输入副本，或用 --input 指定输入",
                    f"input sheets (or their headers) not found: {names}; a plan workbook holds "
                    f"copies such as '{INPUT_PREFIX}单位 units', or give --input",
                )
            ]
        )


__all__ = ["INPUT_PREFIX", "InputData", "read_inputs"]
