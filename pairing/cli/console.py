"""Console output that a terminal does not cut inside a word.

A terminal wraps a long line at its last column, wherever that falls: ``U0`` at the end of
one row, ``15`` at the start of the next. :func:`echo` wraps such a line itself, at a space
or beside a CJK character (:func:`pairing.domain.text_width.wrap`), the continuation
indented under the line's own indent plus two, when it writes to a terminal. Output to a
pipe or a file is left whole, one record a line, as scripts and ``grep`` expect.
"""

from __future__ import annotations

import shutil
import sys
from typing import IO

import click

from pairing.domain.text_width import display_width, wrap

HANG = 2  # extra indent of a wrapped line's continuation
NARROWEST = 20  # below this a terminal's own wrapping is the lesser evil


def terminal_width(stream: IO[str]) -> int | None:
    """The columns to wrap at on ``stream``, or ``None`` when it is not a terminal."""
    try:
        if not stream.isatty():
            return None
    except (AttributeError, ValueError):  # a closed or unusual stream
        return None
    columns = (
        shutil.get_terminal_size().columns - 1
    )  # a full last column makes some terminals skip a row
    return columns if columns >= NARROWEST else None


def fitted(line: str, width: int) -> list[str]:
    """One line as the rows it takes in ``width`` columns, continuations hanging."""
    if display_width(line) <= width:
        return [line]
    body = line.lstrip(" ")
    indent = " " * (len(line) - len(body))
    hang = indent + " " * HANG
    first, *rest = wrap(body, max(NARROWEST, width - len(hang)))
    return [indent + first, *(hang + part for part in rest)]


def echo(message: object = "", err: bool = False, nl: bool = True) -> None:
    """:func:`click.echo`, each line fitted to the terminal's width when it is one."""
    stream = sys.stderr if err else sys.stdout
    width = terminal_width(stream)
    text = "" if message is None else str(message)
    if width is None or not nl or "\r" in text:  # progress lines rewrite themselves
        click.echo(text, err=err, nl=nl)
        return
    rows = [row for line in text.split("\n") for row in fitted(line, width)]
    click.echo("\n".join(rows), err=err)
