"""The cover job (issue 18): read a plan and its people, cover every paired village, write."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from pairing.cover.run import cover_county
from pairing.domain.cover import CountyCover, CoverInfeasible
from pairing.domain.errors import InfeasibleError, Issue
from pairing.domain.rules import cover_weights
from pairing.io.coverbook import CoverContext, write_cover
from pairing.io.output import refuse_overwrite_input
from pairing.io.people import read_people
from pairing.io.planbook import read_plan
from pairing.io.reader import read_input


@dataclass(frozen=True, slots=True)
class CoverJob:
    """What ``pairing cover`` was asked."""

    plan: Path
    output: Path
    input: Path | None = None


def cover_job(job: CoverJob) -> CountyCover:
    """Run the job; raise InputError (exit 3) or InfeasibleError (exit 4) with names."""
    started = time.perf_counter()
    refuse_overwrite_input(job.output, *(p for p in (job.plan, job.input) if p))
    planbook = read_plan(job.plan)
    source = read_input(job.input) if job.input else planbook.input
    problem = source.problem
    people = read_people(source.book, frozenset(v.id for v in problem.villages))
    units_of: dict[str, list[str]] = defaultdict(list)
    for pair in planbook.plan.pairs:
        units_of[pair.village_id].append(pair.unit_id)
    s = problem.settings
    weights = cover_weights(dict(s.weights))
    try:
        cover = cover_county(
            units_of,
            people.households,
            people.village_members,
            people.unit_members,
            people.groups,
            (s.cover_households_per_team, s.grid_max_households, weights),
            {},  # no previous cover: C13 continuity needs a --baseline reader (not built)
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
    )
    write_cover(job.output, cover, ctx, source)
    return cover
