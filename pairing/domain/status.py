"""How a search ended, and what proved its bound: named values instead of bare strings.

Both are :class:`enum.StrEnum` whose values are the strings the workbooks and the JSON have
always carried (CP-SAT's status names; "lp", "lagrangian", "cp-sat"), so a member compares
equal to, prints and serialises as its old string, and readers of old plans see no change.
"""

from __future__ import annotations

import enum


class Status(enum.StrEnum):
    """A search's end: CP-SAT's status names, which the plan's summary sheet shows."""

    OPTIMAL = "OPTIMAL"
    FEASIBLE = "FEASIBLE"
    INFEASIBLE = "INFEASIBLE"
    UNKNOWN = "UNKNOWN"
    MODEL_INVALID = "MODEL_INVALID"
    # A plan whose pairs a planner chose by hand (``pairing rescore``): costed, never proven.
    HAND_EDITED = "HAND_EDITED"

    @property
    def feasible(self) -> bool:
        """Whether a plan was found."""
        return self in (Status.OPTIMAL, Status.FEASIBLE)


class BoundMethod(enum.StrEnum):
    """What proved a plan's bound; ``NONE`` when it has no useful bound."""

    LP = "lp"  # column generation: the team LP's value plus each village's lowest reduced cost
    LAGRANGIAN = "lagrangian"  # subgradient steps on the units' and town links' prices
    CP_SAT = "cp-sat"  # a CP-SAT stage that covered every team that could do better
    NONE = ""
