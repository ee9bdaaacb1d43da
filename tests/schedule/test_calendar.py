"""The working calendar: official data, make-up days, overrides, the provisional fallback."""

from __future__ import annotations

import datetime as dt

import pytest

from pairing.domain.errors import InputError
from pairing.domain.model import HolidayOverride
from pairing.schedule.calendar import build_calendar, official_years, refuse_provisional

D = dt.date


def test_2026_official_holidays_are_holidays_and_not_workdays() -> None:
    """National Day 2026-10-01..07 and Spring Festival 2026-02-15..23 are holidays."""
    calendar = build_calendar(D(2026, 1, 1), D(2026, 12, 31))
    festive = [D(2026, 10, d) for d in range(1, 8)] + [D(2026, 2, d) for d in range(15, 24)]
    for date in festive:
        day = calendar.day(date)
        assert day.holiday and not day.workday and not day.provisional, date
    assert calendar.day(D(2026, 10, 1)).holiday_name == "国庆节"
    assert calendar.day(D(2026, 2, 17)).holiday_name == "春节"


def test_make_up_saturday_is_a_workday_not_a_weekend() -> None:
    """2026-02-14 (Saturday) is a 调休 working day: workday, not weekend, not a holiday."""
    day = build_calendar(D(2026, 2, 1), D(2026, 2, 28)).day(D(2026, 2, 14))
    assert day.workday and day.makeup and not day.weekend and not day.holiday
    assert day.has_type("workday") and not day.has_type("weekend")


def test_ordinary_weekend_is_weekend_but_not_a_holiday() -> None:
    """A plain Saturday is 周末 and may hold an 'avoid' obligation of type weekend."""
    day = build_calendar(D(2026, 3, 1), D(2026, 3, 31)).day(D(2026, 3, 7))
    assert day.weekend and not day.holiday and not day.workday
    assert day.allows("weekend", "avoid") and not day.allows("workday", "avoid")


def test_festival_on_a_weekend_is_both_weekend_and_holiday() -> None:
    """2026-10-03 (Saturday, National Day) is a weekend day that 'avoid' still refuses."""
    day = build_calendar(D(2026, 10, 1), D(2026, 10, 31)).day(D(2026, 10, 3))
    assert day.weekend and day.holiday
    assert not day.allows("weekend", "avoid") and day.allows("weekend", "allow")


def test_overrides_win_over_the_official_calendar() -> None:
    """A 休 row makes a workday a holiday; a 班 row makes a Sunday a workday."""
    overrides = [
        HolidayOverride(D(2026, 3, 4), "holiday", 5),
        HolidayOverride(D(2026, 3, 8), "workday", 6),
    ]
    calendar = build_calendar(D(2026, 3, 1), D(2026, 3, 31), overrides)
    assert calendar.day(D(2026, 3, 4)).holiday and not calendar.day(D(2026, 3, 4)).workday
    assert calendar.day(D(2026, 3, 4)).override_row == 5
    assert calendar.day(D(2026, 3, 8)).workday and calendar.day(D(2026, 3, 8)).makeup


def test_2027_falls_back_to_rules_and_is_provisional_without_error() -> None:
    """2027 is beyond chinesecalendar 1.11.0: no NotImplementedError, every date provisional."""
    calendar = build_calendar(D(2027, 1, 1), D(2027, 12, 31))
    assert all(day.provisional for day in calendar.days)
    assert calendar.day(D(2027, 10, 1)).holiday  # National Day, by the holidays package
    assert calendar.day(D(2027, 3, 3)).workday  # a plain Wednesday
    assert not calendar.day(D(2027, 3, 6)).workday  # a plain Saturday: no make-up days known
    straddling = build_calendar(D(2026, 12, 1), D(2027, 1, 31))
    assert straddling.provisional_years(D(2026, 12, 1), D(2027, 1, 31)) == (2027,)
    assert straddling.provisional_years(D(2026, 12, 1), D(2026, 12, 31)) == ()
    assert official_years(2025, 2028) == (2025, 2026)


def test_strict_calendar_refuses_uncovered_years_bilingually() -> None:
    """refuse_provisional raises InputError naming the year in Chinese and English."""
    with pytest.raises(InputError) as caught:
        refuse_provisional([2027])
    issue = caught.value.issues[0]
    assert "2027" in issue.zh and "2027" in issue.en and "暂定" not in issue.en
    refuse_provisional([])  # nothing to refuse


def test_days_outside_the_calendar_are_refused() -> None:
    """Asking for a date outside the built range is a programming error, not a silent guess."""
    with pytest.raises(KeyError):
        build_calendar(D(2026, 1, 1), D(2026, 1, 31)).day(D(2026, 2, 1))
    with pytest.raises(KeyError):
        build_calendar(D(2026, 1, 1), D(2026, 1, 31)).between(D(2025, 12, 31), D(2026, 1, 2))
