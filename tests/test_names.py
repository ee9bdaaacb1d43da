"""Names a person reads: calendar files named by name and id, safe on Windows and distinct;
console lines wrapped at spaces and CJK boundaries, never inside a token.

The property tests draw odd names (path characters, controls, trailing dots and spaces,
device names, case and normalisation twins, very long CJK names) and check every file name
against Windows' rules, and that no two are alike (Windows and macOS compare names
case-insensitively, macOS after normalisation), then write them for real.
"""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import unicodedata
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pairing.domain.cells import QUOTE_LIMIT, quote
from pairing.domain.text_width import breaks_at, display_width, wrap
from pairing.io.file_names import alike, file_stem, unique_stems

WINDOWS_FORBIDDEN = set('\\/:*?"<>|') | {chr(c) for c in range(32)}
DEVICES = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {
    f"{d}{n}" for d in ("COM", "LPT") for n in "123456789¹²³"
}  # Microsoft's "Naming Files, Paths, and Namespaces", written out here on purpose
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
        and device not in DEVICES
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


# --- console lines: wrapped at spaces and CJK boundaries, never inside a token ---------------

LATIN_RUN = re.compile(r"[A-Za-z0-9_.%+\-/()]+")
MIXED = st.lists(
    st.sampled_from(
        [*"高州市人大常委会办公室、，（）：", "U015", "26.4", "km", "abc-d", "(U028)", " ", "  "]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(MIXED, st.integers(min_value=4, max_value=60))
def test_wrapping_keeps_every_token_whole(text: str, width: int) -> None:
    """Whatever the text and width: no character but spaces is lost, every Latin run of the
    text stands whole on one line, and a line is wider than ``width`` only when it is one
    unbreakable piece."""
    lines = wrap(text, width)
    assert "".join("".join(lines).split()) == "".join(text.split())
    for token in LATIN_RUN.findall(" ".join(text.split())):
        assert any(token in line for line in lines), (token, lines)
    for line in lines:
        assert display_width(line) <= width or " " not in line.strip()


def test_wrapping_follows_chinese_line_breaking_rules() -> None:
    """A break may fall between CJK characters, never before 、 or ） nor after （."""
    lines = wrap("官杨村（高州市人大常委会办公室、县医院）：走访接待", 8)
    assert all(not line.startswith(("、", "）", "：")) for line in lines)
    assert all(not line.endswith("（") for line in lines)
    assert "".join(lines) == "官杨村（高州市人大常委会办公室、县医院）：走访接待"


def test_a_quoted_cell_is_cut_between_tokens() -> None:
    """Messages quote at most QUOTE_LIMIT characters, cut where a line could break."""
    text = "高州市人大常委会办公室 (U015)、高州市自然资源局 (U028)、县医院 (U033)"
    shown = quote(text)
    assert len(shown) <= QUOTE_LIMIT and shown.endswith("…")
    kept = shown.removesuffix("…")
    assert text.startswith(kept) and breaks_at(text, len(kept))
    assert quote("A" * 100) == "A" * (QUOTE_LIMIT - 1) + "…"  # one run: cut where it must


def in_terminal(args: list[str], columns: int, cwd: Path) -> tuple[int, str]:
    """Run ``pairing`` with a pseudo-terminal of ``columns`` columns as stdout and stderr."""
    main, child = pty.openpty()
    script = Path(sys.executable).with_name("pairing")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "pairing"]
    env = {**os.environ, "COLUMNS": str(columns), "LINES": "40"}
    proc = subprocess.Popen([*command, *args], stdout=child, stderr=child, cwd=cwd, env=env)
    os.close(child)
    chunks = []
    while True:
        ready, _, _ = select.select([main], [], [], 300)
        if not ready:
            proc.kill()
            break
        try:
            chunk = os.read(main, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    return proc.wait(timeout=60), b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_console_lines_fit_a_narrow_terminal_without_cutting_a_token(tmp_path: Path) -> None:
    """`pairing check` of a workbook with a bad cell, in a 60-column terminal: each row fits,
    and every Latin token of the message (ids, numbers, words), as a pipe gets it, is whole on
    one row."""
    source = tmp_path / "in.xlsx"
    subprocess.run(
        [sys.executable, "-m", "pairing", "example", "gaozhou", str(source)],
        check=True,
        capture_output=True,
    )
    workbook = openpyxl.load_workbook(source)
    workbook["单位 units"]["D2"] = "很强 very strong indeed"
    workbook.save(source)
    piped = subprocess.run(
        [sys.executable, "-m", "pairing", "check", str(source)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    code, shown = in_terminal(["check", str(source)], 60, tmp_path)
    assert code == piped.returncode == 3
    assert max(display_width(line) for line in piped.stderr.splitlines()) > 60  # it had to wrap
    rows = shown.splitlines()
    assert all(display_width(row) <= 59 for row in rows), rows
    tokens = LATIN_RUN.findall(piped.stderr)
    assert "(strength)" in tokens and "number" in tokens
    for token in tokens:  # ids, numbers, English words; CJK may break between characters
        assert any(token in row for row in rows), token
