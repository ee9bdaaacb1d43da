"""What the HTML report shows, as plain frozen records (built by :mod:`pairing.app.report`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

PairStatus = Literal["continued", "new", "locked"]


@dataclass(frozen=True, slots=True)
class VillageUnit:
    """One unit of a village as the map's panel lists it."""

    unit_id: str
    name: str
    status: PairStatus
    km: float | None
    reason: str


@dataclass(frozen=True, slots=True)
class ReportVillage:
    """A village: where it is, its units, its strength against its target."""

    id: str
    name: str
    town: str
    lat: float | None
    lon: float | None
    typical: bool
    units: tuple[VillageUnit, ...]
    strength: float
    target: float
    needs: tuple[str, ...]
    uncovered: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReportUnit:
    """A unit and where it sits (None when the workbook gives no coordinates)."""

    id: str
    name: str
    lat: float | None
    lon: float | None


@dataclass(frozen=True, slots=True)
class ReportPair:
    """One pair of the plan, for one line of the map."""

    unit_id: str
    village_id: str
    status: PairStatus
    km: float | None


@dataclass(frozen=True, slots=True)
class Kpi:
    """One KPI tile: Chinese and English label, and the value as shown."""

    zh: str
    en: str
    value: str


@dataclass(frozen=True, slots=True)
class NeedCoverage:
    """A need tag: how many villages ask for it and how many of them have it covered."""

    tag: str
    needed: int
    covered: int


@dataclass(frozen=True, slots=True)
class CalendarDay:
    """One day of the schedule's horizon."""

    date: dt.date
    events: int
    holiday: str  # the festival's name ("" for none; "休" for an unnamed holiday)
    blackout: str  # the blackout reasons of the day ("" for none)
    workday: bool


@dataclass(frozen=True, slots=True)
class UnitCompliance:
    """A unit's completion rate in an audit workbook."""

    unit_id: str
    name: str
    completion: float


@dataclass(frozen=True, slots=True)
class ReportData:
    """Everything the report shows."""

    title: str
    source: str
    kpis: tuple[Kpi, ...]
    villages: tuple[ReportVillage, ...]
    units: tuple[ReportUnit, ...]
    pairs: tuple[ReportPair, ...]
    needs: tuple[NeedCoverage, ...]
    calendar: tuple[CalendarDay, ...] | None = None
    compliance: tuple[UnitCompliance, ...] | None = None
    threshold: float = 0.8
