"""The bilingual refusals of the reading gate: one file, what is wrong with it, what to do.

Each returns an :class:`~pairing.domain.errors.InputError` (exit 3) whose issue names the file
(or the sheet and row, when the damage is inside one sheet), so that the CLI prints it without
a traceback.
"""

from __future__ import annotations

from pathlib import Path

from pairing.domain.errors import InputError, Issue

REASON_LIMIT = 200  # characters of a library's own error text quoted in a message


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


def missing_part(path: Path, part: str, sheet: str | None) -> InputError:
    """Return the error for a workbook whose listed sheet has no part in the zip."""
    of_zh = f"（工作表「{sheet[:40]}」）" if sheet else ""
    of_en = f" (of sheet '{sheet[:40]}')" if sheet else ""
    return refuse(
        path,
        f"工作簿已损坏：内部文件 {part}{of_zh}缺失；请重新获取文件，或在 Excel 中打开后另存为 .xlsx",
        f"the workbook is damaged: its part {part}{of_en} is missing; get the file again, or "
        "open it in Excel and save it again as .xlsx",
    )


def unreadable(path: Path, sheet: str | None, row: int | None, error: Exception) -> InputError:
    """Return the error for a workbook (or one sheet, near ``row``) that cannot be parsed."""
    where_zh = f"{path.name} 的工作表「{sheet}」" if sheet else f"工作簿 {path.name}"
    where_en = f"sheet '{sheet}' of {path.name}" if sheet else f"the workbook {path.name}"
    near_zh = f"第 {row} 行附近" if row else ""
    near_en = f" near row {row}" if row else ""
    reason = f"{type(error).__name__}: {str(error)[:REASON_LIMIT]}"
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


def os_failure(path: Path, error: OSError) -> InputError:
    """Return the error for a file the system will not let us read (permissions, I/O)."""
    reason = error.strerror or str(error)[:REASON_LIMIT]
    return refuse(
        path,
        f"无法读取文件（{reason}）；请检查路径和权限",
        f"cannot read the file ({reason}); check the path and permissions",
    )
