"""S01 and S07: every occurrence happens once; one performer's occurrences on different days.

A duty owes ``count`` occurrences per performer in its period; each is a separate
occurrence whose allowed days lie inside the period, so "exactly one day per occurrence" is
"``count`` times per period". Occurrences of one performer may not share a day, or two would
count as one.
"""

from __future__ import annotations

from collections.abc import Sequence

from ortools.sat.python import cp_model

from pairing.cpsat.schedule.spec import GroupSpec
from pairing.cpsat.schedule.variables import Variables


def add_occurrences(
    model: cp_model.CpModel,
    spec: GroupSpec,
    variables: Variables,
    enforce: Sequence[cp_model.IntVar] | None = None,
) -> None:
    """Place each occurrence on exactly one allowed day.

    With ``enforce`` (one literal per duty), a duty's occurrences are required only when its
    literal holds: the diagnosis uses these literals as assumptions to find a conflict core.
    """
    for occurrence, placed in zip(spec.occurrences, variables.placed, strict=True):
        if enforce is None:
            model.add_exactly_one(placed)
        else:
            model.add(sum(placed) == 1).only_enforce_if(enforce[occurrence.duty])
            model.add(sum(placed) <= 1)


def add_distinct_days(model: cp_model.CpModel, spec: GroupSpec, variables: Variables) -> None:
    """Keep the occurrences of each ``distinct`` set on pairwise different days."""
    for members in spec.distinct:
        by_day: dict[int, list[cp_model.IntVar]] = {}
        for index in members:
            days = spec.occurrences[index].days
            for day, var in zip(days, variables.placed[index], strict=True):
                by_day.setdefault(day, []).append(var)
        for day in sorted(by_day):
            if len(by_day[day]) > 1:
                model.add_at_most_one(by_day[day])
