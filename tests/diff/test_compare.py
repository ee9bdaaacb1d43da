"""The comparison as plain data, on hand-built plan sides (no solve, no workbook)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from pairing.compare import PlanSide, diff_json, diff_plans
from pairing.compare.inputs import diff_sheet
from pairing.domain.errors import InputError
from pairing.domain.schema import BLACKOUTS, SETTINGS, UNITS
from pairing.io.tables import RawTable, to_table

Pair = tuple[str, str]


def table(spec_title: str, grid: Sequence[Sequence[object]]) -> RawTable:
    spec = {s.title: s for s in (SETTINGS, UNITS, BLACKOUTS)}[spec_title]
    found = to_table(spec, spec.title, [tuple(row) for row in grid])
    assert isinstance(found, RawTable)
    return found


def side(
    name: str,
    pairs: Sequence[Pair],
    villages: Sequence[str] = ("V1", "V2", "V3"),
    points: Mapping[str, float] | None = None,
    kpis: Mapping[str, float] | None = None,
    tables: Mapping[str, RawTable] | None = None,
) -> PlanSide:
    units = sorted({unit for _, unit in pairs})
    return PlanSide(
        path=Path(name),
        pairs=tuple(pairs),
        villages={v: (f"{v}村", "一镇") for v in villages},
        units={u: f"单位{u}" for u in units},
        kpis=dict(kpis or {}),
        points=dict(points or {}),
        objective=sum((points or {}).values()),
        input_sha256=name,
        tables=dict(tables or {}),
    )


def test_a_unit_with_two_villages_moves_in_id_order() -> None:
    """U1 leaves V1 and V2 for V3 and V4; U2 only gains V2 (not moved); U3 leaves V3 only."""
    a = side("a", [("V1", "U1"), ("V2", "U1"), ("V3", "U3")], ("V1", "V2", "V3", "V4"))
    b = side("b", [("V3", "U1"), ("V4", "U1"), ("V2", "U2")], ("V1", "V2", "V3", "V4"))
    diff = diff_plans(a, b)
    assert [(m.unit_id, m.from_village_id, m.to_village_id) for m in diff.moved] == [
        ("U1", "V1", "V3"),
        ("U1", "V2", "V4"),
    ]
    assert set(diff.added) == {("V3", "U1"), ("V4", "U1"), ("V2", "U2")}
    assert set(diff.removed) == {("V1", "U1"), ("V2", "U1"), ("V3", "U3")}
    changed = {c.village_id: (c.units_a, c.units_b) for c in diff.villages}
    assert changed == {
        "V1": (("U1",), ()),
        "V2": (("U1",), ("U2",)),
        "V3": (("U3",), ("U1",)),
        "V4": ((), ("U1",)),
    }


def test_villages_of_one_plan_only_and_no_common_village() -> None:
    a = side("a", [("V1", "U1")], ("V1", "V2"))
    b = side("b", [("V1", "U1")], ("V1", "V3"))
    diff = diff_plans(a, b)
    assert (diff.only_a, diff.only_b, diff.common) == (("V2",), ("V3",), 1)
    assert diff.added == diff.removed == ()
    with pytest.raises(InputError) as refused:
        diff_plans(a, side("c", [("W1", "U1")], ("W1",)))
    assert "no village in common" in str(refused.value.issues[0])


def test_points_cover_every_soft_rule_and_any_other_a_plan_states() -> None:
    """A rule a plan states no points for counts 0; P18 (a baseline's) appears when stated."""
    a = side("a", [("V1", "U1")], points={"P13": 10.0})
    b = side("b", [("V1", "U1")], points={"P13": 12.5, "P18": 3.0})
    diff = diff_plans(a, b)
    assert {f"P{n}" for n in range(10, 19)} == set(diff.points)
    assert (diff.points["P13"].a, diff.points["P13"].b, diff.points["P13"].delta) == (10, 12.5, 2.5)
    assert (diff.points["P18"].a, diff.points["P18"].delta) == (0.0, 3.0)
    assert diff.points["P11"].delta == 0
    assert diff.objective.delta == 5.5


def test_a_kpi_one_plan_lacks_has_no_delta() -> None:
    a = side("a", [("V1", "U1")], kpis={"mean_km": 4.0})
    b = side("b", [("V1", "U1")], kpis={"mean_km": 4.0, "max_km": 9.0})
    data = diff_json(diff_plans(a, b))
    assert data["kpis"] == {
        "mean_km": {"a": 4.0, "b": 4.0, "delta": 0.0},
        "max_km": {"a": None, "b": 9.0, "delta": None},
    }
    assert data["unchanged"] is False  # a KPI stated on one side only is a difference


def test_settings_compare_by_meaning() -> None:
    """Chinese or English key, 1 or 1.0, or left out at its default: all the same setting."""
    written_a = [("参数", "值"), ("P13 路程", 1), ("P10", 30), ("每村单位数", 2)]
    written_b = [("key", "value"), ("P13", "1.0"), ("需求覆盖", 45)]
    a = side("a", [("V1", "U1")], tables={"settings": table(SETTINGS.title, written_a)})
    b = side("b", [("V1", "U1")], tables={"settings": table(SETTINGS.title, written_b)})
    changes = diff_plans(a, b).inputs.settings
    assert [(c.key, c.a, c.b) for c in changes] == [("P10", "30", "45")]


def test_rows_by_id_and_whole_rows_without_one() -> None:
    """单位 by unit_id (a changed cell, an extra column too); 禁排日期 as whole rows."""
    units_a = table(
        UNITS.title, [("单位编号", "单位名称", "备注"), ("U1", "甲", "x"), ("U2", "乙", "")]
    )
    units_b = table(
        UNITS.title, [("单位编号", "单位名称", "备注"), ("U1", "甲局", "y"), ("U3", "丙", "")]
    )
    units = diff_sheet("units", UNITS.title, units_a, units_b)
    assert units.keyed_by == ("unit_id",)
    assert [r.key for r in units.added] == ["U3"] and [r.key for r in units.removed] == ["U2"]
    assert [(c.key, c.columns) for c in units.changed] == [
        ("U1", (("name", "甲", "甲局"), ("备注", "x", "y")))
    ]
    rows = [("范围", "开始", "结束"), ("全部", "2027-01-01", "2027-01-03")]
    blackouts = diff_sheet(
        "blackouts",
        BLACKOUTS.title,
        table(BLACKOUTS.title, rows),
        table(BLACKOUTS.title, [*rows, rows[1]]),
    )
    assert blackouts.keyed_by == () and len(blackouts.added) == 1 and blackouts.removed == ()
    assert blackouts.added[0].row == 3


def test_repeated_ids_fall_back_to_whole_rows() -> None:
    grid = [("单位编号", "单位名称"), ("U1", "甲"), ("U1", "乙")]
    units = diff_sheet("units", UNITS.title, table(UNITS.title, grid), table(UNITS.title, grid[:2]))
    assert units.keyed_by == () and [r.values["name"] for r in units.removed] == ["乙"]
