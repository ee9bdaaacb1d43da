"""Benchmark the cover (issue 18); records bench/results/cover.json.

Synthetic counties: each village has 50 listed households, 8-20 小组 holding 1,000 households,
⌈户数/30⌉+1 party members living in each 小组 (about 60), and two paired units of 6 members.
In a *linked* county (the multi-county run) the second unit of villages 2k and 2k+1 is the
same, its members with 最多户数 8 over both villages (C05 across villages: one flow per pair).

Rows (each a median of RUNS fresh processes: wall and CPU seconds, since on 2 shared cores
the wall clock also waits for other work, and the peak RSS of the largest process):

* ``engine``: :func:`pairing.cover.run.cover_county` in process (teams, 包户 flows, grids, 包组);
  no workbook reading or writing.
* ``engine_parts_K_counties``: the engine by parts (``pairing.province.cover``) on K linked
  counties with 1 worker (this process) and 2 (a process pool of fresh interpreters, whose
  start-up is in the time); no workbooks.
* ``end_to_end``: ``pairing cover PLAN -o OUT [--workers N]`` timed from outside: read the plan
  and its input copies, cover, write the cover workbook with its input copies. The plan is
  made once, untimed, by ``pairing solve`` on a generated input whose pairs are 必须 rules.
* ``example``: ``pairing cover`` on the solved Gaozhou example (``pairing example gaozhou``
  then ``pairing solve``, made once).

    PYTHONPATH=. python -m bench.cover                 # 54 and 500 villages; 4 × 250 linked
    PYTHONPATH=. python -m bench.cover --runs 1 --villages 500 --counties 4
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

from pairing.cover.run import CoverProblem, cover_county
from pairing.domain.people import Group, Household, UnitMember, VillageMember
from pairing.domain.rules import cover_weights

CATS = ("脱贫户", "监测户", "低保户", "独居老人", "留守儿童", "")
SHARED_CAP = 8


def county(villages: int, seed: int = 0, linked: bool = False, prefix: str = "") -> CoverProblem:
    """A synthetic county (see the module's docstring)."""
    rng = random.Random(seed)
    pairs, homes, members, staff, groups = {}, [], [], [], []
    for v in range(villages):
        vid = f"{prefix}V{v:04d}"
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
        shared = f"{prefix}S{v // 2:04d}"
        units = [f"{vid}U0", shared if linked else f"{vid}U1"]
        pairs[vid] = tuple(units)
        staff += [UnitMember(f"{units[0]}M{i}", units[0], f"队员{i}") for i in range(6)]
        if not linked or v % 2 == 0:
            cap = SHARED_CAP if linked else None
            staff += [UnitMember(f"{units[1]}M{i}", units[1], f"队员{i}", cap) for i in range(6)]
    return CoverProblem(
        pairs, tuple(homes), tuple(members), tuple(staff), tuple(groups), 5, 30, cover_weights()
    )


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list[object]]) -> None:
    sheet = book.create_sheet(title)
    sheet.append(header)
    for row in rows:
        sheet.append(row)


def write_input(path: Path, problems: list[CoverProblem]) -> None:
    """Write the counties as one input workbook whose pairs are 必须 rules."""
    book = Workbook(write_only=True)
    pairs = {v: u for p in problems for v, u in p.pairs.items()}
    villages_of: dict[str, int] = {}
    for units in pairs.values():
        for unit in units:
            villages_of[unit] = villages_of.get(unit, 0) + 1
    _sheet(book, "单位", ["单位编号", "单位名称", "最少村数", "最多村数"],
           [[u, f"单位{u}", n, n] for u, n in sorted(villages_of.items())])  # fmt: skip
    _sheet(book, "村", ["村编号", "村名", "所属镇", "需结对单位数"],
           [[v, f"村{v}", f"镇{v[:2]}", len(u)] for v, u in pairs.items()])  # fmt: skip
    _sheet(book, "指定", ["单位编号", "村编号", "规则"],
           [[u, v, "必须"] for v, us in pairs.items() for u in us])  # fmt: skip
    p = [m for c in problems for m in c.unit_members]
    _sheet(book, "队员", ["单位编号", "姓名", "队员编号", "最多户数"],
           [[m.unit_id, m.name, m.id, m.max_households] for m in p])  # fmt: skip
    h = [x for c in problems for x in c.households]
    _sheet(book, "农户", ["户编号", "村编号", "户主", "小组", "类别"],
           [[x.id, x.village_id, x.head, x.group, "、".join(x.categories)] for x in h])  # fmt: skip
    m = [x for c in problems for x in c.village_members]
    _sheet(book, "村党员", ["党员编号", "村编号", "姓名", "小组", "角色"],
           [[x.id, x.village_id, x.name, x.group, "党员"] for x in m])  # fmt: skip
    g = [x for c in problems for x in c.groups]
    _sheet(book, "村民小组", ["村编号", "小组", "户数"],
           [[x.village_id, x.name, x.households] for x in g])  # fmt: skip
    book.save(path)


def _engine_once(villages: int) -> tuple[float, float, float]:
    problem = county(villages)
    started, cpu = time.perf_counter(), time.process_time()
    cover = cover_county(problem)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert sum(len(v.households) for v in cover.villages) == len(problem.households)
    return seconds, cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _parts_once(workers: int, counties: int, villages: int) -> tuple[float, float, float]:
    """Time the cover engine by parts on ``workers`` processes (no workbooks)."""
    from pairing.province import Cluster
    from pairing.province.cover import cover_engine

    problem = _linked(counties, villages)
    started, cpu = time.perf_counter(), _cpu()
    cover = cover_engine(Cluster(workers=workers, engine="pool"))(problem)
    seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    assert sum(len(v.households) for v in cover.villages) == len(problem.households)
    peak = max(
        resource.getrusage(who).ru_maxrss
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return seconds, cpu, peak / 1024


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the pool's workers)."""
    own, children = (
        resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _linked(counties: int, villages: int) -> CoverProblem:
    """``counties`` linked counties of ``villages`` villages as one problem."""
    many = [county(villages, seed=c, linked=True, prefix=f"C{c}") for c in range(counties)]
    return CoverProblem(
        {v: u for p in many for v, u in p.pairs.items()},
        *(
            tuple(x for p in many for x in getattr(p, f))
            for f in ("households", "village_members", "unit_members", "groups")
        ),
        5,
        30,
        cover_weights(),
    )


def _command_once(args: list[str]) -> tuple[float, float, float]:
    """Run ``pairing ARGS`` (it must exit 0); its wall and CPU seconds (with its workers') and
    the peak MB of its largest process."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "pairing", *args], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)  # this child's rusage (and its waited children)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"pairing {' '.join(args)} failed ({status})")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def _median(kind: str, args: list[str], runs: int) -> tuple[float, float, float]:
    """Median wall and CPU seconds and peak MB over ``runs`` fresh measuring processes."""
    out = [
        subprocess.run(
            [sys.executable, "-m", "bench.cover", f"--{kind}", *args],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        for _ in range(runs)
    ]
    wall, cpu, rss = (statistics.median(float(r[i]) for r in out) for i in range(3))
    return round(wall, 3), round(cpu, 3), round(rss, 1)


def _plan(folder: Path, name: str, problems: list[CoverProblem]) -> Path:
    source, plan = folder / f"{name}-in.xlsx", folder / f"{name}-plan.xlsx"
    write_input(source, problems)
    started = time.perf_counter()
    _command_once(["solve", str(source), "-o", str(plan), "-q"])
    print(f"  (plan {name} made in {time.perf_counter() - started:.1f}s, untimed)", flush=True)
    return plan


def _example_plan(folder: Path) -> tuple[Path, int, int]:
    """The solved Gaozhou example: its plan, listed households and households in 小组."""
    from pairing.examples.gaozhou import generate

    people = generate().people
    source, plan = folder / "example-in.xlsx", folder / "example-plan.xlsx"
    _command_once(["example", "gaozhou", str(source)])
    _command_once(["solve", str(source), "-o", str(plan), "-q"])
    return plan, len(people.households), sum(g.households for g in people.groups)


def main() -> None:
    if sys.argv[1:2] == ["--engine"]:
        print(*_engine_once(int(sys.argv[2])))
        return
    if sys.argv[1:2] == ["--parts"]:
        print(*_parts_once(*map(int, sys.argv[2:5])))
        return
    if sys.argv[1:2] == ["--command"]:
        print(*_command_once(sys.argv[2:]))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--villages", type=int, default=500)
    parser.add_argument("--counties", type=int, default=4)
    parser.add_argument("--county-villages", type=int, default=250)
    parser.add_argument("--part-counties", type=int, default=20)
    options = parser.parse_args()
    from bench.record import record

    rows: list[list[object]] = []

    def row(case: str, villages: int, workers: object, measured: tuple[float, ...]) -> None:
        rows.append([case, villages, villages * 50, villages * 1000, workers, *measured])
        print(rows[-1], flush=True)

    for villages in (54, options.villages):
        row("engine", villages, "-", _median("engine", [str(villages)], options.runs))
    with tempfile.TemporaryDirectory() as folder:
        plan, listed, grouped = _example_plan(Path(folder))
        args = ["cover", str(plan), "-o", str(Path(folder) / "example-cover.xlsx")]
        rows.append(["example", 54, listed, grouped, 1, *_median("command", args, options.runs)])
        print(rows[-1], flush=True)
        plan = _plan(Path(folder), "county", [county(options.villages)])
        out = str(Path(folder) / "cover.xlsx")
        args = ["cover", str(plan), "-o", out]
        row("end_to_end", options.villages, 1, _median("command", args, options.runs))
        total = options.counties * options.county_villages
        for workers in (1, 2):
            shape = [str(workers), str(options.part_counties), str(options.county_villages)]
            villages = options.part_counties * options.county_villages
            row(f"engine_parts_{options.part_counties}_counties", villages, workers, _median("parts", shape, options.runs))  # fmt: skip
        many = [
            county(options.county_villages, seed=c, linked=True, prefix=f"C{c}")
            for c in range(options.counties)
        ]
        plan = _plan(Path(folder), "counties", many)
        for workers in (1, 2):
            args = ["cover", str(plan), "-o", out, "--workers", str(workers)]
            row(f"linked_{options.counties}_counties", total, workers, _median("command", args, options.runs))  # fmt: skip
    for at in (-4, -2):  # the engine by parts, then the whole command
        one, two = rows[at][5], rows[at + 1][5]
        print(f"{rows[at][0]}: speed-up 2 workers over 1: {float(one) / float(two):.2f}x")  # type: ignore[arg-type]
    record(
        "cover",
        [
            "case",
            "villages",
            "listed_households",
            "group_households",
            "workers",
            "median_s",
            "peak_rss_mb",
        ],
        rows,
    )


if __name__ == "__main__":
    main()
