"""Decision variables: one Boolean per candidate pair, with lookups by village and unit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from pairing.cpsat.pairing.data import PairingData

Tag = tuple[str, int]  # (rule id, index of the village / unit / edge / need / group)
# Makes the assumption literal that guards one hard rule instance (the diagnosis).
Guard = Callable[[Tag], cp_model.IntVar]


@dataclass
class PairingVars:
    """The model and its pair variables; ``terms`` collects (rule id, cost expression)."""

    model: cp_model.CpModel
    data: PairingData
    pair: list[cp_model.IntVar]
    by_village: dict[int, list[int]]
    by_unit: dict[int, list[int]]
    terms: dict[str, list[cp_model.LinearExprT]] = field(default_factory=lambda: defaultdict(list))


def make_variables(data: PairingData) -> PairingVars:
    """Create ``pair[e]`` for every candidate edge ``e`` (in the data's canonical order)."""
    model = cp_model.CpModel()
    pair = [model.new_bool_var(f"x_u{e.unit}_v{e.village}") for e in data.edges]
    by_village: dict[int, list[int]] = defaultdict(list)
    by_unit: dict[int, list[int]] = defaultdict(list)
    for index, edge in enumerate(data.edges):
        by_village[edge.village].append(index)
        by_unit[edge.unit].append(index)
    return PairingVars(model, data, pair, by_village, by_unit)
