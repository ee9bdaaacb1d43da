"""Write the cover workbook (pairing.domain.cover_schema): 包户, teams, grids, roster, summary,
checks, provenance and input copies (with the plan's pairs, so that an auditor needs no other
file); sealed like a plan (:func:`pairing.io.planbook.seal`) and saved atomically."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

from pairing.domain import cover_schema as cs
from pairing.domain.cover import CountyCover
from pairing.domain.people import Area
from pairing.domain.rules import GRID_RULES, HARD_COVER_RULES, RULES_BY_ID, SOFT_COVER_RULES
from pairing.domain.schema import Sheet
from pairing.io.planbook import _copy_inputs, save_plan, write_table
from pairing.io.reader import Input


@dataclass(frozen=True, slots=True)
class CoverContext:
    """Names the workbook shows and the facts it records."""

    village_names: Mapping[str, str]
    unit_names: Mapping[str, str]
    units_of: Mapping[str, Sequence[str]]
    areas: Sequence[Area]
    per_team: int
    grid_max: int
    seconds: float
    points: Mapping[str, float] = field(default_factory=dict)  # per soft rule id (指标)
    plan_sha256: str = ""  # of the plan workbook read
    baseline: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # --baseline's 包户
    baseline_sha256: str = ""  # of the --baseline workbook read


def _headers(sheet: Sheet) -> list[tuple[str, str]]:
    return [(c.zh, c.key) for c in sheet.columns]


def _cover_rows(
    cover: CountyCover, ctx: CoverContext
) -> tuple[list[list[object]], list[list[object]]]:
    rows: list[list[object]] = []
    teams: list[list[object]] = []
    for vc in cover.villages:
        name = ctx.village_names.get(vc.village_id, "")
        for h, t in zip(vc.households, vc.team_of, strict=True):
            team = vc.teams[t]
            u, m = team.unit_member, team.village_member
            why = "同组党员" if m.group == h.group else f"党员住{m.group}"
            rows.append(
                [
                    h.id,
                    vc.village_id,
                    name,
                    h.head,
                    h.group,
                    "、".join(sorted(h.categories)),
                    team.id,
                    u.id,
                    u.name,
                    u.unit_id,
                    ctx.unit_names.get(u.unit_id, ""),
                    m.id,
                    m.name,
                    f"{why}；{'重点户分散' if h.priority else '均衡负荷'}",
                ]
            )
        for t, team in enumerate(vc.teams):
            load = [h for h, k in zip(vc.households, vc.team_of, strict=True) if k == t]
            u, m = team.unit_member, team.village_member
            teams.append(
                [
                    team.id,
                    vc.village_id,
                    name,
                    u.id,
                    u.name,
                    u.unit_id,
                    m.id,
                    m.name,
                    len(load),
                    sum(1 for h in load if h.priority),
                    team.capacity,
                ]
            )
    return rows, teams


def _roster(cover: CountyCover, ctx: CoverContext) -> list[list[object]]:
    rows: list[list[object]] = []
    for vc in cover.villages:
        vid, name = vc.village_id, ctx.village_names.get(vc.village_id, "")
        rows += [
            [vid, name, "包片", a.name, "", a.leader, "镇领导包片"]
            for a in ctx.areas
            if a.village_id == vid
        ]
        units = ctx.units_of.get(vid, ())
        rows.append(
            [
                vid,
                name,
                "包村",
                vid,
                "、".join(units),
                "、".join(ctx.unit_names.get(u, u) for u in units),
                "结对单位",
            ]
        )
        rows += [
            [vid, name, "包组", g, m.id, m.name, m.role]
            for v, g, m in cover.group_heads
            if v == vid
        ]
        rows += [
            [
                vid,
                name,
                "包户",
                t.id,
                t.id,
                f"{t.unit_member.name}+{t.village_member.name}",
                f"{vc.team_of.count(i)} 户",
            ]
            for i, t in enumerate(vc.teams)
        ]
    return rows


def _summary(cover: CountyCover, ctx: CoverContext) -> list[list[object]]:
    loads = [vc.team_of.count(t) for vc in cover.villages for t in range(len(vc.teams))]
    households = [h for vc in cover.villages for h in vc.households]
    same = sum(
        1
        for vc in cover.villages
        for h, t in zip(vc.households, vc.team_of, strict=True)
        if vc.teams[t].village_member.group == h.group
    )
    heads = {(v, g) for v, g, m in cover.group_heads if m.group == g}
    values: dict[str, object] = {
        "status": "optimal_given_teams",  # the teams are formed greedily, not optimised
        "proven": "是 yes (给定小组 for the formed teams)",
        "objective": round(cover.points, 3),
        "bound": round(cover.points, 3),
        "gap": 0.0,
        "seconds": round(ctx.seconds, 3),
        "villages": len(cover.villages),
        "households": len(households),
        "covered": len(households),
        "teams": len(loads),
        "cover_households_per_team": ctx.per_team,
        "max_team_load": max(loads, default=0),
        "mean_team_load": round(sum(loads) / len(loads), 3) if loads else 0.0,
        "priority_households": sum(1 for h in households if h.priority),
        "same_group_households": same,
        "grids": len(cover.grids),
        "grid_max_households": ctx.grid_max,
        "max_grid_households": max((g.households for g in cover.grids), default=0),
        "groups_without_member": len(cover.group_heads) - len(heads),
    }
    values |= {f"points_{rule}": round(p, 3) for rule, p in ctx.points.items()}
    return [[zh, key, values[key]] for zh, key in cs.SUMMARY_KEYS if key in values]


def write_cover(target: Path, cover: CountyCover, ctx: CoverContext, source: Input) -> None:
    """Write the cover workbook to ``target`` (temp file + rename)."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    rows, teams = _cover_rows(cover, ctx)
    grids = [
        [
            g.id,
            g.village_id,
            ctx.village_names.get(g.village_id, ""),
            "、".join(n for n, _ in g.shares),
            g.households,
            g.leader.id,
            g.leader.name,
            g.leader.group,
        ]
        for g in cover.grids
    ]
    checks = [
        [r, RULES_BY_ID[r].zh, RULES_BY_ID[r].kind, "通过 pass", RULES_BY_ID[r].en]
        for r in (*HARD_COVER_RULES, *SOFT_COVER_RULES, *GRID_RULES)
    ]
    provenance = [
        ["类型", "kind", cs.COVER_KIND, "", ""],
        ["输入 SHA-256", cs.INPUT_SHA256, source.sha256, "", ""],
        ["方案 SHA-256", cs.PLAN_SHA256, ctx.plan_sha256, "", ""],
    ]
    if ctx.baseline_sha256:
        provenance.append(["基线包户 SHA-256", cs.BASELINE_SHA256, ctx.baseline_sha256, "", ""])
    for sheet, data in (
        (cs.COVER, rows),
        (cs.TEAMS, teams),
        (cs.GRIDS, grids),
        (cs.ROSTER, _roster(cover, ctx)),
        (cs.SUMMARY, _summary(cover, ctx)),
        (cs.CHECKS, checks),
        (cs.PROVENANCE, provenance),
    ):
        write_table(book.create_sheet(sheet.title[:31]), _headers(sheet), data)
    _copy_inputs(book, source)
    write_table(
        book.create_sheet(f"{cs.INPUT_PREFIX}{cs.PLAN_PAIRS.title}"[:31]),
        _headers(cs.PLAN_PAIRS),
        [
            [v, ctx.village_names.get(v, ""), u, ctx.unit_names.get(u, "")]
            for v in sorted(ctx.units_of)
            for u in ctx.units_of[v]
        ],
    )
    if ctx.baseline:
        write_table(
            book.create_sheet(f"{cs.INPUT_PREFIX}{cs.BASELINE_COVER.title}"[:31]),
            _headers(cs.BASELINE_COVER),
            [[h, u, m] for h, (u, m) in ctx.baseline.items()],
        )
    save_plan(book, target)  # seals: the SHA-256 of every sheet in 来源
