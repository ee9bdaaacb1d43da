"""Record a benchmark's table under ``bench/results/NAME.json``, with what it ran on.

Docs cite these files instead of numbers in comments: each holds the rows the benchmark
printed, the command line, the commit, the time, and the machine (cores, memory, Python,
the solver versions), so a figure can be re-run and compared.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def machine() -> dict[str, object]:
    """Cores, memory and versions of this run."""
    pages = os.sysconf("SC_PHYS_PAGES") if hasattr(os, "sysconf") else 0
    size = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 0
    versions = {}
    for package in ("ortools", "scipy", "numpy", "openpyxl"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "-"
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(pages * size / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        **versions,
    }


def commit() -> str:
    """The checked-out commit (with ``+`` when the work tree differs), or ``-``."""
    root = Path(__file__).resolve().parents[1]
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "-"
    return f"{head}{'+' if dirty else ''}" if head else "-"


def rerunnable(script: str) -> str:
    """The script's path from the checkout's root, so the command re-runs on any machine."""
    path = Path(script).resolve()
    root = RESULTS.parent.parent.resolve()
    return str(path.relative_to(root)) if path.is_relative_to(root) else path.name


def record(name: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> Path:
    """Write the table to ``bench/results/<name>.json`` and return the path."""
    RESULTS.mkdir(exist_ok=True)
    target = RESULTS / f"{name}.json"
    payload = {
        "benchmark": name,
        "command": " ".join(["python", rerunnable(sys.argv[0]), *sys.argv[1:]]),
        "commit": commit(),
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "columns": list(columns),
        "rows": [list(row) for row in rows],
    }
    target.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return target
