"""Plans and ledgers for the auditor's tests (tests may import anything)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl.workbook.workbook import Workbook

from pairing.audit import AuditPlan, slots_of
from pairing.examples.ledger import Row, ledger_workbook, record_days
from pairing.io.output import save_workbook
from pairing.io.planbook import write_plan
from pairing.io.reader import read_input
from pairing.solve.checks import hard_checks
from pairing.solve.optimize import SolveOptions, solve

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "gaozhou.xlsx"


def solved(source: Path, out: Path) -> Path:
    """Solve an input workbook and write its plan workbook to ``out``."""
    read = read_input(source)
    plan, _ = solve(read.problem, SolveOptions(time_limit_s=60))
    write_plan(out, read, plan, hard_checks(read.problem, plan))
    return out


def complete_rows(plan: AuditPlan, until: dt.date, seed: int = 0) -> list[Row]:
    """Return a ledger in which every pair reports all it owes up to ``until`` (done)."""
    rng = random.Random(seed)
    rows: list[Row] = []
    for (unit_id, village_id, code), slots in sorted(slots_of(plan).items()):
        for slot in slots:
            if slot.last <= until:
                for day in record_days(rng, slot, slot.owed):
                    rows.append((unit_id, village_id, code, day, "done"))
    return sorted(rows, key=lambda row: (row[3], row[0]))


def write_rows(rows: Iterable[Row], path: Path) -> Path:
    """Write ledger rows as a 工作台账 workbook."""
    save_workbook(ledger_workbook(list(rows)), path)
    return path


def raw_ledger(values: Iterable[tuple[Any, ...]], path: Path) -> Path:
    """Write a ledger sheet with arbitrary cells as typed (a title row above the header)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "台账"
    sheet.append(["2027年上半年结对共建工作台账"])
    sheet.append(["单位编号", "村编号", "活动类型", "实际日期", "状态"])
    for number, row in enumerate(values, start=3):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=number, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text as typed, never a formula
    workbook.save(path)
    return path
