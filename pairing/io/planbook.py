"""The plan workbook: write a plan (and its schedule) with copies of every input sheet; read
it back for ``schedule``, ``explain`` and ``verify``-adjacent tooling.

Headers are ``中文 (english_key)`` so either language finds a column; text from users is
always written as text, exactly (:func:`pairing.io.output.set_text`). One file is enough for
an auditor: the input sheets are copied in as ``输入·<sheet>``. The last step before saving,
:func:`seal`, records in 来源 provenance the SHA-256 of every sheet and of the plan
(:mod:`pairing.domain.digest`), so that ``pairing verify`` sees any cell edited afterwards.
"""

from __future__ import annotations

import datetime as dt
import platform
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from types import MappingProxyType

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pairing import __version__
from pairing.domain import plan_schema as layout
from pairing.domain.cells import CellError, clean_text, parse_float
from pairing.domain.changes import STATUS_WORDS, baseline_changes
from pairing.domain.digest import (
    FORM_KEY,
    PLAN_KEY,
    SHEET_FORM,
    SheetDigest,
    block_size,
    digest_sheet,
    grid_cells,
    plan_digest,
    sheet_digest,
    sheet_key,
)
from pairing.domain.edits import EditPrice, OriginalPlan
from pairing.domain.errors import InputError, Issue
from pairing.domain.model import Problem, Unit, Village
from pairing.domain.plan import Plan, PlanPair, Schedule, SolverFacts
from pairing.domain.plan_schema import (
    EDIT_FACTS,
    INPUT_PREFIX,
    INPUT_SHA256,
    KPI_NAMES,
    PAIR_RULES,
    POINTS_PREFIX,
    SOLVER_FACTS,
    UNIT_RULES,
    VILLAGE_RULES,
    headers,
)
from pairing.domain.rules import RULES, RULES_BY_ID
from pairing.domain.schema import INPUT_SHEETS, Sheet
from pairing.domain.status import Status
from pairing.io.arrangement import write_arrangement
from pairing.io.output import save_workbook, set_text
from pairing.io.reader import Input, build_problem
from pairing.io.safety import Limits
from pairing.io.sheet_format import (
    CENTRED,
    YES_NO,
    fit_columns,
    fit_grid,
    format_key_values,
    freeze_and_filter,
    is_number,
    number_format,
    print_setup,
)
from pairing.io.strength_chart import add_strength_chart, strength_rows
from pairing.io.tables import book_from_grids, match_columns, read_grids
from pairing.io.workbook_writer import plain_cell, sheet_cells

ARRANGEMENT = layout.ARRANGEMENT_TITLE
ASSIGNMENTS = layout.ASSIGNMENTS.title
BY_VILLAGE = layout.BY_VILLAGE.title
BY_UNIT = layout.BY_UNIT.title
SUMMARY = layout.SUMMARY.title
CHECKS = layout.CHECKS.title
PROVENANCE = layout.PROVENANCE.title
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
KPI_SECTION = "一、主要指标 key figures (for readers)"
FACTS_SECTION = "二、求解信息（供审核） solver facts (for auditors)"
CHART_VILLAGES = 1000  # a county's chart; a province's 26,000 bars would say nothing
DIGEST_COLUMNS = (3, 4, 5)  # value, columns, rows of a digest row in 来源
Header = tuple[str, str]  # (中文, english_key)
Record = dict[str, object]  # one row of a plan sheet, by column key


@dataclass(frozen=True)
class PlanBook:
    """A plan workbook read back: the input (from its copies) and the plan's pairs."""

    input: Input
    plan: Plan


def _versions() -> dict[str, str]:
    out = {"pairing": __version__, "python": platform.python_version()}
    for package in ("ortools", "openpyxl", "scipy", "chinesecalendar"):
        try:
            out[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            out[package] = "-"
    return out


def write_table(ws: Worksheet, headers: Sequence[Header], rows: Iterable[Sequence[object]]) -> None:
    """Write a header row ``中文 (key)`` and data rows; strings always as text. Numbers keep
    their precision and read by the cells' formats (:mod:`pairing.io.sheet_format`); widths
    fit the text, the header and id / name columns stay in view, the header row filters."""
    table = list(rows)
    formats = [number_format(key) for _, key in headers]
    for column, (zh, key) in enumerate(headers, start=1):
        cell = plain_cell(ws, 1, column)
        set_text(cell, f"{zh} ({key})")
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for r, values in enumerate(table, start=2):
        for column, value in enumerate(values, start=1):
            cell = plain_cell(ws, r, column)
            set_text(cell, value)
            if is_number(value) and column <= len(formats) and formats[column - 1]:
                cell.number_format = formats[column - 1]
            elif value in YES_NO:
                cell.alignment = CENTRED
    fit_columns(ws, headers, table)
    freeze_and_filter(ws, headers, len(table))
    print_setup(ws)


def _yes(flag: bool) -> str:
    return "是" if flag else "否"


def _assignment_rows(problem: Problem, plan: Plan) -> list[Record]:
    rows: list[Record] = []
    for pair in plan.pairs:
        unit, village = problem.unit(pair.unit_id), problem.village(pair.village_id)
        terms = {rule: pair.terms.get(rule, 0.0) for rule in PAIR_RULES}
        rows.append(
            {
                "village_id": village.id,
                "village_name": village.name,
                "town": village.town,
                "unit_id": unit.id,
                "unit_name": unit.name,
                "system": unit.system,
                "strength": unit.strength,
                "distance_km": pair.distance_km,
                "continued": _yes(pair.continued),
                "since_year": pair.since_year,
                "locked": _yes(pair.locked),
                **terms,
                "pair_points": exact_points(sum(terms.values())),
                "reason": pair.reason,
            }
        )
    return rows


def _partners(plan: Plan) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Each village's unit ids and each unit's village ids, in the plan's order."""
    units: dict[str, list[str]] = {}
    villages: dict[str, list[str]] = {}
    for pair in plan.pairs:
        units.setdefault(pair.village_id, []).append(pair.unit_id)
        villages.setdefault(pair.unit_id, []).append(pair.village_id)
    return units, villages


def named(name: str, id_: str) -> str:
    """A unit or village as a reader looks it up: ``县医院 (U028)`` (the id alone if unnamed)."""
    return f"{name} ({id_})" if name else id_


def _view_rows(problem: Problem, plan: Plan) -> tuple[list[Record], list[Record]]:
    """村视图's rows (each village with its units) and 单位视图's (each unit with its villages),
    the partners by name and id, so that a reader needs no lookup in another sheet."""
    units_of, villages_of = _partners(plan)
    by_village = [_village_row(problem, plan, village, units_of) for village in problem.villages]
    by_unit = [_unit_row(problem, plan, unit, villages_of) for unit in problem.units]
    return by_village, by_unit


def _village_row(
    problem: Problem, plan: Plan, village: Village, units_of: Mapping[str, list[str]]
) -> Record:
    units = [problem.unit(u) for u in units_of.get(village.id, [])]
    terms = plan.village_terms.get(village.id, {})
    skills = set().union(*(u.skills for u in units)) if units else set()
    return {
        "village_id": village.id,
        "name": village.name,
        "town": village.town,
        "typical": _yes(village.typical),
        "units": "、".join(named(u.name, u.id) for u in units),
        "needs": "、".join(sorted(village.needs)),
        "uncovered": "、".join(sorted(village.needs - skills)),
        "systems": "、".join(sorted({u.system for u in units if u.system})),
        "strength": sum(u.strength for u in units),
        **{rule: terms.get(rule, 0.0) for rule in VILLAGE_RULES},
    }


def _unit_row(
    problem: Problem, plan: Plan, unit: Unit, villages_of: Mapping[str, list[str]]
) -> Record:
    mine = [problem.village(v) for v in villages_of.get(unit.id, [])]
    terms = plan.unit_terms.get(unit.id, {})
    return {
        "unit_id": unit.id,
        "name": unit.name,
        "system": unit.system,
        "villages": len(mine),
        "village_ids": "、".join(named(v.name, v.id) for v in mine),
        "towns": "、".join(sorted({v.town for v in mine})),
        **{rule: terms.get(rule, 0.0) for rule in UNIT_RULES},
    }


def in_columns(sheet: Sheet, records: Iterable[Mapping[str, object]]) -> list[list[object]]:
    """Return each record's values in the order of ``sheet``'s columns: the contract alone
    decides the order, and a record whose keys are not exactly the contract's fails loudly."""
    keys = [column.key for column in sheet.columns]
    rows = []
    for record in records:
        if record.keys() != set(keys):
            raise KeyError(f"{sheet.title}: {sorted(record.keys() ^ set(keys))}")
        rows.append([record[key] for key in keys])
    return rows


def exact_points(points: float | None) -> float | None:
    """Points as the solver counts them (to 1e-7, its unit), not rounded for display: a
    workbook keeps the user's own precision, and the cell's number format shows 0.01."""
    return None if points is None else round(points, 7)


def _summary_rows(plan: Plan) -> Sequence[Sequence[object]]:
    """指标's rows (中文, key, value) in two sections: the KPIs a reader looks for first, then,
    for an auditor, the solver's facts in :data:`SOLVER_FACTS` order (seconds to 0.01) and each
    rule's points. A section's heading row has no key: readers by key pass it by."""
    facts = plan.facts
    values: tuple[object, ...] = (
        facts.status,
        _yes(facts.proven),
        exact_points(facts.objective),
        exact_points(facts.bound),
        facts.bound_method or "无 none",
        facts.gap,
        _seconds(facts.seconds),
        _yes(facts.interrupted),
        _yes(facts.restricted),
        _seconds(facts.first_plan_s),
        _seconds(facts.gap1_s),
        facts.candidates,
        facts.workers,
        facts.seed,
    )
    rows: list[list[object]] = [[KPI_SECTION, None, None]]
    rows += [[KPI_NAMES.get(key, key), key, value] for key, value in plan.kpis.items()]
    rows.append([FACTS_SECTION, None, None])
    rows += [[zh, key, value] for (zh, key), value in zip(SOLVER_FACTS, values, strict=True)]
    for rule, points in sorted(plan.totals.items()):
        rows.append(
            [f"{rule} {RULES_BY_ID[rule].zh}（分）", POINTS_PREFIX + rule, exact_points(points)]
        )
    return rows + _edit_rows(plan.edit)


def _edit_rows(price: EditPrice | None) -> list[list[object]]:
    """指标's rows of a plan chosen by hand: the solver's plan it came from, the edit's price."""
    if price is None:
        return []
    original = price.original
    values = (
        exact_points(original.objective),
        exact_points(original.bound),
        _yes(original.proven),
        price.points,
        price.pct,
    )
    return [[zh, key, value] for (zh, key), value in zip(EDIT_FACTS, values, strict=True)]


def _seconds(seconds: float | None) -> float | None:
    """Seconds as an auditor reads them: to 0.01 (a run's own clock is no finer in meaning)."""
    return None if seconds is None else round(seconds, 2)


def write_plan(
    path: Path,
    source: Input,
    plan: Plan,
    checks: Sequence[tuple[str, str, str]],
    schedule: Schedule | None = None,
) -> None:
    """Write the plan workbook atomically (``checks``: rule id, result, detail)."""
    save_plan(plan_workbook(source, plan, checks, schedule), path)


def save_plan(workbook: Workbook, path: Path) -> None:
    """Seal a complete plan workbook (:func:`seal`) and save it atomically.

    ``workbook``: the plan workbook, every sheet written; ``path``: where to save it.
    """
    if SUMMARY in workbook.sheetnames:  # once every row is in: a province appends its parts
        format_key_values(workbook[SUMMARY])
    seal(workbook)
    provenance = workbook[PROVENANCE]  # its filter takes in the digest rows just appended
    provenance.auto_filter.ref = (
        f"A1:{get_column_letter(len(layout.PROVENANCE.columns))}{provenance.max_row}"
    )
    save_workbook(workbook, path)


def seal(workbook: Workbook) -> None:
    """Record in 来源 provenance the SHA-256 of every sheet and of the plan; call it once, last.

    Rows are appended: the digest form, one ``sheet_sha256:<title>`` per sheet in workbook
    order (来源 itself included, hashed without these rows' digest cells, which no digest can
    cover), each with its column and row locators, and ``plan_sha256`` over them. Each digest
    is of the values the saved file will hold
    (:func:`pairing.io.workbook_writer.stored_value`), in the form of
    :mod:`pairing.domain.digest`, which the verifier recomputes from the file.

    ``workbook``: the plan workbook, every sheet written (a sheet added later would not be covered).
    """
    sheet = workbook[PROVENANCE]
    titles = list(workbook.sheetnames)
    rows = _digest_rows(sheet, titles)
    skip = {(row, column) for row in rows for column in DIGEST_COLUMNS}
    digests = [_digest(workbook[title], skip if title == PROVENANCE else set()) for title in titles]
    for row, digest in zip(rows, digests, strict=False):
        recorded = (digest.sha256, digest.columns_text(), digest.rows_text())
        for column, value in zip(DIGEST_COLUMNS, recorded, strict=True):
            set_text(plain_cell(sheet, row, column), value)
    whole = plan_digest(zip(titles, (digest.sha256 for digest in digests), strict=True))
    set_text(plain_cell(sheet, rows[-1], DIGEST_COLUMNS[0]), whole)


def _digest_rows(sheet: Worksheet, titles: Sequence[str]) -> range:
    """Append 来源's digest rows, their digest cells blank; return the rows of the digests.

    The form first, then one row per sheet, then the plan's: the returned rows are the
    sheets' (in ``titles`` order) and, last, the plan's.
    """
    rows: list[list[object]] = [["摘要格式 digest form", FORM_KEY, SHEET_FORM]]
    rows += [[f"工作表 SHA-256：{title}", sheet_key(title)] for title in titles]
    rows.append(["方案 SHA-256 (plan)", PLAN_KEY])
    first = sheet.max_row + 1
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            set_text(plain_cell(sheet, first + offset, column), value)
    return range(first + 1, first + len(rows))


def _digest(worksheet: Worksheet, skip: set[tuple[int, int]]) -> SheetDigest:
    """Return a sheet's digest and locators, as the saved file will hold its values."""
    cells = sheet_cells(worksheet, skip)
    return digest_sheet(worksheet.title, cells, block_size(worksheet.max_row))


def plan_workbook(
    source: Input,
    plan: Plan,
    checks: Sequence[tuple[str, str, str]],
    schedule: Schedule | None = None,
) -> Workbook:
    """The plan workbook in memory, for callers that add sheets before saving it once.

    Save it with :func:`save_plan`, which seals it: a plan saved otherwise has no digests and
    does not verify.
    """
    problem = source.problem
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.title = ARRANGEMENT  # the table people read and print comes first
    write_arrangement(first, problem, plan)
    assignments = in_columns(layout.ASSIGNMENTS, _assignment_rows(problem, plan))
    write_table(workbook.create_sheet(ASSIGNMENTS), headers(layout.ASSIGNMENTS), assignments)
    village_rows, unit_rows = _view_rows(problem, plan)
    views = (
        (layout.BY_VILLAGE, in_columns(layout.BY_VILLAGE, village_rows)),
        (layout.BY_UNIT, in_columns(layout.BY_UNIT, unit_rows)),
        (layout.SUMMARY, _summary_rows(plan)),
        (layout.STRENGTH, in_columns(layout.STRENGTH, strength_rows(problem, plan))),
        (layout.CHECKS, _check_rows(checks)),
        (layout.PROVENANCE, _provenance(source, plan.facts)),
    )
    for sheet, rows in views:
        write_table(workbook.create_sheet(sheet.title), headers(sheet), rows)
    if len(problem.villages) <= CHART_VILLAGES:
        add_strength_chart(workbook[SUMMARY], workbook[layout.STRENGTH.title])
    if problem.baseline:
        after_views = workbook.index(workbook[BY_UNIT]) + 1
        changes = workbook.create_sheet(layout.CHANGES.title, after_views)
        write_table(changes, headers(layout.CHANGES), _change_rows(problem, plan))
    if schedule is not None:
        from pairing.io.schedule_sheets import add_schedule_sheets

        add_schedule_sheets(workbook, problem, schedule)
    _copy_inputs(workbook, source)
    return workbook


def _change_rows(problem: Problem, plan: Plan) -> list[list[object]]:
    """变更's rows: each baseline pair's fate in words, its P18 points, then the new pairs."""
    weight = plan.kpis.get("stability_weight", 0.0)
    unit_names = {u.id: u.name for u in problem.units}
    village_names = {v.id: v.name for v in problem.villages}
    rows = baseline_changes(problem, ((p.unit_id, p.village_id) for p in plan.pairs))
    records = [
        {
            "status": f"{STATUS_WORDS[row.status]} {row.status}",
            "village_id": row.village_id,
            "village_name": village_names.get(row.village_id, ""),
            "unit_id": row.unit_id,
            "unit_name": unit_names.get(row.unit_id, ""),
            "baseline_unit_id": row.baseline_unit_id,
            "reason": row.reason,
            "P18": exact_points(weight) if row.status == "changed" else 0.0,
        }
        for row in rows
    ]
    return in_columns(layout.CHANGES, records)


def _check_rows(checks: Sequence[tuple[str, str, str]]) -> Sequence[Sequence[object]]:
    return [
        [rule, RULES_BY_ID[rule].zh, RULES_BY_ID[rule].kind, result, detail]
        for rule, result, detail in checks
    ]


def _provenance(source: Input, facts: SolverFacts) -> Sequence[Sequence[object]]:
    settings = source.problem.settings
    rows: list[list[object]] = [
        ["输入文件", "input", source.path.name],
        ["输入 SHA-256", INPUT_SHA256, source.sha256],
        ["规划年份", "plan_year", settings.year()],
        ["随机种子", "seed", facts.seed],
        ["线程数", "workers", facts.workers],
        ["生成时间 (UTC)", "created_utc", dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")],
    ]
    if source.baseline_sha256:
        rows.append(["基线方案 SHA-256", "baseline_sha256", source.baseline_sha256])
    rows += [
        [f"{RULES_BY_ID[r].zh} 权重", f"weight_{r}", w] for r, w in sorted(settings.weights.items())
    ]
    rows += [[f"{name} 版本", f"version_{name}", v] for name, v in _versions().items()]
    return rows


def _copy_inputs(workbook: Workbook, source: Input) -> None:
    for spec in INPUT_SHEETS:
        table = source.book.tables.get(spec.key)
        if table is None:
            continue
        ws = workbook.create_sheet(f"{INPUT_PREFIX}{spec.title}"[:31])
        for r, values in enumerate(table.grid, start=1):
            for c, value in enumerate(values, start=1):
                if value is not None:
                    set_text(plain_cell(ws, r, c), value)
        fit_grid(ws, table.grid)  # as the input reads, but measured and printable
        print_setup(ws)


def read_plan(path: Path, limits: Limits | None = None) -> PlanBook:
    """Read a plan workbook written by :func:`write_plan` (input copies and pairs)."""
    grids = read_grids(Path(path), limits)
    copies = {
        name[len(INPUT_PREFIX) :]: grid
        for name, grid in grids.items()
        if name.startswith(INPUT_PREFIX)
    }
    if ASSIGNMENTS not in grids or not copies:
        raise InputError(
            [
                Issue(
                    Path(path).name,
                    None,
                    None,
                    "不是 pairing 方案工作簿（缺少结对方案或输入副本）",
                    "not a pairing plan workbook (no assignments sheet or input copies)",
                )
            ]
        )
    _refuse_edited(grids, Path(path))
    book = book_from_grids(copies, INPUT_SHEETS)
    problem, issues = build_problem(book, people=False)  # sealed copies, checked when written
    if issues:
        raise InputError(issues)
    sha = _provenance_value(grids, INPUT_SHA256)
    baseline = _provenance_value(grids, "baseline_sha256")
    source = Input(problem, book, sha, Path(path), (), baseline)
    return PlanBook(source, _plan_from_grid(grids, problem))


def _refuse_edited(grids: dict[str, list[tuple[object, ...]]], path: Path) -> None:
    """Refuse a plan whose sheets differ from the SHA-256 recorded when it was written.

    ``schedule`` and ``explain`` build on the plan as read and write it back sealed anew: an
    edited bound, status or pair would come out looking as the tool wrote it, and ``verify``
    would then certify it. A plan written before the seal existed records no digests and is
    read as it is.
    """
    edited = [
        title
        for title, grid in grids.items()
        if title != PROVENANCE
        and (recorded := _provenance_value(grids, sheet_key(title)))
        and recorded != sheet_digest(title, grid_cells(grid))
    ]
    if edited:
        sheets = "、".join(edited[:6])
        # Pairs moved by hand are re-costed into a plan that reads here: say how.
        zh_way, en_way = (
            (
                "请用 pairing rescore 重新计分，或重新求解",
                "run pairing rescore to re-cost it, or solve",
            )
            if ASSIGNMENTS in edited
            else ("请重新求解", "solve")
        )
        raise InputError(
            [
                Issue(
                    path.name,
                    None,
                    None,
                    f"方案工作簿写出后被改动过（{sheets}）：{zh_way}；"
                    "用 pairing verify 可查看改动的单元格",
                    f"the plan workbook was edited after it was written ({sheets}): {en_way} "
                    "again; pairing verify shows the edited cells",
                )
            ]
        )


def _provenance_value(grids: dict[str, list[tuple[object, ...]]], key: str) -> str:
    for row in grids.get(PROVENANCE, [])[1:]:
        if len(row) > 2 and clean_text(row[1]) == key:
            return clean_text(row[2])
    return ""


def _plan_from_grid(grids: dict[str, list[tuple[object, ...]]], problem: Problem) -> Plan:
    """Rebuild the plan: pairs with their terms, village/unit terms, totals, facts, KPIs."""
    rows = _keyed_rows(grids[ASSIGNMENTS], layout.ASSIGNMENTS)
    pairs, issues = [], []
    for number, row in rows:
        unit_id, village_id = clean_text(row.get("unit_id")), clean_text(row.get("village_id"))
        if unit_id not in problem.unit_index or village_id not in problem.village_index:
            issues.append(
                Issue(
                    ASSIGNMENTS,
                    number,
                    None,
                    f"未知的单位或村：{unit_id} / {village_id}",
                    f"unknown unit or village: {unit_id} / {village_id}",
                )
            )
            continue
        terms = {rule: _number(row.get(rule)) for rule in PAIR_RULES if _number(row.get(rule))}
        pairs.append(
            PlanPair(
                unit_id,
                village_id,
                MappingProxyType(terms),
                _optional(row.get("distance_km")),
                clean_text(row.get("continued")) == "是",
                _optional_int(row.get("since_year")),
                clean_text(row.get("locked")) == "是",
                clean_text(row.get("reason")),
            )
        )
    if issues:
        raise InputError(issues)
    summary = _summary(grids.get(SUMMARY, []))
    facts = _facts(summary, _hand_edited(grids.get(SUMMARY, [])))
    return Plan(
        pairs=tuple(pairs),
        totals=MappingProxyType(
            {k[len(POINTS_PREFIX) :]: v for k, v in summary.items() if k.startswith(POINTS_PREFIX)}
        ),
        facts=facts,
        village_terms=_terms(
            grids.get(BY_VILLAGE, []), layout.BY_VILLAGE, "village_id", VILLAGE_RULES
        ),
        unit_terms=_terms(grids.get(BY_UNIT, []), layout.BY_UNIT, "unit_id", UNIT_RULES),
        kpis=MappingProxyType({k: v for k, v in summary.items() if k in KPI_NAMES}),
        edit=_edit(summary, facts.objective),
    )


def _keyed_rows(grid: list[tuple[object, ...]], spec: Sheet) -> list[tuple[int, dict[str, object]]]:
    if not grid:
        return []
    columns = match_columns(spec, grid[0])
    out = []
    for number, row in enumerate(grid[1:], start=2):
        values = {key: row[i] if i < len(row) else None for key, i in columns.items()}
        if any(clean_text(v) for v in values.values()):
            out.append((number, values))
    return out


def _number(value: object) -> float:
    try:
        return parse_float(value) if clean_text(value) else 0.0
    except CellError:
        return 0.0


def _optional(value: object) -> float | None:
    return _number(value) if clean_text(value) else None


def _optional_int(value: object) -> int | None:
    number = _optional(value)
    return None if number is None else int(number)


def _summary(grid: list[tuple[object, ...]]) -> dict[str, float]:
    out: dict[str, float] = {}
    for row in grid[1:]:
        if len(row) > 2 and clean_text(row[1]):
            value = row[2]
            if isinstance(value, int | float) and not isinstance(value, bool):
                out[clean_text(row[1])] = float(value)
            elif clean_text(value) in ("是", "否"):
                out[clean_text(row[1])] = 1.0 if clean_text(value) == "是" else 0.0
    return out


def _hand_edited(grid: list[tuple[object, ...]]) -> bool:
    """Whether 指标's status says the pairs were chosen by hand (``pairing rescore``)."""
    return any(
        len(row) > 2 and clean_text(row[1]) == "status" and clean_text(row[2]) == Status.HAND_EDITED
        for row in grid[1:]
    )


def _edit(summary: dict[str, float], objective: float) -> EditPrice | None:
    """A hand-chosen plan's price, as 指标 states it (None for a solver's plan)."""
    if "original_objective" not in summary:
        return None
    original = OriginalPlan(
        summary["original_objective"],
        summary.get("original_bound"),
        summary.get("original_proven", 0.0) == 1.0,
    )
    return EditPrice(original, objective)


def _facts(summary: dict[str, float], hand_edited: bool = False) -> SolverFacts:
    proven = summary.get("proven", 0.0) == 1.0
    status = Status.HAND_EDITED if hand_edited else "OPTIMAL" if proven else "FEASIBLE"
    return SolverFacts(
        status=status,
        objective=summary.get("objective", float("nan")),
        bound=summary.get("bound", float("nan")),
        gap=summary.get("gap", float("nan")),
        seconds=summary.get("seconds", 0.0),
        proven=proven,
        interrupted=summary.get("interrupted", 0.0) == 1.0,
        restricted=summary.get("restricted", 0.0) == 1.0,
        candidates=int(summary.get("candidates", 0)),
        workers=int(summary.get("workers", 1)),
        seed=int(summary.get("seed", 0)),
    )


def _terms(
    grid: list[tuple[object, ...]], spec: Sheet, key: str, rules: tuple[str, ...]
) -> MappingProxyType[str, MappingProxyType[str, float]]:
    if not grid:
        return MappingProxyType({})
    out = {}
    for _, row in _keyed_rows(grid, spec):
        terms = {rule: _number(row.get(rule)) for rule in rules if _number(row.get(rule))}
        if terms:
            out[clean_text(row.get(key))] = MappingProxyType(terms)
    return MappingProxyType(out)


__all__ = ["RULES", "PlanBook", "read_plan", "save_plan", "seal", "write_plan"]
