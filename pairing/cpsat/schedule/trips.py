"""S08 (soft): fewer trips, each pair's obligations bundled on the same visit days.

Every visit day of every pair costs the S08 weight (scaled); an occurrence moved onto a day
the pair visits anyway costs nothing more.
"""

from __future__ import annotations

from pairing.cpsat.schedule.spec import GroupSpec
from pairing.cpsat.schedule.spread import Terms
from pairing.cpsat.schedule.variables import Variables


def trip_terms(spec: GroupSpec, variables: Variables) -> Terms:
    """Return the visit-day variables, each at the S08 cost (none when S08 is off)."""
    if spec.trip_cost == 0:
        return [], []
    chosen = list(variables.visits.values())
    return chosen, [spec.trip_cost] * len(chosen)
