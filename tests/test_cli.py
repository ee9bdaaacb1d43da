"""The CLI's command table and lazy loading."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import pairing.cli
from pairing.cli import COMMAND_MODULES


def test_command_table_matches_the_modules() -> None:
    """Every command a module defines is in COMMAND_MODULES under that module, and only those."""
    found: dict[str, str] = {}
    for info in pkgutil.iter_modules(pairing.cli.__path__):
        module = importlib.import_module(f"pairing.cli.{info.name}")
        for command in getattr(module, "COMMANDS", ()):
            found[command.name] = info.name
    assert found == COMMAND_MODULES


def test_check_does_not_import_the_solver() -> None:
    """`pairing check` loads neither ortools nor SciPy (fast start for the most common call)."""
    code = (
        "import sys; from click.testing import CliRunner; from pairing.cli import cli; "
        "CliRunner().invoke(cli, ['check', '--help']); "
        "print(any(m.startswith(('ortools', 'scipy')) for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
