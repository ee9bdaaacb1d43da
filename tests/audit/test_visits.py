"""``pairing audit COVER.xlsx VISITS.xlsx``: households not visited in a month, lagging teams,
located errors (exit 3), and ``pairing example-ledger COVER OUT`` writing a visits ledger."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

HOUSEHOLDS = [f"H{i}" for i in range(6)]


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pairing", *map(str, args)], capture_output=True, text=True
    )


def _input(path: Path, threshold: float | None) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "单位"
    for row in (["单位编号", "单位名称"], ["U1", "林业局"], ["U2", "水务局"]):
        ws.append(row)
    sheets: dict[str, list[list[object]]] = {
        "村": [["村编号", "村名", "所属镇", "需结对单位数"], ["V1", "荷垌村", "曹江镇", 2]],
        "队员": [["单位编号", "姓名", "队员编号"], ["U1", "张三", "M1"], ["U2", "李四", "M2"]],
        "村党员": [
            ["党员编号", "村编号", "姓名", "小组", "角色"],
            ["P1", "V1", "王五", "一组", "两委"],
            ["P2", "V1", "赵六", "一组", "党员"],
        ],
        "农户": [["户编号", "村编号", "户主", "小组"]]
        + [[h, "V1", f"户主{h}", "一组"] for h in HOUSEHOLDS],
        "村民小组": [["村编号", "小组", "户数"], ["V1", "一组", 40]],
    }
    if threshold is not None:
        sheets["参数"] = [["参数", "值"], ["落后阈值", threshold]]
    for title, rows in sheets.items():
        sheet = wb.create_sheet(title)
        for row in rows:
            sheet.append(row)
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def cover(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A solved and covered county of one village, six households and two teams."""
    return _cover(tmp_path_factory.mktemp("visits"), None)


def _cover(folder: Path, threshold: float | None) -> Path:
    plan, out = folder / "plan.xlsx", folder / "cover.xlsx"
    solved = _run("solve", _input(folder / "in.xlsx", threshold), "-o", plan, "-q")
    assert solved.returncode == 0, solved.stderr
    covered = _run("cover", plan, "-o", out)
    assert covered.returncode == 0, covered.stderr
    return out


def _teams(cover: Path) -> dict[str, list[str]]:
    """Team id -> its households, as the cover's 包户 sheet says."""
    rows = list(load_workbook(cover, read_only=True)["包户 cover"].iter_rows(values_only=True))
    teams: dict[str, list[str]] = defaultdict(list)
    for row in rows[1:]:
        teams[str(row[6])].append(str(row[0]))
    return dict(teams)


def _visits(path: Path, rows: list[list[object]], title: str = "走访记录") -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    ws.append(["户编号", "日期", "走访人"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _sheet(path: Path, title: str) -> list[tuple[object, ...]]:
    return list(load_workbook(path, read_only=True)[title].iter_rows(values_only=True))[1:]


def test_unvisited_households_and_lagging_team(cover: Path, tmp_path: Path) -> None:
    """January: all six visited; February: only the first team's. The second team's rate is
    50% (< 80%): it lags, exit 5; its households are listed unvisited in February."""
    teams = _teams(cover)
    assert len(teams) == 2
    first, second = sorted(teams)
    january = [[h, dt.date(2027, 1, 5), "张三"] for h in HOUSEHOLDS]
    february = [[h, "2027-02-10", "王五"] for h in teams[first]]
    ledger = _visits(tmp_path / "v.xlsx", january + february)
    out = tmp_path / "audit.xlsx"
    done = _run("audit", cover, ledger, "-o", out)
    assert done.returncode == 5, done.stderr
    assert "落后小组 lagging teams (< 80%): 1" in done.stdout
    assert f"1. {second} " in done.stdout and "荷垌村 (V1)" in done.stdout
    unvisited = _sheet(out, "未走访 unvisited")
    assert sorted((r[0], r[1]) for r in unvisited) == [
        ("2027-02", h) for h in sorted(teams[second])
    ]
    assert {r[2] for r in unvisited} == {f"户主{h}" for h in teams[second]}
    lagging = _sheet(out, "落后小组 lagging")
    assert [(r[0], r[1]) for r in lagging] == [(1, second)]
    assert lagging[0][-1] == 0.5  # 走访率: 3 of 6 household-months
    by_team = {r[0]: r for r in _sheet(out, "小组走访 by_team")}
    assert by_team[first][-1] == 1.0
    months = _sheet(out, "月度走访 by_month")
    assert [(r[0], r[2]) for r in months] == [("2027-01", 6), ("2027-02", len(teams[first]))]
    assert str(ledger) not in done.stderr


def test_all_visited_exits_0_and_as_of_cuts_the_span(cover: Path, tmp_path: Path) -> None:
    rows = [[h, f"2027-0{m}-03", "李四"] for h in HOUSEHOLDS for m in (1, 2)]
    ledger = _visits(tmp_path / "v.xlsx", [*rows, ["H0", "2027-03-01", "李四"]], "台账")
    out = tmp_path / "audit.xlsx"
    done = _run("audit", cover, ledger, "-o", out, "--as-of", "2027-02-28")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "落后小组 lagging teams (< 80%): 0" in done.stdout
    assert "未计 visits after the audit date not counted: 1" in done.stdout
    assert _sheet(out, "未走访 unvisited") == []
    assert [r[0] for r in _sheet(out, "月度走访 by_month")] == ["2027-01", "2027-02"]


def test_lagging_threshold_comes_from_the_covers_settings(tmp_path: Path) -> None:
    """With 落后阈值 0.4 in the input, a team at 50% no longer lags."""
    cover = _cover(tmp_path, 0.4)
    teams = _teams(cover)
    first = sorted(teams)[0]
    rows = [[h, "2027-01-05", "张三"] for h in HOUSEHOLDS]
    rows += [[h, "2027-02-10", "王五"] for h in teams[first]]
    done = _run("audit", cover, _visits(tmp_path / "v.xlsx", rows), "-o", tmp_path / "a.xlsx")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "落后小组 lagging teams (< 40%): 0" in done.stdout


def test_bad_visit_rows_exit_3_located_and_write_nothing(cover: Path, tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["H0", "2027-01-05", "张三"],
        ["H9", "2027-01-05", "张三"],
        ["H1", "下周", "张三"],
        [None, "2027-01-05", "张三"],
        ["H2", None, "张三"],
    ]
    ledger = _visits(tmp_path / "bad.xlsx", rows)
    out = tmp_path / "audit.xlsx"
    done = _run("audit", cover, ledger, "-o", out)
    assert done.returncode == 3
    text = done.stdout + done.stderr
    assert "bad.xlsx · 走访记录" in text
    for line in (
        "第3行 row 3, 列 column「户编号 (household_id)」: 户编号「H9」不在包户表中 / "
        "household 'H9' is not on the cover's 包户 sheet",
        "第4行 row 4, 列 column「日期 (date)」: 「下周」不是日期",
        "第5行 row 5, 列 column「户编号 (household_id)」: 不能为空 / must not be blank",
        "第6行 row 6, 列 column「日期 (date)」: 不能为空 / must not be blank",
    ):
        assert line in text
    assert "第2行" not in text
    assert "Traceback" not in text
    assert not out.exists()


def test_a_ledger_without_visits_exits_3(cover: Path, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["单位编号", "活动"])
    wb.save(tmp_path / "none.xlsx")
    done = _run("audit", cover, tmp_path / "none.xlsx", "-o", tmp_path / "a.xlsx")
    assert done.returncode == 3
    assert "找不到走访记录" in done.stdout + done.stderr
    assert "no visits ledger found" in done.stdout + done.stderr


def test_example_ledger_writes_visits_for_a_cover(cover: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "v1.xlsx", tmp_path / "v2.xlsx"
    made = _run("example-ledger", cover, one, "--months", "3", "--seed", "4")
    assert made.returncode == 0, made.stderr
    assert "走访记录" in made.stdout
    assert _run("example-ledger", cover, two, "--months", "3", "--seed", "4").returncode == 0
    assert _sheet(one, "走访记录 visits") == _sheet(two, "走访记录 visits")
    dates = {r[1] for r in _sheet(one, "走访记录 visits")}
    assert all(isinstance(d, dt.datetime) and d.month <= 3 for d in dates)
    assert len({d.year for d in dates if isinstance(d, dt.datetime)}) == 1
    done = _run("audit", cover, one, "-o", tmp_path / "a.xlsx")
    assert done.returncode in (0, 5), done.stderr
    assert "月份 months 3" in done.stdout


def test_visits_against_a_plan_say_to_use_the_cover(cover: Path, tmp_path: Path) -> None:
    """A plan (not a cover) with a visits ledger: exit 3, pointing at the cover workbook."""
    plan = cover.parent / "plan.xlsx"
    ledger = _visits(tmp_path / "v.xlsx", [["H0", "2027-01-05", "张三"]])
    done = _run("audit", plan, ledger, "-o", tmp_path / "a.xlsx")
    assert done.returncode == 3
    assert (
        "a 走访记录 visits ledger is audited against a cover workbook" in done.stdout + done.stderr
    )


def test_the_span_crosses_a_year_and_as_of_cuts_it() -> None:
    """Months run from the first visit's to the audit date's, across December; a household
    of a team visited in none of them counts every month."""
    from pairing.audit.visit_run import audit_visits, span
    from pairing.audit.visits import Covered, Visit, VisitLedger

    assert span(dt.date(2026, 11, 30), dt.date(2027, 2, 1)) == [
        "2026-11",
        "2026-12",
        "2027-01",
        "2027-02",
    ]
    homes = [
        Covered(h, "V1", "荷垌村", "", "一组", t, "M1", "张三", "U1", "", "P1", "王五")
        for h, t in (("H0", "T1"), ("H1", "T2"))
    ]
    ledger = VisitLedger(
        "走访记录",
        (Visit(2, "H0", dt.date(2026, 12, 3), ""), Visit(3, "H0", dt.date(2027, 1, 9), "")),
    )
    result = audit_visits(("c.xlsx", "v.xlsx"), homes, ledger, 0.8)
    assert [m.month for m in result.months] == ["2026-12", "2027-01"]
    assert [(m, h.household_id) for m, h in result.unvisited] == [
        ("2026-12", "H1"),
        ("2027-01", "H1"),
    ]
    assert [t.team.team_id for t in result.lagging] == ["T2"]
    cut = audit_visits(("c.xlsx", "v.xlsx"), homes, ledger, 0.8, dt.date(2026, 12, 31))
    assert cut.later == 1 and [m.month for m in cut.months] == ["2026-12"]
