"""The independent verifier: judge a plan workbook from its data alone.

``pairing verify`` re-reads the plan workbook (its input copies ``输入·…`` or ``--input``, its
结对方案 pairs, views, summary and schedule) and re-derives every rule with code of its own:
hard pairing rules P01-P05 and the hard variants, every soft term P10-P17 exactly as
``models/README.md`` defines it, integrity, provenance, and the schedule's hard rules S01-S05
and S07. It imports no solver, scheduler or input-layer code (a test and import-linter keep
it so), so a modelling bug shows up as a disagreement.

Its reading of plans and workbooks is offered to the tools above it: :func:`read_plan_data`,
:func:`owed_periods` and :func:`read_grids` feed ``pairing audit``.
"""

from __future__ import annotations

from pairing.verify.plan_data import PlanData, owed_periods, read_plan_data
from pairing.verify.reading.grids import Grids, read_grids
from pairing.verify.report.render import Report, render
from pairing.verify.run import verify_plan
from pairing.verify.schedule.counts import Due

__all__ = [
    "Due",
    "Grids",
    "PlanData",
    "Report",
    "owed_periods",
    "read_grids",
    "read_plan_data",
    "render",
    "verify_plan",
]
