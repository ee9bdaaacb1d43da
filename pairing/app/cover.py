"""The cover job (issue 18): read a plan and its people, cover every paired village, write."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pairing.app.cover_points import kept_of, rule_points
from pairing.cover.run import CoverProblem, cover_county
from pairing.domain.cover import CountyCover, CoverInfeasible
from pairing.domain.errors import InfeasibleError, Issue
from pairing.domain.rules import cover_weights
from pairing.io.coverbaseline import read_cover_baseline
from pairing.io.coverbook import CoverContext, write_cover
from pairing.io.output import refuse_overwrite_input
from pairing.io.people import read_people
from pairing.io.planbook import read_plan
from pairing.io.reader import read_input
from pairing.sheets import input_sha256


@dataclass(frozen=True, slots=True)
class CoverJob:
    """What ``pairing cover`` was asked."""

    plan: Path
    output: Path
    input: Path | None = None
    baseline: Path | None = None  # a previous cover workbook, for C13 包户延续


Engine = Callable[[CoverProblem], CountyCover]
"""How a cover problem is solved: here in this process (:func:`cover_county`), or by parts on
a pool or Dask (:func:`pairing.province.cover.cover_engine`); either gives the same cover."""


def cover_job(job: CoverJob, engine: Engine = cover_county) -> CountyCover:
    """Run the job; raise InputError (exit 3) or InfeasibleError (exit 4) with names."""
    started = time.perf_counter()
    inputs = (job.plan, job.input, job.baseline)
    refuse_overwrite_input(job.output, *(p for p in inputs if p))
    planbook = read_plan(job.plan)
    baseline = read_cover_baseline(job.baseline) if job.baseline else {}
    source = read_input(job.input) if job.input else planbook.input
    problem = source.problem
    people = read_people(source.book, frozenset(v.id for v in problem.villages))
    units_of: dict[str, list[str]] = defaultdict(list)
    for pair in planbook.plan.pairs:
        units_of[pair.village_id].append(pair.unit_id)
    s = problem.settings
    weights = cover_weights(dict(s.weights))
    try:
        cover = engine(
            CoverProblem(
                {v: tuple(units) for v, units in units_of.items()},
                tuple(people.households),
                tuple(people.village_members),
                tuple(people.unit_members),
                tuple(people.groups),
                s.cover_households_per_team,
                s.grid_max_households,
                weights,
                baseline,
            )
        )
    except CoverInfeasible as error:
        raise InfeasibleError([Issue(job.plan.name, None, None, error.zh, error.en)]) from None
    ctx = CoverContext(
        {v.id: v.name for v in problem.villages},
        {u.id: u.name for u in problem.units},
        units_of,
        people.areas,
        s.cover_households_per_team,
        s.grid_max_households,
        time.perf_counter() - started,
        rule_points(cover, weights, kept_of(units_of, people, baseline)),
        input_sha256(job.plan),
        baseline,
        input_sha256(job.baseline) if job.baseline else "",
    )
    write_cover(job.output, cover, ctx, source)
    return cover
