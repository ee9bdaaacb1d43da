"""The example plan, solved with a schedule, shared by the report tests (built once a session).

A plain module, imported relatively as tests/verify does: CI installs the package, so
`tests` itself is not importable there."""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

from click.testing import CliRunner

from pairing.cli import cli


def run(*args: str) -> tuple[int, str]:
    """Run the real CLI and return its exit code and output (stdout and stderr)."""
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


@cache
def _example(folder: str) -> tuple[Path, tuple[str, ...]]:
    base = Path(folder)
    base.mkdir(parents=True, exist_ok=True)
    assert run("example", "gaozhou", str(base / "in.xlsx"))[0] == 0
    assert run("solve", str(base / "in.xlsx"), "-o", str(base / "plan.xlsx"), "--schedule")[0] == 0
    from openpyxl import load_workbook

    sheet = load_workbook(base / "in.xlsx", read_only=True)["村 villages"]
    ids = tuple(str(row[0]) for row in sheet.iter_rows(min_row=2, values_only=True) if row[0])
    return base / "plan.xlsx", ids


def example_plan(tmp_path: Path) -> tuple[Path, tuple[str, ...]]:
    """A copy of the example plan in ``tmp_path`` and the example's village ids."""
    plan, ids = _example(str(tmp_path.parent.parent / "report-example"))
    shutil.copy(plan, tmp_path / "plan.xlsx")
    return tmp_path / "plan.xlsx", ids


def example_report(tmp_path: Path) -> tuple[Path, tuple[str, ...]]:
    """The example's report written by the real command, and the village ids."""
    plan, ids = example_plan(tmp_path)
    code, output = run("report", str(plan), "-o", str(tmp_path / "report.html"))
    assert code == 0, output
    return tmp_path / "report.html", ids
