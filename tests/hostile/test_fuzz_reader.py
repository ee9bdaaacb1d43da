"""Property tests: the reader never crashes, and reads every valid spelling of a workbook.

Two properties, each for ``.xlsx`` (through openpyxl) and for CSV folders:

* **never crash**: a workbook of random sheets, headers and cells (every cell type, odd
  Unicode, merged cells, title rows) reads into a Problem or raises an :class:`InputError`
  whose issues are all located; anything else is a bug;
* **round trip**: a valid input written with random sheet-name and header spellings, title
  rows, decorated ids (full-width, zero-width, bidi marks) and numbers typed as text reads
  back to exactly its ids.

The budget comes from the Hypothesis profile (``ci`` by default; see ``conftest.py``).
"""

from __future__ import annotations

import datetime as dt
import math
import tempfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from pairing.domain.cells import clean_text
from pairing.domain.errors import InputError
from pairing.domain.schema import INPUT_SHEETS, UNITS, VILLAGES, Sheet
from pairing.io.reader import read_input

from .workbooks import Rows, Sheets, write_csv_folder

ODD = [
    "１２３",
    "U\u200b1",
    "臺灣縣",
    "\u200f\u05d0\u05d1",
    "🙂🙃",
    "2026-01-05",
    "2026年1月5日",
    "是",
    "否",
    "必须 must",
    "nan",
    "inf",
    "1e400",
    "-0",
    "\u3000",
    "=1+1",
    "#N/A",
    "(",
    "（）",
    "\x07bell",
]
TITLES = ["2026年结对共建单位表", "高州市重点村名单（盖章）", "", "说明：请勿修改表头"]

texts = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
    max_size=12,
)
cells = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e308, -1e308, 5e-324, 1e-300, 2.5, 46000.0]),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)),
    st.sampled_from(ODD),
    texts,
)


def spellings(zh: str, en: str) -> st.SearchStrategy[str]:
    """Return the ways a planner may spell a sheet or column name."""
    return st.sampled_from(
        [zh, en, f"{zh} ({en})", f"{zh}（{en}）", f" {en.upper()} ", f"{zh} {en}", en.title()]
    )


@st.composite
def sheet_grid(draw: st.DrawFn, spec: Sheet) -> Rows:
    """Draw a grid for ``spec``: title rows, a header of some columns, rows of any cells."""
    titles: Rows = [[draw(st.sampled_from(TITLES))] for _ in range(draw(st.integers(0, 2)))]
    columns = draw(st.lists(st.sampled_from(spec.columns), max_size=len(spec.columns) + 1))
    header: list[object] = [draw(spellings(c.zh, c.key)) for c in columns]
    body = draw(st.lists(st.lists(cells, max_size=len(columns) + 2), max_size=6))
    return [*titles, header, *body]


@st.composite
def any_book(draw: st.DrawFn) -> Sheets:
    """Draw a workbook: some contract sheets under any spelling, maybe a stranger sheet."""
    specs = draw(st.lists(st.sampled_from(INPUT_SHEETS), min_size=1, max_size=5, unique=True))
    book: Sheets = {}
    for spec in draw(st.permutations(specs)):
        book[draw(spellings(spec.zh, spec.key))] = draw(sheet_grid(spec))
    if draw(st.booleans()):
        book["其他 notes"] = [[draw(cells)] for _ in range(3)]
    return book


def xlsx_safe(value: object) -> object:
    """Return what openpyxl can store for ``value`` (no XML-illegal control characters)."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def write_fuzzed_xlsx(path: Path, book: Sheets, merge: bool) -> Path:
    """Write ``book`` with openpyxl, merging each title row across three columns if asked."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for name, rows in book.items():
        sheet = workbook.create_sheet(name[:31] or "x")
        for row in rows:
            sheet.append([xlsx_safe(v) for v in row])
        if merge and rows and len(rows[0]) == 1:
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=3)
    workbook.save(path)
    return path


def assert_read_or_located(path: Path, names: set[str]) -> None:
    """Read ``path``: a Problem, or an InputError whose every issue names a known sheet."""
    known = names | {spec.title for spec in INPUT_SHEETS} | {path.name}
    known |= {f"{name}.csv" for name in names}
    try:
        read_input(path)
    except InputError as error:
        assert error.issues
        for issue in error.issues:
            assert issue.sheet in known, issue
            assert issue.column is None or issue.row is not None, issue
            assert issue.zh and issue.en, issue


@given(any_book(), st.booleans())
def test_xlsx_never_crashes(book: Sheets, merge: bool) -> None:
    """Any workbook of random content reads or is refused with located issues."""
    with tempfile.TemporaryDirectory() as folder:
        path = write_fuzzed_xlsx(Path(folder) / "in.xlsx", book, merge)
        assert_read_or_located(path, {name[:31] or "x" for name in book})


@given(any_book(), st.sampled_from(["utf-8-sig", "gb18030"]))
def test_csv_folder_never_crashes(book: Sheets, encoding: str) -> None:
    """The same for a folder of CSV files, in UTF-8 or GBK, control characters included."""
    with tempfile.TemporaryDirectory() as folder:
        names = {name.strip().replace("/", "_") or "x" for name in book}
        sheets = {name.strip().replace("/", "_") or "x": rows for name, rows in book.items()}
        path = write_csv_folder(Path(folder) / "in", sheets, encoding)
        assert_read_or_located(path, names)


# --- round trip --------------------------------------------------------------------------

ids = st.sampled_from(
    [
        lambda s: s,
        lambda s: f"  {s} ",
        lambda s: s.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)}),  # full width
        lambda s: s[0] + "\u200b" + s[1:],
        lambda s: "\u200f" + s,
        lambda s: "\ufeff" + s + "\u00ad",
    ]
)
names = texts.map(lambda t: ILLEGAL_CHARACTERS_RE.sub("", t)).filter(
    lambda t: clean_text(t) != "" and not t.startswith(("=", "#"))
)
counts: st.SearchStrategy[Callable[[int], object]] = st.sampled_from(
    [
        lambda n: n,
        lambda n: float(n),
        lambda n: str(n),
        lambda n: f"{n}".translate({48 + d: 0xFF10 + d for d in range(10)}),
    ]
)


@st.composite
def valid_book(draw: st.DrawFn) -> tuple[Sheets, list[str], list[str]]:
    """Draw a valid input in random spellings; return it with its unit and village ids."""
    n_units, n_villages = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    unit_ids = [f"U{i}" for i in range(1, n_units + 1)]
    village_ids = [f"V{i}" for i in range(1, n_villages + 1)]
    typed = draw(counts)
    units = [[draw(ids)(uid), draw(names), typed(0), typed(n_villages), "备注"] for uid in unit_ids]
    villages = [[draw(ids)(vid), draw(names), "曹江镇", typed(1)] for vid in village_ids]
    unit_head: list[object] = [
        draw(spellings(c.zh, c.key))
        for c in (
            UNITS.column("unit_id"),
            UNITS.column("name"),
            UNITS.column("min_villages"),
            UNITS.column("max_villages"),
        )
    ]
    village_head: list[object] = [
        draw(spellings(c.zh, c.key))
        for c in (
            VILLAGES.column("village_id"),
            VILLAGES.column("name"),
            VILLAGES.column("town"),
            VILLAGES.column("units_required"),
        )
    ]
    titles: Rows = [[draw(st.sampled_from(TITLES[:2]))] for _ in range(draw(st.integers(0, 2)))]
    sheets: list[tuple[str, Rows]] = [
        (draw(spellings("单位", "units")), [*titles, [*unit_head, "额外列"], *units]),
        (draw(spellings("村", "villages")), [*titles, village_head, [], *villages]),
    ]
    return dict(draw(st.permutations(sheets))), unit_ids, village_ids


def assert_reads_back(path: Path, unit_ids: list[str], village_ids: list[str]) -> None:
    """Read ``path`` and compare the ids with what was written."""
    problem = read_input(path).problem
    assert [unit.id for unit in problem.units] == unit_ids
    assert [village.id for village in problem.villages] == village_ids
    assert all(unit.max_villages == len(village_ids) for unit in problem.units)
    assert not any(math.isnan(unit.strength) for unit in problem.units)


@given(valid_book(), st.booleans())
def test_valid_xlsx_in_any_spelling_reads_back(
    drawn: tuple[Sheets, list[str], list[str]], merge: bool
) -> None:
    """Every spelling of a valid workbook reads, with the ids as written (cleaned)."""
    book, unit_ids, village_ids = drawn
    with tempfile.TemporaryDirectory() as folder:
        path = write_fuzzed_xlsx(Path(folder) / "in.xlsx", book, merge)
        assert_reads_back(path, unit_ids, village_ids)


@given(valid_book(), st.sampled_from(["utf-8-sig", "gb18030"]))
def test_valid_csv_folder_in_any_spelling_reads_back(
    drawn: tuple[Sheets, list[str], list[str]], encoding: str
) -> None:
    """The same as CSV files in UTF-8 or GBK (names are files, so spellings are file names)."""
    book, unit_ids, village_ids = drawn
    with tempfile.TemporaryDirectory() as folder:
        path = write_csv_folder(Path(folder) / "in", book, encoding)
        assert_reads_back(path, unit_ids, village_ids)
