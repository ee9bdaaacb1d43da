"""Builders of valid, broken and hostile input workbooks for the hostile-input tests.

Two ways to make a workbook: :func:`write_xlsx` through openpyxl (ordinary content), and
:func:`write_package` from hand-written XML parts (what openpyxl would never write: DTDs,
lying sizes, streamed zip bombs). :data:`VALID` is a small input that checks clean; each
broken case changes one thing about it, so a refusal can only come from that change.
"""

from __future__ import annotations

import copy
import csv
import re
import struct
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
from openpyxl.utils import get_column_letter

Rows = list[list[object]]
Sheets = dict[str, Rows]

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml"
WORKSHEET_CT = f"{SPREADSHEET}.worksheet+xml"
SHARED_CT = f"{SPREADSHEET}.sharedStrings+xml"
WORKBOOK_CT = f"{SPREADSHEET}.sheet.main+xml"
SHEET_HEAD = f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="{MAIN_NS}">'

VALID: Sheets = {
    "单位": [
        ["单位编号", "单位名称", "系统", "最多村数"],
        ["U1", "林业局", "政府部门", 2],
        ["U2", "税务局", "事业单位", 2],
    ],
    "村": [
        ["村编号", "村名", "所属镇"],
        ["V1", "荷垌村", "曹江镇"],
        ["V2", "石龙村", "曹江镇"],
    ],
}


def valid_sheets() -> Sheets:
    """Return a fresh deep copy of :data:`VALID` to change."""
    return copy.deepcopy(VALID)


def write_xlsx(path: Path, sheets: Mapping[str, Sequence[Sequence[object]]]) -> Path:
    """Write ``sheets`` (name -> rows of values) as an ``.xlsx`` through openpyxl."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for name, rows in sheets.items():
        worksheet = workbook.create_sheet(name)
        for row in rows:
            worksheet.append(list(row))
    workbook.save(path)
    return path


def write_csv_folder(
    folder: Path, sheets: Mapping[str, Sequence[Sequence[object]]], encoding: str = "utf-8-sig"
) -> Path:
    """Write each sheet as ``<name>.csv`` in ``folder`` (created)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in sheets.items():
        with (folder / f"{name}.csv").open("w", encoding=encoding, newline="") as handle:
            csv.writer(handle).writerows(["" if v is None else v for v in row] for row in rows)
    return folder


# --- hand-written packages --------------------------------------------------------------


def cell_xml(column: int, row: int, value: object) -> str:
    """Return one ``<c>``: numbers as numbers, anything else as an inline string."""
    ref = f"{get_column_letter(column)}{row}"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def sheet_xml(rows: Rows, dimension: str | None = None, prolog: str = "") -> str:
    """Return a worksheet part holding ``rows``; ``prolog`` goes before the root element."""
    body = "".join(
        f'<row r="{r}">' + "".join(cell_xml(c, r, v) for c, v in enumerate(row, 1)) + "</row>"
        for r, row in enumerate(rows, 1)
    )
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    head = SHEET_HEAD.replace("\n", "\n" + prolog) if prolog else SHEET_HEAD
    return f"{head}{dim}<sheetData>{body}</sheetData></worksheet>"


def shared_strings_xml(strings: Sequence[str], prolog: str = "") -> str:
    """Return a shared-strings part."""
    items = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    head = '<?xml version="1.0" encoding="UTF-8"?>\n' + prolog
    return f'{head}<sst xmlns="{MAIN_NS}" count="{len(strings)}">{items}</sst>'


def package_parts(
    sheets: Mapping[str, str | bytes | Iterable[bytes]],
    shared: str | bytes | Iterable[bytes] | None = None,
    shared_name: str = "xl/sharedStrings.xml",
) -> dict[str, str | bytes | Iterable[bytes]]:
    """Return the parts of a minimal ``.xlsx``: sheet name -> worksheet XML (or chunks)."""
    names = list(sheets)
    overrides = [("xl/workbook.xml", WORKBOOK_CT)]
    overrides += [(f"xl/worksheets/sheet{i}.xml", WORKSHEET_CT) for i in range(1, len(names) + 1)]
    rels = [
        (f"rId{i}", f"{REL_NS}/worksheet", f"worksheets/sheet{i}.xml")
        for i in range(1, len(names) + 1)
    ]
    if shared is not None:
        overrides.append((shared_name, SHARED_CT))
        rels.append(("rIdS", f"{REL_NS}/sharedStrings", shared_name.removeprefix("xl/")))
    parts: dict[str, str | bytes | Iterable[bytes]] = {
        "[Content_Types].xml": _content_types(overrides),
        "_rels/.rels": _rels([("rId1", f"{REL_NS}/officeDocument", "xl/workbook.xml")]),
        "xl/workbook.xml": _workbook(names),
        "xl/_rels/workbook.xml.rels": _rels(rels),
    }
    for index, xml in enumerate(sheets.values(), 1):
        parts[f"xl/worksheets/sheet{index}.xml"] = xml
    if shared is not None:
        parts[shared_name] = shared
    return parts


def _content_types(overrides: list[tuple[str, str]]) -> str:
    """Return ``[Content_Types].xml`` declaring ``(part, content type)`` overrides."""
    items = "".join(f'<Override PartName="/{p}" ContentType="{t}"/>' for p, t in overrides)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Types xmlns="{CT_NS}">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{items}</Types>'
    )


def _rels(items: list[tuple[str, str, str]]) -> str:
    """Return a relationships part of ``(id, type, target)`` items."""
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{g}"/>' for i, t, g in items)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="{PKG_REL_NS}">{body}</Relationships>'


def _workbook(names: list[str]) -> str:
    """Return ``xl/workbook.xml`` listing sheets ``names`` as rId1, rId2, ..."""
    sheets = "".join(
        f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, 1)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<workbook xmlns="{MAIN_NS}" '
        f'xmlns:r="{REL_NS}"><sheets>{sheets}</sheets></workbook>'
    )


def valid_parts(
    **changed: str | bytes | Iterable[bytes],
) -> dict[str, str | bytes | Iterable[bytes]]:
    """Return the parts of :data:`VALID` by hand, with some sheets' XML replaced by name."""
    sheets: dict[str, str | bytes | Iterable[bytes]] = {
        name: sheet_xml(rows) for name, rows in VALID.items()
    }
    sheets.update(changed)
    return package_parts(sheets)


def write_package(
    path: Path, parts: Mapping[str, str | bytes | Iterable[bytes]], level: int = 6
) -> Path:
    """Zip ``parts`` into ``path``; a part given as an iterable of chunks is streamed."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, content in parts.items():
            if isinstance(content, str):
                archive.writestr(name, content.encode("utf-8"))
            elif isinstance(content, bytes):
                archive.writestr(name, content)
            else:
                with archive.open(name, "w") as member:
                    for chunk in content:
                        member.write(chunk)
    return path


def repeated(head: bytes, unit: bytes, total: int, tail: bytes) -> Iterator[bytes]:
    """Yield ``head``, then ``unit`` repeated to about ``total`` bytes, then ``tail``.

    The chunks are yielded one at a time (1 MiB each), so a 1.5 GB part never sits in memory.
    """
    chunk = unit * max(1, 2**20 // len(unit))
    yield head
    for _ in range(-(-total // len(chunk))):  # ceiling: at least ``total`` bytes
        yield chunk
    yield tail


def declare_size(path: Path, member: str, size: int) -> None:
    """Make ``member`` claim ``size`` uncompressed bytes in both zip headers (a lying zip)."""
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")  # end of central directory (no zip64, no comment)
    (count,) = struct.unpack_from("<H", data, end + 10)
    (entry,) = struct.unpack_from("<I", data, end + 16)
    for _ in range(count):
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, entry + 28)
        (local,) = struct.unpack_from("<I", data, entry + 42)
        if data[entry + 46 : entry + 46 + name_len] == member.encode():
            struct.pack_into("<I", data, entry + 24, size)  # central directory entry
            struct.pack_into("<I", data, local + 22, size)  # local file header
        entry += 46 + name_len + extra_len + comment_len
    path.write_bytes(bytes(data))


def billion_laughs(root: str) -> str:
    """Return a DTD whose entity ``&lol9;`` expands to 10**9 ``lol``s, and its use in ``root``."""
    entities = ['<!ENTITY lol "lol">']
    entities += [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    ]
    return f"<!DOCTYPE {root} [\n" + "\n".join(entities) + "\n]>\n"


def ole2_file(path: Path, encrypted: bool) -> Path:
    """Write an OLE2 compound file header (an old ``.xls``, or an encrypted ``.xlsx``)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    names = ("EncryptionInfo", "EncryptedPackage") if encrypted else ("Workbook",)
    directory = b"".join(n.encode("utf-16-le").ljust(128, b"\x00") for n in names)
    path.write_bytes(header + bytes(512) + directory)
    return path


# --- damage done to a real workbook -------------------------------------------------------

FIRST_SHEET = "xl/worksheets/sheet1.xml"
PAST_INT64 = "99999999999999999999"  # 2**66: past int64, as a hostile style id


def rewrite_part(
    source: Path, target: Path, member: str, edit: Callable[[str], str] | None
) -> Path:
    """Copy the zip ``source`` to ``target`` with ``member``'s XML edited (or left out: None)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for name in old.namelist():
            if name == member and edit is None:
                continue
            data = old.read(name)
            if name == member and edit is not None:
                changed = edit(data.decode("utf-8"))
                assert changed != data.decode("utf-8"), f"the edit changed nothing in {member}"
                data = changed.encode("utf-8")
            new.writestr(name, data)
    return target


def bad_shared_index(xml: str) -> str:
    """Point cell A2 at shared string 999, which no workbook here has."""
    return re.sub(r'<c r="A2"[^>]*?(?:/>|>.*?</c>)', '<c r="A2" t="s"><v>999</v></c>', xml, count=1)


def huge_style_id(xml: str) -> str:
    """Give the first cell format a number-format id past int64 (in ``xl/styles.xml``)."""
    head, _, tail = xml.partition("<cellXfs")
    return head + "<cellXfs" + re.sub(r'numFmtId="\d+"', f'numFmtId="{PAST_INT64}"', tail, count=1)


def flip_bit(source: Path, target: Path, member: str = FIRST_SHEET) -> Path:
    """Copy ``source`` with one bit flipped in the middle of ``member``'s compressed bytes."""
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as archive:
        info = archive.getinfo(member)
    name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_len + extra_len
    data[start + info.compress_size // 2] ^= 0x10
    target.write_bytes(bytes(data))
    return target
