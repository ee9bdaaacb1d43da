"""The independent verifier: judge a plan workbook from its data alone.

``pairing verify`` re-reads the plan workbook (its input copies ``输入·…`` or ``--input``, its
结对方案 pairs, views, summary and schedule) and re-derives every rule with code of its own:
hard pairing rules P01-P05 and the hard variants, every soft term P10-P17 exactly as
``models/README.md`` defines it, integrity, provenance, and the schedule's hard rules S01-S05
and S07. It imports no solver, scheduler or input-layer code (a test and import-linter keep
it so), so a modelling bug shows up as a disagreement.

By role: :mod:`~pairing.verify.reading` (grids, tables, the input's records, the plan's own
sheets), :mod:`~pairing.verify.rules` (P01-P17 re-derived and compared with the plan's claims),
:mod:`~pairing.verify.schedule` (S01-S05, S07), :mod:`~pairing.verify.integrity` (seal,
provenance, restated cells), :mod:`~pairing.verify.report` (findings and their report);
:func:`verify_plan` (:mod:`~pairing.verify.run`) runs them in that order.

A parameter name means one thing throughout, so functions do not describe it again:
``problem`` and ``data`` the input (:class:`~pairing.domain.model.Problem`, or it with its
tables), ``plan`` and ``pairs`` the plan's distinct known pairs, ``facts`` the verifier's own
pair facts and distances, ``places`` where a village or unit is shown (its view row, else its
input row), ``grids`` the workbook's sheets by name, ``sink`` the list findings go to.

The trusted base, what the verifier shares with the solver side, is what says *where* a value
is or *how* a cell is spelled, never what a rule makes of it:

* :mod:`pairing.sheets`: opening files within limits, grids, sheet and header matching. Two
  readers that disagreed on where a table starts would report noise, not modelling bugs.
* :mod:`pairing.domain.schema` and :mod:`pairing.domain.plan_schema`: the input and plan
  workbooks' sheets, columns and choice words (layout, the contract both sides are held to).
* :mod:`pairing.domain.cells`: parsing a number, a date, a yes/no or a tag list;
  :mod:`pairing.domain.model` and :mod:`pairing.domain.errors`: the records' and issues'
  shapes (frozen dataclasses), not how a row becomes one.
* :mod:`pairing.domain.settings`: the settings' defaults and parsing, so that a blank cell
  means the same weight to both; :mod:`pairing.domain.rules`: the rule ids and names.
* :mod:`pairing.domain.digest`: the seal's form; a digest computed two ways only disagrees on
  bytes.

It never shares rule code (``pairing.solve``, ``pairing.cpsat``, ``pairing.schedule``), the
solver's pair facts (:mod:`pairing.domain.pairs`), its distances (:mod:`pairing.domain.geo`),
or the input layer's reading of records (:mod:`pairing.io`): turning a row into a unit, a
village or an obligation with its defaults, and every rule, is written again here.

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
