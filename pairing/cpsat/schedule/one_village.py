"""S04: a unit is in at most one village a day.

Several obligations at the same village on the same day are fine (that is S08's bundling);
only visit days of one unit at different villages exclude each other.
"""

from __future__ import annotations

from collections import Counter

from ortools.sat.python import cp_model

from pairing.cpsat.schedule.spec import GroupSpec
from pairing.cpsat.schedule.variables import Variables


def add_one_village_a_day(model: cp_model.CpModel, spec: GroupSpec, variables: Variables) -> None:
    """For each unit with several pairs, at most one of its pairs has a visit each day."""
    pairs_per_unit = Counter(spec.pair_units)
    by_unit_day: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    for (pair, day), var in variables.visits.items():
        unit = spec.pair_units[pair]
        if pairs_per_unit[unit] > 1:
            by_unit_day.setdefault((unit, day), []).append(var)
    for key in sorted(by_unit_day):
        if len(by_unit_day[key]) > 1:
            model.add_at_most_one(by_unit_day[key])
