"""Visit days: an occurrence on a day puts every pair it involves on site that day.

A joint occurrence (S05) is one set of variables shared by all pairs of its village, so the
units of the village are on site the same day by construction; this file links it to each
pair's visit day, which S04 and S08 then read.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from pairing.cpsat.schedule.spec import GroupSpec
from pairing.cpsat.schedule.variables import Variables


def link_visits(model: cp_model.CpModel, spec: GroupSpec, variables: Variables) -> None:
    """Add ``placed => visit`` for every occurrence, allowed day and pair on site."""
    for occurrence, placed in zip(spec.occurrences, variables.placed, strict=True):
        for pair in occurrence.pairs:
            for day, var in zip(occurrence.days, placed, strict=True):
                model.add_implication(var, variables.visits[(pair, day)])
