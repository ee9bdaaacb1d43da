"""A hand-edited plan workbook read for its pairs, and the re-costed plan written back.

A planner who moves units between villages in 结对方案 leaves every other cell of the row
stale and breaks the seal of that sheet. :func:`read_edited_plan` therefore reads only the
two ids of each row (the other columns are ignored, whatever they say) and refuses, with
sheet, row and column, a blank or unknown id, a repeated pair or a sheet without its header
(exit 3). The input is the plan's ``输入·`` copies, which must still be as sealed, or the
``--input`` workbook; the original plan's objective, bound and proof come from its 指标 sheet,
which must be as sealed too, since the edit's price is stated against it.

:func:`write_rescored` writes a complete plan workbook (:func:`pairing.io.planbook.plan_workbook`)
with the edit's price in 指标 (``Plan.edit``, which :mod:`pairing.io.planbook` writes and
reads back, so a later ``pairing schedule`` keeps it) and the edited file's name and SHA-256
in 来源, sealed anew.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl.worksheet.worksheet import Worksheet

from pairing.domain import plan_schema as layout
from pairing.domain.cells import CellError, clean_text, parse_float, quote
from pairing.domain.digest import grid_cells, sheet_digest, sheet_key
from pairing.domain.edits import EditedPair, OriginalPlan
from pairing.domain.errors import InputError, Issue
from pairing.domain.model import Problem
from pairing.domain.plan import Plan
from pairing.domain.plan_schema import (
    INPUT_PREFIX,
    INPUT_SHA256,
    OBJECTIVE,
    RESCORED_FROM,
    RESCORED_FROM_SHA256,
    requiring,
)
from pairing.domain.schema import INPUT_SHEETS, Sheet
from pairing.io.output import set_text
from pairing.io.planbook import plan_workbook, save_plan
from pairing.io.reader import Input, build_problem, file_sha256, read_input
from pairing.io.tables import RawTable, book_from_grids, read_grids, to_table
from pairing.io.workbook_writer import plain_cell
from pairing.sheets import Limits

Grids = dict[str, list[tuple[object, ...]]]
ASSIGNMENTS = requiring(layout.ASSIGNMENTS, "village_id", "unit_id")
KEYED = requiring(layout.SUMMARY, "key", "value")
PROVENANCE_KEYED = requiring(layout.PROVENANCE, "key", "value")
ORIGINAL = "original_"  # a re-costed plan keeps the solver's plan's facts under this prefix


@dataclass(frozen=True, slots=True)
class EditedPlan:
    """A hand-edited plan workbook as ``rescore`` reads it.

    Attributes
    ----------
    path, sha256
        The edited workbook and the SHA-256 of its file.
    source
        The input: the plan's copies, or the ``--input`` workbook.
    pairs
        The rows of 结对方案, ids checked against ``source``, in sheet order.
    original
        What the solver's plan said of itself in 指标 (its objective, bound, proof).
    plan_year
        The plan year recorded in 来源 (``None`` when absent).
    scheduled
        Whether the workbook holds a 活动日程 sheet (stale after an edit; not carried over).
    """

    path: Path
    sha256: str
    source: Input
    pairs: tuple[EditedPair, ...]
    original: OriginalPlan
    plan_year: int | None
    scheduled: bool


def read_edited_plan(
    path: Path, input_path: Path | None = None, limits: Limits | None = None
) -> EditedPlan:
    """Read a hand-edited plan workbook (see the module notes); raise :class:`InputError`
    (exit 3) naming the sheet, row and column of anything that cannot be read."""
    path = Path(path)
    limits = limits or Limits.from_env()
    grids = read_grids(path, limits)
    if layout.ASSIGNMENTS.title not in grids:
        raise InputError([_not_a_plan(path)])
    recorded = _key_values(grids, layout.PROVENANCE.title, PROVENANCE_KEYED)
    copies = [title for title in grids if title.startswith(INPUT_PREFIX)]
    sealed = [layout.SUMMARY.title, *(copies if input_path is None else [])]
    _refuse_edited(grids, recorded, sealed, path)
    if input_path is None:
        source = _copied_input(grids, copies, recorded, path)
    else:
        source = read_input(input_path, limits)
    pairs = read_pairs(grids[layout.ASSIGNMENTS.title], source.problem)
    return EditedPlan(
        path,
        file_sha256(path, limits),
        source,
        pairs,
        _original(_key_values(grids, layout.SUMMARY.title, KEYED)),
        _whole(recorded.get("plan_year")),
        layout.SCHEDULE.title in grids,
    )


def _not_a_plan(path: Path) -> Issue:
    return Issue(
        path.name,
        None,
        None,
        f"不是 pairing 方案工作簿：没有「{layout.ASSIGNMENTS.title}」表",
        f"not a pairing plan workbook: there is no '{layout.ASSIGNMENTS.title}' sheet",
    )


def read_pairs(grid: Sequence[tuple[object, ...]], problem: Problem) -> tuple[EditedPair, ...]:
    """The (village_id, unit_id) of every non-blank row of 结对方案, the other cells ignored.

    Raises :class:`InputError` listing each blank or unknown id and repeated pair (sheet, row,
    column), or the sheet's missing header.
    """
    table = to_table(ASSIGNMENTS, layout.ASSIGNMENTS.title, grid)
    if isinstance(table, Issue):
        raise InputError([table])
    issues: list[Issue] = []
    seen: dict[tuple[str, str], int] = {}
    pairs: list[EditedPair] = []
    for number, values in table.rows:
        village_id = _id(table, number, values, "village_id", problem.village_index, issues)
        unit_id = _id(table, number, values, "unit_id", problem.unit_index, issues)
        if village_id is None or unit_id is None:
            continue
        if (unit_id, village_id) in seen:
            issues.append(_repeated(table, number, unit_id, village_id, seen))
            continue
        seen[(unit_id, village_id)] = number
        pairs.append(EditedPair(number, unit_id, village_id))
    if issues:
        raise InputError(issues)
    return tuple(pairs)


ID_WORDS = {
    "village_id": ("村编号", "村", "village id", "villages"),
    "unit_id": ("单位编号", "单位", "unit id", "units"),
}


def _id(
    table: RawTable,
    number: int,
    values: tuple[object, ...],
    key: str,
    known: Mapping[str, int],
    issues: list[Issue],
) -> str | None:
    """The id in column ``key`` of a row, or None after recording why it cannot be read."""
    text = clean_text(table.get(values, key))
    if text in known:
        return text
    zh_name, zh_sheet, en_name, en_sheet = ID_WORDS[key]
    if not text:
        zh = f"{zh_name}为空：每行须填写村编号和单位编号（删去整行即去掉这一对）"
        en = f"the {en_name} is blank: every row needs a village id and a unit id (delete the "
        en += "whole row to drop the pair)"
    else:
        zh = f"未知的{zh_name}「{quote(text)}」：输入的「{zh_sheet}」表中没有"
        en = f"unknown {en_name} '{quote(text)}': the input's {en_sheet} sheet has none"
        # Ids are compared exactly; a planner typing u012 for U012 is told which one it is.
        alike = next((k for k in known if k.casefold() == text.casefold()), None)
        if alike is not None:
            zh += f"（是否为「{alike}」？）"
            en += f" (did you mean '{alike}'?)"
    issues.append(Issue(table.spec.title, number, table.headers[table.columns[key]], zh, en))
    return None


def _repeated(
    table: RawTable, number: int, unit_id: str, village_id: str, seen: Mapping[tuple[str, str], int]
) -> Issue:
    first = seen[(unit_id, village_id)]
    return Issue(
        table.spec.title,
        number,
        table.headers[table.columns["unit_id"]],
        f"{unit_id} 与 {village_id} 的结对与第{first}行重复：请删去一行",
        f"the pair {unit_id}-{village_id} repeats row {first}: delete one of them",
    )


def _refuse_edited(
    grids: Grids, recorded: Mapping[str, object], titles: list[str], path: Path
) -> None:
    """Refuse when a sheet the re-costing trusts differs from the SHA-256 sealed in 来源.

    The input copies are the input (unless ``--input`` is given) and 指标 holds the objective
    the edit is priced against; 结对方案 and the views are expected to be stale. A plan
    written before the seal existed records no digests and is read as it is.
    """
    edited = [
        title
        for title in titles
        if title in grids
        and (digest := clean_text(recorded.get(sheet_key(title))))
        and digest != sheet_digest(title, grid_cells(grids[title]))
    ]
    if edited:
        sheets = "、".join(edited[:6])
        raise InputError(
            [
                Issue(
                    path.name,
                    None,
                    None,
                    f"除结对方案外，{sheets} 在方案写出后也被改动过：重新计分只认原样的输入副本与"
                    "指标；请恢复这些表，或用 --input 指定输入",
                    f"besides 结对方案, {sheets} were edited after the plan was written: "
                    "re-costing trusts only the input copies and 指标 as written; restore them, "
                    "or give the input with --input",
                )
            ]
        )


def _copied_input(
    grids: Grids, copies: list[str], recorded: Mapping[str, object], path: Path
) -> Input:
    """The input from the plan's ``输入·`` copies, named as 来源 records it."""
    if not copies:
        raise InputError(
            [
                Issue(
                    path.name,
                    None,
                    None,
                    "方案工作簿中没有输入副本（输入·…）：请用 --input 指定输入",
                    "the plan workbook holds no input copies (输入·…): give the input with --input",
                )
            ]
        )
    book = book_from_grids({t[len(INPUT_PREFIX) :]: grids[t] for t in copies}, INPUT_SHEETS)
    problem, issues = build_problem(book, people=False)  # the caller checked the copies' seal
    if issues:
        raise InputError(issues)
    name = clean_text(recorded.get("input")) or path.name
    return Input(problem, book, clean_text(recorded.get(INPUT_SHA256)), Path(name), ())


def _key_values(grids: Grids, title: str, spec: Sheet) -> dict[str, object]:
    """A key/value sheet (指标, 来源) as key -> value; empty when absent or unreadable."""
    grid = grids.get(title)
    if grid is None:
        return {}
    table = to_table(spec, title, grid)
    if isinstance(table, Issue):
        return {}
    out: dict[str, object] = {}
    for _, values in table.rows:
        key = clean_text(table.get(values, "key"))
        if key and key not in out:
            out[key] = table.get(values, "value")
    return out


def _original(summary: Mapping[str, object]) -> OriginalPlan:
    """The solver's plan's facts; a plan re-costed before keeps them under ``original_``."""
    prefix = ORIGINAL if ORIGINAL + OBJECTIVE in summary else ""
    return OriginalPlan(
        _number(summary.get(prefix + OBJECTIVE)),
        _number(summary.get(prefix + "bound")),
        clean_text(summary.get(prefix + "proven")) == "是",
    )


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not clean_text(value):
        return None
    try:
        return parse_float(value)
    except CellError:
        return None


def _whole(value: object) -> int | None:
    number = _number(value)
    return int(number) if number is not None and number.is_integer() else None


def write_rescored(
    path: Path,
    source: Input,
    plan: Plan,
    checks: Sequence[tuple[str, str, str]],
    edited: EditedPlan,
) -> None:
    """Write the re-costed plan workbook atomically and sealed: its price in 指标 (from
    ``plan.edit``, as every plan writer writes it) and the edited file it came from in 来源."""
    workbook = plan_workbook(source, plan, checks)
    _append(
        workbook[layout.PROVENANCE.title],
        [
            ["手工调整的方案文件", RESCORED_FROM, edited.path.name],
            ["手工调整的方案 SHA-256", RESCORED_FROM_SHA256, edited.sha256],
        ],
    )
    save_plan(workbook, path)


def _append(sheet: Worksheet, rows: Sequence[Sequence[object]]) -> None:
    """Append rows below a sheet's last row (before the seal, which covers them)."""
    first = sheet.max_row + 1
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            set_text(plain_cell(sheet, first + offset, column), value)


__all__ = ["EditedPlan", "read_edited_plan", "read_pairs", "write_rescored"]
