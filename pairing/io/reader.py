"""Read an input workbook (``.xlsx`` or a folder of ``.csv``) into a validated Problem."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pairing.domain.errors import InputError, Issue
from pairing.domain.model import PastPairing, Problem, Unit, Village
from pairing.domain.schema import (
    BASELINE,
    HISTORY,
    INPUT_SHEETS,
    UNIT_CHANGES,
    UNITS,
    VILLAGES,
    Sheet,
)
from pairing.io import build
from pairing.io.baseline import (
    read_baseline,
    read_baseline_plan,
    read_unit_changes,
    with_baseline,
)
from pairing.io.people import collect_people
from pairing.io.rulemodel import load_rule_model
from pairing.io.tables import RawBook, RawTable, read_book
from pairing.sheets import Limits, input_sha256


@dataclass(frozen=True, slots=True)
class Input:
    """A read input: the problem, the raw sheets (copied into plans) and the file's SHA-256."""

    problem: Problem
    book: RawBook
    sha256: str
    path: Path
    defaulted: tuple[str, ...]
    baseline_sha256: str = ""  # the --baseline plan's, when its pairs are in 基线结对


def file_sha256(path: Path, limits: Limits | None = None) -> str:
    """Return the SHA-256 of a file, or of a folder's ``.csv`` files in name order.

    The definition is the reading gate's (:func:`pairing.sheets.input_sha256`), which the
    verifier checks a plan's ``input_sha256`` against: the same files, read the same way.
    """
    return input_sha256(path, limits)


def read_input(path: Path, limits: Limits | None = None, baseline: Path | None = None) -> Input:
    """Read and validate ``path``; raise :class:`InputError` listing every problem found.

    ``baseline``: a plan workbook whose 结对方案 pairs become the 基线结对 table (P18),
    replacing any the input has.
    """
    path = Path(path)
    limits = limits or Limits.from_env()
    book = read_book(path, limits)
    last = None if baseline is None else read_baseline_plan(baseline, limits)
    if last is not None:
        book = with_baseline(book, last)
    problem, issues = build_problem(book)
    if issues:
        raise InputError(issues)
    defaulted = tuple(spec.title for spec in INPUT_SHEETS if spec.key not in book.tables)
    sha = file_sha256(path, limits)
    return Input(problem, book, sha, path, defaulted, last.sha256 if last else "")


def build_problem(book: RawBook, *, people: bool = True) -> tuple[Problem, list[Issue]]:
    """Build the problem from matched tables; return it with every issue found.

    ``people=False`` skips checking the people sheets (农户, 村党员, 村民小组, 片区), which
    the pairing model does not use: for the input copies of a sealed plan, checked when it was
    written (on the example they are 5,700 rows, a quarter of ``pairing diff``'s time).
    """
    issues = build.Collector(list(book.issues))
    tables = book.tables
    settings = build.read_settings_table(tables.get("settings"), issues)
    units = build.read_units(tables.get("units"), issues)
    villages = build.read_villages(tables.get("villages"), settings, issues)
    unit_ids = frozenset(u.id for u in units)
    changes = read_unit_changes(tables.get(UNIT_CHANGES.key), unit_ids, issues)
    ids = build.Ids(
        unit_ids,
        frozenset(v.id for v in villages),
        units_read=UNITS.key in tables,
        villages_read=VILLAGES.key in tables,
        renamed=changes.renamed,
        removed=changes.removed,
    )
    baseline = read_baseline(tables.get(BASELINE.key), changes, issues)
    history = build.read_history(tables.get("history"), ids, issues)
    rules = build.read_rules(tables.get("rules"), ids, issues)
    obligations = build.read_obligations(tables.get("obligations"), issues)
    if "obligations" not in tables:
        obligations = list(load_rule_model().obligations)
    blackouts = build.read_blackouts(
        tables.get("blackouts"), build.town_names(villages), ids, issues
    )
    holidays = build.read_holidays(tables.get("holidays"), issues)
    scores = build.read_scores(tables.get("scores"), ids, issues)
    members = build.read_members(tables.get("members"), ids, issues)
    if people:  # 农户, 村党员, 村民小组, 片区: located errors
        collect_people(book, ids.villages, issues)
    _check_cross(tables, units, villages, history, issues)
    problem = Problem(
        units=tuple(units),
        villages=tuple(villages),
        history=tuple(history),
        rules=tuple(rules),
        settings=settings,
        obligations=tuple(obligations),
        blackouts=tuple(blackouts),
        holidays=tuple(holidays),
        scores=tuple(scores),
        members=tuple(members),
        baseline=tuple(baseline),
        unit_changes=changes.changes,
    )
    return problem, issues.result()


def _check_cross(
    tables: dict[str, RawTable],
    units: list[Unit],
    villages: list[Village],
    history: list[PastPairing],
    issues: build.Collector,
) -> None:
    """Checks that span sheets: 单位 and 村 both filled or both empty; one running pairing per pair.

    Empty 单位/村 sheets are valid here (a fresh template checks clean); solving refuses them.
    """
    _check_one_sided(tables, issues)
    running: dict[tuple[str, str], int] = {}
    for past in history:
        if past.end_year is None:
            pair = (past.unit_id, past.village_id)
            if pair in running:
                issues.add(
                    HISTORY,
                    past.row,
                    "end_year",
                    f"此对在第{running[pair]}行也在进行中（结束年为空）",
                    f"this pair is also running on row {running[pair]} (no end_year)",
                )
            running[pair] = past.row


def _check_one_sided(tables: dict[str, RawTable], issues: build.Collector) -> None:
    """Name the empty sheet when only one of 单位 and 村 has rows (48 villages, no unit).

    Both empty is a blank template, which checks clean; a missing sheet is reported already.
    """
    if UNITS.key not in tables or VILLAGES.key not in tables:
        return
    counts = {spec: len(tables[spec.key].rows) for spec in (UNITS, VILLAGES)}
    empty = [spec for spec, count in counts.items() if count == 0]
    if len(empty) != 1:
        return
    other: Sheet = VILLAGES if empty[0] is UNITS else UNITS
    issues.add(
        empty[0],
        None,
        None,
        f"「{empty[0].title}」表只有表头、没有数据行，而「{other.title}」表有 {counts[other]} 行；"
        f"请在「{empty[0].zh}」表中每行填写一条",
        f"the '{empty[0].title}' sheet has a header but no rows, while '{other.title}' has "
        f"{counts[other]}; fill in the {empty[0].key}, one per row",
    )
