"""P11: a village's units come from different systems.

For each (village, system) with two or more candidate units: ``repeats >= Σ x_e - 1``,
``repeats >= 0``, costing ``cost`` each. With ``P11_hard``: ``Σ x_e <= 1``.
"""

from __future__ import annotations

from pairing.cpsat.pairing.variables import PairingVars


def add_systems(v: PairingVars) -> None:
    """Add the repeated-system counts (or the hard limit)."""
    for group in v.data.systems:
        chosen = sum(v.pair[e] for e in group.edges)
        if v.data.systems_hard:
            v.model.add(chosen <= 1)
            continue
        repeats = v.model.new_int_var(
            0, len(group.edges) - 1, f"rep_v{group.village}_{group.system}"
        )
        v.model.add(repeats >= chosen - 1)
        v.terms["P11"].append(group.cost * repeats)
