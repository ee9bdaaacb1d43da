"""Mutation tests on the 活动日程 sheet of a scheduled plan: S01-S05 and S07.

The schedules are the scheduler's own (2026 on the official calendar; 2027 provisional), so
a clean one verifying with no finding is itself a cross-check of two independent accounts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from openpyxl.workbook.workbook import Workbook

from pairing.verify import Report, verify_plan

from .edits import SCHEDULE, Row, day, events, set_cell
from .plans import PlanCase, mutated


def verify_edit(case: PlanCase, tmp_path: Path, edit: Callable[[Workbook], None]) -> Report:
    """Apply ``edit`` to a copy of the plan and verify the copy against its input."""
    return verify_plan(mutated(case.path, tmp_path / "edited.xlsx", edit), case.source)


def at(report: Report, rule: str, row: int | None = None) -> bool:
    """Return whether the report names ``rule`` (on the schedule sheet's ``row`` if given)."""
    return any(
        f.rule == rule and (row is None or (f.sheet == SCHEDULE and f.row == row))
        for f in report.findings
    )


def first_event(workbook: Workbook, test: Callable[[Row], bool]) -> tuple[int, Row]:
    """Return the first event passing ``test``."""
    return next((number, row) for number, row in events(workbook) if test(row))


def test_clean_schedules_verify(scheduled_plan: PlanCase, provisional_plan: PlanCase) -> None:
    """The scheduler's schedules (official and provisional) have no finding."""
    for case in (scheduled_plan, provisional_plan):
        report = verify_plan(case.path, case.source)
        assert report.valid, report.findings[:5]
        assert report.events and report.events > 1000
        assert {"S01", "S02", "S03", "S04", "S05", "S07"} <= set(report.checked)


def test_event_moved_onto_a_holiday_breaks_s03(scheduled_plan: PlanCase, tmp_path: Path) -> None:
    """A monthly event moved onto National Day (2026-10-05) is named under S03."""
    moved: list[int] = []

    def edit(workbook: Workbook) -> None:
        number, _ = first_event(
            workbook, lambda r: r["obligation"] == "LIV" and day(r["date"]).month == 10
        )
        set_cell(workbook[SCHEDULE], number, "date", dt.datetime(2026, 10, 5))
        moved.append(number)

    report = verify_edit(scheduled_plan, tmp_path, edit)
    assert at(report, "S03", moved[0])


def test_event_moved_into_a_blackout_breaks_s03(scheduled_plan: PlanCase, tmp_path: Path) -> None:
    """An event moved into its town's blackout (2026-07-07..09) is named under S03."""
    town_villages = {
        v.id
        for v in scheduled_plan.problem.villages
        if v.town == scheduled_plan.problem.blackouts[0].scope
    }
    moved: list[int] = []

    def edit(workbook: Workbook) -> None:
        number, _ = first_event(
            workbook,
            lambda r: (
                r["village_id"] in town_villages
                and r["obligation"] == "YARD"
                and day(r["date"]).month == 7
            ),
        )
        set_cell(workbook[SCHEDULE], number, "date", dt.datetime(2026, 7, 8))
        moved.append(number)

    report = verify_edit(scheduled_plan, tmp_path, edit)
    assert any(
        f.rule == "S03" and "blackout" in f.en and f.row == moved[0] for f in report.findings
    )


def test_deleted_event_breaks_s01(scheduled_plan: PlanCase, tmp_path: Path) -> None:
    """A deleted weekly reception leaves its week short (S01)."""

    def edit(workbook: Workbook) -> None:
        number, _ = first_event(workbook, lambda r: r["obligation"] == "RCP")
        workbook[SCHEDULE].delete_rows(number)

    report = verify_edit(scheduled_plan, tmp_path, edit)
    assert any(f.rule == "S01" and "RCP" in f.en and "owes 1" in f.en for f in report.findings)


def test_unit_in_two_villages_on_one_day_breaks_s04(
    scheduled_plan: PlanCase, tmp_path: Path
) -> None:
    """The two-village unit's reception moved onto its other village's day: S04."""
    unit = scheduled_plan.problem.units[0].id

    def edit(workbook: Workbook) -> None:
        mine = [
            (n, r) for n, r in events(workbook) if r["unit_id"] == unit and r["obligation"] == "RCP"
        ]
        first = mine[0][1]
        week = day(first["date"]).isocalendar()[:2]
        number, _ = next(
            (n, r)
            for n, r in mine
            if r["village_id"] != first["village_id"] and day(r["date"]).isocalendar()[:2] == week
        )
        set_cell(workbook[SCHEDULE], number, "date", first["date"])

    assert at(verify_edit(scheduled_plan, tmp_path, edit), "S04")


def test_split_joint_day_breaks_s05(scheduled_plan: PlanCase, tmp_path: Path) -> None:
    """One unit's collective labour day moved off its partner's day: S05."""
    moved: list[int] = []

    def edit(workbook: Workbook) -> None:
        number, row = first_event(
            workbook, lambda r: r["obligation"] == "LAB" and day(r["date"]).month == 3
        )
        date = day(row["date"])
        other = date + dt.timedelta(days=1 if date.weekday() < 4 else -1)
        set_cell(workbook[SCHEDULE], number, "date", dt.datetime.combine(other, dt.time()))
        moved.append(number)

    report = verify_edit(scheduled_plan, tmp_path, edit)
    assert at(report, "S05", moved[0])


def test_leader_duty_without_leader_breaks_s07(scheduled_plan: PlanCase, tmp_path: Path) -> None:
    """A leader reception done by a plain member: S07 at the row, and the leader is short."""
    changed: list[int] = []

    def edit(workbook: Workbook) -> None:
        number, row = first_event(workbook, lambda r: r["obligation"] == "RCPL")
        set_cell(workbook[SCHEDULE], number, "people", f"{row['unit_id']}队员")
        changed.append(number)

    report = verify_edit(scheduled_plan, tmp_path, edit)
    assert at(report, "S07", changed[0])
    assert any(f.rule == "S07" and f.row is None for f in report.findings)


def test_unmarked_provisional_date_breaks_s02(provisional_plan: PlanCase, tmp_path: Path) -> None:
    """In 2027 (no official calendar yet) an event not marked 暂定 is named under S02."""
    changed: list[int] = []

    def edit(workbook: Workbook) -> None:
        set_cell(workbook[SCHEDULE], 2, "provisional", "否")
        changed.append(2)

    assert at(verify_edit(provisional_plan, tmp_path, edit), "S02", changed[0])


def test_event_for_a_pair_outside_the_plan_is_integrity(
    scheduled_plan: PlanCase, tmp_path: Path
) -> None:
    """An event naming a pair the plan does not have, or a date outside the year: INT."""

    def edit(workbook: Workbook) -> None:
        sheet = workbook[SCHEDULE]
        set_cell(sheet, 2, "village_id", "V99999")
        set_cell(sheet, 3, "date", dt.datetime(2025, 12, 31))

    report = verify_edit(scheduled_plan, tmp_path, edit)
    assert at(report, "INT", 2) and at(report, "INT", 3)


def test_recorded_horizon_is_the_one_judged(scheduled_plan: PlanCase, tmp_path: Path) -> None:
    """The 日程指标 sheet's start/end (a run with --from/--to) is the horizon judged: events
    after its end are outside it (INT)."""

    def edit(workbook: Workbook) -> None:
        name = "日程指标 schedule_summary"
        if name in workbook.sheetnames:
            del workbook[name]
        sheet = workbook.create_sheet(name)
        sheet.append(["指标 (name)", "键 (key)", "值 (value)"])
        sheet.append(["排期开始", "start", "2026-01-01"])
        sheet.append(["排期结束", "end", "2026-06-30"])

    report = verify_edit(scheduled_plan, tmp_path, edit)
    outside = [f for f in report.findings if f.rule == "INT" and "outside the horizon" in f.en]
    assert outside and report.horizon == "2026-01-01..2026-06-30"
