"""What changed between two plans of one county (``pairing diff``).

:mod:`~pairing.compare.sides` reads a plan workbook into what a comparison needs (its pairs,
names, KPIs, points and input copies), accepting a plan edited by hand and saying so;
:mod:`~pairing.compare.plans` and :mod:`~pairing.compare.inputs` compare two of them as plain
data; :mod:`~pairing.compare.book` writes the difference as a workbook.
"""

from __future__ import annotations

from pairing.compare.plans import PlanDiff, diff_json, diff_plans
from pairing.compare.sides import PlanSide, read_side

__all__ = ["PlanDiff", "PlanSide", "diff_json", "diff_plans", "read_side"]
