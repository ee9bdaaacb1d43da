"""Ctrl-C and SIGTERM during a long command: stop the search, keep what is complete, exit 130.

Outside this context a signal raises :class:`KeyboardInterrupt` (see :mod:`pairing.cli`),
which abandons the command wherever it is: right for ``check`` or ``verify``, which have
nothing worth keeping. ``solve`` and ``schedule`` instead run inside :class:`GracefulStop`:
the first SIGINT or SIGTERM only sets a flag (a :class:`threading.Event`) that the search
loops and CP-SAT's waiting thread read, so the search ends within a moment with the best
plan so far, the command writes it (marked interrupted, not proven) and exits 130. Raising
instead, in the middle of an LP round or a C++ callback, is what used to lose the plan or
abort the process. A second signal raises :class:`KeyboardInterrupt` as usual: quit now,
write nothing (an atomic write in progress removes its temporary file).

The handler writes its one line straight to file descriptor 2: a handler that calls
``click.echo`` while the main thread is inside ``click.echo`` would be a reentrant write.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from types import FrameType, TracebackType
from typing import Any

import click

from pairing.app.interrupted import EXIT_INTERRUPTED, Interrupted

__all__ = ["EXIT_INTERRUPTED", "GracefulStop", "Interrupted", "graceful_stop", "stop_requested"]
STOP_KEY = "pairing.stop"  # in click's context meta, shared by a command and its group
SIGNALS = (signal.SIGINT, signal.SIGTERM)
STOPPING = (
    "已收到中断信号：正在停止搜索并保存当前最好的方案；再按一次 Ctrl-C 立即退出（不保存）/ "
    "interrupt received: stopping the search and saving the best plan so far; press Ctrl-C "
    "again to quit at once (nothing saved)"
)


class GracefulStop:
    """While active, the first SIGINT/SIGTERM sets :attr:`event`; the next one interrupts.

    Commands enter it with :func:`graceful_stop`. Outside the main thread (where Python
    cannot install handlers) it installs nothing: the event then only ever comes from the
    caller.
    """

    def __init__(self, message: str = STOPPING) -> None:
        self.event = threading.Event()
        self.message = message
        self._previous: dict[int, Any] = {}

    @property
    def requested(self) -> bool:
        """Whether a stop was asked for."""
        return self.event.is_set()

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        """The first signal asks for a stop; the next one gives up at once."""
        if self.event.is_set():
            raise KeyboardInterrupt
        self.event.set()
        with contextlib.suppress(OSError):
            os.write(2, f"\n{self.message}\n".encode())

    def __enter__(self) -> GracefulStop:
        with contextlib.suppress(ValueError):  # not the main thread: leave signals alone
            for number in SIGNALS:
                self._previous[number] = signal.signal(number, self._handle)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Restore the signal handlers."""
        for number, previous in self._previous.items():
            signal.signal(number, previous)
        self._previous.clear()


def graceful_stop(message: str = STOPPING) -> GracefulStop:
    """A :class:`GracefulStop` for the rest of the current command.

    The handlers are restored when the command ends; :class:`pairing.cli.PairingGroup` then
    exits 130 if a stop was asked for and the command ended without an error of its own (it
    has written its result, marked interrupted).
    """
    context = click.get_current_context()
    stop = context.with_resource(GracefulStop(message))
    context.meta[STOP_KEY] = stop
    return stop


def stop_requested(context: click.Context) -> bool:
    """Whether the command of ``context`` (or a parent's) was asked to stop."""
    stop = context.meta.get(STOP_KEY)
    return isinstance(stop, GracefulStop) and stop.requested
