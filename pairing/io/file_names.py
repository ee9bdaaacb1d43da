"""File names a person recognises, that every file system accepts: ``县医院-U028.ics``.

County offices run Windows, so a name follows its rules (and those of macOS and Linux): none
of ``\\ / : * ? " < > |`` nor a control character, no trailing dot or space, not a device
name (``CON``, ``NUL``, ``COM1``, ... also before a dot: ``con.txt`` opens the console), at
most 255 bytes with the temporary name :func:`pairing.io.output.atomic_path` puts around it.
Windows and macOS compare names case-insensitively, macOS after Unicode normalisation, so two
names are "alike" when their NFC case-folded forms are equal; alike names get a short hash of
their owner, never a silent overwrite.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence

FORBIDDEN = re.compile(r'[\\/:*?"<>|]')
RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{device}{n}" for device in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³")]
)
NAME_BYTES = 90  # of the name part: 30 CJK characters, enough to tell units apart
ID_BYTES = 48  # of the id part; a longer id is cut and hashed
HASH_LENGTH = 8


def _cleaned(text: str) -> str:
    """``text`` in NFC with forbidden and control characters as ``_``, runs of space as one."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        category = unicodedata.category(char)
        if FORBIDDEN.match(char):
            out.append("_")
        elif category[0] == "Z" or char.isspace():  # a line break typed into a name, too
            out.append(" ")
        elif category[0] == "C":  # other controls, format marks, surrogates, unassigned
            out.append("_")
        else:
            out.append(char)
    return re.sub(" +", " ", "".join(out)).strip(" .")


def _cut(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes at a character boundary, ends tidied."""
    cut = text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")
    return cut.rstrip(" .")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_LENGTH]


def _not_reserved(stem: str) -> str:
    """``stem``, with ``_`` before it when Windows would read it as a device."""
    device = stem.split(".", 1)[0].rstrip(" ").upper()
    return f"_{stem}" if device in RESERVED else stem


def file_stem(name: str, identifier: str) -> str:
    """Return the stem ``<name>-<id>`` of one owner's file, safe on every file system.

    ``name``: the unit's or village's name (may be blank); ``identifier``: its id. An id that
    had to change (cut or cleaned) gets a hash of itself, so two ids never share a stem.
    """
    tag = _cut(_cleaned(identifier), ID_BYTES)
    if tag != identifier or not tag:
        tag = f"{tag}~{_digest(identifier)}" if tag else _digest(identifier)
    label = _cut(_cleaned(name), NAME_BYTES)
    return _not_reserved(f"{label}-{tag}" if label else tag)


def alike(stem: str) -> str:
    """The form under which Windows or macOS would take two names for one file."""
    return unicodedata.normalize("NFC", stem).casefold()


def unique_stems(owners: Sequence[tuple[str, str, str]]) -> list[str]:
    """Return a stem per owner ``(kind, name, id)``, no two alike (:func:`alike`).

    Owners whose stems are alike (a unit and a village of one name and id, ids differing only
    in case) each get a hash of their kind and id; a clash left after that, which a hash makes
    all but impossible, is numbered in order.
    """
    stems = [file_stem(name, identifier) for _, name, identifier in owners]
    counts: dict[str, int] = {}
    for stem in stems:
        counts[alike(stem)] = counts.get(alike(stem), 0) + 1
    stems = [
        f"{stem}~{_digest(f'{kind}|{identifier}')}" if counts[alike(stem)] > 1 else stem
        for stem, (kind, _, identifier) in zip(stems, owners, strict=True)
    ]
    taken: set[str] = set()
    out = []
    for stem in stems:
        chosen, number = stem, 1
        while alike(chosen) in taken:
            number += 1
            chosen = f"{stem}-{number}"
        taken.add(alike(chosen))
        out.append(chosen)
    return out
