"""The merged plan workbook: exactly what ``write_plan`` writes, plus the parts.

The workbook is written by :func:`pairing.io.planbook.write_plan` for the whole input (its
copies of every input sheet, its SHA-256, the merged pairs, totals, facts and schedule), so
``pairing verify`` reads it as any plan. Two things are added: a sheet 分区 parts with one
row per part (size, status, objective, bound, gap, seconds, memory, worker) and, at the end
of 指标 summary, the partition and each part's status, objective, bound, gap and seconds.
The draft goes to a private temporary folder; the file at ``path`` is replaced atomically
(and refused, as any output, when it cannot be written) once the workbook is complete.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl.worksheet.worksheet import Worksheet

from pairing.io.output import set_text
from pairing.io.planbook import SUMMARY, plan_workbook, save_plan, write_table
from pairing.io.reader import Input
from pairing.io.workbook_writer import plain_cell
from pairing.province.engine import PartResult
from pairing.province.run import PartitionedRun

PARTS_SHEET = "分区 parts"
PART_COLUMNS = (
    ("分区", "part"),
    ("村数", "villages"),
    ("单位数", "units"),
    ("结对数", "pairs"),
    ("求解状态", "status"),
    ("已证明最优", "proven"),
    ("目标值（分）", "objective"),
    ("下界", "bound"),
    ("相对差距", "gap"),
    ("求解秒", "seconds"),
    ("日程秒", "schedule_seconds"),
    ("峰值内存MB", "peak_mb"),
    ("工作进程", "worker"),
)


def part_rows(results: Sequence[PartResult]) -> list[list[object]]:
    """Return one row per part in the columns of :data:`PART_COLUMNS`."""
    rows: list[list[object]] = []
    for result in results:
        facts = result.plan.facts if result.plan is not None else None
        rows.append(
            [
                result.key,
                result.villages,
                result.units,
                len(result.plan.pairs) if result.plan is not None else 0,
                facts.status if facts else "-",
                ("是" if facts.proven else "否") if facts else "-",
                round(facts.objective, 7) if facts else None,
                round(facts.bound, 7) if facts and facts.bound is not None else None,
                facts.gap if facts else None,
                result.solve_seconds,
                result.schedule_seconds,
                result.peak_mb,
                result.worker,
            ]
        )
    return rows


def summary_rows(run: PartitionedRun) -> list[list[object]]:
    """Return the rows added to 指标 summary: the partition, then each part's facts."""
    rows: list[list[object]] = [
        ["分区依据", "partition_by", run.by],
        ["分区数", "parts", len(run.results)],
        ["分区引擎", "partition_engine", run.engine],
        ["已证明最优分区数", "parts_proven", sum(_proven(r) for r in run.results)],
    ]
    for number, result in enumerate(run.results, start=1):
        facts = result.plan.facts if result.plan is not None else None
        if facts is None:
            continue
        key = f"part_{number:03d}"
        rows += [
            [f"分区 {result.key} 状态", f"{key}_status", facts.status],
            [f"分区 {result.key} 目标值", f"{key}_objective", round(facts.objective, 7)],
            [
                f"分区 {result.key} 下界",
                f"{key}_bound",
                None if facts.bound is None else round(facts.bound, 7),
            ],
            [f"分区 {result.key} 相对差距", f"{key}_gap", facts.gap],
            [f"分区 {result.key} 用时秒", f"{key}_seconds", result.solve_seconds],
        ]
    return rows


def _proven(result: PartResult) -> bool:
    return result.plan is not None and result.plan.facts.proven


def write_partitioned_plan(
    path: Path, source: Input, run: PartitionedRun, checks: Sequence[tuple[str, str, str]]
) -> None:
    """Write the merged plan workbook to ``path`` atomically.

    Parameters
    ----------
    path
        The ``.xlsx`` to write.
    source
        The whole input (copied into the workbook).
    run
        The partitioned run (merged plan, schedule and parts).
    checks
        The checks rows of the whole plan (rule id, result, detail).
    """
    # Built in memory and saved once: a draft written, re-read and saved again took 60% of
    # the time spent writing a province's plan.
    workbook = plan_workbook(source, run.plan, checks, run.schedule)
    summary = workbook[SUMMARY]
    _append(summary, summary_rows(run))
    sheet = workbook.create_sheet(PARTS_SHEET, workbook.sheetnames.index(SUMMARY) + 1)
    write_table(sheet, PART_COLUMNS, part_rows(run.results))
    save_plan(workbook, path)  # sealed: the digests cover the parts too


def _append(sheet: Worksheet, rows: Sequence[Sequence[object]]) -> None:
    """Append rows below a sheet's last row, strings as text."""
    first = sheet.max_row + 1
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            set_text(plain_cell(sheet, first + offset, column), value)
