"""A plan re-costed from a hand edit (``pairing rescore``): its price and its modesty.

Such a plan states, in 指标, the solver's plan it was edited from (``original_objective``) and
what the edit costs against it (``edit_cost_points``, ``edit_cost_pct``). Here the price is
recomputed from the verifier's own total, so a price that does not follow from the pairs is a
``TOT`` finding; and a plan whose status says it was chosen by hand (``HAND_EDITED``) may not
claim a proof or a bound, which no search of its own gave it.
"""

from __future__ import annotations

from pairing.domain.cells import clean_text
from pairing.verify.reading.plan_sheets import KeyValues, PlanSheets
from pairing.verify.report.findings import TOTAL, Finding, same_points

HAND_EDITED = "HAND_EDITED"  # the status ``pairing rescore`` writes
PCT_TOLERANCE = 1e-4 + 1e-9  # edit_cost_pct is written to 4 decimals


def edit_price_findings(total: float, sheets: PlanSheets) -> list[Finding]:
    """Return ``TOT`` findings for a wrong price or a hand-edited plan that claims a proof.

    ``total``: the verifier's recomputed total points.

    Returns nothing for a plan without these rows (a solver's plan).
    """
    summary = sheets.summary
    found = _claims(summary)
    original = summary.number("original_objective")
    points = summary.number("edit_cost_points")
    if original is None or "edit_cost_points" not in summary.values:
        return found
    expected = total - original
    if points is None or not same_points(points, expected):
        found.append(
            _finding(
                summary,
                "edit_cost_points",
                f"手工调整多花写为 {points}，按重算合计应为 {expected:.2f}",
                f"edit_cost_points says {points}; the recomputed total gives {expected:.2f}",
            )
        )
    pct = summary.number("edit_cost_pct")
    share = 100 * expected / max(1.0, abs(original))
    if pct is None or abs(pct - share) > PCT_TOLERANCE:
        found.append(
            _finding(
                summary,
                "edit_cost_pct",
                f"手工调整多花%写为 {pct}，按重算合计应为 {share:.4f}",
                f"edit_cost_pct says {pct}; the recomputed total gives {share:.4f}",
            )
        )
    return found


def _claims(summary: KeyValues) -> list[Finding]:
    """A hand-edited plan says it is not proven and has no bound."""
    status = summary.values.get("status", (None, None))[1]
    if clean_text(status) != HAND_EDITED:
        return []
    found = []
    if clean_text(summary.values.get("proven", (None, None))[1]) != "否":
        found.append(
            _finding(
                summary,
                "proven",
                "手工调整的方案未经求解证明，「已证明最优」应为否",
                "a hand-edited plan was not proven by any search: proven must be 否 (no)",
            )
        )
    if summary.number("bound") is not None:
        found.append(
            _finding(
                summary,
                "bound",
                "手工调整的方案没有自己的下界，此格应为空（原方案下界见 original_bound）",
                "a hand-edited plan has no bound of its own: this cell must be blank (the "
                "original's is original_bound)",
            )
        )
    return found


def _finding(summary: KeyValues, key: str, zh: str, en: str) -> Finding:
    row = summary.values.get(key, (None, None))[0]
    return Finding(TOTAL, summary.sheet, row, zh, en)


__all__ = ["HAND_EDITED", "edit_price_findings"]
