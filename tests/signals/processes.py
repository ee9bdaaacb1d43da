"""The real ``pairing`` command in a child process: start it, wait for a line, signal it.

Signals, exit codes and files are only honest on the real command: an in-process runner
shares the test's signal handlers and threads. Nothing here measures time; the waits only
bound a test that would otherwise hang.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

WAIT_S = 600.0  # a child that shows nothing for this long has hung: fail, do not hang
POLL_S = 0.1
CRASHES = ("Traceback", "terminate called", "Exception ignored", "KeyError")


@dataclass(frozen=True)
class Finished:
    """How a child ended: its exit code and everything it printed."""

    code: int
    stdout: str
    stderr: str

    def clean(self) -> bool:
        """Whether stderr shows no traceback, C++ abort or ignored exception."""
        return not any(crash in self.stderr for crash in CRASHES)


class Child:
    """``python -m pairing ARGS`` in ``cwd``, its stderr read as it comes."""

    def __init__(self, args: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pairing", *args],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        assert self.process.stderr is not None
        os.set_blocking(self.process.stderr.fileno(), False)
        self.seen = b""

    def wait_for(self, marker: str) -> None:
        """Read stderr until ``marker`` shows; fail if the child ends or hangs first."""
        give_up = time.monotonic() + WAIT_S
        wanted = marker.encode()
        while wanted not in self.seen:
            assert self.process.poll() is None, f"ended before {marker!r}: {self._text()}"
            assert time.monotonic() < give_up, f"no {marker!r} in {WAIT_S} s: {self._text()}"
            time.sleep(POLL_S)
            self._read()

    def send(self, number: signal.Signals) -> None:
        """Send a signal to the child."""
        self.process.send_signal(number)

    def finish(self) -> Finished:
        """Wait for the child to end; return its exit code and output."""
        stdout, rest = self.process.communicate(timeout=WAIT_S)
        self.seen += rest or b""
        return Finished(self.process.returncode, stdout.decode(), self._text())

    def _read(self) -> None:
        assert self.process.stderr is not None
        with_data = self.process.stderr.read()
        self.seen += with_data or b""

    def _text(self) -> str:
        return self.seen.decode(errors="replace")


def pairing(args: Sequence[str], cwd: Path, **options: object) -> Finished:
    """Run ``python -m pairing ARGS`` to its end."""
    done = subprocess.run(
        [sys.executable, "-m", "pairing", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=WAIT_S,
        check=False,
        **options,  # type: ignore[call-overload]
    )
    return Finished(done.returncode, done.stdout, done.stderr)


def leftovers(folder: Path) -> list[str]:
    """Temporary files left in ``folder`` (and below)."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*.tmp"))
