"""The people layer of issue 18: listed households, village party members, 村民小组, 片区,
and unit members with ids, as frozen records (models/COVER.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

VillageRole = Literal["secretary", "committee", "member", "grid_worker"]


@dataclass(frozen=True, slots=True)
class Household:
    """One listed household (农户) to be covered by a 1+1 team."""

    id: str
    village_id: str
    head: str
    group: str
    categories: frozenset[str] = frozenset()
    persons: int | None = None
    needs: frozenset[str] = frozenset()
    lat: float | None = None
    lon: float | None = None
    row: int = 0

    @property
    def priority(self) -> bool:
        """Return whether any 类别 tag marks the household as a priority one."""
        return bool(self.categories)


@dataclass(frozen=True, slots=True)
class VillageMember:
    """A party member of a village (村党员), living in one 小组."""

    id: str
    village_id: str
    name: str
    group: str
    role: VillageRole = "member"
    max_households: int | None = None
    row: int = 0


@dataclass(frozen=True, slots=True)
class UnitMember:
    """A member of a unit's team (队员) with an id, as the cover needs one."""

    id: str
    unit_id: str
    name: str
    max_households: int | None = None
    skills: frozenset[str] = frozenset()
    row: int = 0


@dataclass(frozen=True, slots=True)
class Group:
    """A 村民小组 of a village with its 户数."""

    village_id: str
    name: str
    households: int
    lat: float | None = None
    lon: float | None = None
    row: int = 0


@dataclass(frozen=True, slots=True)
class Area:
    """A 片区: a town leader's area (包片) holding villages."""

    name: str
    village_id: str
    leader: str
    row: int = 0
