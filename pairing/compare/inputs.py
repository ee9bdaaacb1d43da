"""What differs between the inputs two plans were solved from, read from their input copies.

Settings are compared by what they mean: a key is found as the 参数 sheet finds it (Chinese or
English, ``P13 路程`` or ``P13``), and a key one plan leaves out counts as its default, so
``P13`` left out and ``P13 = 1`` are the same setting. Values compare as numbers when both are
numbers (``2`` and ``2.0`` agree), else as cleaned text.

Every other input sheet is compared row by row: keyed by its id column(s) (:data:`KEYS`) when
each row of both copies has a key and no key repeats, so that a row is *changed* column by
column; otherwise (a sheet without an id column, or blank or repeated keys) whole rows are
compared, and a row is only *added* or *removed*. Columns are the contract's, by key, and any
extra column by its header.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pairing.compare.sides import PlanSide
from pairing.domain.cells import CellError, clean_text, parse_float
from pairing.domain.model import Settings
from pairing.domain.rules import RULES_BY_ID
from pairing.domain.schema import INPUT_SHEETS, SETTINGS
from pairing.domain.settings import find_key
from pairing.io.tables import RawTable

# Sheet key -> the columns that identify a row (a sheet not listed compares whole rows).
KEYS: dict[str, tuple[str, ...]] = {
    "units": ("unit_id",),
    "villages": ("village_id",),
    "history": ("unit_id", "village_id", "start_year"),
    "rules": ("unit_id", "village_id"),
    "obligations": ("code",),
    "holidays": ("date",),
    "scores": ("unit_id", "village_id"),
    "members": ("member_id",),
    "households": ("household_id",),
    "village_members": ("member_id",),
    "groups": ("village_id", "group"),
    "areas": ("village_id",),
    "unit_changes": ("old_unit_id",),
    "scenarios": ("name",),
}
Record = dict[str, str]  # a row's cleaned cells by column label


@dataclass(frozen=True, slots=True)
class SettingChange:
    """A setting whose value differs; ``a``/``b`` as written, None when left out (default)."""

    key: str
    name: str
    a: str | None
    b: str | None
    default: str


@dataclass(frozen=True, slots=True)
class Row:
    """A row added or removed: its key (or the whole row), Excel row in its copy, its cells."""

    key: str
    row: int
    values: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class RowChange:
    """A row in both copies (same key) with cells that differ: ``(column, a, b)``."""

    key: str
    row_a: int
    row_b: int
    columns: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True, slots=True)
class SheetDiff:
    """One input sheet's differences; ``keyed_by`` empty when whole rows were compared."""

    key: str
    title: str
    keyed_by: tuple[str, ...]
    added: tuple[Row, ...]
    removed: tuple[Row, ...]
    changed: tuple[RowChange, ...]
    headers: Mapping[str, str]  # column label -> header as shown (中文 (key))


@dataclass(frozen=True, slots=True)
class InputDiff:
    """Settings changed, input sheets with differences, and whether the input files agree."""

    same_file: bool
    settings: tuple[SettingChange, ...]
    sheets: tuple[SheetDiff, ...]


def diff_inputs(a: PlanSide, b: PlanSide) -> InputDiff:
    """Compare the input copies of two plans (see the module notes)."""
    sheets = []
    for spec in INPUT_SHEETS:
        if spec.key == SETTINGS.key:
            continue
        table_a, table_b = a.tables.get(spec.key), b.tables.get(spec.key)
        if table_a is None and table_b is None:
            continue
        sheet = diff_sheet(spec.key, spec.title, table_a, table_b)
        if sheet.added or sheet.removed or sheet.changed:
            sheets.append(sheet)
    same = bool(a.input_sha256) and a.input_sha256 == b.input_sha256
    return InputDiff(same, _settings(a.tables, b.tables), tuple(sheets))


def _settings(a: Mapping[str, RawTable], b: Mapping[str, RawTable]) -> tuple[SettingChange, ...]:
    values_a, values_b = _setting_values(a.get("settings")), _setting_values(b.get("settings"))
    changes = []
    for key in sorted(values_a.keys() | values_b.keys()):
        default = _default(key)
        given_a, given_b = values_a.get(key), values_b.get(key)
        if not same_value(
            default if given_a is None else given_a, default if given_b is None else given_b
        ):
            changes.append(SettingChange(key, _setting_name(key), given_a, given_b, default))
    return tuple(changes)


def _setting_values(table: RawTable | None) -> dict[str, str]:
    """The 参数 copy's values by setting key (a key the sheet reader would not know: as written)."""
    if table is None:
        return {}
    out = {}
    for _, values in table.rows:
        written = clean_text(table.get(values, "key"))
        spec = find_key(written)
        key = written if spec is None else spec if isinstance(spec, str) else spec.key
        out[key] = clean_text(table.get(values, "value"))
    return out


def _setting_spec(key: str) -> Any:
    spec = find_key(key)
    return None if spec is None or isinstance(spec, str) else spec


def _default(key: str) -> str:
    """A setting's value when left out: a rule's default weight, else the settings default."""
    if key in RULES_BY_ID:
        return clean_text(RULES_BY_ID[key].default_weight)
    spec = _setting_spec(key)
    return "" if spec is None else clean_text(getattr(Settings(), spec.field, None))


def _setting_name(key: str) -> str:
    if key in RULES_BY_ID:
        return f"{key} {RULES_BY_ID[key].zh}"
    spec = _setting_spec(key)
    return key if spec is None else f"{spec.zh} {spec.key}"


def same_value(a: str, b: str) -> bool:
    """Two cleaned cells agree: as numbers when both are numbers, else as text."""
    if a == b:
        return True
    try:
        return parse_float(a) == parse_float(b)
    except CellError:
        return False


def diff_sheet(key: str, title: str, a: RawTable | None, b: RawTable | None) -> SheetDiff:
    """Compare two copies of one input sheet (either may be absent: no rows)."""
    rows_a, rows_b = _records(a), _records(b)
    headers = {**_headers(b), **_headers(a)}
    keyed_by = KEYS.get(key, ())
    if keyed_by and _keyed(rows_a, keyed_by) and _keyed(rows_b, keyed_by):
        added, removed, changed = _by_key(rows_a, rows_b, keyed_by)
    else:
        keyed_by, changed = (), ()
        added, removed = _by_row(rows_a, rows_b)
    return SheetDiff(key, title, keyed_by, added, removed, changed, headers)


def _labels(table: RawTable) -> list[tuple[str, int]]:
    """Each column's label and index: the contract's by key, then extra ones by header."""
    matched = set(table.columns.values())
    extra = [
        (header, index)
        for index, header in enumerate(table.headers)
        if header and index not in matched
    ]
    return [*sorted(table.columns.items(), key=lambda item: item[1]), *extra]


def _headers(table: RawTable | None) -> dict[str, str]:
    if table is None:
        return {}
    known = {column.key: column.header for column in table.spec.columns}
    return {label: known.get(label, label) for label, _ in _labels(table)}


def _records(table: RawTable | None) -> list[tuple[int, Record]]:
    if table is None:
        return []
    labels = _labels(table)
    return [
        (number, {label: clean_text(values[i]) if i < len(values) else "" for label, i in labels})
        for number, values in table.rows
    ]


def _key_of(record: Record, keyed_by: tuple[str, ...]) -> str:
    return " / ".join(record.get(column, "") for column in keyed_by)


def _keyed(rows: list[tuple[int, Record]], keyed_by: tuple[str, ...]) -> bool:
    """Whether every row has its whole key and no key repeats."""
    keys = [tuple(record.get(column, "") for column in keyed_by) for _, record in rows]
    return all(all(part for part in key) for key in keys) and len(set(keys)) == len(keys)


def _by_key(
    rows_a: list[tuple[int, Record]], rows_b: list[tuple[int, Record]], keyed_by: tuple[str, ...]
) -> tuple[tuple[Row, ...], tuple[Row, ...], tuple[RowChange, ...]]:
    index_a = {_key_of(record, keyed_by): (n, record) for n, record in rows_a}
    index_b = {_key_of(record, keyed_by): (n, record) for n, record in rows_b}
    added = tuple(Row(k, n, r) for k, (n, r) in index_b.items() if k not in index_a)
    removed = tuple(Row(k, n, r) for k, (n, r) in index_a.items() if k not in index_b)
    changed = []
    for key, (row_a, record_a) in index_a.items():
        if key not in index_b:
            continue
        row_b, record_b = index_b[key]
        columns = tuple(
            (label, record_a.get(label, ""), record_b.get(label, ""))
            for label in dict.fromkeys([*record_a, *record_b])
            if not same_value(record_a.get(label, ""), record_b.get(label, ""))
        )
        if columns:
            changed.append(RowChange(key, row_a, row_b, columns))
    return added, removed, tuple(changed)


def _by_row(
    rows_a: list[tuple[int, Record]], rows_b: list[tuple[int, Record]]
) -> tuple[tuple[Row, ...], tuple[Row, ...]]:
    """Whole rows, as multisets: a row B has more often than A is added, and the reverse."""

    def canonical(record: Record) -> tuple[tuple[str, str], ...]:
        return tuple(sorted((label, text) for label, text in record.items() if text))

    def left_over(rows: list[tuple[int, Record]], other: Counter[Any]) -> tuple[Row, ...]:
        spare = Counter(other)
        out = []
        for number, record in rows:
            form = canonical(record)
            if spare[form]:
                spare[form] -= 1
            else:
                out.append(Row(" · ".join(text for _, text in form), number, record))
        return tuple(out)

    count_a = Counter(canonical(record) for _, record in rows_a)
    count_b = Counter(canonical(record) for _, record in rows_b)
    return left_over(rows_b, count_a), left_over(rows_a, count_b)


def input_json(inputs: InputDiff) -> dict[str, Any]:
    """The input differences as JSON data."""
    return {
        "same_input_file": inputs.same_file,
        "settings": [
            {"key": s.key, "name": s.name, "a": s.a, "b": s.b, "default": s.default}
            for s in inputs.settings
        ],
        "sheets": {
            sheet.key: {
                "title": sheet.title,
                "keyed_by": list(sheet.keyed_by),
                "added": [
                    {"key": r.key, "row": r.row, "values": dict(r.values)} for r in sheet.added
                ],
                "removed": [
                    {"key": r.key, "row": r.row, "values": dict(r.values)} for r in sheet.removed
                ],
                "changed": [
                    {
                        "key": c.key,
                        "row_a": c.row_a,
                        "row_b": c.row_b,
                        "columns": {label: {"a": va, "b": vb} for label, va, vb in c.columns},
                    }
                    for c in sheet.changed
                ],
            }
            for sheet in inputs.sheets
        },
    }
