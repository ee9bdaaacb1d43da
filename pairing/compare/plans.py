"""The difference of two plans as data: pairs, moved units, villages, KPIs, points, inputs.

Pairs are compared as sets of ``(village_id, unit_id)``: *added* are B's pairs A lacks,
*removed* A's pairs B lacks. A unit *moved* when it left a village and joined another; a unit
with several villages that left two and joined two is matched in id order, and a village it
left without joining another (or joined without leaving) is in *added* / *removed* only.
A village *changed* when it is in both plans and its units differ. Deltas are B − A.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pairing.compare.inputs import InputDiff, diff_inputs, input_json
from pairing.compare.sides import Pair, PlanSide
from pairing.domain.errors import InputError, Issue
from pairing.domain.rules import SOFT_PAIRING_RULES


@dataclass(frozen=True, slots=True)
class Moved:
    """A unit that left ``from_village`` for ``to_village``."""

    unit_id: str
    from_village_id: str
    to_village_id: str


@dataclass(frozen=True, slots=True)
class VillageChange:
    """A village in both plans whose units differ (ids in each plan's order)."""

    village_id: str
    units_a: tuple[str, ...]
    units_b: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Delta:
    """One figure in both plans; None where a plan does not state it."""

    a: float | None
    b: float | None

    @property
    def delta(self) -> float | None:
        """B − A (rounded to 1e-7, the solver's unit), None unless both are stated."""
        if self.a is None or self.b is None:
            return None
        return round(self.b - self.a, 7)


@dataclass(frozen=True, slots=True)
class PlanDiff:
    """What changed from plan A to plan B (see the module notes)."""

    a: PlanSide
    b: PlanSide
    added: tuple[Pair, ...]
    removed: tuple[Pair, ...]
    moved: tuple[Moved, ...]
    villages: tuple[VillageChange, ...]
    only_a: tuple[str, ...]  # villages of A's input that B's does not have
    only_b: tuple[str, ...]
    common: int  # villages in both inputs
    kpis: Mapping[str, Delta]
    points: Mapping[str, Delta]
    objective: Delta
    inputs: InputDiff

    @property
    def unchanged(self) -> bool:
        """No pair, figure or input differs."""
        return not (
            self.added
            or self.removed
            or self.inputs.settings
            or self.inputs.sheets
            or any(d.delta != 0 for d in (*self.kpis.values(), *self.points.values()))
        )

    def village(self, village_id: str) -> tuple[str, str]:
        """A village's name and town (B's, else A's; blank for an unknown id)."""
        return self.b.villages.get(village_id) or self.a.villages.get(village_id) or ("", "")

    def unit(self, unit_id: str) -> str:
        """A unit's name (B's, else A's; blank for an unknown id)."""
        return self.b.units.get(unit_id) or self.a.units.get(unit_id, "")

    def village_label(self, village_id: str) -> str:
        """``V003 石鼓村``: the id with its name."""
        return f"{village_id} {self.village(village_id)[0]}".strip()

    def unit_label(self, unit_id: str) -> str:
        """``U012 县财政局``: the id with its name."""
        return f"{unit_id} {self.unit(unit_id)}".strip()


def diff_plans(a: PlanSide, b: PlanSide) -> PlanDiff:
    """Compare plan A with plan B.

    Raises
    ------
    InputError
        When the two plans have no village in common: they are not plans of one county.
    """
    common = a.villages.keys() & b.villages.keys()
    if not common:
        raise InputError([_no_common_village(a, b)])
    pairs_a, pairs_b = set(a.pairs), set(b.pairs)
    added = tuple(sorted(pairs_b - pairs_a))
    removed = tuple(sorted(pairs_a - pairs_b))
    return PlanDiff(
        a=a,
        b=b,
        added=added,
        removed=removed,
        moved=_moved(added, removed),
        villages=_villages(a, b, common),
        only_a=tuple(sorted(a.villages.keys() - common)),
        only_b=tuple(sorted(b.villages.keys() - common)),
        common=len(common),
        kpis=_deltas(a.kpis, b.kpis, sorted(a.kpis.keys() | b.kpis.keys(), key=_kpi_order(a, b))),
        points=_deltas(a.points, b.points, _rules(a, b), missing=0.0),
        objective=Delta(a.objective, b.objective),
        inputs=diff_inputs(a, b),
    )


def _no_common_village(a: PlanSide, b: PlanSide) -> Issue:
    return Issue(
        f"{a.name} / {b.name}",
        None,
        None,
        f"两个方案没有一个共同的村（{a.name} 有 {len(a.villages)} 个村，{b.name} 有 "
        f"{len(b.villages)} 个）：不是同一个县的方案，无从比较",
        f"the two plans have no village in common ({a.name}: {len(a.villages)} villages, "
        f"{b.name}: {len(b.villages)}): they are not plans of one county, so there is nothing "
        "to compare",
    )


def _moved(added: tuple[Pair, ...], removed: tuple[Pair, ...]) -> tuple[Moved, ...]:
    """Each unit's villages left matched with its villages joined, in id order."""
    left: dict[str, list[str]] = {}
    joined: dict[str, list[str]] = {}
    for village_id, unit_id in removed:
        left.setdefault(unit_id, []).append(village_id)
    for village_id, unit_id in added:
        joined.setdefault(unit_id, []).append(village_id)
    return tuple(
        Moved(unit_id, source, target)
        for unit_id in sorted(left.keys() & joined.keys())
        for source, target in zip(left[unit_id], joined[unit_id], strict=False)
    )


def _villages(a: PlanSide, b: PlanSide, common: set[str]) -> tuple[VillageChange, ...]:
    units_a, units_b = _units_of(a.pairs), _units_of(b.pairs)
    return tuple(
        VillageChange(
            village_id, tuple(units_a.get(village_id, ())), tuple(units_b.get(village_id, ()))
        )
        for village_id in sorted(common)
        if set(units_a.get(village_id, ())) != set(units_b.get(village_id, ()))
    )


def _units_of(pairs: tuple[Pair, ...]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for village_id, unit_id in pairs:
        out.setdefault(village_id, []).append(unit_id)
    return out


def _kpi_order(a: PlanSide, b: PlanSide) -> Any:
    """KPIs in the order plan A (then B) states them."""
    order = {key: i for i, key in enumerate([*a.kpis, *(k for k in b.kpis if k not in a.kpis)])}
    return order.__getitem__


def _rules(a: PlanSide, b: PlanSide) -> list[str]:
    """Every soft pairing rule, and any other rule either plan has points for (P18)."""
    return sorted(set(SOFT_PAIRING_RULES) | a.points.keys() | b.points.keys())


def _deltas(
    a: Mapping[str, float], b: Mapping[str, float], keys: list[str], missing: float | None = None
) -> Mapping[str, Delta]:
    """Each key's figures in A and B; a figure a plan omits is ``missing`` (a rule's points: 0)."""
    return {key: Delta(a.get(key, missing), b.get(key, missing)) for key in keys}


def diff_json(diff: PlanDiff) -> dict[str, Any]:
    """The difference as JSON data: ``added``, ``removed``, ``moved``, ``kpis``, ``inputs`` and
    ``points``, ``objective``, ``villages``, ``files``, ``edited``, ``unchanged``."""
    figures = {"kpis": diff.kpis, "points": diff.points}
    return {
        "added": [{"village_id": v, "unit_id": u} for v, u in diff.added],
        "removed": [{"village_id": v, "unit_id": u} for v, u in diff.removed],
        "moved": [
            {
                "unit_id": m.unit_id,
                "from_village_id": m.from_village_id,
                "to_village_id": m.to_village_id,
            }
            for m in diff.moved
        ],
        **{
            name: {key: _delta_json(d) for key, d in deltas.items()}
            for name, deltas in figures.items()
        },
        "objective": _delta_json(diff.objective),
        "inputs": input_json(diff.inputs),
        "villages": [
            {"village_id": c.village_id, "units_a": list(c.units_a), "units_b": list(c.units_b)}
            for c in diff.villages
        ],
        "villages_only_a": list(diff.only_a),
        "villages_only_b": list(diff.only_b),
        "files": {"a": str(diff.a.path), "b": str(diff.b.path)},
        "edited": {"a": list(diff.a.edited), "b": list(diff.b.edited)},
        "unchanged": diff.unchanged,
    }


def _delta_json(delta: Delta) -> dict[str, float | None]:
    return {"a": delta.a, "b": delta.b, "delta": delta.delta}
