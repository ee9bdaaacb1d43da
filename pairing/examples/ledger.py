"""A plausible 工作台账 ledger for a plan, to try ``pairing audit`` on (``pairing
example-ledger PLAN OUT``).

Every pair reports its owed activities period by period over the first months of the plan's
horizon (a half-year by default): most units diligently (about 97% of what they owe, mostly
已完成, some 逾期 or 补报), a few lagging (about 45%). A few activities are written by name
instead of code. Noise rows of each kind an auditor meets are mixed in: an unknown unit, an
unknown village, an unknown activity, a date outside the horizon, a unit reporting at a
village it is not paired with, and a row entered twice. Which units lag and which rows are
noise is returned to the caller (:class:`LedgerTruth`), not written to the file.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from pairing.app.audit import load_audit_plan
from pairing.audit import AuditPlan, Slot, slots_of
from pairing.domain.model import Obligation
from pairing.io.output import save_workbook, set_text
from pairing.io.workbook_writer import plain_cell

HEADERS = (
    ("单位编号", "unit_id"),
    ("村编号", "village_id"),
    ("活动", "activity"),
    ("日期", "date"),
    ("状态", "status"),
)
STATUS_ZH = {"done": "已完成", "late": "逾期", "filed_late": "补报"}
DILIGENT = (0.97, (0.88, 0.08, 0.04))  # share reported; shares done / late / filed late
LAGGING = (0.45, (0.60, 0.25, 0.15))
LAGGING_SHARE = 0.12
BY_NAME_SHARE = 0.1
NOISE_KINDS = (
    "unknown_unit",
    "unknown_village",
    "unknown_activity",
    "outside_horizon",
    "unpaired",
    "duplicate",
)
Row = tuple[str, str, str, dt.date, str]
__all__ = ["LedgerTruth", "load_audit_plan", "write_ledger"]  # load_audit_plan: pairing.app.audit


@dataclass(frozen=True, slots=True)
class LedgerTruth:
    """What the generator did, for tests (not written to the ledger).

    Attributes
    ----------
    rows
        Data rows written.
    lagging
        Units made to lag.
    diligent
        Units with pairs that report diligently.
    noise
        Excel row -> noise kind (one of :data:`NOISE_KINDS`).
    last_date
        The last date of a genuine row.
    """

    rows: int
    lagging: frozenset[str]
    diligent: frozenset[str]
    noise: Mapping[int, str]
    last_date: dt.date


def window_end(plan: AuditPlan, months: int) -> dt.date:
    """Return the last day of the first ``months`` months of the horizon.

    Parameters
    ----------
    plan
        The plan.
    months
        How many months the ledger covers.

    Returns
    -------
    dt.date
        The day (at most the horizon's end).
    """
    index = plan.start.month - 1 + months
    first_after = dt.date(plan.start.year + index // 12, index % 12 + 1, 1)
    return min(plan.end, first_after - dt.timedelta(days=1))


def record_days(rng: random.Random, slot: Slot, count: int) -> list[dt.date]:
    """Return ``count`` distinct days of a slot, weekdays when there are enough.

    Parameters
    ----------
    rng
        The random source.
    slot
        The slot.
    count
        How many days.

    Returns
    -------
    list[dt.date]
        The days.
    """
    days = [slot.first + dt.timedelta(days=k) for k in range((slot.last - slot.first).days + 1)]
    weekdays = [day for day in days if day.weekday() < 5]
    pool = weekdays if len(weekdays) >= count else days
    return sorted(rng.sample(pool, min(count, len(pool))))


def genuine_rows(
    plan: AuditPlan, rng: random.Random, lagging: frozenset[str], end: dt.date
) -> list[Row]:
    """Return the rows the pairs report, slot by slot, up to ``end``.

    Parameters
    ----------
    plan
        The plan.
    rng
        The random source.
    lagging
        Units that report only part of what they owe.
    end
        The last day reported.

    Returns
    -------
    list[Row]
        ``(unit, village, activity, date, status)`` rows, in date order.
    """
    names = {o.code: o for o in plan.problem.obligations}
    rows: list[Row] = []
    for key, slots in sorted(slots_of(plan).items()):
        share, statuses = LAGGING if key[0] in lagging else DILIGENT
        for slot in slots:
            if slot.last > end:
                continue
            kept = sum(rng.random() < share for _ in range(slot.owed))
            for day in record_days(rng, slot, kept):
                status = rng.choices(("done", "late", "filed_late"), weights=statuses)[0]
                rows.append((*key[:2], activity(rng, names[key[2]]), day, status))
    rows.sort(key=lambda row: (row[3], row[0], row[1], row[2]))
    return rows


def activity(rng: random.Random, obligation: Obligation) -> str:
    """Return how a unit writes an activity: its code, sometimes its name.

    Parameters
    ----------
    rng
        The random source.
    obligation
        The obligation.

    Returns
    -------
    str
        The code or the name.
    """
    return obligation.name if rng.random() < BY_NAME_SHARE else obligation.code


def noise_row(kind: str, plan: AuditPlan, rng: random.Random, base: Row) -> Row | None:
    """Return one noise row of ``kind``, made from a genuine row ``base``.

    Parameters
    ----------
    kind
        One of :data:`NOISE_KINDS`.
    plan
        The plan.
    rng
        The random source.
    base
        A genuine row.

    Returns
    -------
    Row or None
        The noise row; ``None`` for an unpaired row when the unit is paired with every village.
    """
    unit_id, village_id, code, day, status = base
    if kind == "unknown_unit":
        return ("U-未登记", village_id, code, day, status)
    if kind == "unknown_village":
        return (unit_id, "V-未登记", code, day, status)
    if kind == "unknown_activity":
        return (unit_id, village_id, "广场舞比赛", day, status)
    if kind == "outside_horizon":
        return (unit_id, village_id, code, plan.start - dt.timedelta(days=20), status)
    if kind == "unpaired":
        pairs = set(plan.pairs)
        others = [v.id for v in plan.problem.villages if (unit_id, v.id) not in pairs]
        return (unit_id, others[0], code, day, status) if others else None
    return base


def with_noise(
    plan: AuditPlan, rng: random.Random, rows: Sequence[Row]
) -> tuple[list[Row], dict[int, str]]:
    """Mix one noise row of each kind (that the plan allows) into ``rows``; return them and
    their Excel rows.

    A duplicate goes right after the row it repeats; the others anywhere.

    Parameters
    ----------
    plan
        The plan.
    rng
        The random source.
    rows
        The genuine rows.

    Returns
    -------
    tuple
        All rows, and Excel row -> noise kind.
    """
    tagged: list[tuple[Row, str]] = [(row, "") for row in rows]
    for kind in NOISE_KINDS:
        at = rng.randrange(len(tagged))
        while tagged[at][1]:
            at = rng.randrange(len(tagged))
        row = noise_row(kind, plan, rng, tagged[at][0])
        if row is not None:
            tagged.insert(at + 1, (row, kind))
    noise = {number: kind for number, (_, kind) in enumerate(tagged, start=2) if kind}
    return [row for row, _ in tagged], noise


def ledger_workbook(rows: Sequence[Row]) -> Workbook:
    """Return the ledger as a workbook with one 工作台账 sheet.

    Parameters
    ----------
    rows
        The rows.

    Returns
    -------
    Workbook
        The workbook.
    """
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "工作台账 ledger"
    for column, (zh, key) in enumerate(HEADERS, start=1):
        set_text(plain_cell(sheet, 1, column), f"{zh} ({key})")
    for number, (unit_id, village_id, code, day, status) in enumerate(rows, start=2):
        for column, value in enumerate((unit_id, village_id, code, day, STATUS_ZH[status]), 1):
            set_text(plain_cell(sheet, number, column), value)
        sheet.cell(row=number, column=4).number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    return workbook


def write_ledger(plan_path: Path, target: Path, seed: int = 0, months: int = 6) -> LedgerTruth:
    """Write a plausible ledger of the first ``months`` months of a plan to ``target``.

    Parameters
    ----------
    plan_path
        The plan workbook.
    target
        The ledger ``.xlsx`` to write (atomically).
    seed
        The random seed: the same seed gives the same ledger.
    months
        How many months of the horizon the ledger covers.

    Returns
    -------
    LedgerTruth
        Which units lag and which rows are noise.
    """
    plan = load_audit_plan(plan_path)
    rng = random.Random(seed)
    units = sorted({unit_id for unit_id, _ in plan.pairs})
    lagging = frozenset(rng.sample(units, max(1, round(LAGGING_SHARE * len(units)))))
    genuine = genuine_rows(plan, rng, lagging, window_end(plan, months))
    rows, noise = with_noise(plan, rng, genuine)
    save_workbook(ledger_workbook(rows), target)
    return LedgerTruth(
        len(rows),
        lagging,
        frozenset(units) - lagging,
        noise,
        max(row[3] for row in genuine),
    )
