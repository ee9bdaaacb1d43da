"""The report page: layout, style and the map's script around the charts."""

from __future__ import annotations

from pairing.report.charts import (
    calendar_chart,
    compliance_chart,
    distance_chart,
    esc,
    needs_chart,
    strength_chart,
)
from pairing.report.county_map import STATUS_COLOUR, STATUS_LABEL, county_map, village_json
from pairing.report.model import ReportData

STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",SimSun,sans-serif;
margin:0;padding:16px 24px;color:#222;background:#fff}
h1{font-size:22px;margin:4px 0 2px}h2{font-size:16px;margin:22px 0 6px;border-bottom:1px solid #ddd}
.sub{color:#666;font-size:12px}
.tiles{display:flex;flex-wrap:wrap;gap:10px;margin-top:12px}
.tile{border:1px solid #d9d9d9;border-radius:6px;padding:8px 12px;min-width:130px}
.tile b{display:block;font-size:22px;color:#1f4e79}.tile span{font-size:11px;color:#555}
.mapbox{display:flex;gap:16px;align-items:flex-start}.mapbox>div:first-child{flex:3}
#panel{flex:2;border:1px solid #d9d9d9;border-radius:6px;padding:10px;min-height:200px;
font-size:13px;position:sticky;top:8px}
#panel li{margin-bottom:6px}
[data-village-id]{cursor:pointer}circle.village:hover,circle.village.active{stroke:#000;stroke-width:3}
.legend span{display:inline-block;margin-right:14px;font-size:12px}
.legend i{display:inline-block;width:18px;height:4px;margin-right:4px;vertical-align:middle}
.chart{max-width:1100px;overflow-x:auto}
"""

SCRIPT = """
(function(){
var data=JSON.parse(document.getElementById('village-data').textContent);
var panel=document.getElementById('panel');
function add(parent,tag,text){var e=document.createElement(tag);
if(text!==undefined){e.textContent=text;}parent.appendChild(e);return e;}
function show(id){var v=data[id];if(!v){return;}
document.querySelectorAll('.active').forEach(function(e){e.classList.remove('active');});
document.querySelectorAll('[data-village-id="'+id+'"]').forEach(function(e){
e.classList.add('active');});
panel.textContent='';
add(panel,'h3',v.name+'（'+v.town+'）'+(v.typical?' · 典型村 typical':''));
add(panel,'div','帮扶力量 strength '+v.strength+' / 目标 target '+v.target);
if(v.needs.length){add(panel,'div','短板需求 needs：'+v.needs.join('、'));}
if(v.uncovered.length){add(panel,'div','未覆盖 uncovered：'+v.uncovered.join('、'));}
var list=add(panel,'ul');panel.setAttribute('data-shown',id);
v.units.forEach(function(u){var li=add(list,'li');li.className='unit-entry';
add(li,'b',u.name);add(li,'span','（'+u.id+'） '+u.status+
(u.km===null?'':' · '+u.km.toFixed(1)+' km'));add(li,'div',u.reason);});}
document.querySelectorAll('[data-village-id]').forEach(function(e){
var id=e.getAttribute('data-village-id');
e.addEventListener('mouseenter',function(){show(id);});
e.addEventListener('click',function(){show(id);});
e.addEventListener('focus',function(){show(id);});});
})();
"""


def _legend() -> str:
    lines = "".join(
        f'<span><i style="background:{STATUS_COLOUR[k]}"></i>{esc(STATUS_LABEL[k])}</span>'
        for k in ("continued", "new", "locked")
    )
    return (
        f'<div class="legend">{lines}<span>● 村 village（蓝 blue 达标 at target，黄 yellow '
        "低于目标 below）</span><span>◎ 橙圈 orange ring = 典型村 typical</span>"
        "<span>■ 单位 unit</span></div>"
    )


def _tiles(data: ReportData) -> str:
    return "".join(
        f'<div class="tile"><b>{esc(k.value)}</b><span>{esc(k.zh)}<br>{esc(k.en)}</span></div>'
        for k in data.kpis
    )


def _sections(data: ReportData) -> list[str]:
    distances = [p.km for p in data.pairs if p.km is not None]
    parts = [
        '<h2>各村帮扶力量与目标 / Strength per village against its target</h2><p class="sub">'
        "橙色为典型村，红线为目标 / orange: typical villages; red tick: target</p>"
        f'<div class="chart">{strength_chart(data.villages)}</div>',
        '<h2>需求覆盖 / Needs coverage by tag</h2><p class="sub">灰：提出该需求的村；蓝：已覆盖'
        f' / grey: villages asking; blue: covered</p><div class="chart">{needs_chart(data.needs)}'
        "</div>",
        "<h2>路程分布 / Distance distribution</h2>"
        f'<div class="chart">{distance_chart(distances)}</div>',
    ]
    if data.calendar is not None:
        parts.append(
            '<h2 id="calendar">活动日历 / Events per day</h2><p class="sub">颜色越深活动越多；'
            "红框为节假日，深灰为禁排日 / darker = more events; red outline: holiday; dark grey: "
            f'blackout</p><div class="chart">{calendar_chart(data.calendar)}</div>'
        )
    if data.compliance is not None:
        parts.append(
            '<h2 id="compliance">单位完成率 / Compliance by unit</h2><p class="sub">由低到高，'
            "虚线为落后阈值 / lowest first; dashed: the lagging threshold</p>"
            f'<div class="chart">{compliance_chart(data.compliance, data.threshold)}</div>'
        )
    return parts


def render_report(data: ReportData) -> str:
    """Return the whole page as one HTML string."""
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
        f"<title>{esc(data.title)}</title><style>{STYLE}</style></head><body>"
        f'<h1>{esc(data.title)}</h1><div class="sub">来源 source：{esc(data.source)}</div>'
        f'<div class="tiles">{_tiles(data)}</div>'
        "<h2>结对地图 / Map of the pairs</h2>"
        f"{_legend()}"
        f'<div class="mapbox"><div>{county_map(data)}</div><div id="panel">'
        "悬停或点击一个村查看其结对单位和理由 / hover or click a village to see its units "
        "and reasons</div></div>"
        + "".join(_sections(data))
        + f'<script type="application/json" id="village-data">{village_json(data)}</script>'
        f"<script>{SCRIPT}</script></body></html>"
    )
