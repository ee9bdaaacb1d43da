"""Schedules that cannot be made say why: obligation, period, pair and blocking rows."""

from __future__ import annotations

import datetime as dt

import pytest

from pairing.cpsat.schedule import GroupSpec, Limits, OccurrenceSpec, diagnose
from pairing.domain.errors import InfeasibleError, InputError
from pairing.domain.model import Blackout
from pairing.schedule import make_schedule, pipeline

from .builders import county, duty, settings

D = dt.date


def reasons(error: InfeasibleError) -> str:
    """Return every reason as one text (both languages)."""
    return "\n".join(str(reason) for reason in error.reasons)


def test_a_month_long_blackout_names_obligation_period_pair_and_row() -> None:
    """A village blacked out for all of March cannot hold its monthly duty: S03, row 7."""
    shut = Blackout("village", "V1", D(2026, 3, 1), D(2026, 3, 31), "修路", 7)
    pairs = [("U1", "V1"), ("U2", "V2")]
    problem = county(
        pairs,
        [duty("LAB", every="month", row=3)],
        blackouts=[shut],
        config=settings(D(2026, 2, 1), D(2026, 4, 30)),
    )
    with pytest.raises(InfeasibleError) as caught:
        make_schedule(problem, pairs)
    text = reasons(caught.value)
    assert "LAB" in text and "2026-03" in text and "U1" in text and "V1" in text
    assert "V2" not in text and "2026-02" not in text
    sheets_rows = {(r.sheet, r.row, r.rule) for r in caught.value.reasons}
    assert ("禁排日期 blackouts", 7, "S03") in sheets_rows
    assert ("活动要求 obligations", 3, "S03") in sheets_rows


def test_three_villages_and_a_weekly_joint_duty_in_a_short_week() -> None:
    """U1 has three villages; week 2026-W40 has two open workdays: S04 names unit and row."""
    pairs = [("U1", "V1"), ("U1", "V2"), ("U1", "V3"), ("U2", "V1"), ("U3", "V2"), ("U4", "V3")]
    shut = Blackout("all", "全部", D(2026, 9, 30), D(2026, 9, 30), "会议", 9)
    problem = county(
        pairs,
        [duty("RCP", joint=True, row=6)],
        blackouts=[shut],
        config=settings(D(2026, 9, 28), D(2026, 10, 4)),
    )
    with pytest.raises(InfeasibleError) as caught:
        make_schedule(problem, pairs)
    first = caught.value.reasons[0]
    assert first.rule == "S04" and first.row == 6
    assert "U1" in first.en and "V1" in first.en and "V3" in first.en and "2026-W40" in first.en
    assert any(r.row == 9 and r.sheet == "禁排日期 blackouts" for r in caught.value.reasons)


def test_the_solver_core_names_the_conflicting_duties(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the pre-check, the solver proves the conflict and its core names the duties."""
    monkeypatch.setattr(pipeline, "_precheck", lambda duties, ready: None)
    pairs = [("U1", "V1"), ("U1", "V2"), ("U1", "V3")]
    shut = Blackout("all", "全部", D(2026, 9, 30), D(2026, 9, 30), "会议", 9)
    problem = county(
        pairs,
        [duty("RCP", row=6)],
        blackouts=[shut],
        config=settings(D(2026, 9, 28), D(2026, 10, 4)),
    )
    with pytest.raises(InfeasibleError) as caught:
        make_schedule(problem, pairs)
    text = reasons(caught.value)
    assert "RCP" in text and "2026-W40" in text and "U1" in text
    assert {r.rule for r in caught.value.reasons} >= {"S04", "S01"}


def test_diagnose_returns_the_duties_of_a_conflict() -> None:
    """Two pairs of one unit, one day each, the same day: the core holds both duties."""
    spec = GroupSpec(
        key=0,
        pair_units=(0, 0, 1),
        occurrences=(
            OccurrenceSpec((0,), (3,), (0,), 0),
            OccurrenceSpec((1,), (3,), (0,), 1),
            OccurrenceSpec((2,), (3, 4), (0, 0), 2),
        ),
        distinct=(),
        trip_cost=0,
        duties=3,
    )
    assert set(diagnose(spec, Limits(5, 5))) == {0, 1}


def test_unknown_and_repeated_pairs_are_input_errors() -> None:
    """A pair naming an unknown unit or village, or listed twice, is refused (exit 3)."""
    problem = county([("U1", "V1")], [duty()])
    with pytest.raises(InputError) as caught:
        make_schedule(problem, [("U1", "V1"), ("U9", "V1"), ("U1", "V1")])
    text = "\n".join(str(issue) for issue in caught.value.issues)
    assert "U9" in text and "twice" in text


def test_a_horizon_that_ends_before_it_starts_is_an_input_error() -> None:
    """schedule_to before schedule_from is refused, naming the settings."""
    problem = county([("U1", "V1")], [duty()], config=settings(D(2026, 5, 1), D(2026, 4, 1)))
    with pytest.raises(InputError) as caught:
        make_schedule(problem, [("U1", "V1")])
    assert caught.value.issues[0].column == "schedule_to"


def test_strict_calendar_refuses_2027_and_plain_mode_schedules_it() -> None:
    """2027 is provisional: strict refuses (InputError), plain mode flags every event."""
    pairs = [("U1", "V1")]
    problem = county(pairs, [duty()], config=settings(D(2027, 3, 1), D(2027, 3, 31), year=2027))
    with pytest.raises(InputError):
        make_schedule(problem, pairs, strict_calendar=True)
    schedule = make_schedule(problem, pairs)
    assert schedule.provisional_years == (2027,)
    assert schedule.events and all(event.provisional for event in schedule.events)
