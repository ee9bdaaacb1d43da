"""``pairing diff`` of two plans of the example, end to end (a subprocess, as a planner runs it).

Run: ``PYTHONPATH=. python bench/diff.py [--repeats 7]``. The example is solved twice, as
written and with P13 (distance) at 3 and one village added, and the two plans are compared:
text to stdout, then with ``-o DIFF.xlsx``, then with ``--json``. Each command's wall time,
Python's start included, is the median of the repeats, recorded to ``bench/results/diff.json``;
the target is ≤ 1 s on 2 cores.
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

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from record import record


def pairing(*args: str) -> str:
    """Run ``pairing ARGS``; return its stdout."""
    done = subprocess.run(
        [sys.executable, "-m", "pairing", *args], capture_output=True, text=True, check=True
    )
    return done.stdout


def second_round(example: Path, target: Path) -> Path:
    """The example with P13 = 3 and a village added (a copy of the last one, renamed)."""
    book = openpyxl.load_workbook(example)
    for row in book["参数 settings"].iter_rows(min_row=2):
        if row[0].value == "P13 路程":
            row[1].value = 3
    villages = book["村 villages"]
    last = [cell.value for cell in villages[villages.max_row]]
    villages.append(["V099", "新增村", *last[2:]])
    book.save(target)
    return target


def timed(args: list[str], repeats: int) -> list[float]:
    """Wall seconds of ``repeats`` runs of ``pairing ARGS``."""
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        pairing(*args)
        seconds.append(time.perf_counter() - started)
    return seconds


def main() -> None:
    """Time text, ``-o`` and ``--json`` runs; record their medians."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=7)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        example = root / "in.xlsx"
        pairing("example", "gaozhou", str(example))
        a, b = root / "a.xlsx", root / "b.xlsx"
        pairing("solve", str(example), "-o", str(a), "-q")
        pairing("solve", str(second_round(example, root / "in_b.xlsx")), "-o", str(b), "-q")
        data = json.loads(pairing("diff", str(a), str(b), "--json"))
        runs = {
            "text": ["diff", str(a), str(b)],
            "workbook (-o)": ["diff", str(a), str(b), "-o", str(root / "d.xlsx")],
            "json": ["diff", str(a), str(b), "--json"],
        }
        rows = []
        for mode, args in runs.items():
            seconds = timed(args, options.repeats)
            rows.append(
                [
                    mode,
                    len(data["added"]),
                    len(data["removed"]),
                    len(data["moved"]),
                    round(statistics.median(seconds), 3),
                    [round(s, 3) for s in seconds],
                ]
            )
    columns = ["mode", "added", "removed", "moved", "median_s", "runs_s"]
    for row in rows:
        print(dict(zip(columns, row, strict=True)))
    print(record("diff", columns, rows))


if __name__ == "__main__":
    main()
