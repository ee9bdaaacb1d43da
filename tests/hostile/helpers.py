"""Reusable checks for hostile-input tests: run a CLI command on a file and judge the result.

The corpus (``test_corpus.py``) runs every broken workbook through every command listed in
``COMMANDS`` there; a new command joins by adding one line. The helpers here do the judging:
the exit code, a located message, no traceback, no output left behind, the input unchanged,
and no formula in anything the tool wrote.
"""

from __future__ import annotations

import csv
import hashlib
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from pairing.cli import cli
from pairing.io.output import safe_text
from pairing.sheets import LIMITS_ENV


def digest(path: Path) -> str:
    """Return the SHA-256 of a file, or of every file under a folder (names and bytes).

    Only regular files are read: a pipe or a device among hostile inputs counts by its name.
    """
    sha = hashlib.sha256()
    files = sorted(path.rglob("*")) if path.is_dir() else [path]
    for file in files:
        sha.update(str(file.relative_to(path if path.is_dir() else path.parent)).encode())
        if file.is_file():
            sha.update(file.read_bytes())
    return sha.hexdigest()


def listing(folder: Path) -> set[str]:
    """Return the names of everything under ``folder`` (hidden temporary files too)."""
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@dataclass(frozen=True)
class Outcome:
    """What a CLI run did: exit code, stdout, stderr, seconds, and the files it left."""

    exit_code: int
    stdout: str
    stderr: str
    seconds: float
    input_changed: bool
    new_files: frozenset[str]
    exception: BaseException | None

    @property
    def output(self) -> str:
        """Return stdout and stderr together."""
        return self.stdout + self.stderr


def run_cli(args: Sequence[str], source: Path, workdir: Path) -> Outcome:
    """Run ``pairing *args`` in-process; record whether ``source`` or ``workdir`` changed."""
    before, files = digest(source), listing(workdir)
    start = time.perf_counter()
    result = CliRunner().invoke(cli, list(args), catch_exceptions=True)
    seconds = time.perf_counter() - start
    exception = result.exception if not isinstance(result.exception, SystemExit) else None
    return Outcome(
        result.exit_code,
        result.stdout,
        result.stderr,
        seconds,
        digest(source) != before,
        frozenset(listing(workdir) - files),
        exception,
    )


def run_pairing(
    args: Sequence[str],
    source: Path,
    workdir: Path,
    limits: str | None = None,
    timeout: float = 120,
) -> Outcome:
    """Run the real ``pairing`` command in a subprocess; a hang fails at ``timeout`` seconds.

    ``limits`` sets ``PAIRING_LIMITS`` (see :mod:`pairing.sheets.limits`) for that run only.
    """
    env = {key: value for key, value in os.environ.items() if key != LIMITS_ENV}
    if limits is not None:
        env[LIMITS_ENV] = limits
    before, files = digest(source), listing(workdir)
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pairing", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            cwd=workdir,
        )
    except subprocess.TimeoutExpired:
        raise AssertionError(f"pairing {' '.join(args)} hung for {timeout:.0f} s") from None
    return Outcome(
        done.returncode,
        done.stdout,
        done.stderr,
        time.perf_counter() - start,
        digest(source) != before,
        frozenset(listing(workdir) - files),
        None,
    )


def assert_refused(
    outcome: Outcome, mentions: Sequence[str], code: int = 3, seconds: float = 20.0
) -> None:
    """Assert a clean refusal: exit ``code``, every text in ``mentions`` said, nothing broken.

    No traceback, no internal error, the input byte-identical, no file left behind (output
    or temporary), and the run finished within ``seconds``.
    """
    text = outcome.output
    assert outcome.exception is None, f"unexpected exception {outcome.exception!r}\n{text}"
    assert outcome.exit_code == code, f"exit {outcome.exit_code}, expected {code}\n{text}"
    assert "Traceback" not in text and "内部错误" not in text, text
    for mention in mentions:
        assert mention in text, f"{mention!r} not in:\n{text}"
    assert not outcome.input_changed, "the input was modified"
    assert not outcome.new_files, f"files left behind: {sorted(outcome.new_files)}"
    assert outcome.seconds < seconds, f"took {outcome.seconds:.1f} s"


def unsafe_text(value: object) -> bool:
    """Return whether a written string could be evaluated as a formula by a spreadsheet."""
    return isinstance(value, str) and (value.startswith("=") or safe_text(value) != value)


def assert_no_formula_cells(path: Path) -> None:
    """Fail on any cell of an xlsx that is a formula, or a formula-like text not stored as text.

    A formula is data type ``f``; a text that starts with ``=``, or with ``+ - @``, tab or
    carriage return and is not a plain number, must be a text cell (``s``), which no
    spreadsheet evaluates, marked with Excel's quote prefix so that it stays text when the
    cell is edited: in xlsx it is stored exactly, without OWASP's ``'`` (DESIGN.md).
    """
    workbook = openpyxl.load_workbook(path)  # not read-only: data types as stored
    try:
        for worksheet in workbook.worksheets:
            for row in worksheet.iter_rows():
                for cell in row:
                    where = f"{path.name}!{worksheet.title}!{cell.coordinate}"
                    assert cell.data_type != "f", f"formula in {where}: {cell.value!r}"
                    if unsafe_text(cell.value):
                        text_cell = cell.data_type == "s" and cell.quotePrefix
                        assert text_cell, f"unsafe text in {where}: {cell.value!r}"
    finally:
        workbook.close()


def assert_no_formula_csv(path: Path, encoding: str = "utf-8-sig") -> None:
    """Fail on any field of a CSV that a spreadsheet opening it could evaluate."""
    with path.open(encoding=encoding, newline="") as handle:
        for number, row in enumerate(csv.reader(handle), 1):
            for column, value in enumerate(row, 1):
                assert not unsafe_text(value), f"{path.name} row {number} col {column}: {value!r}"


def timed(action: Callable[[], object]) -> tuple[float, int, BaseException | None]:
    """Run ``action``; return seconds, the peak of Python's traced memory, and what it raised."""
    import tracemalloc

    tracemalloc.start()
    start = time.perf_counter()
    raised: BaseException | None = None
    try:
        action()
    except Exception as error:
        raised = error
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak, raised
