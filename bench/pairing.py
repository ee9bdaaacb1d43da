"""Benchmark of the pairing optimizer against a naive CP-SAT model and a min-cost flow.

Seeded synthetic counties (``pairing.examples.synthetic``: units ≈ 2.05 × villages, 10% of
units take 2-3 villages, 12 tags, 8 systems, 60% of villages with a running pair). For each
size and solver it prints build time, time to the first plan, time to a plan within 1% of the
solver's own proven bound, the final objective (every plan re-costed by the same account),
bound, gap and peak memory, as medians over ``--repeat`` runs. Each run is a fresh process,
so peak memory is that run's own.

Solvers:
- ``pairing``: :func:`pairing.solve.optimize.solve` (column generation or, above 1,000
  villages, a Lagrangian bound; a plan rounded from it by flow; CP-SAT stages or
  neighbourhoods; reduced-cost fixing), one worker. Its time limit covers the whole solve,
  candidate graph included.
- ``naive``: every rule in one CP-SAT model on every allowed pair (the edge formulation of
  :mod:`pairing.cpsat.pairing.model`), 2 workers, no warm start.
- ``mcf``: the min-cost-flow optimum of the pair-separable terms only (P13, P14, P16, P17);
  a reference without a bound, re-costed with every term.

Usage: ``python bench/pairing.py [--sizes 54 500 2500 10000] [--repeat 3] [--time-limit 60]``
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import statistics
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

# This file is named like the package it measures; keep its folder off the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

NAIVE_PAIR_LIMIT = 3_000_000  # beyond this the naive model does not fit in memory here
TIME_LIMITS = {10000: 120.0}


@dataclass(frozen=True)
class Row:
    """One run's measurements (seconds, points, MB); None where a stage was not reached."""

    size: int
    solver: str
    build_s: float | None
    first_s: float | None
    gap1_s: float | None
    objective: float | None
    bound: float | None
    gap: float | None
    total_s: float
    peak_mb: float
    note: str = ""


class Trace:
    """Records when the first plan and the first plan within 1% of the bound appear."""

    def __init__(self) -> None:
        self.first: float | None = None
        self.gap1: float | None = None

    def __call__(self, elapsed: float, best: float | None, bound: float) -> None:
        """Progress callback: elapsed seconds, best objective, a valid bound."""
        if best is None:
            return
        if self.first is None:
            self.first = elapsed
        if self.gap1 is None and abs(best - bound) <= 0.01 * max(1.0, abs(best)):
            self.gap1 = elapsed


def peak_mb() -> float:
    """Peak resident memory of this process, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_pairing(size: int, seed: int, time_limit: float) -> Row:
    """Solve with pairing's optimizer."""
    from pairing.examples.synthetic import synthetic_county
    from pairing.solve.optimize import SolveOptions, solve

    problem = synthetic_county(size, seed)
    trace = Trace()
    started = time.perf_counter()
    plan, timings = solve(problem, SolveOptions(time_limit_s=time_limit, progress=trace))
    total = time.perf_counter() - started
    facts = plan.facts
    build = timings.steps.get("candidates", 0.0) + timings.steps.get("precheck", 0.0)
    gap1 = facts.gap1_s if trace.gap1 is None else min(trace.gap1, facts.gap1_s or trace.gap1)
    first = (
        facts.first_plan_s
        if trace.first is None
        else min(trace.first, facts.first_plan_s or trace.first)
    )
    note = "restricted graph" if facts.restricted else "full graph"
    return Row(
        size,
        "pairing",
        build,
        build + first,
        None if gap1 is None else build + gap1,
        facts.objective,
        facts.bound,
        facts.gap,
        total,
        peak_mb(),
        note + (", proven" if facts.proven else ""),
    )


def _all_pairs(problem: object) -> list[tuple[int, int]]:
    from pairing.domain.pairs import PairFacts

    facts = PairFacts(problem)  # type: ignore[arg-type]
    units, villages = len(facts.problem.units), len(facts.problem.villages)
    return [(u, v) for v in range(villages) for u in range(units) if facts.blocked((u, v)) is None]


def run_naive(size: int, seed: int, time_limit: float) -> Row:
    """Solve the edge formulation on every allowed pair, 2 workers, no hint."""
    from pairing.cpsat.pairing.model import build_model
    from pairing.cpsat.pairing.solver import SearchLimits, run
    from pairing.examples.synthetic import synthetic_county
    from pairing.solve.instance import build_data
    from pairing.solve.terms import evaluate

    problem = synthetic_county(size, seed)
    started = time.perf_counter()
    data = build_data(problem, _all_pairs(problem))
    model = build_model(data)
    build = time.perf_counter() - started
    trace = NaiveTrace()
    outcome = run(
        model.model,
        model.pair,
        SearchLimits(time_limit_s=time_limit, workers=2, seed=seed),
        (),
        trace,
    )
    total = time.perf_counter() - started
    if not outcome.feasible:
        return Row(
            size, "naive", build, None, None, None, None, None, total, peak_mb(), outcome.status
        )
    chosen = {(data.edges[e].unit, data.edges[e].village) for e in outcome.chosen}
    cost = evaluate(problem, chosen).total_points()
    gap = abs(cost - outcome.bound) / max(1.0, abs(cost))
    first = None if outcome.first_solution_s is None else build + outcome.first_solution_s
    gap1 = None if trace.gap1 is None else build + trace.gap1
    return Row(
        size,
        "naive",
        build,
        first,
        gap1,
        cost,
        outcome.bound,
        gap,
        total,
        peak_mb(),
        outcome.status,
    )


class NaiveTrace(Trace):
    """The naive model's own bound is valid for the whole problem, so use it as is."""


def run_flow(size: int, seed: int, time_limit: float) -> Row:
    """Min-cost flow on the pair-separable terms; the plan re-costed with every term."""
    del time_limit
    from pairing.cpsat.pairing.flow import min_cost_assignment
    from pairing.examples.synthetic import synthetic_county
    from pairing.solve.instance import build_data
    from pairing.solve.optimize import SolveOptions, prepare
    from pairing.solve.terms import evaluate

    problem = synthetic_county(size, seed)
    started = time.perf_counter()
    # Above 1,000 villages: the solver's own candidate graph (re-drawn as it re-draws it).
    pairs = _all_pairs(problem) if size <= 1000 else prepare(problem, SolveOptions()).candidates
    data = build_data(problem, pairs)
    build = time.perf_counter() - started
    chosen_edges = min_cost_assignment(data, [edge.cost for edge in data.edges])
    total = time.perf_counter() - started
    if chosen_edges is None:
        return Row(size, "mcf", build, None, None, None, None, None, total, peak_mb(), "infeasible")
    chosen = {(data.edges[e].unit, data.edges[e].village) for e in chosen_edges}
    cost = evaluate(problem, chosen).total_points()
    note = "all pairs" if size <= 1000 else "candidate pairs"
    return Row(
        size,
        "mcf",
        build,
        total,
        None,
        cost,
        None,
        None,
        total,
        peak_mb(),
        note + "; linear terms only",
    )


RUNNERS = {"pairing": run_pairing, "naive": run_naive, "mcf": run_flow}


def measure(solver: str, size: int, seed: int, time_limit: float) -> Row:
    """Run one measurement in a fresh process (so peak memory is its own)."""
    with ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn")) as pool:
        return pool.submit(RUNNERS[solver], size, seed, time_limit).result()


def median_row(rows: list[Row]) -> Row:
    """Median of each numeric field over repeated runs (None when any run lacks it)."""

    def med(values: list[float | None]) -> float | None:
        return (
            None
            if any(v is None for v in values)
            else statistics.median(v for v in values if v is not None)
        )

    first = rows[0]
    return replace(
        first,
        build_s=med([r.build_s for r in rows]),
        first_s=med([r.first_s for r in rows]),
        gap1_s=med([r.gap1_s for r in rows]),
        objective=med([r.objective for r in rows]),
        bound=med([r.bound for r in rows]),
        gap=med([r.gap for r in rows]),
        total_s=statistics.median(r.total_s for r in rows),
        peak_mb=statistics.median(r.peak_mb for r in rows),
    )


def fmt(value: float | None, spec: str) -> str:
    """Format a number, or '-' for a stage not reached."""
    return "-" if value is None else format(value, spec)


COLUMNS = (
    "villages",
    "solver",
    "runs",
    "build s",
    "first plan s",
    "1% gap s",
    "objective",
    "bound",
    "gap %",
    "total s",
    "peak MB",
    "note",
)


def cells(row: Row, runs: int) -> list[str]:
    """One table row's cells, as printed and recorded."""
    gap = None if row.gap is None else 100 * row.gap
    return [
        str(row.size),
        row.solver,
        str(runs),
        fmt(row.build_s, ".2f"),
        fmt(row.first_s, ".2f"),
        fmt(row.gap1_s, ".2f"),
        fmt(row.objective, ".2f"),
        fmt(row.bound, ".2f"),
        fmt(gap, ".3f"),
        f"{row.total_s:.2f}",
        f"{row.peak_mb:.0f}",
        row.note,
    ]


def print_row(row: list[str]) -> None:
    """Print one table row (Markdown)."""
    print("| " + " | ".join(row) + " |", flush=True)


def main() -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[54, 500, 2500, 10000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per size for sizes up to 500")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--solvers", nargs="+", default=["pairing", "naive", "mcf"])
    parser.add_argument(
        "--record", default="pairing", help="write the table to bench/results/NAME.json"
    )
    args = parser.parse_args()
    print_row(list(COLUMNS))
    print("|" + "---|" * len(COLUMNS))
    table: list[list[str]] = []
    for size in args.sizes:
        limit = TIME_LIMITS.get(size, args.time_limit)
        runs = args.repeat if size <= 500 else 1
        for solver in args.solvers:
            if solver == "naive" and size * 2.05 * size > NAIVE_PAIR_LIMIT:
                pairs = int(size * 2.05 * size)
                skipped = [str(size), "naive", "0", *["-"] * 8]
                table.append([*skipped, f"not run: {pairs:,} pair variables do not fit here"])
                print_row(table[-1])
                continue
            rows = [measure(solver, size, args.seed, limit) for _ in range(runs)]
            table.append(cells(median_row(rows), runs))
            print_row(table[-1])
    print(f"recorded: {record(args.record, COLUMNS, table)}")


def record(name: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> Path:
    """bench/record.py's ``record``, imported here only: the worker processes start with this
    folder off their path (the file is named like the package), and need none of it."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    try:
        from record import record as write
    finally:
        sys.path.pop(0)
    return write(name, columns, rows)


if __name__ == "__main__":
    main()
