"""The CLI's error path: bugs, interruptions and closed pipes end cleanly, with exit codes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import pairing.cli.check
from pairing.cli import EXIT_BROKEN_PIPE, EXIT_INTERRUPTED

from .helpers import run_cli
from .workbooks import VALID, write_xlsx

# Runs the real entry point in a fresh process, with ``check`` broken on purpose.
BROKEN_CHECK = """
import sys
import pairing.cli.check as check

def broken(*args, **kwargs):
    raise RuntimeError("deliberate bug")

check.read_input = broken
from pairing.cli import main
sys.argv = ["pairing", *sys.argv[1:]]
main()
"""

# Adds a command that naps, to be stopped by a signal while it runs.
NAPPING = """
import sys, time, click
from pairing.cli import cli, main

@click.command("nap")
def nap():
    print("ready", flush=True)
    time.sleep(60)

cli.add_command(nap)
sys.argv = ["pairing", "nap"]
main()
"""


def entry(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``script`` (which calls :func:`pairing.cli.main`) with ``args``; capture output."""
    return subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    """Return a valid input workbook."""
    return write_xlsx(tmp_path / "in.xlsx", VALID)


def break_check(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    """Make ``pairing check`` raise ``error`` where it reads its input."""

    def broken(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(pairing.cli.check, "read_input", broken)


def test_internal_error_says_how_to_report_without_traceback(workbook: Path) -> None:
    """A bug ends with exit 1, a request to report it and the error line, no traceback."""
    done = entry(BROKEN_CHECK, "check", str(workbook))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "report" in done.stderr and "--debug" in done.stderr
    assert "RuntimeError: deliberate bug" in done.stderr


def test_debug_shows_the_traceback(workbook: Path) -> None:
    """With --debug the same bug prints Python's traceback (and still exits 1)."""
    done = entry(BROKEN_CHECK, "--debug", "check", str(workbook))
    assert done.returncode == 1
    assert "Traceback" in done.stderr and "deliberate bug" in done.stderr


def test_interrupt_exits_130(
    workbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C inside a command: a short message and exit 130."""
    break_check(monkeypatch, KeyboardInterrupt())
    outcome = run_cli(["check", str(workbook)], workbook, tmp_path)
    assert outcome.exit_code == EXIT_INTERRUPTED == 130
    assert "interrupted" in outcome.stderr and "Traceback" not in outcome.output


def test_broken_pipe_in_a_command_is_quiet(
    workbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A BrokenPipeError is not reported as an internal error."""
    break_check(monkeypatch, BrokenPipeError(32, "Broken pipe"))
    outcome = run_cli(["check", str(workbook)], workbook, tmp_path)
    assert outcome.exit_code == EXIT_BROKEN_PIPE
    assert outcome.stderr == ""


def test_closed_stdout_is_quiet(workbook: Path) -> None:
    """``pairing check x.xlsx | head -0``: stdout already closed, exit 141, and stderr holds
    only check's own warnings (this workbook has no coordinates), no broken-pipe noise."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pairing", "check", str(workbook)],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert done.returncode == EXIT_BROKEN_PIPE
    noise = [line for line in done.stderr.splitlines() if "coordinates" not in line]
    assert noise == []


def test_sigterm_acts_like_ctrl_c() -> None:
    """SIGTERM raises KeyboardInterrupt in the command: 'interrupted', exit 130."""
    with subprocess.Popen(
        [sys.executable, "-c", NAPPING],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None and process.stdout.readline() == "ready\n"
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == EXIT_INTERRUPTED
    assert "interrupted" in stderr and "Traceback" not in stderr
