"""Benchmark the cover engine (issue 18) on a synthetic county; records bench/results/cover.json.

A county of VILLAGES villages, each with 50 listed households, 8-20 小组 holding 1,000
households, ⌈户数/30⌉+1 party members living in each 小组 (about 60) and two units of 6 members each. Times `cover_county` (teams,
包户 min-cost flows, grids, 包组) in a fresh process per run; median of 3, with peak RSS.
The workbook reading and writing is not in this figure.

    PYTHONPATH=. python -m bench.cover 54 500
"""

from __future__ import annotations

import random
import resource
import statistics
import subprocess
import sys
import time

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


def one(villages: int) -> tuple[float, float]:
    pairs, homes, members, staff, groups = county(villages)
    started = time.perf_counter()
    problem = CoverProblem(
        pairs, tuple(homes), tuple(members), tuple(staff), tuple(groups), 5, 30, cover_weights()
    )  # type: ignore[arg-type]
    cover = cover_county(problem)
    seconds = time.perf_counter() - started
    assert sum(len(v.households) for v in cover.villages) == len(homes)  # type: ignore[arg-type]
    return seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    if sys.argv[1:2] == ["--one"]:
        print(*one(int(sys.argv[2])))
        return
    from bench.record import record

    rows = []
    for villages in map(int, sys.argv[1:] or ["54", "500"]):
        runs = [
            subprocess.run(
                [sys.executable, "-m", "bench.cover", "--one", str(villages)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
            for _ in range(3)
        ]
        seconds = statistics.median(float(r[0]) for r in runs)
        rss = statistics.median(float(r[1]) for r in runs)
        rows.append([villages, villages * 50, villages * 1000, round(seconds, 3), round(rss, 1)])
        print(rows[-1], flush=True)
    record(
        "cover",
        ["villages", "listed_households", "group_households", "median_s", "peak_rss_mb"],
        rows,
    )


if __name__ == "__main__":
    main()
