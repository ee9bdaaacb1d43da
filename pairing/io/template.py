"""A blank input workbook that a planner can fill without reading a manual.

Every input sheet of the contract is present with its annotated header (see
:mod:`pairing.io.workbook_writer`); a first sheet 说明 README explains each sheet, every setting
key and every rule weight; 活动要求 obligations and 参数 settings are pre-filled from a rule
model (``models/<name>.toml``), spelled in the contract's Chinese values. The same builder makes
the Gaozhou example, which fills the other sheets too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl.workbook.workbook import Workbook

from pairing.domain.model import Settings
from pairing.domain.rules import RULES, STABILITY_RULE, Rule
from pairing.domain.schema import INPUT_SHEETS, OBLIGATIONS, SCENARIOS, SETTINGS, Sheet
from pairing.domain.settings import SETTING_KEYS, SettingKey
from pairing.io.output import save_workbook
from pairing.io.rulemodel import DEFAULT_MODEL, RuleModel, load_rule_model
from pairing.io.workbook_writer import (
    TextLine,
    cell_value,
    new_workbook,
    record_row,
    write_sheet,
    write_text_sheet,
)

README_TITLE = "说明 README"
README_WIDTHS = (30, 18, 72, 34)
Rows = Sequence[Sequence[object]]
VALUE_COLUMN = SETTINGS.column("value")


def setting_default(spec: SettingKey, model: RuleModel) -> object:
    """Return a setting's value in a fresh workbook: the rule model's, else the built-in default.

    Parameters
    ----------
    spec
        The setting key.
    model
        The rule model whose ``[settings]`` table comes first.

    Returns
    -------
    object
        The value as it should appear in the 值 column (blank for "not set").
    """
    if spec.key in model.settings:
        return model.settings[spec.key]
    # county_seat_lat/lon have no field of their own (Settings keeps a pair): blank by default.
    return getattr(Settings(), spec.field, None)


def rule_weight(rule: Rule, model: RuleModel) -> float | None:
    """Return a soft rule's weight: the rule model's, else the catalogue default."""
    if rule.id == STABILITY_RULE and rule.id not in model.weights:
        return None  # blank: with --baseline, the fewest changes first (lexicographic)
    return model.weights.get(rule.id, rule.default_weight)


def soft_rules() -> tuple[Rule, ...]:
    """Return the soft rules, whose ids are weight keys of the 参数 sheet."""
    return tuple(rule for rule in RULES if rule.kind == "soft")


def settings_rows(
    model: RuleModel, overrides: Mapping[str, object] | None = None
) -> list[tuple[object, object, object]]:
    """Return the 参数 rows: every setting key, then every soft-rule weight, each with its note.

    Keys are written ``中文 english`` (``每村单位数 units_per_village``, ``P13 路程``): the reader
    accepts either word, and a planner sees both.

    Parameters
    ----------
    model
        The rule model that supplies values and weights.
    overrides
        Values by English setting key or rule id that replace the model's (the example sets
        ``plan_year`` and ``max_tenure_years``).

    Returns
    -------
    list
        ``(key, value, note)`` rows in the columns of the 参数 sheet.
    """
    chosen = dict(overrides or {})
    rows: list[tuple[object, object, object]] = []
    for spec in SETTING_KEYS:
        value = chosen.get(spec.key, setting_default(spec, model))
        rows.append((f"{spec.zh} {spec.key}", cell_value(VALUE_COLUMN, value), spec.note))
    for rule in soft_rules():
        weight = chosen.get(rule.id, rule_weight(rule, model))
        note = f"权重 weight: {rule.en}; {rule.unit}"
        rows.append((f"{rule.id} {rule.zh}", cell_value(VALUE_COLUMN, weight), note))
    return rows


def obligation_rows(model: RuleModel) -> list[tuple[object, ...]]:
    """Return the 活动要求 rows of a rule model, enum values spelled in Chinese."""
    return [record_row(OBLIGATIONS, obligation) for obligation in model.obligations]


def template_tables(model: RuleModel) -> dict[str, Rows]:
    """Return the pre-filled tables of a blank workbook, by sheet key."""
    return {"obligations": obligation_rows(model), "settings": settings_rows(model)}


def readme_lines(model: RuleModel, intro: Sequence[str] = ()) -> list[TextLine]:
    """Return the lines of the 说明 README sheet.

    Parameters
    ----------
    model
        The rule model the workbook was pre-filled from (named on the sheet).
    intro
        Extra paragraphs placed after the title (the example describes itself here).

    Returns
    -------
    list of TextLine
        Title, how to use, then one section each for sheets, settings, weights and hard rules.
    """
    return [
        TextLine(("结对共建输入工作簿 说明 / pairing input workbook: read me",), "title"),
        *(TextLine((paragraph,)) for paragraph in intro),
        *usage_lines(model),
        *sheet_lines(),
        *setting_lines(model),
        *weight_lines(model),
        *hard_rule_lines(),
    ]


def usage_lines(model: RuleModel) -> list[TextLine]:
    """Return the how-to-use paragraphs of the README sheet, one language a line."""
    paragraphs = (
        "填写「单位」与「村」两表即可运行；其余各表可选，留空则用默认值。",
        "Fill in the 单位 units and 村 villages sheets; the others are optional and default "
        "when left empty.",
        "表头请勿改动（中文或英文名均可识别）。橙色表头 = 必填列，蓝色 = 选填列。",
        "Keep the headers (Chinese or English both read). Orange headers: required columns; "
        "blue: optional.",
        "把鼠标移到表头上可看批注：含义、单位与示例。带下拉框的列请从列表中选择。",
        "Hover over a header for its meaning, unit and an example. Columns with a dropdown "
        "take one of its values.",
        "检查 check:  pairing check 本文件.xlsx",
        "求解 solve:  pairing solve 本文件.xlsx -o plan.xlsx",
        f"活动要求与参数已按规则模型预填 / obligations and settings are pre-filled from the rule "
        f"model: {model.name}（{model.description}）",
    )
    return [TextLine((paragraph,)) for paragraph in paragraphs]


def sheet_lines() -> list[TextLine]:
    """Return the README section that explains each input sheet."""
    lines = [
        TextLine(()),
        TextLine(("工作表 sheets",), "section"),
        TextLine(
            ("工作表 sheet", "必填 required", "内容 contents", "必填列 required columns"), "section"
        ),
    ]
    lines += [TextLine(sheet_line(sheet)) for sheet in (*INPUT_SHEETS, SCENARIOS)]
    return lines


def sheet_line(sheet: Sheet) -> tuple[object, ...]:
    """Return one README row describing ``sheet``."""
    required = "、".join(column.header for column in sheet.columns if column.required)
    status = "必填 required" if sheet.required else "选填 optional"
    return (sheet.title, status, sheet.note, required)


def setting_lines(model: RuleModel) -> list[TextLine]:
    """Return the README section that explains every setting key of the 参数 sheet."""
    lines = [
        TextLine(()),
        TextLine(("参数 settings（「参数」表的键 keys of the settings sheet）",), "section"),
        TextLine(("键 key", "中文名 name", "含义 meaning", "默认 default"), "section"),
    ]
    for spec in SETTING_KEYS:
        default = cell_value(VALUE_COLUMN, setting_default(spec, model))
        shown = "（空 blank）" if default is None else default
        lines.append(TextLine((spec.key, spec.zh, spec.note, shown)))
    return lines


def weight_lines(model: RuleModel) -> list[TextLine]:
    """Return the README section that explains every soft rule's weight (0 turns it off)."""
    lines = [
        TextLine(()),
        TextLine(
            ("软规则权重 soft-rule weights（键 = 规则编号，0 = 关闭 / key = rule id, 0 = off）",),
            "section",
        ),
        TextLine(("编号 id", "名称 name", "含义 meaning", "默认权重 default weight"), "section"),
    ]
    for rule in soft_rules():
        weight = cell_value(VALUE_COLUMN, rule_weight(rule, model))
        lines.append(TextLine((rule.id, rule.zh, f"{rule.en}（{rule.unit}）", weight)))
    return lines


def hard_rule_lines() -> list[TextLine]:
    """Return the README section listing the hard rules (they have no weight)."""
    lines = [
        TextLine(()),
        TextLine(
            ("硬规则 hard rules（必须遵守，不能设权重 always obeyed, no weight）",), "section"
        ),
    ]
    lines += [TextLine((rule.id, rule.zh, rule.en)) for rule in RULES if rule.kind == "hard"]
    return lines


def build_input_workbook(
    model: RuleModel, tables: Mapping[str, Rows], intro: Sequence[str] = ()
) -> Workbook:
    """Return an input workbook: the README sheet, then every input sheet with its rows.

    Parameters
    ----------
    model
        The rule model named on the README sheet.
    tables
        Rows by sheet key (``"units"``, ...) in the columns of that sheet; absent sheets are
        written with their header only.
    intro
        Extra README paragraphs.

    Returns
    -------
    Workbook
        The workbook, not yet saved.
    """
    workbook = new_workbook()
    write_text_sheet(workbook, README_TITLE, readme_lines(model, intro), README_WIDTHS)
    for sheet in INPUT_SHEETS:
        write_sheet(workbook, sheet, tables.get(sheet.key, ()))
    return workbook


def write_template(target: Path, model_name: str = DEFAULT_MODEL) -> None:
    """Write a blank input workbook pre-filled from rule model ``model_name``, atomically.

    Parameters
    ----------
    target
        The ``.xlsx`` to write; an existing file is replaced only once the new one is complete.
    model_name
        A file name (without ``.toml``) in ``models/``.
    """
    model = load_rule_model(model_name)
    workbook = build_input_workbook(model, template_tables(model))
    write_sheet(workbook, SCENARIOS, ())  # read by `pairing sweep` only
    save_workbook(workbook, target)
