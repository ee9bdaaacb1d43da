"""How the jobs' results and notices read on the console (stdout for results, stderr for
progress and warnings)."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from pairing.app.notices import (
    GapMissed,
    Notice,
    Partitioning,
    Provisional,
    ScheduleDropped,
    SearchEnded,
    Unreproducible,
    Waived,
)
from pairing.cli.console import echo
from pairing.cli.proof import bound_text, missed_gap, proof_text, warn_missed_gap
from pairing.domain.plan import Plan, Schedule, SolverFacts


class LiveLine:
    """A progress line on stderr: elapsed, best objective, bound, gap."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet

    def __call__(self, elapsed: float, best: float | None, bound: float) -> None:
        """Print one progress update (nothing when quiet)."""
        if self.quiet:
            return
        if best is None:
            click.echo(f"\r  {elapsed:6.1f}s  searching…", err=True, nl=False)
            return
        gap = abs(best - bound) / max(1.0, abs(best)) if math.isfinite(bound) else float("nan")
        echo(
            f"\r  {elapsed:6.1f}s  best {best:10.2f}  bound {bound:10.2f}  gap {gap:6.2%}",
            err=True,
            nl=False,
        )


class Stderr:
    """A job's listener: each notice as the line(s) it reads as on stderr."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet

    def __call__(self, notice: Notice) -> None:
        """Print one notice (progress ones not when quiet)."""
        match notice:
            case Unreproducible(workers):
                say(
                    f"注意：{workers} 个线程的结果不保证可复现 / note: {workers} workers are "
                    "not reproducible"
                )
            case Partitioning(by, engine) if not self.quiet:
                say(f"分区求解 partitioned solve by {by} on {engine}")
            case SearchEnded() if not self.quiet:
                say("")
            case GapMissed(facts, requested, parts):
                warn_missed_gap(facts, requested, sum(missed_gap(f, requested) for f in parts))
            case Waived(notes):
                for note in notes:
                    say(f"注意 note: {note}")
            case Provisional(years, merged) if years:
                say(provisional_text(years, merged))
            case ScheduleDropped(reason):
                say(f"{reason}；方案照常写出 / the plan is written without it")


def say(line: str) -> None:
    """One line on stderr."""
    echo(line, err=True)


def provisional_text(years: tuple[int, ...], merged: bool) -> str:
    """The warning that ``years`` are scheduled on provisional dates (shorter when merged)."""
    listed = "、".join(map(str, years))
    english = ", ".join(map(str, years))
    if merged:
        return (
            f"警告：{english} 年的官方节假日尚未公布，日程日期标为「暂定」/ warning: the official "
            f"holidays of {english} are not published yet; dates are flagged provisional"
        )
    return (
        f"警告：{listed} 年的官方节假日安排尚未公布，日程按规则推算，日期均标为「暂定」，"
        "通知发布后请重排 / warning: the official holidays of "
        f"{english} are not published yet; dates follow the rule-based "
        "calendar, are flagged provisional and should be re-planned when the notice is out"
    )


def as_json(data: Mapping[str, Any]) -> None:
    """Print ``data`` as one line of JSON (Chinese as is)."""
    click.echo(json.dumps(data, ensure_ascii=False))


def plan_json(plan: Plan, output: Path) -> dict[str, Any]:
    """The plan's facts as ``solve --json`` prints them (before its timings and pairs)."""
    return {
        "output": str(output),
        "facts": asdict(plan.facts),
        "totals": dict(plan.totals),
        "kpis": dict(plan.kpis),
    }


def pairs_json(plan: Plan) -> list[list[str]]:
    """The plan's pairs, ``[village_id, unit_id]`` each."""
    return [[p.village_id, p.unit_id] for p in plan.pairs]


def proof_line(facts: SolverFacts, tail: str) -> str:
    """``目标 objective … 下界 bound … proof (tail)``: the second line of a solve."""
    proof = proof_text(facts)
    if facts.interrupted:
        proof = "已中断，保存当前最好方案 interrupted: best plan so far, " + proof
    return (
        f"  目标 objective {facts.objective:.2f}  下界 bound {bound_text(facts)}  {proof}  ({tail})"
    )


def kpi_line(plan: Plan) -> str:
    """Needs covered, mean distance, continued pairs, weakest village: a plan at a glance."""
    kpis = plan.kpis
    return (
        f"  需求覆盖 needs covered {kpis['needs_covered_pct']}%  平均路程 mean {kpis['mean_km']} km  "
        f"延续 continued {kpis['continued_pct']}%  最弱村力量 weakest {kpis['weakest_village_strength']}"
    )


def baseline_line(plan: Plan) -> str | None:
    """With a baseline: pairs kept, changed (P18, "fewest, proven" when it is), forced, new."""
    kpis = plan.kpis
    if "baseline_changed" not in kpis:
        return None
    changed = int(kpis["baseline_changed"])
    fewest = plan.facts.proven and kpis.get("stability_lexicographic")
    proof = "，已证明最少 proven fewest" if fewest else ""
    return (
        f"  基线 baseline: 保留 kept {int(kpis['baseline_kept'])}  变更 changed {changed}{proof}  "
        f"被迫 forced {int(kpis['baseline_forced'])}  新增 new {int(kpis['baseline_new'])}"
    )


def schedule_line(schedule: Schedule) -> str:
    """``日程 schedule: N events, M visit days`` (a visit: one unit in one village a day)."""
    return (
        f"  日程 schedule: {len(schedule.events)} 项活动 events, {visit_days(schedule)} 个走访日 "
        "visit days"
    )


def visit_days(schedule: Schedule) -> int:
    """Distinct (unit, village, date) of the schedule's events."""
    return len({(e.unit_id, e.village_id, e.date) for e in schedule.events})
