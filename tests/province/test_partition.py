"""Partitions: by a column (县) and by the candidate graph's components, and their sub-problems."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import networkx as nx
import pytest

from pairing.domain.errors import InputError
from pairing.domain.model import PairRule, PastPairing, Problem, Score, Unit, Village
from pairing.domain.pairs import PairFacts
from pairing.examples.province import ProvinceExample
from pairing.examples.synthetic import synthetic_county
from pairing.io.reader import Input, read_input
from pairing.province import partition
from pairing.province.columns import by_column, find_header
from pairing.province.components import by_components
from pairing.province.parts import REFERENCE_ID, Assignment, split
from pairing.solve.instance import strength_target

from .conftest import SIZES, column, edited_copy


def county_assignment(example: ProvinceExample, problem: Problem) -> dict[str, set[str]]:
    """Return the ids (units and villages) of each county of the example."""
    out: dict[str, set[str]] = {}
    for unit in problem.units:
        out.setdefault(example.county_of_unit[unit.id], set()).add(unit.id)
    for village in problem.villages:
        out.setdefault(example.county_of_village[village.id], set()).add(village.id)
    return out


def members(assignment: Assignment) -> list[set[str]]:
    """Return the ids (units and villages) of each part of an assignment, in part order."""
    out: list[set[str]] = [set() for _ in assignment.keys]
    for table in (assignment.unit_part, assignment.village_part):
        for name, index in table.items():
            out[index].add(name)
    return out


def test_column_parts_are_the_counties(province: ProvinceExample, province_input: Input) -> None:
    """--partition-by 县 gives one part per county, keyed by its name in sorted order."""
    assignment = by_column(province_input, "县")
    counties = county_assignment(province, province_input.problem)
    assert assignment.keys == tuple(sorted(counties))
    assert members(assignment) == [counties[key] for key in assignment.keys]


@pytest.mark.parametrize("spelling", ["县", "county", " COUNTY ", "县 (county)", "县（county）"])
def test_column_is_found_like_any_header(province_input: Input, spelling: str) -> None:
    """The column is matched case-, space- and width-insensitively, in either language."""
    assert len(by_column(province_input, spelling).keys) == len(SIZES)


def test_find_header_takes_the_first_match() -> None:
    """find_header returns the first header that spells the name, or None."""
    assert find_header(("单位编号 (unit_id)", "县 (county)", "County"), "county") == 1
    assert find_header(("单位编号 (unit_id)",), "县") is None


def test_sub_problems_keep_their_own_records(province_input: Input) -> None:
    """Each part holds its units, villages and the history, rules and scores of its pairs."""
    whole = province_input.problem
    parts = partition(province_input, "县")
    for part in parts:
        units, villages = set(part.unit_ids), {v.id for v in part.problem.villages}
        records: tuple[PastPairing | PairRule | Score, ...] = (
            *part.problem.history,
            *part.problem.rules,
            *part.problem.scores,
        )
        for record in records:
            assert record.unit_id in units and record.village_id in villages
        assert part.problem.settings == whole.settings
        assert part.problem.obligations == whole.obligations
    assert sum(len(p.problem.history) for p in parts) == len(whole.history)
    assert sum(len(p.problem.rules) for p in parts) == len(whole.rules)
    assert sum(len(p.problem.scores) for p in parts) == len(whole.scores)
    assert sorted(u for p in parts for u in p.unit_ids) == sorted(u.id for u in whole.units)


def test_p12_targets_are_the_whole_inputs(province_input: Input) -> None:
    """Every village's P12 target in its part equals its target in the whole input.

    The reference unit (max 0 villages) carries the rest of the input's mean strength.
    """
    whole = province_input.problem
    for part in partition(province_input, "县"):
        reference = [u for u in part.problem.units if u.id == REFERENCE_ID]
        assert all(u.max_villages == 0 for u in reference)
        for index, village in enumerate(part.problem.villages):
            mine = strength_target(part.problem, index)
            assert mine == strength_target(whole, whole.village_index[village.id])


def test_blackouts_reach_the_parts_they_concern() -> None:
    """A blackout for all reaches every part; a town's reaches the parts with that town."""
    from pairing.domain.model import Blackout

    base = synthetic_county(6, 3, plan_year=2027)
    day = __import__("datetime").date(2027, 3, 1)
    towns = sorted({v.town for v in base.villages})
    problem = replace(
        base,
        blackouts=(
            Blackout("all", "全部", day, day),
            Blackout("town", towns[0], day, day),
            Blackout("unit", base.units[-1].id, day, day),
        ),
    )
    first = {v.id for v in problem.villages if v.town == towns[0]}
    assignment = Assignment(
        ("a", "b"),
        {u.id: 0 if i < len(problem.units) - 1 else 1 for i, u in enumerate(problem.units)},
        {v.id: 0 if v.id in first else 1 for v in problem.villages},
    )
    a, b = split(replace(problem, history=(), rules=(), scores=()), assignment)
    assert [x.scope_kind for x in a.problem.blackouts] == ["all", "town"]
    assert [x.scope_kind for x in b.problem.blackouts] == ["all", "unit"]


def test_auto_finds_the_counties_when_max_km_separates_them(
    province: ProvinceExample, province_input: Input
) -> None:
    """--partition-by auto with P13_max_km: the components are exactly the far-apart counties."""
    counties = county_assignment(province, province_input.problem)
    found = members(by_components(province_input.problem))
    assert sorted(map(sorted, found)) == sorted(map(sorted, counties.values()))


def test_auto_without_a_distance_limit_is_one_part(province_input: Input) -> None:
    """Without P13_max_km every unit may reach every village: one component."""
    problem = province_input.problem
    unlimited = replace(problem, settings=replace(problem.settings, max_km=None))
    assert by_components(unlimited).keys == ("#1",)


def tiny(rules: tuple[PairRule, ...] = (), max_villages: int = 1) -> Problem:
    """Two units and two villages (one each), both units seated beside village A."""
    units = (
        Unit("U1", "U1", lat=22.0, lon=110.0),
        Unit("U2", "U2", lat=22.0, lon=110.0, max_villages=max_villages),
    )
    villages = (
        Village("A", "A", "t", lat=22.0, lon=110.0, units_required=1),
        Village("B", "B", "t", lat=22.0, lon=110.01, units_required=1),
    )
    return Problem(units=units, villages=villages, rules=rules)


def test_forbids_can_split_the_graph() -> None:
    """Forbidding U1-B and U2-A leaves two components: U1 with A, U2 with B.

    The forbid rows cross the parts and are dropped: their pairs can never be formed.
    """
    rules = (PairRule("U1", "B", "forbid", row=2), PairRule("U2", "A", "forbid", row=3))
    problem = tiny(rules)
    assignment = by_components(problem)
    assert members(assignment) == [{"U1", "A"}, {"U2", "B"}]
    assert [part.problem.rules for part in split(problem, assignment)] == [(), ()]
    assert len(members(by_components(tiny()))) == 1


def test_a_must_row_keeps_its_pair_together() -> None:
    """A 必须 row joins its pair even where forbids would split the graph around it."""
    rules = (
        PairRule("U1", "B", "forbid", row=2),
        PairRule("U2", "A", "forbid", row=3),
        PairRule("U1", "A", "must", row=4),
        PairRule("U2", "A", "prefer", rank=1, row=5),
    )
    assert len(members(by_components(tiny(rules)))) == 1


def test_a_unit_without_places_joins_the_first_part() -> None:
    """A unit with 最多村数 0 has no candidate pair: it joins part #1 rather than stand alone."""
    problem = tiny(max_villages=0)
    assignment = by_components(problem)
    assert assignment.unit_part["U2"] == 0


def brute_components(problem: Problem) -> list[set[str]]:
    """The components of the candidate graph, built pair by pair from PairFacts.blocked."""
    facts = PairFacts(problem)
    graph = nx.Graph()
    graph.add_nodes_from(("u", u.id) for u in problem.units)
    graph.add_nodes_from(("v", v.id) for v in problem.villages)
    for u, unit in enumerate(problem.units):
        for v, village in enumerate(problem.villages):
            if facts.blocked((u, v)) is None:
                graph.add_edge(("u", unit.id), ("v", village.id))
    rules = tuple(rule for rule in problem.rules if rule.verb != "forbid")
    records: tuple[PastPairing | PairRule | Score, ...] = (
        *problem.history,
        *rules,
        *problem.scores,
    )
    for record in records:
        graph.add_edge(("u", record.unit_id), ("v", record.village_id))
    return [{name for _, name in c} for c in nx.connected_components(graph)]


@pytest.mark.parametrize("seed", range(8))
def test_auto_matches_a_brute_force_graph(seed: int) -> None:
    """On random small inputs (limits, forbids, unplaceable units) the components are exact."""
    rng = random.Random(seed)
    base = synthetic_county(8, seed, plan_year=2027)
    units = tuple(
        replace(u, max_villages=0, min_villages=0) if rng.random() < 0.1 else u for u in base.units
    )
    villages = tuple(
        replace(v, lat=v.lat + rng.choice((0, 0, 1.5)), lon=v.lon) if v.lat else v
        for v in base.villages
    )
    forbids = tuple(
        PairRule(rng.choice(units).id, rng.choice(villages).id, "forbid", row=100 + i)
        for i in range(5)
    )
    problem = replace(
        base,
        units=units,
        villages=villages,
        rules=base.rules + forbids,
        settings=replace(base.settings, max_km=rng.choice((None, 30.0, 60.0, 120.0))),
    )
    strays = {u.id for u in units if u.max_villages == 0}
    found = members(by_components(problem))
    expected = brute_components(problem)
    # Strays (and any component without both sides) join part #1: compare the rest exactly.
    proper = [c for c in expected if c & {v.id for v in villages} and c - {v.id for v in villages}]
    assert sorted(map(sorted, (c - strays for c in found))) == sorted(
        map(sorted, (c - strays for c in _merged_strays(proper, expected, villages)))
    )


def _merged_strays(
    proper: list[set[str]], every: list[set[str]], villages: tuple[Village, ...]
) -> list[set[str]]:
    """The expected parts: proper components by first village, improper ones joined to the first."""
    order = {v.id: i for i, v in enumerate(villages)}
    proper = sorted(proper, key=lambda c: min(order[x] for x in c if x in order))
    if not proper:
        return [set().union(*every)]
    first = set(proper[0]).union(*(c for c in every if c not in proper))
    return [first, *proper[1:]]


def errors_of(folder: Path, by: str = "县") -> list[str]:
    """Return the issues (as text) of partitioning the input in ``folder``."""
    with pytest.raises(InputError) as caught:
        partition(read_input(folder), by)
    return [str(issue) for issue in caught.value.issues]


def test_missing_column_names_the_sheet(province_folder: Path, tmp_path: Path) -> None:
    """A partition column absent from the villages sheet is an input error naming it."""

    def drop(rows: list[list[str]]) -> None:
        index = column(rows, "county")
        for row in rows:
            del row[index]

    folder = edited_copy(province_folder, tmp_path / "in", {"村 villages": drop})
    (issue,) = errors_of(folder)
    assert "村 villages" in issue and "县" in issue


def test_blank_and_one_sided_values_name_sheet_row_column(
    province_folder: Path, tmp_path: Path
) -> None:
    """A blank 县 on a unit and a 县 only the villages sheet has: sheet, row and column."""

    def units(rows: list[list[str]]) -> None:
        rows[3][column(rows, "county")] = ""

    def villages(rows: list[list[str]]) -> None:
        rows[2][column(rows, "county")] = "无此县"

    folder = edited_copy(
        province_folder, tmp_path / "in", {"单位 units": units, "村 villages": villages}
    )
    issues = errors_of(folder)
    assert len(issues) == 2
    assert "单位 units" in issues[0] and "row 4" in issues[0] and "县 (county)" in issues[0]
    assert "村 villages" in issues[1] and "row 3" in issues[1] and "无此县" in issues[1]


def test_rows_crossing_parts_are_input_errors(province_folder: Path, tmp_path: Path) -> None:
    """History, rule and score rows whose unit and village are in different counties."""

    def cross(rows: list[list[str]]) -> None:
        village = column(rows, "village_id")
        rows[1][village] = "C002-V00001" if rows[1][village].startswith("C001") else "C001-V00001"

    sheets = ("历史结对 history", "指定 rules", "评分 scores")
    folder = edited_copy(province_folder, tmp_path / "in", {name: cross for name in sheets})
    issues = errors_of(folder)
    assert len(issues) == 3
    for sheet, issue in zip(sheets, issues, strict=True):
        assert sheet in issue and "row 2" in issue and "村编号 (village_id)" in issue
