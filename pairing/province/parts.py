"""Parts of a problem: which units and villages go together, and each part's sub-problem.

A part's sub-problem keeps its units and villages (in the input's order) and every record
that concerns them: the history, rules and scores of its pairs, the members of its units and
the blackouts that reach it (all, its towns, its villages, its units). Settings, obligations
and holidays are shared.

One term of the objective is not local: P12's target strength is ``units_required × mean
strength of all units × boost`` (``models/README.md``), a mean over the *whole* input. A part
alone has another mean, so its P12 points would differ from the plan's as the verifier reads
it from the whole input. Each sub-problem therefore gets one reference unit that stands for
the rest of the input: it takes no village (最多村数 0, so P02 bars its every pair) and its
strength brings the part's mean to the whole input's, which makes every village's P12 target
the one of the whole input. :func:`check_targets` proves it for every village.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from pairing.domain.model import (
    BaselinePair,
    Blackout,
    PairRule,
    PastPairing,
    Problem,
    Score,
    Unit,
    Village,
)
from pairing.solve.instance import strength_target

REFERENCE_ID = "〈参照 P12 reference〉"
REFERENCE_NAME = (
    "全体单位平均力量参照（不结对） / the whole input's mean strength (takes no village)"
)
Item = TypeVar("Item")


@dataclass(frozen=True, slots=True)
class Part:
    """One part of a partitioned problem.

    Attributes
    ----------
    index
        Position in the canonical part order (merges follow it).
    key
        What names the part: the partition column's value, or ``#1``... for components.
    problem
        The sub-problem, with the P12 reference unit when the part's mean strength differs.
    """

    index: int
    key: str
    problem: Problem

    @property
    def villages(self) -> int:
        """Return how many villages the part holds (its size, for scheduling the work)."""
        return len(self.problem.villages)

    @property
    def unit_ids(self) -> tuple[str, ...]:
        """Return the part's own units (not the reference unit)."""
        return tuple(unit.id for unit in self.problem.units if unit.id != REFERENCE_ID)


@dataclass(frozen=True, slots=True)
class Assignment:
    """Which part each unit and village belongs to, and the parts' keys in canonical order.

    Attributes
    ----------
    keys
        The parts' keys; a part's index is its position here.
    unit_part, village_part
        Part index by unit id and by village id (every unit and village has one).
    """

    keys: tuple[str, ...]
    unit_part: Mapping[str, int]
    village_part: Mapping[str, int]


def split(problem: Problem, assignment: Assignment) -> tuple[Part, ...]:
    """Return the parts of ``problem``, each with its sub-problem, in canonical order.

    Every per-pair record (history, rules, scores) must have its unit and village in one
    part (the callers make sure: an input error, or a reason to join two parts), except a
    禁止 rule, which is dropped when it crosses: its pair can never be formed anyway.

    Parameters
    ----------
    problem
        The whole, validated problem.
    assignment
        The part of every unit and village.

    Returns
    -------
    tuple of Part
        One part per key, records in the input's order, with the P12 reference unit where
        the part's mean strength differs from the whole input's.
    """
    count = len(assignment.keys)
    units_of = _group(problem.units, lambda u: assignment.unit_part[u.id], count)
    villages_of = _group(problem.villages, lambda v: assignment.village_part[v.id], count)
    part_of = assignment.village_part
    _check_pairs(problem, assignment)
    history = _group(problem.history, lambda p: part_of[p.village_id], count)
    rules = _group(_kept_rules(problem, assignment), lambda r: part_of[r.village_id], count)
    scores = _group(problem.scores, lambda s: part_of[s.village_id], count)
    members = _group(problem.members, lambda m: assignment.unit_part[m.unit_id], count)
    baseline = _group(_kept_baseline(problem, assignment), lambda b: part_of[b.village_id], count)
    blackouts = _blackouts(problem, assignment, villages_of)
    parts = []
    for index, key in enumerate(assignment.keys):
        kept = tuple(units_of[index])
        part = Problem(
            units=kept + _reference(problem.units, kept),
            villages=tuple(villages_of[index]),
            history=tuple(history[index]),
            rules=tuple(rules[index]),
            settings=problem.settings,
            obligations=problem.obligations,
            blackouts=tuple(blackouts[index]),
            holidays=problem.holidays,
            scores=tuple(scores[index]),
            members=tuple(members[index]),
            baseline=tuple(baseline[index]),
            unit_changes=problem.unit_changes,
        )
        check_targets(problem, part)
        parts.append(Part(index, key, part))
    return tuple(parts)


def _kept_baseline(problem: Problem, assignment: Assignment) -> list[BaselinePair]:
    """Baseline pairs of a village in the input, with their unit in the village's part or
    gone (a forced change wherever it is counted); the callers refuse pairs across parts."""
    units, villages = assignment.unit_part, assignment.village_part
    return [
        b
        for b in problem.baseline
        if b.village_id in villages
        and units.get(b.unit_id, villages[b.village_id]) == villages[b.village_id]
    ]


def _kept_rules(problem: Problem, assignment: Assignment) -> list[PairRule]:
    """Return the rules to keep: all but 禁止 rows whose unit and village are in two parts."""
    units, villages = assignment.unit_part, assignment.village_part
    return [
        rule
        for rule in problem.rules
        if rule.verb != "forbid" or units[rule.unit_id] == villages[rule.village_id]
    ]


def _check_pairs(problem: Problem, assignment: Assignment) -> None:
    """Raise ``AssertionError`` when a record that counts crosses parts (a caller's bug)."""
    units, villages = assignment.unit_part, assignment.village_part
    records: tuple[PastPairing | PairRule | Score, ...] = (
        *problem.history,
        *(rule for rule in problem.rules if rule.verb != "forbid"),
        *problem.scores,
    )
    for record in records:
        if units[record.unit_id] != villages[record.village_id]:
            raise AssertionError(f"row {record.row} crosses parts: {record}")


def _group(records: Iterable[Item], part_of: Callable[[Item], int], count: int) -> list[list[Item]]:
    """Return the records of each part, in their input order."""
    groups: list[list[Item]] = [[] for _ in range(count)]
    for record in records:
        groups[part_of(record)].append(record)
    return groups


def _blackouts(
    problem: Problem, assignment: Assignment, villages_of: Sequence[Sequence[Village]]
) -> list[list[Blackout]]:
    """Return each part's blackouts: all, its towns (a town name may recur), villages, units."""
    towns: dict[str, set[int]] = {}
    for index, villages in enumerate(villages_of):
        for village in villages:
            towns.setdefault(village.town, set()).add(index)
    every = set(range(len(assignment.keys)))
    groups: list[list[Blackout]] = [[] for _ in assignment.keys]
    for blackout in problem.blackouts:
        if blackout.scope_kind == "all":
            reached = every
        elif blackout.scope_kind == "town":
            reached = towns.get(blackout.scope, set())
        elif blackout.scope_kind == "village":
            reached = {assignment.village_part[blackout.scope]}
        else:
            reached = {assignment.unit_part[blackout.scope]}
        for index in sorted(reached):
            groups[index].append(blackout)
    return groups


def _reference(everyone: Sequence[Unit], kept: Sequence[Unit]) -> tuple[Unit, ...]:
    """Return the reference unit that brings ``kept``'s mean strength to ``everyone``'s.

    Empty when the means already agree (a single part, or a part that happens to match).
    """
    if not kept or len(kept) == len(everyone):
        return ()
    whole = sum(u.strength for u in everyone) / len(everyone)
    if sum(u.strength for u in kept) / len(kept) == whole:
        return ()
    strength = whole * (len(kept) + 1) - sum(u.strength for u in kept)
    return (Unit(REFERENCE_ID, REFERENCE_NAME, strength=strength, min_villages=0, max_villages=0),)


def check_targets(whole: Problem, part: Problem) -> None:
    """Raise ``AssertionError`` unless every village of ``part`` has its P12 target in ``whole``.

    A target depends on the village only through its units required and typical flag, so one
    village of each kind is compared (the solver's own :func:`strength_target` on both).

    Parameters
    ----------
    whole, part
        The whole problem and one of its sub-problems.
    """
    kinds: dict[tuple[int, bool], int] = {}
    for index, village in enumerate(part.villages):
        kinds.setdefault((village.units_required, village.typical), index)
    for index in kinds.values():
        village = part.villages[index]
        mine = strength_target(part, index)
        theirs = strength_target(whole, whole.village_index[village.id])
        if mine != theirs:
            raise AssertionError(f"P12 target of {village.id}: part {mine} != whole {theirs}")
