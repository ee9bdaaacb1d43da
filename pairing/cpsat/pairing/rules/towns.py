"""P15: a unit with several villages has them in one town.

For each unit that may take two or more villages: ``uses[u,town] >= x_e`` for its edges into
the town, and ``extra[u] >= Σ uses - 1`` costs ``town_cost`` per extra town.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from pairing.cpsat.pairing.variables import PairingVars


def add_towns(v: PairingVars) -> None:
    """Add town-use indicators and the extra-town count of multi-village units."""
    if not v.data.town_cost:
        return
    by_unit: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for group in v.data.towns:
        uses = v.model.new_bool_var(f"town_u{group.unit}_{group.town}")
        for e in group.edges:
            v.model.add_implication(v.pair[e], uses)
        by_unit[group.unit].append(uses)
    for unit, uses_list in sorted(by_unit.items()):
        if len(uses_list) < 2:
            continue
        extra = v.model.new_int_var(0, len(uses_list) - 1, f"extra_towns_u{unit}")
        v.model.add(extra >= sum(uses_list) - 1)
        v.terms["P15"].append(v.data.town_cost * extra)
