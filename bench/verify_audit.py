"""Benchmark of ``pairing verify`` and ``pairing audit``: a script, not a test.

Usage::

    python bench/verify_audit.py                  # all cases, 5 runs each, table on stdout
    python bench/verify_audit.py --runs 3 --case verify-example

Setup (once, in a scratch folder, not timed): the Gaozhou example (``examples/gaozhou.xlsx``)
is solved to a plan workbook, a year's ledger is generated for it (``pairing.examples.ledger``,
12 months, seed 0), and a synthetic county of 54 villages on the official 2026 calendar, with
teams, is solved *and scheduled* (about 13,000 events), to time the schedule rules too.

Cases:

``verify-example``
    ``verify_plan`` of the example plan against ``examples/gaozhou.xlsx`` (every rule,
    provenance and input copies); the budget is 2 s.
``verify-scheduled``
    the same for the scheduled synthetic plan (S01-S05, S07 on every event).
``audit-year``
    ``pairing audit`` of the example plan and its year's ledger, workbook written; the budget
    is 5 s.

Each run is a fresh interpreter, so peak memory (``VmHWM``) is that run's alone. ``work s``
is the call itself; ``process s`` the whole child (imports included); ``cli s`` the wall time
of the command line (``pairing verify`` / ``pairing audit``), whose start-up also imports
every other command (the solver's ortools and scipy among them). The table shows medians.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Python puts this script's folder first on sys.path, where a sibling script named like the
# package (bench/pairing.py) would shadow it: import the installed package instead.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
EXAMPLE = ROOT / "examples" / "gaozhou.xlsx"
CASES = ("verify-example", "verify-scheduled", "audit-year")


def setup(folder: Path) -> dict[str, Path]:
    """Solve, schedule and generate the inputs of every case into ``folder`` (not timed)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from verify.plans import (  # type: ignore[import-not-found, unused-ignore]  # the verifier tests' helpers
        solve_plan,
        team,
        write_input,
    )

    from pairing.examples.ledger import write_ledger
    from pairing.examples.synthetic import synthetic_county

    paths = {"example_input": EXAMPLE, "example_plan": folder / "example_plan.xlsx"}
    solve_plan(EXAMPLE, paths["example_plan"])
    paths["ledger"] = folder / "ledger_year.xlsx"
    truth = write_ledger(paths["example_plan"], paths["ledger"], seed=0, months=12)
    print(f"setup: ledger of {truth.rows} rows", file=sys.stderr)
    county = synthetic_county(54, 1, plan_year=2026)
    county = replace(county, members=tuple(team(county.units)))
    paths["scheduled_input"] = write_input(county, folder / "scheduled_input.xlsx")
    paths["scheduled_plan"] = folder / "scheduled_plan.xlsx"
    solve_plan(paths["scheduled_input"], paths["scheduled_plan"], scheduled=True)
    return paths


def child(case: str, paths: dict[str, Path], out: Path) -> dict[str, float]:
    """Run one case in this (fresh) process and return its measurements."""
    started = time.perf_counter()
    if case == "audit-year":
        from pairing.audit import read_ledger, run_audit, write_audit
        from pairing.examples.ledger import load_audit_plan
        from pairing.verify import read_grids

        imported = time.perf_counter()
        plan = load_audit_plan(paths["example_plan"])
        ledger = read_ledger(read_grids(paths["ledger"]), paths["ledger"].name)
        result = run_audit(plan, ledger)
        write_audit(result, out)
        size = float(result.rows)
    else:
        from pairing.verify import verify_plan

        imported = time.perf_counter()
        prefix = "example" if case == "verify-example" else "scheduled"
        report = verify_plan(paths[f"{prefix}_plan"], paths[f"{prefix}_input"])
        assert report.valid, report.findings[:3]
        size = float(report.events or 0)
    done = time.perf_counter()
    return {
        "work_s": done - imported,
        "process_s": done - started,
        "peak_mb": peak_mb(),
        "size": size,
    }


def peak_mb() -> float:
    """Return this process's peak resident memory in MB.

    Linux's ``VmHWM`` belongs to the process's own address space; ``ru_maxrss`` would carry
    over the parent's peak through ``fork``, so it is only the fallback.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cli_seconds(case: str, paths: dict[str, Path], out: Path) -> float:
    """Return the wall time of the case as a command line."""
    pairing = Path(sys.executable).parent / "pairing"
    if case == "audit-year":
        args = ["audit", str(paths["example_plan"]), str(paths["ledger"]), "-o", str(out)]
    else:
        prefix = "example" if case == "verify-example" else "scheduled"
        args = ["verify", str(paths[f"{prefix}_plan"]), "--input", str(paths[f"{prefix}_input"])]
    started = time.perf_counter()
    subprocess.run([str(pairing), *args], check=False, capture_output=True)
    return time.perf_counter() - started


def measure(case: str, paths: dict[str, Path], out: Path) -> dict[str, float]:
    """Run one case in a fresh interpreter, then as a command line."""
    encoded = json.dumps({key: str(value) for key, value in paths.items()})
    output = subprocess.run(
        [sys.executable, __file__, "--child", case, "--paths", encoded, "--out", str(out)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    result["cli_s"] = cli_seconds(case, paths, out)
    return result


def table(rows: list[tuple[str, int, dict[str, float]]]) -> str:
    """Return the medians as a Markdown table."""
    lines = [
        "| case | runs | events / ledger rows | work s | process s | cli s | peak MB |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, runs, m in rows:
        lines.append(
            f"| {name} | {runs} | {int(m['size'])} | {m['work_s']:.2f} | {m['process_s']:.2f} | "
            f"{m['cli_s']:.2f} | {m['peak_mb']:.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    """Parse arguments; set up, run every case ``--runs`` times and print the table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--case", choices=CASES, action="append")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", choices=CASES, help=argparse.SUPPRESS)
    parser.add_argument("--paths", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        paths = {key: Path(value) for key, value in json.loads(args.paths).items()}
        print(json.dumps(child(args.child, paths, Path(args.out))))
        return
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        paths = setup(folder)
        rows = []
        for case in args.case or CASES:
            measured = [measure(case, paths, folder / "audit.xlsx") for _ in range(args.runs)]
            median = {key: statistics.median(m[key] for m in measured) for key in measured[0]}
            rows.append((case, args.runs, median))
            print(f"{case}: {[round(m['work_s'], 2) for m in measured]} s", file=sys.stderr)
    print(table(rows))


if __name__ == "__main__":
    main()
