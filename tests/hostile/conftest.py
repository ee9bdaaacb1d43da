"""Fixtures and Hypothesis profiles for the hostile-input tests.

Profiles: ``ci`` (the default: a fixed seed and a bounded budget) and ``long`` (many more
examples, random seeds) for a local hunt: ``HYPOTHESIS_PROFILE=long pytest tests/hostile``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from .workbooks import SHEET_HEAD, repeated, valid_parts, write_package

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
