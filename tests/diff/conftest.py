"""Plans to compare, solved once per session: the example under two settings, an input with a
village added and a unit changed, and tiny hand-built counties."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from pairing.cli import cli

SETTINGS = "参数 settings"
VILLAGES = "村 villages"
UNITS = "单位 units"
CHANGED_UNIT = "U010"  # its 帮扶力量 strength is raised in the third input
NEW_VILLAGE = "V099"


def run(*args: str) -> Result:
    """Run ``pairing ARGS`` in-process as the console runs it (stdout and stderr apart)."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def solve(source: Path, target: Path) -> Path:
    """Solve ``source`` into the plan ``target`` as ``pairing solve`` does."""
    result = run("solve", str(source), "-o", str(target), "-q")
    assert result.exit_code == 0, result.stderr
    return target


def edit_input(source: Path, target: Path, edit: Callable[[openpyxl.Workbook], None]) -> Path:
    """A copy of an input workbook with ``edit`` applied."""
    book = openpyxl.load_workbook(source)
    edit(book)
    book.save(target)
    return target


def set_p13(book: openpyxl.Workbook, value: float) -> None:
    """Set the P13 (distance) weight on the 参数 sheet."""
    rows = [row for row in book[SETTINGS].iter_rows(min_row=2) if row[0].value == "P13 路程"]
    assert len(rows) == 1
    rows[0][1].value = value


def add_village_and_change_unit(book: openpyxl.Workbook) -> None:
    """P13 = 3, a village V099 added (a copy of the last, renamed) and U010 made stronger."""
    set_p13(book, 3)
    villages = book[VILLAGES]
    last = [cell.value for cell in villages[villages.max_row]]
    villages.append([NEW_VILLAGE, "新增村", *last[2:]])
    for row in book[UNITS].iter_rows(min_row=2):
        if row[0].value == CHANGED_UNIT:
            row[3].value = float(str(row[3].value)) + 2  # 帮扶力量 strength


@dataclass(frozen=True)
class Plans:
    """The example's input and its plans: ``a`` as is, ``b`` with P13 = 3, ``c`` with P13 = 3,
    V099 added and U010 stronger."""

    folder: Path
    input: Path
    a: Path
    b: Path
    c: Path


@pytest.fixture(scope="session")
def plans(tmp_path_factory: pytest.TempPathFactory) -> Plans:
    """The example solved three times (about 2 s each)."""
    folder = tmp_path_factory.mktemp("diff")
    source = folder / "in.xlsx"
    assert run("example", "gaozhou", str(source)).exit_code == 0
    input_b = edit_input(source, folder / "in_b.xlsx", lambda book: set_p13(book, 3))
    input_c = edit_input(source, folder / "in_c.xlsx", add_village_and_change_unit)
    return Plans(
        folder,
        source,
        solve(source, folder / "a.xlsx"),
        solve(input_b, folder / "b.xlsx"),
        solve(input_c, folder / "c.xlsx"),
    )


def tiny_input(
    target: Path,
    villages: Sequence[str],
    rules: Sequence[tuple[str, str, str]] = (),
    settings: Sequence[tuple[str, object]] | None = None,
) -> Path:
    """A hand-built county: units U1-U4 of strength 1-4, the given villages (two units each,
    each in a town of its own), 指定 rules ``(unit, village, 必须/禁止)`` and 参数 rows."""
    book = openpyxl.Workbook()
    units = book.active
    assert units is not None
    units.title = "单位"
    units.append(["单位编号", "单位名称", "帮扶力量"])
    for number in range(1, 5):
        units.append([f"U{number}", f"单位{number}", number])
    sheet = book.create_sheet("村")
    sheet.append(["村编号", "村名", "所属镇"])
    for village_id in villages:
        sheet.append([village_id, f"{village_id}村", f"{village_id}镇"])
    if rules:
        sheet = book.create_sheet("指定")
        sheet.append(["单位编号", "村编号", "规则"])
        for rule in rules:
            sheet.append(list(rule))
    if settings is not None:
        sheet = book.create_sheet("参数")
        sheet.append(["参数", "值"])
        for key, value in settings:
            sheet.append([key, value])
    book.save(target)
    return target
