"""The command line: ``pairing solve --partition-by`` and ``pairing example province``."""

from __future__ import annotations

import json
import math
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from pairing.cli import cli
from pairing.examples import province as example
from pairing.io.reader import read_input

from .conftest import SIZES, column, edited_copy


def sheet_rows(path: Path, title: str) -> list[tuple[object, ...]]:
    """Return the values of one sheet of a workbook."""
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return list(book[title].iter_rows(values_only=True))
    finally:
        book.close()


def test_solve_by_county_writes_one_verifiable_plan(province_folder: Path, tmp_path: Path) -> None:
    """--partition-by 县: exit 0, JSON with every part, a 分区 parts sheet, and verify passes."""
    plan = tmp_path / "plan.xlsx"
    runner = CliRunner()
    args = [
        "solve",
        str(province_folder),
        "-o",
        str(plan),
        "--partition-by",
        "县",
        "--workers",
        "1",
    ]
    result = runner.invoke(cli, [*args, "--json", "-q"])
    assert result.exit_code == 0, result.output
    facts = json.loads(result.stdout)
    assert sorted(part["villages"] for part in facts["parts"]) == sorted(SIZES)
    assert facts["facts"]["proven"] and facts["partition_by"] == "县"
    assert facts["facts"]["objective"] == pytest.approx(sum(p["objective"] for p in facts["parts"]))
    parts = sheet_rows(plan, "分区 parts")
    assert len(parts) == 1 + len(SIZES) and parts[0][0] == "分区 (part)"
    summary = {row[1]: row[2] for row in sheet_rows(plan, "指标 summary")[1:]}
    assert summary["parts"] == len(SIZES) and summary["partition_by"] == "县"
    assert summary["part_001_status"] == "OPTIMAL"
    assert "输入·单位 units" in openpyxl.load_workbook(plan, read_only=True).sheetnames
    verified = runner.invoke(cli, ["verify", str(plan)])
    assert verified.exit_code == 0, verified.output


def test_solve_by_parts_with_a_schedule(province_folder: Path, tmp_path: Path) -> None:
    """--partition-by auto --schedule: one schedule sheet for all parts; verify passes."""
    plan = tmp_path / "plan.xlsx"
    runner = CliRunner()
    args = ["solve", str(province_folder), "-o", str(plan), "--partition-by", "auto"]
    result = runner.invoke(cli, [*args, "--workers", "2", "--schedule"])
    assert result.exit_code == 0, result.output
    assert "3 个分区 parts by auto" in result.stdout and "日程 schedule" in result.stdout
    assert "[3/3]" in result.stderr
    events = sheet_rows(plan, "活动日程 schedule")
    assert len(events) > 1000
    assert runner.invoke(cli, ["verify", str(plan)]).exit_code == 0


def test_solve_on_a_running_dask_scheduler(
    province_folder: Path, tmp_path: Path, scheduler_address: str
) -> None:
    """--scheduler tcp://127.0.0.1:PORT sends the parts to that cluster; same pairs as local."""
    runner = CliRunner()
    outputs: list[dict[str, object]] = []
    for extra in (["--scheduler", scheduler_address], ["--workers", "1"]):
        plan = tmp_path / f"plan{len(outputs)}.xlsx"
        args = ["solve", str(province_folder), "-o", str(plan), "--partition-by", "县", "-q"]
        result = runner.invoke(cli, [*args, *extra, "--json"])
        assert result.exit_code == 0, result.output
        outputs.append(json.loads(result.stdout))
    assert outputs[0]["engine"] == f"Dask cluster {scheduler_address}"
    assert outputs[0]["pairs"] == outputs[1]["pairs"]
    assert outputs[0]["totals"] == outputs[1]["totals"]


def test_partition_errors_exit_3_with_sheet_row_column(
    province_folder: Path, tmp_path: Path
) -> None:
    """A blank 县 on a village: exit 3, the message names sheet, row and column."""

    def blank(rows: list[list[str]]) -> None:
        rows[5][column(rows, "county")] = " "

    folder = edited_copy(province_folder, tmp_path / "in", {"村 villages": blank})
    args = ["solve", str(folder), "-o", str(tmp_path / "p.xlsx"), "--partition-by", "county"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 3
    assert "村 villages" in result.stderr and "row 6" in result.stderr
    assert "县 (county)" in result.stderr
    assert not (tmp_path / "p.xlsx").exists()


def test_missing_partition_column_exits_3(province_folder: Path, tmp_path: Path) -> None:
    """--partition-by a column the sheets lack: exit 3 naming both sheets."""
    args = ["solve", str(province_folder), "-o", str(tmp_path / "p.xlsx"), "--partition-by", "省"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 3
    assert "单位 units" in result.stderr and "村 villages" in result.stderr


def test_scheduler_needs_a_partition(province_folder: Path, tmp_path: Path) -> None:
    """--scheduler (or --time-per-village) without --partition-by is a usage error."""
    out = str(tmp_path / "p.xlsx")
    for extra in (["--scheduler", "tcp://127.0.0.1:1"], ["--time-per-village", "0.1"]):
        result = CliRunner().invoke(cli, ["solve", str(province_folder), "-o", out, *extra])
        assert result.exit_code == 2


def test_scheduler_without_dask_is_a_usage_error(
    province_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without Dask installed, --scheduler explains how to install it (exit 2)."""
    monkeypatch.setattr("pairing.cli.province.dask_installed", lambda: False)
    args = ["solve", str(province_folder), "-o", str(tmp_path / "p.xlsx"), "--partition-by", "县"]
    result = CliRunner().invoke(cli, [*args, "--scheduler", "tcp://127.0.0.1:1"])
    assert result.exit_code == 2 and "pairing[province]" in result.output


@pytest.fixture
def three_counties(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``pairing example province`` write 3 counties of 150 villages (fast)."""
    monkeypatch.setattr(example, "COUNTIES", 3)
    monkeypatch.setattr(example, "TOTAL_VILLAGES", 150)


@pytest.mark.usefixtures("three_counties")
def test_example_province_writes_a_csv_folder(tmp_path: Path) -> None:
    """OUT without .xlsx: a folder of CSV files with 县 on units and villages, deterministic."""
    runner = CliRunner()
    out = tmp_path / "prov"
    result = runner.invoke(cli, ["example", "province", str(out), "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "150 村 villages" in result.stdout
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    assert "单位 units.csv" in first and "村 villages.csv" in first
    assert runner.invoke(cli, ["example", "province", str(out), "--seed", "3"]).exit_code == 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first
    assert [p.name for p in tmp_path.iterdir()] == ["prov"]
    source = read_input(out)
    assert len({v.id.split("-")[0] for v in source.problem.villages}) == 3
    assert "县 (county)" in source.book.tables["units"].headers


@pytest.mark.usefixtures("three_counties")
def test_example_province_writes_an_xlsx(tmp_path: Path) -> None:
    """OUT.xlsx: one workbook whose 县 column partitions it into the three counties."""
    out = tmp_path / "prov.xlsx"
    result = CliRunner().invoke(cli, ["example", "province", str(out)])
    assert result.exit_code == 0, result.output
    from pairing.province import partition

    assert len(partition(read_input(out), "县")) == 3


def test_gaozhou_example_refuses_a_folder(tmp_path: Path) -> None:
    """The Gaozhou example is one .xlsx: a folder as OUT is a usage error."""
    assert CliRunner().invoke(cli, ["example", "gaozhou", str(tmp_path)]).exit_code == 2


def test_province_sizes_are_realistic() -> None:
    """122 counties of 40-500 villages totalling 26,500, about 55,000 units, spread out."""
    sizes = example.county_sizes(example.COUNTIES, example.TOTAL_VILLAGES, example.DEFAULT_SEED)
    assert len(sizes) == 122 and sum(sizes) == 26_500
    assert min(sizes) >= 40 and max(sizes) <= 500
    assert max(sizes) >= 4 * min(sizes)
    units = sum(math.ceil(2.05 * size) for size in sizes)  # synthetic_county's unit count
    assert 53_000 <= units <= 56_000


def test_province_counties_are_prefixed_and_placed_apart() -> None:
    """Ids carry the county code, towns its name; counties sit at distinct centres."""
    province = example.generate(5, sizes=(40, 41))
    first, second = province.counties
    assert all(u.id.startswith(f"{first.code}-") for u in first.problem.units)
    assert all(v.town.startswith(first.name) for v in first.problem.villages)
    assert first.name != second.name
    assert province.problem.units[-1].row == len(province.problem.units) + 1
