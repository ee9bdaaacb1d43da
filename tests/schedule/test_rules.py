"""Every schedule rule holds on produced schedules, binds where it should and is idle elsewhere.

"Binding" means: the same tiny case without the rule (the rule's trigger removed from the
data, or its weight set to 0) gives a different schedule, and the schedule with the rule obeys
it. "Not binding" means: the rule is present but the schedule equals the one without it. Every
schedule is also checked by the independent checker (``checker.py``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

import pytest

from pairing.domain.model import Blackout, Member, Problem
from pairing.domain.plan import Schedule
from pairing.schedule import make_schedule

from .builders import county, duty, settings, wuge_yi_county
from .checker import violations

D = dt.date
MARCH = settings(D(2026, 3, 2), D(2026, 3, 29))


def scheduled(problem: Problem, pairs: Sequence[tuple[str, str]]) -> Schedule:
    """Return the schedule of ``pairs``, after the independent checker found no violation."""
    schedule = make_schedule(problem, pairs, time_limit_s=60)
    assert violations(problem, pairs, schedule) == {}
    return schedule


def dates_of(schedule: Schedule, code: str = "D", unit: str | None = None) -> list[dt.date]:
    """Return the dates of one obligation's events (of one unit), in order."""
    return [e.date for e in schedule.events if e.obligation == code and unit in (None, e.unit_id)]


@pytest.fixture(scope="module")
def wuge_yi_2026() -> tuple[Problem, list[tuple[str, str]], Schedule]:
    """The small 五个一 county, scheduled once for the whole of 2026."""
    problem, pairs = wuge_yi_county(2026)
    return problem, pairs, scheduled(problem, pairs)


def test_wuge_yi_year_obeys_every_hard_rule(
    wuge_yi_2026: tuple[Problem, list[tuple[str, str]], Schedule],
) -> None:
    """A year of the 五个一 for six pairs passes the independent checker (S01-S05, S07)."""
    problem, pairs, schedule = wuge_yi_2026
    assert violations(problem, pairs, schedule) == {}
    counts = Counter(e.obligation for e in schedule.events)
    # 51 weekly receptions a pair: W01 belongs to 2025, W08 is all Spring Festival.
    assert counts["RCP"] == 6 * 51 and counts["LAB"] == 6 * 12 and counts["PRJ"] == 6 * 4
    assert schedule.facts.proven and schedule.provisional_years == ()


def test_no_avoiding_event_on_a_2026_official_holiday(
    wuge_yi_2026: tuple[Problem, list[tuple[str, str]], Schedule],
) -> None:
    """Nothing that avoids holidays lands on 2026-10-01..07, 02-15..23 or the 休 override."""
    problem, _, schedule = wuge_yi_2026
    festive = {D(2026, 10, d) for d in range(1, 8)} | {D(2026, 2, d) for d in range(15, 24)}
    festive.add(D(2026, 11, 11))
    avoiding = {o.code for o in problem.obligations if o.holiday_policy == "avoid"}
    assert not [e for e in schedule.events if e.obligation in avoiding and e.date in festive]


def test_s01_binds_three_times_a_month_on_three_days() -> None:
    """S01 binding: times=3 gives three events on different days though S08 wants one trip."""
    three = scheduled(
        county([("U1", "V1")], [duty(every="month", times=3)], config=MARCH), [("U1", "V1")]
    )
    one = scheduled(county([("U1", "V1")], [duty(every="month")], config=MARCH), [("U1", "V1")])
    assert len(set(dates_of(three))) == 3 and len(dates_of(one)) == 1


def test_s01_idle_for_a_month_mostly_outside_the_horizon() -> None:
    """S01 not binding: March has 8 of 22 workdays in a horizon from 03-20: no March event."""
    config = settings(D(2026, 3, 20), D(2026, 4, 30))
    schedule = scheduled(
        county([("U1", "V1")], [duty(every="month")], config=config), [("U1", "V1")]
    )
    assert [d.month for d in dates_of(schedule)] == [4]


def test_s02_binds_weekend_duties_to_weekends_and_make_up_days_count_as_workdays() -> None:
    """S02 binding: a weekend duty goes to Sat/Sun, 'any' to mid-week; 02-14 (调休) is a workday."""
    week = settings(D(2026, 3, 2), D(2026, 3, 8))
    weekend = scheduled(
        county([("U1", "V1")], [duty(day_type="weekend")], config=week), [("U1", "V1")]
    )
    anyday = scheduled(county([("U1", "V1")], [duty(day_type="any")], config=week), [("U1", "V1")])
    assert dates_of(weekend)[0].weekday() >= 5 and dates_of(anyday)[0].weekday() < 5
    # Only 2026-02-14 (a Saturday, 调休 working day) is open in its week: the workday duty uses it.
    shut = Blackout("all", "全部", D(2026, 2, 9), D(2026, 2, 13), "测试", 7)
    config = settings(D(2026, 2, 9), D(2026, 2, 15))
    problem = county([("U1", "V1")], [duty()], blackouts=[shut], config=config)
    assert dates_of(scheduled(problem, [("U1", "V1")])) == [D(2026, 2, 14)]


def test_s02_idle_for_any_day_type() -> None:
    """S02 not binding: day type 'any' in a week without holidays lands on the middle day."""
    week = settings(D(2026, 3, 2), D(2026, 3, 8))
    schedule = scheduled(
        county([("U1", "V1")], [duty(day_type="any")], config=week), [("U1", "V1")]
    )
    assert dates_of(schedule) == [D(2026, 3, 5)]


def test_s03_binds_holidays_and_blackouts() -> None:
    """S03 binding: 'avoid' leaves National Day for 09-28..30; a blackout moves a duty off its day."""
    week = settings(D(2026, 9, 28), D(2026, 10, 4))
    avoid = scheduled(county([("U1", "V1")], [duty(day_type="any")], config=week), [("U1", "V1")])
    allow = scheduled(
        county([("U1", "V1")], [duty(day_type="any", policy="allow")], config=week), [("U1", "V1")]
    )
    assert dates_of(avoid)[0] < D(2026, 10, 1) and dates_of(allow)[0] >= D(2026, 10, 1)
    march = settings(D(2026, 3, 2), D(2026, 3, 8))
    free = scheduled(county([("U1", "V1")], [duty()], config=march), [("U1", "V1")])
    block = Blackout("village", "V1", free.events[0].date, free.events[0].date, "村务", 3)
    moved = scheduled(
        county([("U1", "V1")], [duty()], blackouts=[block], config=march), [("U1", "V1")]
    )
    assert dates_of(moved) != dates_of(free)


def test_s03_idle_for_blackouts_of_other_scopes() -> None:
    """S03 not binding: blackouts of another town, village and unit change nothing."""
    march = settings(D(2026, 3, 2), D(2026, 3, 8))
    free = scheduled(county([("U1", "V1")], [duty()], config=march), [("U1", "V1")])
    day = free.events[0].date
    others = [
        Blackout("town", "镇Z", day, day, "", 2),
        Blackout("village", "V9", day, day, "", 3),
        Blackout("unit", "U9", day, day, "", 4),
    ]
    same = scheduled(
        county([("U1", "V1")], [duty()], blackouts=others, config=march), [("U1", "V1")]
    )
    assert dates_of(same) == dates_of(free)


def test_s04_binds_a_unit_with_two_villages_to_two_days() -> None:
    """S04 binding: one unit at V1 and V2 takes two days; two units would share mid-week."""
    week = settings(D(2026, 3, 2), D(2026, 3, 8))
    shared = scheduled(
        county([("U1", "V1"), ("U1", "V2")], [duty()], config=week), [("U1", "V1"), ("U1", "V2")]
    )
    apart = scheduled(
        county([("U1", "V1"), ("U2", "V2")], [duty()], config=week), [("U1", "V1"), ("U2", "V2")]
    )
    assert len(set(dates_of(shared))) == 2 and len(set(dates_of(apart))) == 1


def test_s04_allows_several_duties_at_one_village_the_same_day() -> None:
    """S04 not binding: two duties at the same village share one visit day (S08 bundles them)."""
    week = settings(D(2026, 3, 2), D(2026, 3, 8))
    problem = county([("U1", "V1")], [duty("A"), duty("B")], config=week)
    schedule = scheduled(problem, [("U1", "V1")])
    assert dates_of(schedule, "A") == dates_of(schedule, "B")


def test_s05_binds_joint_duties_to_one_day_despite_a_unit_blackout() -> None:
    """S05 binding: U2's blackout on the target moves the joint day for both units."""
    week = settings(D(2026, 3, 2), D(2026, 3, 8))
    block = Blackout("unit", "U2", D(2026, 3, 4), D(2026, 3, 4), "会议", 2)
    pairs = [("U1", "V1"), ("U2", "V1")]
    joint = scheduled(county(pairs, [duty(joint=True)], blackouts=[block], config=week), pairs)
    alone = scheduled(county(pairs, [duty()], blackouts=[block], config=week), pairs)
    assert dates_of(joint, unit="U1") == dates_of(joint, unit="U2")
    assert dates_of(alone, unit="U1") != dates_of(alone, unit="U2")
    assert {e.joint_with for e in joint.events} == {("U2",), ("U1",)}


def test_s05_idle_without_conflicts() -> None:
    """S05 not binding: without blackouts the joint day equals each unit's own best day."""
    week = settings(D(2026, 3, 2), D(2026, 3, 8))
    pairs = [("U1", "V1"), ("U2", "V1")]
    joint = scheduled(county(pairs, [duty(joint=True)], config=week), pairs)
    alone = scheduled(county(pairs, [duty()], config=week), pairs)
    assert dates_of(joint) == dates_of(alone)


def test_s06_spreads_weekly_duties_to_mid_week() -> None:
    """S06: a weekly workday duty sits on Wednesday, the middle working day of a plain week."""
    schedule = scheduled(county([("U1", "V1")], [duty()], config=MARCH), [("U1", "V1")])
    assert {d.weekday() for d in dates_of(schedule)} == {2}


def test_s06_against_s08_the_heavier_weight_wins() -> None:
    """S06 vs S08: bundling the monthly duty onto a weekly visit, or keeping it mid-month."""
    pairs = [("U1", "V1")]
    duties = [duty("W"), duty("M", every="month")]
    bundled = scheduled(
        county(pairs, duties, config=settings(D(2026, 3, 1), D(2026, 3, 31), s06=1, s08=5)), pairs
    )
    spread = scheduled(
        county(pairs, duties, config=settings(D(2026, 3, 1), D(2026, 3, 31), s06=10, s08=1)), pairs
    )
    assert len({e.date for e in bundled.events}) == 4  # the monthly duty rides a weekly visit
    assert len({e.date for e in spread.events}) == 5  # it keeps its own mid-month day
    assert dates_of(spread, "M")[0] in (D(2026, 3, 16), D(2026, 3, 17))


def test_s06_idle_when_a_period_has_one_open_day() -> None:
    """S06 not binding: with one open day the weight does not matter."""
    shut = Blackout("all", "全部", D(2026, 3, 3), D(2026, 3, 6), "", 2)
    week = settings(D(2026, 3, 2), D(2026, 3, 8), s06=100)
    schedule = scheduled(
        county([("U1", "V1")], [duty()], blackouts=[shut], config=week), [("U1", "V1")]
    )
    assert dates_of(schedule) == [D(2026, 3, 2)]


def test_s07_binds_one_reception_per_leader_per_month() -> None:
    """S07 binding: two 组长 give two monthly receptions, one each, on their own days."""
    pairs = [("U1", "V1")]
    leaders = [Member("U1", "甲", "leader"), Member("U1", "乙", "leader"), Member("U1", "丙")]
    two = scheduled(
        county(pairs, [duty(every="month", who="leader")], members=leaders, config=MARCH), pairs
    )
    none = scheduled(county(pairs, [duty(every="month", who="leader")], config=MARCH), pairs)
    assert sorted(e.people for e in two.events) == [("乙",), ("甲",)]
    assert len(none.events) == 1 and none.events[0].people == ()


def test_s07_idle_for_unit_duties() -> None:
    """S07 not binding: a unit duty is one event for the team, whatever the leaders."""
    pairs = [("U1", "V1")]
    leaders = [Member("U1", "甲", "leader"), Member("U1", "乙", "leader")]
    schedule = scheduled(county(pairs, [duty(every="month")], members=leaders, config=MARCH), pairs)
    assert [e.people for e in schedule.events] == [("甲", "乙")]


def test_s08_idle_with_a_single_duty() -> None:
    """S08 not binding: one duty, one event a week, whatever the trip weight."""
    pairs = [("U1", "V1")]
    cheap = scheduled(
        county(pairs, [duty()], config=settings(D(2026, 3, 2), D(2026, 3, 29), s08=0)), pairs
    )
    dear = scheduled(
        county(pairs, [duty()], config=settings(D(2026, 3, 2), D(2026, 3, 29), s08=50)), pairs
    )
    assert dates_of(cheap) == dates_of(dear)
