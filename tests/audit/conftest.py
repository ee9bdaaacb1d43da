"""The example plan and its generated ledger, made once per session."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from pairing.audit import AuditPlan
from pairing.examples.ledger import LedgerTruth, load_audit_plan, write_ledger

from .plans import EXAMPLE, solved


@dataclass(frozen=True)
class LedgerCase:
    """A plan, a generated ledger and what the generator did."""

    plan: Path
    ledger: Path
    truth: LedgerTruth
    audit_plan: AuditPlan


@dataclass(frozen=True)
class PlanOnly:
    """The example plan workbook and how the auditor sees it."""

    path: Path
    audit_plan: AuditPlan


@pytest.fixture(scope="session")
def example(tmp_path_factory: pytest.TempPathFactory) -> PlanOnly:
    """The Gaozhou example, solved once."""
    plan = solved(EXAMPLE, tmp_path_factory.mktemp("audit") / "plan.xlsx")
    return PlanOnly(plan, load_audit_plan(plan))


@pytest.fixture(scope="session")
def generated(example: PlanOnly, tmp_path_factory: pytest.TempPathFactory) -> LedgerCase:
    """A half-year ledger for the example (seed 7), with the generator's truth."""
    ledger = tmp_path_factory.mktemp("ledger") / "ledger.xlsx"
    truth = write_ledger(example.path, ledger, seed=7)
    return LedgerCase(example.path, ledger, truth, example.audit_plan)
