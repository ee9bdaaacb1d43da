"""Pure parsers for workbook cells: names, ids, numbers, yes/no, tags and dates.

They live in the domain layer because the reader, the verifier and the auditor must all read
cells the same way (the contract), while sharing no model code. Each parser returns the value
or raises :class:`CellError` with a bilingual sentence; the caller adds sheet, row and column.
Messages quote a cell at most :data:`QUOTE_LIMIT` characters long.

The formula guard of every output (:func:`safe_text`, see :mod:`pairing.io.output`) and its
inverse (:func:`original_text`) live here too, so that readers of the tool's own outputs read
texts back the same way.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable
from typing import TypeVar

from pairing.domain.text_width import cut

# Invisible characters that arrive with pasted text: zero-width spaces and joiners, the BOM, the
# soft hyphen, and bidirectional marks and embeddings (from RTL contexts, web pages).
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
ZERO_WIDTH = dict.fromkeys(map(ord, INVISIBLE), None)
TAG_SPLIT = re.compile(r"[、,，;；/／\s]+")
T = TypeVar("T")
YES = {"是", "y", "yes", "true", "1", "对", "√"}
NO = {"否", "n", "no", "false", "0", "×", ""}
EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_LAST_SERIAL = 2958466  # 9999-12-31 is serial 2958465
DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
# ``中文 (english)``: the last parenthesised part, found in linear time (no nested wildcards,
# so a hostile header of many brackets cannot make the match quadratic).
BILINGUAL = re.compile(r"^(.*)[(（]([^()（）]*)[)）]\s*$", re.DOTALL)
# ``中文 english``: Chinese words, then ASCII words (how DESIGN.md and sheet titles spell names).
ZH_EN = re.compile(r"^([^\x00-\x7f][^\x00-\x7f\s]*(?:\s+[^\x00-\x7f\s]+)*)\s+([\x00-\x7f]+)$")
QUOTE_LIMIT = 40
# OWASP's formula leads; a plain decimal number or a dash placeholder evaluates nothing.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
HARMLESS = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|-+", re.ASCII)


class CellError(ValueError):
    """A cell's value cannot be read as what its column needs."""

    def __init__(self, zh: str, en: str) -> None:
        self.zh = zh
        self.en = en
        super().__init__(f"{zh} / {en}")


def clean_text(value: object) -> str:
    """Return a cell as text: NFKC-normalised, invisible characters removed, trimmed.

    Whole floats print without ``.0`` (an id typed as a number, ``101.0``, reads ``101``).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    # Invisible characters go first: one between a letter and its accent would otherwise
    # block the composition, and a second cleaning would give another text.
    text = unicodedata.normalize("NFKC", str(value).translate(ZERO_WIDTH))
    return text.strip()


def quote(value: object, limit: int = QUOTE_LIMIT) -> str:
    """Return a cell's text for a message, cut to ``limit`` characters with ``…``.

    Messages quote what a planner typed; a hostile 32,767-character cell must not make every
    message that long. The cut falls where a line could break, never inside an id or a word
    (:func:`pairing.domain.text_width.cut`).
    """
    return cut(clean_text(value), limit)


def name_key(text: str) -> str:
    """Return the comparison key of a sheet or column name: case-, space- and width-free."""
    text = clean_text(text).casefold()
    return re.sub(r"[\s_\-]+", "", text)


def name_candidates(header: object) -> set[str]:
    """Return the keys a header may be matched by.

    ``中文 (english)``, ``中文（english）`` and ``中文 english`` yield both parts as well.
    """
    text = clean_text(header)
    keys = {name_key(text)}
    for pattern in (BILINGUAL, ZH_EN):
        match = pattern.match(text)
        if match:
            keys.add(name_key(match.group(1)))
            keys.add(name_key(match.group(2)))
    keys.discard("")
    return keys


def parse_int(value: object) -> int:
    """Read a whole number; ``3``, ``3.0``, ``"３"`` and ``"3.0"`` all give 3."""
    number = parse_float(value)
    if not number.is_integer():
        raise CellError(f"「{quote(value)}」不是整数", f"'{quote(value)}' is not a whole number")
    return int(number)


def parse_float(value: object) -> float:
    """Read a finite number, also when it is stored as text (full-width digits allowed)."""
    if isinstance(value, bool):
        raise CellError("应为数字，不是是/否", "expected a number, not yes/no")
    try:
        if isinstance(value, int | float):
            number = float(value)
        else:
            number = float(clean_text(value).replace(",", ""))
    except OverflowError:  # an integer too large for a float
        number = math.inf
    except ValueError:
        raise CellError(
            f"「{quote(value)}」不是数字", f"'{quote(value)}' is not a number"
        ) from None
    if not math.isfinite(number) or abs(number) > 1e12:
        raise CellError("数字超出合理范围", "the number is out of any sensible range")
    return number


def parse_bool(value: object) -> bool:
    """Read yes/no: 是/否, Y/N, yes/no, true/false, 1/0 (blank is no)."""
    if isinstance(value, bool):
        return value
    text = clean_text(value).casefold()
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellError(
        f"「{quote(value)}」不是是/否",
        f"'{quote(value)}' is not yes/no (是/否, Y/N, 1/0)",
    )


def parse_tags(value: object) -> frozenset[str]:
    """Split a tag cell on 、 , ， ; ； / and spaces."""
    return frozenset(tag for tag in TAG_SPLIT.split(clean_text(value)) if tag)


def parse_or(value: object, parse: Callable[[object], T], default: T) -> T:
    """Return ``parse(value)``, or ``default`` for a blank cell: blank means "the default", never
    an error, for every reader of a workbook alike (``parse`` may raise :class:`CellError`)."""
    return default if clean_text(value) == "" else parse(value)


def parse_date(value: object) -> dt.date:
    """Read a date: an Excel date or serial number, or text like 2026-01-05, 2026/1/5, 2026年1月5日."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    serial = isinstance(value, int | float) and not isinstance(value, bool)
    if serial and isinstance(value, int | float) and 1 <= value < EXCEL_LAST_SERIAL:
        return EXCEL_EPOCH + dt.timedelta(days=int(value))
    text = clean_text(value)
    for pattern in (DATE_TEXT, DATE_COMPACT):
        match = pattern.match(text.split(" ")[0].split("T")[0])
        if match:
            try:
                return dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                break
    raise CellError(
        f"「{quote(text)}」不是日期，请写成 2026-01-05 或使用 Excel 日期格式",
        f"'{quote(text)}' is not a date; write 2026-01-05 or use an Excel date cell",
    )


def formula_like(text: str) -> bool:
    """Return whether a spreadsheet could read ``text`` as a formula (OWASP's first chars)."""
    return text.startswith(FORMULA_LEADS)


def safe_text(value: str) -> str:
    """Return ``value`` so that no spreadsheet evaluates it: ``'`` before a formula-like text.

    Plain decimal numbers (``-5``) and dash placeholders (``-``) are kept as they are.
    """
    if formula_like(value) and HARMLESS.fullmatch(value) is None:
        return "'" + value
    return value


def original_text(value: str) -> str:
    """Return the text that :func:`safe_text` was given (for readers of our own outputs).

    Exact for every text that does not itself start with ``'`` followed by a formula-like
    text (``'=x`` is written unchanged and read back as ``=x``).
    """
    if value.startswith("'") and safe_text(value[1:]) == value:
        return value[1:]
    return value
