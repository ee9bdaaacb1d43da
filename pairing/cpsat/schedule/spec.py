"""The data one group's model is built from, and what its solve returns (pure Python)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class OccurrenceSpec:
    """One occurrence to place on one day.

    Attributes
    ----------
    pairs
        Local indices of the pairs it puts on site (several when joint, S05).
    days
        Allowed day numbers, ascending (S02 and S03 already applied).
    costs
        S06 cost of each allowed day, scaled to integers (aligned with ``days``).
    duty
        Local index of the duty it belongs to, for the infeasibility core.
    """

    pairs: tuple[int, ...]
    days: tuple[int, ...]
    costs: tuple[int, ...]
    duty: int


@dataclass(frozen=True, slots=True)
class GroupSpec:
    """One independent group of pairs: units, occurrences and soft-rule costs.

    Attributes
    ----------
    key
        The group's number (for results and logs).
    pair_units
        Local unit index of each local pair (S04 couples pairs of one unit).
    occurrences
        Every occurrence of the group.
    distinct
        Sets of occurrence indices that must fall on pairwise different days (one performer's
        occurrences of one duty).
    trip_cost
        S08 cost of one visit day of one pair, scaled to an integer.
    duties
        Number of duties (occurrences refer to them by index).
    """

    key: int
    pair_units: tuple[int, ...]
    occurrences: tuple[OccurrenceSpec, ...]
    distinct: tuple[tuple[int, ...], ...]
    trip_cost: int
    duties: int


@dataclass(frozen=True, slots=True)
class Limits:
    """Solver limits and seed. The deterministic budget keeps runs reproducible.

    ``deterministic_s`` is CP-SAT's deterministic time (work units, about seconds on one
    core): a run that stops on it stops at the same point every time. ``wall_s`` is a safety
    net only; a run stopped by it is reported as interrupted.
    """

    deterministic_s: float
    wall_s: float
    seed: int = 0


@dataclass(frozen=True, slots=True)
class GroupResult:
    """The solve of one group.

    Attributes
    ----------
    key
        The group's number.
    status
        CP-SAT's status name (OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN, MODEL_INVALID).
    days
        The chosen day of each occurrence (empty without a solution).
    objective, bound
        Scaled objective and best bound.
    seconds
        Wall time of the build and solve.
    interrupted
        The wall-clock safety net stopped the search (the result may not be reproducible).
    """

    key: int
    status: str
    days: tuple[int, ...]
    objective: int
    bound: int
    seconds: float
    interrupted: bool = False

    @property
    def solved(self) -> bool:
        """Return whether the result holds a solution."""
        return self.status in ("OPTIMAL", "FEASIBLE")
