"""Properties over random small counties, and determinism."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pairing.domain.errors import InfeasibleError
from pairing.domain.model import Blackout, Member, Obligation, Problem, ScopeKind
from pairing.schedule import make_schedule

from .builders import county, duty, wuge_yi_county
from .builders import settings as config
from .checker import violations

D = dt.date


@st.composite
def obligations(draw: st.DrawFn) -> list[Obligation]:
    """Draw one to three obligations with any period, times, joint, day type, policy, who."""
    count = draw(st.integers(1, 3))
    return [
        duty(
            f"O{i}",
            draw(st.sampled_from(["week", "month", "quarter"])),
            times=draw(st.integers(1, 2)),
            joint=draw(st.booleans()),
            day_type=draw(st.sampled_from(["workday", "weekend", "any"])),
            policy=draw(st.sampled_from(["avoid", "allow"])),
            who=draw(st.sampled_from(["unit", "leader"])),
            row=2 + i,
        )
        for i in range(count)
    ]


@st.composite
def counties(draw: st.DrawFn) -> tuple[Problem, list[tuple[str, str]]]:
    """Draw a county of 1-3 villages with 1-2 units each, some units on two villages."""
    pairs: list[tuple[str, str]] = []
    next_unit = 1
    for village in range(1, draw(st.integers(1, 3)) + 1):
        for _ in range(draw(st.integers(1, 2))):
            reuse = bool(pairs) and draw(st.booleans())
            unit = pairs[0][0] if reuse else f"U{next_unit}"
            if (unit, f"V{village}") in pairs:
                continue
            next_unit += 0 if reuse else 1
            pairs.append((unit, f"V{village}"))
    units = sorted({unit for unit, _ in pairs})
    members = [
        Member(unit, f"{unit}组长{k}", "leader")
        for unit in units
        for k in range(draw(st.integers(0, 2)))
    ]
    start = D(draw(st.sampled_from([2026, 2027])), 1, 1) + dt.timedelta(draw(st.integers(0, 300)))
    end = start + dt.timedelta(draw(st.integers(13, 60)))
    blackouts = []
    for row in range(draw(st.integers(0, 2))):
        first = start + dt.timedelta(draw(st.integers(0, 40)))
        scopes: list[tuple[ScopeKind, str]] = [
            ("all", "全部"),
            ("town", "镇A"),
            ("village", "V1"),
            ("unit", units[0]),
        ]
        kind, scope = draw(st.sampled_from(scopes))
        length = dt.timedelta(draw(st.integers(0, 4)))
        blackouts.append(Blackout(kind, scope, first, first + length, "", 2 + row))
    problem = county(
        pairs,
        draw(obligations()),
        blackouts=blackouts,
        members=members,
        config=config(start, end, year=start.year),
    )
    return problem, pairs


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counties())
def test_random_counties_are_scheduled_by_the_rules_or_refused_with_reasons(
    drawn: tuple[Problem, list[tuple[str, str]]],
) -> None:
    """Any small county either gets a schedule the independent checker accepts, or an
    InfeasibleError whose every reason names a rule and a sheet."""
    problem, pairs = drawn
    try:
        schedule = make_schedule(problem, pairs, time_limit_s=30)
    except InfeasibleError as error:
        assert error.reasons
        assert all(reason.rule and reason.sheet for reason in error.reasons)
        return
    assert violations(problem, pairs, schedule) == {}


def test_same_input_gives_the_same_schedule_in_any_pair_order_and_worker_count() -> None:
    """Determinism: reruns, a reversed pair list and two worker processes agree exactly."""
    problem, pairs = wuge_yi_county(2026)
    problem = problem.__class__(
        problem.units,
        problem.villages,
        settings=config(D(2026, 4, 1), D(2026, 6, 30)),
        obligations=problem.obligations,
        blackouts=problem.blackouts,
        holidays=problem.holidays,
        members=problem.members,
    )
    first = make_schedule(problem, pairs)
    assert make_schedule(problem, pairs).events == first.events
    assert make_schedule(problem, list(reversed(pairs))).events == first.events
    assert make_schedule(problem, pairs, workers=2).events == first.events
