"""``pairing example gaozhou``: a realistic county that reads back, is deterministic and feasible."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from pairing.cli import cli
from pairing.domain.pairs import PairFacts
from pairing.domain.schema import INPUT_SHEETS
from pairing.examples.gaozhou import (
    DEFAULT_SEED,
    MIN_ELIGIBLE,
    SKILL_TAGS,
    GaozhouExample,
    data_rows,
    generate,
    witness_problems,
    write_example,
)
from pairing.io.reader import Input, read_input
from pairing.solve.overview import eligible_counts, short_villages

COMMITTED = Path(__file__).resolve().parents[1] / "examples" / "gaozhou.xlsx"
SYSTEMS = {"党委部门", "人大政协", "政府部门", "群团", "事业单位", "驻高单位", "国企", "金融"}
Cells = dict[str, list[tuple[object, ...]]]


def cell_values(path: Path) -> Cells:
    """Return every sheet's cell values, by sheet title."""
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}
    finally:
        book.close()


@pytest.fixture(scope="module")
def example() -> GaozhouExample:
    """The example for the default seed."""
    return generate(DEFAULT_SEED)


@pytest.fixture(scope="module")
def example_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example written once for the module."""
    path = tmp_path_factory.mktemp("example") / "gaozhou.xlsx"
    write_example(path, DEFAULT_SEED)
    return path


@pytest.fixture(scope="module")
def example_input(example_path: Path) -> Input:
    """The written example read back through the validating reader."""
    return read_input(example_path)


def test_reads_back_with_108_units_and_54_villages(example_input: Input) -> None:
    """The workbook is valid and holds Gaozhou's 108 units and 54 villages."""
    problem = example_input.problem
    assert len(problem.units) == 108
    assert len(problem.villages) == 54
    assert {v.units_required for v in problem.villages} == {2}


def test_every_sheet_but_holidays_is_filled(example_input: Input) -> None:
    """Every input sheet is present; all but 节假日 (built-in calendar) and the second round's
    单位变更 and 基线结对 have rows, the people sheets of the 1+1+N cover included."""
    assert example_input.defaulted == ()
    empty = {key for key, table in example_input.book.tables.items() if not table.rows}
    assert empty == {
        "holidays",
        "unit_changes",  # the second round has them (pairing example gaozhou-round2)
        "baseline",
    }
    assert set(example_input.book.tables) == {sheet.key for sheet in INPUT_SHEETS}


def test_same_seed_gives_identical_cells(example_path: Path, tmp_path: Path) -> None:
    """Generating twice with one seed gives the same value in every cell."""
    again = tmp_path / "again.xlsx"
    write_example(again, DEFAULT_SEED)
    assert cell_values(again) == cell_values(example_path)


def test_different_seed_gives_different_data(example_path: Path, tmp_path: Path) -> None:
    """Another seed changes the data (units' strengths, villages, history)."""
    other = tmp_path / "other.xlsx"
    write_example(other, DEFAULT_SEED + 1)
    assert cell_values(other)["单位 units"] != cell_values(example_path)["单位 units"]


def test_committed_example_matches_the_generator(example_path: Path) -> None:
    """``examples/gaozhou.xlsx`` is what the default seed generates today."""
    assert cell_values(COMMITTED) == cell_values(example_path)


def test_demand_lies_within_the_units_places(example_input: Input) -> None:
    """The villages' 108 places lie between the least and most the units can fill."""
    problem = example_input.problem
    least, most = problem.slots
    assert least <= problem.demand <= most
    assert problem.demand == 108


def test_every_village_has_enough_eligible_units(example_input: Input) -> None:
    """No village is short of eligible units, and each keeps at least four."""
    problem = example_input.problem
    facts = PairFacts(problem)
    assert short_villages(problem, facts) == []
    assert min(eligible_counts(problem, facts)) >= MIN_ELIGIBLE


def test_hidden_witness_is_feasible_for_the_read_back_problem(
    example: GaozhouExample, example_input: Input
) -> None:
    """The generator's hidden assignment obeys P01-P05 on the workbook as read."""
    problem = example_input.problem
    assert witness_problems(problem, PairFacts(problem), example.witness) == []


@pytest.mark.parametrize("seed", range(12))
def test_any_seed_generates_a_feasible_example(seed: int) -> None:
    """Generation checks its own feasibility; it succeeds for many seeds."""
    generated = generate(seed)
    assert len(generated.witness) == 108


def test_the_office_takes_three_locked_villages(example_input: Input) -> None:
    """市委办 has min = max = 3 and three 必须 locks (程村村, 元坝村, 柏桥村)."""
    problem = example_input.problem
    office = next(u for u in problem.units if u.name == "中共高州市委办公室")
    assert (office.min_villages, office.max_villages) == (3, 3)
    locked = {problem.village(r.village_id).name for r in problem.rules if r.unit_id == office.id}
    assert locked == {"程村村", "元坝村", "柏桥村"}


def test_external_partner_shares_yaoxin(example_input: Input) -> None:
    """投资促进中心 and 茂名石化高州分公司 are both locked to 耀新村."""
    problem = example_input.problem
    musts = {
        problem.unit(r.unit_id).name
        for r in problem.pair_rules("must")
        if problem.village(r.village_id).name == "耀新村"
    }
    assert musts == {"高州市投资促进中心", "茂名石化高州分公司"}


def test_rules_bind(example_input: Input) -> None:
    """Rotation blocks long pairs, a 差 pair runs, a forbid hits a good running pair, a need is scarce."""
    problem = example_input.problem
    facts = PairFacts(problem)
    names = {(problem.units[u].name, problem.villages[v].name) for u, v in facts.tenure_blocked}
    assert ("高州市林业局", "帅堂村") in names
    assert len(names) >= 2
    assert any(p.rating == "差" for p in facts.current.values())
    assert any(
        facts.current.get(pair, None) and facts.current[pair].rating == "好"
        for pair in facts.forbid
    )
    needs = Counter(tag for v in problem.villages for tag in v.needs)
    offers = Counter(tag for u in problem.units for tag in u.skills)
    assert any(needs[tag] > offers[tag] for tag in needs)


def test_history_is_about_two_thirds_running(example_input: Input) -> None:
    """About two thirds of the 108 places are running pairs, begun 2019-2023, plus ended pairs."""
    history = example_input.problem.history
    running = [p for p in history if p.end_year is None]
    assert 60 <= len(running) <= 80
    assert {p.start_year for p in running} <= set(range(2019, 2024))
    assert any(p.end_year is not None for p in history)


def test_some_units_may_take_no_village(example_input: Input) -> None:
    """A few reserve units have min_villages 0, so supply brackets demand with the office at 3."""
    reserve = [u for u in example_input.problem.units if u.min_villages == 0]
    assert 2 <= len(reserve) <= 4


def test_teams_have_two_to_six_members_with_leaders(example_input: Input) -> None:
    """Each unit has 2-6 team members, 1-2 of them 组长."""
    members = example_input.problem.members
    size = Counter(m.unit_id for m in members)
    leaders = Counter(m.unit_id for m in members if m.role == "leader")
    for unit in example_input.problem.units:
        assert 2 <= size[unit.id] <= 6
        assert 1 <= leaders[unit.id] <= 2


def test_blackouts_cover_spring_festival_and_harvests(example_input: Input) -> None:
    """Spring Festival for all, harvest seasons for towns, and units' own dates are blacked out."""
    kinds = Counter(b.scope_kind for b in example_input.problem.blackouts)
    assert kinds["all"] >= 1 and kinds["town"] >= 2 and kinds["unit"] >= 1


def test_unit_profiles_use_the_eight_systems_and_known_tags() -> None:
    """The 108 unit profiles are unique, in the eight systems, with skills from the tag list."""
    rows = data_rows("unit_profiles.csv")
    assert len(rows) == len({row["unit_zh"] for row in rows}) == 108
    assert {row["system"] for row in rows} == SYSTEMS
    tags = {tag for row in rows for tag in row["skills"].split("、")}
    assert tags <= set(SKILL_TAGS)


def test_cli_example_writes_a_checkable_workbook(tmp_path: Path) -> None:
    """``pairing example gaozhou OUT`` exits 0, writes OUT, and ``pairing check OUT`` exits 0."""
    out = tmp_path / "g.xlsx"
    runner = CliRunner()
    made = runner.invoke(cli, ["example", "gaozhou", str(out), "--seed", "7"])
    assert made.exit_code == 0, made.output
    assert out.exists()
    assert runner.invoke(cli, ["check", str(out)]).exit_code == 0


def test_cli_example_missing_argument_is_a_usage_error() -> None:
    """Without OUT, and with an unknown example name, the command exits 2."""
    runner = CliRunner()
    assert runner.invoke(cli, ["example", "gaozhou"]).exit_code == 2
    assert runner.invoke(cli, ["example", "nowhere", "x.xlsx"]).exit_code == 2
