"""The report job: a plan workbook (and optionally an audit workbook) as one offline HTML page.

The plan is read by the plan reader (:func:`pairing.io.planbook.read_plan`: its input copies,
pairs, reasons and KPIs); the schedule and audit sheets through the reading gate. What the
page shows is computed here into :class:`pairing.report.ReportData`; :mod:`pairing.report`
only draws it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from pairing.domain import plan_schema as layout
from pairing.domain.cells import CellError, clean_text, parse_date
from pairing.domain.errors import InputError, Issue
from pairing.domain.model import Blackout, Problem
from pairing.domain.plan import Plan, PlanPair
from pairing.io.output import refuse_overwrite_input, write_atomic
from pairing.io.planbook import read_plan
from pairing.report import (
    CalendarDay,
    Kpi,
    NeedCoverage,
    ReportData,
    ReportPair,
    ReportUnit,
    ReportVillage,
    UnitCompliance,
    VillageUnit,
    render_report,
)
from pairing.report.model import PairStatus
from pairing.schedule.calendar import build_calendar
from pairing.sheets import match_columns, read_grids
from pairing.solve.instance import strength_target

AUDIT_BY_UNIT = "单位合规 by_unit"
AUDIT_OVERVIEW = "概览 overview"


@dataclass(frozen=True, slots=True)
class ReportJob:
    """Which plan (and audit workbook), and the HTML file to write."""

    plan: Path
    output: Path
    audit: Path | None = None


@dataclass(frozen=True, slots=True)
class ReportResult:
    """What was written: the file, its size in bytes, and what it holds."""

    output: Path
    size: int
    villages: int
    pairs: int
    calendar: bool
    compliance: bool


def _write(path: Path, page: bytes) -> None:
    path.write_bytes(page)


def report_job(job: ReportJob) -> ReportResult:
    """Read the plan (and audit), build the page and write it atomically.

    Raises ``InputError`` (exit 3) for an unreadable or foreign plan or audit workbook, or an
    output that is one of the inputs.
    """
    inputs = [job.plan] + ([job.audit] if job.audit else [])
    refuse_overwrite_input(job.output, *inputs)
    data = build_report(job.plan, job.audit)
    page = render_report(data).encode("utf-8")
    write_atomic(job.output, lambda temporary: _write(temporary, page))
    return ReportResult(
        job.output,
        len(page),
        len(data.villages),
        len(data.pairs),
        data.calendar is not None,
        data.compliance is not None,
    )


def build_report(plan_path: Path, audit: Path | None = None) -> ReportData:
    """Everything the page shows, from the plan workbook (and the audit workbook)."""
    book = read_plan(plan_path)
    problem, plan = book.input.problem, book.plan
    compliance, threshold = (None, problem.settings.lagging_threshold)
    if audit is not None:
        compliance, threshold = read_compliance(audit, threshold)
    year = problem.settings.year()
    return ReportData(
        title=f"{year}年结对共建方案报告 / Pairing plan report {year}",
        source=Path(plan_path).name,
        kpis=kpi_tiles(problem, plan),
        villages=report_villages(problem, plan),
        units=tuple(ReportUnit(u.id, u.name, u.lat, u.lon) for u in problem.units),
        pairs=tuple(
            ReportPair(p.unit_id, p.village_id, status(p), p.distance_km) for p in plan.pairs
        ),
        needs=need_coverage(problem, plan),
        calendar=read_calendar(plan_path, problem),
        compliance=compliance,
        threshold=threshold,
    )


def status(pair: PlanPair) -> PairStatus:
    """Locked (a 必须 rule) before continued, else new."""
    return "locked" if pair.locked else "continued" if pair.continued else "new"


def _covered(problem: Problem, plan: Plan) -> dict[str, set[str]]:
    """Each village's needs met by one of its units' skills."""
    skills: dict[str, set[str]] = defaultdict(set)
    for pair in plan.pairs:
        skills[pair.village_id] |= problem.units[problem.unit_index[pair.unit_id]].skills
    return {v.id: set(v.needs) & skills[v.id] for v in problem.villages}


def report_villages(problem: Problem, plan: Plan) -> tuple[ReportVillage, ...]:
    """Every village with its units (and why), its strength and target, its needs."""
    units: dict[str, list[VillageUnit]] = defaultdict(list)
    strength: Counter[str] = Counter()
    for pair in plan.pairs:
        unit = problem.units[problem.unit_index[pair.unit_id]]
        units[pair.village_id].append(
            VillageUnit(unit.id, unit.name, status(pair), pair.distance_km, pair.reason)
        )
        strength[pair.village_id] += round(10 * unit.strength)
    covered = _covered(problem, plan)
    return tuple(
        ReportVillage(
            v.id,
            v.name,
            v.town,
            v.lat,
            v.lon,
            v.typical,
            tuple(units[v.id]),
            strength[v.id] / 10,
            strength_target(problem, index) / 10,
            tuple(sorted(v.needs)),
            tuple(sorted(set(v.needs) - covered[v.id])),
        )
        for index, v in enumerate(problem.villages)
    )


def need_coverage(problem: Problem, plan: Plan) -> tuple[NeedCoverage, ...]:
    """Per need tag: villages asking for it, and those whose units bring it."""
    covered = _covered(problem, plan)
    needed: Counter[str] = Counter(tag for v in problem.villages for tag in v.needs)
    met: Counter[str] = Counter(tag for tags in covered.values() for tag in tags)
    return tuple(
        NeedCoverage(tag, count, met[tag])
        for tag, count in sorted(needed.items(), key=lambda item: (-item[1], item[0]))
    )


def kpi_tiles(problem: Problem, plan: Plan) -> tuple[Kpi, ...]:
    """Counts computed from the pairs, then the plan's own KPIs as its summary states them."""
    tiles = [
        Kpi("结对数", "pairs", str(len(plan.pairs))),
        Kpi("村数", "villages", str(len(problem.villages))),
        Kpi("典型村", "typical villages", str(sum(v.typical for v in problem.villages))),
        Kpi("参与单位", "units paired", str(len({p.unit_id for p in plan.pairs}))),
        Kpi("新结对", "new pairs", str(sum(status(p) == "new" for p in plan.pairs))),
    ]
    for key, zh in layout.KPI_NAMES.items():
        value = plan.kpis.get(key)
        if value is not None:
            tiles.append(Kpi(zh, key.replace("_", " "), f"{value:g}"))
    return tuple(tiles)


def read_calendar(path: Path, problem: Problem) -> tuple[CalendarDay, ...] | None:
    """Events per day from the plan's 活动日程 sheet, with holidays and blackouts; None when
    the plan has no schedule."""
    title = layout.SCHEDULE.title
    grid = read_grids(Path(path), wanted=lambda name: name == title).get(title)
    if not grid:
        return None
    column = match_columns(layout.SCHEDULE, grid[0]).get("date")
    if column is None:
        return None
    counts: Counter[dt.date] = Counter()
    for number, row in enumerate(grid[1:], start=2):
        if column < len(row) and clean_text(row[column]):
            try:
                counts[parse_date(row[column])] += 1
            except CellError as error:
                raise InputError([Issue(title, number, "日期 date", error.zh, error.en)]) from None
    if not counts:
        return None
    first = problem.settings.schedule_from or dt.date(min(counts).year, 1, 1)
    last = problem.settings.schedule_to or dt.date(max(counts).year, 12, 31)
    first, last = min(first, min(counts)), max(last, max(counts))
    calendar = build_calendar(first, last, problem.holidays)
    return tuple(
        CalendarDay(
            day.date,
            counts[day.date],
            (day.holiday_name or "休") if day.holiday else "",
            _blackouts(problem.blackouts, day.date),
            day.workday,
        )
        for day in calendar.between(first, last)
    )


def _blackouts(blackouts: tuple[Blackout, ...], date: dt.date) -> str:
    """The blackouts of a day, as text: scope and reason."""
    return "；".join(
        f"{b.scope or '全县 all'} {b.reason}".strip() for b in blackouts if b.start <= date <= b.end
    )


def _not_audit(path: Path) -> InputError:
    return InputError(
        [
            Issue(
                Path(path).name,
                None,
                None,
                f"不是 pairing 审计工作簿：找不到「{AUDIT_BY_UNIT}」表及其编号、名称、完成率列；"
                "请用 pairing audit 生成",
                f"not a pairing audit workbook: no '{AUDIT_BY_UNIT}' sheet with unit_id, name "
                "and completion columns; make one with pairing audit",
            )
        ]
    )


def _key_column(header: tuple[object, ...], key: str) -> int | None:
    """The column whose header ends with ``(key)``, as the audit workbook writes it."""
    for index, cell in enumerate(header):
        if clean_text(cell).endswith(f"({key})"):
            return index
    return None


def read_compliance(path: Path, threshold: float) -> tuple[tuple[UnitCompliance, ...], float]:
    """Completion by unit from an audit workbook, and its lagging threshold (else ``threshold``).

    Raises ``InputError`` naming the sheet, row and column of an unreadable rate.
    """
    grids = read_grids(Path(path), wanted=lambda name: name in (AUDIT_BY_UNIT, AUDIT_OVERVIEW))
    grid = grids.get(AUDIT_BY_UNIT)
    if not grid:
        raise _not_audit(path)
    columns = [_key_column(grid[0], key) for key in ("unit_id", "name", "completion")]
    if None in columns:
        raise _not_audit(path)
    uid, name, rate = (c for c in columns if c is not None)
    found = []
    for number, row in enumerate(grid[1:], start=2):
        cells = [row[c] if c < len(row) else None for c in (uid, name, rate)]
        if not clean_text(cells[0]) or not clean_text(cells[2]):
            continue  # a unit that owed nothing has no rate
        if not isinstance(cells[2], int | float) or isinstance(cells[2], bool):
            raise InputError(
                [
                    Issue(
                        AUDIT_BY_UNIT,
                        number,
                        "完成率 (completion)",
                        f"完成率不是数字：{clean_text(cells[2])!r}；请重新运行 pairing audit",
                        f"the completion is not a number: {clean_text(cells[2])!r}; run "
                        "pairing audit again",
                    )
                ]
            )
        found.append(UnitCompliance(clean_text(cells[0]), clean_text(cells[1]), float(cells[2])))
    for row in grids.get(AUDIT_OVERVIEW, [])[1:]:
        value = row[2] if len(row) > 2 and clean_text(row[1]) == "lagging_threshold" else None
        if isinstance(value, int | float) and not isinstance(value, bool):
            threshold = float(value)
    return tuple(found), threshold
