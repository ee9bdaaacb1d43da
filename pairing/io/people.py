"""Read the people sheets of issue 18 (农户, 村党员, 村民小组, 片区, 队员 ids) with located errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pairing.domain.cells import parse_int, parse_tags, quote
from pairing.domain.errors import InputError
from pairing.domain.people import Area, Group, Household, UnitMember, VillageMember
from pairing.domain.schema import AREAS, GROUPS, HOUSEHOLDS, MEMBERS, VILLAGE_MEMBERS
from pairing.io import build
from pairing.io.tables import RawBook


@dataclass(frozen=True, slots=True)
class People:
    """The people layer of one workbook."""

    households: tuple[Household, ...]
    village_members: tuple[VillageMember, ...]
    groups: tuple[Group, ...]
    areas: tuple[Area, ...]
    unit_members: tuple[UnitMember, ...]


def _village(r: build.RowReader, villages: frozenset[str]) -> str:
    village_id = r.required("village_id")
    if village_id and village_id not in villages:
        r.fail(
            "village_id",
            f"村编号「{quote(village_id)}」不在「村」表中",
            f"village id '{quote(village_id)}' is not on the villages sheet",
        )
    return village_id


def _households(
    book: RawBook, villages: frozenset[str], issues: build.Collector
) -> list[Household]:
    found: list[Household] = []
    for r in build.rows(book.tables.get(HOUSEHOLDS.key), issues):
        hid, vid = r.required("household_id"), _village(r, villages)
        head, group = r.required("head"), r.required("group")
        cats = r.parsed("categories", parse_tags, frozenset[str]())
        persons = r.count("persons", 0, 0, 1000)
        needs = r.parsed("needs", parse_tags, frozenset[str]())
        lat, lon = build.read_coordinates(r)
        if r.ok:
            found.append(Household(hid, vid, head, group, cats, persons, needs, lat, lon, r.row))
    table = book.tables.get(HOUSEHOLDS.key)
    build.check_unique(table, [(h.id, h.row) for h in found], "household_id", issues)
    return found


def _village_members(
    book: RawBook, villages: frozenset[str], issues: build.Collector
) -> list[VillageMember]:
    found: list[VillageMember] = []
    for r in build.rows(book.tables.get(VILLAGE_MEMBERS.key), issues):
        mid, vid = r.required("member_id"), _village(r, villages)
        name, group = r.required("name"), r.required("group")
        role: Any = r.choice("role", "member")
        cap = r.parsed("max_households", parse_int, None)
        if r.ok:
            found.append(VillageMember(mid, vid, name, group, role, cap, r.row))
    table = book.tables.get(VILLAGE_MEMBERS.key)
    build.check_unique(table, [(m.id, m.row) for m in found], "member_id", issues)
    return found


def _groups(book: RawBook, villages: frozenset[str], issues: build.Collector) -> list[Group]:
    found: list[Group] = []
    for r in build.rows(book.tables.get(GROUPS.key), issues):
        vid, name = _village(r, villages), r.required("group")
        count = r.count("households", 0, 0, 1_000_000)
        lat, lon = build.read_coordinates(r)
        if r.ok:
            found.append(Group(vid, name, count, lat, lon, r.row))
    return found


def _areas(book: RawBook, villages: frozenset[str], issues: build.Collector) -> list[Area]:
    found: list[Area] = []
    for r in build.rows(book.tables.get(AREAS.key), issues):
        area, vid, leader = r.required("area"), _village(r, villages), r.required("leader")
        if r.ok:
            found.append(Area(area, vid, leader, r.row))
    return found


def _unit_members(book: RawBook, issues: build.Collector) -> list[UnitMember]:
    found: list[UnitMember] = []
    for r in build.rows(book.tables.get(MEMBERS.key), issues):
        mid = r.text("member_id")
        cap = r.parsed("max_households", parse_int, None)
        skills = r.parsed("skills", parse_tags, frozenset[str]())
        if r.ok and mid:
            found.append(UnitMember(mid, r.text("unit_id"), r.text("name"), cap, skills, r.row))
    table = book.tables.get(MEMBERS.key)
    build.check_unique(table, [(m.id, m.row) for m in found], "member_id", issues)
    return found


def collect_people(book: RawBook, village_ids: frozenset[str], issues: build.Collector) -> People:
    """Read the people sheets of ``book``, recording every problem in ``issues``."""
    return People(
        tuple(_households(book, village_ids, issues)),
        tuple(_village_members(book, village_ids, issues)),
        tuple(_groups(book, village_ids, issues)),
        tuple(_areas(book, village_ids, issues)),
        tuple(_unit_members(book, issues)),
    )


def read_people(book: RawBook, village_ids: frozenset[str]) -> People:
    """Read the people sheets of ``book``; raise :class:`InputError` listing every problem."""
    issues = build.Collector()
    people = collect_people(book, village_ids, issues)
    if issues.issues:
        raise InputError(issues.result())
    return people
