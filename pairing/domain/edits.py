"""A plan edited by hand: the pairs a planner typed, the original plan's claims, the price.

``pairing rescore`` reads only the pairs of an edited 结对方案 sheet (:class:`EditedPair`), and
from the untouched 指标 sheet what the solver said of the plan it wrote (:class:`OriginalPlan`).
The edit's price (:class:`EditPrice`) is the edited plan's objective against that one, in
points and as a share of it, in words a planner can forward.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Points: both objectives are whole numbers of 1e-7 point written to 7 decimals, so a
# difference below this is no difference (models/README.md, Precision).
SAME_POINTS = 1e-6


@dataclass(frozen=True, slots=True)
class EditedPair:
    """One row of an edited 结对方案 sheet: its Excel row and the two ids typed there."""

    row: int
    unit_id: str
    village_id: str


@dataclass(frozen=True, slots=True)
class OriginalPlan:
    """What the solver's plan stated about itself (指标): its objective, bound and proof.

    ``objective`` is ``None`` when the workbook states none (the price is then unknown);
    ``bound`` is ``None`` when the plan had no useful bound.
    """

    objective: float | None
    bound: float | None
    proven: bool


@dataclass(frozen=True, slots=True)
class EditPrice:
    """The edited plan's objective against the original plan's."""

    original: OriginalPlan
    objective: float

    @property
    def points(self) -> float | None:
        """Points the edit costs more than the original plan (negative: fewer), to 1e-7."""
        before = self.original.objective
        return None if before is None else round(self.objective - before, 7)

    @property
    def pct(self) -> float | None:
        """:attr:`points` as a percentage of the original objective (of 1 when below 1)."""
        before, points = self.original.objective, self.points
        if before is None or points is None:
            return None
        return round(100 * points / max(1.0, abs(before)), 4)

    @property
    def above_bound_pct(self) -> float | None:
        """How far the edited plan is above the original plan's bound, in percent."""
        bound = self.original.bound
        if bound is None or not math.isfinite(bound):
            return None
        return round(100 * (self.objective - bound) / max(1.0, abs(bound)), 4)

    def words(self) -> tuple[str, str]:
        """The price in one sentence each, Chinese and English."""
        points, pct = self.points, self.pct
        if points is None or pct is None:
            return (
                "原方案没有目标值，无法计算手工调整的代价",
                "the original plan states no objective: the hand edit's price is unknown",
            )
        if abs(points) <= SAME_POINTS:
            zh, en = (
                "手工调整的代价为 +0.00 分，与原方案相同",
                "the hand edit costs +0.00 points, the same as the original plan",
            )
        elif points > 0:
            target_zh, target_en = (
                ("最优方案", "the optimum") if self.original.proven else ("原方案", "the original")
            )
            zh = f"手工调整多花 {points:.2f} 分，比{target_zh}高 {_percent(pct)}"
            en = f"the hand edit costs {points:.2f} points more, {_percent(pct)} above {target_en}"
        else:
            zh = f"手工调整少花 {-points:.2f} 分，比原方案低 {_percent(-pct)}"
            en = (
                f"the hand edit costs {-points:.2f} points less, {_percent(-pct)} below the "
                "original plan"
            )
        if not self.original.proven:
            zh, en = self._unproven(zh, en)
        return zh, en

    def _unproven(self, zh: str, en: str) -> tuple[str, str]:
        """Say that the original was not proven optimal, and where its bound stands."""
        above = self.above_bound_pct
        if above is None:
            return (
                zh + "（原方案未证明最优，无下界）",
                en + " (the original was not proven optimal; no bound)",
            )
        return (
            zh + f"（原方案未证明最优；比其下界高 {_percent(above)}）",
            en + f" (the original was not proven optimal; {_percent(above)} above its bound)",
        )

    def line(self) -> str:
        """``中文 / English``: the sentence ``pairing rescore`` prints."""
        zh, en = self.words()
        return f"{zh} / {en}"


def _percent(value: float) -> str:
    """A percentage to 0.1, or to 0.01 when smaller than 0.1 (0.03% is not 0.0%)."""
    return f"{value:.1f}%" if abs(value) >= 0.1 or value == 0 else f"{value:.2f}%"
