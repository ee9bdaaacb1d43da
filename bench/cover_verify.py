"""Benchmark ``pairing verify COVER.xlsx`` (issue 18's auditor); records bench/results/cover_verify.json.

For each size, the synthetic county of :func:`bench.cover.county` (VILLAGES villages, 50 listed
households each, 8-20 小组 of 1,000 households, about 48 party members, two units of 6
members) is written as an input workbook, read back by the input layer, covered by the engine
and written as a sealed cover workbook by the writer (the plan step is skipped: the pairs are
the county's own, copied as ``输入·结对方案`` as ``pairing cover`` copies a plan's). Then
``pairing verify`` runs on it in a fresh process, 3 times: median wall and CPU seconds (on 2
shared cores the wall clock also waits for other work) and the child's peak RSS. It must
exit 0: a cover the engine made verifies.

    PYTHONPATH=. python -m bench.cover_verify 54 500
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import cast

from openpyxl import Workbook

from bench.cover import _pairing, county
from pairing.app.cover_points import rule_points
from pairing.cover.run import CoverProblem, cover_county
from pairing.domain.people import Group, Household, UnitMember, VillageMember
from pairing.domain.rules import cover_weights
from pairing.io.coverbook import CoverContext, write_cover
from pairing.io.people import read_people
from pairing.io.reader import read_input


def _sheet(
    book: Workbook, title: str, header: Sequence[str], rows: Sequence[Sequence[object]]
) -> None:
    sheet = book.create_sheet(title)
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))


County = tuple[
    dict[str, list[str]], list[Household], list[VillageMember], list[UnitMember], list[Group]
]


def write_input(path: Path, villages: int) -> dict[str, list[str]]:
    """Write the county as an input workbook; return its pairs (village -> units)."""
    pairs, homes, members, staff, groups = cast(County, county(villages))
    book = Workbook(write_only=True)
    units = [u for v in pairs for u in pairs[v]]
    _sheet(book, "单位", ["单位编号", "单位名称"], [[u, f"单位{u}"] for u in units])
    _sheet(
        book,
        "村",
        ["村编号", "村名", "所属镇", "需结对单位数"],
        [[v, f"村{v}", "镇", 2] for v in pairs],
    )
    _sheet(
        book, "队员", ["单位编号", "姓名", "队员编号"], [[m.unit_id, m.name, m.id] for m in staff]
    )
    _sheet(
        book,
        "农户",
        ["户编号", "村编号", "户主", "小组", "类别"],
        [[h.id, h.village_id, h.head, h.group, "、".join(h.categories)] for h in homes],
    )
    _sheet(
        book,
        "村党员",
        ["党员编号", "村编号", "姓名", "小组"],
        [[m.id, m.village_id, m.name, m.group] for m in members],
    )
    _sheet(
        book,
        "村民小组",
        ["村编号", "小组", "户数"],
        [[g.village_id, g.name, g.households] for g in groups],
    )
    book.save(path)
    return pairs


def write_cover_book(source_path: Path, target: Path, pairs: dict[str, list[str]]) -> int:
    """Cover the county as ``pairing cover`` does and write its sealed workbook; return 户数."""
    source = read_input(source_path)
    problem = source.problem
    people = read_people(source.book, frozenset(v.id for v in problem.villages))
    weights = cover_weights()
    cover = cover_county(
        CoverProblem(
            {v: tuple(u) for v, u in pairs.items()},
            people.households,
            people.village_members,
            people.unit_members,
            people.groups,
            5,
            30,
            weights,
        )
    )
    ctx = CoverContext(
        {v.id: v.name for v in problem.villages},
        {u.id: u.name for u in problem.units},
        pairs,
        people.areas,
        5,
        30,
        0.0,
        rule_points(cover, weights, {}),
    )
    write_cover(target, cover, ctx, source)
    return len(people.households)


def one(villages: int) -> list[object]:
    with tempfile.TemporaryDirectory() as folder:
        source, cover = Path(folder, "in.xlsx"), Path(folder, "cover.xlsx")
        pairs = write_input(source, villages)
        households = write_cover_book(source, cover, pairs)
        runs = [_pairing("verify", cover) for _ in range(3)]  # exit 0 or it raises
        size_mb = cover.stat().st_size / 2**20
    seconds, cpu, rss = (statistics.median(run[i] for run in runs) for i in range(3))
    return [
        villages,
        households,
        round(size_mb, 1),
        round(seconds, 3),
        round(cpu, 3),
        round(rss, 1),
    ]


def main() -> None:
    from bench.record import record

    rows = []
    for villages in (int(arg) for arg in sys.argv[1:] or ["54", "500"]):
        rows.append(one(villages))
        print(rows[-1], flush=True)
    record(
        "cover_verify",
        ["villages", "listed_households", "cover_mb", "median_s", "median_cpu_s", "peak_rss_mb"],
        rows,
    )


if __name__ == "__main__":
    main()
