"""The verifier's reading of a plan, offered to other tools (``pairing audit`` uses it).

:func:`read_plan_data` returns the input and the distinct pairs of a plan workbook, read with
the verifier's own code (no input layer, no solver); :func:`owed_periods` what every
obligation owes in every period of its horizon, by the same rules S01 is judged by.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pairing.domain.model import Problem
from pairing.verify.reading.loading import load_plan
from pairing.verify.report.findings import Finding
from pairing.verify.rules.facts import PairKey
from pairing.verify.schedule.counts import Due, dues
from pairing.verify.schedule.judge import horizon_of
from pairing.verify.schedule.screen import Horizon


@dataclass(frozen=True, slots=True)
class PlanData:
    """A plan as read by the verifier.

    - ``problem``: the input (units, villages, obligations, members, settings, ...).
    - ``pairs``: the plan's distinct pairs of known ids, in sheet order.
    - ``year``: the plan year.
    - ``horizon``: the activity horizon (``schedule_from``..``schedule_to``, else the plan year).
    - ``findings``: integrity findings met while reading (unknown ids, repeats, unreadable cells).
    """

    problem: Problem
    pairs: tuple[PairKey, ...]
    year: int
    horizon: Horizon
    findings: tuple[Finding, ...]


def read_plan_data(path: Path) -> PlanData:
    """Read a plan workbook's input copies and pairs.

    ``path``: the plan workbook.

    Returns the input, the pairs, the year and the horizon.

    Raises ``InputError`` when the workbook cannot be read or is not a plan (exit 3).
    """
    loaded = load_plan(Path(path))
    findings = (*loaded.data.findings, *loaded.sheets.findings, *loaded.pairs.findings)
    return PlanData(
        loaded.data.problem,
        tuple(loaded.pairs.rows),
        loaded.year,
        horizon_of(loaded.data.problem, loaded.year, loaded.sheets.schedule_facts),
        findings,
    )


def owed_periods(plan: PlanData) -> list[Due]:
    """Return what each obligation owes, per performer, in each period of the horizon.

    ``plan``: the plan.

    Returns one per obligation and period (``low``..``high`` differ only in provisional years).
    """
    if plan.horizon.end < plan.horizon.start:
        return []
    return dues(plan.problem, plan.horizon)
