"""The verifier's own definitions, one at a time, against the contract's worked examples."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from pathlib import Path

from pairing.domain.geo import great_circle_km
from pairing.domain.model import HolidayOverride, Obligation, Problem, Settings, Unit, Village
from pairing.io.reader import file_sha256
from pairing.verify.reading.grids import input_sha256
from pairing.verify.reading.plan_sheets import Claimed
from pairing.verify.rules.compare import mismatches
from pairing.verify.rules.facts import haversine_km
from pairing.verify.rules.soft import COST_UNITS, shortfall_cost, strength_target
from pairing.verify.schedule.calendar import calendar_of, covered
from pairing.verify.schedule.periods import owed, period_of, spans

WEEKLY = Obligation("RCP", "走访接待", "week", 1, False, "workday", "avoid", "unit")
OFFICIAL = calendar_of((), "weekday")


def test_haversine_matches_the_contract_distance() -> None:
    """The verifier's own haversine gives the same km as the domain's (bit for bit)."""
    points = [(21.92, 110.85, 22.1, 111.02), (21.9111, 110.8493, 21.9237, 110.8328)]
    for lat1, lon1, lat2, lon2 in points:
        assert haversine_km(lat1, lon1, lat2, lon2) == great_circle_km(lat1, lon1, lat2, lon2)


def test_input_sha256_matches_the_readers_definition(tmp_path: Path) -> None:
    """A file hashes its bytes; a folder its sorted .csv files, each name then bytes."""
    (tmp_path / "b.csv").write_text("x\n", encoding="utf-8")
    (tmp_path / "a.csv").write_text("y\n", encoding="utf-8")
    (tmp_path / "note.txt").write_text("ignored", encoding="utf-8")
    assert input_sha256(tmp_path) == file_sha256(tmp_path)
    assert input_sha256(tmp_path / "a.csv") == file_sha256(tmp_path / "a.csv")


def test_calendar_follows_the_official_notices() -> None:
    """2026-02-14 is a make-up Saturday (workday), 2026-02-17 a Spring Festival holiday;
    an uncovered year is held to weekday rules; overrides win."""
    assert covered(2026) and not covered(2031)
    assert OFFICIAL.day(dt.date(2026, 2, 14)).workday
    festival = OFFICIAL.day(dt.date(2026, 2, 17))
    assert festival.holiday and not festival.workday
    assert not OFFICIAL.day(dt.date(2026, 3, 7)).holiday  # an ordinary Saturday
    guess = OFFICIAL.day(dt.date(2031, 1, 1))
    assert guess.workday and not guess.holiday and not guess.official
    rules = calendar_of((), "rules").day(dt.date(2031, 1, 1))
    assert rules.holiday and not rules.workday
    overridden = calendar_of((HolidayOverride(dt.date(2026, 3, 4), "holiday"),), "weekday")
    assert overridden.day(dt.date(2026, 3, 4)).holiday


def test_owed_by_cumulative_rounding() -> None:
    """SCHEDULE.md's examples: 2026-W01 owes the 2026 plan nothing; 2026-W08 (all Spring
    Festival) owes nothing; a plan from 10 March owes March's monthly duty, from 20 March not."""
    first_week = period_of("week", dt.date(2026, 1, 1))
    assert first_week.label == "2026-W01"
    assert owed(WEEKLY, first_week, dt.date(2026, 1, 1), first_week.end, OFFICIAL) == 0
    assert owed(WEEKLY, first_week, first_week.start, dt.date(2025, 12, 31), OFFICIAL) == 1
    festival = period_of("week", dt.date(2026, 2, 18))
    assert owed(WEEKLY, festival, festival.start, festival.end, OFFICIAL) == 0
    monthly = Obligation("LIV", "民生实事", "month", 1, False, "workday", "avoid", "unit")
    march = period_of("month", dt.date(2026, 3, 1))
    assert owed(monthly, march, dt.date(2026, 3, 10), march.end, OFFICIAL) == 1
    assert owed(monthly, march, dt.date(2026, 3, 20), march.end, OFFICIAL) == 0


def test_spans_cover_the_horizon() -> None:
    """ISO weeks, months and quarters that overlap a horizon, in order, without gaps."""
    weeks = list(spans("week", dt.date(2027, 1, 1), dt.date(2027, 12, 31)))
    assert weeks[0].label == "2026-W53" and weeks[-1].label == "2027-W52"
    assert all(b.start - a.end == dt.timedelta(days=1) for a, b in itertools.pairwise(weeks))
    assert [q.label for q in spans("quarter", dt.date(2027, 2, 1), dt.date(2027, 7, 1))] == [
        "2027-Q1",
        "2027-Q2",
        "2027-Q3",
    ]


def test_p12_tiers_rise() -> None:
    """P12: target round(10 × r × mean × b); each deeper tier of shortfall costs more."""
    units = (Unit("U1", "甲", strength=2.0), Unit("U2", "乙", strength=4.0))
    village = Village("V1", "一村", "镇", units_required=2)
    typical = Village("V2", "二村", "镇", typical=True, units_required=2)
    problem = Problem(units, (village, typical), settings=Settings())
    assert strength_target(problem, village) == 60
    assert strength_target(problem, typical) == 72
    w = 10.0
    unit = COST_UNITS  # cost units a point
    expected = sum(round(unit * w * k / 10) * 10 for k in (1, 2, 3)) + round(unit * w * 4 / 10) * 0
    assert shortfall_cost(problem, village, 30) == expected  # 30 tenths short: tiers 1-3
    assert shortfall_cost(problem, typical, 72) == 0
    deeper = shortfall_cost(problem, typical, 50) - shortfall_cost(problem, typical, 60)
    shallower = shortfall_cost(problem, typical, 60) - shortfall_cost(problem, typical, 70)
    assert deeper > shallower > 0
    assert math.isclose(
        shortfall_cost(problem, typical, 62), 2 * shortfall_cost(problem, village, 50)
    )


def test_blank_cells_claim_zero() -> None:
    """A blank claimed cell claims 0 points: equal to a zero term, a mismatch otherwise."""
    claim = Claimed(5, "U1", {"P13": None})
    assert mismatches(claim, {"P13": 0.0}, "s", ("x", "x")) == []
    assert mismatches(claim, {"P13": 1.5}, "s", ("x", "x"))[0].rule == "P13"
