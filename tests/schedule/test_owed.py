"""What each period owes: ISO weeks, calendar caps (waivers) and horizon cuts."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from pairing.schedule.calendar import build_calendar
from pairing.schedule.horizon import Horizon
from pairing.schedule.owed import owed_periods
from pairing.schedule.periods import extent, period_of, spans

from .builders import county, duty

D = dt.date


def owed_of(obligation_every: str, start: dt.date, end: dt.date, **kw: object) -> dict[str, int]:
    """Return {period label: count} for one obligation over a horizon."""
    problem = county([("U1", "V1")], [duty(every=obligation_every, **kw)])  # type: ignore[arg-type]
    horizon = Horizon(start, end)
    calendar = build_calendar(*extent(start, end), problem.holidays)
    owed, _ = owed_periods(problem, calendar, horizon)
    return {entry.span.label: entry.count for entry in owed}


def test_weeks_are_iso_weeks() -> None:
    """2026-01-01 (Thursday) lies in ISO week 2026-W01, which starts on 2025-12-29."""
    week = period_of("week", D(2026, 1, 1))
    assert (week.label, week.start, week.end) == ("2026-W01", D(2025, 12, 29), D(2026, 1, 4))
    assert period_of("week", D(2026, 12, 31)).label == "2026-W53"
    assert len(spans("week", D(2026, 1, 1), D(2026, 12, 31))) == 53
    assert period_of("quarter", D(2026, 8, 9)).start == D(2026, 7, 1)


def test_a_week_that_is_all_spring_festival_owes_nothing_and_is_waived() -> None:
    """2026-W08 (02-16..22) has no working day: the weekly workday duty is waived."""
    problem = county([("U1", "V1")], [duty(every="week")])
    horizon = Horizon(D(2026, 2, 1), D(2026, 2, 28))
    calendar = build_calendar(*extent(horizon.start, horizon.end))
    owed, waivers = owed_periods(problem, calendar, horizon)
    assert "2026-W08" not in {entry.span.label for entry in owed}
    assert [(w.span.label, w.owed) for w in waivers] == [("2026-W08", 0)]
    assert "2026-W08" in waivers[0].en() and "春节" not in waivers[0].en()


def test_partial_first_week_owes_by_its_share_of_eligible_days() -> None:
    """2026-W01 has four workdays, three in 2025: the 2026 plan owes it nothing (1 of 4)."""
    counts = owed_of("week", D(2026, 1, 1), D(2026, 1, 31))
    assert "2026-W01" not in counts and counts["2026-W02"] == 1
    # The 2025 plan owes it (3 of 4 working days fall in 2025).
    assert owed_of("week", D(2025, 12, 1), D(2025, 12, 31))["2026-W01"] == 1


def test_partial_month_owes_only_with_most_of_its_working_days() -> None:
    """A horizon from 2026-03-20 holds 8 of March's 22 workdays: March owes nothing."""
    counts = owed_of("month", D(2026, 3, 20), D(2026, 4, 30))
    assert "2026-03" not in counts and counts["2026-04"] == 1
    assert owed_of("month", D(2026, 3, 10), D(2026, 4, 30))["2026-03"] == 1


def test_times_above_the_eligible_days_are_capped() -> None:
    """Three a week in 2026-W41 (three workdays after National Day) fits exactly; W40 too."""
    counts = owed_of("week", D(2026, 9, 28), D(2026, 10, 11), times=3)
    assert counts == {"2026-W40": 3, "2026-W41": 3}
    counts = owed_of("week", D(2026, 9, 28), D(2026, 10, 11), times=4)
    assert counts == {"2026-W40": 3, "2026-W41": 3}


@settings(max_examples=60, deadline=None)
@given(
    every=st.sampled_from(["week", "month", "quarter"]),
    times=st.integers(1, 4),
    day=st.integers(0, 360),
)
def test_shares_of_a_split_period_add_up_to_the_whole(every: str, times: int, day: int) -> None:
    """Cutting the horizon anywhere never loses or doubles a duty: the two parts owe times."""
    split = D(2026, 1, 1) + dt.timedelta(days=day)
    span = period_of(every, split)  # type: ignore[arg-type]
    left = {}
    if split > span.start:
        left = owed_of(every, span.start, split - dt.timedelta(days=1), times=times)
    right = owed_of(every, split, span.end, times=times)
    whole = owed_of(every, span.start, span.end, times=times)
    assert left.get(span.label, 0) + right.get(span.label, 0) == whole.get(span.label, 0)
