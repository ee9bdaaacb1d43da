"""Make real plan workbooks for the verifier's tests: inputs written from problems, solved
by the solver, scheduled by the scheduler, written by the plan writer (tests may import
anything; the verifier may not)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import openpyxl
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from pairing.domain.model import Blackout, HolidayOverride, Member, PairRule, Problem, Unit
from pairing.domain.plan import Plan
from pairing.domain.schema import (
    BLACKOUTS,
    HISTORY,
    HOLIDAYS,
    MEMBERS,
    RULES_SHEET,
    SCORES,
    UNITS,
    VILLAGES,
)
from pairing.examples.synthetic import synthetic_county
from pairing.io.output import save_workbook
from pairing.io.planbook import write_plan
from pairing.io.reader import read_input
from pairing.io.rulemodel import load_rule_model
from pairing.io.template import Rows, build_input_workbook, obligation_rows, settings_rows
from pairing.io.workbook_writer import record_row
from pairing.schedule import make_schedule
from pairing.solve.checks import hard_checks
from pairing.solve.optimize import SolveOptions, solve

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "gaozhou.xlsx"


@dataclass(frozen=True)
class PlanCase:
    """A plan workbook, the input it was made from and the solver's plan."""

    path: Path
    source: Path
    plan: Plan
    problem: Problem


def write_input(problem: Problem, path: Path) -> Path:
    """Write ``problem`` as an input workbook (obligations from the 五个一 model)."""
    model = load_rule_model()
    settings = problem.settings
    overrides: dict[str, object] = {
        "plan_year": settings.plan_year,
        "seed": settings.seed,
        "max_tenure_years": settings.max_tenure_years,
    }
    if settings.county_seat is not None:
        overrides["county_seat_lat"], overrides["county_seat_lon"] = settings.county_seat
    tables: dict[str, Rows] = {
        "units": [record_row(UNITS, unit) for unit in problem.units],
        "villages": [record_row(VILLAGES, village) for village in problem.villages],
        "history": [record_row(HISTORY, past) for past in problem.history],
        "rules": [record_row(RULES_SHEET, rule) for rule in problem.rules],
        "settings": settings_rows(model, overrides),
        "obligations": obligation_rows(model),
        "blackouts": [record_row(BLACKOUTS, blackout) for blackout in problem.blackouts],
        "holidays": [record_row(HOLIDAYS, holiday) for holiday in problem.holidays],
        "scores": [record_row(SCORES, score) for score in problem.scores],
        "members": [record_row(MEMBERS, member) for member in problem.members],
    }
    save_workbook(build_input_workbook(model, tables), path)
    return path


def solve_plan(source: Path, out: Path, *, scheduled: bool = False) -> PlanCase:
    """Solve ``source`` (and schedule it when asked) and write the plan workbook ``out``."""
    read = read_input(source)
    plan, _ = solve(read.problem, SolveOptions(time_limit_s=60))
    schedule = None
    if scheduled:
        pairs = [(pair.unit_id, pair.village_id) for pair in plan.pairs]
        schedule = make_schedule(read.problem, pairs, time_limit_s=60)
    write_plan(out, read, plan, hard_checks(read.problem, plan), schedule)
    return PlanCase(out, source, plan, read.problem)


def small_county(plan_year: int, seed: int = 5) -> Problem:
    """Return a small synthetic county with teams, a two-village unit and a blackout.

    Unit 1 must take villages 1 and 2 (S04 needs a unit with two villages), so no unit is
    obliged to take one (13 units, 12 places); every unit has
    one or two 组长 (S07); a town and a unit are blacked out for three days; one date is declared 休.
    """
    base = synthetic_county(6, seed, plan_year=plan_year)
    first = base.units[0]
    units = (
        replace(first, max_villages=2),
        *base.units[1:],
    )
    units = tuple(replace(unit, min_villages=0) for unit in units)
    musts = (
        PairRule(first.id, base.villages[0].id, "must", reason="自选", row=90),
        PairRule(first.id, base.villages[1].id, "must", reason="统一安排", row=91),
    )
    rules = tuple(r for r in base.rules if r.unit_id != first.id) + musts
    return replace(
        base,
        units=units,
        rules=rules,
        members=tuple(team(units)),
        blackouts=(
            Blackout(
                "town",
                base.villages[2].town,
                dt.date(plan_year, 7, 7),
                dt.date(plan_year, 7, 9),
                "农忙",
                2,
            ),
            Blackout(
                "unit", units[3].id, dt.date(plan_year, 9, 1), dt.date(plan_year, 9, 3), "会议", 3
            ),
        ),
        holidays=(HolidayOverride(dt.date(plan_year, 11, 11), "holiday", 2),),
    )


def team(units: tuple[Unit, ...]) -> list[Member]:
    """Return a team per unit: one or two leaders and a member."""
    rng = random.Random(7)
    members = []
    for unit in units:
        for k in range(rng.choice((1, 2))):
            members.append(Member(unit.id, f"{unit.id}组长{k + 1}", "leader"))
        members.append(Member(unit.id, f"{unit.id}队员", "member"))
    return members


def header_index(sheet: Worksheet, key: str) -> int:
    """Return the 1-based column whose header ends with ``(key)``."""
    for cell in sheet[1]:
        if str(cell.value or "").endswith(f"({key})"):
            assert cell.column is not None
            return int(cell.column)
    raise KeyError(key)


def mutated(source: Path, target: Path, edit: Callable[[Workbook], None]) -> Path:
    """Copy a plan workbook to ``target`` with ``edit`` applied, as an editor would in Excel."""
    workbook = openpyxl.load_workbook(source)
    edit(workbook)
    workbook.save(target)
    return target
