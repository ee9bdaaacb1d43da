"""What the optimizer and the scheduler produce: a plan (pairs) and a schedule (events)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from pairing.domain.edits import EditPrice


@dataclass(frozen=True, slots=True)
class PlanPair:
    """One pair of the plan with its score terms (points by rule id) and the reason in words."""

    unit_id: str
    village_id: str
    terms: Mapping[str, float]
    distance_km: float | None
    continued: bool
    since_year: int | None
    locked: bool
    reason: str


@dataclass(frozen=True, slots=True)
class SolverFacts:
    """How the solve went: status, objective, bound, gap, time, proof."""

    status: str
    objective: float
    bound: float | None  # None: no useful bound yet (every term is ≥ 0, so ≤ 0 says nothing)
    gap: float | None
    seconds: float
    proven: bool
    bound_method: str = ""  # "lp", "lagrangian", "cp-sat" (a complete stage), "" for none
    interrupted: bool = False
    restricted: bool = False
    candidates: int = 0
    workers: int = 1
    seed: int = 0
    first_plan_s: float | None = None
    gap1_s: float | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    """A pairing plan: the pairs, the points of each soft rule and the solver's facts.

    ``totals`` maps each soft rule id to its points; their sum is ``facts.objective``.
    ``village_terms`` and ``unit_terms`` hold the terms that belong to a village (P10-P12)
    or a unit (P15 and points for pairs it was expected to keep or take). ``edit``: for a
    plan whose pairs a planner chose by hand, what that costs against the solver's plan.
    """

    pairs: tuple[PlanPair, ...]
    totals: Mapping[str, float]
    facts: SolverFacts
    village_terms: Mapping[str, Mapping[str, float]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    unit_terms: Mapping[str, Mapping[str, float]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    kpis: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    edit: EditPrice | None = None  # a plan chosen by hand (pairing rescore): its price


@dataclass(frozen=True, slots=True)
class Event:
    """One dated activity of one pair (or of one leader of the pair's unit)."""

    date: dt.date
    unit_id: str
    village_id: str
    obligation: str
    people: tuple[str, ...] = ()
    joint_with: tuple[str, ...] = ()
    provisional: bool = False


@dataclass(frozen=True, slots=True)
class DayMark:
    """A date the schedule's calendar sets apart: a holiday (休, with its festival's name,
    official or rule-based) or a weekend date turned into a working day (调休上班 班)."""

    date: dt.date
    holiday: bool
    name: str = ""


@dataclass(frozen=True, slots=True)
class Schedule:
    """The dated events of a plan, with the solver's facts and the calendar's provenance.

    ``marks``: the holidays and make-up days of every month the horizon touches, as the
    scheduler's calendar saw them (``None``: not known, a reader labels days itself).
    """

    events: tuple[Event, ...]
    start: dt.date
    end: dt.date
    facts: SolverFacts
    provisional_years: tuple[int, ...] = ()
    marks: tuple[DayMark, ...] | None = None
