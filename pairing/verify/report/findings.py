"""What the verifier finds: violations located in the plan workbook, and soft costs.

A :class:`Finding` names a rule id, the sheet and the Excel row where an auditor sees the
problem, and says what is wrong in one sentence, in Chinese and in English. Rule ids are the
catalogue's (``P01``-``P17``, ``S01``-``S08``) plus three of the verifier's own:

``INT``
    integrity: an unknown id, a repeated pair or event, a date outside the horizon, a cell
    that cannot be read, a sheet or row the plan should have and does not;
``SRC``
    provenance: the input's SHA-256 or an input copy differs from the ``--input`` file;
``TOT``
    totals: a pair's points or the plan's objective differ from the recomputed sum;
``EDT``
    edited: a sheet's cells differ from the SHA-256 recorded in 来源 provenance when the plan
    was written (:mod:`pairing.verify.integrity.sealed`), or a cell the plan restates from its input
    differs from what the input says (:mod:`pairing.verify.integrity.restated`).
"""

from __future__ import annotations

from dataclasses import dataclass

INTEGRITY = "INT"
PROVENANCE = "SRC"
TOTAL = "TOT"
EDITED = "EDT"
TOLERANCE = 1e-6  # points: both sides count in units of 1e-7 point; cells hold 7 decimals
EPSILON = 1e-6  # float noise on top of the tolerance
# A 结对方案 edited after it was written is, in practice, a planner moving units by hand: the
# way on is to re-cost the edit, which ``pairing rescore`` does (and writes a plan that verifies).
HAND_EDIT_ZH = "结对方案被手工修改：请用 pairing rescore 重新计分"
HAND_EDIT_EN = "结对方案 was edited by hand: run pairing rescore to re-cost it"
OWN_RULES: dict[str, tuple[str, str]] = {
    INTEGRITY: ("数据完整", "integrity: ids, repeats, dates, readable cells"),
    PROVENANCE: ("来源一致", "provenance: input SHA-256 and input copies"),
    TOTAL: ("总分一致", "totals: pair points and objective"),
    EDITED: ("未经改动", "unedited: every cell as written, restated cells as in the input"),
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One violation or mismatch, located in the plan workbook.

    - ``rule``: a catalogue rule id or one of ``INT``, ``SRC``, ``TOT``.
    - ``sheet``: the sheet an auditor opens to see it.
    - ``row``: the Excel row (1-based), or ``None`` for a whole-sheet finding.
    - ``zh``, ``en``: one sentence each: what is wrong.
    - ``column``: the column's letters and header (``E 单位名称 (unit_name)``), or ``None`` when the
      finding is about a whole row or sheet.
    """

    rule: str
    sheet: str
    row: int | None
    zh: str
    en: str
    column: str | None = None

    def location(self) -> str:
        """Return ``sheet 第N行 row N 列 column C`` as an auditor reads it.

        Returns the sheet, with the row and the column when there are.
        """
        where = self.sheet
        if self.row is not None:
            where += f" 第{self.row}行 row {self.row}"
        if self.column is not None:
            where += f" 列 column {self.column}"
        return where


@dataclass(frozen=True, slots=True)
class TermCost:
    """The points of one soft rule: recomputed by the verifier and reported by the plan.

    - ``rule``: the soft rule id (``P10`` ... ``P17``).
    - ``recomputed``: points the verifier computes from the data alone.
    - ``reported``: points the plan's 指标 summary states (0 when it has no row for the rule).
    """

    rule: str
    recomputed: float
    reported: float

    @property
    def agrees(self) -> bool:
        """Return whether both agree within the tolerance.

        Returns ``True`` when ``|recomputed - reported| <= 0.01``.
        """
        return same_points(self.recomputed, self.reported)


def same_points(first: float, second: float) -> bool:
    """Return whether two amounts of points agree within :data:`TOLERANCE`.

    ``first``, ``second``: points.

    Returns ``True`` when they differ by at most :data:`TOLERANCE`.
    """
    return abs(first - second) <= TOLERANCE + EPSILON
