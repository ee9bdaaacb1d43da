"""The ``pairing`` command line (click).

Results go to stdout, progress and errors to stderr; there are no prompts. Errors that the
user can fix end with the exit codes of DESIGN.md (3 invalid input, 4 infeasible, 5
violations) and a message without a traceback; anything else is a bug: exit 1, with the
traceback only under ``--debug``.

A command is a thin shell: it parses its options, calls one job of :mod:`pairing.app` (or
the province's), renders the data it returns (:mod:`pairing.cli.render`) and maps the exit
code; what the job says while it runs comes as notices, rendered on stderr in order.

Interruptions: Ctrl-C and SIGTERM (what ``kill``, systemd and CI runners send) are treated
alike, and an interrupted command always exits 130, whether or not it wrote a result. In
``solve`` and ``schedule`` the first signal stops the search (:mod:`pairing.cli.interrupt`):
the best plan so far is written, marked interrupted and not proven in its summary (an
interrupted schedule is written only when every group already has its days; ``solve
--schedule`` then writes the plan alone), and the exit code is still 130, so a script sees
that the run did not finish; stdout says what was written. A second signal, or the first in
any other command, raises :class:`KeyboardInterrupt`: nothing more is written and no temporary
file is left. A closed stdout (``pairing check x.xlsx | head -1``) is not an error of ours:
nothing more is printed and the exit code is 141, as for any Unix tool stopped by a broken
pipe. A full disk (or a file-size limit) is the machine's, not a bug: a message and exit 3,
as for an output file that cannot be written.

No traceback without ``--debug``, ever: not for an error in a helper thread
(:func:`threading.excepthook`) nor for one Python can only ignore, in a finaliser at exit
(:func:`sys.unraisablehook`).
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import os
import signal
import sys
import threading
from typing import Any

import click

from pairing import __version__
from pairing.cli.console import echo
from pairing.cli.interrupt import EXIT_INTERRUPTED, stop_requested
from pairing.domain.errors import InfeasibleError, InputError, PairingError, RuleViolation

REPORT_BUG = (
    f"内部错误（pairing {__version__}），这是程序的缺陷而不是您的错误：请把所用命令、输入文件和"
    "下面一行报告给维护者；加 --debug 可看完整的出错位置 / internal error in pairing "
    f"{__version__}, a bug rather than a mistake of yours: please report the command, the input "
    "file and the line below to the maintainers; add --debug (before the command) for the "
    "full traceback"
)
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as shells report `yes | head -1`
EXIT_NO_SPACE = 3  # as for an output file that cannot be written (pairing.io.output)
NO_SPACE = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)  # only ever from a write


def echo_err(message: str) -> None:
    """Write one line to stderr."""
    echo(message, err=True)


def report(error: PairingError) -> None:
    """Print a user-fixable error to stderr, one problem a line."""
    if isinstance(error, InputError):
        echo_err(
            f"输入有误，共 {len(error.issues)} 处 / the input has {len(error.issues)} problem(s):"
        )
        for issue in error.issues:
            echo_err(f"  - {issue}")
    elif isinstance(error, RuleViolation):
        count = len(error.violations)
        echo_err(
            f"方案违反硬规则，共 {count} 处，未写出任何文件 / the plan breaks hard rules in "
            f"{count} place(s); nothing was written:"
        )
        for violation in error.violations:
            echo_err(f"  - {violation}")
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
    "cover": "cover",
    "diff": "diff",
    "example": "example",
    "example-ledger": "audit",
    "explain": "solve",
    "report": "html_report",  # not cli.report: that name is the error printer above
    "rescore": "rescore",
    "schedule": "schedule",
    "solve": "solve",
    "sweep": "sweep",
    "template": "template",
    "verify": "verify",
}
# Each command's one-line help, for `pairing --help`: click would import every command module
# to ask it (ortools, pandas, SciPy and networkx: 1 s and 159 MB for a help text).
# tests/test_cli.py checks it against the commands' own docstrings.
COMMAND_HELP: dict[str, str] = {
    "audit": "审计工作台账 / Match LEDGER (工作台账) against the obligations of PLAN.",
    "check": "校验输入工作簿并给出概况 / Validate WORKBOOK and summarise what it asks for.",
    "cover": "包户与网格 / Cover every paired village of PLAN: 1+1 teams, 包户, grids and roster.",
    "diff": "方案对比差异 / Show what changed from plan PLAN_A to plan PLAN_B.",
    "example": "生成示例输入工作簿 / Write the example NAME (gaozhou or province) to OUT.",
    "example-ledger": "生成示例工作台账 / Write a plausible ledger for PLAN to OUT, to try "
    "``pairing audit``.",
    "explain": "解释方案 / Why these units for this village (or villages for this unit)?",
    "report": "生成离线网页报告 / Write PLAN as one self-contained HTML page that needs no "
    "network.",
    "rescore": "重新计分 / Re-cost the pairs of a hand-edited plan and write a fresh, "
    "verifiable plan.",
    "schedule": "排活动日程 / Schedule the duties of every pair of PLAN (a plan workbook).",
    "solve": "求解结对方案 / Pair units with villages and write the plan workbook.",
    "sweep": "方案对比 / Solve WORKBOOK under several settings and compare the plans.",
    "template": "生成空白输入工作簿 / Write a blank input workbook to OUT.",
    "verify": "校验方案 / Re-derive every rule of PLAN from its data and report what breaks.",
}


class PairingGroup(click.Group):
    """A group that turns known errors into exit codes and hides tracebacks of bugs."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command name, without importing any command module."""
        return sorted(set(COMMAND_MODULES) | set(self.commands))

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of ``--help``, from :data:`COMMAND_HELP`: no module imported."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(map(len, names))
        rows = [(name, self._short_help(name, limit)) for name in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def _short_help(self, name: str, limit: int) -> str:
        """A command's one-line help, cut to ``limit`` as click cuts it (a bare command
        holding the text stands in for one not loaded)."""
        command = self.commands.get(name) or click.Command(name, help=COMMAND_HELP[name])
        return command.get_short_help_str(limit)

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
            result = super().invoke(ctx)
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
        except OSError as error:
            if error.errno not in NO_SPACE or (ctx.obj or {}).get("debug"):
                raise _bug(ctx, error) from None
            raise no_space(error) from None
        except Exception as error:
            raise _bug(ctx, error) from None
        if stop_requested(ctx):  # the command wrote its result, marked interrupted
            raise click.exceptions.Exit(EXIT_INTERRUPTED)
        return result


def _bug(ctx: click.Context, error: Exception) -> Exception:
    """The exception to leave ``invoke`` with for a bug: itself with --debug, else exit 1."""
    if (ctx.obj or {}).get("debug"):
        return error
    echo_err(f"{REPORT_BUG}\n  {type(error).__name__}: {error}")
    return click.exceptions.Exit(1)


def no_space(error: OSError) -> click.exceptions.Exit:
    """Say that a write failed for want of space (stdout to a full disk, say); exit 3."""
    silence_stdout()  # what is still buffered for stdout would fail again at exit
    reason = error.strerror or type(error).__name__
    echo_err(
        f"写入失败：磁盘已满或超出文件大小限制（{reason}）；请腾出空间或换一个位置 / a write "
        f"failed: the disk is full or a file size limit was reached ({reason}); free some space "
        "or write elsewhere"
    )
    return click.exceptions.Exit(EXIT_NO_SPACE)


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
    if not debug:
        quiet_tracebacks()


def quiet_tracebacks() -> None:
    """No traceback from a helper thread or a finaliser (see the module notes).

    An error in a helper thread is a bug and says so in one line; an error Python ignores
    (a zip archive's finaliser after a failed write, say) has already been reported by the
    command that failed, and is not shown again.
    """

    def thread_failed(failure: threading.ExceptHookArgs) -> None:
        if failure.exc_type is SystemExit:
            return
        echo_err(f"{REPORT_BUG}\n  {failure.exc_type.__name__}: {failure.exc_value}")

    threading.excepthook = thread_failed
    sys.unraisablehook = lambda _unraisable: None


def main() -> None:
    """Console-script entry point: SIGTERM as Ctrl-C, a closed stdout ends quietly."""
    interrupt_on_sigterm()
    try:
        cli.main(prog_name="pairing")
    except SystemExit as done:
        code = done.code
    except OSError as error:  # from click itself, outside a command: --help to a full disk
        code = _outside_command(error)
    else:  # pragma: no cover - click's standalone mode always exits
        code = 0
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
        code = EXIT_BROKEN_PIPE
    except OSError as error:
        code = _outside_command(error)
    sys.exit(code)


def _outside_command(error: OSError) -> int:
    """The exit code for an error of writing outside any command (help, final flush)."""
    if error.errno in NO_SPACE:
        return no_space(error).exit_code
    if "--debug" in sys.argv[1:]:
        raise error
    silence_stdout()
    echo_err(f"{REPORT_BUG}\n  {type(error).__name__}: {error}")
    return 1
