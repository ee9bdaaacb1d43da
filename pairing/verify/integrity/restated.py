"""What the plan restates from its input, re-derived cell by cell: names, places, counts.

A reader of 结对方案 reads a pair's village name, town, unit name, system and strength, and
whether it continues (延续), since when (起始年) and whether it is locked (锁定); 村视图 lists
each village's units (by name and id), needs, uncovered needs, systems and strength;
单位视图 each unit's number of villages, its villages (by name and id) and towns; 指标 counts
pairs and places without coordinates. Each such cell is compared with what the input (the plan's copies, or
``--input``) says, exactly for text; a difference is an ``EDT`` finding naming the sheet, the
row and the column. A column the writer writes and the sheet lacks, and a second sheet that
spells a plan sheet (only the first is judged), are findings too.

Texts compare as the file holds them: the writer stores a text exactly (no ``'`` before a
formula-like name), except the characters XML cannot hold (U+FFFD) and CR (read as LF).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from pairing.domain import plan_schema as layout
from pairing.domain.cells import CellError, clean_text, parse_float, quote
from pairing.domain.digest import column_letter
from pairing.domain.model import Problem, Unit, Village
from pairing.domain.plan_schema import requiring
from pairing.domain.schema import INPUT_SHEETS, Sheet
from pairing.verify.integrity.provenance import written
from pairing.verify.reading.grids import Grids
from pairing.verify.reading.inputs import INPUT_PREFIX, InputData
from pairing.verify.reading.plan_sheets import PROVENANCE, SCHEDULE_FACTS, SUMMARY
from pairing.verify.reading.tables import Row, Table, find_table, match_sheet, to_table
from pairing.verify.report.findings import EDITED, Finding
from pairing.verify.rules.facts import Facts, PairKey
from pairing.verify.rules.hard import PlanPairs

LIST_SEPARATOR = "、"
NUMBER_TOLERANCE = 1e-9


@dataclass(frozen=True, slots=True)
class Listing:
    """A list cell of units or villages, each by name and id (``县医院 (U028)、市财政局 (U015)``).

    ``items``: each place as the cell states it; ``ids``: their ids. The order is not judged
    (a reader may sort the rows); a plan written before names were listed states the ids
    alone, which still agrees.
    """

    items: tuple[str, ...]
    ids: frozenset[str]


def listing(places: Iterable[Unit | Village]) -> Listing:
    """Return the list cell of ``places``: ``name (id)`` each (the id alone if unnamed)."""
    chosen = list(places)
    items = tuple(f"{place.name} ({place.id})" if place.name else place.id for place in chosen)
    return Listing(items, frozenset(place.id for place in chosen))


Expected = str | float | frozenset[str] | Listing | None  # text, number, list, blank


ARRANGEMENT = requiring(layout.ARRANGEMENT, "no", "village")  # its unit columns vary
ASSIGNMENTS = requiring(layout.ASSIGNMENTS, "village_id")
BY_VILLAGE = requiring(layout.BY_VILLAGE, "village_id")
BY_UNIT = requiring(layout.BY_UNIT, "unit_id")
KEYED_SUMMARY = requiring(layout.SUMMARY, "key")
STRENGTH = requiring(layout.STRENGTH, "village_id")
SINGLE_SHEETS = (
    ARRANGEMENT,
    ASSIGNMENTS,
    STRENGTH,
    BY_VILLAGE,
    BY_UNIT,
    SUMMARY,
    PROVENANCE,
    SCHEDULE_FACTS,
)


@dataclass(frozen=True, slots=True)
class Source:
    """Where an expected value comes from, in words (``输入「单位 units」第 5 行``)."""

    zh: str
    en: str


def listed(cell: object) -> frozenset[str]:
    """Return the items of a list cell (ids or tags joined by 、).

    ``cell``: the cell.

    Returns the items, blank ones left out.
    """
    return frozenset(item for item in clean_text(cell).split(LIST_SEPARATOR) if item)


def agrees(cell: object, expected: Expected) -> bool:
    """Return whether a cell states the expected value.

    ``cell``: the cell as read; ``expected``: text (exact), a number, a set of list items, or
    ``None`` / ``''`` for a blank cell.

    Returns ``True`` when they agree.
    """
    if expected is None or expected == "":
        return cell is None or cell == ""
    if isinstance(expected, frozenset):
        return listed(cell) == expected
    if isinstance(expected, Listing):
        return _lists(cell, expected)
    if isinstance(expected, float):
        return _same_number(cell, expected)
    return isinstance(cell, str) and written(cell) == written(expected)


def _lists(cell: object, expected: Listing) -> bool:
    """Whether a cell states exactly the listed places, in some order, or (older plans) their ids."""
    if not isinstance(cell, str):
        return not expected.items and (cell is None or cell == "")
    if listed(cell) == expected.ids and all(LIST_SEPARATOR not in i for i in expected.ids):
        return True
    return _splits(written(cell), tuple(written(item) for item in expected.items), set())


def _splits(text: str, items: tuple[str, ...], failed: set[tuple[int, tuple[str, ...]]]) -> bool:
    """Whether ``text`` is ``items`` joined by 、 in some order (a name may hold 、 itself).

    ``failed``: the (length left, items left) already tried, so that names that are prefixes
    of one another cost no more than once each.
    """
    if len(items) <= 1:
        return text == (items[0] if items else "")
    state = (len(text), items)
    if state in failed:
        return False
    for index, item in enumerate(items):
        rest = items[:index] + items[index + 1 :]
        head = item + LIST_SEPARATOR
        if text.startswith(head) and _splits(text[len(head) :], rest, failed):
            return True
    failed.add(state)
    return False


def _same_number(cell: object, expected: float) -> bool:
    if cell is None or cell == "":
        return False
    try:
        number = parse_float(cell)
    except CellError:
        return False
    return abs(number - expected) <= NUMBER_TOLERANCE * max(1.0, abs(expected))


def shown(value: object) -> str:
    """Return a value for a message (a list sorted, a blank said so).

    ``value``: a cell or an expected value.

    Returns at most 40 characters.
    """
    if isinstance(value, frozenset):
        value = LIST_SEPARATOR.join(sorted(value))
    if isinstance(value, Listing):
        value = LIST_SEPARATOR.join(value.items)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return quote(value) or "空 blank"


@dataclass(frozen=True, slots=True)
class Checker:
    """Compares the rows of one plan sheet with what they should state.

    ``table``: the sheet as found; ``spec``: its columns as the writer writes them.
    """

    table: Table
    spec: Sheet

    def label(self, key: str) -> str:
        """Return a column's letters and header (``E 单位名称 (unit_name)``)."""
        return f"{column_letter(self.table.columns[key] + 1)} {self.spec.column(key).header}"

    def missing_columns(self) -> list[Finding]:
        """Return a finding per column the writer writes and the sheet lacks."""
        return [
            Finding(
                EDITED,
                self.table.sheet,
                None,
                f"缺少「{column.header}」列（方案写出后被改动）",
                f"the column '{column.header}' is missing (edited after the plan was written)",
                column.header,
            )
            for column in self.spec.columns
            if column.key not in self.table.columns
        ]

    def row(
        self, number: int, values: Row, expected: Mapping[str, Expected], source: Source
    ) -> Iterator[Finding]:
        """Yield a finding per cell of one row that does not state its expected value."""
        for key, value in expected.items():
            if key not in self.table.columns:
                continue  # reported once by missing_columns
            cell = self.table.get(values, key)
            if agrees(cell, value):
                continue
            header = self.spec.column(key).header
            yield Finding(
                EDITED,
                self.table.sheet,
                number,
                f"「{header}」写为「{shown(cell)}」，应为「{shown(value)}」（{source.zh}）",
                f"'{header}' says '{shown(cell)}', expected '{shown(value)}' ({source.en})",
                self.label(key),
            )


def restated_findings(
    grids: Grids, data: InputData, facts: Facts, pairs: PlanPairs
) -> list[Finding]:
    """Return every restated cell of the plan that differs from the input, and sheet-level faults.

    ``data``: the input as read; ``pairs``: the plan's distinct known pairs.

    Returns ``EDT`` findings with sheet, row and column.
    """
    found = repeated_sheets(grids)
    for spec, rows in (
        (ASSIGNMENTS, assignment_rows),
        (BY_VILLAGE, village_rows),
        (BY_UNIT, unit_rows),
    ):
        table = find_table(grids, spec)
        if table is not None:
            checker = Checker(table, spec)
            found += checker.missing_columns()
            found += rows(checker, data, facts, pairs)
    found += summary_counts(grids, data.problem, facts, pairs)
    return found


def repeated_sheets(grids: Grids) -> list[Finding]:
    """Return a finding per second sheet that spells a plan sheet or an input copy.

    Returns one per sheet after the first of its kind (only the first is judged).
    """
    first: dict[str, str] = {}
    found: list[Finding] = []
    for name, grid in grids.items():
        kind = sheet_kind(name)
        if kind is None or to_table(name, kind[1], grid) is None:
            continue
        if kind[0] not in first:
            first[kind[0]] = name
            continue
        judged = first[kind[0]]
        found.append(
            Finding(
                EDITED,
                name,
                None,
                f"又一张「{kind[1].title}」表：核验只读第一张「{judged}」（方案写出后被改动）",
                f"another '{kind[1].title}' sheet: verify judges only the first, '{judged}' "
                "(edited after the plan was written)",
            )
        )
    return found


def sheet_kind(name: str) -> tuple[str, Sheet] | None:
    """Return which plan sheet or input copy a sheet name spells, if any.

    ``name``: a sheet name of the plan.

    Returns ``(kind, spec)``: the kind tells a copy (``输入·units``) from a plan sheet.
    """
    if name.startswith(INPUT_PREFIX):
        spec = match_sheet(name[len(INPUT_PREFIX) :], INPUT_SHEETS)
        return None if spec is None else (INPUT_PREFIX + spec.key, spec)
    spec = match_sheet(name, SINGLE_SHEETS)
    return None if spec is None else (spec.key, spec)


def input_row(data: InputData, sheet: str, row: int) -> Source:
    """Return the source of an input cell: its sheet and row."""
    name = data.sheet(sheet)
    return Source(f"输入「{name}」第{row}行", f"input '{name}' row {row}")


def assignment_rows(
    checker: Checker, data: InputData, facts: Facts, pairs: PlanPairs
) -> list[Finding]:
    """Compare each pair's first 结对方案 row with its unit, its village and its history.

    - ``checker``: the 结对方案 sheet.
    - ``facts``: running pairs and 必须 rules.
    - ``pairs``: the plan's pairs and the row each was first listed on.

    Returns differing cells.
    """
    problem, table = data.problem, checker.table
    found: list[Finding] = []
    first_rows = {row: pair for pair, row in pairs.rows.items()}
    for number, values in table.rows:
        pair = first_rows.get(number)
        if pair is None:
            continue  # unknown ids and repeats are INT findings already
        unit, village = problem.unit(pair[0]), problem.village(pair[1])
        found += checker.row(
            number, values, village_cells(village), input_row(data, "villages", village.row)
        )
        found += checker.row(number, values, unit_cells(unit), input_row(data, "units", unit.row))
        found += checker.row(number, values, *history_cells(data, facts, pair))
    return found


def village_cells(village: Village) -> dict[str, Expected]:
    """Return what a 结对方案 row states about its village."""
    return {"village_name": village.name, "town": village.town}


def unit_cells(unit: Unit) -> dict[str, Expected]:
    """Return what a 结对方案 row states about its unit."""
    return {"unit_name": unit.name, "system": unit.system, "strength": float(unit.strength)}


def _yes(flag: bool) -> str:
    return "是" if flag else "否"


def history_cells(
    data: InputData, facts: Facts, pair: PairKey
) -> tuple[dict[str, Expected], Source]:
    """Return what a 结对方案 row states about its pair's history and locks, and whence.

    ``facts``: running pairs (the earliest running 历史结对 row) and 必须 rules; ``pair``: ``(unit_id,
    village_id)``.

    Returns 延续, 起始年 and 锁定, and their source in words.
    """
    running, must = facts.running.get(pair), facts.must.get(pair)
    cells: dict[str, Expected] = {
        "continued": _yes(running is not None),
        "since_year": None if running is None else float(running.start_year),
        "locked": _yes(must is not None),
    }
    history, rules = data.sheet("history"), data.sheet("rules")
    zh = [f"「{history}」第{running.row}行" if running else f"「{history}」无进行中的结对"]
    en = [f"'{history}' row {running.row}" if running else f"no running pair on '{history}'"]
    zh.append(f"「{rules}」第{must.row}行必须" if must else f"「{rules}」无必须")
    en.append(f"must on '{rules}' row {must.row}" if must else f"no must on '{rules}'")
    return cells, Source("输入" + "，".join(zh), "input: " + ", ".join(en))


RECOMPUTED = Source("由输入与结对方案重算", "recomputed from the input and the pairs")


def village_rows(
    checker: Checker, data: InputData, facts: Facts, pairs: PlanPairs
) -> list[Finding]:
    """Compare each 村视图 row with its village and the units the plan gives it.

    ``checker``: the 村视图 sheet; ``facts``: not needed here (the rows share one signature).

    Returns differing cells, and rows of villages the input does not hold.
    """
    problem, table = data.problem, checker.table
    found: list[Finding] = []
    members = pairs.of_village()
    for number, values in owned_rows(
        table, "village_id", problem.village_index, "村", "village", found
    ):
        village = problem.village(table.text(values, "village_id"))
        units = [problem.unit(unit_id) for unit_id in members.get(village.id, [])]
        found += checker.row(number, values, village_view(village, units), RECOMPUTED)
    return found


def village_view(village: Village, units: list[Unit]) -> dict[str, Expected]:
    """Return what a 村视图 row states: the village, and the units the plan gives it."""
    skills = frozenset().union(*(unit.skills for unit in units))
    return {
        "name": village.name,
        "town": village.town,
        "typical": _yes(village.typical),
        "units": listing(units),
        "needs": village.needs,
        "uncovered": village.needs - skills,
        "systems": frozenset(unit.system for unit in units if unit.system),
        "strength": float(sum(unit.strength for unit in units)),
    }


def unit_rows(checker: Checker, data: InputData, facts: Facts, pairs: PlanPairs) -> list[Finding]:
    """Compare each 单位视图 row with its unit and the villages the plan gives it.

    ``checker``: the 单位视图 sheet; ``facts``: not needed here (the rows share one signature).

    Returns differing cells, and rows of units the input does not hold.
    """
    problem, table = data.problem, checker.table
    found: list[Finding] = []
    villages = pairs.of_unit()
    for number, values in owned_rows(table, "unit_id", problem.unit_index, "单位", "unit", found):
        unit = problem.unit(table.text(values, "unit_id"))
        mine = [problem.village(village_id) for village_id in villages.get(unit.id, [])]
        expected: dict[str, Expected] = {
            "name": unit.name,
            "system": unit.system,
            "villages": float(len(mine)),
            "village_ids": listing(mine),
            "towns": frozenset(village.town for village in mine),
        }
        found += checker.row(number, values, expected, RECOMPUTED)
    return found


def owned_rows(
    table: Table, key: str, known: Mapping[str, int], zh: str, en: str, sink: list[Finding]
) -> Iterable[tuple[int, Row]]:
    """Yield the rows of a view whose id the input holds; the others become findings.

    - ``table``: the view.
    - ``key``: its id column.
    - ``known``: the input's ids.
    - ``zh``, ``en``: what the id names (``村``, ``village``).

    Returns ``(row, values)`` of known ids.
    """
    rows = []
    for number, values in table.rows:
        owner = table.text(values, key)
        if owner in known:
            rows.append((number, values))
            continue
        sink.append(
            Finding(
                EDITED,
                table.sheet,
                number,
                f"输入中没有{zh}「{quote(owner)}」",
                f"the input has no {en} '{quote(owner)}'",
                column_letter(table.columns[key] + 1),
            )
        )
    return rows


def coordinate_counts(problem: Problem, facts: Facts, pairs: PlanPairs) -> dict[str, float]:
    """Return the 指标 counts of places without coordinates and of pairs without a distance.

    Returns by 指标 key.
    """
    return {
        "villages_without_coordinates": float(
            sum(v.lat is None or v.lon is None for v in problem.villages)
        ),
        "units_without_coordinates": float(
            sum(u.lat is None or u.lon is None for u in problem.units)
        ),
        "pairs_without_distance": float(sum(facts.km(pair) is None for pair in pairs.rows)),
        "pairs": float(len(pairs.rows)),
    }


def summary_counts(grids: Grids, problem: Problem, facts: Facts, pairs: PlanPairs) -> list[Finding]:
    """Compare the 指标 counts a reader can recompute (pairs, places without coordinates).

    Returns one per differing count (a missing key is not judged here).
    """
    spec = KEYED_SUMMARY
    table = find_table(grids, spec)
    if table is None:
        return []
    checker, counts = Checker(table, spec), coordinate_counts(problem, facts, pairs)
    found: list[Finding] = []
    for number, values in table.rows:
        key = table.text(values, "key")
        if key in counts:
            found += checker.row(number, values, {"value": counts[key]}, RECOMPUTED)
    return found
