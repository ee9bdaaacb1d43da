"""Read one CSV file as a grid of texts: bounded, and in the encoding it was written in.

Excel in mainland China saves CSV as GBK unless told "CSV UTF-8", so a file that is not UTF-8
is read as GB18030 (a superset of GBK). Big5 (Traditional Chinese, as saved in Taiwan or Hong
Kong) is nearly always valid GBK too, and would be read as nonsense without a word. So before
reading a non-UTF-8 file as GBK we look at a sample: simplified-Chinese GBK text stays inside
GB2312 (the 6,763 common characters), while Big5 read as GBK lands outside it about half the
time (kana, Cyrillic, user-defined codes, rare characters). A sample that reads as clean Big5
and mostly outside GB2312 as GBK is refused, naming Big5; a UTF-16 file ("Unicode text") is
named too. Nothing is guessed silently.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path
from typing import BinaryIO

from pairing.domain.errors import InputError, Issue
from pairing.sheets.files import open_regular
from pairing.sheets.limits import Budget, KiB, Limits
from pairing.sheets.refusals import refuse
from pairing.sheets.xlsx import OLE2_MAGIC, ZIP_MAGIC, Grid

# Characters in one CSV field: above Excel's 32,767 (so a long cell reaches the budget and is
# reported as such) and above the csv module's 128 KiB, yet bounded (memory of one field).
CSV_FIELD_LIMIT = 2**20
SAMPLE_BYTES = 256 * KiB
BIG5_SHARE = 0.9  # GBK text of simplified Chinese: nearly every character is in GB2312
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def read_csv(path: Path, budget: Budget) -> Grid:
    """Read one CSV as text (UTF-8, else GBK as Excel in China saves it), within the budget."""
    with open_regular(path) as handle:
        size = _size(handle)
        if size == 0:  # an export or copy that never finished; not "the sheet is missing"
            raise refuse(
                path,
                "文件是空的（0 字节）；请重新保存或重新导出",
                "the file is empty (0 bytes); save or export it again",
            )
        if size > budget.limits.max_bytes:
            raise InputError([budget.limits.too_big(path.name, size)])
        sample = handle.read(SAMPLE_BYTES)
        _check_kind(path, sample)
        mark = budget.mark()
        try:
            return _parse(path, handle, "utf-8-sig", budget)
        except UnicodeDecodeError:
            budget.reset(mark)
        if _looks_big5(sample):
            raise _big5_refusal(path)
        try:
            return _parse(path, handle, "gb18030", budget)
        except UnicodeDecodeError:
            raise _encoding_refusal(path) from None


def _size(handle: BinaryIO) -> int:
    """Return the size of an open regular file."""
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    handle.seek(0)
    return size


def _check_kind(path: Path, head: bytes) -> None:
    """Refuse a workbook renamed ``.csv`` and a UTF-16 text, which no CSV reader here reads."""
    if head.startswith((ZIP_MAGIC, OLE2_MAGIC)):
        raise refuse(
            path,
            "这是 Excel 工作簿而不是 CSV；请把扩展名改为 .xlsx",
            "this is an Excel workbook, not a CSV; rename it .xlsx",
        )
    if head.startswith(UTF16_BOMS):
        raise refuse(
            path,
            "这是 UTF-16（Unicode 文本）文件；请在 Excel 中另存为「CSV UTF-8（逗号分隔）」",
            "this is UTF-16 ('Unicode text'), not a CSV; in Excel, save it as "
            "'CSV UTF-8 (Comma delimited)'",
        )


def _parse(path: Path, handle: BinaryIO, encoding: str, budget: Budget) -> Grid:
    """Parse the whole file in one encoding; raise UnicodeDecodeError when it is not that one."""
    handle.seek(0)
    text = io.TextIOWrapper(handle, encoding=encoding, newline="")
    rows: Grid = []
    previous = csv.field_size_limit(CSV_FIELD_LIMIT)
    try:
        for row in csv.reader(text):
            budget.take(path.name, len(rows) + 1, row)
            rows.append(tuple(row))
    except csv.Error as error:
        raise InputError([_csv_issue(path, len(rows) + 1, error, budget.limits)]) from None
    finally:
        csv.field_size_limit(previous)
        text.detach()  # the caller's handle stays open for another encoding
    return rows


def _looks_big5(sample: bytes) -> bool:
    """Return whether a non-UTF-8 sample is Big5 rather than GBK (see the module)."""
    whole = sample[: sample.rfind(b"\n") + 1] or sample  # no character is cut at a newline
    try:
        as_big5 = whole.decode("big5")
    except UnicodeDecodeError:
        return False
    as_gbk = whole.decode("gb18030", errors="replace")
    wide = [char for char in as_gbk if ord(char) > 0x7F]
    if not wide or not as_big5:
        return False
    common = sum(1 for char in wide if _in_gb2312(char))
    return common < BIG5_SHARE * len(wide)


def _in_gb2312(char: str) -> bool:
    """Return whether ``char`` is one of GB2312's characters (simplified Chinese's core)."""
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _big5_refusal(path: Path) -> InputError:
    """Return the refusal of a CSV that looks like Big5 (Traditional Chinese)."""
    return refuse(
        path,
        "CSV 文件似乎是 Big5（繁体中文）编码，按 GBK 读取会成乱码；请在 Excel 中另存为"
        "「CSV UTF-8（逗号分隔）」",
        "the CSV looks like Big5 (Traditional Chinese) text, which would read as nonsense as "
        "GBK; in Excel, save it as 'CSV UTF-8 (Comma delimited)'",
    )


def _encoding_refusal(path: Path) -> InputError:
    """Return the refusal of a CSV that is neither UTF-8 nor GBK."""
    return refuse(
        path,
        "CSV 文件既不是 UTF-8 也不是 GBK 编码；请在 Excel 中另存为「CSV UTF-8（逗号分隔）」",
        "the CSV is neither UTF-8 nor GBK text; in Excel, save it as 'CSV UTF-8 (Comma delimited)'",
    )


def _csv_issue(path: Path, row: int, error: csv.Error, limits: Limits) -> Issue:
    """Return the issue for a CSV the csv module cannot parse, at its row."""
    if "field limit" in str(error):
        return Issue(
            path.name,
            row,
            None,
            f"单元格文字过长（超过 {CSV_FIELD_LIMIT:,} 字，Excel 上限 {limits.max_string:,}）；请缩短",
            f"a cell's text is too long (over {CSV_FIELD_LIMIT:,} characters; Excel's limit is "
            f"{limits.max_string:,}); shorten it",
        )
    return Issue(
        path.name,
        row,
        None,
        f"CSV 格式有误（{str(error)[:200]}）；请在 Excel 中打开后重新另存为 CSV",
        f"malformed CSV ({str(error)[:200]}); open it in Excel and save it again as CSV",
    )
