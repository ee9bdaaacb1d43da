"""Small problems built in code for the schedule tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

from pairing.domain.model import (
    Blackout,
    DayType,
    HolidayOverride,
    HolidayPolicy,
    Member,
    Obligation,
    Period,
    Problem,
    Settings,
    Unit,
    Village,
    Who,
)
from pairing.domain.rules import default_weights
from pairing.domain.schema import BLACKOUTS, HOLIDAYS, MEMBERS, UNITS, VILLAGES
from pairing.io.output import save_workbook
from pairing.io.rulemodel import load_rule_model
from pairing.io.template import Rows, build_input_workbook, obligation_rows, settings_rows
from pairing.io.workbook_writer import record_row

Pairs = list[tuple[str, str]]


def duty(
    code: str = "D",
    every: Period = "week",
    *,
    times: int = 1,
    joint: bool = False,
    day_type: DayType = "workday",
    policy: HolidayPolicy = "avoid",
    who: Who = "unit",
    row: int = 2,
) -> Obligation:
    """Return one obligation."""
    return Obligation(code, f"活动{code}", every, times, joint, day_type, policy, who, row)


def settings(
    start: dt.date | None = None,
    end: dt.date | None = None,
    *,
    year: int = 2026,
    s06: float | None = None,
    s08: float | None = None,
) -> Settings:
    """Return settings for a horizon (default: the whole plan year) and the S06/S08 weights."""
    weights = default_weights()
    if s06 is not None:
        weights["S06"] = s06
    if s08 is not None:
        weights["S08"] = s08
    return Settings(
        plan_year=year,
        schedule_from=start,
        schedule_to=end,
        weights=MappingProxyType(weights),
        county_seat=(21.92, 110.85),
    )


def county(
    pairs: Sequence[tuple[str, str]],
    obligations: Sequence[Obligation],
    *,
    towns: dict[str, str] | None = None,
    blackouts: Sequence[Blackout] = (),
    holidays: Sequence[HolidayOverride] = (),
    members: Sequence[Member] = (),
    config: Settings | None = None,
) -> Problem:
    """Return a problem with the units and villages the pairs name (town 镇A unless given)."""
    unit_ids = list(dict.fromkeys(unit for unit, _ in pairs))
    village_ids = list(dict.fromkeys(village for _, village in pairs))
    towns = towns or {}
    return Problem(
        tuple(Unit(u, f"单位{u}", lat=21.92, lon=110.85) for u in unit_ids),
        tuple(
            Village(v, f"村{v}", towns.get(v, "镇A"), lat=21.95 + 0.01 * i, lon=110.9)
            for i, v in enumerate(village_ids)
        ),
        settings=config or settings(),
        obligations=tuple(obligations),
        blackouts=tuple(blackouts),
        holidays=tuple(holidays),
        members=tuple(members),
    )


def wuge_yi_county(year: int = 2026) -> tuple[Problem, Pairs]:
    """Return a small county with the 五个一 obligations: 3 villages, 6 pairs, one unit with two
    villages of one town, teams with one or two leaders, a town and a unit blackout.
    """
    pairs = [("U1", "V1"), ("U2", "V1"), ("U1", "V2"), ("U3", "V2"), ("U4", "V3"), ("U5", "V3")]
    members = [
        Member("U1", "甲组长", "leader"),
        Member("U1", "乙组长", "leader"),
        Member("U1", "丙队员"),
        Member("U2", "丁组长", "leader"),
        Member("U3", "戊队员"),
        Member("U4", "己组长", "leader"),
        Member("U5", "庚组长", "leader"),
    ]
    blackouts = [
        Blackout("town", "镇B", dt.date(year, 7, 7), dt.date(year, 7, 8), "农忙", 2),
        Blackout("unit", "U3", dt.date(year, 9, 1), dt.date(year, 9, 2), "会议", 3),
        Blackout("village", "V1", dt.date(year, 5, 12), dt.date(year, 5, 12), "村务", 4),
    ]
    problem = county(
        pairs,
        load_rule_model().obligations,
        towns={"V3": "镇B"},
        blackouts=blackouts,
        holidays=[HolidayOverride(dt.date(year, 11, 11), "holiday", 2)],
        members=members,
        config=settings(year=year),
    )
    return problem, pairs


def write_input(problem: Problem, path: Path) -> Path:
    """Write ``problem`` as an input workbook (the contract's sheets, 五个一 obligations)."""
    model = load_rule_model()
    overrides: dict[str, object] = {"plan_year": problem.settings.plan_year}
    if problem.settings.county_seat is not None:
        overrides["county_seat_lat"], overrides["county_seat_lon"] = problem.settings.county_seat
    tables: dict[str, Rows] = {
        "units": [record_row(UNITS, unit) for unit in problem.units],
        "villages": [record_row(VILLAGES, village) for village in problem.villages],
        "settings": settings_rows(model, overrides),
        "obligations": obligation_rows(model),
        "blackouts": [record_row(BLACKOUTS, blackout) for blackout in problem.blackouts],
        "holidays": [record_row(HOLIDAYS, holiday) for holiday in problem.holidays],
        "members": [record_row(MEMBERS, member) for member in problem.members],
    }
    save_workbook(build_input_workbook(model, tables), path)
    return path


def input_county(year: int, blackouts: Sequence[Blackout] = ()) -> Problem:
    """Return the 五个一 county as an input for ``pairing solve``: U1 may take two villages."""
    problem, _ = wuge_yi_county(year)
    units = tuple(
        replace(unit, max_villages=2 if unit.id == "U1" else 1, min_villages=0)
        for unit in problem.units
    )
    return replace(problem, units=units, blackouts=(*problem.blackouts, *blackouts))
