"""Engines and merging: a real Dask cluster, the process pool and in-process solves agree."""

from __future__ import annotations

import pickle
from dataclasses import replace
from multiprocessing.reduction import ForkingPickler

import pytest

from pairing.domain.plan import Plan
from pairing.io.reader import Input
from pairing.province import Cluster, PartSettings, PartsFailed, partition, solve_partitioned
from pairing.province.engine import MIN_PART_SECONDS, PartTask, run_part
from pairing.province.merge import summed
from pairing.province.parts import REFERENCE_ID
from pairing.province.run import solve_parts
from pairing.province.transport import enable
from pairing.solve.optimize import SolveOptions, solve
from pairing.solve.terms import evaluate

SETTINGS = PartSettings(time_limit_s=20)


def same_plan(first: Plan, second: Plan) -> None:
    """Assert two plans are equal in everything but the wall-clock seconds."""
    assert first.pairs == second.pairs
    assert first.totals == second.totals
    assert first.village_terms == second.village_terms
    assert first.unit_terms == second.unit_terms
    assert first.kpis == second.kpis
    assert replace(first.facts, seconds=0.0) == replace(second.facts, seconds=0.0)


@pytest.fixture(scope="module")
def pool_plan(province_input: Input) -> Plan:
    """The small province solved by county in a local process pool of two workers."""
    run = solve_partitioned(province_input, "县", SETTINGS, Cluster(workers=2, engine="pool"))
    return run.plan


def test_dask_scheduler_gives_the_process_pools_plan(
    province_input: Input, pool_plan: Plan, scheduler_address: str
) -> None:
    """Parts sent to a running Dask scheduler (tcp://127.0.0.1) come back as the pool's plan."""
    assert scheduler_address.startswith("tcp://127.0.0.1:")
    run = solve_partitioned(province_input, "县", SETTINGS, Cluster(scheduler=scheduler_address))
    assert run.engine == f"Dask cluster {scheduler_address}"
    same_plan(run.plan, pool_plan)
    assert {result.worker for result in run.results} != {""}


def test_merged_pairs_are_the_union_of_the_parts(province_input: Input, pool_plan: Plan) -> None:
    """Solving each part in this process gives the merged plan's pairs, totals and objective."""
    parts = partition(province_input, "县")
    plans = [solve(part.problem, SolveOptions(time_limit_s=20, workers=1))[0] for part in parts]
    union = {(p.unit_id, p.village_id) for plan in plans for p in plan.pairs}
    assert {(p.unit_id, p.village_id) for p in pool_plan.pairs} == union
    assert pool_plan.totals == summed(plan.totals for plan in plans)
    assert pool_plan.facts.objective == pytest.approx(sum(p.facts.objective for p in plans))
    assert pool_plan.facts.bound == pytest.approx(sum(p.facts.bound for p in plans))
    assert pool_plan.facts.proven == all(p.facts.proven for p in plans)


def test_exact_partition_equals_the_whole_solve(province_input: Input, pool_plan: Plan) -> None:
    """With counties farther apart than P13_max_km, the merged optimum is the whole optimum.

    The whole input's own account of the merged pairs equals the merged totals (P12 included:
    each part keeps the whole input's mean strength).
    """
    whole, _ = solve(province_input.problem, SolveOptions(time_limit_s=30, workers=1))
    assert whole.facts.proven and pool_plan.facts.proven
    assert pool_plan.facts.objective == pytest.approx(whole.facts.objective)
    problem = province_input.problem
    chosen = {
        (problem.unit_index[p.unit_id], problem.village_index[p.village_id])
        for p in pool_plan.pairs
    }
    assert evaluate(problem, chosen).total_points() == pytest.approx(pool_plan.facts.objective)


def test_auto_and_column_partitions_agree(province_input: Input, pool_plan: Plan) -> None:
    """--partition-by auto finds the counties here, so it gives the same plan (in-pool, 1 worker)."""
    run = solve_partitioned(province_input, "auto", SETTINGS, Cluster(workers=1, engine="pool"))
    assert [r.key for r in run.results] == ["#1", "#2", "#3"]
    same_plan(run.plan, pool_plan)


def test_merged_schedule_is_one_schedule(province_input: Input) -> None:
    """With scheduling, every part's events come back in one schedule in canonical order."""
    settings = replace(SETTINGS, schedule=True)
    run = solve_partitioned(province_input, "县", settings, Cluster(workers=2, engine="pool"))
    assert run.schedule is not None
    events = run.schedule.events
    assert sum(len(r.schedule.events) for r in run.results if r.schedule) == len(events)
    assert list(events) == sorted(
        events, key=lambda e: (e.date, e.unit_id, e.village_id, e.obligation, e.people)
    )
    pairs = {(p.unit_id, p.village_id) for p in run.plan.pairs}
    assert {(e.unit_id, e.village_id) for e in events} == pairs


def test_a_part_without_a_plan_names_its_part(province_input: Input) -> None:
    """A county whose units may take no village: exit 4, reasons prefixed with the county."""
    parts = list(partition(province_input, "县"))
    broken = parts[1].problem
    units = tuple(replace(u, min_villages=0, max_villages=0) for u in broken.units)
    parts[1] = replace(
        parts[1], problem=replace(broken, units=units, rules=(), history=(), scores=())
    )
    with pytest.raises(PartsFailed) as caught:
        solve_parts(province_input, parts, "县", SETTINGS, Cluster(workers=1, engine="pool"))
    assert caught.value.exit_code == 4
    assert all(f"part {parts[1].key}" in issue.en for issue in caught.value.issues)


def test_run_part_solves_one_part_in_process(province_input: Input) -> None:
    """run_part (what each worker runs) returns the part's plan, timings, memory and worker."""
    part = partition(province_input, "县")[0]
    result = run_part(PartTask(part, SETTINGS))
    assert result.plan is not None and result.failure is None
    assert result.key == part.key and result.villages == part.villages
    assert result.units == len(part.unit_ids) and REFERENCE_ID not in part.unit_ids
    assert result.peak_mb > 0 and ":" in result.worker
    assert set(result.timings) >= {"precheck", "candidates", "search"}


def test_problems_and_plans_pickle_for_the_process_pool(
    province_input: Input, pool_plan: Plan
) -> None:
    """After enable(), multiprocessing's pickler sends problems and plans (read-only mappings)."""
    enable()
    problem = province_input.problem
    assert pickle.loads(ForkingPickler.dumps(problem)) == problem
    assert pickle.loads(ForkingPickler.dumps(pool_plan)) == pool_plan


def test_time_limit_scales_with_the_part() -> None:
    """seconds_per_village gives big parts more time, small ones at least the minimum, capped."""
    settings = PartSettings(time_limit_s=30.0, seconds_per_village=0.1)
    assert settings.time_limit(100) == pytest.approx(10.0)
    assert settings.time_limit(1000) == 30.0
    assert settings.time_limit(3) == MIN_PART_SECONDS
    assert PartSettings(time_limit_s=7.0).time_limit(1000) == 7.0


def test_cluster_describes_its_engine() -> None:
    """The engine in words: a remote scheduler, a local Dask cluster or a process pool."""
    assert Cluster(scheduler="tcp://10.0.0.1:8786").describe() == "Dask cluster tcp://10.0.0.1:8786"
    assert Cluster(workers=3, engine="pool").describe() == "process pool, 3 worker process(es)"
    assert Cluster(workers=2, engine="pool").uses_dask() is False
