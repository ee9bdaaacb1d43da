"""``pairing template``: a blank workbook that reads back valid and explains itself."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.worksheet.worksheet import Worksheet

from pairing.cli import cli
from pairing.domain.model import Unit
from pairing.domain.rules import RULES
from pairing.domain.schema import INPUT_SHEETS, SCENARIOS, UNITS, Sheet
from pairing.domain.settings import SETTING_KEYS
from pairing.io.reader import Input, read_input
from pairing.io.rulemodel import load_rule_model
from pairing.io.template import README_TITLE, write_template
from pairing.io.workbook_writer import (
    SUGGESTED,
    dropdown_choices,
    new_workbook,
    record_row,
    write_sheet,
)


@pytest.fixture(scope="module")
def template_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Write the default template once for the module."""
    path = tmp_path_factory.mktemp("template") / "t.xlsx"
    write_template(path)
    return path


@pytest.fixture(scope="module")
def template_book(template_path: Path) -> openpyxl.Workbook:
    """Open the template with openpyxl (styles, comments and validations included)."""
    return openpyxl.load_workbook(template_path)


@pytest.fixture(scope="module")
def template_input(template_path: Path) -> Input:
    """Read the template back through the validating reader."""
    return read_input(template_path)


def sheet_of(book: openpyxl.Workbook, sheet: Sheet) -> Worksheet:
    """Return the worksheet titled like ``sheet``."""
    worksheet = book[sheet.title]
    assert isinstance(worksheet, Worksheet)
    return worksheet


def test_template_reads_back_valid_with_every_sheet(template_input: Input) -> None:
    """The reader accepts the template and finds every input sheet (none left to defaults)."""
    assert template_input.defaulted == ()
    assert template_input.problem.units == ()
    assert template_input.problem.villages == ()


def test_readme_comes_first_then_every_input_sheet(template_book: openpyxl.Workbook) -> None:
    """Sheets are 说明 README and then the contract's input sheets, titled ``中文 english``."""
    expected = [README_TITLE, *(sheet.title for sheet in INPUT_SHEETS), SCENARIOS.title]
    assert template_book.sheetnames == expected  # 方案对比 last: read by `pairing sweep` only


def test_headers_are_the_contract_headers(template_book: openpyxl.Workbook) -> None:
    """Row 1 of each sheet holds ``中文 (english_key)`` for each column, in contract order."""
    for sheet in INPUT_SHEETS:
        worksheet = sheet_of(template_book, sheet)
        headers = [cell.value for cell in worksheet[1]]
        assert headers == [column.header for column in sheet.columns], sheet.title


def test_every_header_has_a_comment_saying_what_goes_there(
    template_book: openpyxl.Workbook,
) -> None:
    """Each header comment carries the column's note and says whether it is required."""
    for sheet in INPUT_SHEETS:
        worksheet = sheet_of(template_book, sheet)
        for index, column in enumerate(sheet.columns, start=1):
            comment = worksheet.cell(row=1, column=index).comment
            assert comment is not None, column.header
            assert column.note in comment.text
            assert ("必填 required" in comment.text) == column.required


def test_required_headers_look_different(template_book: openpyxl.Workbook) -> None:
    """Required and optional headers are bold and differ in fill colour."""
    worksheet = sheet_of(template_book, UNITS)
    required = worksheet.cell(row=1, column=1)  # unit_id
    optional = worksheet.cell(row=1, column=3)  # system
    assert required.font.b and optional.font.b
    assert required.fill.start_color.rgb != optional.fill.start_color.rgb


def test_dropdowns_on_every_enum_and_yes_no_column(template_book: openpyxl.Workbook) -> None:
    """Each enum or yes/no column has a list validation of the Chinese choices over its rows."""
    for sheet in INPUT_SHEETS:
        worksheet = sheet_of(template_book, sheet)
        validations = {
            str(validation.sqref).split(":")[0]: validation
            for validation in worksheet.data_validations.dataValidation
        }
        for index, column in enumerate(sheet.columns, start=1):
            choices = [c.zh for c in dropdown_choices(column)]
            choices = choices or list(SUGGESTED.get((sheet.key, column.key), ()))
            letter = openpyxl.utils.get_column_letter(index)
            if not choices:
                assert f"{letter}2" not in validations, column.header
                continue
            validation = validations[f"{letter}2"]
            assert validation.type == "list"
            assert validation.formula1 == '"' + ",".join(choices) + '"'


def test_units_offer_systems_and_strengths_but_accept_others(
    template_book: openpyxl.Workbook,
) -> None:
    """单位's 系统 and 帮扶力量 suggest the usual values with a warning, never a refusal: a
    county's own system names and a strength such as 2.5 must stay possible."""
    worksheet = template_book["单位 units"]
    by_column = {str(v.sqref).split(":")[0]: v for v in worksheet.data_validations.dataValidation}
    headers = {str(cell.value): cell.column_letter for cell in worksheet[1]}
    system = by_column[headers["系统 (system)"] + "2"]
    strength = by_column[headers["帮扶力量 (strength)"] + "2"]
    assert "党委部门" in str(system.formula1) and "国企" in str(system.formula1)
    assert str(strength.formula1) == '"5,4,3,2,1,强,中,弱"'
    assert system.errorStyle == strength.errorStyle == "warning"


def test_header_row_is_frozen_and_columns_fit_headers(template_book: openpyxl.Workbook) -> None:
    """The header row stays in view, and no column is narrower than its contract width."""
    for sheet in INPUT_SHEETS:
        worksheet = sheet_of(template_book, sheet)
        assert worksheet.freeze_panes == "A2"
        for index, column in enumerate(sheet.columns, start=1):
            letter = openpyxl.utils.get_column_letter(index)
            assert worksheet.column_dimensions[letter].width >= column.width


def test_obligations_prefilled_equal_the_rule_model(template_input: Input) -> None:
    """The 活动要求 rows read back as exactly the rule model's obligations."""
    read = tuple(dataclasses.replace(o, row=0) for o in template_input.problem.obligations)
    assert read == load_rule_model().obligations


def test_settings_prefilled_equal_the_rule_model(template_input: Input) -> None:
    """The 参数 rows read back as the rule model's weights and settings."""
    model = load_rule_model()
    settings = template_input.problem.settings
    assert {rule: settings.weight(rule) for rule in model.weights} == model.weights
    fields = {spec.key: spec.field for spec in SETTING_KEYS}
    for key, value in model.settings.items():
        assert getattr(settings, fields[key]) == value, key


def test_obligation_cells_use_chinese_values(template_book: openpyxl.Workbook) -> None:
    """Enum and yes/no cells of the pre-filled obligations are spelled in Chinese."""
    worksheet = template_book["活动要求 obligations"]
    first = [cell.value for cell in worksheet[2]]
    assert first == ["LAB", "集中劳动", "月", 1, "是", "工作日", "避开", "单位"]


def test_readme_explains_every_setting_and_weight(template_book: openpyxl.Workbook) -> None:
    """The README sheet names every setting key, every soft rule id and every sheet."""
    text = "\n".join(
        str(value)
        for row in template_book[README_TITLE].iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    for spec in SETTING_KEYS:
        assert spec.key in text
    for rule in RULES:
        assert rule.id in text
    for sheet in INPUT_SHEETS:
        assert sheet.title in text


def test_writer_stores_formula_like_text_as_text(tmp_path: Path) -> None:
    """A name starting with ``=`` is written as a text cell, never as a formula.

    Whether the stored text also carries a protective leading ``'`` is output.py's choice;
    what the writer promises is that the cell is text and keeps the name.
    """
    workbook = new_workbook()
    write_sheet(workbook, UNITS, [record_row(UNITS, Unit("U1", "=HYPERLINK(1)"))])
    path = tmp_path / "w.xlsx"
    workbook.save(path)
    cell = openpyxl.load_workbook(path)[UNITS.title]["B2"]
    assert cell.data_type == "s"
    assert str(cell.value).removeprefix("'") == "=HYPERLINK(1)"


def test_cli_template_then_check_exits_zero(tmp_path: Path) -> None:
    """``pairing template t.xlsx && pairing check t.xlsx`` both exit 0."""
    out = tmp_path / "t.xlsx"
    runner = CliRunner()
    made = runner.invoke(cli, ["template", str(out)])
    assert made.exit_code == 0, made.output
    assert out.exists()
    checked = runner.invoke(cli, ["check", str(out)])
    assert checked.exit_code == 0, checked.output


def test_cli_template_overwrites_an_existing_file(tmp_path: Path) -> None:
    """An existing output is replaced by a complete, valid template."""
    out = tmp_path / "t.xlsx"
    out.write_text("not a workbook")
    result = CliRunner().invoke(cli, ["template", str(out), "--model", "wuge-yi"])
    assert result.exit_code == 0, result.output
    assert read_input(out).defaulted == ()


def test_cli_template_missing_argument_is_a_usage_error() -> None:
    """Without OUT the command exits 2 (click's usage error)."""
    assert CliRunner().invoke(cli, ["template"]).exit_code == 2


def test_cli_template_unknown_model_is_a_usage_error(tmp_path: Path) -> None:
    """An unknown ``--model`` exits 2 and writes nothing."""
    out = tmp_path / "t.xlsx"
    result = CliRunner().invoke(cli, ["template", str(out), "--model", "no-such-model"])
    assert result.exit_code == 2
    assert not out.exists()
