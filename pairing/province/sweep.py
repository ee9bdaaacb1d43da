"""``pairing sweep``: solve one county under several settings and compare the plans.

A *scenario* is a set of 参数 overrides. They come from ``--set KEY=v1,v2`` (the cartesian
product of every option's values) and from the optional 方案对比 scenarios sheet (one named
scenario per row). With both, every named scenario is crossed with every ``--set``
combination (the ``--set`` values applied last), so a planner can sweep a weight inside each
named scenario. Each scenario's problem is built by the reader exactly as ``pairing solve``
builds it from a workbook whose 参数 sheet holds those values (the overrides replace the
sheet's rows of the same key), and is solved by the job a plain solve runs
(:func:`pairing.app.county.solve_county`), in the province's worker processes or on Dask
(:func:`pairing.province.engine.run_parts`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from pairing.domain.cells import clean_text, name_key
from pairing.domain.errors import InfeasibleError, InputError, Issue
from pairing.domain.model import Problem
from pairing.domain.plan import Plan
from pairing.domain.schema import SETTINGS
from pairing.domain.settings import find_key
from pairing.io.output import refuse_overwrite_input
from pairing.io.reader import Input, build_problem, read_input
from pairing.io.scenarios import Override, Scenario, combine, parse_set, read_scenarios
from pairing.io.sweepbook import SweepRow, write_sweep
from pairing.io.tables import RawBook, RawTable
from pairing.province.engine import Cluster, Done, PartResult, PartSettings, PartTask, run_parts
from pairing.province.parts import Part

KPI_SENSE: dict[str, int] = {  # +1: more is better, -1: less is better
    "needs_covered_pct": 1,
    "mean_km": -1,
    "max_km": -1,
    "continued_pct": 1,
    "good_pairs_kept_pct": 1,
    "weakest_village_strength": 1,
    "mean_village_strength": 1,
    "weakest_typical_strength": 1,
    "mean_typical_strength": 1,
    "mean_systems_per_village": 1,
}


@dataclass(frozen=True, slots=True)
class SweepJob:
    """What to sweep: the input, the ``--set`` texts, the output and where to solve.

    ``x_kpi`` and ``y_kpi`` name the chart's two KPIs (keys of ``Plan.kpis``).
    """

    workbook: Path
    output: Path
    sets: tuple[str, ...] = ()
    settings: PartSettings = field(default_factory=PartSettings)
    cluster: Cluster = field(default_factory=Cluster)
    x_kpi: str = "mean_km"
    y_kpi: str = "needs_covered_pct"
    progress: Callable[[int], Done] | None = None


@dataclass(frozen=True, slots=True)
class Swept:
    """What the sweep wrote: one row per scenario, in scenario order."""

    output: Path
    rows: tuple[SweepRow, ...]
    engine: str


def sweep_job(job: SweepJob) -> Swept:
    """Read, build every scenario, solve them all, write the comparison workbook.

    Raises
    ------
    InputError
        For an invalid input, a bad ``--set`` or 方案对比 row, an unknown KPI, or an output
        that is the input. A scenario without a plan is a row with its status, not an error.
    InfeasibleError
        When no scenario has a plan (nothing is written); the first scenario's reasons.
    """
    refuse_overwrite_input(job.output, job.workbook)
    for kpi in (job.x_kpi, job.y_kpi):
        if kpi not in KPI_SENSE:
            raise InputError(
                [Issue("--x/--y", None, None, f"未知指标 {kpi}", f"unknown KPI {kpi}")]
            )
    source = read_input(job.workbook)
    scenarios = combine(read_scenarios(job.workbook), [parse_set(text) for text in job.sets])
    problems = [scenario_problem(source, scenario) for scenario in scenarios]
    tasks = [
        PartTask(Part(index, scenario.name, problem), job.settings)
        for index, (scenario, problem) in enumerate(zip(scenarios, problems, strict=True))
    ]
    done = job.progress(len(tasks)) if job.progress is not None else None
    results = run_parts(tasks, job.cluster, done)
    rows = sweep_rows(scenarios, results, job.x_kpi, job.y_kpi)
    if all(result.plan is None for result in results):  # nothing to compare: exit as solve would
        failure = results[0].failure
        issues = list(failure.issues) if failure is not None else []
        raise (
            InfeasibleError(issues) if failure and failure.exit_code == 4 else InputError(issues)
        )
    write_sweep(job.output, rows, job.x_kpi, job.y_kpi)
    return Swept(job.output, tuple(rows), job.cluster.describe())


def scenario_problem(source: Input, scenario: Scenario) -> Problem:
    """The problem ``pairing solve`` reads from the input with the scenario's 参数 rows."""
    if not scenario.overrides:
        return source.problem
    book = replace(source.book, tables=_with_settings(source.book, scenario.overrides))
    problem, issues = build_problem(book)
    if issues:
        raise InputError(issues)
    return problem


def _with_settings(book: RawBook, overrides: Sequence[Override]) -> dict[str, RawTable]:
    """The book's tables with the settings rows of the overridden keys replaced."""
    table = book.tables.get(SETTINGS.key)
    if table is None:
        table = RawTable(SETTINGS, SETTINGS.title, 1, {"key": 0, "value": 1}, ("key", "value"), ())
    last: dict[object, Override] = {}
    for key, value in overrides:
        last[_setting_name(key)] = (key, value)
    kept = [
        (row, values)
        for row, values in table.rows
        if _setting_name(clean_text(table.get(values, "key"))) not in last
    ]
    width = max(table.columns.values()) + 1
    added = []
    for number, (key, value) in enumerate(last.values(), start=len(table.grid) + 1):
        cells: list[object] = [None] * width
        cells[table.columns["key"]], cells[table.columns["value"]] = key, value
        added.append((number, tuple(cells)))
    return book.tables | {SETTINGS.key: replace(table, rows=(*kept, *added))}


def _setting_name(text: str) -> object:
    """What a key names (its spec or rule id), so that 最远公里 and P13_max_km coincide."""
    spec = find_key(text)
    return spec if spec is not None else name_key(text)


def sweep_rows(
    scenarios: Sequence[Scenario], results: Sequence[PartResult], x_kpi: str, y_kpi: str
) -> list[SweepRow]:
    """One row per scenario: its plan (or failure), pairs changed against the first plan,
    and whether it is non-dominated on (x_kpi, y_kpi)."""
    plans = [result.plan for result in results]
    first = next((plan for plan in plans if plan is not None), None)
    reference = _pairs(first) if first is not None else frozenset()
    points = [_point(plan, x_kpi, y_kpi) for plan in plans]
    front = pareto(points)
    rows = []
    for index, (scenario, result) in enumerate(zip(scenarios, results, strict=True)):
        plan = result.plan
        failure = result.failure
        note = "; ".join(f"{i.zh} / {i.en}" for i in failure.issues) if failure else ""
        changed = len(reference - _pairs(plan)) if plan is not None and first else None
        rows.append(
            SweepRow(
                scenario.name,
                scenario.text,
                plan,
                note,
                changed,
                index in front,
                result.solve_seconds,
            )
        )
    return rows


def _pairs(plan: Plan) -> frozenset[tuple[str, str]]:
    return frozenset((p.village_id, p.unit_id) for p in plan.pairs)


def _point(plan: Plan | None, x_kpi: str, y_kpi: str) -> tuple[float, float] | None:
    """The scenario's two KPIs, each signed so that more is better (None: no plan)."""
    if plan is None or x_kpi not in plan.kpis or y_kpi not in plan.kpis:
        return None
    return KPI_SENSE[x_kpi] * plan.kpis[x_kpi], KPI_SENSE[y_kpi] * plan.kpis[y_kpi]


def pareto(points: Sequence[tuple[float, float] | None]) -> set[int]:
    """Indices of the non-dominated points (more is better on both axes; None never is).

    A point is dominated when another is at least as good on both and better on one; equal
    points are both non-dominated.
    """
    front = set()
    for i, p in enumerate(points):
        if p is None:
            continue
        dominated = any(
            q is not None and q[0] >= p[0] and q[1] >= p[1] and (q[0] > p[0] or q[1] > p[1])
            for q in points
        )
        if not dominated:
            front.add(i)
    return front
