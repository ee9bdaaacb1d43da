"""How a plan's proof reads on the console: objective, bound (or none yet), proof or gap.

Every term is at least 0, so a bound of 0 or below says nothing; the solve layer then gives
none, and this shows "no bound yet" instead of a figure such as a 123,492% gap.
"""

from __future__ import annotations

from pairing.cli import echo_err
from pairing.domain.plan import SolverFacts


def bound_text(facts: SolverFacts) -> str:
    """The bound to two decimals, or "no bound yet"."""
    return "无下界 no bound yet" if facts.bound is None else f"{facts.bound:.2f}"


def proof_text(facts: SolverFacts) -> str:
    """Proven optimal, or the gap left open (none without a bound)."""
    if facts.proven:
        return "已证明最优 proven optimal"
    if facts.gap is None:
        return "未证明 not proven (no bound yet)"
    return f"未证明 not proven (gap {facts.gap:.2%})"


def missed_gap(facts: SolverFacts, requested: float) -> bool:
    """Whether the caller asked for a gap (> 0) that this plan did not reach."""
    reached = facts.proven or (facts.gap is not None and facts.gap <= requested)
    return requested > 0 and not reached


def warn_missed_gap(facts: SolverFacts, requested: float, parts: int = 0) -> None:
    """Say on stderr when the caller asked for a gap the plan (or ``parts`` of it) did not
    reach."""
    if not missed_gap(facts, requested) and not parts:
        return
    if parts:
        echo_err(
            f"注意：{parts} 个分区未达到所要求的差距 {requested:.2%} / warning: {parts} part(s) "
            f"did not reach the requested gap {requested:.2%}"
        )
        return
    reached = "无下界 no bound" if facts.gap is None else f"{facts.gap:.2%}"
    echo_err(
        f"注意：未达到所要求的差距 {requested:.2%}（实际 {reached}）；可加大 --time-limit / "
        f"warning: the requested gap {requested:.2%} was not reached ({reached}); raise --time-limit"
    )
