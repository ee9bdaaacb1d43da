"""The county map as inline SVG, drawn from the workbook's coordinates (no tiles, no network).

Each village is one element with ``data-village-id``: a circle where the village has
coordinates, else an entry of the list under the map. The page's script shows a village's
units and reasons on hover or click, from the JSON embedded with the page.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Sequence

from pairing.report.charts import esc
from pairing.report.model import ReportData, ReportVillage

STATUS_COLOUR = {"continued": "#2e7d32", "new": "#1565c0", "locked": "#c62828"}
STATUS_LABEL = {
    "continued": "延续 continued",
    "new": "新结对 new",
    "locked": "锁定 locked",
}
WIDTH, HEIGHT, PAD = 900.0, 640.0, 30.0
Point = tuple[float, float]


def _projection(points: Sequence[tuple[float, float]]) -> tuple[float, float, float, float, float]:
    """Return (lat0, lon0, scale, east-west factor, height) of an equirectangular fit."""
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    factor = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = max(1e-6, (max(lons) - min(lons)) * factor)
    span_y = max(1e-6, max(lats) - min(lats))
    scale = min((WIDTH - 2 * PAD) / span_x, (HEIGHT - 2 * PAD) / span_y)
    return max(lats), min(lons), scale, factor, span_y * scale + 2 * PAD


def county_map(data: ReportData) -> str:
    """The SVG map plus the list of villages without coordinates."""
    located = [(v.lat, v.lon) for v in data.villages if v.lat is not None and v.lon is not None]
    located += [(u.lat, u.lon) for u in data.units if u.lat is not None and u.lon is not None]
    missing = [v for v in data.villages if v.lat is None or v.lon is None]
    if not located:
        return _unlocated(missing)
    lat0, lon0, scale, factor, height = _projection(located)

    def at(lat: float, lon: float) -> Point:
        return PAD + (lon - lon0) * factor * scale, PAD + (lat0 - lat) * scale

    villages = {
        v.id: at(v.lat, v.lon) for v in data.villages if v.lat is not None and v.lon is not None
    }
    units = {u.id: at(u.lat, u.lon) for u in data.units if u.lat is not None and u.lon is not None}
    body = [*_lines(data, villages, units), *_unit_marks(data, units)]
    body += [_town_labels(data.villages, villages)]
    body += [_village_mark(v, villages[v.id]) for v in data.villages if v.id in villages]
    svg = (
        f'<svg id="map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:.0f} '
        f'{height:.0f}" width="100%" role="img" aria-label="县域结对地图 / county map">'
        f'<rect width="100%" height="100%" fill="#fbfbf8"/>{"".join(body)}</svg>'
    )
    return svg + _unlocated(missing)


def _lines(data: ReportData, villages: dict[str, Point], units: dict[str, Point]) -> list[str]:
    """One line per pair whose two ends are on the map, coloured by its status."""
    out = []
    for pair in data.pairs:
        if pair.village_id in villages and pair.unit_id in units:
            (x1, y1), (x2, y2) = units[pair.unit_id], villages[pair.village_id]
            out.append(
                f'<line class="pair {pair.status}" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" '
                f'y2="{y2:.1f}" stroke="{STATUS_COLOUR[pair.status]}" stroke-opacity="0.55" '
                f'stroke-width="1.4" data-unit-id="{esc(pair.unit_id)}" '
                f'data-pair-village="{esc(pair.village_id)}"/>'
            )
    return out


def _unit_marks(data: ReportData, units: dict[str, Point]) -> list[str]:
    """A small square per located unit, its name as a tooltip."""
    return [
        f'<rect class="unit" x="{units[u.id][0] - 3:.1f}" y="{units[u.id][1] - 3:.1f}" '
        f'width="6" height="6" fill="#555"><title>{esc(u.name)} ({esc(u.id)})</title></rect>'
        for u in data.units
        if u.id in units
    ]


def _town_labels(villages: Sequence[ReportVillage], at: dict[str, Point]) -> str:
    """Each town's name at the centre of its villages."""
    towns: dict[str, list[Point]] = defaultdict(list)
    for village in villages:
        if village.id in at and village.town:
            towns[village.town].append(at[village.id])
    return "".join(
        f'<text class="town" x="{sum(p[0] for p in points) / len(points):.1f}" '
        f'y="{sum(p[1] for p in points) / len(points) - 9:.1f}" font-size="12" '
        f'text-anchor="middle" fill="#7a5c00" opacity="0.8">{esc(town)}</text>'
        for town, points in sorted(towns.items())
    )


def _village_mark(village: ReportVillage, point: Point) -> str:
    """The village's circle (ringed when typical), carrying its id."""
    x, y = point
    ring = "#ed7d31" if village.typical else "#ffffff"
    width = 3 if village.typical else 1.5
    short = village.strength < village.target
    return (
        f'<circle class="village{" typical" if village.typical else ""}" '
        f'data-village-id="{esc(village.id)}" cx="{x:.1f}" cy="{y:.1f}" '
        f'r="{7 if village.typical else 5.5}" fill="{"#ffc000" if short else "#4472c4"}" '
        f'stroke="{ring}" stroke-width="{width}" tabindex="0">'
        f"<title>{esc(village.name)}（{esc(village.town)}）</title></circle>"
    )


def _unlocated(missing: Sequence[ReportVillage]) -> str:
    """The villages the map cannot place, as a list of clickable entries."""
    if not missing:
        return ""
    items = "".join(
        f'<li data-village-id="{esc(v.id)}" tabindex="0">{esc(v.name)}（{esc(v.town)}）</li>'
        for v in missing
    )
    return f'<p>无坐标的村 / villages without coordinates:</p><ul class="nocoord">{items}</ul>'


def village_json(data: ReportData) -> str:
    """The villages' details for the page's script, safe inside a ``<script>`` element."""
    payload = {
        v.id: {
            "name": v.name,
            "town": v.town,
            "typical": v.typical,
            "strength": v.strength,
            "target": v.target,
            "needs": list(v.needs),
            "uncovered": list(v.uncovered),
            "units": [
                {
                    "id": u.unit_id,
                    "name": u.name,
                    "status": STATUS_LABEL[u.status],
                    "km": u.km,
                    "reason": u.reason,
                }
                for u in v.units
            ],
        }
        for v in data.villages
    }
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
