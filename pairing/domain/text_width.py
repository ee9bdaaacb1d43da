"""How wide a text is on screen or paper, and how it wraps without cutting a word.

CJK and full-width characters take two cells, others one (:func:`display_width`). A line may
break at a space or beside a CJK character, never inside a run of Latin letters, digits and
signs (an id like ``U015``, a number like ``26.4``, a word); not before closing punctuation
(``、，。）``) nor after an opening one (``（「``), as Chinese typesetting wants. A word longer
than the whole line stands on a line of its own, uncut.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

NO_BREAK_BEFORE = frozenset("、，。．：；！？）」』》】〉…·,.;:!?)]}%")
NO_BREAK_AFTER = frozenset("（「『《【〈([{")


def char_width(char: str) -> int:
    """Return the cells one character takes (2 for wide and full-width, 0 for combining)."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def display_width(text: str) -> int:
    """Return the cells ``text`` takes on one line (CJK counts 2)."""
    return sum(char_width(char) for char in text)


def breaks_at(text: str, index: int) -> bool:
    """Whether a line may break before ``text[index]`` (see the module's rules)."""
    if not 0 < index < len(text):
        return index == len(text)
    before, after = text[index - 1], text[index]
    if before.isspace() or after.isspace():
        return True
    if after in NO_BREAK_BEFORE or before in NO_BREAK_AFTER:
        return False
    return char_width(before) == 2 or char_width(after) == 2


def cut(text: str, limit: int, mark: str = "…") -> str:
    """``text`` shortened to at most ``limit`` characters (``mark`` included) where a line
    could break, so no id or word is cut in two; a single run longer than that (a hostile
    cell of one long word) is cut where it must."""
    if len(text) <= limit:
        return text
    room = limit - len(mark)
    end = next((i for i in range(room, 0, -1) if breaks_at(text, i)), room)
    return text[:end].rstrip() + mark


def _atoms(text: str) -> Iterator[tuple[str, bool]]:
    """Yield the unbreakable pieces of ``text``, each with whether a space came before it."""
    piece, spaced, after_space = "", False, False
    for char in text:
        if char.isspace():
            if piece:
                yield piece, spaced
                piece = ""
            after_space = True
            continue
        wide = char_width(char) == 2
        joins = bool(piece) and (
            char in NO_BREAK_BEFORE
            or piece[-1] in NO_BREAK_AFTER
            or not (wide or char_width(piece[-1]) == 2)
        )
        if piece and (after_space or not joins):
            yield piece, spaced
            piece = ""
        if not piece:
            spaced, after_space = after_space, False
        piece += char
    if piece:
        yield piece, spaced


def wrap(text: str, width: int) -> list[str]:
    """Return ``text`` as lines of at most ``width`` cells, broken only where a reader allows.

    A line break inside ``text`` starts a new line; a piece wider than ``width`` (a long id
    or address) gets a line of its own rather than being cut. Spaces at a break are dropped.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for piece, spaced in _atoms(paragraph):
            joined = f"{line} {piece}" if spaced and line else line + piece
            if line and display_width(joined) > width:
                lines.append(line)
                joined = piece
            line = joined
        lines.append(line)
    return lines
