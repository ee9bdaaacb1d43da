"""P11: a village's units come from different systems (the whole family, solver side).

A team's cost is ``per_repeat × (#members with a system − #distinct systems)`` (village-owned),
or 0 under ``P11_hard``, which allows only teams with no repeat. Written as :func:`repeats` for
one team, :func:`pair_repeats` / :func:`single_repeats` for NumPy grids of teams, and on the pair
variables: for each (village, system) with two or more candidate units ``repeats >= Σ x_e - 1``,
``repeats >= 0`` at ``cost`` each, or ``Σ x_e <= 1`` when hard.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from numpy.typing import NDArray

# P10 and P11 share their count forms (one home: counts.py); re-exported as this family's.
from pairing.cpsat.pairing.rules.counts import allowed as allowed
from pairing.cpsat.pairing.rules.counts import allowed_batch as allowed_batch
from pairing.cpsat.pairing.rules.counts import cost as cost
from pairing.cpsat.pairing.variables import Guard, PairingVars

RULES = ("P11",)


def repeats(systems: Iterable[str]) -> int:
    """Members with a (non-blank) system minus the distinct systems among them."""
    named = [s for s in systems if s]
    return len(named) - len(set(named))


def single_repeats(base: NDArray[np.int64], in_base: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Repeats of one-place teams: the locked units' own ``base`` repeats (per village) plus
    one where the free member's system is already a locked unit's (``in_base``, V × K)."""
    out: NDArray[np.int64] = base[:, None] + in_base
    return out


def pair_repeats(
    base: NDArray[np.int64], system: NDArray[np.int64], in_base: NDArray[np.bool_]
) -> NDArray[np.int64]:
    """Repeats of two-place teams (V × K × K): ``base``, each member whose system a locked unit
    has, and the two members sharing a system no locked unit has (``system`` -1 = none)."""
    same = (
        (system[:, :, None] == system[:, None, :])
        & (system[:, :, None] >= 0)
        & ~in_base[:, :, None]
    )
    out: NDArray[np.int64] = base[:, None, None] + in_base[:, :, None] + in_base[:, None, :] + same
    return out


def add(v: PairingVars) -> None:
    """Add the repeated-system counts (or the hard limit)."""
    for group in v.data.systems:
        chosen = sum(v.pair[e] for e in group.edges)
        if v.data.systems_hard:
            v.model.add(chosen <= 1)
            continue
        count = v.model.new_int_var(0, len(group.edges) - 1, f"rep_v{group.village}_{group.system}")
        v.model.add(count >= chosen - 1)
        v.terms["P11"].append(group.cost * count)


def add_guarded(v: PairingVars, guard: Guard) -> None:
    """``P11_hard`` for the diagnosis: each system group at most once, each guarded."""
    if not v.data.systems_hard:
        return
    for g, group in enumerate(v.data.systems):
        v.model.add(sum(v.pair[e] for e in group.edges) <= 1).only_enforce_if(guard(("P11", g)))
