"""``run_audit``: a ledger against a plan, up to an audit date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from pairing.audit.compliance import SlotResult, Tally, slot_results, totals_by
from pairing.audit.lagging import Lagging, lagging_units
from pairing.audit.ledger import Ledger
from pairing.audit.matching import Unmatched, match, slots_of
from pairing.audit.model import AuditPlan


@dataclass(frozen=True, slots=True)
class AuditResult:
    """What the audit found.

    Attributes
    ----------
    plan
        The plan audited.
    ledger
        The ledger's sheet name.
    as_of
        The audit date: periods ending later are not owed yet.
    threshold
        ``lagging_threshold``.
    rows
        Ledger rows read.
    pending
        Matched rows in periods not owed yet.
    total
        The tally of all due slots.
    by_unit, by_village, by_obligation, by_month
        Tallies by group.
    lagging
        Lagging units, ranked.
    missing
        Due slots with records missing.
    unmatched
        Ledger rows that match nothing, with reasons.
    """

    plan: AuditPlan
    ledger: str
    as_of: dt.date
    threshold: float
    rows: int
    pending: int
    total: Tally
    by_unit: Mapping[str, Tally]
    by_village: Mapping[str, Tally]
    by_obligation: Mapping[str, Tally]
    by_month: Mapping[str, Tally]
    lagging: tuple[Lagging, ...]
    missing: tuple[SlotResult, ...]
    unmatched: tuple[Unmatched, ...]


def default_as_of(plan: AuditPlan, ledger: Ledger) -> dt.date:
    """Return the last ledger date inside the horizon (the horizon's start when none).

    Parameters
    ----------
    plan
        The plan.
    ledger
        The ledger.

    Returns
    -------
    dt.date
        The default audit date.
    """
    dates = [e.date for e in ledger.entries if e.date and plan.start <= e.date <= plan.end]
    return max(dates, default=plan.start)


def run_audit(plan: AuditPlan, ledger: Ledger, as_of: dt.date | None = None) -> AuditResult:
    """Audit ``ledger`` against ``plan`` up to ``as_of`` (default: the last ledger date).

    Parameters
    ----------
    plan
        The plan: pairs, obligations and the periods they owe.
    ledger
        The 工作台账 rows.
    as_of
        The audit date.

    Returns
    -------
    AuditResult
        Compliance by unit, village, obligation and month; lagging units; unmatched rows.
    """
    day = as_of or default_as_of(plan, ledger)
    slots = slots_of(plan)
    matching = match(plan, ledger, slots)
    results = slot_results(slots, matching.matched, day)
    by_unit = totals_by(results, lambda slot: slot.unit_id)
    threshold = plan.problem.settings.lagging_threshold
    return AuditResult(
        plan,
        ledger.sheet,
        day,
        threshold,
        len(ledger.entries),
        sum(r.records for r in results if not r.due),
        sum(by_unit.values(), Tally()),
        by_unit,
        totals_by(results, lambda slot: slot.village_id),
        totals_by(results, lambda slot: slot.code),
        totals_by(results, lambda slot: slot.month),
        lagging_units(by_unit, results, threshold),
        tuple(r for r in results if r.due and r.tally.missing),
        matching.unmatched,
    )
