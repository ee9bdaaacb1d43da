"""The ledger auditor: match a 工作台账 ledger against a plan's obligations (督导组 audit).

:func:`run_audit` matches each ledger row to what its pair owes for its obligation in the
period that holds its date (done, late, filed late; missing when a due period lacks rows)
and lists every row that matches nothing with its reason; :func:`write_audit` writes the
compliance workbook (by unit, village, obligation and month, the lagging units ranked for
提醒约谈, the missing records and the unmatched rows). It works on domain data: ``pairing
audit`` reads the plan with the verifier's independent reader and hands it over, so this
package imports no solver, scheduler or input-layer code.
"""

from __future__ import annotations

from pairing.audit.ledger import Ledger, LedgerEntry, load_ledger, read_ledger
from pairing.audit.matching import slots_of
from pairing.audit.model import AuditPlan, Period, Slot
from pairing.audit.report import render, write_audit
from pairing.audit.run import AuditResult, run_audit

__all__ = [
    "AuditPlan",
    "AuditResult",
    "Ledger",
    "LedgerEntry",
    "Period",
    "Slot",
    "load_ledger",
    "read_ledger",
    "render",
    "run_audit",
    "slots_of",
    "write_audit",
]
