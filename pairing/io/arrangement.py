"""结对安排表: the table the 组织部 issues, the first sheet of every plan workbook.

One row per village, a town's villages together (towns in the order the 村 sheet first names
them, villages in its order), its units by name in the order 结对方案 lists them, whether the
village continues its pairs, and a note on locked pairs (the 指定 sheet's reason: 自选, 统一安排,
外部力量 ...). The town is written on every row rather than merged: a row then reads alone when
filtered, sorted or split across a page break, and a rule between towns shows the groups.

Printed on A4 landscape, one page wide, the title and header rows on every page and
"第 &P 页 共 &N 页" in the footer. Column widths are measured from the text (a CJK character
counts two) and long names wrap; row heights are set from the wrapped lines, because Excel
does not grow a row to fit wrapped text it did not lay out itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from pairing.domain import plan_schema as layout
from pairing.domain.model import Problem, Settings, Village
from pairing.domain.plan import Plan, PlanPair
from pairing.domain.schema import Sheet
from pairing.io.output import set_text
from pairing.io.sheet_format import wrapped_lines
from pairing.io.workbook_writer import display_width, plain_cell

TITLE_ROW, HEADER_ROW = 1, layout.ARRANGEMENT_HEADER_ROW
BODY_FONT = Font(name="宋体", size=10.5)  # 五号, the size of official tables
HEADER_FONT = Font(name="黑体", size=10.5, bold=True)
TITLE_FONT = Font(name="黑体", size=16, bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
THIN, MEDIUM = Side(style="thin"), Side(style="medium")
LINE_POINTS = 14.5  # one wrapped line of 五号 text, with its leading
PADDING_POINTS = 4.0
WIDEST: Mapping[str, int] = {  # wrap beyond these widths (character cells)
    "town": 14,
    "village": 14,
    "note": 30,
    "continuity": 12,
}
UNIT_WIDEST = 30  # a unit's name wraps after 15 CJK characters
CENTRED = frozenset({"no", "typical", "continuity"})
Record = dict[str, object]


def default_title(settings: Settings) -> str:
    """Return the setting 标题 title, else ``<县名><年份>年结对共建安排表``.

    Without a 县名 county setting the title starts with the year (``2027年结对共建安排表``):
    the workbook names no county otherwise, and a file name is no county's name.
    """
    return settings.title or f"{settings.county}{settings.year()}年结对共建安排表"


def unit_columns(problem: Problem, plan: Plan) -> int:
    """Return how many unit columns the table needs: the most units any village has."""
    counts: dict[str, int] = {}
    for pair in plan.pairs:
        counts[pair.village_id] = counts.get(pair.village_id, 0) + 1
    return max([1, *(village.units_required for village in problem.villages), *counts.values()])


def by_town(villages: Iterable[Village]) -> list[Village]:
    """Return the villages grouped by town: towns in order of first mention, then input order."""
    towns: dict[str, list[Village]] = {}
    for village in villages:
        towns.setdefault(village.town, []).append(village)
    return [village for members in towns.values() for village in members]


def continuity(pairs: Sequence[PlanPair]) -> str:
    """Return 延续 (every pair continues), 新结对 (none does) or which units continue."""
    kept = [number for number, pair in enumerate(pairs, start=1) if pair.continued]
    if pairs and len(kept) == len(pairs):
        return "延续"
    if not kept:
        return "新结对"
    return f"单位{'、'.join(map(str, kept))}延续"


def lock_note(problem: Problem, pairs: Sequence[PlanPair]) -> str:
    """Return the note on a village's locked pairs: ``单位1锁定：自选 self-selected``."""
    reasons = {
        (rule.unit_id, rule.village_id): rule.reason
        for rule in problem.rules
        if rule.verb == "must"
    }
    notes = []
    for number, pair in enumerate(pairs, start=1):
        if not pair.locked:
            continue
        reason = reasons.get((pair.unit_id, pair.village_id), "")
        notes.append(f"单位{number}锁定：{reason}" if reason else f"单位{number}锁定")
    return "；".join(notes)


def arrangement_rows(problem: Problem, plan: Plan, units: int) -> list[Record]:
    """Return the table's rows, by column key of :func:`pairing.domain.plan_schema.arrangement`."""
    mine: dict[str, list[PlanPair]] = {}
    for pair in plan.pairs:
        mine.setdefault(pair.village_id, []).append(pair)
    rows: list[Record] = []
    for number, village in enumerate(by_town(problem.villages), start=1):
        pairs = mine.get(village.id, [])
        names: list[str | None] = [problem.unit(pair.unit_id).name for pair in pairs]
        names += [None] * (units - len(names))
        rows.append(
            {
                "no": number,
                "town": village.town,
                "village": village.name,
                "typical": "是" if village.typical else "否",
                **{f"{layout.UNIT_COLUMN_PREFIX}{i}": n for i, n in enumerate(names, start=1)},
                "continuity": continuity(pairs),
                "note": lock_note(problem, pairs),
            }
        )
    return rows


def write_arrangement(ws: Worksheet, problem: Problem, plan: Plan) -> None:
    """Write 结对安排表 into ``ws``: title, header, one row per village, print set-up."""
    units = unit_columns(problem, plan)
    spec = layout.arrangement(units)
    rows = arrangement_rows(problem, plan, units)
    keys = [column.key for column in spec.columns]
    widths = [
        column_width(key, column.zh, rows) for key, column in zip(keys, spec.columns, strict=True)
    ]
    _title(ws, default_title(problem.settings), len(keys))
    for index, column in enumerate(spec.columns, start=1):
        cell = plain_cell(ws, HEADER_ROW, index)
        set_text(cell, column.header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(THIN, THIN, THIN, THIN)
        ws.column_dimensions[get_column_letter(index)].width = widths[index - 1]
    header_lines = max(
        wrapped_lines(column.header, w) for column, w in zip(spec.columns, widths, strict=True)
    )
    ws.row_dimensions[HEADER_ROW].height = LINE_POINTS * header_lines + PADDING_POINTS
    previous = None
    for offset, record in enumerate(rows):
        row = HEADER_ROW + 1 + offset
        top = MEDIUM if previous is not None and record["town"] != previous else THIN
        previous = record["town"]
        lines = 1
        for index, key in enumerate(keys, start=1):
            cell = plain_cell(ws, row, index)
            set_text(cell, record[key])
            cell.font = BODY_FONT
            cell.border = Border(THIN, THIN, top, THIN)
            horizontal = "center" if key in CENTRED else "left"
            cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
            lines = max(lines, wrapped_lines(str(record[key] or ""), widths[index - 1]))
        ws.row_dimensions[row].height = LINE_POINTS * lines + PADDING_POINTS
    _print_setup(ws, spec, len(rows))


def _title(ws: Worksheet, title: str, columns: int) -> None:
    cell = plain_cell(ws, TITLE_ROW, 1)
    set_text(cell, title)
    cell.font = TITLE_FONT
    cell.alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=columns)
    ws.row_dimensions[TITLE_ROW].height = 32


def _print_setup(ws: Worksheet, spec: Sheet, rows: int) -> None:
    """A4 landscape, one page wide and as many tall as it takes, title and header on each."""
    last = get_column_letter(len(spec.columns))
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as the rows need
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.7
    ws.page_margins.header, ws.page_margins.footer = 0.3, 0.3
    ws.print_title_rows = f"{TITLE_ROW}:{HEADER_ROW}"
    ws.print_area = f"A{TITLE_ROW}:{last}{HEADER_ROW + rows}"
    footer = ws.oddFooter
    assert footer is not None  # openpyxl gives every sheet one
    footer.center.text = "第 &P 页 共 &N 页"
    footer.center.size = 9
    ws.freeze_panes = f"D{HEADER_ROW + 1}"  # 序号, town and village stay in view
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + rows}"


def column_width(key: str, zh: str, rows: Sequence[Record]) -> float:
    """Return a column's width: its widest cell and header word, wrapped beyond a cap."""
    widest = max([display_width(zh), *(display_width(str(r[key] or "")) for r in rows)])
    cap = UNIT_WIDEST if key.startswith(layout.UNIT_COLUMN_PREFIX) else WIDEST.get(key, 60)
    return min(cap, widest) + 2
