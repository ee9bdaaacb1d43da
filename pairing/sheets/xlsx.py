"""Open untrusted ``.xlsx`` workbooks safely: bounded work, no XML bombs, clear refusals.

Workbooks come from many hands. Before openpyxl parses anything we look at the bytes:

* the file's kind: a zip (``.xlsx``), an OLE2 container (an old ``.xls``, or a workbook with an
  opening password), text (a CSV renamed ``.xlsx``), or anything else;
* the zip directory: number of members, total and per-member uncompressed size, compression
  ratio (a zip bomb), macros (``vbaProject.bin``), an OpenDocument spreadsheet;
* every member's XML prolog: a DTD (``<!DOCTYPE``, the carrier of "billion laughs" entity
  expansion and of external entities) is refused outright. OPC forbids DTDs in a package, so
  no real workbook has one; this does not depend on how openpyxl is configured;
* which parts openpyxl will read whole (shared strings, styles, the workbook, relationships):
  each is bounded by :attr:`Limits.max_part`; only worksheets, which openpyxl streams, may be
  larger;
* that every sheet the workbook lists has its part in the zip: openpyxl silently drops a sheet
  whose part is missing, which would read as "sheet 单位 is missing" rather than "damaged";
* the number of ``<row>`` and ``<c>`` elements, counted in one pass of inflate, against the
  row and cell limits: a million-row ledger is refused in seconds, not after minutes of parsing.

openpyxl itself parses with ``defusedxml`` (a dependency), a second line of defence against
entities. The declared sizes can be trusted: :mod:`zipfile` stops a member at its declared
size and then fails its CRC check, so a member that lies about its size cannot expand further.
While rows are read, :class:`~pairing.sheets.limits.Budget` bounds the cells, rows and text,
and locates every cell whose text is longer than Excel allows. Whatever openpyxl, zipfile,
zlib or expat raise on a damaged part (a bad shared-string index, a bit flip, a style id past
int64) becomes an input error naming the file, and the sheet and row when known.
"""

from __future__ import annotations

import contextlib
import posixpath
import re
import struct
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import openpyxl
from defusedxml.ElementTree import fromstring
from openpyxl.packaging.manifest import Manifest
from openpyxl.packaging.relationship import get_dependents
from openpyxl.reader.workbook import WorkbookParser
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.xml.constants import (
    ARC_CONTENT_TYPES,
    ARC_CORE,
    ARC_CUSTOM,
    ARC_STYLE,
    ARC_THEME,
    ARC_WORKBOOK,
    SHARED_STRINGS,
    XLSM,
    XLSX,
    XLTM,
    XLTX,
)

from pairing.domain.errors import InputError
from pairing.sheets.files import check_regular
from pairing.sheets.limits import Budget, KiB, Limits, MiB
from pairing.sheets.refusals import damaged, missing_part, refuse, unreadable

Grid = list[tuple[object, ...]]
Grids = dict[str, Grid]
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and Office-encrypted .xlsx
ZIP_MAGIC = b"PK\x03\x04"
ENCRYPTED_MARKS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
WORKBOOK_TYPES = (XLSX, XLSM, XLTX, XLTM)
WHOLE_PARTS = frozenset({ARC_CONTENT_TYPES, ARC_STYLE, ARC_THEME, ARC_CORE, ARC_CUSTOM})
# Everything that may stand between the start of an XML part and its root element.
PROLOG = re.compile(r"(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)
# A worksheet's <row> and <c> elements, with or without a namespace prefix (``<x:row>``).
# Text cannot hold a raw ``<``, so these counts are a floor of the rows and cells it holds.
ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
NOT_TEXT = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")  # bytes no text file contains
# Errors that zipfile, zlib, expat, defusedxml and openpyxl raise on damaged or hostile parts:
# LookupError covers a bad shared-string index (IndexError) and a missing part (KeyError);
# ArithmeticError a style id or number past int64 (OverflowError).
READ_FAILURES: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    struct.error,
    EOFError,
    OSError,
    ValueError,
    LookupError,
    ArithmeticError,
    TypeError,
    AttributeError,
    RuntimeError,
    NotImplementedError,
    ParseError,
)


def check_xlsx_bytes(path: Path, limits: Limits) -> None:
    """Refuse files that are not a plain, bounded ``.xlsx`` before any XML is parsed."""
    size = check_regular(path)
    if size == 0:
        raise refuse(
            path,
            "文件是空的（0 字节）；请重新保存或重新导出",
            "the file is empty (0 bytes); save or export it again",
        )
    if size > limits.max_bytes:
        raise InputError([limits.too_big(path.name, size)])
    with path.open("rb") as handle:
        head = handle.read(4 * KiB)
    if head.startswith(OLE2_MAGIC):
        raise _ole2_refusal(path)
    if not head.startswith(ZIP_MAGIC):
        raise _not_zip_refusal(path, head)
    _check_zip(path, limits)


def _ole2_refusal(path: Path) -> InputError:
    """Tell an encrypted workbook from an old ``.xls``: both are OLE2 containers."""
    if _contains(path, ENCRYPTED_MARKS):
        return refuse(
            path,
            "工作簿设有打开密码（已加密），无法读取；请在 Excel 中取消密码（文件 → 信息 → 保护"
            "工作簿 → 用密码进行加密，清空密码）后另存为 .xlsx",
            "the workbook is encrypted (it has an opening password); remove the password in "
            "Excel (File > Info > Protect Workbook > Encrypt with Password, clear it) and save "
            "it as .xlsx",
        )
    return refuse(
        path,
        "这是旧版 .xls 格式；请在 Excel 或 WPS 中打开，另存为 .xlsx（Excel 工作簿）",
        "this is an old .xls workbook; open it in Excel or WPS and save it as .xlsx "
        "(Excel Workbook)",
    )


def _contains(path: Path, marks: Sequence[bytes]) -> bool:
    """Return whether the file holds one of ``marks`` (read in chunks, overlapping)."""
    overlap = max(len(mark) for mark in marks)
    tail = b""
    with path.open("rb") as handle:
        while chunk := handle.read(MiB):
            window = tail + chunk
            if any(mark in window for mark in marks):
                return True
            tail = window[-overlap:]
    return False


def _not_zip_refusal(path: Path, head: bytes) -> InputError:
    """Refuse a file that is not a zip: text (a renamed CSV) or an unknown binary."""
    if NOT_TEXT.search(head) is None:
        return refuse(
            path,
            "这不是 Excel 工作簿，而是文本（可能是改了扩展名的 CSV）；请在 Excel 中打开后另存为 "
            ".xlsx，或把扩展名改为 .csv",
            "this is not an Excel workbook but text (perhaps a CSV renamed .xlsx); open it in "
            "Excel and save it as .xlsx, or rename it .csv",
        )
    return refuse(
        path,
        "无法识别的文件格式（不是 .xlsx 工作簿）；请在 Excel 中打开后另存为 .xlsx",
        "unknown file format (not an .xlsx workbook); open it in Excel and save it as .xlsx",
    )


def _check_zip(path: Path, limits: Limits) -> None:
    """Check the zip directory, every member's prolog, the parts read whole and the sheets."""
    try:
        with zipfile.ZipFile(path) as archive, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            members = [info for info in archive.infolist() if not info.is_dir()]
            _check_sizes(path, members, limits)
            _check_kind(path, {info.filename.lower() for info in members})
            for info in members:
                _check_prolog(path, archive, info, limits)
            workbooks = _check_parts(path, archive, members, limits)
            names = {info.filename for info in members}
            sheets = _check_sheet_parts(path, archive, workbooks, names)
            _check_counts(path, archive, sheets, limits)
    except InputError:
        raise
    except READ_FAILURES:
        raise damaged(path) from None


def _check_sizes(path: Path, members: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Refuse too many members, too much uncompressed data, or a suspicious ratio."""
    if len(members) > limits.max_members:
        raise refuse(
            path,
            f"工作簿内部文件过多（{len(members):,} 个）；请另存为 .xlsx",
            f"the workbook holds too many internal parts ({len(members):,}); save it again",
        )
    total = sum(info.file_size for info in members)
    bomb = any(
        info.file_size > limits.ratio_floor
        and info.file_size > limits.max_ratio * max(info.compress_size, 1)
        for info in members
    )
    if total > limits.max_uncompressed or bomb:
        raise refuse(
            path,
            f"工作簿解压后过大或压缩比异常（{total / MiB:,.0f} MB，上限 "
            f"{limits.max_uncompressed / MiB:,.0f} MB），疑为压缩炸弹，拒绝读取；"
            "请删去多余内容后另存为 .xlsx",
            f"the workbook expands to {total / MiB:,.0f} MB (the limit is "
            f"{limits.max_uncompressed / MiB:,.0f} MB) or is compressed suspiciously well; "
            "refused as a possible zip bomb. Remove what is not needed and save it again",
        )


def _check_kind(path: Path, names: set[str]) -> None:
    """Refuse macro workbooks, OpenDocument spreadsheets and zips that are not workbooks."""
    if any(name.endswith("vbaproject.bin") for name in names):
        raise refuse(
            path,
            "工作簿含宏（.xlsm）；请另存为不含宏的 .xlsx（Excel 工作簿）",
            "the workbook contains macros (.xlsm); save it as a macro-free .xlsx (Excel Workbook)",
        )
    if "content.xml" in names and "mimetype" in names:
        raise refuse(
            path,
            "这是 OpenDocument 表格（.ods）；请在 WPS、LibreOffice 或 Excel 中另存为 .xlsx",
            "this is an OpenDocument spreadsheet (.ods); save it as .xlsx from WPS, LibreOffice "
            "or Excel",
        )
    if ARC_CONTENT_TYPES.lower() not in names:
        raise refuse(
            path,
            "这是压缩包而不是 Excel 工作簿；请用 Excel 另存为 .xlsx",
            "this is a zip archive, not an Excel workbook; save it as .xlsx from Excel",
        )


def _check_prolog(
    path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits
) -> None:
    """Refuse a member whose XML declares a DTD (entity expansion, external entities)."""
    with archive.open(info) as member:
        data = b""
        while chunk := member.read(4 * KiB):
            data += chunk
            verdict = _prolog_verdict(data)
            if verdict == "dtd":
                raise _dtd_refusal(path, info.filename)
            if verdict == "ok":
                return
            if len(data) >= limits.max_prolog:
                raise _dtd_refusal(path, info.filename, long_prolog=True)


def _prolog_verdict(data: bytes) -> str:
    """Return ``ok`` (root element or not XML), ``dtd``, or ``more`` (read on)."""
    text = _sniff_decode(data)
    end = PROLOG.match(text)
    rest = text[end.end() if end else 0 :]
    if not rest or rest in ("<", "<!", "<!-", "<?"):
        return "more"
    if rest.startswith("<!--") or rest.startswith("<?"):
        return "more"  # a comment or instruction not closed yet
    return "dtd" if rest.startswith("<!") else "ok"


def _sniff_decode(data: bytes) -> str:
    """Decode enough of an XML part to read its prolog (UTF-16 by BOM or NULs, else bytes)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace").lstrip("\ufeff")
    head = data[:64]
    if b"\x00" in head:  # UTF-16 without a byte-order mark: NULs in every other byte
        odd_nuls = head[1::2].count(0) >= head[0::2].count(0)
        return data.decode("utf-16-le" if odd_nuls else "utf-16-be", errors="replace")
    return data.removeprefix(b"\xef\xbb\xbf").decode("latin-1")  # ASCII-compatible encodings


def _dtd_refusal(path: Path, member: str, long_prolog: bool = False) -> InputError:
    """Return the refusal of a part with a DTD (or a prolog too long to look past)."""
    what_zh = "文件头过长，无法确认不含 DTD" if long_prolog else "含 DTD/实体声明"
    what_en = "has a prolog too long to rule out a DTD" if long_prolog else "declares a DTD"
    return refuse(
        path,
        f"工作簿内部 XML（{member}）{what_zh}；Excel 不会生成这种文件，疑为恶意构造，"
        "拒绝读取。请在 Excel 中打开后另存为 .xlsx",
        f"an XML part of the workbook ({member}) {what_en} (entities); Excel never writes "
        "that, so it is refused as possibly hostile. Open it in Excel and save it again",
    )


def _check_parts(
    path: Path, archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], limits: Limits
) -> set[str]:
    """Bound every part that openpyxl reads whole (only worksheets are streamed).

    Returns the workbook parts openpyxl will read (the declared ones, or its fallback).
    """
    sizes = {info.filename: info.file_size for info in members}
    _need_small(path, sizes, ARC_CONTENT_TYPES, limits)
    manifest = Manifest.from_tree(fromstring(archive.read(ARC_CONTENT_TYPES)))
    if manifest is None:
        raise damaged(path)
    whole = set(WHOLE_PARTS)
    whole.update(part.PartName.lstrip("/") for part in manifest.findall(SHARED_STRINGS))
    workbooks = {p.PartName.lstrip("/") for kind in WORKBOOK_TYPES for p in manifest.findall(kind)}
    workbooks = workbooks or {ARC_WORKBOOK}  # openpyxl's fallback when no part is declared
    whole |= workbooks
    streamed: set[str] = set()
    for workbook in workbooks:
        streamed |= _worksheets(path, archive, sizes, workbook, limits)
    whole.update(name for name in sizes if name.endswith(".rels"))
    for name, size in sizes.items():
        if size > limits.max_part and (name in whole or name not in streamed):
            raise _part_refusal(path, name, size, limits)
    return workbooks


def _worksheets(
    path: Path, archive: zipfile.ZipFile, sizes: dict[str, int], workbook: str, limits: Limits
) -> set[str]:
    """Return the worksheet parts of ``workbook`` as openpyxl finds them (streamed)."""
    rels = _rels_of(workbook)
    if rels not in sizes:
        return set()
    _need_small(path, sizes, rels, limits)
    return {
        rel.target
        for rel in get_dependents(archive, rels)
        if str(rel.Type).endswith("/worksheet") and rel.TargetMode != "External"
    }


def _rels_of(part: str) -> str:
    """Return where openpyxl looks for the relationships of ``part``."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _check_sheet_parts(
    path: Path, archive: zipfile.ZipFile, workbooks: set[str], names: set[str]
) -> dict[str, str]:
    """Refuse a workbook listing a sheet whose part is not in the zip (openpyxl drops it).

    Returns each worksheet part with its sheet's name.
    """
    sheets: dict[str, str] = {}
    for workbook in sorted(workbooks & names):
        parser = WorkbookParser(archive, workbook)
        parser.parse()
        relations: Any = parser.rels if _rels_of(workbook) in names else {}
        for sheet in parser.sheets:
            relation = relations.get(sheet.id) if sheet.id else None
            if relation is None:
                raise missing_part(path, f"{_rels_of(workbook)} → {sheet.id}", sheet.name)
            if relation.TargetMode != "External" and relation.target not in names:
                raise missing_part(path, relation.target, sheet.name)
            if str(relation.Type).endswith("/worksheet"):
                sheets[relation.target] = str(sheet.name)
    return sheets


def _check_counts(
    path: Path, archive: zipfile.ZipFile, sheets: dict[str, str], limits: Limits
) -> None:
    """Refuse rows or cells past the limits by counting tags, before openpyxl parses a row.

    Counting is a pass of inflate and a regular expression (3 s for 300 MB of sheet XML);
    parsing the same rows takes openpyxl 80 s, only to be refused by the budget at the end.
    The counts never exceed what the budget would count, so nothing it accepts is refused.
    """
    cells = 0
    for part, sheet in sheets.items():
        try:
            rows, found = _count_tags(archive, part)
        except READ_FAILURES as error:  # a bit flip, a member cut at its declared size
            raise unreadable(path, sheet, None, error) from None
        if rows > limits.max_rows:
            raise InputError([limits.too_many_rows(sheet, path.name)])
        cells += found
        if cells > limits.max_cells:
            raise InputError([limits.too_many_cells(sheet, path.name)])


def _count_tags(archive: zipfile.ZipFile, part: str) -> tuple[int, int]:
    """Return the number of ``<row>`` and ``<c>`` elements of a worksheet part."""
    rows = cells = 0
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(MiB):
            window = tail + chunk
            cut = window.rfind(b"<")  # a tag cut by the chunk's end is counted with the next
            body, tail = (window, b"") if cut < 0 else (window[:cut], window[cut:])
            rows += len(ROW_TAG.findall(body))
            cells += len(CELL_TAG.findall(body))
    tail += b" "  # the last tag of all, if the part ends right after its name
    return rows + len(ROW_TAG.findall(tail)), cells + len(CELL_TAG.findall(tail))


def _need_small(path: Path, sizes: dict[str, int], name: str, limits: Limits) -> None:
    """Refuse ``name`` when it is larger than a part read whole may be."""
    if sizes.get(name, 0) > limits.max_part:
        raise _part_refusal(path, name, sizes[name], limits)


def _part_refusal(path: Path, name: str, size: int, limits: Limits) -> InputError:
    """Return the refusal of a part read whole that exceeds ``max_part``."""
    return refuse(
        path,
        f"工作簿内部文件 {name} 过大（{size / MiB:,.0f} MB，上限 {limits.max_part / MiB:.0f} "
        "MB）；请删去多余内容后另存为 .xlsx",
        f"the workbook part {name} is too large ({size / MiB:,.0f} MB; the limit is "
        f"{limits.max_part / MiB:.0f} MB); remove what is not needed and save it again",
    )


def open_xlsx(path: Path, limits: Limits) -> Workbook:
    """Open an ``.xlsx`` read-only with values (no formulas evaluated), after the byte checks."""
    check_xlsx_bytes(path, limits)
    try:
        with warnings.catch_warnings(), _no_dimension_scan():
            warnings.simplefilter("ignore")  # openpyxl warns about styles, extensions, ...
            workbook: Any = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except READ_FAILURES as error:
        raise unreadable(path, None, None, error) from None
    return workbook  # type: ignore[no-any-return]


@contextlib.contextmanager
def _no_dimension_scan() -> Iterator[None]:
    """Skip openpyxl's scan of each read-only sheet for its ``<dimension>`` while loading.

    Without a ``<dimension>`` element that scan parses the whole sheet at load time, before
    any budget applies, and keeps one element per row: 30 million empty rows (a 75 MB file)
    would take minutes and gigabytes. Dimensions are ignored anyway (see
    :func:`iter_sheet_rows`). If openpyxl renames the method, setting it does nothing.
    """
    original = ReadOnlyWorksheet.__dict__.get("_get_size")
    setattr(ReadOnlyWorksheet, "_get_size", _no_size)  # noqa: B010
    try:
        yield
    finally:
        if original is not None:
            setattr(ReadOnlyWorksheet, "_get_size", original)  # noqa: B010


def _no_size(worksheet: object) -> None:
    """Leave a read-only sheet's dimensions unknown (see :func:`_no_dimension_scan`)."""


def iter_sheet_rows(path: Path, worksheet: Any) -> Iterator[tuple[object, ...]]:
    """Yield a read-only sheet's rows as values, ignoring its declared dimension.

    A sheet may declare ``A1:XFD1048576`` and hold three rows; openpyxl would pad every row to
    the declared width. Parse errors inside the sheet become an :class:`InputError`. The caller
    silences openpyxl's warnings (once, not per row: that would cost more than the parse).
    """
    title = str(worksheet.title)
    number = 0
    try:
        worksheet.reset_dimensions()
        rows = worksheet.iter_rows(values_only=True)
        while (values := next(rows, None)) is not None:
            number += 1
            yield tuple(values)
    except READ_FAILURES as error:
        raise unreadable(path, title, number + 1, error) from None


def read_xlsx(path: Path, budget: Budget, wanted: Callable[[str], bool]) -> Grids:
    """Read every ``wanted`` worksheet of a workbook, row by row, within the budget."""
    workbook: Any = open_xlsx(path, budget.limits)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about what it skips
            return {
                str(sheet.title): _read_sheet(path, sheet, budget)
                for sheet in workbook.worksheets
                if wanted(str(sheet.title))
            }
    except READ_FAILURES as error:
        raise unreadable(path, None, None, error) from None
    finally:
        workbook.close()


def _read_sheet(path: Path, worksheet: Any, budget: Budget) -> Grid:
    """Read one read-only worksheet as a grid, accounting every row to the budget.

    A limit's message names the sheet and its file: ``audit`` reads two workbooks.
    """
    title = str(worksheet.title)
    grid: Grid = []
    for values in iter_sheet_rows(path, worksheet):
        budget.take(title, len(grid) + 1, values, path.name)
        grid.append(values)
    return grid
