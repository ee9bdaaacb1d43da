"""Province-scale pairing: the province example solved by county on 1 and 2 local workers and
on a real Dask cluster (scheduler and worker started as separate processes on loopback).

Each run is the command a planner types, ``pairing solve IN --partition-by 县 --json``, in a
fresh process, timed from the outside (read, partition, parts, merge, workbook). Printed:
each county's size, status, gap and seconds per run; each run's wall time, time in the parts
and the peak memory of every worker process; the speed-up of 2 workers over 1; whether the
three plans agree; a projection of the whole province from the counties measured (unless
``--full`` measured it); and the time to schedule one county, projected to the province.

    python bench/province.py                       # 10 counties spread over the size range
    python bench/province.py --counties 122        # the whole province (all runs)
    python bench/province.py --counties 10 --time-per-village 0.2 --time-limit 120
    python bench/province.py --counties 122 --only-two   # the whole province, 2 workers only

Each county gets ``--time-per-village`` seconds per village (at least 2 s, at most
``--time-limit``) and stops early once within ``--gap`` of its bound.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) in sys.path:  # a sibling script must not shadow the package
    sys.path.remove(str(HERE))

from pairing.examples.province import (  # noqa: E402
    COUNTIES,
    DEFAULT_SEED,
    ProvinceExample,
    generate,
    select_counties,
    write,
)

BIN = Path(sys.executable).parent
PAIRING = str(BIN / "pairing")
DASK = str(BIN / "dask")


@dataclass(frozen=True)
class Run:
    """One timed ``pairing solve`` run: its label, wall seconds and JSON report."""

    label: str
    wall: float
    report: dict[str, Any]

    @property
    def parts(self) -> list[dict[str, Any]]:
        """Each county's facts, in canonical order."""
        parts: list[dict[str, Any]] = self.report["parts"]
        return parts

    def part_seconds(self) -> float:
        """Return the summed seconds of the parts' solves (CPU-bound, one thread each)."""
        return float(sum(p["seconds"] for p in self.parts))

    def peak_by_worker(self) -> dict[str, float]:
        """Return each worker process's peak resident memory (MB)."""
        peaks: dict[str, float] = {}
        for part in self.parts:
            peaks[part["worker"]] = max(peaks.get(part["worker"], 0.0), part["peak_mb"])
        return peaks


def parse() -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--counties", type=int, default=10, help="counties to run (122: all)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--time-per-village", type=float, default=0.4)
    parser.add_argument("--time-limit", type=float, default=200.0, help="cap per county (s)")
    parser.add_argument("--gap", type=float, default=0.01)
    parser.add_argument("--keep", type=Path, help="keep the input and plans in this folder")
    parser.add_argument(
        "--only-two", action="store_true", help="only the local 2-worker run (no speed-up)"
    )
    return parser.parse_args()


def spread(sizes: Sequence[int], count: int) -> list[int]:
    """Return ``count`` county indices at evenly spaced ranks of size (smallest to largest)."""
    ranked = sorted(range(len(sizes)), key=lambda i: (sizes[i], i))
    if count >= len(sizes):
        return list(range(len(sizes)))
    picks = {ranked[round(k * (len(sizes) - 1) / max(1, count - 1))] for k in range(count)}
    return sorted(picks)


def solve_args(source: Path, plan: Path, args: argparse.Namespace) -> list[str]:
    """Return the ``pairing solve`` command line of one run (engine options added later)."""
    return [
        PAIRING,
        "solve",
        str(source),
        "-o",
        str(plan),
        "--partition-by",
        "县",
        "--gap",
        str(args.gap),
        "--time-per-village",
        str(args.time_per_village),
        "--time-limit",
        str(args.time_limit),
        "--json",
        "-q",
    ]


def timed(label: str, command: list[str]) -> Run:
    """Run a command, time it, parse its JSON stdout; note the machine's steal time."""
    print(f"  running {label} ...", file=sys.stderr, flush=True)
    before = cpu_ticks()
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{label} failed ({done.returncode}):\n{done.stderr[-4000:]}")
    after = cpu_ticks()
    report = json.loads(done.stdout)
    report["steal_pct"] = 100 * (after[1] - before[1]) / max(1, after[0] - before[0])
    return Run(label, wall, report)


def cpu_ticks() -> tuple[int, int]:
    """Return the machine's (all, steal) CPU ticks from /proc/stat (zeros elsewhere)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    except OSError:
        return 0, 0
    return sum(fields), fields[7] if len(fields) > 7 else 0


@contextlib.contextmanager
def dask_cluster(folder: Path, workers: int) -> Iterator[str]:
    """Start ``dask scheduler`` and ``dask worker`` as separate processes on loopback.

    Yields the scheduler's address; both processes are stopped (SIGTERM, then SIGKILL) at
    the end, whatever happens.
    """
    file = folder / "scheduler.json"
    scheduler = subprocess.Popen(
        [DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
         "--scheduler-file", str(file)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    worker = None
    try:
        address = wait_for_address(file)
        worker = subprocess.Popen(
            [DASK, "worker", address, "--nworkers", str(workers), "--nthreads", "1",
             "--host", "127.0.0.1", "--no-dashboard"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_workers(address, workers)
        yield address
    finally:
        for process in (worker, scheduler):
            if process is not None:
                stop(process)


def wait_for_address(file: Path, timeout: float = 60.0) -> str:
    """Return the scheduler's address once it has written its scheduler file."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(FileNotFoundError, json.JSONDecodeError):
            address: str = json.loads(file.read_text())["address"]
            return address
        time.sleep(0.2)
    raise SystemExit("the Dask scheduler did not start")


def wait_for_workers(address: str, count: int) -> None:
    """Block until ``count`` workers have joined the scheduler."""
    import importlib

    distributed: Any = importlib.import_module("distributed")
    with distributed.Client(address, timeout="60s") as client:
        client.wait_for_workers(count, timeout=120)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a process started here: SIGTERM, then SIGKILL after 20 s."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def part_table(runs: Sequence[Run]) -> list[str]:
    """Return the per-county lines: size, and status, gap and seconds in each run."""
    head = f"{'county':<10}{'villages':>9}{'units':>7}"
    head += "".join(f"  {run.label:>26}" for run in runs)
    lines = [head, "-" * len(head)]
    for index, part in enumerate(runs[0].parts):
        line = f"{part['part']:<10}{part['villages']:>9}{part['units']:>7}"
        for run in runs:
            p = run.parts[index]
            state = "opt" if p["proven"] else f"{100 * p['gap']:.2f}%"
            line += f"  {state:>9} {p['seconds']:>7.1f}s {p['peak_mb']:>6.0f}MB"
        lines.append(line)
    return lines


def run_table(runs: Sequence[Run], gap: float) -> list[str]:
    """Return one line per run: wall, solve, parts' wall and CPU, memory, counties within gap.

    CPU below the parts' wall seconds means the worker processes waited for a core (other
    work on the machine, or the hypervisor's steal, shown in %).
    """
    lines = [
        f"{'run':<28}{'wall s':>8}{'solve s':>9}{'Σ parts s':>11}{'Σ cpu s':>9}{'steal':>7}"
        f"{'peak MB/worker':>16}{'workers':>9}{'≤ gap':>8}"
    ]
    for run in runs:
        peaks = run.peak_by_worker()
        good = sum(p["proven"] or p["gap"] <= gap + 1e-9 for p in run.parts)
        cpu = sum(p["cpu_seconds"] for p in run.parts)
        lines.append(
            f"{run.label:<28}{run.wall:>8.1f}{run.report['seconds']:>9.1f}"
            f"{run.part_seconds():>11.1f}{cpu:>9.1f}{run.report['steal_pct']:>6.1f}%"
            f"{max(peaks.values()):>16.0f}{len(peaks):>9}{f'{good}/{len(run.parts)}':>8}"
        )
    return lines


def agreement(runs: Sequence[Run], county_of: dict[str, str]) -> str:
    """Say which counties got the same plan (objective and pairs) in every run."""
    differ = [
        part["part"]
        for index, part in enumerate(runs[0].parts)
        if len({_county_plan(run, index, county_of) for run in runs}) > 1
    ]
    count = len(runs[0].parts)
    line = f"{count - len(differ)}/{count} counties got the same plan in every run"
    if differ:
        line += (
            f"; differing: {', '.join(differ)} (the search gives its stages shares of the "
            "wall-clock limit; a stage that ends on its budget ends where the clock finds it)"
        )
    return line


def _county_plan(
    run: Run, index: int, county_of: dict[str, str]
) -> tuple[float, frozenset[tuple[str, str]]]:
    """Return one county's objective and pairs in a run."""
    part = run.parts[index]
    pairs = frozenset(
        (village, unit)
        for village, unit in run.report["pairs"]
        if county_of[village] == part["part"]
    )
    return part["objective"], pairs


def projection(example: ProvinceExample, subset: Sequence[int], run: Run, workers: int) -> str:
    """Project the whole province from the counties measured in one run.

    Part seconds are fitted as a + b × villages on the run (least squares); the province's
    parts are then dealt largest first to ``workers`` workers (as the engine does).
    Everything else (start, read, partition, dispatch, merge, workbook: the run's wall minus
    its parts phase) is scaled with the villages.
    """
    villages = [p["villages"] for p in run.parts]
    slope, intercept = fit(villages, [p["seconds"] for p in run.parts])
    sizes = [len(c.problem.villages) for c in example.counties]
    predicted = [max(0.0, intercept + slope * n) for n in sizes]
    loads = [0.0] * workers
    for value in sorted(predicted, reverse=True):
        loads[loads.index(min(loads))] += value
    parts_phase = run.part_seconds() if workers == 1 else run.report["seconds"]
    overhead = max(0.0, run.wall - parts_phase) * sum(sizes) / sum(villages)
    return (
        f"{run.label}: part s ≈ {intercept:.1f} + {slope:.3f} × villages → {len(sizes)} counties, "
        f"{sum(sizes)} villages: parts ≈ {max(loads) / 60:.1f} min on {workers} worker(s) + "
        f"other ≈ {overhead / 60:.1f} min → ≈ {(max(loads) + overhead) / 60:.1f} min wall"
    )


def fit(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float]:
    """Return (slope, intercept) of the least-squares line through the points."""
    if len(xs) < 2:
        return (ys[0] / xs[0] if xs and xs[0] else 0.0), 0.0
    result = statistics.linear_regression(xs, ys)
    return result.slope, result.intercept


def schedule_one(source: Path) -> list[str]:
    """Solve and schedule the median county of the written input; project to the province.

    The county is read back from the input (so it has the workbook's obligations, the 五个一),
    solved within 1%, then scheduled on one thread.
    """
    from pairing.io.reader import read_input
    from pairing.province import partition
    from pairing.schedule import make_schedule
    from pairing.solve.optimize import SolveOptions, solve

    parts = sorted(partition(read_input(source), "县"), key=lambda p: p.villages)
    part = parts[len(parts) // 2]
    plan, _ = solve(part.problem, SolveOptions(time_limit_s=120, workers=1, gap=0.01))
    pairs = [(p.unit_id, p.village_id) for p in plan.pairs]
    started = time.perf_counter()
    schedule = make_schedule(part.problem, pairs, time_limit_s=1200, workers=1)
    seconds = time.perf_counter() - started
    per_village = seconds / part.villages
    return [
        f"schedule of {part.key} ({part.villages} villages, {len(pairs)} pairs): "
        f"{len(schedule.events)} events in {seconds:.1f} s ({schedule.facts.status}, "
        f"gap {schedule.facts.gap:.2%})",
        f"province by this rate: 26,500 villages × {per_village:.2f} s ≈ "
        f"{26_500 * per_village / 3600:.1f} CPU-hours (parts independent: ÷ workers)",
    ]


def main() -> None:
    """Generate, write, run the three engines, print the tables and the projection."""
    args = parse()
    started = time.perf_counter()
    province = generate(args.seed)
    sizes = [len(c.problem.villages) for c in province.counties]
    subset = spread(sizes, args.counties)
    example = select_counties(province, subset)
    folder = Path(tempfile.mkdtemp(prefix="bench-province-")) if args.keep is None else args.keep
    folder.mkdir(parents=True, exist_ok=True)
    try:
        source = folder / "input"
        write(example, source)
        print(
            f"# {len(subset)} of {COUNTIES} counties (seed {args.seed}): {len(example.units)} units, "
            f"{len(example.villages)} villages; {args.time_per_village} s/village (2-"
            f"{args.time_limit:.0f} s), gap {args.gap:.0%}; {os.cpu_count()} cores; "
            f"generated in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        two = [*solve_args(source, folder / "p2.xlsx", args), "--workers", "2"]
        if args.only_two:
            runs = [timed("local 2 workers", two)]
            print("\n".join(part_table(runs)), "", "\n".join(run_table(runs, args.gap)), sep="\n")
            print(verify(folder))
            return
        one = [*solve_args(source, folder / "p1.xlsx", args), "--workers", "1"]
        runs = [timed("local 1 worker", one), timed("local 2 workers", two)]
        with dask_cluster(folder, 2) as address:
            command = [*solve_args(source, folder / "p3.xlsx", args), "--scheduler", address]
            runs.append(timed("dask scheduler+2 workers", command))
        report(province, subset, runs, folder, args.gap, example.county_of_village)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


def report(
    province: ProvinceExample,
    subset: Sequence[int],
    runs: Sequence[Run],
    folder: Path,
    gap: float,
    county_of: dict[str, str],
) -> None:
    """Print the tables, speed-up, agreement, verification, projection and schedule timing."""
    print("\n".join(part_table(runs)))
    print()
    print("\n".join(run_table(runs, gap)))
    one, two = runs[0], runs[1]
    print(
        f"\nspeed-up 2 workers / 1 worker: wall {one.wall / two.wall:.2f}×, "
        f"solve (partition + parts + merge) {one.report['seconds'] / two.report['seconds']:.2f}×; "
        f"cluster vs local 2 workers: {runs[2].wall / two.wall:.2f}× the wall time"
    )
    coordinators = ", ".join(f"{run.report['coordinator_peak_mb']:.0f}" for run in runs)
    print(f"coordinator (the pairing process) peak MB per run: {coordinators}")
    print(agreement(runs, county_of))
    print(verify(folder))
    if len(subset) < len(province.counties):
        print(projection(province, subset, one, 1))
        print(projection(province, subset, two, 2))
    print("\n".join(schedule_one(folder / "input")))


def verify(folder: Path) -> str:
    """Run ``pairing verify`` on the merged 2-worker plan; say its exit code and time."""
    started = time.perf_counter()
    verified = subprocess.run(
        [PAIRING, "verify", str(folder / "p2.xlsx")], capture_output=True, text=True, check=False
    )
    return (
        f"pairing verify on the merged 2-worker plan: exit {verified.returncode} "
        f"({time.perf_counter() - started:.1f} s)"
    )


if __name__ == "__main__":
    main()
