"""`pairing cover` end to end: solve a tiny county, cover it, read the cover back; exit 4 and 3."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook


def _book(path: Path, *, members: int = 2, households: int = 6, bad_village: bool = False) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "单位"
    ws.append(["单位编号", "单位名称"])
    ws.append(["U1", "林业局"])
    ws.append(["U2", "水务局"])
    sheets = {
        "村": (["村编号", "村名", "所属镇", "需结对单位数"], [["V1", "荷垌村", "曹江镇", 2]]),
        "队员": (
            ["单位编号", "姓名", "队员编号", "最多户数"],
            [["U1", "张三", "M1", 3], ["U2", "李四", "M2", None]],
        ),
        "村党员": (
            ["党员编号", "村编号", "姓名", "小组", "角色"],
            [[f"P{i}", "V1", f"党员{i}", "一组", "两委"] for i in range(members)],
        ),
        "农户": (
            ["户编号", "村编号", "户主", "小组", "类别"],
            [
                [f"H{i}", "V9" if bad_village and i == 0 else "V1", f"户{i}", "一组", ""]
                for i in range(households)
            ],
        ),
        "村民小组": (["村编号", "小组", "户数"], [["V1", "一组", 40]]),
    }
    for title, (header, rows) in sheets.items():
        sheet = wb.create_sheet(title)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    wb.save(path)
    return path


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pairing", *map(str, args)], capture_output=True, text=True
    )


def _plan(tmp_path: Path, **kw: Any) -> Path:
    book = _book(tmp_path / "in.xlsx", **kw)
    plan = tmp_path / "plan.xlsx"
    done = _run("solve", book, "-o", plan, "-q")
    assert done.returncode == 0, done.stderr
    return plan


def test_cover_writes_every_household_once(tmp_path: Path) -> None:
    out = tmp_path / "cover.xlsx"
    done = _run("cover", _plan(tmp_path), "-o", out)
    assert done.returncode == 0, done.stderr
    wb = load_workbook(out)
    cover = list(wb["包户 cover"].iter_rows(values_only=True))[1:]
    assert sorted(r[0] for r in cover) == [f"H{i}" for i in range(6)]
    loads = {r[7]: 0 for r in cover}
    for r in cover:
        loads[r[7]] += 1
    assert loads["M1"] <= 3  # C05: 张三's 最多户数
    grids = list(wb["网格 grids"].iter_rows(values_only=True))[1:]
    assert [r[4] for r in grids] == [20, 20]  # G02: 40 households in the fewest grids of ≤ 30
    assert len({r[5] for r in grids}) == 2  # G04: distinct leaders
    assert "输入·农户 households" in wb.sheetnames


def test_cover_infeasible_names_village_and_numbers(tmp_path: Path) -> None:
    done = _run("cover", _plan(tmp_path, households=9), "-o", tmp_path / "c.xlsx")
    assert done.returncode == 4
    assert "V1" in done.stderr and "9 户" in done.stderr and "容量 8" in done.stderr
    assert not (tmp_path / "c.xlsx").exists()


def test_cover_grid_without_leader_exits_4(tmp_path: Path) -> None:
    done = _run("cover", _plan(tmp_path, members=1, households=2), "-o", tmp_path / "c.xlsx")
    assert done.returncode == 4
    assert "一组" in done.stderr and "网格长" in done.stderr


def test_bad_household_row_exits_3_located(tmp_path: Path) -> None:
    book = _book(tmp_path / "bad.xlsx", bad_village=True)
    for command in (["check", book], ["solve", book, "-o", tmp_path / "p.xlsx", "-q"]):
        done = _run(*command)
        assert done.returncode == 3
        assert "农户 households" in done.stderr and "V9" in done.stderr
        assert "Traceback" not in done.stderr
    assert not (tmp_path / "p.xlsx").exists()


def _baseline(path: Path, rows: list[list[object]], header: list[str] | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "包户 cover"
    ws.append(header or ["户编号 (household_id)", "单位队员编号 (unit_member_id)", "村党员编号"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _pairs(path: Path) -> dict[str, tuple[str, str]]:
    rows = list(load_workbook(path)["包户 cover"].iter_rows(values_only=True))[1:]
    return {str(r[0]): (str(r[7]), str(r[11])) for r in rows}


def test_cover_baseline_keeps_a_pair_no_plain_cover_forms(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    plain = tmp_path / "plain.xlsx"
    assert _run("cover", plan, "-o", plain).returncode == 0
    assert ("M2", "P1") not in set(_pairs(plain).values())  # sorted pairing: M2+P0, M1+P1
    base = _baseline(tmp_path / "base.xlsx", [["H0", "M2", "P1"], ["H1", "M9", "P9"]])
    out = tmp_path / "second.xlsx"
    done = _run("cover", plan, "-o", out, "--baseline", base)
    assert done.returncode == 0, done.stderr
    assert _pairs(out)["H0"] == ("M2", "P1")  # C13: the baseline team is formed and kept


def test_cover_bad_baseline_exits_3_located(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    out = tmp_path / "c.xlsx"
    bad = _baseline(tmp_path / "dup.xlsx", [["H0", "M2", "P1"], ["H0", "M1", ""]])
    done = _run("cover", plan, "-o", out, "--baseline", bad)
    assert done.returncode == 3, done.stderr
    assert "dup.xlsx · 包户 cover" in done.stderr and "第3行" in done.stderr
    assert "与第2行重复" in done.stderr and "村党员编号 (village_member_id)" in done.stderr
    assert "Traceback" not in done.stderr and not out.exists()
    done = _run("cover", plan, "-o", out, "--baseline", plan)  # a plan, not a cover
    assert done.returncode == 3 and "包户" in done.stderr and not out.exists()
    headless = _baseline(tmp_path / "cols.xlsx", [["H0"]], ["户编号 (household_id)"])
    done = _run("cover", plan, "-o", out, "--baseline", headless)
    assert done.returncode == 3 and "单位队员编号 (unit_member_id)" in done.stderr


def test_cover_interrupted_exits_130_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    import pairing.province.cover as by_parts
    from pairing.cli import cli

    plan = _plan(tmp_path)

    def interrupted(*_: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(by_parts, "cover_county", interrupted)
    out = tmp_path / "c.xlsx"
    done = CliRunner().invoke(cli, ["cover", str(plan), "-o", str(out), "--workers", "2"])
    assert done.exit_code == 130 and "interrupted" in done.output
    assert not out.exists() and list(tmp_path.glob("*.tmp*")) == []
