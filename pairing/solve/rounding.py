"""A whole plan from the relaxation: the min-cost flow that agrees with it most.

The relaxation's values (the LP's, or the share of subgradient steps a team was lowest in)
give each (unit, village) pair a weight: the total value of the teams that hold it. A min-cost
flow whose edges earn ``AGREEMENT`` points per unit of weight follows the relaxation wherever
P01-P04 allow, and the warm start's costs elsewhere. Its plan is complete and feasible (P05
and the distance cap are absent edges): a hint CP-SAT needs no repair for. Keeping the
relaxation's majority teams greedily and staffing the rest by flow was tried first: at 2,500
villages the teams kept left the other villages without units (Hall's condition failed).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from pairing.cpsat.pairing.data import SCALE, PairingData, Team
from pairing.cpsat.pairing.flow import flow_costs, min_cost_assignment
from pairing.domain.pairs import Pair

AGREEMENT = 10_000 * SCALE  # 10,000 points per unit of weight: far above any edge's cost


def round_relaxation(
    data: PairingData, teams: Sequence[Team], values: NDArray[np.float64]
) -> set[Pair] | None:
    """The pairs of the flow that agrees most with ``values`` (one per team in ``teams``);
    None if P01-P04 cannot hold on the candidate graph."""
    weight: dict[Pair, float] = defaultdict(float)
    for i in np.flatnonzero(values > 0):
        team = teams[int(i)]
        for unit in team.units:
            weight[(unit, team.village)] += float(values[i])
    costs = [
        cost - round(AGREEMENT * weight.get((edge.unit, edge.village), 0.0))
        for edge, cost in zip(data.edges, flow_costs(data), strict=True)
    ]
    chosen = min_cost_assignment(data, costs)
    if chosen is None:
        return None
    return {(data.edges[e].unit, data.edges[e].village) for e in chosen}
