"""A province-sized example: many synthetic counties in one input, with a 县 county column.

Guangdong's 百千万工程 covers 122 counties and about 26,500 villages (``DOMAIN.md``). This
module composes :func:`pairing.examples.synthetic.synthetic_county` once per county: county
sizes follow a log-normal spread (40 to 500 villages, as counties do), every id is prefixed
with the county's code (``C001-U00001``), towns are prefixed with the county's name, and each
county is moved to its own place on a grid over the province. Units and villages carry an
extra column ``县 (county)``, so that ``pairing solve IN --partition-by 县`` solves the
counties side by side.

Every random draw comes from ``random.Random`` seeded with the seed and the name of what is
drawn, so one seed always gives the same cells.
"""

from __future__ import annotations

import math
import random
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from openpyxl.workbook.workbook import Workbook

from pairing.domain.model import PairRule, PastPairing, Problem, Score, Settings, Unit, Village
from pairing.domain.schema import HISTORY, INPUT_SHEETS, RULES_SHEET, SCORES, UNITS, VILLAGES, Sheet
from pairing.examples.synthetic import SEAT, synthetic_county
from pairing.io.output import save_workbook, set_text, write_csv
from pairing.io.rulemodel import RuleModel, load_rule_model
from pairing.io.template import Rows, build_input_workbook, obligation_rows, settings_rows
from pairing.io.workbook_writer import OPTIONAL_FILL, OPTIONAL_FONT, plain_cell, record_row

DEFAULT_SEED = 2024
PLAN_YEAR = 2027
COUNTIES = 122
TOTAL_VILLAGES = 26_500
SMALLEST, LARGEST = 40, 500  # villages of one county (DOMAIN.md: 40-500)
MEDIAN = 170  # log-normal median; SPREAD gives counties of 40 to 500 villages
SPREAD = 0.6
COUNTY_HEADER = "县 (county)"
# Province box (degrees) the county grid spans: roughly Guangdong's.
SOUTH, NORTH, WEST, EAST = 21.3, 24.9, 110.0, 116.8
NAME_HEADS = tuple("安丰和新德怀连清阳英化信兴梅龙紫博惠海陆揭普饶澄郁罗云封开廉遂雷恩台鹤乐宁")
NAME_TAILS = tuple("平江山源川城州水丰安宁阳华远昌南东西北口岭溪林")
EXCEL_ROWS = 1_048_576
Record = TypeVar("Record", Unit, Village, PastPairing, PairRule, Score)


@dataclass(frozen=True, slots=True)
class County:
    """One county of the example: its code (id prefix), name and the problem it holds."""

    code: str
    name: str
    problem: Problem


@dataclass(frozen=True, slots=True)
class ProvinceExample:
    """A generated province: its counties and their records merged into one input.

    Attributes
    ----------
    seed
        The seed it was generated from.
    counties
        The counties in order (codes ``C001``...), each with its own problem.
    problem
        All counties in one problem (ids prefixed, rows numbered as written).
    county_of_unit, county_of_village
        The 县 value of every unit and village id.
    """

    seed: int
    counties: tuple[County, ...]
    problem: Problem
    county_of_unit: dict[str, str]
    county_of_village: dict[str, str]

    @property
    def units(self) -> tuple[Unit, ...]:
        """Return every unit of the province."""
        return self.problem.units

    @property
    def villages(self) -> tuple[Village, ...]:
        """Return every village of the province."""
        return self.problem.villages


def part_rng(seed: int, part: str) -> random.Random:
    """Return the random source of one part of the example (string seeds hash stably)."""
    return random.Random(f"province:{seed}:{part}")


def county_sizes(counties: int, villages: int, seed: int) -> tuple[int, ...]:
    """Return ``counties`` village counts between 40 and 500 that add up to ``villages``.

    Parameters
    ----------
    counties, villages
        How many counties, and villages in all (at least 40 and at most 500 per county).
    seed
        The generator's seed.

    Returns
    -------
    tuple of int
        Log-normal sizes, their excess over 40 stretched to the total (capped at 500) and
        rounded by largest remainders.
    """
    if not SMALLEST * counties <= villages <= LARGEST * counties:
        raise ValueError(f"{villages} villages do not fit {counties} counties of 40-500")
    rng = part_rng(seed, "sizes")
    raw = [rng.lognormvariate(math.log(MEDIAN), SPREAD) for _ in range(counties)]
    excess = [max(0.0, size - SMALLEST) for size in raw]
    scaled = _stretched(excess, villages - SMALLEST * counties)
    sizes = [SMALLEST + math.floor(size) for size in scaled]
    open_ = [i for i in range(counties) if sizes[i] < LARGEST]
    open_.sort(key=lambda i: (sizes[i] - SMALLEST - scaled[i], i))
    for i in open_[: villages - sum(sizes)]:
        sizes[i] += 1
    return tuple(sizes)


def _stretched(excess: Sequence[float], total: float) -> list[float]:
    """Return the excesses times the factor (found by bisection) that sums them, capped, to ``total``."""
    cap = LARGEST - SMALLEST
    low, high = 0.0, 1.0
    while sum(min(cap, e * high) for e in excess) < total and high < 1e9:
        high *= 2
    for _ in range(100):
        middle = (low + high) / 2
        if sum(min(cap, e * middle) for e in excess) < total:
            low = middle
        else:
            high = middle
    return [min(float(cap), e * high) for e in excess]


def county_names(counties: int, seed: int) -> tuple[str, ...]:
    """Return distinct made-up county names (two characters and 县)."""
    rng = part_rng(seed, "names")
    pool = [head + tail for head in NAME_HEADS for tail in NAME_TAILS if head != tail]
    if counties > len(pool):
        raise ValueError(f"at most {len(pool)} counties")
    return tuple(f"{name}县" for name in rng.sample(pool, counties))


def county_centres(counties: int, seed: int) -> tuple[tuple[float, float], ...]:
    """Return one centre per county on a jittered grid over the province box."""
    rng = part_rng(seed, "centres")
    columns = math.ceil(math.sqrt(counties * (EAST - WEST) / (NORTH - SOUTH)))
    rows = math.ceil(counties / columns)
    cells = rng.sample(range(columns * rows), counties)
    step_lat, step_lon = (NORTH - SOUTH) / rows, (EAST - WEST) / columns
    return tuple(
        (
            round(SOUTH + (cell // columns + rng.uniform(0.3, 0.7)) * step_lat, 4),
            round(WEST + (cell % columns + rng.uniform(0.3, 0.7)) * step_lon, 4),
        )
        for cell in cells
    )


def make_county(index: int, size: int, name: str, centre: tuple[float, float], seed: int) -> County:
    """Return county ``index``: a synthetic county with prefixed ids and towns, moved to ``centre``."""
    code = f"C{index + 1:03d}"
    county_seed = part_rng(seed, f"county-{code}").randrange(2**31)
    base = synthetic_county(size, county_seed, plan_year=PLAN_YEAR)
    shift = (centre[0] - SEAT[0], centre[1] - SEAT[1])
    problem = replace(
        base,
        units=tuple(_unit(code, unit, shift) for unit in base.units),
        villages=tuple(_village(code, name, village, shift) for village in base.villages),
        history=tuple(_history(code, past) for past in base.history),
        rules=tuple(_rule(code, rule) for rule in base.rules),
        scores=tuple(_score(code, score) for score in base.scores),
    )
    return County(code, name, problem)


def _moved(value: float | None, by: float) -> float | None:
    return None if value is None else round(value + by, 5)


def _unit(code: str, unit: Unit, shift: tuple[float, float]) -> Unit:
    return replace(
        unit,
        id=f"{code}-{unit.id}",
        lat=_moved(unit.lat, shift[0]),
        lon=_moved(unit.lon, shift[1]),
    )


def _village(code: str, county: str, village: Village, shift: tuple[float, float]) -> Village:
    return replace(
        village,
        id=f"{code}-{village.id}",
        name=f"{county}{village.name}",
        town=f"{county}{village.town}",
        lat=_moved(village.lat, shift[0]),
        lon=_moved(village.lon, shift[1]),
    )


def _history(code: str, past: PastPairing) -> PastPairing:
    return replace(past, unit_id=f"{code}-{past.unit_id}", village_id=f"{code}-{past.village_id}")


def _rule(code: str, rule: PairRule) -> PairRule:
    return replace(rule, unit_id=f"{code}-{rule.unit_id}", village_id=f"{code}-{rule.village_id}")


def _score(code: str, score: Score) -> Score:
    return replace(
        score, unit_id=f"{code}-{score.unit_id}", village_id=f"{code}-{score.village_id}"
    )


def generate(
    seed: int = DEFAULT_SEED, *, sizes: Sequence[int] | None = None, max_km: float | None = None
) -> ProvinceExample:
    """Generate the province example.

    Parameters
    ----------
    seed
        Any integer; the same seed always gives the same example.
    sizes
        Villages per county; by default 122 counties totalling 26,500 villages. Tests pass a
        few tiny counties.
    max_km
        The P13_max_km setting (a hard distance limit), blank by default.

    Returns
    -------
    ProvinceExample
        The counties and their union.
    """
    sizes = tuple(sizes) if sizes is not None else county_sizes(COUNTIES, TOTAL_VILLAGES, seed)
    names = county_names(len(sizes), seed)
    centres = county_centres(len(sizes), seed)
    counties = tuple(
        make_county(i, size, names[i], centres[i], seed) for i, size in enumerate(sizes)
    )
    settings = Settings(plan_year=PLAN_YEAR, seed=seed, max_km=max_km)
    return ProvinceExample(
        seed,
        counties,
        _union(counties, settings),
        {unit.id: c.name for c in counties for unit in c.problem.units},
        {village.id: c.name for c in counties for village in c.problem.villages},
    )


def select_counties(example: ProvinceExample, indices: Sequence[int]) -> ProvinceExample:
    """Return the example restricted to some of its counties (for a benchmark's subset).

    Parameters
    ----------
    example
        A generated province.
    indices
        Positions of the counties to keep, in the order to keep them.

    Returns
    -------
    ProvinceExample
        Those counties alone, rows renumbered, the same settings.
    """
    counties = tuple(example.counties[i] for i in indices)
    return ProvinceExample(
        example.seed,
        counties,
        _union(counties, example.problem.settings),
        {unit.id: c.name for c in counties for unit in c.problem.units},
        {village.id: c.name for c in counties for village in c.problem.villages},
    )


def _union(counties: Sequence[County], settings: Settings) -> Problem:
    """Return every county's records in one problem, rows numbered as they are written."""
    problems = [county.problem for county in counties]
    return Problem(
        units=_numbered(u for p in problems for u in p.units),
        villages=_numbered(v for p in problems for v in p.villages),
        history=_numbered(h for p in problems for h in p.history),
        rules=_numbered(r for p in problems for r in p.rules),
        settings=settings,
        scores=_numbered(s for p in problems for s in p.scores),
    )


def _numbered(records: Iterable[Record]) -> tuple[Record, ...]:
    """Return the records with their Excel rows (2, 3, ...: row 1 is the header)."""
    return tuple(replace(record, row=row) for row, record in enumerate(records, start=2))


def example_tables(example: ProvinceExample, model: RuleModel) -> dict[str, Rows]:
    """Return the rows of every input sheet by key (units and villages without 县)."""
    problem = example.problem
    overrides: dict[str, object] = {"plan_year": PLAN_YEAR, "seed": example.seed}
    if problem.settings.max_km is not None:
        overrides["P13_max_km"] = problem.settings.max_km
    return {
        "units": [record_row(UNITS, unit) for unit in problem.units],
        "villages": [record_row(VILLAGES, v, omit=("units_required",)) for v in problem.villages],
        "history": [record_row(HISTORY, past) for past in problem.history],
        "rules": [record_row(RULES_SHEET, rule) for rule in problem.rules],
        "settings": settings_rows(model, overrides),
        "obligations": obligation_rows(model),
        "scores": [record_row(SCORES, score) for score in problem.scores],
    }


def county_columns(example: ProvinceExample) -> dict[str, list[str]]:
    """Return the 县 value of each row of the units and villages sheets, by sheet key."""
    return {
        "units": [example.county_of_unit[unit.id] for unit in example.units],
        "villages": [example.county_of_village[v.id] for v in example.villages],
    }


def intro(example: ProvinceExample) -> list[str]:
    """Return the README paragraphs that introduce the province example."""
    counties = len(example.counties)
    return [
        f"全省示例（虚构数据，种子 {example.seed}）：{counties} 个县、{len(example.units)} 个单位、"
        f"{len(example.villages)} 个重点村；「县」列用于分区求解：pairing solve 本文件 --partition-by 县",
        f"Province example (synthetic, seed {example.seed}): {counties} counties, "
        f"{len(example.units)} units, {len(example.villages)} villages; the 县 (county) column "
        "splits the solve: pairing solve THIS --partition-by 县",
    ]


def example_workbook(example: ProvinceExample) -> Workbook:
    """Return the example as an input workbook, with the 县 column on units and villages."""
    model = load_rule_model()
    workbook = build_input_workbook(model, example_tables(example, model), intro(example))
    for key, values in county_columns(example).items():
        sheet = next(spec for spec in INPUT_SHEETS if spec.key == key)
        worksheet = workbook[sheet.title]
        column = len(sheet.columns) + 1
        header = plain_cell(worksheet, 1, column)
        set_text(header, COUNTY_HEADER)
        header.font, header.fill = OPTIONAL_FONT, OPTIONAL_FILL
        for row, value in enumerate(values, start=2):
            set_text(plain_cell(worksheet, row, column), value)
    return workbook


def write_csv_folder(example: ProvinceExample, target: Path) -> None:
    """Write the example as a folder of CSV files, one per sheet, replacing ``target`` whole.

    The files are written into a new folder beside ``target``, which then takes its place;
    an existing ``target`` (a folder) is removed only once the new one is complete.
    """
    model = load_rule_model()
    tables = example_tables(example, model)
    extra = county_columns(example)
    target.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        for sheet in INPUT_SHEETS:
            if sheet.key in tables:
                write_csv(building / f"{sheet.title}.csv", _csv_rows(sheet, tables, extra))
        _swap_in(building, target)
    finally:
        shutil.rmtree(building, ignore_errors=True)


def _csv_rows(sheet: Sheet, tables: dict[str, Rows], extra: dict[str, list[str]]) -> Rows:
    """Return a sheet's CSV rows: the bilingual header, then the data (with 县 if it has one)."""
    header: list[object] = [column.header for column in sheet.columns]
    rows = [list(row) for row in tables[sheet.key]]
    if sheet.key in extra:
        header.append(COUNTY_HEADER)
        for row, value in zip(rows, extra[sheet.key], strict=True):
            row.append(value)
    return [header, *rows]


def _swap_in(built: Path, target: Path) -> None:
    """Rename ``built`` to ``target``; an existing folder is moved aside first, then removed."""
    if target.exists() and not target.is_dir():
        raise FileExistsError(f"{target} exists and is not a folder")
    old = target.with_name(f".{target.name}.old")
    if target.exists():
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
    built.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def write(example: ProvinceExample, target: Path) -> None:
    """Write ``example``: a CSV folder, or an ``.xlsx`` when ``target`` ends so.

    Parameters
    ----------
    example
        A generated province.
    target
        A folder (written as CSV files) or an ``.xlsx`` file (written atomically).

    Raises
    ------
    ValueError
        When a sheet would not fit in an xlsx (Excel's 1,048,576 rows).
    """
    if target.suffix.lower() != ".xlsx":
        write_csv_folder(example, target)
        return
    if max(len(example.units), len(example.villages)) + 1 > EXCEL_ROWS:
        raise ValueError("too many rows for one xlsx sheet; write a CSV folder instead")
    save_workbook(example_workbook(example), target)


def write_example(target: Path, seed: int = DEFAULT_SEED) -> ProvinceExample:
    """Generate the 122-county example for ``seed``, write it to ``target`` and return it.

    Parameters
    ----------
    target
        A folder (CSV files) or an ``.xlsx`` file.
    seed
        The generator's seed.

    Returns
    -------
    ProvinceExample
        What was written.
    """
    example = generate(seed)
    write(example, target)
    return example
