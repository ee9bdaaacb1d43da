"""Which files may be opened at all: regular files only, the CSV files of a folder, the hash.

A named pipe blocks ``open`` until a writer comes; ``/dev/zero`` never ends; a directory or a
dangling link named ``单位.csv`` cannot be read. Each is refused here, by name, before any byte
is read. Files are opened with ``O_NONBLOCK`` and checked on the open handle, so that a pipe
swapped in after the check cannot block either.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from pairing.domain.errors import InputError
from pairing.sheets.limits import Limits, MiB
from pairing.sheets.refusals import refuse

CSV_SUFFIX = ".csv"


def not_found(path: Path) -> InputError:
    """Return the refusal of a path that names nothing (or a link that points nowhere)."""
    if path.is_symlink():
        return refuse(
            path,
            "这是指向不存在文件的链接（快捷方式）；请改为实际文件",
            "this is a link to a file that does not exist; use the file itself",
        )
    return refuse(path, "文件不存在", "the file does not exist")


def not_regular(path: Path, mode: int) -> InputError:
    """Return the refusal of something that is not a plain file: a folder, a pipe, a device."""
    if stat.S_ISDIR(mode):
        what_zh, what_en = "文件夹", "a folder"
    elif stat.S_ISFIFO(mode):
        what_zh, what_en = "管道（FIFO）", "a named pipe (FIFO)"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what_zh, what_en = "设备", "a device"
    else:
        what_zh, what_en = "特殊文件", "a special file"
    return refuse(
        path,
        f"不是普通文件（这是{what_zh}）；请给出 .xlsx 工作簿或 .csv 文件",
        f"not a regular file (it is {what_en}); give an .xlsx workbook or a .csv file",
    )


def check_regular(path: Path) -> int:
    """Return the size of ``path``, or refuse it when it is not an existing regular file."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise not_found(path) from None
    if not stat.S_ISREG(info.st_mode):
        raise not_regular(path, info.st_mode)
    return info.st_size


@contextmanager
def open_regular(path: Path) -> Iterator[BinaryIO]:
    """Open ``path`` for reading bytes, refusing anything but a regular file, without blocking."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise not_found(path) from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        raise not_regular(path, mode)
    with os.fdopen(descriptor, "rb") as handle:
        yield handle


def is_csv(path: Path) -> bool:
    """Return whether a name is a CSV file's, in any case (``单位.CSV`` as Excel may save it)."""
    return path.suffix.lower() == CSV_SUFFIX and not path.name.startswith((".", "~$"))


def csv_files(folder: Path, limits: Limits) -> list[Path]:
    """Return the ``.csv`` files of ``folder`` in name order; refuse any that is not a file.

    Hidden files and Office lock files (``.~lock.…``, ``~$…``) are not inputs and are skipped.
    """
    files = sorted((p for p in folder.iterdir() if is_csv(p)), key=lambda p: p.name)
    if len(files) > limits.max_members:
        raise refuse(
            folder,
            f"文件夹中的 .csv 文件过多（{len(files):,} 个）",
            f"the folder holds too many .csv files ({len(files):,})",
        )
    for file in files:
        check_regular(file)
    if not files:
        raise refuse(
            folder,
            "文件夹中没有 .csv 文件；请放入 单位.csv、村.csv 等，或直接使用 .xlsx 工作簿",
            "the folder holds no .csv files; add 单位.csv, 村.csv, ... (or units.csv, "
            "villages.csv), or use an .xlsx workbook",
        )
    return files


def input_sha256(path: Path, limits: Limits | None = None) -> str:
    """Return the SHA-256 an input is recorded by in a plan's 来源 provenance.

    A file hashes its bytes; a folder hashes its ``.csv`` files (:func:`csv_files`) in name
    order, each as its name (UTF-8) followed by its bytes. Files are read in chunks, and only
    regular ones: the same files the reader reads.
    """
    path = Path(path)
    limits = limits or Limits.from_env()
    digest = hashlib.sha256()
    if path.is_dir():
        for file in csv_files(path, limits):
            digest.update(file.name.encode())
            _hash_into(digest, file)
    else:
        _hash_into(digest, path)
    return digest.hexdigest()


def _hash_into(digest: hashlib._Hash, path: Path) -> None:
    """Feed the bytes of the regular file ``path`` to ``digest``."""
    with open_regular(path) as handle:
        while chunk := handle.read(MiB):
            digest.update(chunk)
