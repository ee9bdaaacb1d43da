"""What a job tells the planner while it runs, as data: the CLI renders it on stderr.

A job cannot print (it is called from tests, province workers and benchmarks too), yet some
of what it learns must reach the planner before the job ends: that the search is over (the
progress line ends), that a gap was not reached, that a period is waived, that dates are
provisional, that a stopped schedule is left out. Each is a frozen dataclass handed to the
caller's :data:`Listener` at the moment it happens, so the console keeps its order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pairing.domain.plan import SolverFacts


@dataclass(frozen=True, slots=True)
class Unreproducible:
    """The search runs on ``workers`` threads: its plan may differ from run to run."""

    workers: int


@dataclass(frozen=True, slots=True)
class SearchEnded:
    """The search returned a plan: the progress line is finished."""


@dataclass(frozen=True, slots=True)
class GapMissed:
    """A plan may have missed the requested gap; ``parts``: the facts of a partitioned
    plan's parts, each of which may have missed it.

    The renderer decides from the facts whether they did (:func:`pairing.cli.proof.missed_gap`).
    """

    facts: SolverFacts
    requested: float
    parts: tuple[SolverFacts, ...] = ()


@dataclass(frozen=True, slots=True)
class Partitioning:
    """The input is read; the partitioned solve by ``by`` starts on ``engine``."""

    by: str
    engine: str


@dataclass(frozen=True, slots=True)
class Waived:
    """Periods whose calendar has fewer eligible days than asked; each note is ``zh / en``."""

    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Provisional:
    """Years scheduled on provisional dates (no official holiday calendar yet).

    ``merged``: the notice of a partitioned run, whose wording is shorter.
    """

    years: tuple[int, ...]
    merged: bool = False


@dataclass(frozen=True, slots=True)
class ScheduleDropped:
    """Ctrl-C stopped the schedule before every group had its days: the plan goes alone."""

    reason: str


Notice = (
    Unreproducible | Partitioning | SearchEnded | GapMissed | Waived | Provisional | ScheduleDropped
)
Listener = Callable[[Notice], None]


def ignore(notice: Notice) -> None:
    """A listener that drops every notice (a province part, a test)."""
