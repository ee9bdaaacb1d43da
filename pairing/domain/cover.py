"""The results of the 1+1+N cover (issue 18): teams, a village's 包户, grids, the county."""

from __future__ import annotations

from dataclasses import dataclass

from pairing.domain.people import Household, UnitMember, VillageMember


@dataclass(frozen=True, slots=True)
class Team:
    """One 1+1 team: a unit member and a village party member, with its capacity."""

    id: str
    unit_member: UnitMember
    village_member: VillageMember
    capacity: int


@dataclass(frozen=True, slots=True)
class VillageCover:
    """The teams of one village and the team index of every household."""

    village_id: str
    teams: tuple[Team, ...]
    households: tuple[Household, ...]
    team_of: tuple[int, ...]
    points: float


class CoverInfeasible(Exception):
    """The hard rules alone admit no cover of a village; the message names it and numbers."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en


@dataclass(frozen=True, slots=True)
class Grid:
    """One micro-grid: its 小组 with the households each contributes, and its 网格长."""

    id: str
    village_id: str
    shares: tuple[tuple[str, int], ...]
    leader: VillageMember

    @property
    def households(self) -> int:
        """Return the grid's 户数."""
        return sum(n for _, n in self.shares)


@dataclass(frozen=True, slots=True)
class CountyCover:
    """Every village's cover and grids, and each 小组's responsible party member (G05)."""

    villages: tuple[VillageCover, ...]
    grids: tuple[Grid, ...]
    group_heads: tuple[tuple[str, str, VillageMember], ...]  # (village, 小组, member)

    @property
    def points(self) -> float:
        """Return the total soft points."""
        return sum(v.points for v in self.villages)
