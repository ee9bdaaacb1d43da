"""The audit job: a ledger (工作台账) against a plan workbook, written as the audit workbook.

The plan is read by the verifier's reader, not the input layer: an auditor's view of a plan
owes nothing to the code that made it (:mod:`pairing.audit` itself reads no workbook but the
ledger). :func:`load_audit_plan` is that reading; the example ledger uses it too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from pairing.audit import AuditPlan, AuditResult, load_ledger, run_audit, write_audit
from pairing.io.output import refuse_overwrite_input
from pairing.verify import owed_periods, read_plan_data


@dataclass(frozen=True, slots=True)
class AuditJob:
    """Which plan and ledger, the audit workbook to write, and the audit date (None: the
    last ledger date inside the plan's horizon)."""

    plan: Path
    ledger: Path
    output: Path
    as_of: dt.date | None = None


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
