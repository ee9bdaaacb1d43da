"""The domain: frozen dataclasses for everything a workbook says.

No pandas, openpyxl or ortools here (a test checks it). Every record keeps the Excel row it
came from (``row``), so that later layers can name it in a message. Ids are mapped to indices
once, in :class:`Problem`; the model layers work on indices.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from pairing.domain.rules import default_weights

Rating = Literal["好", "中", "差"]
RuleVerb = Literal["must", "forbid", "prefer"]
Period = Literal["week", "month", "quarter", "year"]
DayType = Literal["workday", "weekend", "any"]
HolidayPolicy = Literal["avoid", "allow"]
Who = Literal["unit", "leader"]
ScopeKind = Literal["all", "town", "village", "unit"]
HolidayKind = Literal["holiday", "workday"]
Role = Literal["leader", "member"]
LedgerStatus = Literal["done", "late", "filed_late"]
UnitChangeKind = Literal["merge", "rename", "removed"]


@dataclass(frozen=True, slots=True)
class Unit:
    """A county-level unit (市直/县直单位) that helps villages."""

    id: str
    name: str
    system: str = ""
    strength: float = 1.0
    party_members: int | None = None
    skills: frozenset[str] = frozenset()
    min_villages: int = 1
    max_villages: int = 1
    lat: float | None = None
    lon: float | None = None
    row: int = 0


@dataclass(frozen=True, slots=True)
class Village:
    """A key village (乡村振兴重点村) to be helped."""

    id: str
    name: str
    town: str
    lat: float | None = None
    lon: float | None = None
    households: int | None = None
    population: int | None = None
    needs: frozenset[str] = frozenset()
    typical: bool = False
    units_required: int = 2
    row: int = 0


@dataclass(frozen=True, slots=True)
class PastPairing:
    """A pairing of an earlier round (历史结对); ``end_year`` None means it is still running."""

    unit_id: str
    village_id: str
    start_year: int
    end_year: int | None = None
    rating: Rating | None = None
    row: int = 0


@dataclass(frozen=True, slots=True)
class PairRule:
    """A planner's rule on one pair: 必须 must, 禁止 forbid or 意向 prefer (with a rank)."""

    unit_id: str
    village_id: str
    verb: RuleVerb
    rank: int | None = None
    reason: str = ""
    row: int = 0


@dataclass(frozen=True, slots=True)
class Obligation:
    """A recurring duty of every pair (one line of the "五个一")."""

    code: str
    name: str
    every: Period
    times: int = 1
    joint: bool = False
    day_type: DayType = "any"
    holiday_policy: HolidayPolicy = "avoid"
    who: Who = "unit"
    row: int = 0


@dataclass(frozen=True, slots=True)
class Blackout:
    """Dates on which nothing may be scheduled for a scope (all, a town, a village, a unit)."""

    scope_kind: ScopeKind
    scope: str
    start: dt.date
    end: dt.date
    reason: str = ""
    row: int = 0

    def covers(self, day: dt.date) -> bool:
        """Return whether ``day`` lies inside this blackout (both ends included)."""
        return self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class HolidayOverride:
    """A date that the planner declares a holiday (休) or a make-up workday (班)."""

    date: dt.date
    kind: HolidayKind
    row: int = 0


@dataclass(frozen=True, slots=True)
class UnitChange:
    """A unit merged into another, renamed or removed between two rounds (单位变更)."""

    old_unit_id: str
    new_unit_id: str  # "" when removed
    kind: UnitChangeKind
    note: str = ""
    row: int = 0


@dataclass(frozen=True, slots=True)
class BaselinePair:
    """A pair of the last plan (基线结对), its unit read through 单位变更.

    ``unit_id`` is the unit's id now: the baseline's own, or the unit it was merged into or
    renamed to; "" for a removed unit. ``baseline_unit_id`` is the id the baseline wrote.
    """

    unit_id: str
    village_id: str
    baseline_unit_id: str
    row: int = 0


@dataclass(frozen=True, slots=True)
class Score:
    """A planner's own affinity for a pair (评分): positive wants it, negative does not."""

    unit_id: str
    village_id: str
    score: float
    row: int = 0


@dataclass(frozen=True, slots=True)
class Member:
    """A person on a unit's team (队员); leaders (组长) have a monthly reception duty."""

    unit_id: str
    name: str
    role: Role = "member"
    row: int = 0


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """One line of an activity ledger (工作台账), as reported by a unit."""

    unit_id: str
    village_id: str
    activity: str
    date: dt.date
    status: LedgerStatus = "done"
    row: int = 0


def _frozen_weights() -> Mapping[str, float]:
    return MappingProxyType(default_weights())


@dataclass(frozen=True, slots=True)
class Settings:
    """Parameters of a run (参数 sheet). Every field has a documented default.

    ``weights`` holds one weight per soft rule id; 0 turns a rule off.
    """

    units_per_village: int = 2
    county: str = ""
    title: str = ""
    max_tenure_years: int | None = None
    plan_year: int | None = None
    time_limit_s: float = 60.0
    seed: int = 0
    workers: int = 1
    county_seat: tuple[float, float] | None = None
    circuity: float = 1.3
    weights: Mapping[str, float] = field(default_factory=_frozen_weights)
    needs_hard: bool = False
    systems_hard: bool = False
    max_km: float | None = None
    min_strength: float | None = None
    typical_weight: float = 2.0
    typical_boost: float = 1.2
    candidates_per_village: int = 0
    lagging_threshold: float = 0.8
    schedule_from: dt.date | None = None
    schedule_to: dt.date | None = None
    cover_households_per_team: int = 5
    grid_max_households: int = 30

    def weight(self, rule_id: str) -> float:
        """Return the weight of soft rule ``rule_id``."""
        return float(self.weights.get(rule_id, 0.0))

    def year(self, today: dt.date | None = None) -> int:
        """Return the plan year: the setting, or next calendar year when it is not set."""
        if self.plan_year is not None:
            return self.plan_year
        return (today or dt.date.today()).year + 1


@dataclass(frozen=True, slots=True)
class Problem:
    """Everything one run needs, validated, with ids mapped to indices once.

    Units and villages keep the workbook's order; ``unit_index`` and ``village_index`` map an
    id to its position. Later layers address units and villages by these indices.
    """

    units: tuple[Unit, ...]
    villages: tuple[Village, ...]
    history: tuple[PastPairing, ...] = ()
    rules: tuple[PairRule, ...] = ()
    settings: Settings = field(default_factory=Settings)
    obligations: tuple[Obligation, ...] = ()
    blackouts: tuple[Blackout, ...] = ()
    holidays: tuple[HolidayOverride, ...] = ()
    scores: tuple[Score, ...] = ()
    members: tuple[Member, ...] = ()
    baseline: tuple[BaselinePair, ...] = ()
    unit_changes: tuple[UnitChange, ...] = ()
    unit_index: Mapping[str, int] = field(init=False, repr=False)
    village_index: Mapping[str, int] = field(init=False, repr=False)
    mean_strength: float = field(init=False, repr=False)

    def __post_init__(self) -> None:
        units = MappingProxyType({unit.id: i for i, unit in enumerate(self.units)})
        villages = MappingProxyType({village.id: i for i, village in enumerate(self.villages)})
        object.__setattr__(self, "unit_index", units)
        object.__setattr__(self, "village_index", villages)
        mean = sum(unit.strength for unit in self.units) / max(1, len(self.units))
        object.__setattr__(self, "mean_strength", mean)

    def unit(self, unit_id: str) -> Unit:
        """Return the unit with id ``unit_id``."""
        return self.units[self.unit_index[unit_id]]

    def village(self, village_id: str) -> Village:
        """Return the village with id ``village_id``."""
        return self.villages[self.village_index[village_id]]

    def pair_rules(self, verb: RuleVerb) -> tuple[PairRule, ...]:
        """Return the pair rules of one kind, in workbook order."""
        return tuple(rule for rule in self.rules if rule.verb == verb)

    @property
    def slots(self) -> tuple[int, int]:
        """Return (least, most) village places the units can fill together."""
        return (
            sum(unit.min_villages for unit in self.units),
            sum(unit.max_villages for unit in self.units),
        )

    @property
    def demand(self) -> int:
        """Return how many unit places the villages need together."""
        return sum(village.units_required for village in self.villages)
