"""Errors that carry locations a planner can act on.

Every problem found in an input names the sheet, the Excel row and the column, says what is
wrong and how to fix it, in Chinese and in English. The reader collects all of them and raises
one :class:`InputError`, so a planner fixes a workbook in one round, not one error at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

# Characters of one message, in either language: far above any sentence the tool writes, yet a
# bound whatever a message quotes (cells are quoted at most 40 characters,
# :func:`pairing.domain.cells.quote`; this holds for a site that forgot to).
MESSAGE_LIMIT = 2_000


def clip(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """Return ``text`` cut to ``limit`` characters, the last one ``…`` when it was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem in an input workbook.

    Attributes
    ----------
    sheet
        Sheet name as the contract spells it (``单位 units``), or the file name.
    row
        Excel row number (1-based), or ``None`` for a whole-sheet problem.
    column
        Column header as the contract spells it, or ``None``.
    zh, en
        What is wrong and how to fix it, in Chinese and in English.
    rule
        A rule id (``P03``) when the problem is a contradiction of rules, else ``""``.
    """

    sheet: str
    row: int | None
    column: str | None
    zh: str
    en: str
    rule: str = ""

    def __post_init__(self) -> None:
        """Bound the message (:data:`MESSAGE_LIMIT`): 15 cells of 32,000 characters must not
        print 2.9 MB."""
        object.__setattr__(self, "zh", clip(self.zh))
        object.__setattr__(self, "en", clip(self.en))

    def location(self) -> str:
        """Return ``sheet!row, column`` as a planner reads it."""
        parts = [self.sheet]
        if self.row is not None:
            parts.append(f"第{self.row}行 row {self.row}")
        if self.column:
            parts.append(f"列 column「{self.column}」")
        return ", ".join(parts)

    def __str__(self) -> str:
        tag = f"[{self.rule}] " if self.rule else ""
        return f"{tag}{self.location()}: {self.zh} / {self.en}"


class PairingError(Exception):
    """Base of the errors the CLI turns into an exit code and a message (no traceback)."""

    exit_code = 1


class InputError(PairingError):
    """The input is invalid; every problem is listed. Exit code 3."""

    exit_code = 3

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = list(issues)
        super().__init__("\n".join(str(issue) for issue in self.issues))


class InfeasibleError(PairingError):
    """No plan satisfies the hard rules. Exit code 4.

    ``reasons`` are sentences naming the conflicting rules, rows and ids.
    """

    exit_code = 4

    def __init__(self, reasons: list[Issue]) -> None:
        self.reasons = list(reasons)
        super().__init__("\n".join(str(reason) for reason in self.reasons))


class RuleViolation(PairingError):
    """A plan chosen by hand breaks hard rules; each issue names the rule, the row and the
    ids. Exit code 5, as for a verification that finds violations."""

    exit_code = 5

    def __init__(self, violations: list[Issue]) -> None:
        self.violations = list(violations)
        super().__init__("\n".join(str(issue) for issue in self.violations))
