"""The people layer of the Gaozhou example: seeded, within the issue's ranges, feasible by build,
written to the example workbook and covered end to end by ``pairing cover``."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from pairing.domain.people import Household, VillageMember
from pairing.examples.gaozhou import HOUSEHOLDS_PER_TEAM, GaozhouExample, generate
from pairing.examples.people import (
    CATEGORY_WEIGHTS,
    VillageFacts,
    check_people,
    example_people,
    village_facts,
)
from pairing.examples.round2 import NEW_UNITS, write_second_round
from pairing.io.people import People, read_people
from pairing.io.reader import read_input


@pytest.fixture(scope="module")
def example() -> GaozhouExample:
    return generate()


@pytest.fixture(scope="module")
def facts(example: GaozhouExample) -> list[VillageFacts]:
    return village_facts(example.problem())


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pairing", *map(str, args)], capture_output=True, text=True
    )


def test_people_are_the_domain_records_and_deterministic(example: GaozhouExample) -> None:
    people = example.people
    assert isinstance(people, People)
    assert all(isinstance(h, Household) for h in people.households)
    assert all(isinstance(m, VillageMember) for m in people.village_members)
    assert example_people(example.problem(), example.seed) == people
    assert generate(example.seed + 1).people != people


def test_ranges_and_sums(example: GaozhouExample, facts: list[VillageFacts]) -> None:
    people = example.people
    for village in facts:
        listed = [h for h in people.households if h.village_id == village.village_id]
        groups = [g for g in people.groups if g.village_id == village.village_id]
        members = [m for m in people.village_members if m.village_id == village.village_id]
        assert 20 <= len(listed) <= min(60, HOUSEHOLDS_PER_TEAM * village.team_bound)
        assert 8 <= len(groups) <= 20
        assert sum(g.households for g in groups) == village.households
        assert 20 <= len(members) <= 80
        assert {h.group for h in listed} <= {g.name for g in groups}
        assert Counter(m.role for m in members)["secretary"] == 1
        assert {m.group for m in members} == {g.name for g in groups}  # no 零党员小组
    tags = Counter(c for h in people.households for c in h.categories)
    assert set(tags) == set(CATEGORY_WEIGHTS)
    assert tags.most_common(1)[0][0] == "脱贫户"
    assert all(h.persons == 1 for h in people.households if "独居老人" in h.categories)
    assert all(h.lat is not None and h.lon is not None for h in people.households)
    ids = [m.id for m in people.unit_members]
    assert len(ids) == len(set(ids)) == len(example.members)
    most = {u.id: u.max_villages for u in example.units}
    office = [m for m in people.unit_members if most[m.unit_id] == 3]
    assert office and all((m.max_households or 0) >= 3 * HOUSEHOLDS_PER_TEAM for m in office)
    towns = Counter(a.name for a in people.areas)
    assert len(towns) > len({v.town for v in facts}) / 2  # a few 片区 per town, ≤ 2 villages each
    assert max(towns.values()) <= 2


def test_check_people_catches_a_group_without_leaders(
    example: GaozhouExample, facts: list[VillageFacts]
) -> None:
    people = example.people
    most = {u.id: u.max_villages for u in example.units}
    assert check_people(people, facts, HOUSEHOLDS_PER_TEAM, most=most) == []
    low = dataclasses.replace(people.unit_members[0], max_households=HOUSEHOLDS_PER_TEAM - 1)
    short = dataclasses.replace(people, unit_members=(low, *people.unit_members[1:]))
    assert any("< N x its villages" in p for p in check_people(short, facts, HOUSEHOLDS_PER_TEAM))
    group = people.groups[0]
    away = tuple(
        dataclasses.replace(m, group="elsewhere")
        if (m.village_id, m.group) == (group.village_id, group.name)
        else m
        for m in people.village_members
    )
    broken = dataclasses.replace(people, village_members=away)
    problems = check_people(broken, facts, HOUSEHOLDS_PER_TEAM)
    assert any("too few members to lead" in p for p in problems)


def test_check_people_catches_too_many_households(
    example: GaozhouExample, facts: list[VillageFacts]
) -> None:
    tight = [dataclasses.replace(v, team_bound=1) for v in facts]
    problems = check_people(example.people, tight, HOUSEHOLDS_PER_TEAM)
    assert any("households > N" in p for p in problems)


def test_pairing_draws_do_not_move(example: GaozhouExample) -> None:
    """The people parts use their own random sources: the pairing records are unchanged."""
    without = dataclasses.replace(generate(), people=example.people)
    assert without == example
    assert example_people(example.problem(), example.seed) == example.people


def test_people_read_back_from_the_workbook(tmp_path: Path, example: GaozhouExample) -> None:
    out = tmp_path / "g.xlsx"
    assert _run("example", "gaozhou", out).returncode == 0
    source = read_input(out)
    read = read_people(source.book, frozenset(v.id for v in source.problem.villages))
    strip = dataclasses.replace
    assert [strip(h, row=0) for h in read.households] == list(example.people.households)
    assert [strip(m, row=0) for m in read.village_members] == list(example.people.village_members)
    assert [strip(g, row=0) for g in read.groups] == list(example.people.groups)
    assert [strip(a, row=0) for a in read.areas] == list(example.people.areas)
    assert [(m.id, m.max_households) for m in read.unit_members] == [
        (m.id, m.max_households) for m in example.people.unit_members
    ]
    assert source.problem.settings.cover_households_per_team == HOUSEHOLDS_PER_TEAM


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``pairing example gaozhou``, ``solve`` and ``cover``, run once: each must exit 0."""
    folder = tmp_path_factory.mktemp("chain")
    paths = {name: folder / f"{name}.xlsx" for name in ("in", "plan", "cover")}
    assert _run("example", "gaozhou", paths["in"]).returncode == 0
    solved = _run("solve", paths["in"], "-o", paths["plan"], "-q")
    assert solved.returncode == 0, solved.stderr
    done = _run("cover", paths["plan"], "-o", paths["cover"])
    assert done.returncode == 0, done.stderr
    return paths


def test_cover_on_the_example_end_to_end(chain: dict[str, Path], example: GaozhouExample) -> None:
    """example → solve → cover exits 0 with every listed household, teams, grids and roster,
    and the cover passes ``pairing verify``."""
    cover = chain["cover"]
    book = openpyxl.load_workbook(cover, read_only=True)
    rows = {ws.title: list(ws.iter_rows(values_only=True))[1:] for ws in book.worksheets}
    book.close()
    listed = sorted(h.id for h in example.people.households)
    assert sorted(r[0] for r in rows["包户 cover"]) == listed
    assert len(rows["结对小组 teams"]) >= 4 * len(example.villages)
    assert all(r[8] <= HOUSEHOLDS_PER_TEAM for r in rows["结对小组 teams"])  # C04
    grids = rows["网格 grids"]
    assert sum(r[4] for r in grids) == sum(g.households for g in example.people.groups)
    assert max(r[4] for r in grids) <= 30  # G01
    assert len({r[5] for r in grids}) == len(grids)  # G04: one leader per grid
    levels = Counter(r[2] for r in rows["责任清单 roster"])
    assert set(levels) == {"包片", "包村", "包组", "包户"}
    assert levels["包组"] == len(example.people.groups)
    checked = _run("verify", cover)  # every rule C01-C14, G01-G06 re-derived independently
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_second_round_covers_with_the_first_cover_as_baseline(
    chain: dict[str, Path], tmp_path: Path
) -> None:
    """The second round (a merger, two new units, a forbid) keeps the people; its new units
    have teams and every 最多户数 holds for the unit's villages now: cover --baseline exits 0
    and verifies."""
    story = write_second_round(tmp_path / "r2.xlsx")
    new = {unit_id for unit_id, _, _ in NEW_UNITS}
    staff = [m for m in story.example.people.unit_members if m.unit_id in new]
    assert {m.unit_id for m in staff} == new and all(m.max_households for m in staff)
    plan, cover = tmp_path / "plan2.xlsx", tmp_path / "cover2.xlsx"
    solved = _run("solve", tmp_path / "r2.xlsx", "-o", plan, "--baseline", chain["plan"], "-q")
    assert solved.returncode == 0, solved.stderr
    done = _run("cover", plan, "-o", cover, "--baseline", chain["cover"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert _run("verify", cover).returncode == 0
