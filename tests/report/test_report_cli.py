"""``pairing report`` on the real command: offline, escaped, and exit 3 on what is not a plan."""

from __future__ import annotations

import re
from pathlib import Path

from .example import example_report, run


def test_the_page_fetches_nothing_and_holds_every_village(tmp_path: Path) -> None:
    """No address a browser would fetch; one data-village-id per village; well under 5 MB."""
    report, ids = example_report(tmp_path)
    page = report.read_text(encoding="utf-8")
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", page)
    assert sorted(re.findall(r'<[a-z]+[^<>]*\sdata-village-id="([^"]+)"', page)) == sorted(ids)
    assert report.stat().st_size < 5 * 1024 * 1024


def test_an_input_workbook_is_refused_with_exit_3(tmp_path: Path) -> None:
    """An input workbook is not a plan: exit 3, a bilingual message, no page written."""
    workbook = tmp_path / "in.xlsx"
    assert run("example", "gaozhou", str(workbook))[0] == 0
    code, output = run("report", str(workbook), "-o", str(tmp_path / "r.html"))
    assert code == 3, output
    assert "Traceback" not in output
    assert not (tmp_path / "r.html").exists()
