"""The scenarios of ``pairing sweep``: ``--set KEY=v1,v2`` options and the 方案对比 sheet.

Every override is validated as the 参数 sheet validates its rows (the same parser), so a bad
key or value is an input error naming it: the option, or the sheet, row and column.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pairing.domain.cells import clean_text, name_key
from pairing.domain.errors import InputError, Issue
from pairing.domain.schema import SCENARIOS
from pairing.domain.settings import build_settings
from pairing.io.tables import RawTable, book_from_grids
from pairing.sheets import read_grids

Override = tuple[str, str]  # the key as written, the value as written
SET_OPTION = "--set"


@dataclass(frozen=True, slots=True)
class Scenario:
    """One scenario: its name and its overrides, in the order they apply."""

    name: str
    overrides: tuple[Override, ...]

    @property
    def text(self) -> str:
        """The overrides as a planner writes them: ``P13=2; P10_hard=是``."""
        return "; ".join(f"{key}={value}" for key, value in self.overrides)


def parse_set(text: str) -> list[Override]:
    """Parse one ``--set KEY=v1,v2`` into the overrides it sweeps (each value validated)."""
    key, sep, values = text.partition("=")
    key = clean_text(key)
    if not sep or not key:
        zh, en = f"「{text}」应写成 键=值1,值2", f"'{text}' should read KEY=v1,v2"
        raise InputError([_option_issue(SET_OPTION, zh, en)])
    parts = [clean_text(v) for v in re.split("[,，]", values)]
    overrides = [(key, value) for value in parts if value != ""] or [(key, "")]
    for override in overrides:
        check_override(override, SET_OPTION, None)
    return overrides


def check_override(override: Override, sheet: str, row: int | None) -> None:
    """Validate one override as the 参数 sheet would; an error names the key or value."""
    _, problems = build_settings([(row or 0, override[0], override[1])])
    if problems:
        problem = problems[0]
        column = "设置 settings" if row is not None else None
        zh = f"{override[0]}={override[1]}：{problem.zh}"
        en = f"{override[0]}={override[1]}: {problem.en}"
        raise InputError([Issue(sheet, row, column, zh, en)])


def read_scenarios(path: Path) -> list[Scenario]:
    """Read the optional 方案对比 sheet (none: no named scenario)."""
    book = book_from_grids(read_grids(path), (SCENARIOS,))
    if book.issues:
        raise InputError(list(book.issues))
    table = book.tables.get(SCENARIOS.key)
    if table is None:
        return []
    scenarios: list[Scenario] = []
    issues: list[Issue] = []
    seen: dict[str, int] = {}
    for row, values in table.rows:
        try:
            scenario = _scenario_row(table, row, values, seen)
        except InputError as error:
            issues.extend(error.issues)
            continue
        finally:
            seen.setdefault(name_key(clean_text(table.get(values, "name"))), row)
        scenarios.append(scenario)
    if issues:
        raise InputError(issues)
    return scenarios


def _scenario_row(
    table: RawTable, row: int, values: tuple[object, ...], seen: dict[str, int]
) -> Scenario:
    """One 方案对比 row as a scenario; raise InputError naming its row and column."""
    name = clean_text(table.get(values, "name"))
    if name == "":
        raise InputError([Issue(SCENARIOS.title, row, "方案 name", "方案名称为空", "no name")])
    if name_key(name) in seen:
        zh, en = f"方案「{name}」与第{seen[name_key(name)]}行重复", f"'{name}' repeats a row"
        raise InputError([Issue(SCENARIOS.title, row, "方案 name", zh, en)])
    overrides: list[Override] = []
    for item in re.split("[;；\n]", clean_text(table.get(values, "settings"))):
        if clean_text(item) == "":
            continue
        key, sep, value = item.partition("=")
        if not sep:
            zh = f"「{item}」应写成 键=值，多项用分号分隔"
            en = f"'{item}' should read KEY=value, items separated by ';'"
            raise InputError([Issue(SCENARIOS.title, row, "设置 settings", zh, en)])
        override = (clean_text(key), clean_text(value))
        check_override(override, SCENARIOS.title, row)
        overrides.append(override)
    return Scenario(name, tuple(overrides))


def combine(named: Sequence[Scenario], sets: Sequence[Sequence[Override]]) -> list[Scenario]:
    """Cross the named scenarios (or the workbook as it is) with every ``--set`` combination."""
    bases = list(named) or [Scenario("", ())]
    grid = list(itertools.product(*sets)) if sets else [()]
    scenarios = []
    for base, combo in itertools.product(bases, grid):
        extra = " ".join(f"{key}={value}" for key, value in combo)
        name = " · ".join(part for part in (base.name, extra) if part) or "原设置 as is"
        scenarios.append(Scenario(name, (*base.overrides, *combo)))
    return scenarios


def _option_issue(option: str, zh: str, en: str) -> Issue:
    return Issue(option, None, None, zh, en)
