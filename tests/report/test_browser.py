"""The report in a real browser: headless Chromium (Debian's) driven by Selenium, offline."""

from __future__ import annotations

import json
import shutil
import statistics
import struct
import zlib
from pathlib import Path

import pytest

from .example import example_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or not Path(DRIVER).exists(), reason="chromium / chromedriver not installed"
)
SAVE_SHOT = Path(__file__).resolve().parents[2] / "docs" / "img" / "report.png"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1800",
)


def _browser(profile: Path):  # type: ignore[no-untyped-def]
    webdriver = pytest.importorskip("selenium.webdriver")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    service = webdriver.ChromeService(executable_path=DRIVER)
    return webdriver.Chrome(options=options, service=service)


def _png_gray_variance(png: bytes) -> float:
    """The variance of the screenshot's pixel values (an 8-bit RGB/RGBA PNG, decoded here)."""
    chunks, offset = {}, 8
    data = b""
    while offset < len(png):
        length, kind = struct.unpack(">I4s", png[offset : offset + 8])
        body = png[offset + 8 : offset + 8 + length]
        if kind == b"IDAT":
            data += body
        else:
            chunks[kind] = body
        offset += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert depth == 8 and colour in (2, 6)
    raw = zlib.decompress(data)
    stride = width * (3 if colour == 2 else 4)
    # rows are filtered; the first byte of each row is its filter: sample unfiltered-independent
    # statistics from the raw bytes of every 7th row (a blank page compresses to a constant).
    sample = [raw[r * (stride + 1) + 1 : (r + 1) * (stride + 1)] for r in range(0, height, 7)]
    values = [b for row in sample for b in row[::7]]
    return statistics.pvariance(values)


def test_report_in_headless_chromium(tmp_path: Path) -> None:
    """No console error, no request but the file itself, one element per village, a working
    hover, and a screenshot that is not blank."""
    page, villages = example_report(tmp_path)
    driver = _browser(tmp_path / "profile")
    try:
        driver.get(page.as_uri())
        marks = driver.find_elements("css selector", "[data-village-id]")
        ids = [m.get_attribute("data-village-id") for m in marks]
        assert sorted(ids) == sorted(villages)  # exactly one element per village
        target = next(m for m in marks if m.tag_name == "circle")
        village_id = target.get_attribute("data-village-id")
        target.click()
        panel = driver.find_element("id", "panel")
        assert panel.get_attribute("data-shown") == village_id
        entries = panel.find_elements("css selector", ".unit-entry")
        assert entries, "the panel lists the village's units"
        assert all(entry.text.strip() for entry in entries)
        shot = driver.get_screenshot_as_png()
        console = driver.get_log("browser")
        performance = driver.get_log("performance")
    finally:
        driver.quit()
    errors = [entry for entry in console if entry["level"] in ("SEVERE", "ERROR")]
    assert errors == []
    requests = [
        json.loads(entry["message"])["message"]["params"]["request"]["url"]
        for entry in performance
        if json.loads(entry["message"])["message"]["method"] == "Network.requestWillBeSent"
    ]
    # chrome:// and chrome-untrusted:// are the browser's own start page, served from its
    # binary (which of them depends on the Chromium build); data: needs no network.
    local = ("chrome://", "chrome-untrusted://", "data:")
    assert [url for url in requests if not url.startswith(local)] == [page.as_uri()]
    assert _png_gray_variance(shot) > 100
    (tmp_path / "report.png").write_bytes(shot)
    if SAVE_SHOT.parent.is_dir():  # the repository's copy, shown in the README
        SAVE_SHOT.write_bytes(shot)
