"""The rescore job: a hand-edited plan's pairs, checked and re-costed, written as a fresh plan.

Reads the pairs of the edited 结对方案 (:func:`pairing.io.rescorebook.read_edited_plan`), checks
every hard rule and recomputes every term on the input (:func:`pairing.solve.rescore.rescore`),
prices the edit against the original plan's objective, and writes a complete plan workbook
that ``pairing verify`` accepts. The input is never touched: the default output is the edited
file's name with ``-rescored``, beside it.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path

from pairing.app.county import plan_checks
from pairing.domain.edits import EditPrice
from pairing.domain.model import Problem
from pairing.domain.plan import Plan
from pairing.io.output import refuse_overwrite_input
from pairing.io.reader import Input
from pairing.io.rescorebook import read_edited_plan, write_rescored
from pairing.solve.rescore import rescore

SUFFIX = "-rescored"


@dataclass(frozen=True, slots=True)
class RescoreJob:
    """What to re-cost and where to write it.

    Attributes
    ----------
    edited
        The plan workbook whose 结对方案 a planner edited by hand.
    output
        The plan workbook to write (None: ``edited``'s name with ``-rescored``, beside it).
    input
        The input workbook (or CSV folder) to judge the pairs on (None: the plan's copies).
    """

    edited: Path
    output: Path | None = None
    input: Path | None = None


@dataclass(frozen=True, slots=True)
class Rescored:
    """What the job wrote: the re-costed plan, the edit's price, and whether the edited
    workbook's schedule was left behind (its pairs changed; ``pairing schedule`` re-plans it)."""

    output: Path
    plan: Plan
    price: EditPrice
    dropped_schedule: bool


def default_output(edited: Path) -> Path:
    """``plan.xlsx`` -> ``plan-rescored.xlsx``, in the same folder."""
    return edited.with_name(f"{edited.stem}{SUFFIX}{edited.suffix or '.xlsx'}")


def rescore_job(job: RescoreJob) -> Rescored:
    """Read, check, re-cost and write (see :class:`RescoreJob`).

    Raises
    ------
    InputError
        For a workbook or an id that cannot be read, or an output that is an input (exit 3).
    RuleViolation
        When the edited pairs break a hard rule, each named with its row and ids (exit 5).
    """
    started = time.perf_counter()
    output = job.output or default_output(job.edited)
    refuse_overwrite_input(output, job.edited, *((job.input,) if job.input else ()))
    edited = read_edited_plan(job.edited, job.input)
    source = _in_plan_year(edited.source, edited.plan_year)
    plan = rescore(source.problem, edited.pairs)
    price = EditPrice(edited.original, plan.facts.objective)
    seconds = round(time.perf_counter() - started, 3)
    facts = dataclasses.replace(plan.facts, seconds=seconds)
    plan = dataclasses.replace(plan, facts=facts, edit=price)
    checks = plan_checks(source.problem, plan, None)
    write_rescored(output, source, plan, checks, edited)
    return Rescored(output, plan, price, edited.scheduled)


def _in_plan_year(source: Input, recorded: int | None) -> Input:
    """The input as of the plan year the original plan was made for.

    A blank 规划年份 means "next year" on the day of the run: re-costed a year later, tenure,
    running pairs and P14 would shift under the planner's feet, and the price would compare two
    different years. The year recorded in 来源 keeps them the same.
    """
    settings = source.problem.settings
    if settings.plan_year is not None or recorded is None:
        return source
    problem: Problem = dataclasses.replace(
        source.problem, settings=dataclasses.replace(settings, plan_year=recorded)
    )
    return dataclasses.replace(source, problem=problem)
