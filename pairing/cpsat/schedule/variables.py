"""Decision variables: where each occurrence goes, and which days are visit days."""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from pairing.cpsat.schedule.spec import GroupSpec

Visit = tuple[int, int]  # (local pair, day number)


@dataclass(frozen=True, slots=True)
class Variables:
    """The model's Booleans.

    Attributes
    ----------
    placed
        ``placed[o][k]`` is true when occurrence ``o`` falls on its ``k``-th allowed day.
    visits
        ``visits[(p, d)]`` is true when pair ``p`` is on site on day ``d`` (a visit day,
        S04 and S08); only days some occurrence of the pair may use have one.
    """

    placed: tuple[tuple[cp_model.IntVar, ...], ...]
    visits: dict[Visit, cp_model.IntVar]


def make_variables(model: cp_model.CpModel, spec: GroupSpec) -> Variables:
    """Create the variables of one group, in a fixed order (determinism)."""
    placed = tuple(
        tuple(model.new_bool_var("") for _ in occurrence.days) for occurrence in spec.occurrences
    )
    keys = sorted(
        {(pair, day) for occ in spec.occurrences for pair in occ.pairs for day in occ.days}
    )
    visits = {key: model.new_bool_var("") for key in keys}
    return Variables(placed, visits)
