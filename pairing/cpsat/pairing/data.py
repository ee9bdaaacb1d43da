"""The index-based instance the pairing model is built from.

The solve layer maps ids to indices and computes every coefficient once; this layer sees only
integers and tuples. All costs are in units of 1e-7 point (``SCALE`` units a point), so that
weights with decimals stay integers for CP-SAT with no loss a user could see.
"""

from __future__ import annotations

from dataclasses import dataclass

# Internal cost units per point. Every term is rounded to 1e-7 point on its own, so two
# plans' costs in the user's own numbers differ from theirs here by at most 5e-8 points a
# term; at 0.01 (the old unit) a county of [0, 1] planner scores came out "proven" 2.6e-4
# below its true optimum (issue 14). Display rounds to 0.01; the optimisation never does.
SCALE = 10_000_000
# A plan is proven optimal when the best bound is within this share of its cost (and of one
# point, for a cost below one): CP-SAT stops there, and the LP's value is lowered by half of it
# so that an interior-point optimum never overstates the bound.
PROOF_RELATIVE = 2e-7


def proof_tolerance(objective: float) -> float:
    """Points by which a bound may sit below ``objective`` and still prove it optimal."""
    return PROOF_RELATIVE * max(1.0, abs(objective))


@dataclass(frozen=True, slots=True)
class Edge:
    """A candidate pair: unit ``unit`` may help village ``village``.

    ``cost`` is the pair's linear cost (P13 distance, P14 kept failed pair, P16/P17 terms
    expressed per pair, see :mod:`pairing.solve.instance`), in cost units (``SCALE`` a point).
    """

    unit: int
    village: int
    cost: int
    fixed: bool = False


@dataclass(frozen=True, slots=True)
class Team:
    """A possible set of units for one village, with its exact village-level cost.

    ``cost`` is the sum of its pairs' edge costs plus the village's P10, P11 and P12 points
    for this set of units (cost units). Choosing teams instead of single pairs
    makes the LP relaxation price needs, systems and strength exactly.
    """

    village: int
    units: tuple[int, ...]
    cost: int


@dataclass(frozen=True, slots=True)
class Need:
    """Need ``tag`` of ``village``: covered when one of ``edges`` (indices) is chosen."""

    village: int
    tag: str
    edges: tuple[int, ...]
    cost: int


@dataclass(frozen=True, slots=True)
class SystemGroup:
    """Edges of one village whose units share a system; more than one costs ``cost`` each."""

    village: int
    system: str
    edges: tuple[int, ...]
    cost: int


@dataclass(frozen=True, slots=True)
class StrengthTarget:
    """A village's strength target in tenths and the cost of each tier of shortfall.

    The shortfall below ``target`` is split into tiers of ``tier_size`` tenths; tier k
    (1-based) costs ``tier_costs[k-1]`` per tenth, rising, so the deepest gaps cost most.
    """

    village: int
    target: int
    tier_size: int
    tier_costs: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class TownGroup:
    """Edges of one multi-village unit into one town (P15 counts the towns a unit uses)."""

    unit: int
    town: str
    edges: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class PairingData:
    """Everything the CP-SAT pairing model needs, by index.

    Attributes
    ----------
    units_required
        Per village, how many units it gets (P01).
    villages_min, villages_max
        Per unit, bounds on its number of villages (P02).
    edges
        Candidate pairs; P04/P05/max-km pairs are never candidates, P03 pairs are ``fixed``.
    strength
        Per unit, strength in tenths (P12).
    constant
        Cost that does not depend on the decisions (e.g. every preference counted as unmet,
        refunded by a negative edge cost when it is met), in cost units (``SCALE`` a point).
    village_town
        Per village, its town (所属镇), set once by the solve layer: P15 and the
        neighbourhoods group villages by it, so no step is handed a village -> town map of
        its own. Empty only for a hand-made instance where P15 costs nothing.
    """

    units_required: tuple[int, ...]
    villages_min: tuple[int, ...]
    villages_max: tuple[int, ...]
    edges: tuple[Edge, ...]
    strength: tuple[int, ...]
    needs: tuple[Need, ...] = ()
    systems: tuple[SystemGroup, ...] = ()
    targets: tuple[StrengthTarget, ...] = ()
    towns: tuple[TownGroup, ...] = ()
    town_cost: int = 0
    teams: tuple[Team, ...] = ()
    needs_hard: bool = False
    systems_hard: bool = False
    min_strength: int | None = None
    constant: int = 0
    village_town: tuple[str, ...] = ()

    @property
    def n_units(self) -> int:
        """Number of units."""
        return len(self.villages_min)

    @property
    def n_villages(self) -> int:
        """Number of villages."""
        return len(self.units_required)
