"""Benchmark the cover engine (issue 18) on a synthetic county; records bench/results/cover.json.

A county of VILLAGES villages, each with 50 listed households, 8-20 小组 holding 1,000
households, ⌈户数/30⌉+1 party members living in each 小组 (about 60) and two units of 6 members each. Times `cover_county` (teams,
包户 min-cost flows, grids, 包组) in a fresh process per run; median of 3, with peak RSS.
The workbook reading and writing is not in this figure.

The argument ``example`` adds the end-to-end row: ``pairing cover`` on the solved Gaozhou
example (``pairing example gaozhou`` then ``pairing solve``, made once), in a fresh process per
run with its start-up, reading the plan and its input copies and writing the cover workbook;
median of 3 wall and CPU seconds (on 2 shared cores the wall clock also waits for other
work), with the child's peak RSS.

    PYTHONPATH=. python -m bench.cover 54 500 example
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pairing.cover.run import CoverProblem, cover_county
from pairing.domain.people import Group, Household, UnitMember, VillageMember
from pairing.domain.rules import cover_weights

CATS = ("脱贫户", "监测户", "低保户", "独居老人", "留守儿童", "")


def county(villages: int, seed: int = 0) -> tuple[object, ...]:
    rng = random.Random(seed)
    pairs, homes, members, staff, groups = {}, [], [], [], []
    for v in range(villages):
        vid = f"V{v:04d}"
        k = rng.randint(8, 20)
        names = [f"{i + 1}组" for i in range(k)]
        cuts = sorted(rng.sample(range(1, 1000), k - 1))
        sizes = [b - a for a, b in zip([0, *cuts], [*cuts, 1000], strict=True)]
        groups += [Group(vid, n, s) for n, s in zip(names, sizes, strict=True)]
        homes_of = [n for n, z in zip(names, sizes, strict=True) for _ in range(-(-z // 30) + 1)]
        members += [VillageMember(f"{vid}P{i}", vid, f"党员{i}", g) for i, g in enumerate(homes_of)]
        homes += [
            Household(
                f"{vid}H{i}",
                vid,
                f"户{i}",
                rng.choice(names),
                frozenset(filter(None, [rng.choice(CATS)])),
            )
            for i in range(50)
        ]
        units = [f"{vid}U{j}" for j in range(2)]
        pairs[vid] = units
        staff += [UnitMember(f"{u}M{i}", u, f"队员{i}") for u in units for i in range(6)]
    return pairs, homes, members, staff, groups


def one(villages: int) -> tuple[float, float, float]:
    pairs, homes, members, staff, groups = county(villages)
    started, cpu = time.perf_counter(), time.process_time()
    problem = CoverProblem(
        pairs, tuple(homes), tuple(members), tuple(staff), tuple(groups), 5, 30, cover_weights()
    )  # type: ignore[arg-type]
    cover = cover_county(problem)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert sum(len(v.households) for v in cover.villages) == len(homes)  # type: ignore[arg-type]
    return seconds, cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _pairing(*args: object) -> tuple[float, float, float]:
    """Run ``python -m pairing ARGS`` (it must exit 0); return its wall and CPU seconds and
    peak MB (CPU too, since on 2 shared cores the wall clock waits for other work)."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "pairing", *map(str, args)])
    _, status, usage = os.wait4(child.pid, 0)  # this child's own rusage, not all children's
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, child.args)
    seconds = time.perf_counter() - started
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def end_to_end() -> list[object]:
    """The example's row: ``pairing cover`` on its plan, start-up and workbooks included."""
    from pairing.examples.gaozhou import generate

    people = generate().people
    with tempfile.TemporaryDirectory() as folder:
        source, plan = Path(folder, "in.xlsx"), Path(folder, "plan.xlsx")
        _pairing("example", "gaozhou", source)
        _pairing("solve", source, "-o", plan, "-q")
        runs = [_pairing("cover", plan, "-o", Path(folder, f"cover{i}.xlsx")) for i in range(3)]
    seconds, cpu, rss = (statistics.median(run[i] for run in runs) for i in range(3))
    households = sum(g.households for g in people.groups)
    return [
        "pairing cover (example)",
        54,
        len(people.households),
        households,
        round(seconds, 3),
        round(cpu, 3),
        round(rss, 1),
    ]


def main() -> None:
    if sys.argv[1:2] == ["--one"]:
        print(*one(int(sys.argv[2])))
        return
    from bench.record import record

    rows: list[list[object]] = []
    wanted = sys.argv[1:] or ["54", "500", "example"]
    for villages in (int(arg) for arg in wanted if arg != "example"):
        runs = [
            subprocess.run(
                [sys.executable, "-m", "bench.cover", "--one", str(villages)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
            for _ in range(3)
        ]
        seconds, cpu, rss = (statistics.median(float(r[i]) for r in runs) for i in range(3))
        sizes = [villages, villages * 50, villages * 1000]
        rows.append(["engine", *sizes, round(seconds, 3), round(cpu, 3), round(rss, 1)])
        print(rows[-1], flush=True)
    if "example" in wanted:
        rows.append(end_to_end())
        print(rows[-1], flush=True)
    record(
        "cover",
        [
            "run",
            "villages",
            "listed_households",
            "group_households",
            "median_s",
            "median_cpu_s",
            "peak_rss_mb",
        ],
        rows,
    )


if __name__ == "__main__":
    main()
