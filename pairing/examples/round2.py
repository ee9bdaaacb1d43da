"""The Gaozhou example's second round: what changes between two plans of one planning season.

``pairing example gaozhou-round2 OUT`` writes the example's county after three events a
planner meets between rounds:

- **a merger**: one unit merges into another (单位变更 says so). The merged unit's row leaves
  单位, while its history, rules and scores stay under its old id and are read as the new
  unit's; the unit it joined takes its places (最多村数 added up).
- **a new village** with two new units to staff it; one of them can take a second village.
- **a complaint**: a locked (必须) pair is lifted and forbidden (禁止) from now on.

Solved with ``--baseline`` on the first round's plan, every baseline pair that no hard rule
bars is kept: the new units staff the new village and the place the forbid freed.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from pairing.domain.model import Member, PairRule, Unit, UnitChange, Village
from pairing.domain.people import UnitMember
from pairing.domain.schema import UNIT_CHANGES
from pairing.examples.gaozhou import (
    DEFAULT_SEED,
    HOUSEHOLDS_PER_TEAM,
    GaozhouExample,
    generate,
    person_name,
)
from pairing.io.output import save_workbook
from pairing.io.people import People
from pairing.io.rulemodel import load_rule_model
from pairing.io.template import build_input_workbook
from pairing.io.workbook_writer import record_row

NEW_UNITS = (("U109", "高州市政务服务数据管理局", 1), ("U110", "高州市乡村振兴服务中心", 2))
NEW_VILLAGE = "V055"
COMPLAINT = "群众反映，复核后回避"


@dataclass(frozen=True, slots=True)
class SecondRound:
    """The second round's records, and what happened since the first."""

    example: GaozhouExample
    unit_changes: tuple[UnitChange, ...]
    merged: tuple[str, str]  # (old id, the unit it merged into)
    forbidden: tuple[str, str]  # (unit id, village id) of the complaint

    @property
    def units(self) -> tuple[Unit, ...]:
        """The units written."""
        return self.example.units

    @property
    def villages(self) -> tuple[Village, ...]:
        """The villages written."""
        return self.example.villages


def second_round(seed: int = DEFAULT_SEED) -> SecondRound:
    """The first round's county for ``seed``, merged, grown and with one complaint."""
    first = generate(seed)
    old, into = _merger(first)
    units = _merged_units(first, old, into) + _new_units(first)
    members = tuple(m if m.unit_id != old else replace(m, unit_id=into) for m in first.members)
    members += _new_members(first, seed)
    lock, forbid = _complaint(first, {old, into})
    village = _new_village(first)
    example = replace(
        first,
        units=units,
        villages=(*first.villages, village),
        rules=(*(r for r in first.rules if r != lock), forbid),
        members=members,
        people=_people(first, units, members),
    )
    change = UnitChange(old, into, "merge", "机构改革：合并", 2)
    return SecondRound(example, (change,), (old, into), (forbid.unit_id, forbid.village_id))


def _merger(example: GaozhouExample) -> tuple[str, str]:
    """Two neighbouring units (by id) whose pairs never share a village: their history, rules
    and scores can be read as one unit's without two rows on one pair."""
    villages: dict[str, set[str]] = {}
    pairs = [(p.unit_id, p.village_id) for p in example.history]
    pairs += [(r.unit_id, r.village_id) for r in example.rules]
    pairs += [(s.unit_id, s.village_id) for s in example.scores]
    for unit_id, village_id in pairs:
        villages.setdefault(unit_id, set()).add(village_id)
    ids = [u.id for u in example.units if u.max_villages == 1]
    for old, into in itertools.pairwise(ids[49:]):
        if not villages.get(old, set()) & villages.get(into, set()):
            return old, into
    raise RuntimeError("no two units to merge")  # pragma: no cover - the example has many


def _merged_units(example: GaozhouExample, old: str, into: str) -> tuple[Unit, ...]:
    gone = next(u for u in example.units if u.id == old)
    return tuple(
        replace(u, max_villages=u.max_villages + gone.max_villages) if u.id == into else u
        for u in example.units
        if u.id != old
    )


def _new_units(example: GaozhouExample) -> tuple[Unit, ...]:
    """Two new units set out from the county seat, strength and skills of a mid-size unit."""
    model = next(u for u in example.units if u.strength == 3.0)
    return tuple(
        replace(model, id=unit_id, name=name, min_villages=1, max_villages=most)
        for unit_id, name, most in NEW_UNITS
    )


def _new_members(example: GaozhouExample, seed: int) -> tuple[Member, ...]:
    """Two or three team members for each new unit, so it can form 1+1 包户 teams."""
    rng = random.Random(f"{seed}:round2-members")
    used = {m.name for m in example.members} | {h.head for h in example.people.households}
    used |= {m.name for m in example.people.village_members}
    return tuple(
        Member(unit_id, person_name(rng, used), "leader" if index == 0 else "member")
        for unit_id, _, _ in NEW_UNITS
        for index in range(rng.randint(2, 3))
    )


def _people(first: GaozhouExample, units: Sequence[Unit], members: Sequence[Member]) -> People:
    """The first round's people (the same households, ids kept), with each unit member's
    最多户数 re-drawn for its unit now (a merged unit takes more villages) and ids for the
    new units' members: N per village the unit may take, as the first round promises."""
    per_team = HOUSEHOLDS_PER_TEAM
    most = {u.id: max(1, u.max_villages) for u in units}
    before = {m.name: m for m in first.people.unit_members}
    seen: Counter[str] = Counter()
    quota = []
    for member in members:
        seen[member.unit_id] += 1
        known = before.get(member.name)
        member_id = known.id if known else f"{member.unit_id}-{seen[member.unit_id]}"
        extra = (known.max_households or per_team) % per_team if known else 0
        cap = per_team * most[member.unit_id] + extra
        quota.append(UnitMember(member_id, member.unit_id, member.name, cap))
    return replace(first.people, unit_members=tuple(quota))


def _new_village(example: GaozhouExample) -> Village:
    """A new key village beside the last one, in its town."""
    last = example.villages[-1]
    lat = None if last.lat is None else last.lat + 0.01
    lon = None if last.lon is None else last.lon + 0.01
    return replace(last, id=NEW_VILLAGE, name="新塘村", lat=lat, lon=lon, typical=False)


def _complaint(example: GaozhouExample, merged: set[str]) -> tuple[PairRule, PairRule]:
    """A 必须 row lifted after a complaint, and the 禁止 row that replaces it: a locked pair
    is in every plan, so the first round's plan holds it."""
    lock = next(r for r in example.rules if r.verb == "must" and r.unit_id not in merged)
    return lock, PairRule(lock.unit_id, lock.village_id, "forbid", None, COMPLAINT)


def write_second_round(target: Path, seed: int = DEFAULT_SEED) -> SecondRound:
    """Write the second round's input workbook to ``target`` atomically and return it."""
    story = second_round(seed)
    model = load_rule_model()
    tables = story.example.tables(model)
    tables[UNIT_CHANGES.key] = [record_row(UNIT_CHANGES, c) for c in story.unit_changes]
    intro = [
        *story.example.intro(),
        f"第二轮：{story.merged[0]} 并入 {story.merged[1]}；新增 {NEW_VILLAGE} 与 "
        f"{', '.join(u for u, _, _ in NEW_UNITS)}；{story.forbidden[0]} 与 {story.forbidden[1]} "
        "因群众反映禁止结对。用 pairing solve --baseline 上一轮方案 重新求解。",
        "Second round: a merger, a new village with two new units, and a forbid after a "
        "complaint. Solve with --baseline on the first round's plan.",
    ]
    save_workbook(build_input_workbook(model, tables, intro), target)
    return story
