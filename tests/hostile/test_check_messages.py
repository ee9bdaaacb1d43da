"""What ``check`` says about an empty, damaged or hostile workbook (issue 14, item 15).

Before: 48 villages and a header-only 单位 sheet checked "✓ valid"; a workbook whose 单位 part
was missing said "sheet 'units' is missing" and then one line per history row (501 lines on the
Gaozhou example); 15 cells of 32,000 characters printed 0.96 MB on stderr, and ``audit``
quoted unmatched ledger cells whole. Each test runs the real command in a subprocess.
"""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import PlanFiles
from .helpers import Outcome, assert_refused, run_pairing
from .workbooks import FIRST_SHEET, Sheets, rewrite_part, valid_sheets, write_xlsx

VILLAGE_HEAD = ["村编号", "村名", "所属镇"]
HISTORY_HEAD = ["单位编号", "村编号", "起始年"]


def check(source: Path, workdir: Path) -> Outcome:
    """Run ``pairing check source``."""
    return run_pairing(["check", str(source)], source, workdir)


def problems(outcome: Outcome) -> int:
    """Return how many problems the refusal lists (its headline count)."""
    found = re.search(r"the input has (\d+) problem", outcome.stderr)
    assert found, outcome.stderr
    return int(found.group(1))


def test_villages_without_units_are_refused_naming_the_empty_sheet(tmp_path: Path) -> None:
    """48 villages and a 单位 sheet with only its header: exit 3 on 单位, not "✓ valid"."""
    sheets: Sheets = {
        "单位": [["单位编号", "单位名称"]],
        "村": [VILLAGE_HEAD, *([f"V{k}", f"村{k}", "曹江镇"] for k in range(48))],
    }
    source = write_xlsx(tmp_path / "empty_units.xlsx", sheets)
    outcome = check(source, tmp_path)
    assert_refused(outcome, ("单位 units", "48", "no rows"), seconds=float("inf"))
    assert problems(outcome) == 1


def test_an_empty_units_sheet_is_called_empty_not_missing(tmp_path: Path) -> None:
    """A 单位 sheet without a single cell is there: say it is empty and what its header is."""
    sheets = valid_sheets()
    sheets["单位"] = []
    source = write_xlsx(tmp_path / "blank_units.xlsx", sheets)
    outcome = check(source, tmp_path)
    assert_refused(outcome, ("单位 units", "empty", "unit_id"), seconds=float("inf"))
    assert "missing" not in outcome.stderr
    assert problems(outcome) == 1


def test_a_blank_template_still_checks_clean(tmp_path: Path) -> None:
    """``pairing template t.xlsx && pairing check t.xlsx`` exits 0: both sheets empty is fine."""
    template = tmp_path / "t.xlsx"
    made = run_pairing(["template", str(template)], tmp_path, tmp_path)
    assert made.exit_code == 0, made.output
    outcome = check(template, tmp_path)
    assert outcome.exit_code == 0, outcome.output
    assert "有效 is valid" in outcome.stdout


def test_a_missing_sheet_part_is_a_damaged_file_not_a_cascade(tmp_path: Path) -> None:
    """The 单位 part gone from the zip: one line saying the file is damaged, naming the part."""
    sheets = valid_sheets()
    sheets["历史结对"] = [HISTORY_HEAD, *(["U1", "V1", 2000 + k] for k in range(20))]
    whole = write_xlsx(tmp_path / "whole.xlsx", sheets)
    source = rewrite_part(whole, tmp_path / "cut.xlsx", FIRST_SHEET, None)
    whole.unlink()
    outcome = check(source, tmp_path)
    assert_refused(outcome, ("cut.xlsx", "damaged", FIRST_SHEET, "单位"), seconds=float("inf"))
    assert problems(outcome) == 1


def test_a_missing_sheet_does_not_cascade_into_one_line_per_id(tmp_path: Path) -> None:
    """No 单位 sheet and 200 history and rule rows: one problem (the sheet), not 401."""
    sheets = valid_sheets()
    del sheets["单位"]
    sheets["历史结对"] = [HISTORY_HEAD, *([f"U{k}", "V1", 2020] for k in range(200))]
    sheets["指定"] = [
        ["单位编号", "村编号", "规则"],
        *([f"U{k}", "V2", "禁止"] for k in range(200)),
    ]
    sheets["队员"] = [["单位编号", "姓名"], *([f"U{k}", f"甲{k}"] for k in range(200))]
    source = write_xlsx(tmp_path / "no_units.xlsx", sheets)
    outcome = check(source, tmp_path)
    assert_refused(outcome, ("单位 units", "missing"), seconds=float("inf"))
    assert problems(outcome) == 1


def test_messages_quote_at_most_40_characters_of_a_cell(tmp_path: Path) -> None:
    """15 cells of 32,000 characters (ids, a rule word, a setting key): short messages."""
    sheets = valid_sheets()
    long = "x" * 32_000
    sheets["指定"] = [["单位编号", "村编号", "规则"]]
    sheets["指定"] += [[f"U{k}{long}", "V1", "必须"] for k in range(5)]
    sheets["指定"] += [["U1", f"V{k}{long}", "必须"] for k in range(5)]
    sheets["指定"] += [["U2", "V2", f"{k}{long}"] for k in range(4)]
    sheets["参数"] = [["参数", "值"], [long, 1]]
    source = write_xlsx(tmp_path / "long.xlsx", sheets)
    outcome = check(source, tmp_path)
    assert_refused(outcome, ("指定 rules", "参数 settings"), seconds=float("inf"))
    assert problems(outcome) == 15
    assert len(outcome.stderr.encode()) < 15 * 1_000, len(outcome.stderr.encode())
    assert re.search("x{40}", outcome.stderr) is None, "a quote longer than 40 characters"


def test_audit_quotes_at_most_40_characters_of_a_ledger_cell(
    plan_files: PlanFiles, tmp_path: Path
) -> None:
    """Unmatched ledger rows with 30,000-character cells are listed with short quotes."""
    long = "x" * 30_000
    rows = [
        f"{long},V1,L1,2027-01-05,done",
        f"U1,{long},L1,2027-01-05,done",
        f"U1,V1,{long},2027-01-05,done",
        f"U1,V1,L1,{long},done",
        f"U1,V1,L1,2027-01-05,{long}",
    ]
    ledger = tmp_path / "ledger.csv"
    ledger.write_text("unit_id,village_id,activity,date,status\n" + "\n".join(rows) + "\n")
    out = tmp_path / "audit.xlsx"
    outcome = run_pairing(
        ["audit", str(plan_files.plan), str(ledger), "-o", str(out)], ledger, tmp_path
    )
    assert outcome.exit_code in (0, 5), outcome.output
    assert outcome.stdout.count("…") >= 5, outcome.stdout
    assert re.search("x{40}", outcome.output) is None, "a quote longer than 40 characters"
