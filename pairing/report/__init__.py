"""The offline HTML report of a plan (``pairing report``): one self-contained file.

Everything is inline SVG and a few lines of script embedded in the page: no CDN, no map
tiles, no web fonts (the system's CJK fonts are used), so the page opens on a machine with no
network at all. Every string from a workbook is HTML-escaped; the village details the map's
panel shows go in as JSON and are put on the page as text, never as markup.
"""

from __future__ import annotations

from pairing.report.model import (
    CalendarDay,
    Kpi,
    NeedCoverage,
    ReportData,
    ReportPair,
    ReportUnit,
    ReportVillage,
    UnitCompliance,
    VillageUnit,
)
from pairing.report.page import render_report

__all__ = [
    "CalendarDay",
    "Kpi",
    "NeedCoverage",
    "ReportData",
    "ReportPair",
    "ReportUnit",
    "ReportVillage",
    "UnitCompliance",
    "VillageUnit",
    "render_report",
]
