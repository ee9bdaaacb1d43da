"""The ``pairing`` command line (click).

Results go to stdout, progress and errors to stderr; there are no prompts. Errors that the
user can fix end with the exit codes of DESIGN.md (3 invalid input, 4 infeasible, 5
violations) and a message without a traceback; anything else is a bug: exit 1, with the
traceback only under ``--debug``.
"""

from __future__ import annotations

from typing import Any

import click

from pairing import __version__
from pairing.domain.errors import InfeasibleError, InputError, PairingError

REPORT_BUG = (
    "内部错误，请附上命令与输入文件报告给维护者（加 --debug 可看详细信息）/ internal error: please "
    "report it with the command and the input file (add --debug for details)"
)


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


class PairingGroup(click.Group):
    """A group that turns known errors into exit codes and hides tracebacks of bugs."""

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
            raise click.exceptions.Exit(130) from None
        except Exception as error:
            if (ctx.obj or {}).get("debug"):
                raise
            echo_err(f"{REPORT_BUG}\n  {type(error).__name__}: {error}")
            raise click.exceptions.Exit(1) from None


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


def _register() -> None:
    """Add the commands of every module in this package that defines ``COMMANDS``."""
    import importlib
    import pkgutil

    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for command in getattr(module, "COMMANDS", ()):
            cli.add_command(command)


_register()


def main() -> None:
    """Console-script entry point."""
    cli.main(prog_name="pairing")
