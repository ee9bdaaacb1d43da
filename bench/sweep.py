"""A 9-scenario sweep of the example, end to end (``pairing sweep`` in a subprocess).

Run: ``PYTHONPATH=. python bench/sweep.py [--workers 2] [--repeats 3]``. Three weights of
P13 (distance) crossed with three of P10 (needs): 9 scenarios, each solved to proven
optimality, on the process pool and (when installed) on a Dask LocalCluster. Records the
median of the repeats to ``bench/results/sweep.json``; the target is ≤ 30 s on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from record import record

SETS = ("P13=0.5,1,2", "P10=10,30,90")


def one_run(example: Path, out: Path, workers: int) -> tuple[float, dict[str, object]]:
    """Seconds of one sweep and its JSON."""
    args = ["sweep", str(example), "-o", str(out), "--json", "-q", "--workers", str(workers)]
    for text in SETS:
        args += ["--set", text]
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pairing", *args], capture_output=True, text=True, check=True
    )
    return time.perf_counter() - started, json.loads(done.stdout)


def main() -> None:
    """Run the sweep ``--repeats`` times and record the median."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        example = Path(folder) / "example.xlsx"
        subprocess.run(
            [sys.executable, "-m", "pairing", "example", "gaozhou", str(example)], check=True
        )
        runs = [
            one_run(example, Path(folder) / "sweep.xlsx", options.workers)
            for _ in range(options.repeats)
        ]
    seconds = [run[0] for run in runs]
    last = runs[-1][1]
    scenarios = last["scenarios"]
    assert isinstance(scenarios, list)
    proven = sum(bool(s["proven"]) for s in scenarios)
    row = [
        len(scenarios),
        proven,
        options.workers,
        last["engine"],
        round(statistics.median(seconds), 2),
        [round(s, 2) for s in seconds],
    ]
    columns = ["scenarios", "proven", "workers", "engine", "median_s", "runs_s"]
    print(dict(zip(columns, row, strict=True)))
    print(record("sweep", columns, [row]))


if __name__ == "__main__":
    main()
