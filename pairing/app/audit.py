"""The audit job: a ledger (工作台账) against a plan workbook, written as the audit workbook;
or, when the first workbook is a cover (``pairing cover``), a 走访记录 visits ledger against
its 包户 households (:func:`visit_audit_job`).

The plan is read by the verifier's reader, not the input layer: an auditor's view of a plan
owes nothing to the code that made it (:mod:`pairing.audit` itself reads no workbook but the
ledger). :func:`load_audit_plan` is that reading; the example ledger uses it too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from pairing.audit import AuditPlan, AuditResult, load_ledger, run_audit, write_audit
from pairing.audit.visit_report import write_visit_audit
from pairing.audit.visit_run import VisitAudit, audit_visits
from pairing.audit.visits import (
    SETTINGS_COPY,
    holds_cover,
    lagging_threshold,
    read_covered,
    read_visits,
)
from pairing.domain import cover_schema as cs
from pairing.domain.errors import InputError
from pairing.io.output import refuse_overwrite_input
from pairing.sheets import read_grids
from pairing.verify import owed_periods, read_plan_data


@dataclass(frozen=True, slots=True)
class AuditJob:
    """Which plan and ledger, the audit workbook to write, and the audit date (None: the
    last ledger date inside the plan's horizon)."""

    plan: Path
    ledger: Path
    output: Path
    as_of: dt.date | None = None


def is_cover(path: Path) -> bool:
    """Return whether ``path`` is a cover workbook (an unreadable one is left to the plan
    reader, whose errors name it)."""
    try:
        return holds_cover(read_grids(Path(path), None, lambda name: name == cs.COVER.title))
    except InputError:
        return False


def any_audit_job(job: AuditJob) -> AuditResult | VisitAudit:
    """Audit a visits ledger against a cover, or a 工作台账 against a plan."""
    return visit_audit_job(job) if is_cover(job.plan) else audit_job(job)


def visit_audit_job(job: AuditJob) -> VisitAudit:
    """Audit the 走访记录 of ``job.ledger`` against the cover ``job.plan``; write the workbook.

    Raises
    ------
    InputError
        For an unreadable cover or ledger, a bad visits row (located), or an output that is
        one of them.
    """
    refuse_overwrite_input(job.output, job.plan, job.ledger)
    cover = Path(job.plan)
    grids = read_grids(cover, None, lambda name: name in (cs.COVER.title, SETTINGS_COPY))
    covered = read_covered(grids, cover.name)
    threshold = lagging_threshold(grids, cover.name)
    known = frozenset(h.household_id for h in covered)
    ledger = read_visits(read_grids(Path(job.ledger)), Path(job.ledger).name, known)
    names = (cover.name, Path(job.ledger).name)
    result = audit_visits(names, covered, ledger, threshold, job.as_of)
    write_visit_audit(result, job.output)
    return result


def audit_job(job: AuditJob) -> AuditResult:
    """Match the ledger against the plan's obligations and write the audit workbook.

    Raises
    ------
    InputError
        For an unreadable plan or ledger, or an output that is one of them.
    """
    refuse_overwrite_input(job.output, job.plan, job.ledger)
    plan = load_audit_plan(job.plan)
    records = load_ledger(job.ledger)
    result = run_audit(plan, records, job.as_of)
    write_audit(result, job.output)
    return result


def load_audit_plan(path: Path) -> AuditPlan:
    """Return a plan workbook as the auditor sees it (read by the verifier's reader).

    Parameters
    ----------
    path
        The plan workbook.

    Returns
    -------
    AuditPlan
        Its pairs, obligations and owed periods.
    """
    data = read_plan_data(path)
    horizon = (data.horizon.start, data.horizon.end)
    return AuditPlan.of(Path(path).name, data.problem, data.pairs, owed_periods(data), horizon)
