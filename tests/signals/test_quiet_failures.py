"""A quick help text, and no traceback without --debug, ever (issue 14, item 10).

``pairing --help`` imported every command module to ask for its one-line help, and with them
ortools, pandas, SciPy and networkx (1 s, 159 MB). A full disk printed ``Exception ignored in:
ZipFile.__del__ … Traceback`` after the right message; stdout to a full disk was reported as a
bug (exit 1), or with a traceback when it was the help text.

The full disk is real where it can be: ``/dev/full`` answers every write with ENOSPC, so it
stands for stdout on a full disk. An output file goes to a temporary file beside it, which
``/dev/full`` cannot be; there the kernel's file-size limit (RLIMIT_FSIZE) refuses the write
instead, with EFBIG, at the same write call a full disk fails with ENOSPC.
"""

from __future__ import annotations

import importlib
import pkgutil
import resource
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import pairing.cli as cli_package
from pairing.cli import COMMAND_HELP, COMMAND_MODULES, quiet_tracebacks

from .processes import leftovers, pairing

HEAVY = ("ortools", "pandas", "scipy", "networkx", "numpy")
DEV_FULL = Path("/dev/full")
FILE_LIMIT = 20_000  # bytes: less than any workbook the tool writes
NO_SPACE = "the disk is full"


def test_help_imports_no_heavy_library(tmp_path: Path) -> None:
    """`pairing --help` (the real entry point) lists every command and imports none of the
    solver's libraries."""
    code = (
        "import sys\n"
        "from pairing.cli import main\n"
        "sys.argv = ['pairing', '--help']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        f"heavy = sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))\n"
        "sys.stderr.write(repr(heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,  # the installed package, not a checkout that happens to be the cwd
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert done.stderr == "[]"
    listed = [line.split()[0] for line in done.stdout.split("Commands:")[1].splitlines() if line]
    assert listed == sorted(COMMAND_MODULES)


def test_help_says_what_each_command_says() -> None:
    """The help table holds each command's own one-line help (its docstring's first line)."""
    found: dict[str, str] = {}
    for info in pkgutil.iter_modules(cli_package.__path__):
        module = importlib.import_module(f"pairing.cli.{info.name}")
        for command in getattr(module, "COMMANDS", ()):
            found[command.name] = command.get_short_help_str(10_000)
    assert found == COMMAND_HELP


@pytest.mark.skipif(not DEV_FULL.exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["--help"], ["template", "--help"]], ids=["group", "command"])
def test_stdout_on_a_full_disk_is_a_message(args: list[str], tmp_path: Path) -> None:
    """Help text to a full disk: exit 3 with a message, no traceback (was a traceback)."""
    with DEV_FULL.open("w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "pairing", *args],
            cwd=tmp_path,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=120,
        )
    assert done.returncode == 3, done.stderr
    assert NO_SPACE in done.stderr and "Traceback" not in done.stderr


@pytest.mark.skipif(not DEV_FULL.exists(), reason="needs /dev/full")
def test_a_report_to_a_full_disk_is_a_message(gaozhou_input: Path, tmp_path: Path) -> None:
    """`pairing check` printing to a full disk: exit 3, not "internal error" (exit 1)."""
    with DEV_FULL.open("w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "pairing", "check", str(gaozhou_input)],
            cwd=tmp_path,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=300,
        )
    assert done.returncode == 3, done.stderr
    assert NO_SPACE in done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr


def limit_file_size() -> None:
    """In the child: the kernel refuses to grow any file past ``FILE_LIMIT`` bytes."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_LIMIT, FILE_LIMIT))


@pytest.mark.parametrize("command", ["template", "solve"])
def test_a_refused_write_says_so_once(command: str, gaozhou_input: Path, tmp_path: Path) -> None:
    """A workbook the kernel will not let grow: exit 3 naming the output, then nothing else on
    stderr (was `Exception ignored in: ZipFile.__del__` and a traceback); no file, no
    temporary file."""
    out = tmp_path / "out.xlsx"
    args = ["template", str(out)] if command == "template" else ["solve", str(gaozhou_input)]
    if command == "solve":
        args += ["-o", str(out), "-q"]
    done = pairing(args, tmp_path, preexec_fn=limit_file_size)
    assert done.code == 3, done.stderr
    assert "out.xlsx" in done.stderr and "File too large" in done.stderr
    assert done.clean(), done.stderr
    assert not out.exists() and leftovers(tmp_path) == []


def test_a_failing_helper_thread_says_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """Without --debug, an error in a helper thread is one line naming it, no traceback."""
    before = threading.excepthook, sys.unraisablehook
    try:
        quiet_tracebacks()

        def fail() -> None:
            raise ValueError("broken helper")

        worker = threading.Thread(target=fail)
        worker.start()
        worker.join()
    finally:
        threading.excepthook, sys.unraisablehook = before
    err = capsys.readouterr().err
    assert "ValueError: broken helper" in err and "Traceback" not in err
