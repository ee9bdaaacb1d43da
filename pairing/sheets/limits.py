"""Bounds on the work one input may cause, and the budget that enforces them while rows are read.

Every file the tool opens (an input workbook or CSV folder, a plan, a ledger) is read under one
:class:`Limits`. The defaults suit a province-sized workbook; an operator (or a test) may change
them through the environment variable ``PAIRING_LIMITS``, for example
``PAIRING_LIMITS="max_rows=1000,max_bytes=1000000"``: a comma-separated list of
``field=number`` over the fields of :class:`Limits`.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from pairing.domain.errors import InputError, Issue

KiB = 2**10
MiB = 2**20
LIMITS_ENV = "PAIRING_LIMITS"


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on the work one input may cause. Defaults suit a province-sized workbook.

    - ``max_bytes``: size of the file (or of one CSV) on disk.
    - ``max_uncompressed``: all zip members together, uncompressed.
    - ``max_part``: one part that openpyxl reads whole (shared strings, styles, the workbook, ...);
      worksheets are streamed and bounded by ``max_uncompressed`` and the cell budget.
    - ``max_ratio``, ``ratio_floor``: highest compression ratio of one member larger than
      ``ratio_floor`` bytes (sheet XML compresses 5-30 times; a zip bomb a thousand times).
    - ``max_members``: number of parts in the zip, or of ``.csv`` files in a folder.
    - ``max_cells``, ``max_rows``: cells in all sheets together (blank cells and rows count); rows
      of one sheet (Excel's own limit).
    - ``max_string``: characters in one cell (Excel's own limit); a longer text is located and
      refused.
    - ``max_text``: characters in all cells together: bounds the memory of everything derived from
      text.
    - ``max_prolog``: bytes of an XML part read to find its root element.
    """

    max_bytes: int = 200 * MiB
    max_uncompressed: int = 512 * MiB
    max_part: int = 64 * MiB
    max_ratio: float = 100.0
    ratio_floor: int = 10 * MiB
    max_members: int = 10_000
    max_cells: int = 5_000_000
    max_rows: int = 1_048_576
    max_string: int = 32_767
    max_text: int = 50_000_000
    max_prolog: int = 64 * KiB

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """Return the defaults with the changes named in ``PAIRING_LIMITS`` (see the module).

        A malformed setting is an input error naming the variable, not a silent default: a
        limit an operator believes in must be the one applied.
        """
        text = (os.environ if environ is None else environ).get(LIMITS_ENV, "").strip()
        if not text:
            return cls()
        kinds = {f.name: f.type for f in dataclasses.fields(cls)}
        changes: dict[str, Any] = {}
        for item in filter(None, (part.strip() for part in text.split(","))):
            name, _, value = (piece.strip() for piece in item.partition("="))
            number = _positive(value, float if kinds.get(name) == "float" else int)
            if name not in kinds or number is None:
                raise InputError([_bad_setting(item, sorted(kinds))])
            changes[name] = number
        return dataclasses.replace(cls(), **changes)

    def too_big(self, name: str, size: int) -> Issue:
        """Return the issue for a file larger than ``max_bytes``."""
        return _whole(
            name,
            f"文件过大（{size / MiB:.0f} MB，上限 {self.max_bytes / MiB:.0f} MB）；请删去多余内容",
            f"the file is too large ({size / MiB:.0f} MB; the limit is "
            f"{self.max_bytes / MiB:.0f} MB); remove what is not needed",
        )

    def too_many_cells(self, sheet: str, source: str = "") -> Issue:
        """Return the issue for an input with more than ``max_cells`` cells."""
        zh, en = _in(source)
        return _whole(
            sheet,
            f"单元格过多{zh}（上限 {self.max_cells:,}）；请删去多余内容",
            f"too many cells{en} (limit {self.max_cells:,}); remove what is not needed",
        )

    def too_many_rows(self, sheet: str, source: str = "") -> Issue:
        """Return the issue for a sheet with more than ``max_rows`` rows."""
        zh, en = _in(source)
        return _whole(
            sheet,
            f"行数超过 {self.max_rows:,}{zh}；请删去多余的行",
            f"more than {self.max_rows:,} rows{en}; delete the rows that are not needed",
        )

    def too_much_text(self, sheet: str, source: str = "") -> Issue:
        """Return the issue for an input with more than ``max_text`` characters of text."""
        zh, en = _in(source)
        return _whole(
            sheet,
            f"文字总量超过 {self.max_text:,} 个字符{zh}；请删去多余内容",
            f"more than {self.max_text:,} characters of text in all{en}; remove what is not needed",
        )

    def too_long(self, sheet: str, row: int, column: int, length: int, source: str = "") -> Issue:
        """Return the issue for one cell (0-based ``column``) longer than ``max_string``."""
        zh, en = _in(source)
        return Issue(
            sheet,
            row,
            get_column_letter(column + 1),
            f"单元格文字过长{zh}（{length:,} 字，Excel 上限 {self.max_string:,}）；请缩短",
            f"the cell's text is too long{en} ({length:,} characters; Excel's limit is "
            f"{self.max_string:,}); shorten it",
        )


def _whole(sheet: str, zh: str, en: str) -> Issue:
    """Return an issue about a whole file, sheet or setting: a limit has no row or column."""
    return Issue(sheet, None, None, zh, en)


def _in(source: str) -> tuple[str, str]:
    """Return how a message names the file ``source`` a sheet is in (nothing when unnamed).

    ``audit`` reads two workbooks, so a sheet's name alone may not say which file is meant.
    """
    return (f"（文件 {source}）", f" (in {source})") if source else ("", "")


def _positive(text: str, kind: type[int] | type[float]) -> int | float | None:
    """Return ``text`` as a positive number of ``kind``, or None when it is not one."""
    try:
        number = kind(text.replace("_", ""))
    except ValueError:
        return None
    return number if number > 0 else None


def _bad_setting(item: str, names: Sequence[str]) -> Issue:
    """Return the issue for one malformed item of ``PAIRING_LIMITS``."""
    return _whole(
        LIMITS_ENV,
        f"环境变量 {LIMITS_ENV} 中的「{item[:40]}」无效；应为 名称=正数，名称可为 {', '.join(names)}",
        f"'{item[:40]}' in the environment variable {LIMITS_ENV} is invalid; write name=number "
        f"(a positive number), the name one of {', '.join(names)}",
    )


@dataclass
class Budget:
    """Counts the cells, rows and text of one input while it is read.

    Exceeding a total raises at once; every over-long cell is recorded with its location in
    ``issues`` and reading goes on, so that all of them are reported together.
    """

    limits: Limits
    cells: int = 0
    text: int = 0
    issues: list[Issue] = field(default_factory=list)

    def mark(self) -> tuple[int, int, int]:
        """Return the state to go back to when a file is read again (another encoding)."""
        return self.cells, self.text, len(self.issues)

    def reset(self, mark: tuple[int, int, int]) -> None:
        """Go back to a state returned by :meth:`mark`."""
        self.cells, self.text, kept = mark
        del self.issues[kept:]

    def take(self, sheet: str, row: int, values: Sequence[object], source: str = "") -> None:
        """Account for Excel row ``row`` (1-based) of ``sheet`` (in the file named ``source``)."""
        limits = self.limits
        if row > limits.max_rows:
            raise InputError([limits.too_many_rows(sheet, source)])
        self.cells += max(1, len(values))
        if self.cells > limits.max_cells:
            raise InputError([limits.too_many_cells(sheet, source)])
        lengths = [len(value) if isinstance(value, str) else 0 for value in values]
        self.text += sum(lengths)
        if self.text > limits.max_text:
            raise InputError([limits.too_much_text(sheet, source)])
        for column, length in enumerate(lengths):
            if length > limits.max_string:
                self.issues.append(limits.too_long(sheet, row, column, length, source))
