"""``pairing verify`` on the command line: exit codes 0, 5 and 3, text and JSON reports."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from openpyxl.workbook.workbook import Workbook

from pairing.cli import cli

from .edits import ASSIGNMENTS
from .plans import EXAMPLE, PlanCase, mutated


def run(*args: str) -> tuple[int, str, str]:
    """Run the CLI; return exit code, stdout and stderr."""
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_clean_plan_exits_0(example_plan: PlanCase) -> None:
    """A clean plan prints every checked rule, the costs and VALID, and exits 0."""
    code, out, _ = run("verify", str(example_plan.path), "--input", str(example_plan.source))
    assert code == 0, out
    assert "有效 VALID" in out and "P13 路程" in out and "合计 total" in out


def test_damaged_plan_exits_5_with_rule_sheet_and_row(
    example_plan: PlanCase, tmp_path: Path
) -> None:
    """A dropped pair exits 5; the report names P01, the sheet and a row, in both languages."""

    def edit(workbook: Workbook) -> None:
        workbook[ASSIGNMENTS].delete_rows(2)

    damaged = mutated(example_plan.path, tmp_path / "damaged.xlsx", edit)
    code, out, _ = run("verify", str(damaged))
    assert code == 5
    line = next(line for line in out.splitlines() if line.strip().startswith("[P01]"))
    assert "第" in line and "row" in line and "needs 2" in line
    assert "无效 INVALID" in out


def test_json_report(example_plan: PlanCase, tmp_path: Path) -> None:
    """--json gives the verdict, violations, per-rule costs and the total as data."""

    def edit(workbook: Workbook) -> None:
        workbook[ASSIGNMENTS].delete_rows(2)

    damaged = mutated(example_plan.path, tmp_path / "damaged.xlsx", edit)
    code, out, _ = run("verify", str(damaged), "--json")
    data = json.loads(out)
    assert code == 5 and data["valid"] is False
    assert data["counts"]["P01"] >= 1
    assert {c["rule"] for c in data["costs"]} == {f"P1{k}" for k in range(9)}  # P10-P18
    assert set(data["total"]) == {"recomputed", "reported", "agrees"}
    violation = data["violations"][0]
    assert set(violation) == {"rule", "sheet", "row", "column", "zh", "en"}


def test_unreadable_files_exit_3(tmp_path: Path) -> None:
    """A missing file, a non-workbook and an input workbook (not a plan) all exit 3."""
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip at all")
    for path in (tmp_path / "missing.xlsx", junk, EXAMPLE):
        code, out, err = run("verify", str(path))
        assert code == 3, (path, out, err)
        assert "Traceback" not in err and path.name in err


def test_plan_without_input_copies_exits_3(example_plan: PlanCase, tmp_path: Path) -> None:
    """A plan whose input copies were deleted cannot be verified without --input (exit 3)."""

    def edit(workbook: Workbook) -> None:
        for name in list(workbook.sheetnames):
            if name.startswith("输入·"):
                del workbook[name]

    bare = mutated(example_plan.path, tmp_path / "bare.xlsx", edit)
    assert run("verify", str(bare))[0] == 3
    assert run("verify", str(bare), "--input", str(example_plan.source))[0] == 5
