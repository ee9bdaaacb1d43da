"""XML attacks: entity expansion ("billion laughs") and external entities (XXE).

Two layers are proven separately: openpyxl on its own parses with defusedxml (so even a part
we did not pre-check could not expand), and the reader refuses any DTD before openpyxl runs.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedTree

from pairing.domain.errors import InputError
from pairing.io.reader import read_input

from .helpers import timed
from .workbooks import (
    SHEET_HEAD,
    VALID,
    billion_laughs,
    package_parts,
    shared_strings_xml,
    sheet_xml,
    valid_parts,
    write_package,
)

FAST = 5.0  # seconds: generous; expanding the bomb would take minutes and gigabytes
SMALL = 64 * 2**20  # bytes of traced Python memory


def laughing_sheet(encoding: str = "UTF-8") -> str:
    """Return the 单位 sheet with a billion-laughs DTD and ``&lol9;`` as a unit name."""
    rows = [list(row) for row in VALID["单位"]]
    rows[1][1] = "LOLS"
    xml = sheet_xml(rows, prolog=billion_laughs("worksheet"))
    return xml.replace("LOLS", "&lol9;").replace('encoding="UTF-8"', f'encoding="{encoding}"')


def xxe_workbook(tmp_path: Path, marker: str) -> Path:
    """Write a workbook whose shared string 0 is an external entity naming a secret file."""
    secret = tmp_path / "secret.txt"
    secret.write_text(marker, encoding="utf-8")
    dtd = f'<!DOCTYPE sst [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n'
    shared = shared_strings_xml(["XXE"], prolog=dtd).replace("XXE", "&xxe;")
    units = sheet_xml([list(r) for r in VALID["单位"]]).replace(
        '<c r="B2" t="inlineStr"><is><t>林业局</t></is></c>', '<c r="B2" t="s"><v>0</v></c>'
    )
    sheets = {"单位": units, "村": sheet_xml([list(r) for r in VALID["村"]])}
    return write_package(tmp_path / "xxe.xlsx", package_parts(sheets, shared))


def defused_cause(error: BaseException | None) -> bool:
    """Return whether ``error`` or one of its causes is a defusedxml refusal."""
    while error is not None:
        if isinstance(error, DefusedXmlException):
            return True
        error = error.__cause__ or error.__context__
    return False


def test_hand_built_package_reads_clean(tmp_path: Path) -> None:
    """The hand-written parts make a valid workbook, so every refusal below is the attack's."""
    read = read_input(write_package(tmp_path / "ok.xlsx", valid_parts()))
    assert [u.id for u in read.problem.units] == ["U1", "U2"]
    assert [v.id for v in read.problem.villages] == ["V1", "V2"]


def test_openpyxl_is_configured_with_defusedxml() -> None:
    """openpyxl found defusedxml at import and parses parts with its functions."""
    from openpyxl.xml import functions

    assert openpyxl.DEFUSEDXML is True
    assert functions.iterparse is DefusedTree.iterparse
    assert functions.fromstring is DefusedTree.fromstring


def test_openpyxl_alone_refuses_billion_laughs(tmp_path: Path) -> None:
    """Without our checks, openpyxl's streamed sheet parse stops at the entity declaration."""
    path = write_package(tmp_path / "lol.xlsx", valid_parts(单位=laughing_sheet()))

    def parse() -> None:
        workbook = openpyxl.load_workbook(path, read_only=True)
        list(workbook["单位"].iter_rows(values_only=True))

    seconds, peak, raised = timed(parse)
    assert defused_cause(raised), repr(raised)
    assert seconds < FAST and peak < SMALL


def test_openpyxl_alone_refuses_external_entity(tmp_path: Path) -> None:
    """Without our checks, openpyxl refuses the XXE shared strings and never shows the file."""
    marker = "SECRET-7f3a9c"
    path = xxe_workbook(tmp_path, marker)
    seconds, _, raised = timed(lambda: openpyxl.load_workbook(path, read_only=True))
    assert defused_cause(raised), repr(raised)
    assert marker not in str(raised) and seconds < FAST


@pytest.mark.parametrize("encoding", ["UTF-8", "UTF-16"])
def test_reader_refuses_billion_laughs(tmp_path: Path, encoding: str) -> None:
    """The reader refuses the DTD itself (also in UTF-16), fast and in little memory."""
    xml = laughing_sheet(encoding)
    part = xml.encode("utf-16") if encoding == "UTF-16" else xml
    path = write_package(tmp_path / "lol.xlsx", valid_parts(单位=part))
    seconds, peak, raised = timed(lambda: read_input(path))
    assert isinstance(raised, InputError), repr(raised)
    assert "DTD" in str(raised) and "xl/worksheets/sheet1.xml" in str(raised)
    assert seconds < FAST and peak < SMALL


def test_reader_refuses_external_entity_without_reading_it(tmp_path: Path) -> None:
    """XXE in the shared strings: refused as a DTD, the secret file's text appears nowhere."""
    marker = "SECRET-51b0e2"
    path = xxe_workbook(tmp_path, marker)
    _, _, raised = timed(lambda: read_input(path))
    assert isinstance(raised, InputError), repr(raised)
    assert "xl/sharedStrings.xml" in str(raised) and marker not in str(raised)


@pytest.mark.parametrize("part", ["[Content_Types].xml", "xl/workbook.xml", "_rels/.rels"])
def test_dtd_in_any_part_is_refused(tmp_path: Path, part: str) -> None:
    """Parts openpyxl reads before any sheet (manifest, workbook, relationships) are covered."""
    parts = valid_parts()
    text = str(parts[part])
    root = text.index("<", text.index("?>"))
    parts[part] = text[:root] + billion_laughs("x") + text[root:]
    with pytest.raises(InputError, match="DTD"):
        read_input(write_package(tmp_path / "dtd.xlsx", parts))


def test_dtd_behind_a_long_comment_is_refused(tmp_path: Path) -> None:
    """A prolog padded past the scan window with a comment is refused, not skipped."""
    padding = "<!--" + "x" * (200 * 1024) + "-->\n"
    sheet = laughing_sheet().replace("<!DOCTYPE", padding + "<!DOCTYPE", 1)
    with pytest.raises(InputError, match="DTD"):
        read_input(write_package(tmp_path / "pad.xlsx", valid_parts(单位=sheet)))


def test_short_comment_and_instruction_before_root_are_fine(tmp_path: Path) -> None:
    """A comment or processing instruction before the root element is legal and accepted."""
    sheet = SHEET_HEAD.replace("\n", "\n<!-- made by hand --><?hint yes?>\n") + (
        sheet_xml([list(r) for r in VALID["单位"]]).removeprefix(SHEET_HEAD)
    )
    read = read_input(write_package(tmp_path / "c.xlsx", valid_parts(单位=sheet)))
    assert len(read.problem.units) == 2
