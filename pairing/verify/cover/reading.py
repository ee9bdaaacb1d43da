"""Read a cover workbook with the verifier's own code: its people copies, the plan's pairs it
copied, and what it states (包户, 结对小组, 网格, 责任清单, 指标).

Only the cell parsers (:mod:`pairing.domain.cells`) and the layouts
(:mod:`pairing.domain.schema`, :mod:`pairing.domain.cover_schema`) are shared with the writer;
which cell becomes which field, and what a blank means (a 最多户数 left blank is N), is written
again here. A row that cannot be read is an ``INT`` finding and is left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pairing.domain.cells import parse_float, parse_int, parse_tags
from pairing.domain.digest import column_letter
from pairing.domain.schema import GROUPS, HOUSEHOLDS, MEMBERS, VILLAGE_MEMBERS, VILLAGE_ROLES, Sheet
from pairing.verify.reading.grids import Grids
from pairing.verify.reading.records import rows
from pairing.verify.reading.tables import Table, find_table
from pairing.verify.report.findings import Finding

COMMITTEE = frozenset({"secretary", "committee"})  # 书记 / 两委


@dataclass(frozen=True, slots=True)
class Household:
    """A listed household of the 农户 copy."""

    id: str
    village_id: str
    group: str
    priority: bool
    needs: frozenset[str]
    row: int


@dataclass(frozen=True, slots=True)
class Person:
    """A unit member (``home`` = unit id) or a village party member (``home`` = village id)."""

    id: str
    home: str
    group: str  # the 小组 a party member lives in ('' for a unit member)
    role: str  # a party member's role value ('' for a unit member)
    cap: int | None  # 最多户数, None when blank
    skills: frozenset[str]
    row: int


@dataclass(frozen=True, slots=True)
class Group:
    """A 村民小组 of the 村民小组 copy."""

    village_id: str
    name: str
    households: int
    row: int
    lat: float | None = None  # G06 judges villages whose small 小组 all have both
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class People:
    """The people copies, by id (first row of an id wins; a repeat is an ``INT`` finding)."""

    households: Mapping[str, Household]
    unit_members: Mapping[str, Person]
    village_members: Mapping[str, Person]
    groups: tuple[Group, ...]
    household_sheet: str
    group_sheet: str
    missing: tuple[str, ...] = ()  # titles of the people sheets not found (or without header)


def column(table: Table, spec: Sheet, key: str) -> str | None:
    """Return a column's label as findings cite it: ``G 结对小组 (team_id)``."""
    index = table.columns.get(key)
    return None if index is None else f"{column_letter(index + 1)} {spec.column(key).header}"


def copy(grids: Grids, spec: Sheet, prefix: str) -> Table | None:
    """Return the input sheet ``spec`` (its copy ``输入·<title>`` with that prefix), if held."""
    return find_table(grids, spec, prefix)


def read_households(table: Table | None, sink: list[Finding]) -> dict[str, Household]:
    """Read 农户: id, village, 小组, whether any 类别 tag makes it a priority one, 需求."""
    found: dict[str, Household] = {}
    for r in rows(table, sink):
        hid, vid, group = r.required("household_id"), r.required("village_id"), r.required("group")
        categories = r.parsed("categories", parse_tags, frozenset[str]())
        needs = r.parsed("needs", parse_tags, frozenset[str]())
        if hid in found:
            r.fail(f"户编号「{hid}」重复", f"household id '{hid}' is repeated")
        elif not r.failed:
            found[hid] = Household(hid, vid, group, bool(categories), needs, r.number)
    return found


def read_unit_members(table: Table | None, sink: list[Finding]) -> dict[str, Person]:
    """Read 队员 rows that have a 队员编号 (only those can be in a team)."""
    found: dict[str, Person] = {}
    for r in rows(table, sink):
        mid, unit = r.text("member_id"), r.text("unit_id")
        cap = r.parsed("max_households", parse_int, None)
        skills = r.parsed("skills", parse_tags, frozenset[str]())
        if mid and mid in found:
            r.fail(f"队员编号「{mid}」重复", f"member id '{mid}' is repeated")
        elif mid and not r.failed:
            found[mid] = Person(mid, unit, "", "", cap, skills, r.number)
    return found


def read_village_members(table: Table | None, sink: list[Finding]) -> dict[str, Person]:
    """Read 村党员: id, village, 小组 lived in, role (blank: 党员), 最多户数."""
    found: dict[str, Person] = {}
    for r in rows(table, sink):
        mid, vid, group = r.required("member_id"), r.required("village_id"), r.required("group")
        role = r.choice("role", VILLAGE_ROLES, "member") or "member"
        cap = r.parsed("max_households", parse_int, None)
        if mid in found:
            r.fail(f"党员编号「{mid}」重复", f"party member id '{mid}' is repeated")
        elif not r.failed:
            found[mid] = Person(mid, vid, group, role, cap, frozenset(), r.number)
    return found


def read_groups(table: Table | None, sink: list[Finding]) -> list[Group]:
    """Read 村民小组: village, 小组, 户数."""
    found: list[Group] = []
    for r in rows(table, sink):
        vid, name = r.required("village_id"), r.required("group")
        count = r.parsed("households", parse_int, None)
        if count is None:
            r.required("households")
        lat, lon = r.parsed("lat", parse_float, None), r.parsed("lon", parse_float, None)
        if count is not None and not r.failed:
            found.append(Group(vid, name, count, r.number, lat, lon))
    return found


def read_people(grids: Grids, prefix: str, sink: list[Finding]) -> People:
    """Read the people sheets: a cover workbook's copies (``prefix`` ``输入·``) or an input's."""
    specs = (HOUSEHOLDS, MEMBERS, VILLAGE_MEMBERS)
    tables = {spec.key: copy(grids, spec, prefix) for spec in specs}
    groups = copy(grids, GROUPS, prefix)
    households = tables[HOUSEHOLDS.key]
    absent = [spec for spec in specs if tables[spec.key] is None] + [GROUPS] * (groups is None)
    return People(
        read_households(households, sink),
        read_unit_members(tables[MEMBERS.key], sink),
        read_village_members(tables[VILLAGE_MEMBERS.key], sink),
        tuple(read_groups(groups, sink)),
        households.sheet if households else prefix + HOUSEHOLDS.title,
        groups.sheet if groups else prefix + GROUPS.title,
        tuple(prefix + spec.title for spec in absent),
    )
