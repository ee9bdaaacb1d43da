"""Names a person reads: calendar files named by name and id, safe on Windows and distinct.

The property tests draw odd names (path characters, controls, trailing dots and spaces,
device names, case and normalisation twins, very long CJK names) and check every file name
against Windows' rules, and that no two are alike (Windows and macOS compare names
case-insensitively, macOS after normalisation), then write them for real.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pairing.io.file_names import RESERVED, alike, file_stem, unique_stems

WINDOWS_FORBIDDEN = set('\\/:*?"<>|') | {chr(c) for c in range(32)}
PIECES = st.sampled_from(
    ["县医院", "CON", "con", "Nul", "LPT1", "COM¹", ".", " ", "..", "a", "A", "é", "e\u0301",
     "/", "\\", ":", "*", "?", '"', "<", ">", "|", "\t", "\n", "\u202e", "\x00", "\u3000",
     "甲、乙", "~", "-", "财政局" * 20, "\ud800"]
)  # fmt: skip
ODD = st.lists(PIECES, max_size=6).map("".join) | st.text(max_size=40)


def windows_accepts(name: str) -> bool:
    """Whether Windows (NTFS, Explorer) takes ``name`` as a file name."""
    device = name.split(".", 1)[0].rstrip(" ").upper()
    return (
        bool(name)
        and not WINDOWS_FORBIDDEN & set(name)
        and not name.endswith((".", " "))
        and device not in RESERVED
        and len(name.encode("utf-16-le")) // 2 <= 255
        and len(name.encode("utf-8")) <= 200  # the temporary name around it stays < 255 bytes
        and all(not 0xD800 <= ord(c) <= 0xDFFF for c in name)
    )


def test_names_read_as_name_and_id() -> None:
    """The example's form: ``县医院-U028``; a device name is escaped; a cleaned id is hashed."""
    assert file_stem("县医院", "U028") == "县医院-U028"
    assert file_stem("", "CON") == "_CON"
    assert file_stem("con.x", "U1") == "_con.x-U1"
    assert file_stem("a/b: c?", "V1") == "a_b_ c_-V1"
    assert file_stem("县医院. ", "U028") == "县医院-U028"
    assert file_stem("甲", "a/b").startswith("甲-a_b~")


def test_alike_owners_get_distinct_names() -> None:
    """A unit and a village of one name and id, and ids that differ in case only, never share
    a file; owners that are not alike keep their plain names."""
    stems = unique_stems(
        [("unit", "甲", "X1"), ("village", "甲", "X1"), ("unit", "乙", "u1"), ("unit", "乙", "U1"),
         ("unit", "丙", "U2")]
    )  # fmt: skip
    assert len({alike(stem) for stem in stems}) == 5
    assert stems[4] == "丙-U2" and stems[0] != stems[1] and stems[0].startswith("甲-X1~")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["unit", "village"]), ODD, ODD), max_size=12))
def test_any_names_give_windows_safe_distinct_names(owners: list[tuple[str, str, str]]) -> None:
    """Whatever the names and ids: every file name is one Windows takes, none two alike."""
    owners = list({(kind, name, identifier) for kind, name, identifier in owners})
    stems = unique_stems(owners)
    assert all(windows_accepts(f"{stem}.ics") for stem in stems), stems
    assert len({alike(stem) for stem in stems}) == len(stems)
    assert all(unicodedata.is_normalized("NFC", stem) for stem in stems)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.sampled_from(["unit", "village"]), ODD, ODD), max_size=6))
def test_the_names_can_be_written(tmp_path: Path, owners: list[tuple[str, str, str]]) -> None:
    """Each name is a file of its own on this file system, in one folder."""
    owners = list(set(owners))
    folder = tmp_path / f"case{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    for stem in unique_stems(owners):
        (folder / f"{stem}.ics").write_text("x", encoding="utf-8")
    assert len(list(folder.iterdir())) == len(owners)
