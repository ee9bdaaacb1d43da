"""The one error of a job stopped by Ctrl-C before it had anything to write (exit 130).

It lives here, not in the CLI, because the job is what knows that nothing was written; the
CLI re-exports it (:mod:`pairing.cli.interrupt`) and maps it to the exit code like any other
:class:`~pairing.domain.errors.PairingError`.
"""

from __future__ import annotations

from pairing.domain.errors import PairingError

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C; also for SIGTERM


class Interrupted(PairingError):
    """The command was interrupted before it had anything to write. Exit 130."""

    exit_code = EXIT_INTERRUPTED
