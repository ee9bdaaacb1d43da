"""The ``pairing`` command line (click).

Results go to stdout, progress and errors to stderr; there are no prompts. Errors that the
user can fix end with the exit codes of DESIGN.md (3 invalid input, 4 infeasible, 5
violations) and a message without a traceback; anything else is a bug: exit 1, with the
traceback only under ``--debug``.

Interruptions: Ctrl-C and SIGTERM (what ``kill``, systemd and CI runners send) both raise
:class:`KeyboardInterrupt` in the command, so a long solve can catch it and write its best
result so far; a command that ends without a result exits 130. A closed stdout (``pairing
check x.xlsx | head -1``) is not an error of ours: nothing more is printed and the exit code
is 141, as for any Unix tool stopped by a broken pipe.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import signal
import sys
from typing import Any

import click

from pairing import __version__
from pairing.domain.errors import InfeasibleError, InputError, PairingError

REPORT_BUG = (
    f"内部错误（pairing {__version__}），这是程序的缺陷而不是您的错误：请把所用命令、输入文件和"
    "下面一行报告给维护者；加 --debug 可看完整的出错位置 / internal error in pairing "
    f"{__version__}, a bug rather than a mistake of yours: please report the command, the input "
    "file and the line below to the maintainers; add --debug (before the command) for the "
    "full traceback"
)
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as shells report `yes | head -1`


def echo_err(message: str) -> None:
    """Write one line to stderr."""
    click.echo(message, err=True)


def report(error: PairingError) -> None:
    """Print a user-fixable error to stderr, one problem a line."""
    if isinstance(error, InputError):
        echo_err(
            f"输入有误，共 {len(error.issues)} 处 / the input has {len(error.issues)} problem(s):"
        )
        for issue in error.issues:
            echo_err(f"  - {issue}")
    elif isinstance(error, InfeasibleError):
        echo_err("没有满足全部硬规则的方案 / no plan satisfies every hard rule:")
        for reason in error.reasons:
            echo_err(f"  - {reason}")
    else:
        echo_err(str(error))


# Command name -> module of this package defining it (in its ``COMMANDS``). Commands load only
# when called, so `pairing check` does not pay for importing the solver (ortools, SciPy);
# tests/test_cli.py checks this table against the modules.
COMMAND_MODULES: dict[str, str] = {
    "audit": "audit",
    "check": "check",
    "example": "example",
    "example-ledger": "audit",
    "explain": "solve",
    "schedule": "schedule",
    "solve": "solve",
    "template": "template",
    "verify": "verify",
}


class PairingGroup(click.Group):
    """A group that turns known errors into exit codes and hides tracebacks of bugs."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command name, without importing any command module."""
        return sorted(set(COMMAND_MODULES) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Import the module of ``cmd_name`` on first use."""
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            module = importlib.import_module(f"{__name__}.{COMMAND_MODULES[cmd_name]}")
            for command in module.COMMANDS:
                self.commands.setdefault(command.name or "", command)
        return self.commands.get(cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; map :class:`PairingError` and unexpected exceptions to exit codes."""
        try:
            return super().invoke(ctx)
        except PairingError as error:
            report(error)
            raise click.exceptions.Exit(error.exit_code) from None
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            echo_err("已中断 / interrupted")
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None
        except BrokenPipeError:
            silence_stdout()
            raise click.exceptions.Exit(EXIT_BROKEN_PIPE) from None
        except Exception as error:
            if (ctx.obj or {}).get("debug"):
                raise
            echo_err(f"{REPORT_BUG}\n  {type(error).__name__}: {error}")
            raise click.exceptions.Exit(1) from None


def silence_stdout() -> None:
    """Point stdout at the null device, so that the final flush cannot fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)


def interrupt_on_sigterm() -> None:
    """Make SIGTERM raise :class:`KeyboardInterrupt`, as Ctrl-C does (main thread only)."""
    with contextlib.suppress(ValueError):  # not the main thread: leave signals alone
        signal.signal(signal.SIGTERM, signal.default_int_handler)


@click.group(cls=PairingGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pairing")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """结对共建：单位与重点村结对、排活动日程、审计台账。

    Pair county units with key villages, schedule their duties, verify plans and audit ledgers.
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def main() -> None:
    """Console-script entry point: SIGTERM as Ctrl-C, a closed stdout ends quietly."""
    interrupt_on_sigterm()
    try:
        cli.main(prog_name="pairing")
    except SystemExit as done:
        code = done.code
    else:  # pragma: no cover - click's standalone mode always exits
        code = 0
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
        code = EXIT_BROKEN_PIPE
    sys.exit(code)
