"""Re-costing a hand edit of the example's plan (``pairing rescore``), end to end.

Run: ``PYTHONPATH=. python -m bench.rescore [--repeats 5]``. Writes the example, solves it,
swaps the units of two villages in 结对方案 (as a planner would, with openpyxl), then times
``pairing rescore`` in a subprocess (the whole command: start-up, reading, checks, account,
writing the sealed workbook) and the job alone in this process, and checks that
``pairing verify`` accepts the result. Records the medians to ``bench/results/rescore.json``;
the target (issue 15) is ≤ 2 s on the example, 2 cores.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

from bench.record import record
from pairing.app.rescore import RescoreJob, rescore_job

ASSIGNMENTS = "结对方案 assignments"


def pairing(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m pairing ARGS``, checked."""
    return subprocess.run(
        [sys.executable, "-m", "pairing", *args], capture_output=True, text=True, check=True
    )


def swap_two_units(plan: Path, edited: Path) -> tuple[str, str]:
    """Swap the units of the first two free rows (unlocked) of two villages; save as ``edited``."""
    workbook = openpyxl.load_workbook(plan)
    sheet = workbook[ASSIGNMENTS]
    keys = {str(c.value).rsplit("(", 1)[-1].rstrip(")"): int(c.column) for c in sheet[1]}
    free = [r for r in range(2, sheet.max_row + 1) if sheet.cell(r, keys["locked"]).value == "否"]
    first = free[0]
    village = sheet.cell(first, keys["village_id"]).value
    second = next(r for r in free if sheet.cell(r, keys["village_id"]).value != village)
    a, b = sheet.cell(first, keys["unit_id"]), sheet.cell(second, keys["unit_id"])
    a.value, b.value = b.value, a.value
    workbook.save(edited)
    return str(b.value), str(a.value)


def main() -> None:
    """Time ``--repeats`` runs of the command and of the job; record the medians."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        pairing("example", "gaozhou", str(root / "g.xlsx"))
        pairing("solve", str(root / "g.xlsx"), "-o", str(root / "plan.xlsx"), "-q")
        moved = swap_two_units(root / "plan.xlsx", root / "edited.xlsx")
        command, job = [], []
        for _ in range(options.repeats):
            started = time.perf_counter()
            printed = pairing("rescore", str(root / "edited.xlsx"), "-o", str(root / "out.xlsx"))
            command.append(time.perf_counter() - started)
        for _ in range(options.repeats):
            started = time.perf_counter()
            done = rescore_job(RescoreJob(root / "edited.xlsx", root / "job.xlsx"))
            job.append(time.perf_counter() - started)
        verified = pairing("verify", str(root / "out.xlsx")).returncode == 0
    row = [
        "gaozhou",
        len(done.plan.pairs),
        "、".join(moved),
        round(done.plan.facts.objective, 2),
        done.price.points,
        verified,
        round(statistics.median(command), 3),
        [round(s, 3) for s in command],
        round(statistics.median(job), 3),
        [round(s, 3) for s in job],
    ]
    columns = [
        "input",
        "pairs",
        "units_swapped",
        "objective",
        "edit_cost_points",
        "verify_ok",
        "command_median_s",
        "command_runs_s",
        "job_median_s",
        "job_runs_s",
    ]
    print(printed.stdout.strip())
    print(dict(zip(columns, row, strict=True)))
    print(record("rescore", columns, [row]))


if __name__ == "__main__":
    main()
