"""``solve --partition-by --baseline``: P18 per part at one weight, the whole's; the merged plan
equals the unpartitioned re-plan and verifies."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from pairing.cli import cli

from .conftest import column, edited_copy


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout if result.exit_code == 0 else result.output


def farther(rows: list[list[str]]) -> None:
    """P13 at 5: distance now outweighs continuity, so a plain re-solve moves pairs."""
    key = column(rows, "key")
    for row in rows[1:]:
        if row[key].startswith("P13 "):
            row[column(rows, "value")] = "5"


def test_a_partitioned_replan_keeps_the_baseline_as_the_whole_does(
    province_folder: Path, tmp_path: Path
) -> None:
    plan1 = tmp_path / "plan1.xlsx"
    assert run("solve", str(province_folder), "-o", str(plan1), "-q")[0] == 0
    second = edited_copy(province_folder, tmp_path / "in2", {"参数 settings": farther})
    by_county = ["--partition-by", "县", "--workers", "1"]
    runs = {
        "whole": ["--baseline", str(plan1)],
        "parts": ["--baseline", str(plan1), *by_county],
        "plain": by_county,
    }
    results = {}
    for name, extra in runs.items():
        out = tmp_path / f"{name}.xlsx"
        code, text = run("solve", str(second), "-o", str(out), "-q", "--json", *extra)
        assert code == 0, text
        results[name] = (json.loads(text), out)
    whole, parts = results["whole"][0], results["parts"][0]
    assert parts["facts"]["proven"] and whole["facts"]["proven"]
    assert parts["facts"]["objective"] == whole["facts"]["objective"]
    assert parts["kpis"]["baseline_changed"] == whole["kpis"]["baseline_changed"] == 0
    assert parts["kpis"]["stability_lexicographic"] == 1
    plain_pairs = {tuple(p) for p in results["plain"][0]["pairs"]}
    assert plain_pairs != {tuple(p) for p in parts["pairs"]}  # the baseline binds here
    code, text = run("verify", str(results["parts"][1]))
    assert code == 0, text
