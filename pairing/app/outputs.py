"""Writing a job's results: the plan workbook and, with a schedule, the calendars, together.

Every calendar is built before the workbook is written and moved into place after it, so a
calendar that cannot be built leaves every earlier file as it was (all or nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pairing.domain.model import Problem
from pairing.domain.plan import Schedule
from pairing.io.ics import staged_calendars


def write_with_calendars(
    write_workbook: Callable[[], None],
    problem: Problem,
    schedule: Schedule | None,
    ics_dir: Path | None,
) -> int:
    """Run ``write_workbook`` and, with a schedule and ``ics_dir``, write the calendars too;
    return how many calendars were written."""
    if schedule is None or ics_dir is None:
        write_workbook()
        return 0
    with staged_calendars(ics_dir, problem, schedule) as paths:
        write_workbook()
    return len(paths)
