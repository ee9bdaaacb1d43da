"""Run the real ``pairing solve`` on a county and judge its answer against the oracle.

The solve is the command line itself (click's runner in-process, or a subprocess), so exit
codes, the JSON facts and the plan's pairs are what a user gets. The judgement separates what
rounding each term to 0.01 explains (issue 14 item 3, the lead's fix) from real defects: a
disagreement larger than 0.005 per rounded quantity, a false "infeasible", a crash, a broken
hard rule, a bound above the optimum.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from pairing.cli import cli

from .county import County
from .oracle import Optimum, Oracle, Plan, optimum

TIME_LIMIT_S = 20.0  # a tiny county proves in well under a second; this is a safety net
ROUNDING = 0.005  # the most one 0.01-rounded quantity can be off
OBJECTIVE_SLACK = 0.005  # the objective is shown to 0.01
OPTIMUM_RELATIVE = 1e-6
# Until the lead's precision fix (issue 14 item 3) the solver rounds each term to 0.01: a
# disagreement explained by that alone is an expected failure. Set False once it has landed.
TERM_ROUNDING = True
INFEASIBLE = "no plan satisfies every hard rule"  # InfeasibleError's words, not "no plan in time"


@dataclass(frozen=True)
class Solved:
    """What ``pairing solve`` said: its exit code, stderr, and the JSON it printed."""

    exit_code: int
    stderr: str
    payload: dict[str, Any] | None

    @property
    def plan(self) -> Plan:
        """The plan's pairs as (unit_id, village_id)."""
        assert self.payload is not None
        return frozenset((unit, village) for village, unit in self.payload["pairs"])

    @property
    def facts(self) -> dict[str, Any]:
        """The solver facts (objective, bound, proven, ...)."""
        assert self.payload is not None
        facts: dict[str, Any] = self.payload["facts"]
        return facts


def solve_args(workbook: Path, output: Path) -> list[str]:
    """The command line: one worker (reproducible), JSON on stdout, no progress line."""
    return [
        "solve",
        str(workbook),
        "-o",
        str(output),
        "--json",
        "-q",
        "--workers",
        "1",
        "--time-limit",
        str(TIME_LIMIT_S),
    ]


def run_in_process(workbook: Path, output: Path) -> Solved:
    """Run ``pairing solve`` through click's test runner (fast: no interpreter start-up)."""
    result = CliRunner().invoke(cli, solve_args(workbook, output))
    payload = json.loads(result.stdout) if result.exit_code == 0 else None
    return Solved(result.exit_code, result.stderr, payload)


def run_subprocess(workbook: Path, output: Path) -> Solved:
    """Run ``python -m pairing solve`` as a user would, in its own process."""
    done = subprocess.run(
        [sys.executable, "-m", "pairing", *solve_args(workbook, output)],
        capture_output=True,
        text=True,
        check=False,
    )
    payload = json.loads(done.stdout) if done.returncode == 0 else None
    return Solved(done.returncode, done.stderr, payload)


@dataclass
class Verdict:
    """Defects (the test fails) and rounding-only disagreements (an expected failure)."""

    seed: str
    defects: list[str] = field(default_factory=list)
    rounding: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def compare(self, what: str, excess: float, exact: float, rounded: float) -> None:
        """File ``what`` when ``excess`` passes ``exact``: as rounding if within ``rounded``."""
        if excess <= exact:
            return
        if TERM_ROUNDING and excess <= rounded:
            self.rounding.append(what)
        else:
            self.defects.append(what)


def judge(seed: str, county: County, solved: Solved) -> Verdict:
    """Compare ``pairing solve``'s answer with exhaustive enumeration."""
    oracle = Oracle(county)
    best = optimum(oracle)
    verdict = Verdict(seed)
    if best.cost is None:
        if solved.exit_code != 4 or INFEASIBLE not in solved.stderr:
            verdict.defects.append(f"no plan exists, yet exit {solved.exit_code}: {solved.stderr}")
        return verdict
    if solved.exit_code != 0:
        verdict.defects.append(
            f"{best.plans} plans are feasible (best {best.cost:.6f}), yet exit "
            f"{solved.exit_code}: {solved.stderr.strip()[-300:]}"
        )
        return verdict
    broken = oracle.violations(solved.plan)
    if broken:
        verdict.defects.append(f"the plan breaks hard rules: {broken}")
        return verdict
    _judge_costs(verdict, oracle, best, solved)
    return verdict


def _judge_costs(verdict: Verdict, oracle: Oracle, best: Optimum, solved: Solved) -> None:
    """The reported objective against ours; our cost of the plan against the optimum."""
    assert best.cost is not None
    cost = oracle.cost(solved.plan)
    mine, reported, facts = cost.total, float(solved.facts["objective"]), solved.facts
    verdict.notes.append(
        f"reported {reported:.6f}, oracle {mine:.6f}, optimum {best.cost:.6f} over {best.plans} "
        f"plans, proven {facts['proven']}, bound {facts['bound']}"
    )
    exact = OBJECTIVE_SLACK + 1e-9 * abs(mine)
    verdict.compare(
        f"objective {reported} != oracle's cost {mine:.6f} of the same plan",
        abs(reported - mine),
        exact,
        exact + ROUNDING * cost.quanta,
    )
    tolerance = OPTIMUM_RELATIVE * max(1.0, abs(best.cost))
    if mine < best.cost - tolerance:
        verdict.defects.append(f"oracle bug: a feasible plan costs {mine} < optimum {best.cost}")
    rounded = tolerance + ROUNDING * (cost.quanta + best.quanta)
    if facts["proven"]:
        verdict.compare(
            f"proven optimal, yet costs {mine:.6f} > optimum {best.cost:.6f}",
            mine - best.cost,
            tolerance,
            rounded,
        )
    bound = facts["bound"]
    if bound is not None:
        verdict.compare(
            f"bound {bound} above the optimum {best.cost:.6f}",
            float(bound) - best.cost,
            exact,
            exact + rounded,
        )
