"""``pairing sweep``: each scenario is the plan ``pairing solve`` gives with its settings."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from pairing.app.solve import SolveJob, solve_job
from pairing.domain.errors import InputError
from pairing.examples.province import generate, write
from pairing.province import Cluster
from pairing.province.sweep import SweepJob, combine, pareto, parse_set, sweep_job

SETTINGS_CSV = "参数 settings.csv"


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small county (8 villages) as a folder of CSV files (copy before editing)."""
    folder = tmp_path_factory.mktemp("sweep") / "county"
    write(generate(7, sizes=(8,), max_km=100.0), folder)
    return folder


def _with_setting(county: Path, target: Path, key: str, value: str) -> Path:
    """A copy of the county whose 参数 row ``key`` (English id in the key cell) reads ``value``."""
    shutil.copytree(county, target)
    path = target / SETTINGS_CSV
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    hits = [row for row in rows[1:] if key in row[0].split()]
    assert len(hits) == 1
    hits[0][1] = value
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return target


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pairing", *args], capture_output=True, text=True, check=False
    )


def test_sweep_agrees_with_separate_solves(county: Path, tmp_path: Path) -> None:
    job = SweepJob(
        county, tmp_path / "sweep.xlsx", ("P13=0.2,3",), cluster=Cluster(workers=2, engine="pool")
    )
    swept = sweep_job(job)
    assert [row.name for row in swept.rows] == ["P13=0.2", "P13=3"]
    for row, value in zip(swept.rows, ("0.2", "3"), strict=True):
        alone = _with_setting(county, tmp_path / f"in{value}", "P13", value)
        solved = solve_job(SolveJob(alone, tmp_path / f"plan{value}.xlsx"))
        assert row.plan is not None and row.plan.facts.proven and solved.plan.facts.proven
        assert row.plan.facts.objective == pytest.approx(solved.plan.facts.objective, abs=1e-6)
        pairs = {(p.village_id, p.unit_id) for p in row.plan.pairs}
        assert pairs == {(p.village_id, p.unit_id) for p in solved.plan.pairs}
    book = openpyxl.load_workbook(tmp_path / "sweep.xlsx")
    assert book.sheetnames == ["方案对比 scenarios", "各方案结对 assignments", "权衡图 chart"]
    assert len(book["权衡图 chart"]._charts) == 1
    summary = list(book["方案对比 scenarios"].iter_rows(values_only=True))
    assert [r[0] for r in summary[1:]] == ["P13=0.2", "P13=3"]
    assert summary[1][4] == pytest.approx(swept.rows[0].plan.facts.objective, abs=1e-3)  # type: ignore[union-attr]
    long = list(book["各方案结对 assignments"].iter_rows(values_only=True))[1:]
    assert len(long) == sum(len(r.plan.pairs) for r in swept.rows if r.plan)


def test_pareto_on_hand_built_points() -> None:
    points = [(1.0, 5.0), (2.0, 4.0), (1.0, 4.0), (3.0, 1.0), None, (2.0, 4.0), (0.5, 5.0)]
    # (1,4) is beaten by (1,5); (0.5,5) by (1,5); the two (2,4) tie and both stand.
    assert pareto(points) == {0, 1, 3, 5}
    assert pareto([None, None]) == set()


def test_set_parsing_and_combination() -> None:
    sets = [parse_set("P13=1,2"), parse_set("需求必须覆盖=否，是")]
    names = [s.name for s in combine([], sets)]
    assert names == [
        "P13=1 需求必须覆盖=否",
        "P13=1 需求必须覆盖=是",
        "P13=2 需求必须覆盖=否",
        "P13=2 需求必须覆盖=是",
    ]
    with pytest.raises(InputError, match="P99"):
        parse_set("P99=1")
    with pytest.raises(InputError, match="P13_max_km=far"):
        parse_set("P13_max_km=10,far")
    with pytest.raises(InputError, match="P01"):
        parse_set("P01=3")


def test_cli_bad_set_exits_3(county: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.xlsx"
    done = _run("sweep", str(county), "--set", "P13=1,-2", "-o", str(out))
    assert done.returncode == 3, done.stderr
    assert "P13=-2" in done.stderr and "negative" in done.stderr
    assert "Traceback" not in done.stderr and not out.exists()
    done = _run("sweep", str(county), "--set", "nonsense=1", "-o", str(out))
    assert done.returncode == 3 and "nonsense" in done.stderr


def test_cli_scenarios_sheet_json(county: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(county, folder)
    with (folder / "方案对比 scenarios.csv").open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(
            [["方案", "设置"], ["近一点", "P13=3"], ["原样", ""], ["加强", "P12=30；P10_hard=否"]]
        )
    out = tmp_path / "s.xlsx"
    done = _run("sweep", str(folder), "-o", str(out), "--json", "--workers", "2")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    names = [s["name"] for s in data["scenarios"]]
    assert names == ["近一点", "原样", "加强"]
    assert data["scenarios"][0]["settings"] == "P13=3"
    assert all(s["objective"] is not None and s["proven"] for s in data["scenarios"])
    assert data["scenarios"][0]["changed"] == 0
    assert any(s["non_dominated"] for s in data["scenarios"])
    # crossed with --set: 3 named × 2 values
    done = _run("sweep", str(folder), "-o", str(out), "--json", "--set", "P15=0,50")
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["scenarios"]) == 6


def test_cli_bad_scenario_row_is_located(county: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(county, folder)
    with (folder / "方案对比 scenarios.csv").open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([["方案", "设置"], ["甲", "P13=1"], ["乙", "P13=x"]])
    done = _run("sweep", str(folder), "-o", str(tmp_path / "s.xlsx"))
    assert done.returncode == 3
    assert "方案对比" in done.stderr and "3" in done.stderr and "P13=x" in done.stderr


def test_check_validates_the_scenarios_sheet(county: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(county, folder)
    with (folder / "方案对比 scenarios.csv").open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([["方案", "设置"], ["甲", "P13=1"]])
    done = _run("check", str(folder))
    assert done.returncode == 0 and "1 个方案" in done.stdout, done.stderr
    with (folder / "方案对比 scenarios.csv").open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([["方案", "设置"], ["甲", "P13"], ["甲", "P13=1"]])
    done = _run("check", str(folder))
    assert done.returncode == 3
    assert "第2行" in done.stderr or "row 2" in done.stderr
    assert "重复" in done.stderr or "repeats" in done.stderr


def test_cli_no_plan_in_any_scenario_exits_4(county: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.xlsx"
    done = _run("sweep", str(county), "--set", "P13_max_km=0.01,0.02", "-o", str(out), "-q")
    assert done.returncode == 4, done.stderr
    assert not out.exists() and "Traceback" not in done.stderr
