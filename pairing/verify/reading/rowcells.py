"""Read the cells of one table row with the domain's parsers, recording what cannot be read.

A cell that does not parse becomes an ``INT`` finding at its sheet and row, and the row is
marked failed so that the caller can leave it out; the verifier goes on with the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from pairing.domain.cells import CellError, parse_or
from pairing.domain.schema import Choice, find_choice
from pairing.domain.text_width import cut
from pairing.verify.reading.tables import Row, Table
from pairing.verify.report.findings import INTEGRITY, Finding

T = TypeVar("T")


QUOTE_LIMIT = 40  # characters of a cell a finding quotes (issue 14 item 15)


@dataclass(frozen=True, slots=True)
class RowCells:
    """One row of a table, read cell by cell into ``sink``.

    - ``table``: the table the row belongs to.
    - ``number``: the Excel row.
    - ``values``: the row's cells.
    - ``sink``: where findings go.
    - ``mark``: how many findings ``sink`` held when the row was opened.
    """

    table: Table
    number: int
    values: Row
    sink: list[Finding]
    mark: int

    @classmethod
    def open(cls, table: Table, number: int, values: Row, sink: list[Finding]) -> RowCells:
        """Return a reader of one row that records into ``sink``.

        - ``table``: the table.
        - ``number``: the Excel row.
        - ``values``: the row's cells.

        Returns the reader.
        """
        return cls(table, number, values, sink, len(sink))

    @property
    def failed(self) -> bool:
        """Return whether any cell of this row could not be read."""
        return len(self.sink) > self.mark

    def text(self, key: str) -> str:
        """Return a column's clean text (``''`` when blank or absent).

        ``key``: English column key.

        Returns the text.
        """
        return self.table.text(self.values, key)

    def fail(self, zh: str, en: str) -> None:
        """Record a finding on this row.

        ``zh``, ``en``: what is wrong.
        """
        self.sink.append(Finding(INTEGRITY, self.table.sheet, self.number, zh, en))

    def required(self, key: str) -> str:
        """Return a column's text; record a finding when it is blank.

        ``key``: English column key.

        Returns the text (``''`` when blank).
        """
        text = self.text(key)
        if not text:
            self.fail(f"「{key}」不能为空", f"'{key}' must not be blank")
        return text

    def parsed(self, key: str, parse: Callable[[object], T], default: T) -> T:
        """Return a parsed cell; blank gives ``default``; an unreadable cell is recorded.

        - ``key``: English column key.
        - ``parse``: a parser of :mod:`pairing.domain.cells` (or one of the same shape).
        - ``default``: the value of a blank cell.

        Returns the value.
        """
        try:
            return parse_or(self.table.get(self.values, key), parse, default)
        except CellError as error:
            self.fail(f"「{key}」{error.zh}", f"'{key}': {error.en}")
            return default

    def choice(self, key: str, choices: tuple[Choice, ...], default: str | None) -> str | None:
        """Return the value of an enum cell; blank gives ``default``; others are recorded.

        - ``key``: English column key.
        - ``choices``: the allowed values.
        - ``default``: the value of a blank cell.

        Returns the choice's stored value.
        """
        text = self.text(key)
        if not text:
            return default
        found = find_choice(choices, text)
        if found is None:
            shown = cut(text, QUOTE_LIMIT)
            self.fail(f"「{key}」的值「{shown}」不是可选值", f"'{key}': '{shown}' is not allowed")
            return default
        return found.value
