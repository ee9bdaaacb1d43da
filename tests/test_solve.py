"""The pairing optimizer: every rule binds on a tiny case and not on another; infeasible
inputs exit 4 naming the culprits; plans are deterministic and pass their own hard checks."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

import pytest
from click.testing import CliRunner

from pairing.cli import cli
from pairing.domain.errors import InfeasibleError
from pairing.domain.model import PairRule, PastPairing, Problem, Score, Settings, Unit, Village
from pairing.io.reader import read_input
from pairing.solve.checks import hard_checks
from pairing.solve.optimize import SolveOptions, solve

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "gaozhou.xlsx"
SEAT = (21.90, 110.85)


def unit(
    uid: str,
    *,
    km_east: float = 0.0,
    system: str = "",
    strength: float = 2.0,
    skills: tuple[str, ...] = (),
    low: int = 1,
    high: int = 1,
) -> Unit:
    """A unit about ``km_east`` km east of the seat."""
    return Unit(
        uid,
        uid,
        system,
        strength,
        None,
        frozenset(skills),
        low,
        high,
        SEAT[0],
        SEAT[1] + km_east / 103.0,
    )


def village(
    vid: str,
    *,
    km_east: float = 10.0,
    town: str = "甲镇",
    needs: tuple[str, ...] = (),
    typical: bool = False,
    required: int = 1,
) -> Village:
    """A village about ``km_east`` km east of the seat."""
    return Village(
        vid,
        vid,
        town,
        SEAT[0],
        SEAT[1] + km_east / 103.0,
        needs=frozenset(needs),
        typical=typical,
        units_required=required,
    )


def weights(**changes: float) -> Settings:
    """Default settings with some weights changed (plan year fixed for determinism)."""
    w = dict(Settings().weights)
    w.update(changes)
    return Settings(plan_year=2027, weights=MappingProxyType(w), time_limit_s=20)


def pairs_of(problem: Problem) -> set[tuple[str, str]]:
    """Solve and return the (unit, village) pairs."""
    plan, _ = solve(problem, SolveOptions())
    assert all(result.startswith(("通过", "未启用")) for _, result, _ in hard_checks(problem, plan))
    return {(p.unit_id, p.village_id) for p in plan.pairs}


def two_by_two(**kw: object) -> Problem:
    """Two units, two villages: U1 is near V1, U2 near V2, unless changed."""
    base = {
        "units": (unit("U1", km_east=0), unit("U2", km_east=40)),
        "villages": (village("V1", km_east=5), village("V2", km_east=45)),
        "settings": weights(),
    }
    base.update(kw)
    return Problem(**base)  # type: ignore[arg-type]


def test_p13_distance_pairs_the_near_units() -> None:
    """P13 binds: each village gets the unit near it."""
    assert pairs_of(two_by_two()) == {("U1", "V1"), ("U2", "V2")}


def test_p13_off_lets_other_terms_decide() -> None:
    """With P13 off and a preference, the far pairing is taken (P13 no longer binds)."""
    rules = (PairRule("U1", "V2", "prefer", 1),)
    assert pairs_of(two_by_two(settings=weights(P13=0), rules=rules)) == {
        ("U1", "V2"),
        ("U2", "V1"),
    }


def test_p03_must_overrides_distance() -> None:
    """P03 binds: a locked far pair is in the plan."""
    rules = (PairRule("U1", "V2", "must"),)
    assert ("U1", "V2") in pairs_of(two_by_two(rules=rules))


def test_p04_forbid_removes_the_best_pair() -> None:
    """P04 binds: the near pair is forbidden, so the far one is used."""
    rules = (PairRule("U1", "V1", "forbid"),)
    assert ("U1", "V1") not in pairs_of(two_by_two(rules=rules))


def test_p05_rotation_drops_long_running_pair() -> None:
    """P05 binds when max_tenure_years is reached; without it the good pair is renewed."""
    history = (PastPairing("U1", "V2", 2018, None, "好"),)
    assert ("U1", "V2") in pairs_of(two_by_two(history=history, settings=weights(P13=0.1)))
    rotated = replace(weights(P13=0.1), max_tenure_years=6)
    assert ("U1", "V2") not in pairs_of(two_by_two(history=history, settings=rotated))


def test_p10_needs_pull_a_skilled_unit() -> None:
    """P10 binds: V1 needs 电商, only far U2 has it; with P10 off distance wins."""
    units = (unit("U1", km_east=0), unit("U2", km_east=40, skills=("电商",)))
    villages = (village("V1", km_east=20, needs=("电商",)), village("V2", km_east=25))
    assert ("U2", "V1") in pairs_of(Problem(units, villages, settings=weights()))
    assert ("U1", "V1") in pairs_of(Problem(units, villages, settings=weights(P10=0)))


def test_p11_systems_differ_in_a_village() -> None:
    """P11 binds: V1 needs two units; two near ones share a system, so one far one joins."""
    units = (
        unit("U1", km_east=0, system="甲"),
        unit("U2", km_east=1, system="甲"),
        unit("U3", km_east=15, system="乙"),
        unit("U4", km_east=45, system="乙"),
    )
    villages = (village("V1", km_east=5, required=2), village("V2", km_east=45, required=2))
    chosen = pairs_of(Problem(units, villages, settings=weights(P11=100)))
    assert {u for u, v in chosen if v == "V1"} != {"U1", "U2"}
    assert {
        u for u, v in pairs_of(Problem(units, villages, settings=weights(P11=0))) if v == "V1"
    } == {"U1", "U2"}


def test_p12_typical_village_gets_the_strong_unit() -> None:
    """P12 binds: the typical village gets the strong unit even if it is farther."""
    units = (unit("U1", km_east=0, strength=1), unit("U2", km_east=30, strength=5))
    villages = (village("V1", km_east=5, typical=True), village("V2", km_east=25))
    assert ("U2", "V1") in pairs_of(Problem(units, villages, settings=weights(P12=10)))
    assert ("U1", "V1") in pairs_of(Problem(units, villages, settings=weights(P12=0)))


def test_p14_keeps_good_and_drops_failed_pairs() -> None:
    """P14 binds both ways: a good far pair is kept, a failed near pair is dropped."""
    good = (PastPairing("U1", "V2", 2023, None, "好"),)
    assert ("U1", "V2") in pairs_of(two_by_two(history=good, settings=weights(P13=0.2)))
    failed = (PastPairing("U1", "V1", 2023, None, "差"),)
    assert ("U1", "V1") not in pairs_of(two_by_two(history=failed, settings=weights(P13=0.2)))
    assert ("U1", "V1") in pairs_of(two_by_two(history=failed, settings=weights(P13=0.2, P14=0)))


def test_p15_multi_village_unit_stays_in_one_town() -> None:
    """P15 binds: a unit taking two villages takes the two of one town."""
    units = (unit("U1", km_east=0, low=2, high=2), unit("U2", km_east=0, low=2, high=2))
    villages = (
        village("V1", km_east=10, town="甲镇"),
        village("V2", km_east=12, town="乙镇"),
        village("V3", km_east=11, town="甲镇"),
        village("V4", km_east=13, town="乙镇"),
    )
    chosen = pairs_of(Problem(units, villages, settings=weights(P13=0, P15=25)))
    towns = {
        u: {
            v[1]
            for uu, v in [(a, (b, {"V1": "甲", "V3": "甲"}.get(b, "乙"))) for a, b in chosen]
            if uu == u
        }
        for u in ("U1", "U2")
    }
    assert all(len(t) == 1 for t in towns.values())


def test_p16_and_p17_pull_pairs() -> None:
    """P16 (preference) and P17 (score) bind against mild distance."""
    prefer = (PairRule("U1", "V2", "prefer", 1),)
    assert ("U1", "V2") in pairs_of(two_by_two(rules=prefer, settings=weights(P13=0.2)))
    scores = (Score("U2", "V1", 10.0),)
    assert ("U2", "V1") in pairs_of(two_by_two(scores=scores, settings=weights(P13=0.2)))
    assert ("U2", "V1") not in pairs_of(two_by_two(scores=scores, settings=weights(P13=0.2, P17=0)))


@pytest.mark.parametrize(
    ("rules", "units", "culprit"),
    [
        (
            (
                PairRule("U1", "V1", "must"),
                PairRule("U2", "V1", "must"),
                PairRule("U3", "V1", "must"),
            ),
            3,
            "V1",
        ),
        ((PairRule("U2", "V1", "forbid"), PairRule("U3", "V1", "forbid")), 3, "V1"),
        ((PairRule("U1", "V1", "must"), PairRule("U1", "V2", "must")), 4, "U1"),
    ],
)
def test_infeasible_inputs_name_the_culprit(
    rules: tuple[PairRule, ...], units: int, culprit: str
) -> None:
    """Over-locked villages, all-but-one forbidden villages and overloaded units are named."""
    problem = Problem(
        tuple(unit(f"U{i}", low=0, high=1) for i in range(1, units + 1)),
        (village("V1", required=2), village("V2", required=min(2, units - 2))),
        rules=rules,
        settings=weights(),
    )
    with pytest.raises(InfeasibleError) as caught:
        solve(problem, SolveOptions())
    assert culprit in str(caught.value)


def test_slots_below_demand_is_infeasible() -> None:
    """Fewer unit places than the villages need is reported under P01."""
    problem = Problem((unit("U1"),), (village("V1", required=2),), settings=weights())
    with pytest.raises(InfeasibleError, match="P01"):
        solve(problem, SolveOptions())


def test_example_solves_to_proven_optimum_and_is_deterministic() -> None:
    """The Gaozhou example: proven optimal, 108 pairs, hard checks pass, same plan twice."""
    problem = read_input(EXAMPLE).problem
    first, _ = solve(problem, SolveOptions())
    second, _ = solve(problem, SolveOptions())
    assert first.facts.proven and len(first.pairs) == 108
    assert [(p.unit_id, p.village_id) for p in first.pairs] == [
        (p.unit_id, p.village_id) for p in second.pairs
    ]
    assert all(
        r.startswith("通过") or r.startswith("未启用") for _, r, _ in hard_checks(problem, first)
    )


def test_cli_solve_writes_plan_and_exit_4_on_infeasible(tmp_path: Path) -> None:
    """`pairing solve` exits 0 with a plan; an over-locked workbook exits 4 naming rows."""
    out = tmp_path / "plan.xlsx"
    result = CliRunner().invoke(cli, ["solve", str(EXAMPLE), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert out.exists()
    import openpyxl

    sheets = openpyxl.load_workbook(out, read_only=True).sheetnames
    assert {"结对方案 assignments", "指标 summary", "校验 checks", "来源 provenance"} <= set(sheets)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "单位.csv").write_text("单位编号,单位名称\nU1,甲\nU2,乙\nU3,丙\n", encoding="utf-8")
    (bad / "村.csv").write_text(
        "村编号,村名,所属镇,需结对单位数\nV1,一村,甲镇,2\nV2,二村,甲镇,1\n", encoding="utf-8"
    )
    (bad / "指定.csv").write_text(
        "单位编号,村编号,规则\nU1,V1,必须\nU2,V1,必须\nU3,V1,必须\n", encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["solve", str(bad), "-o", str(tmp_path / "x.xlsx"), "-q"])
    assert result.exit_code == 4
    assert "V1" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "x.xlsx").exists()


def test_layers_hold() -> None:
    """import-linter's contracts (layers, ortools only under cpsat, pure domain) hold."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    command = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(command)], cwd=root, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
