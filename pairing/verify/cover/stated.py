"""What a cover workbook states about itself: 包户 rows, 结对小组, 网格, 责任清单, 指标, and the
plan's pairs it copied (``输入·结对方案 assignments``), read cell by cell."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from pairing.domain import cover_schema as cs
from pairing.domain.cells import clean_text, parse_int
from pairing.domain.plan_schema import requiring
from pairing.verify.reading.grids import Grids
from pairing.verify.reading.plan_sheets import KeyValues, read_key_values
from pairing.verify.reading.records import rows
from pairing.verify.reading.tables import Table, find_table
from pairing.verify.report.findings import INTEGRITY, Finding

COVER = requiring(cs.COVER, "household_id", "team_id")
TEAMS = requiring(cs.TEAMS, "team_id", "village_id")
GRIDS = requiring(cs.GRIDS, "grid_id", "village_id", "groups")
ROSTER = requiring(cs.ROSTER, "village_id", "level", "target")
PAIRS = requiring(cs.PLAN_PAIRS, "village_id", "unit_id")
SUMMARY = requiring(cs.SUMMARY, "key", "value")
BASELINE = requiring(cs.BASELINE_COVER, "household_id")
GROUP_JOIN = "、"  # how the writer joins a grid's 小组


@dataclass(frozen=True, slots=True)
class Placed:
    """One 包户 row: a household, its team, and the two members it names."""

    row: int
    household_id: str
    village_id: str
    team_id: str
    unit_member_id: str
    unit_id: str
    village_member_id: str
    group: str  # the 小组 the row restates


@dataclass(frozen=True, slots=True)
class TeamRow:
    """One 结对小组 row, with the 户数 and 重点户数 it states (``None`` when unreadable)."""

    row: int
    id: str
    village_id: str
    unit_member_id: str
    unit_id: str
    village_member_id: str
    households: int | None
    priority: int | None


@dataclass(frozen=True, slots=True)
class GridRow:
    """One 网格 row: its 小组 (in the order written), 户数 and 网格长."""

    row: int
    id: str
    village_id: str
    groups: tuple[str, ...]
    households: int | None
    leader_id: str
    leader_group: str  # the 小组 it restates the 网格长 lives in


@dataclass(frozen=True, slots=True)
class RosterRow:
    """One 责任清单 row."""

    row: int
    village_id: str
    level: str
    target: str
    person_id: str


@dataclass(frozen=True, slots=True)
class Stated:
    """Everything the cover workbook states; ``tables`` by sheet key, ``None`` when missing."""

    placed: tuple[Placed, ...]
    teams: tuple[TeamRow, ...]
    grids: tuple[GridRow, ...]
    roster: tuple[RosterRow, ...]
    pairs: Mapping[str, frozenset[str]]  # village id -> the units the plan pairs with it
    baseline: Mapping[str, tuple[str, str]]  # household -> baseline (unit member, village member)
    summary: KeyValues
    provenance: KeyValues
    tables: Mapping[str, Table | None]


def _placed(table: Table | None, sink: list[Finding]) -> list[Placed]:
    found = []
    for r in rows(table, sink):
        hid, team = r.required("household_id"), r.required("team_id")
        if not r.failed:
            found.append(
                Placed(
                    r.number,
                    hid,
                    r.text("village_id"),
                    team,
                    r.text("unit_member_id"),
                    r.text("unit_id"),
                    r.text("village_member_id"),
                    r.text("group"),
                )
            )
    return found


def _teams(table: Table | None, sink: list[Finding]) -> list[TeamRow]:
    found = []
    for r in rows(table, sink):
        tid, vid = r.required("team_id"), r.required("village_id")
        load = r.parsed("households", parse_int, None)
        priority = r.parsed("priority_households", parse_int, None)
        found.append(
            TeamRow(
                r.number,
                tid,
                vid,
                r.text("unit_member_id"),
                r.text("unit_id"),
                r.text("village_member_id"),
                load,
                priority,
            )
        )
    return found


def _grids(table: Table | None, sink: list[Finding]) -> list[GridRow]:
    found = []
    for r in rows(table, sink):
        gid, vid = r.required("grid_id"), r.required("village_id")
        groups = tuple(g for g in (clean_text(p) for p in r.text("groups").split(GROUP_JOIN)) if g)
        count = r.parsed("households", parse_int, None)
        leader = r.text("leader_id")
        found.append(GridRow(r.number, gid, vid, groups, count, leader, r.text("leader_group")))
    return found


def _roster(table: Table | None, sink: list[Finding]) -> list[RosterRow]:
    return [
        RosterRow(
            r.number, r.text("village_id"), r.text("level"), r.text("target"), r.text("person_id")
        )
        for r in rows(table, sink)
    ]


def _pairs(table: Table | None, sink: list[Finding]) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for r in rows(table, sink):
        vid, uid = r.required("village_id"), r.required("unit_id")
        if not r.failed:
            found[vid].add(uid)
    return {v: frozenset(units) for v, units in found.items()}


def _baseline(table: Table | None, sink: list[Finding]) -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    for r in rows(table, sink):
        hid = r.required("household_id")
        if hid and hid not in found:
            found[hid] = (r.text("unit_member_id"), r.text("village_member_id"))
    return found


def missing(title: str) -> Finding:
    """Return the finding for a sheet a cover workbook must hold."""
    return Finding(
        INTEGRITY,
        title,
        None,
        "包户工作簿缺少此工作表（或其表头）",
        "the cover workbook lacks this sheet (or its header)",
    )


def read_stated(grids: Grids, sink: list[Finding]) -> Stated:
    """Read the cover's own sheets; a missing one is an ``INT`` finding."""
    specs = {"cover": COVER, "teams": TEAMS, "grids": GRIDS, "roster": ROSTER}
    tables = {key: find_table(grids, spec) for key, spec in specs.items()}
    tables["pairs"] = find_table(grids, PAIRS, cs.INPUT_PREFIX)
    tables["summary"] = find_table(grids, SUMMARY)
    provenance = find_table(grids, requiring(cs.PROVENANCE, "key", "value"))
    named = {**specs, "pairs": PAIRS, "summary": SUMMARY}
    for key, table in tables.items():
        if table is None:
            prefix = cs.INPUT_PREFIX if key == "pairs" else ""
            sink.append(missing(prefix + named[key].title))
    return Stated(
        tuple(_placed(tables["cover"], sink)),
        tuple(_teams(tables["teams"], sink)),
        tuple(_grids(tables["grids"], sink)),
        tuple(_roster(tables["roster"], sink)),
        _pairs(tables["pairs"], sink),
        _baseline(find_table(grids, BASELINE, cs.INPUT_PREFIX), sink),
        read_key_values(tables["summary"], cs.SUMMARY.title),
        read_key_values(provenance, cs.PROVENANCE.title),
        tables,
    )
