"""The people layer of the Gaozhou example: seeded, within the issue's ranges, feasible by build."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from pairing.examples.gaozhou import generate
from pairing.examples.people import (
    CATEGORY_WEIGHTS,
    People,
    check_people,
    make_people,
    village_facts,
)


@pytest.fixture(scope="module")
def built() -> tuple[People, list]:
    example = generate()
    facts = village_facts(example.problem())
    return make_people(facts, [(m.unit_id, m.name) for m in example.members], example.seed), facts


def test_people_is_deterministic(built) -> None:
    people, facts = built
    example = generate()
    again = make_people(facts, [(m.unit_id, m.name) for m in example.members], example.seed)
    assert again == people


def test_ranges_and_sums(built) -> None:
    people, facts = built
    for village in facts:
        listed = [h for h in people.households if h.village_id == village.village_id]
        groups = [g for g in people.groups if g.village_id == village.village_id]
        members = [m for m in people.village_members if m.village_id == village.village_id]
        assert 1 <= len(listed) <= min(60, people.per_team * village.team_bound)
        assert 8 <= len(groups) <= 20
        assert sum(g.households for g in groups) == village.households
        assert 20 <= len(members) <= 80
        assert {h.group for h in listed} <= {g.group for g in groups}
        assert Counter(m.role for m in members)["书记"] == 1
    tags = Counter(c for h in people.households for c in h.categories)
    assert set(tags) == set(CATEGORY_WEIGHTS)
    assert tags.most_common(1)[0][0] == "脱贫户"
    assert all(h.persons == 1 for h in people.households if "独居老人" in h.categories)
    ids = [m.member_id for m in people.unit_members]
    assert len(ids) == len(set(ids)) == len(generate().members)


def test_check_people_catches_a_group_without_leaders(built) -> None:
    people, facts = built
    assert check_people(people, facts) == []
    group = people.groups[0]
    away = tuple(
        dataclasses.replace(m, group="elsewhere")
        if (m.village_id, m.group) == (group.village_id, group.group)
        else m
        for m in people.village_members
    )
    broken = dataclasses.replace(people, village_members=away)
    assert any("too few members to lead" in p for p in check_people(broken, facts))


def test_check_people_catches_too_many_households(built) -> None:
    people, facts = built
    tight = [dataclasses.replace(v, team_bound=1) for v in facts]
    assert any("households > N" in p for p in check_people(people, tight))


def test_pairing_draws_do_not_move() -> None:
    """The people parts use their own random sources: the pairing example is unchanged."""
    before = generate()
    village_facts(before.problem())
    assert generate() == before
