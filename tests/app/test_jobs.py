"""The jobs called with plain options return the data their commands render."""

from __future__ import annotations

import ast
import math
from pathlib import Path

import pytest

import pairing.province.engine
from pairing.app.audit import AuditJob, audit_job, load_audit_plan
from pairing.app.explain import ExplainJob, explain_job
from pairing.app.notices import GapMissed, Provisional, SearchEnded, Waived
from pairing.app.schedule import ScheduleJob, schedule_job
from pairing.app.solve import Solved
from pairing.domain.errors import InputError
from pairing.domain.model import Unit, Village
from pairing.examples.ledger import write_ledger
from pairing.io.planbook import read_plan

from .conftest import Heard


def test_the_solve_job_writes_the_plan_it_returns(solved: tuple[Solved, Heard]) -> None:
    """The returned plan is the one written; the notices come in the order the console shows."""
    result, heard = solved
    assert result.plan.facts.proven and result.schedule is None and result.calendars == 0
    assert {"candidates", "search"} <= set(result.timings)
    written = read_plan(result.output).plan
    assert [(p.unit_id, p.village_id) for p in written.pairs] == [
        (p.unit_id, p.village_id) for p in result.plan.pairs
    ]
    assert [type(notice) for notice in heard] == [SearchEnded, GapMissed]


def test_the_schedule_job_carries_its_waivers(solved: tuple[Solved, Heard], tmp_path: Path) -> None:
    """One preparation: the waivers told before the search are the ones returned, and the
    calendars counted are the files written."""
    heard = Heard()
    job = ScheduleJob(solved[0].output, tmp_path / "dated.xlsx", ics_dir=tmp_path / "cal")
    dated = schedule_job(job, heard)
    told = [notice for notice in heard if isinstance(notice, Waived)]
    assert [notice.notes for notice in told] == [dated.waivers]
    assert [type(notice) for notice in heard] == [Waived, Provisional]
    assert dated.calendars == len(list((tmp_path / "cal").glob("*.ics"))) > 0
    assert dated.schedule.events and dated.output.exists()


def test_explain_returns_the_alternatives_costs(solved: tuple[Solved, Heard]) -> None:
    """A village's explanation: its units, the plan's total, each alternative priced."""
    plan = solved[0].plan
    job = ExplainJob(solved[0].output, village_id="V001", alternatives=2, time_limit_s=10)
    explained = explain_job(job)
    assert isinstance(explained.subject, Village) and explained.subject.id == "V001"
    assert {m.unit.id for m in explained.pairs} == {
        p.unit_id for p in plan.pairs if p.village_id == "V001"
    }
    assert math.isclose(explained.total, plan.facts.objective, abs_tol=0.01)
    assert len(explained.alternatives) == 2
    for alternative in explained.alternatives:
        assert alternative.village.id == "V001"
        if alternative.objective is not None:  # priced: at least the optimum's cost
            assert math.isclose(alternative.delta, alternative.objective - explained.total)
            assert alternative.delta >= -0.01
        else:
            assert alternative.barred_by or alternative.failure


def test_explain_of_a_unit_and_of_nobody(solved: tuple[Solved, Heard]) -> None:
    """A unit's explanation names its villages; an unknown unit is an input error."""
    explained = explain_job(ExplainJob(solved[0].output, unit_id="U002", alternatives=0))
    assert isinstance(explained.subject, Unit) and explained.pairs
    assert explained.alternatives == ()
    with pytest.raises(InputError):
        explain_job(ExplainJob(solved[0].output, unit_id="nobody", alternatives=0))


def test_the_audit_job_writes_what_it_returns(solved: tuple[Solved, Heard], tmp_path: Path) -> None:
    """The audit reads the plan as the auditor does and counts every ledger row."""
    ledger = tmp_path / "ledger.xlsx"
    truth = write_ledger(solved[0].output, ledger, seed=3)
    result = audit_job(AuditJob(solved[0].output, ledger, tmp_path / "audit.xlsx"))
    assert result.rows == truth.rows and (tmp_path / "audit.xlsx").exists()
    assert result.plan.pairs == load_audit_plan(solved[0].output).pairs


def test_a_province_part_runs_the_county_job() -> None:
    """The engine composes no solve or schedule of its own: it calls the per-county job."""
    tree = ast.parse(Path(pairing.province.engine.__file__).read_text(encoding="utf-8"))
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    assert "pairing.app.county" in imported
    assert not {m for m in imported if m.startswith(("pairing.solve", "pairing.schedule"))}
