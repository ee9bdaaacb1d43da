"""S06 (soft): occurrences spread over their period.

Each allowed day of an occurrence carries its distance in days from the occurrence's target
(the centre of its slice of the period, see ``pairing.schedule.duties``), already multiplied by
the S06 weight and the integer scale; the term is that cost of the chosen day.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from pairing.cpsat.schedule.spec import GroupSpec
from pairing.cpsat.schedule.variables import Variables

Terms = tuple[list[cp_model.IntVar], list[int]]


def spread_terms(spec: GroupSpec, variables: Variables) -> Terms:
    """Return the S06 variables and their costs (days with zero cost are left out)."""
    chosen: list[cp_model.IntVar] = []
    costs: list[int] = []
    for occurrence, placed in zip(spec.occurrences, variables.placed, strict=True):
        for cost, var in zip(occurrence.costs, placed, strict=True):
            if cost:
                chosen.append(var)
                costs.append(cost)
    return chosen, costs
