"""Benchmark of the activity calendar (``pairing.schedule``): a script, not a test.

Usage::

    python bench/schedule.py                 # both cases, table on stdout
    python bench/schedule.py --runs 5 --workers 2
    python bench/schedule.py --case gaozhou --runs 3

Cases (a county and its pairs, built in code from a seeded generator, plan year 2026 on the
official calendar, the 五个一 obligations of ``models/wuge-yi.toml``):

``gaozhou``
    108 units, 54 villages in 18 towns, two units per village; one unit holds three
    villages of one town and one holds two (as in the 2024 Gaozhou round), so three units
    are left without a village; teams of 2-6 with 1-2 leaders (组长); short busy-season
    blackouts for a few towns and units.
``county-1000``
    1,000 units, 500 villages in 100 towns, two units per village, 3% of the units with
    two or three villages of one town; the same teams and blackouts, scaled.

Each run is a fresh process (so peak memory is that run's alone) that times the phases of
``make_schedule``: *build* (calendar, owed periods, duties, pre-checks, model data), *solve*
(CP-SAT models built and solved group by group; identical groups share one solve, see
*models solved*) and *events* (assembly). Peak memory is the maximum resident set size of the
run plus, with worker processes, ``workers`` times the largest worker's (``ru_maxrss``): an
upper bound. The table shows the median of the runs of each case.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

# bench/pairing.py shares the package's name; keep this folder off the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from pairing.domain.model import Blackout, Member, Problem, Settings, Unit, Village  # noqa: E402
from pairing.io.rulemodel import load_rule_model  # noqa: E402

SEAT = (21.92, 110.85)
YEAR = 2026
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余杜叶程"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅建国志海波宁"


@dataclass(frozen=True)
class Case:
    """A benchmark case: its size and seed."""

    name: str
    units: int
    villages: int
    multi_share: float
    seed: int


CASES = {
    "gaozhou": Case("gaozhou", 108, 54, 0.0, 2024),
    "county-1000": Case("county-1000", 1000, 500, 0.03, 7),
}


def towns_of(villages: int) -> list[tuple[str, float, float]]:
    """Return towns (name, lat, lon) around the seat, three villages each on average."""
    rng = random.Random(f"towns-{villages}")
    count = max(1, villages // 3) if villages <= 60 else max(1, villages // 5)
    return [
        (f"镇{i:03d}", SEAT[0] + rng.uniform(-0.35, 0.35), SEAT[1] + rng.uniform(-0.35, 0.35))
        for i in range(count)
    ]


def make_villages(case: Case) -> list[Village]:
    """Return the villages, spread over the towns, near their town's centre."""
    rng = random.Random(f"villages-{case.seed}")
    towns = towns_of(case.villages)
    villages = []
    for i in range(case.villages):
        town, lat, lon = towns[i % len(towns)]
        villages.append(
            Village(
                f"V{i:04d}",
                f"第{i}村",
                town,
                lat + rng.uniform(-0.05, 0.05),
                lon + rng.uniform(-0.05, 0.05),
            )
        )
    return villages


def make_pairs(case: Case, villages: list[Village]) -> list[tuple[str, str]]:
    """Return two units per village; some units take two or three villages of one town.

    Gaozhou's shape is fixed: one unit with three villages, one with two. The large county
    gives ``multi_share`` of its units two or three villages.
    """
    rng = random.Random(f"pairs-{case.seed}")
    by_town: dict[str, list[str]] = {}
    for village in villages:
        by_town.setdefault(village.town, []).append(village.id)
    places = [(village.id, slot) for village in villages for slot in range(2)]
    if case.name == "gaozhou":
        extra = [3, 2]
    else:
        extra = [rng.choice((2, 3)) for _ in range(int(case.units * case.multi_share))]
    pairs: list[tuple[str, str]] = []
    taken: set[tuple[str, int]] = set()
    unit = 0
    for size in extra:
        town = rng.choice(sorted(t for t, vs in by_town.items() if len(vs) >= size))
        chosen = rng.sample(by_town[town], size)
        for village_id in chosen:
            slot = next(s for s in range(2) if (village_id, s) not in taken)
            taken.add((village_id, slot))
            pairs.append((f"U{unit:04d}", village_id))
        unit += 1
    for place in places:
        if place not in taken and unit < case.units:
            pairs.append((f"U{unit:04d}", place[0]))
            taken.add(place)
            unit += 1
    return pairs


def make_members(units: list[Unit], seed: int) -> list[Member]:
    """Return each unit's team: 2-6 people, 1-2 of them leaders (组长)."""
    rng = random.Random(f"members-{seed}")
    members = []
    for unit in units:
        size = rng.randint(2, 6)
        leaders = 1 if size <= 3 else rng.choice((1, 2))
        for index in range(size):
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(2))
            members.append(Member(unit.id, name, "leader" if index < leaders else "member"))
    return members


def make_blackouts(case: Case, villages: list[Village], units: list[Unit]) -> list[Blackout]:
    """Return two-day blackouts for 1 town in 6 (busy season) and 1 unit in 10 (meetings).

    Two days leave every week at least three working days, so a unit with three villages can
    still meet the weekly reception at each; longer ones are the pre-check's business.
    """
    rng = random.Random(f"blackouts-{case.seed}")
    towns = sorted({village.town for village in villages})
    blackouts = []
    row = 2
    for town in towns[::6]:
        start = dt.date(YEAR, rng.randint(4, 9), rng.randint(1, 24))
        blackouts.append(
            Blackout("town", town, start, start + dt.timedelta(days=1), "农忙 busy season", row)
        )
        row += 1
    for unit in units[::10]:
        start = dt.date(YEAR, rng.randint(1, 12), rng.randint(1, 25))
        blackouts.append(
            Blackout("unit", unit.id, start, start + dt.timedelta(days=1), "单位会议", row)
        )
        row += 1
    return blackouts


def county(case: Case) -> tuple[Problem, list[tuple[str, str]]]:
    """Return the case's problem and pairs."""
    villages = make_villages(case)
    units = [Unit(f"U{i:04d}", f"单位{i}") for i in range(case.units)]
    pairs = make_pairs(case, villages)
    problem = Problem(
        tuple(units),
        tuple(villages),
        settings=Settings(plan_year=YEAR, county_seat=SEAT, time_limit_s=1800),
        obligations=load_rule_model().obligations,
        blackouts=tuple(make_blackouts(case, villages, units)),
        members=tuple(make_members(units, case.seed)),
    )
    return problem, pairs


def run_once(case: Case, workers: int) -> dict[str, float]:
    """Run one case in this process and return its measurements."""
    from pairing.schedule.pipeline import assemble, build, prepare, solve, solver_facts

    started = time.perf_counter()
    problem, pairs = county(case)
    ready = prepare(problem, pairs)
    built = build(problem, ready)
    built_at = time.perf_counter()
    results = solve(built, ready, time_limit_s=1800, seed=0, workers=workers)
    solved_at = time.perf_counter()
    facts = solver_facts(results, solved_at - started, workers, 0)
    schedule = assemble(built, results, ready, facts)
    done = time.perf_counter()
    visits = {(e.unit_id, e.village_id, e.date) for e in schedule.events}
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "pairs": len(pairs),
        "groups": len(built.groups),
        "models": len({replace(spec, key=0) for spec in built.specs}),
        "occurrences": sum(len(spec.occurrences) for spec in built.specs),
        "build_s": built_at - started,
        "solve_s": solved_at - built_at,
        "events_s": done - solved_at,
        "total_s": done - started,
        "events": len(schedule.events),
        "visit_days": len(visits),
        "optimal": float(facts.proven),
        "gap": facts.gap,
        "peak_mb": max(own, children) / 1024,
        "peak_sum_mb": (own + children * workers) / 1024,
    }


def measure(case: str, workers: int) -> dict[str, float]:
    """Run one case in a fresh interpreter and return its measurements."""
    output = subprocess.run(
        [sys.executable, __file__, "--child", case, "--workers", str(workers)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return result


def table(rows: list[tuple[str, int, dict[str, float]]]) -> str:
    """Return the measurements as a Markdown table (medians)."""
    head = (
        "| case | runs | workers | pairs | groups | models solved | occurrences | events | "
        "visit days | build s | solve s | total s | optimal | peak MB |"
    )
    lines = [head, "|" + "---|" * 14]
    for name, runs, median in rows:
        lines.append(
            f"| {name} | {runs} | {int(median['workers'])} | {int(median['pairs'])} | "
            f"{int(median['groups'])} | {int(median['models'])} | {int(median['occurrences'])} | "
            f"{int(median['events'])} | "
            f"{int(median['visit_days'])} | {median['build_s']:.1f} | {median['solve_s']:.1f} | "
            f"{median['total_s']:.1f} | {'yes' if median['optimal'] else 'no'} | "
            f"{median['peak_sum_mb']:.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    """Parse arguments; run the cases (or, with ``--child``, one run) and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=sorted(CASES), action="append")
    parser.add_argument("--runs", type=int, default=5, help="runs of the small case (median)")
    parser.add_argument("--large-runs", type=int, default=1, help="runs of the large case")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--child", choices=sorted(CASES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_once(CASES[args.child], args.workers)))
        return
    rows = []
    for name in args.case or ["gaozhou", "county-1000"]:
        runs = args.runs if name == "gaozhou" else args.large_runs
        measured = [measure(name, args.workers) for _ in range(runs)]
        median = {key: statistics.median(m[key] for m in measured) for key in measured[0]}
        median["workers"] = args.workers
        rows.append((name, runs, median))
        print(f"{name}: {[round(m['total_s'], 1) for m in measured]} s", file=sys.stderr)
    print(table(rows))


if __name__ == "__main__":
    main()
