"""The auditor: generated ledgers, statuses, noise, the audit date and the workbook."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import cast

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from pairing.audit import AuditResult, read_ledger, run_audit, slots_of, write_audit
from pairing.verify import read_grids

from .conftest import LedgerCase, PlanOnly
from .plans import complete_rows, raw_ledger, write_rows

NOISE_WORDS = {
    "unknown_unit": "unknown unit",
    "unknown_village": "unknown village",
    "unknown_activity": "unknown activity",
    "outside_horizon": "outside the plan's horizon",
    "unpaired": "is not paired with",
    "duplicate": "repeats row",
}


def audit_of(
    plan: PlanOnly | LedgerCase, ledger: Path, as_of: dt.date | None = None
) -> AuditResult:
    """Run the audit of ``ledger`` against the case's plan."""
    return run_audit(plan.audit_plan, read_ledger(read_grids(ledger), ledger.name), as_of)


def test_generated_ledger_names_exactly_the_lagging_units(generated: LedgerCase) -> None:
    """The units the generator made lag are exactly the lagging units, lowest first."""
    result = audit_of(generated, generated.ledger)
    assert {item.unit_id for item in result.lagging} == generated.truth.lagging
    rates = [item.tally.completion for item in result.lagging]
    assert rates == sorted(rates) and all(rate < 0.8 for rate in rates)
    assert all(result.by_unit[u].completion >= 0.8 for u in generated.truth.diligent)
    assert all(item.missed for item in result.lagging)


def test_noise_rows_are_listed_with_their_rows(generated: LedgerCase) -> None:
    """Every noise row, and only those, is listed as unmatched at its row, with its reason."""
    result = audit_of(generated, generated.ledger)
    listed = {u.entry.row: u.en for u in result.unmatched}
    assert set(listed) == set(generated.truth.noise)
    for row, kind in generated.truth.noise.items():
        assert NOISE_WORDS[kind] in listed[row], (kind, listed[row])


def test_default_audit_date_is_the_last_ledger_date(generated: LedgerCase) -> None:
    """Without --as-of the audit runs to the last date inside the horizon."""
    assert audit_of(generated, generated.ledger).as_of == generated.truth.last_date


def test_complete_ledger_is_fully_compliant(example: PlanOnly, tmp_path: Path) -> None:
    """A ledger with every owed record: 100%, nothing missing, nobody lagging."""
    until = dt.date(2027, 3, 31)
    ledger = write_rows(complete_rows(example.audit_plan, until), tmp_path / "full.xlsx")
    result = audit_of(example, ledger, until)
    assert result.total.owed > 0 and result.total.completion == 1.0
    assert not result.lagging and not result.missing and not result.unmatched


def test_as_of_limits_what_is_owed(generated: LedgerCase) -> None:
    """Periods after the audit date are not owed: earlier dates owe less, before the start
    nothing at all."""
    full = audit_of(generated, generated.ledger)
    early = audit_of(generated, generated.ledger, dt.date(2027, 1, 31))
    none = audit_of(generated, generated.ledger, dt.date(2026, 12, 31))
    assert 0 < early.total.owed < full.total.owed
    assert set(early.by_month) == {"2027-01"}
    assert none.total.owed == 0 and not none.lagging and none.pending > 0


def test_statuses_names_and_repeats(example: PlanOnly, tmp_path: Path) -> None:
    """逾期 and 补报 count as fulfilled (late); an activity by name matches; a repeated row,
    an unknown status and an unreadable date are listed."""
    unit, village = example.audit_plan.pairs[0]
    ledger = raw_ledger(
        [
            (unit, village, "集中劳动", dt.datetime(2027, 1, 13), "逾期"),
            (unit, village, "LIV", dt.datetime(2027, 1, 14), "补报"),
            (unit, village, "LIV", "2027-01-14", "已完成"),
            (unit, village, "YARD", dt.datetime(2027, 1, 15), "作废"),
            (unit, village, "SUR", "下旬", "已完成"),
        ],
        tmp_path / "ledger.xlsx",
    )
    result = audit_of(example, ledger, dt.date(2027, 1, 31))
    tally = result.by_unit[unit]
    assert (tally.late, tally.filed_late, tally.done) == (1, 1, 0)
    reasons = {u.entry.row: u.en for u in result.unmatched}
    assert "repeats row 4" in reasons[5]
    assert "unknown status" in reasons[6] and "cannot be read" in reasons[7]


def test_leader_duty_is_owed_per_leader(example: PlanOnly) -> None:
    """A leader reception (RCPL) is owed once a month by each 组长 of the unit."""
    problem = example.audit_plan.problem
    leaders = {m.unit_id for m in problem.members if m.role == "leader"}
    counts = {
        u: sum(m.role == "leader" for m in problem.members if m.unit_id == u) for u in leaders
    }
    slots = slots_of(example.audit_plan)
    for (unit_id, _, code), unit_slots in slots.items():
        if code == "RCPL":
            assert {slot.owed for slot in unit_slots} == {counts.get(unit_id, 1)}


def test_workbook_has_every_sheet_charts_and_safe_text(example: PlanOnly, tmp_path: Path) -> None:
    """The workbook holds each view, bar charts, colour scales, and user text as text."""
    unit, village = example.audit_plan.pairs[0]
    ledger = raw_ledger(
        [(unit, village, '=HYPERLINK("http://x","y")', dt.datetime(2027, 1, 13), "已完成")],
        tmp_path / "ledger.xlsx",
    )
    target = tmp_path / "audit.xlsx"
    write_audit(audit_of(example, ledger, dt.date(2027, 1, 31)), target)
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == [
        "概览 overview",
        "单位合规 by_unit",
        "村合规 by_village",
        "活动合规 by_obligation",
        "月度合规 by_month",
        "落后单位 lagging",
        "缺报明细 missing",
        "未匹配 unmatched",
    ]
    for name in ("单位合规 by_unit", "活动合规 by_obligation", "月度合规 by_month"):
        assert len(cast(Worksheet, book[name]).conditional_formatting) == 1
    with zipfile.ZipFile(target) as package:
        charts = [n for n in package.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 3
    cell = book["未匹配 unmatched"]["D2"]  # openpyxl writes text cells as inline strings
    assert cell.data_type in {"s", "inlineStr"} and str(cell.value).startswith("=")
    assert cell.quotePrefix  # the exact text, shown as text, never a formula


def test_failed_write_leaves_the_old_file(
    example: PlanOnly, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails midway leaves an existing output byte-identical, no temp file."""
    target = tmp_path / "audit.xlsx"
    target.write_bytes(b"old")
    ledger = write_rows([], tmp_path / "empty.xlsx")
    result = audit_of(example, ledger, dt.date(2027, 1, 31))

    def broken(self: object, filename: object) -> None:
        Path(str(filename)).write_bytes(b"partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken)
    with pytest.raises(Exception, match="cannot write"):
        write_audit(result, target)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit.xlsx", "empty.xlsx"]
