"""``pairing audit`` and ``pairing example-ledger`` on the command line: exit codes and output."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from pairing.cli import cli

from .conftest import LedgerCase, PlanOnly
from .plans import complete_rows, write_rows


def run(*args: str) -> tuple[int, str, str]:
    """Run the CLI; return exit code, stdout and stderr."""
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_example_ledger_then_audit_exits_5(example: PlanOnly, tmp_path: Path) -> None:
    """example-ledger writes a ledger; audit ranks its lagging units and exits 5."""
    ledger, out = tmp_path / "ledger.xlsx", tmp_path / "audit.xlsx"
    code, text, _ = run("example-ledger", str(example.path), str(ledger), "--seed", "3")
    assert code == 0 and "wrote example ledger" in text and ledger.exists()
    assert "lag" not in text.replace("ledger", "")  # the truth stays hidden
    code, text, _ = run("audit", str(example.path), str(ledger), "-o", str(out))
    assert code == 5, text
    assert "落后单位 lagging units" in text and "  1. U" in text and "unmatched" in text
    lagging = openpyxl.load_workbook(out, read_only=True)["落后单位 lagging"]
    assert sum(1 for _ in lagging.iter_rows(min_row=2)) >= 1


def test_complete_ledger_exits_0(example: PlanOnly, tmp_path: Path) -> None:
    """A ledger with every owed record up to --as-of exits 0 with 100.0%."""
    until = dt.date(2027, 2, 28)
    ledger = write_rows(complete_rows(example.audit_plan, until), tmp_path / "full.xlsx")
    code, text, _ = run(
        "audit",
        str(example.path),
        str(ledger),
        "-o",
        str(tmp_path / "a.xlsx"),
        "--as-of",
        "2027-02-28",
    )
    assert code == 0, text
    assert "(100.0%)" in text and "lagging units (< 80%): 0" in text


def test_bad_inputs(generated: LedgerCase, tmp_path: Path) -> None:
    """An unreadable ledger or one without a ledger header exits 3, a bad date 2, and the
    output may not be the ledger itself (3)."""
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK\x03\x04 not really")
    headless = tmp_path / "headless.csv"
    headless.write_text("a,b\n1,2\n", encoding="utf-8")
    out = str(tmp_path / "a.xlsx")
    for ledger in (junk, headless, tmp_path / "missing.xlsx"):
        code, _, err = run("audit", str(generated.plan), str(ledger), "-o", out)
        assert code == 3 and "Traceback" not in err, (ledger, err)
    code, _, _ = run("audit", str(generated.plan), str(generated.ledger), "-o", out, "--as-of", "x")
    assert code == 2
    code, _, _ = run(
        "audit", str(generated.plan), str(generated.ledger), "-o", str(generated.ledger)
    )
    assert code == 3


def test_csv_ledger_reads(generated: LedgerCase, tmp_path: Path) -> None:
    """A ledger saved as CSV (any file name, English headers) audits like the workbook."""
    sheet = openpyxl.load_workbook(generated.ledger, read_only=True).worksheets[0]
    lines = ["unit_id,village_id,activity,date,status"]
    for row in sheet.iter_rows(min_row=2, values_only=True):
        day = row[3].date() if isinstance(row[3], dt.datetime) else row[3]
        lines.append(",".join(str(v) for v in (*row[:3], day, row[4])))
    ledger = tmp_path / "export.csv"
    ledger.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, text, _ = run("audit", str(generated.plan), str(ledger), "-o", str(tmp_path / "a.xlsx"))
    assert code == 5
    for unit in generated.truth.lagging:
        assert f". {unit} " in text


def test_example_ledger_of_a_county_where_every_unit_has_every_village(tmp_path: Path) -> None:
    """One village, two units, both paired with it: no "unpaired" noise row can be made, so
    that kind is left out (it once raised StopIteration, exit 1)."""
    source = tmp_path / "tiny.xlsx"
    book = openpyxl.Workbook()
    units = book.active
    assert units is not None
    units.title = "单位"
    units.append(["单位编号", "单位名称"])
    units.append(["U1", "甲局"])
    units.append(["U2", "乙局"])
    villages = book.create_sheet("村")
    villages.append(["村编号", "村名", "所属镇", "需结对单位数"])
    villages.append(["V1", "一村", "甲镇", 2])
    book.save(source)
    plan, ledger = tmp_path / "plan.xlsx", tmp_path / "ledger.xlsx"
    runner = CliRunner()
    assert runner.invoke(cli, ["solve", str(source), "-o", str(plan), "-q"]).exit_code == 0
    done = runner.invoke(cli, ["example-ledger", str(plan), str(ledger)])
    assert done.exit_code == 0, done.output
    assert ledger.exists()
