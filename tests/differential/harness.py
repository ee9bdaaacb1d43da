"""Run the real ``pairing solve`` on a county and judge its answer against the oracle.

The solve is the command line itself (click's runner in-process, or a subprocess), so exit
codes, the JSON facts and the plan's pairs are what a user gets. A defect is any of: a false
"infeasible", a crash, a broken hard rule, an objective that is not the oracle's cost of the
same plan, a bound above the optimum, a "proven" plan above the optimum by more than 1e-6.
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
# The solver counts in 1e-7 point a term (models/README.md, Precision): its objective is the
# oracle's exact cost of the same plan to 5e-8 a term, well inside this.
OBJECTIVE_SLACK = 1e-6
OPTIMUM_RELATIVE = 1e-6
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
    """Defects (the test fails), and notes on the case for the failure message."""

    seed: str
    defects: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def compare(self, what: str, excess: float, allowed: float) -> None:
        """File ``what`` as a defect when ``excess`` passes ``allowed``."""
        if excess > allowed:
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
    )
    tolerance = OPTIMUM_RELATIVE * max(1.0, abs(best.cost))
    if mine < best.cost - tolerance:
        verdict.defects.append(f"oracle bug: a feasible plan costs {mine} < optimum {best.cost}")
    if facts["proven"]:
        verdict.compare(
            f"proven optimal, yet costs {mine:.6f} > optimum {best.cost:.6f}",
            mine - best.cost,
            tolerance,
        )
    bound = facts["bound"]
    if bound is not None:
        verdict.compare(
            f"bound {bound} above the optimum {best.cost:.6f}",
            float(bound) - best.cost,
            exact,
        )
