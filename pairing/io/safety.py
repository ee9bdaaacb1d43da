"""Open untrusted workbooks safely: bounded sizes, no XML bombs, clear refusals.

Planners' files come from many hands. Before openpyxl parses anything we look at the bytes:
the file's kind (zip, old OLE2 ``.xls`` or an encrypted workbook, text), the zip members'
total uncompressed size and compression ratio, and macros. openpyxl itself parses with
``defusedxml`` (installed as a dependency), which refuses entity expansion and external
entities; :func:`open_xlsx` turns such a refusal into an input error like any other.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.workbook.workbook import Workbook

from pairing.domain.errors import InputError, Issue

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and Office-encrypted .xlsx
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on the work one input may cause. Defaults suit a province-sized workbook."""

    max_bytes: int = 200 * 2**20
    max_uncompressed: int = 1 * 2**30
    max_ratio: float = 200.0
    max_members: int = 10_000
    max_cells: int = 20_000_000

    def too_big(self, name: str, size: int) -> Issue:
        """Return the issue for a file larger than ``max_bytes``."""
        return Issue(
            name,
            None,
            None,
            f"文件过大（{size / 2**20:.0f} MB，上限 {self.max_bytes / 2**20:.0f} MB）",
            f"the file is too large ({size / 2**20:.0f} MB; the limit is "
            f"{self.max_bytes / 2**20:.0f} MB)",
        )

    def too_many_cells(self, sheet: str) -> Issue:
        """Return the issue for a workbook with more than ``max_cells`` cells."""
        return Issue(
            sheet,
            None,
            None,
            f"单元格过多（上限 {self.max_cells:,}）；请删去多余内容",
            f"too many cells (limit {self.max_cells:,}); remove what is not needed",
        )


def refuse(path: Path, zh: str, en: str) -> InputError:
    """Return an input error about the whole file ``path``."""
    return InputError([Issue(path.name, None, None, zh, en)])


def check_xlsx_bytes(path: Path, limits: Limits) -> None:
    """Refuse files that are not a plain ``.xlsx`` before any XML is parsed."""
    if not path.exists():
        raise refuse(path, "文件不存在", "the file does not exist")
    size = path.stat().st_size
    if size == 0:
        raise refuse(path, "文件是空的", "the file is empty")
    if size > limits.max_bytes:
        raise InputError([limits.too_big(path.name, size)])
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == OLE2_MAGIC:
        raise refuse(
            path,
            "这是旧版 .xls 或加密的工作簿；请取消密码并另存为 .xlsx",
            "this is an old .xls or an encrypted workbook; remove the password and "
            "save it as .xlsx",
        )
    if not head.startswith(ZIP_MAGIC):
        raise refuse(
            path,
            "不是 Excel 工作簿（可能是改了扩展名的 CSV 或文本）；请用 Excel 另存为 .xlsx，"
            "或改扩展名为 .csv",
            "not an Excel workbook (perhaps a CSV or text file renamed "
            ".xlsx); save it as .xlsx from Excel, or name it .csv",
        )
    _check_zip(path, limits)


def _check_zip(path: Path, limits: Limits) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise refuse(
            path,
            "工作簿已损坏，无法打开；请在 Excel 中打开后另存为 .xlsx",
            "the workbook is damaged; open it in Excel and save it again as .xlsx",
        ) from None
    if len(members) > limits.max_members:
        raise refuse(path, "工作簿内部文件过多", "the workbook holds too many internal parts")
    total = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members) or 1
    if total > limits.max_uncompressed or (total / packed > limits.max_ratio and total > 2**26):
        raise refuse(
            path,
            f"工作簿解压后过大（{total / 2**20:,.0f} MB），疑为压缩炸弹，拒绝读取",
            f"the workbook expands to {total / 2**20:,.0f} MB; refused as a possible zip bomb",
        )
    names = {member.filename.lower() for member in members}
    if "xl/vbaproject.bin" in names:
        raise refuse(
            path,
            "工作簿含宏（.xlsm）；请另存为不含宏的 .xlsx",
            "the workbook contains macros (.xlsm); save it as a macro-free .xlsx",
        )
    if "xl/workbook.xml" not in names:
        raise refuse(
            path,
            "不是 Excel 工作簿（缺少 xl/workbook.xml）；请用 Excel 另存为 .xlsx",
            "not an Excel workbook (no xl/workbook.xml); save it as .xlsx from Excel",
        )


def open_xlsx(path: Path, limits: Limits) -> Workbook:
    """Open an ``.xlsx`` read-only with values (no formulas evaluated), after the byte checks."""
    check_xlsx_bytes(path, limits)
    try:
        workbook: Any = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except InputError:
        raise
    except Exception as error:  # openpyxl raises many types on malformed or hostile parts
        raise refuse(
            path,
            f"无法读取工作簿（{type(error).__name__}）；请在 Excel 中打开后另存为 .xlsx",
            f"cannot read the workbook ({type(error).__name__}: {error}); open it in Excel "
            "and save it again as .xlsx",
        ) from None
    return workbook  # type: ignore[no-any-return]
