"""Open untrusted workbooks safely: bounded work, no XML bombs, clear refusals.

Planners' files come from many hands. Before openpyxl parses anything we look at the bytes:

* the file's kind: a zip (``.xlsx``), an OLE2 container (an old ``.xls``, or a workbook with an
  opening password), text (a CSV renamed ``.xlsx``), or anything else;
* the zip directory: number of members, total and per-member uncompressed size, compression
  ratio (a zip bomb), macros (``vbaProject.bin``), an OpenDocument spreadsheet;
* every member's XML prolog: a DTD (``<!DOCTYPE``, the carrier of "billion laughs" entity
  expansion and of external entities) is refused outright. OPC forbids DTDs in a package, so
  no real workbook has one; this does not depend on how openpyxl is configured;
* which parts openpyxl will read whole (shared strings, styles, the workbook, relationships):
  each is bounded by :attr:`Limits.max_part`; only worksheets, which openpyxl streams, may be
  larger.

openpyxl itself parses with ``defusedxml`` (a dependency), a second line of defence against
entities. The declared sizes can be trusted: :mod:`zipfile` stops a member at its declared
size and then fails its CRC check, so a member that lies about its size cannot expand further.
While rows are read, :class:`Budget` bounds the cells, rows and text, and locates every cell
whose text is longer than Excel allows.
"""

from __future__ import annotations

import contextlib
import posixpath
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import openpyxl
from defusedxml.ElementTree import fromstring
from openpyxl.packaging.manifest import Manifest
from openpyxl.packaging.relationship import get_dependents
from openpyxl.utils import get_column_letter
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

from pairing.domain.errors import InputError, Issue

KiB = 2**10
MiB = 2**20
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and Office-encrypted .xlsx
ZIP_MAGIC = b"PK\x03\x04"
ENCRYPTED_MARKS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
WORKBOOK_TYPES = (XLSX, XLSM, XLTX, XLTM)
WHOLE_PARTS = frozenset({ARC_CONTENT_TYPES, ARC_STYLE, ARC_THEME, ARC_CORE, ARC_CUSTOM})
# Everything that may stand between the start of an XML part and its root element.
PROLOG = re.compile(r"(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)
NOT_TEXT = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")  # bytes no text file contains
# Errors that zipfile, zlib, expat, defusedxml and openpyxl raise on damaged or hostile parts.
READ_FAILURES: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    RuntimeError,
    NotImplementedError,
    ParseError,
)


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on the work one input may cause. Defaults suit a province-sized workbook.

    Attributes
    ----------
    max_bytes
        Size of the file (or of one CSV) on disk.
    max_uncompressed
        All zip members together, uncompressed.
    max_part
        One part that openpyxl reads whole (shared strings, styles, the workbook, ...);
        worksheets are streamed and bounded by ``max_uncompressed`` and the cell budget.
    max_ratio, ratio_floor
        Highest compression ratio of one member larger than ``ratio_floor`` bytes (sheet XML
        compresses 5-30 times; a zip bomb a thousand times).
    max_members
        Number of parts in the zip.
    max_cells, max_rows
        Cells in all sheets together (blank cells and rows count); rows of one sheet
        (Excel's own limit).
    max_string
        Characters in one cell (Excel's own limit); a longer text is located and refused.
    max_text
        Characters in all cells together: bounds the memory of everything derived from text.
    max_prolog
        Bytes of an XML part read to find its root element.
    """

    max_bytes: int = 200 * MiB
    max_uncompressed: int = 512 * MiB
    max_part: int = 64 * MiB
    max_ratio: float = 100.0
    ratio_floor: int = 10 * MiB
    max_members: int = 10_000
    max_cells: int = 5_000_000
    max_rows: int = 1_048_576
    max_string: int = 32_767
    max_text: int = 50_000_000
    max_prolog: int = 64 * KiB

    def too_big(self, name: str, size: int) -> Issue:
        """Return the issue for a file larger than ``max_bytes``."""
        return Issue(
            name,
            None,
            None,
            f"文件过大（{size / MiB:.0f} MB，上限 {self.max_bytes / MiB:.0f} MB）；请删去多余内容",
            f"the file is too large ({size / MiB:.0f} MB; the limit is "
            f"{self.max_bytes / MiB:.0f} MB); remove what is not needed",
        )

    def too_many_cells(self, sheet: str) -> Issue:
        """Return the issue for an input with more than ``max_cells`` cells."""
        return Issue(
            sheet,
            None,
            None,
            f"单元格过多（上限 {self.max_cells:,}）；请删去多余内容",
            f"too many cells (limit {self.max_cells:,}); remove what is not needed",
        )

    def too_many_rows(self, sheet: str) -> Issue:
        """Return the issue for a sheet with more than ``max_rows`` rows."""
        return Issue(
            sheet,
            None,
            None,
            f"行数超过 {self.max_rows:,}；请删去多余的行",
            f"more than {self.max_rows:,} rows; delete the rows that are not needed",
        )

    def too_much_text(self, sheet: str) -> Issue:
        """Return the issue for an input with more than ``max_text`` characters of text."""
        return Issue(
            sheet,
            None,
            None,
            f"文字总量超过 {self.max_text:,} 个字符；请删去多余内容",
            f"more than {self.max_text:,} characters of text in all; remove what is not needed",
        )

    def too_long(self, sheet: str, row: int, column: int, length: int) -> Issue:
        """Return the issue for one cell (0-based ``column``) longer than ``max_string``."""
        return Issue(
            sheet,
            row,
            get_column_letter(column + 1),
            f"单元格文字过长（{length:,} 字，Excel 上限 {self.max_string:,}）；请缩短",
            f"the cell's text is too long ({length:,} characters; Excel's limit is "
            f"{self.max_string:,}); shorten it",
        )


@dataclass
class Budget:
    """Counts the cells, rows and text of one input while it is read.

    Exceeding a total raises at once; every over-long cell is recorded with its location in
    ``issues`` and reading goes on, so that all of them are reported together.
    """

    limits: Limits
    cells: int = 0
    text: int = 0
    issues: list[Issue] = field(default_factory=list)

    def mark(self) -> tuple[int, int, int]:
        """Return the state to go back to when a file is read again (another encoding)."""
        return self.cells, self.text, len(self.issues)

    def reset(self, mark: tuple[int, int, int]) -> None:
        """Go back to a state returned by :meth:`mark`."""
        self.cells, self.text, kept = mark
        del self.issues[kept:]

    def take(self, sheet: str, row: int, values: Sequence[object]) -> None:
        """Account for Excel row ``row`` (1-based) of ``sheet``."""
        limits = self.limits
        if row > limits.max_rows:
            raise InputError([limits.too_many_rows(sheet)])
        self.cells += max(1, len(values))
        if self.cells > limits.max_cells:
            raise InputError([limits.too_many_cells(sheet)])
        lengths = [len(value) if isinstance(value, str) else 0 for value in values]
        self.text += sum(lengths)
        if self.text > limits.max_text:
            raise InputError([limits.too_much_text(sheet)])
        for column, length in enumerate(lengths):
            if length > limits.max_string:
                self.issues.append(limits.too_long(sheet, row, column, length))


def refuse(path: Path, zh: str, en: str) -> InputError:
    """Return an input error about the whole file ``path``."""
    return InputError([Issue(path.name, None, None, zh, en)])


def damaged(path: Path) -> InputError:
    """Return the error for a zip that cannot be read (truncated, corrupt, lying)."""
    return refuse(
        path,
        "工作簿已损坏或不完整（可能下载或复制未完成）；请重新获取文件，或在 Excel 中打开后"
        "另存为 .xlsx",
        "the workbook is damaged or incomplete (perhaps an unfinished download or copy); get "
        "the file again, or open it in Excel and save it again as .xlsx",
    )


def check_xlsx_bytes(path: Path, limits: Limits) -> None:
    """Refuse files that are not a plain, bounded ``.xlsx`` before any XML is parsed."""
    if not path.exists():
        raise refuse(path, "文件不存在", "the file does not exist")
    size = path.stat().st_size
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
    """Check the zip directory, every member's prolog and the parts read whole."""
    try:
        with zipfile.ZipFile(path) as archive, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            members = [info for info in archive.infolist() if not info.is_dir()]
            _check_sizes(path, members, limits)
            _check_kind(path, {info.filename.lower() for info in members})
            for info in members:
                _check_prolog(path, archive, info, limits)
            _check_parts(path, archive, members, limits)
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
            f"工作簿解压后过大或压缩比异常（{total / MiB:,.0f} MB），疑为压缩炸弹，拒绝读取；"
            "请删去多余内容后另存为 .xlsx",
            f"the workbook expands to {total / MiB:,.0f} MB or is compressed suspiciously well; "
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
) -> None:
    """Bound every part that openpyxl reads whole; only worksheets are streamed."""
    sizes = {info.filename: info.file_size for info in members}
    _need_small(path, sizes, ARC_CONTENT_TYPES, limits)
    manifest = Manifest.from_tree(fromstring(archive.read(ARC_CONTENT_TYPES)))
    if manifest is None:
        raise damaged(path)
    whole = set(WHOLE_PARTS)
    whole.update(part.PartName.lstrip("/") for part in manifest.findall(SHARED_STRINGS))
    workbooks = {p.PartName.lstrip("/") for kind in WORKBOOK_TYPES for p in manifest.findall(kind)}
    whole |= workbooks or {ARC_WORKBOOK}  # openpyxl's fallback when no part is declared
    streamed: set[str] = set()
    for workbook in workbooks or {ARC_WORKBOOK}:
        streamed |= _worksheets(path, archive, sizes, workbook, limits)
    whole.update(name for name in sizes if name.endswith(".rels"))
    for name, size in sizes.items():
        if size > limits.max_part and (name in whole or name not in streamed):
            raise _part_refusal(path, name, size, limits)


def _worksheets(
    path: Path, archive: zipfile.ZipFile, sizes: dict[str, int], workbook: str, limits: Limits
) -> set[str]:
    """Return the worksheet parts of ``workbook`` as openpyxl finds them (streamed)."""
    folder, name = posixpath.split(workbook)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")  # where openpyxl looks
    if rels not in sizes:
        return set()
    _need_small(path, sizes, rels, limits)
    return {
        rel.target
        for rel in get_dependents(archive, rels)
        if str(rel.Type).endswith("/worksheet") and rel.TargetMode != "External"
    }


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


def unreadable(path: Path, sheet: str | None, row: int | None, error: Exception) -> InputError:
    """Return the error for a workbook (or one sheet, near ``row``) that cannot be parsed."""
    where_zh = f"工作表「{sheet}」" if sheet else "工作簿"
    where_en = f"sheet '{sheet}'" if sheet else "the workbook"
    near_zh = f"第 {row} 行附近" if row else ""
    near_en = f" near row {row}" if row else ""
    reason = f"{type(error).__name__}: {str(error)[:200]}"
    return InputError(
        [
            Issue(
                sheet or path.name,
                row,
                None,
                f"无法读取{where_zh}{near_zh}（{reason}）；请在 Excel 中打开后另存为 .xlsx",
                f"cannot read {where_en}{near_en} ({reason}); open it in Excel and save it "
                "again as .xlsx",
            )
        ]
    )


def iter_sheet_rows(path: Path, worksheet: Any) -> Iterator[tuple[object, ...]]:
    """Yield a read-only sheet's rows as values, ignoring its declared dimension.

    A sheet may declare ``A1:XFD1048576`` and hold three rows; openpyxl would pad every row to
    the declared width. Parse errors inside the sheet become an :class:`InputError`. The caller
    silences openpyxl's warnings (once, not per row: that would cost more than the parse).
    """
    worksheet.reset_dimensions()
    rows = worksheet.iter_rows(values_only=True)
    number = 0
    while True:
        try:
            values = next(rows, None)
        except READ_FAILURES as error:
            raise unreadable(path, str(worksheet.title), number + 1, error) from None
        if values is None:
            return
        number += 1
        yield tuple(values)
