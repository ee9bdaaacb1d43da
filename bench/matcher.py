"""Benchmark of the linear (matcher) workload: planner scores only, a transportation problem.

The workload of issue 14 item 6: ``units × villages``, each unit 0-1 village, each village 2
units, every pair scored (uniform in [0, 1), six decimals, seeded), every weight 0 but P17 = 1:
the kind of assignment openreview-matcher makes. It is written as a CSV folder (单位.csv,
村.csv, 评分.csv, 参数.csv) and solved by:

- ``pairing solve``: ``pairing solve FOLDER -o plan.xlsx --json``, end to end (read, the
  min-cost flow of :mod:`pairing.solve.transport`, account, plan workbook);
- ``pairing check``: ``pairing check FOLDER``;
- ``ortools-mcf``: OR-Tools' SimpleMinCostFlow on the same scores read with ``csv``, no
  workbook written: the reference for time, memory and objective;
- ``openreview-minmax``: openreview-matcher's MinMaxSolver, run with ``--matcher-python``
  (the python of a venv where it installs); when none is given the row says why.

Every run is a fresh process; its wall time, CPU time (user + system: less sensitive to a
busy machine than wall time) and peak resident memory come from ``os.wait4``.
Objective: the P17 points lost (the positive scores not kept), recomputed from the scores for
the solvers outside pairing; pairing's own objective and bound come from its JSON. Medians over
``--repeat`` runs; ratios are to ``ortools-mcf``. Results go to ``bench/results/matcher.json``.

Usage: ``python bench/matcher.py [--sizes 108x54 1000x500] [--repeat 3] [--seed 1]
[--matcher-python PATH]``
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

# This folder holds bench/pairing.py, named like the package: keep it off the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

RESULTS = Path(__file__).resolve().parent / "results" / "matcher.json"
NOT_INSTALLED = (
    "not run: openreview-matcher does not install here (pip: 'No matching distribution "
    "found'); pass --matcher-python of a venv where it does"
)


@dataclass(frozen=True)
class Row:
    """One solver on one size: seconds, points, MB (None where it does not apply)."""

    size: str
    solver: str
    runs: int
    total_s: float | None
    cpu_s: float | None
    solver_s: float | None
    objective: float | None
    bound: float | None
    gap: float | None
    peak_mb: float | None
    note: str = ""


def write_workload(folder: Path, units: int, villages: int, seed: int) -> None:
    """Write the seeded workload as a CSV folder the reader accepts."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    sheets: dict[str, list[Any]] = {
        "单位.csv": [["单位编号", "单位名称", "最少村数", "最多村数"]]
        + [[f"U{u + 1:05d}", f"单位{u + 1}", 0, 1] for u in range(units)],
        "村.csv": [["村编号", "村名", "所属镇"]]
        + [[f"V{v + 1:05d}", f"村{v + 1}", f"镇{v % 20 + 1}"] for v in range(villages)],
        "参数.csv": [["参数", "值"], ["units_per_village", 2]]
        + [[rule, 0] for rule in ("P10", "P11", "P12", "P13", "P14", "P15", "P16")]
        + [["P17", 1]],
    }
    for name, rows in sheets.items():
        with open(folder / name, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)
    with open(folder / "评分.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["单位编号", "村编号", "评分"])
        for u in range(units):
            writer.writerows(
                [f"U{u + 1:05d}", f"V{v + 1:05d}", f"{rng.random():.6f}"] for v in range(villages)
            )


@dataclass(frozen=True)
class Run:
    """A finished child process: wall and CPU seconds, peak MB, exit code and its output."""

    seconds: float
    cpu_s: float
    peak_mb: float
    code: int
    out: str
    err: str


def run(command: list[str]) -> Run:
    """Run ``command`` in a fresh process; its own peak RSS comes from ``os.wait4``."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen(command, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            seconds,
            usage.ru_utime + usage.ru_stime,
            usage.ru_maxrss / 1024,
            child.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )


def read_scores(folder: Path) -> tuple[list[str], list[str], list[tuple[int, int, float]]]:
    """Unit ids, village ids and (unit, village, score) triples of a workload folder."""

    def ids(name: str) -> list[str]:
        with open(folder / name, encoding="utf-8") as handle:
            return [row[0] for row in list(csv.reader(handle))[1:]]

    units, villages = ids("单位.csv"), ids("村.csv")
    unit_at = {u: i for i, u in enumerate(units)}
    village_at = {v: i for i, v in enumerate(villages)}
    with open(folder / "评分.csv", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]
    triples = [(unit_at[u], village_at[v], float(s)) for u, v, s in rows]
    return units, villages, triples


def points_lost(triples: list[tuple[int, int, float]], chosen: set[tuple[int, int]]) -> float:
    """P17 with weight 1: the positive scores of pairs not in the plan."""
    return math.fsum(s for u, v, s in triples if s > 0 and (u, v) not in chosen)


def worker_ortools(folder: Path) -> dict[str, float]:
    """OR-Tools min-cost flow on the scores (six decimals: exact at 1e6 a point)."""
    import numpy as np
    from ortools.graph.python import min_cost_flow

    units, villages, triples = read_scores(folder)
    started = time.perf_counter()
    n_u, n_v = len(units), len(villages)
    tail = np.array([1 + u for u, _, _ in triples], dtype=np.int32)
    head = np.array([1 + n_u + v for _, v, _ in triples], dtype=np.int32)
    cost = np.array([-round(max(0.0, s) * 1_000_000) for _, _, s in triples], dtype=np.int64)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.zeros(n_u, np.int32), np.arange(1, n_u + 1, dtype=np.int32), np.ones(n_u, np.int64),
        np.zeros(n_u, np.int64),
    )  # fmt: skip
    first = flow.num_arcs()
    flow.add_arcs_with_capacity_and_unit_cost(tail, head, np.ones(len(tail), np.int64), cost)
    sink = 1 + n_u + n_v
    flow.add_arcs_with_capacity_and_unit_cost(
        np.arange(1 + n_u, sink, dtype=np.int32), np.full(n_v, sink, np.int32),
        np.full(n_v, 2, np.int64), np.zeros(n_v, np.int64),
    )  # fmt: skip
    flow.set_node_supply(0, 2 * n_v)
    flow.set_node_supply(sink, -2 * n_v)
    assert flow.solve() == flow.OPTIMAL
    used = flow.flows(np.arange(first, first + len(tail))) > 0
    chosen = {(u, v) for (u, v, _), on in zip(triples, used, strict=True) if on}
    lost = points_lost(triples, chosen)
    return {"objective": lost, "bound": lost, "solver_s": time.perf_counter() - started}


def worker_openreview(folder: Path) -> dict[str, float]:
    """openreview-matcher's MinMaxSolver (its constructor as in matcher/solvers/minmax_solver.py:
    minimums and maximums per reviewer, demands per paper, an encoder's cost and constraint
    matrices, papers × reviewers). Never run here: the package does not install."""
    from types import SimpleNamespace

    import numpy as np
    from matcher.solvers import MinMaxSolver  # type: ignore[import-not-found]

    units, villages, triples = read_scores(folder)
    started = time.perf_counter()
    cost = np.zeros((len(villages), len(units)))
    for u, v, s in triples:
        cost[v, u] = -s
    encoder = SimpleNamespace(cost_matrix=cost, constraint_matrix=np.zeros_like(cost))
    solver = MinMaxSolver(
        np.zeros(len(units), dtype=int),
        np.ones(len(units), dtype=int),
        np.full(len(villages), 2, dtype=int),
        encoder,
    )
    flows = solver.solve()
    chosen = {(int(u), int(v)) for v, u in zip(*np.nonzero(flows), strict=True)}
    return {"objective": points_lost(triples, chosen), "solver_s": time.perf_counter() - started}


WORKERS: dict[str, Callable[[Path], dict[str, float]]] = {
    "ortools": worker_ortools,
    "openreview": worker_openreview,
}


def measure_pairing(folder: Path, scratch: Path) -> Row:
    """``pairing solve`` end to end; objective, bound and gap from its JSON."""
    plan = scratch / "plan.xlsx"
    done = run([sys.executable, "-m", "pairing", "solve", str(folder), "-o", str(plan), "--json", "--quiet"])  # fmt: skip
    if done.code != 0:
        return Row("", "pairing solve", 1, done.seconds, done.cpu_s, None, None, None, None, done.peak_mb,
                   f"exit {done.code}: {done.err.strip()[-200:]}")  # fmt: skip
    facts = json.loads(done.out)["facts"]
    note = ("proven" if facts["proven"] else "not proven") + f", {facts['bound_method']}"
    return Row("", "pairing solve", 1, done.seconds, done.cpu_s, facts["seconds"], facts["objective"],
               facts["bound"], facts["gap"], done.peak_mb, note)  # fmt: skip


def measure_check(folder: Path) -> Row:
    """``pairing check`` end to end."""
    done = run([sys.executable, "-m", "pairing", "check", str(folder)])
    note = "valid" if done.code == 0 else f"exit {done.code}"
    return Row(
        "", "pairing check", 1, done.seconds, done.cpu_s, None, None, None, None, done.peak_mb, note
    )


def measure_worker(kind: str, python: str, folder: Path) -> Row:
    """A reference solver in its own process (and interpreter)."""
    name = {"ortools": "ortools-mcf", "openreview": "openreview-minmax"}[kind]
    done = run([python, str(Path(__file__).resolve()), "--worker", kind, str(folder)])
    if done.code != 0:
        return Row("", name, 1, done.seconds, done.cpu_s, None, None, None, None, done.peak_mb,
                   f"exit {done.code}: {done.err.strip().splitlines()[-1:]}")  # fmt: skip
    got = json.loads(done.out)
    bound = got.get("bound")
    gap = None if bound is None else abs(got["objective"] - bound) / max(1.0, got["objective"])
    note = "optimal (flow)" if bound is not None else "its own objective (min then max loads)"
    return Row("", name, 1, done.seconds, done.cpu_s, got["solver_s"], got["objective"], bound, gap,
               done.peak_mb, note)  # fmt: skip


def median(rows: list[Row]) -> Row:
    """Median of each number over repeated runs (None when any run lacks it)."""

    def med(values: list[float | None]) -> float | None:
        known = [v for v in values if v is not None]
        return statistics.median(known) if len(known) == len(values) else None

    first = rows[0]
    return replace(
        first,
        runs=len(rows),
        total_s=med([r.total_s for r in rows]),
        cpu_s=med([r.cpu_s for r in rows]),
        solver_s=med([r.solver_s for r in rows]),
        objective=med([r.objective for r in rows]),
        bound=med([r.bound for r in rows]),
        gap=med([r.gap for r in rows]),
        peak_mb=med([r.peak_mb for r in rows]),
    )


def fmt(value: float | None, spec: str) -> str:
    """A number, or '-' where it does not apply."""
    return "-" if value is None else format(value, spec)


def ratio(value: float | None, reference: float | None) -> float | None:
    """``value / reference``, or None when either is missing."""
    return None if value is None or not reference else value / reference


def table(rows: list[Row]) -> list[str]:
    """Markdown lines, with time, memory and objective against ``ortools-mcf`` of the size."""
    lines = [
        "| size | solver | runs | total s | cpu s | solver s | objective | bound | gap | peak MB | "
        "× time | × cpu | × memory | objective − mcf | note |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        ref = next(r for r in rows if r.size == row.size and r.solver == "ortools-mcf")
        times, memory = ratio(row.total_s, ref.total_s), ratio(row.peak_mb, ref.peak_mb)
        cpu = ratio(row.cpu_s, ref.cpu_s)
        delta = (
            None
            if row.objective is None or ref.objective is None
            else row.objective - ref.objective
        )
        lines.append(
            f"| {row.size} | {row.solver} | {row.runs} | {fmt(row.total_s, '.2f')} | "
            f"{fmt(row.cpu_s, '.2f')} | {fmt(row.solver_s, '.2f')} | {fmt(row.objective, '.6f')} | "
            f"{fmt(row.bound, '.6f')} | {fmt(row.gap, '.1e')} | {fmt(row.peak_mb, '.0f')} | "
            f"{fmt(times, '.1f')} | {fmt(cpu, '.1f')} | {fmt(memory, '.1f')} | "
            f"{fmt(delta, '+.2e')} | {row.note} |"
        )
    return lines


def bench_size(size: str, args: argparse.Namespace, scratch: Path) -> list[Row]:
    """Every solver on one size, ``--repeat`` times each."""
    units, villages = (int(n) for n in size.split("x"))
    folder = scratch / f"matcher-{size}"
    write_workload(folder, units, villages, args.seed)
    measures: dict[str, Callable[[], Row]] = {
        "pairing solve": lambda: measure_pairing(folder, scratch),
        "pairing check": lambda: measure_check(folder),
        "ortools-mcf": lambda: measure_worker("ortools", sys.executable, folder),
    }
    if args.matcher_python:
        measures["openreview-minmax"] = lambda: measure_worker(
            "openreview", args.matcher_python, folder
        )
    rows = [
        replace(median([m() for _ in range(args.repeat)]), size=size) for m in measures.values()
    ]
    if not args.matcher_python:
        rows.append(
            Row(
                size,
                "openreview-minmax",
                0,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                NOT_INSTALLED,
            )
        )
    return rows


def main() -> None:
    """Run the benchmark, print the table and record it."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", nargs="+", default=["108x54", "1000x500"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--matcher-python", help="python of a venv with openreview-matcher")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("folder", nargs="?", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(WORKERS[args.worker](args.folder)))
        return
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as scratch:
        rows = [row for size in args.sizes for row in bench_size(size, args, Path(scratch))]
    lines = table(rows)
    print("\n".join(lines))
    record = {
        "benchmark": "bench/matcher.py",
        "when_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S"),
        "machine": {
            "cpus": os.cpu_count(),
            "load_before": load,
            "python": platform.python_version(),
        },
        "seed": args.seed,
        "repeat": args.repeat,
        "rows": [asdict(row) for row in rows],
        "table": lines,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
