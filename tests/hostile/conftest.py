"""Fixtures and Hypothesis profiles for the hostile-input tests.

Profiles: ``ci`` (the default: a fixed seed and a bounded budget) and ``long`` (many more
examples, random seeds) for a local hunt: ``HYPOTHESIS_PROFILE=long pytest tests/hostile``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from .workbooks import SHEET_HEAD, repeated, valid_parts, valid_sheets, write_package, write_xlsx

settings.register_profile(
    "ci",
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "long", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

BOMB_BYTES = 1536 * 2**20  # 1.5 GiB of sheet XML
BOMB_ROW = b'<row><c t="inlineStr"><is><t>U1</t></is></c><c><v>1</v></c></row>'


@pytest.fixture(scope="session")
def zip_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a workbook whose 单位 sheet expands to 1.5 GiB (written in 1 MiB chunks)."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.xlsx"
    sheet = repeated(
        SHEET_HEAD.encode() + b"<sheetData>", BOMB_ROW, BOMB_BYTES, b"</sheetData></worksheet>"
    )
    return write_package(path, valid_parts(单位=sheet), level=1)


@dataclass(frozen=True)
class PlanFiles:
    """A small input, the plan ``pairing solve`` made of it, and a ledger for that plan."""

    source: Path
    plan: Path
    ledger: Path


@pytest.fixture(scope="session")
def plan_files(tmp_path_factory: pytest.TempPathFactory) -> PlanFiles:
    """Solve a small county and write an example ledger, with the real command, once.

    The county is :data:`VALID` and one more unit and village: three units, each taking two
    of three villages, so that some pairs are not in the plan (the example ledger's noise
    rows need one).
    """
    folder = tmp_path_factory.mktemp("plan")
    sheets = valid_sheets()
    sheets["单位"].append(["U3", "财政局", "政府部门", 2])
    sheets["村"].append(["V3", "新村", "曹江镇"])
    source = write_xlsx(folder / "in.xlsx", sheets)
    plan, ledger = folder / "plan.xlsx", folder / "ledger.xlsx"
    for args in (
        ["solve", str(source), "-o", str(plan), "-q", "--time-limit", "30"],
        ["example-ledger", str(plan), str(ledger)],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "pairing", *args], capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stdout + done.stderr
    return PlanFiles(source, plan, ledger)
