"""What the auditor works on: a plan's pairs and obligations, and the periods they owe."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from pairing.domain.model import Problem


class OwedPeriod(Protocol):
    """What one obligation owes in one period, as a period calculator states it.

    ``low`` .. ``high`` bound the count (they differ only where the official holiday calendar
    is not known yet); the auditor holds units to ``low``, never accusing on a guess.
    """

    @property
    def code(self) -> str:
        """The obligation's code."""

    @property
    def label(self) -> str:
        """The period's label."""

    @property
    def first(self) -> dt.date:
        """The first day of the period inside the horizon."""

    @property
    def last(self) -> dt.date:
        """The last day of the period inside the horizon."""

    @property
    def low(self) -> int:
        """The least count owed per performer."""


@dataclass(frozen=True, slots=True)
class Period:
    """What one obligation owes, per performer, in the part of one period inside the horizon.

    Attributes
    ----------
    code
        The obligation's code.
    label
        The period (``2027-W05``, ``2027-03``, ``2027-Q1``, ``2027``).
    first, last
        Its part inside the horizon.
    owed
        Occurrences owed per performer (the unit, or each 组长 for a leader duty).
    """

    code: str
    label: str
    first: dt.date
    last: dt.date
    owed: int


@dataclass(frozen=True, slots=True)
class AuditPlan:
    """A plan as the auditor needs it.

    Attributes
    ----------
    name
        The plan workbook's name (for the report).
    problem
        The input: units, villages, obligations, members, settings.
    pairs
        The plan's pairs ``(unit_id, village_id)``.
    periods
        What each obligation owes per period of the horizon.
    start, end
        The horizon, both included.
    """

    name: str
    problem: Problem
    pairs: tuple[tuple[str, str], ...]
    periods: tuple[Period, ...]
    start: dt.date
    end: dt.date

    @classmethod
    def of(
        cls,
        name: str,
        problem: Problem,
        pairs: Iterable[tuple[str, str]],
        owed: Iterable[OwedPeriod],
        horizon: tuple[dt.date, dt.date],
    ) -> AuditPlan:
        """Return the plan to audit from its parts (what ``read_plan_data`` gives).

        Parameters
        ----------
        name
            The plan workbook's name.
        problem
            The input.
        pairs
            The plan's pairs.
        owed
            What each obligation owes per period (held to its ``low`` bound).
        horizon
            First and last day.

        Returns
        -------
        AuditPlan
            The plan.
        """
        periods = tuple(Period(p.code, p.label, p.first, p.last, p.low) for p in owed)
        return cls(name, problem, tuple(pairs), periods, *horizon)


@dataclass(frozen=True, slots=True)
class Slot:
    """What one pair owes for one obligation in one period (performers included).

    Attributes
    ----------
    unit_id, village_id
        The pair.
    code
        The obligation's code.
    label
        The period.
    first, last
        The period's part inside the horizon.
    owed
        Ledger records owed: the period's count × performers (leaders, for a leader duty).
    """

    unit_id: str
    village_id: str
    code: str
    label: str
    first: dt.date
    last: dt.date
    owed: int

    @property
    def month(self) -> str:
        """Return the month the slot is reported under: that of its last day (``2027-03``)."""
        return f"{self.last.year}-{self.last.month:02d}"
