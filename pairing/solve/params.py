"""The search's knobs, in one frozen object: what to change to tune the search, and why each
default is what it is.

Every default is the value the search was measured with (the numbers in the comments); a test
or a benchmark that wants another passes ``SearchParams(...)`` (through
:class:`pairing.solve.optimize.SolveOptions`), never patches a module.

Not search knobs, so they stay where they act: numerical tolerances that keep a bound valid
(the LP's ``VALUE_MARGIN`` and ``ARTIFICIAL_COST``, the Lagrangian's ``TIE``); rounding's
``AGREEMENT``, a modelling constant (far above any edge's cost); the candidate graph's sizes
(:mod:`pairing.solve.candidates`), which decide the instance, not how it is searched; and the
solve's own time budget around the search (``SEARCH_FLOOR``, ``AFTER_SEARCH_PER_VILLAGE`` in
:mod:`pairing.solve.optimize`).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ColumnGeneration:
    """Column generation, the bound up to ``SearchParams.lp_villages`` villages."""

    initial_teams: int = 8  # cheapest teams per village to start from
    added_teams: int = 10  # most negative teams per village added per pricing round
    share: float = 0.5  # of the time limit, at most
    pool_cap: int = 300_000  # teams generated at most: bounds memory; the bound stays valid
    # A reduced cost above -tolerance × the LP's cost unit (its dearest first team) is taken as
    # 0: the interior point's prices are exact to about 1e-8 of that unit, never to one unit.
    tolerance: float = 1e-6


@dataclass(frozen=True)
class Subgradient:
    """The Lagrangian bound by subgradient steps (:mod:`pairing.solve.lagrange`), above
    ``SearchParams.lp_villages`` villages or when the LP fails."""

    share: float = 0.3  # of the time limit
    step_factor: float = 2.0  # Polyak's factor at the start (halved when the bound stalls)
    stall_steps: int = 5  # steps without a better bound before the factor is halved
    smallest_factor: float = 1e-4  # below this the steps no longer move the bound: stop
    recent_steps: int = 20  # steps whose lowest teams make the approximate LP solution
    # Polyak's target at most this far above the best bound: the warm start is 5% above the
    # optimum at 2,500 villages, and steps sized for it overshoot. Bounds reached (2,500
    # villages in 17 s; 10,000 in 30 s): aiming at the warm start 1,130,720 and 8,771,048; at
    # 1% above the bound 1,131,284 and 8,775,350; at 2% 1,131,340 and 8,774,880; at 5%
    # 1,131,221.
    aim: float = 0.02


@dataclass(frozen=True)
class StageA:
    """Stage A: CP-SAT on the teams of lowest reduced cost, from the rounded plan."""

    share: float = 0.3  # of the time left
    # The lowest reduced costs of the whole space, 4 per village on average (+ LP support):
    # Gaozhou's optimum is among them, 4 from the pool's best was not.
    per_village: int = 4
    widening: int = 4  # the window grows this much while its teams admit no plan


@dataclass(frozen=True)
class Fixing:
    """Reduced-cost fixing: the rounds that prove the plan or improve it."""

    round_cap: int = 7_000  # teams per round (or 10 per village if more); wider is narrowed
    growth_limit: int = 8  # a round that found nothing better may double its cap this often


@dataclass(frozen=True)
class Neighbourhoods:
    """The neighbourhood search (:mod:`pairing.solve.neighbourhoods`), above
    ``SearchParams.lp_villages`` villages."""

    teams_per_village: int = 60  # teams per village on average offered to the neighbourhoods
    share: float = 1.0  # of the time left after the first plan; the rest: reduced costs
    villages: int = 400  # villages per neighbourhood, whole towns, at least this many
    step_seconds: float = 3.0  # CP-SAT's limit for one neighbourhood
    stall_passes: int = 2  # passes in a row without a better plan before giving up
    linearization: int = 2  # CP-SAT's full LP: what makes a neighbourhood quick to prove


@dataclass(frozen=True)
class SearchParams:
    """Every knob of the search. ``lp_villages`` is the one size switch: up to it the bound
    comes from column generation and CP-SAT searches with its LP; above it, from the
    Lagrangian, and the neighbourhoods search (CP-SAT without its LP finds nothing better than
    the rounded plan: 2,500 villages, nothing at all in 20 s).
    """

    lp_villages: int = 1_000  # above: one LP round takes 10 s (2,500 villages) to minutes
    enumeration_budget: int = 1200  # teams of three or more enumerated per village, at most
    team_probing: int = 0  # CP-SAT probing on team models: costs most of a round, fixes little
    columns: ColumnGeneration = field(default_factory=ColumnGeneration)
    subgradient: Subgradient = field(default_factory=Subgradient)
    stage_a: StageA = field(default_factory=StageA)
    fixing: Fixing = field(default_factory=Fixing)
    neighbourhoods: Neighbourhoods = field(default_factory=Neighbourhoods)

    def uses_lp(self, villages: int) -> bool:
        """Whether a county of ``villages`` gets the LP path (column generation, CP-SAT with
        its LP) rather than the Lagrangian path (subgradient steps, neighbourhoods)."""
        return villages <= self.lp_villages


DEFAULT = SearchParams()  # the measured defaults: what every solve uses unless told otherwise
