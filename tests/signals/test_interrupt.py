"""Ctrl-C and SIGTERM on the real command: the best plan so far is written, marked
interrupted, and the exit code is 130 (issue 14, item 5).

Before the fix, 6 of 6 such interruptions of an 810-village search ended in ``terminate
called after throwing an instance of 'std::bad_function_call'`` (exit -6) or ``KeyError:
'status'``, with no plan; an interrupted ``solve --schedule`` said "日程在时限内未求出"
(exit 4, as if infeasible).
"""

from __future__ import annotations

import signal
from pathlib import Path

import openpyxl
import pytest

from pairing.io.planbook import read_plan
from pairing.io.schedule_sheets import SCHEDULE_TITLE

from .processes import Child, Finished, leftovers, pairing

EXIT_INTERRUPTED = 130
PLAN_SHOWN = "best "  # the progress line once the search holds a plan
SCHEDULING = "warning: the official holidays"  # printed just before the schedule is built
HEARD = "interrupt received"  # the command's answer to the first signal


def interrupted_search(source: Path, folder: Path, *signals: signal.Signals) -> Finished:
    """Solve ``source`` into ``folder``/plan.xlsx; once a plan is shown, send ``signals``,
    each after the command has said it heard the one before (signals sent back to back
    arrive as one)."""
    child = Child(
        ["solve", str(source), "-o", str(folder / "plan.xlsx"), "--time-limit", "300"], folder
    )
    child.wait_for(PLAN_SHOWN)
    for count, number in enumerate(signals):
        if count:
            child.wait_for(HEARD)
        child.send(number)
    return child.finish()


def assert_valid_interrupted_plan(plan: Path) -> None:
    """The plan verifies, and its summary says it was interrupted and is not proven."""
    facts = read_plan(plan).plan.facts
    assert facts.interrupted and not facts.proven
    verified = pairing(["verify", str(plan)], plan.parent)
    assert verified.code == 0, verified.stdout + verified.stderr


@pytest.mark.slow
@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_during_the_search_writes_the_best_plan(
    big_county: Path, tmp_path: Path, number: signal.Signals
) -> None:
    """Exit 130, the plan written and valid, marked interrupted and not proven; no crash, no
    temporary file."""
    done = interrupted_search(big_county, tmp_path, number)
    assert done.code == EXIT_INTERRUPTED, done.stderr
    assert done.clean(), done.stderr
    assert "interrupted: best plan so far" in done.stdout
    assert leftovers(tmp_path) == []
    assert_valid_interrupted_plan(tmp_path / "plan.xlsx")


@pytest.mark.slow
def test_a_second_signal_quits_at_once_without_a_crash(big_county: Path, tmp_path: Path) -> None:
    """Two Ctrl-C in a row: exit 130, no traceback, no temporary file; a plan written before
    the second one arrived still verifies."""
    done = interrupted_search(big_county, tmp_path, signal.SIGINT, signal.SIGINT)
    assert done.code == EXIT_INTERRUPTED, done.stderr
    assert done.clean(), done.stderr
    assert leftovers(tmp_path) == []
    if (tmp_path / "plan.xlsx").exists():
        assert_valid_interrupted_plan(tmp_path / "plan.xlsx")


@pytest.mark.slow
def test_an_interrupted_schedule_keeps_the_plan_and_is_not_infeasible(
    gaozhou_input: Path, tmp_path: Path
) -> None:
    """Ctrl-C while `solve --schedule` schedules: exit 130 (not 4), the plan written without a
    schedule and valid, no temporary file."""
    plan = tmp_path / "plan.xlsx"
    child = Child(["solve", str(gaozhou_input), "-o", str(plan), "--schedule", "-q"], tmp_path)
    child.wait_for(SCHEDULING)
    child.send(signal.SIGINT)
    done = child.finish()
    assert done.code == EXIT_INTERRUPTED, done.stderr
    assert done.clean(), done.stderr
    assert "日程在时限内未求出" not in done.stderr and "no plan satisfies" not in done.stderr
    assert leftovers(tmp_path) == []
    assert SCHEDULE_TITLE not in openpyxl.load_workbook(plan, read_only=True).sheetnames
    verified = pairing(["verify", str(plan)], tmp_path)
    assert verified.code == 0, verified.stdout + verified.stderr


@pytest.mark.slow
def test_an_interrupted_schedule_command_writes_all_or_nothing(
    gaozhou_plan: Path, tmp_path: Path
) -> None:
    """SIGTERM during `pairing schedule`: exit 130; either nothing is written (some group had
    no days yet) or a complete schedule marked interrupted that verifies."""
    out = tmp_path / "scheduled.xlsx"
    child = Child(
        ["schedule", str(gaozhou_plan), "-o", str(out), "--ics", str(tmp_path / "ics")], tmp_path
    )
    child.wait_for(SCHEDULING)
    child.send(signal.SIGTERM)
    done = child.finish()
    assert done.code == EXIT_INTERRUPTED, done.stderr
    assert done.clean(), done.stderr
    assert leftovers(tmp_path) == []
    if not out.exists():
        assert "no schedule written" in done.stderr
        assert not list(tmp_path.glob("ics/*.ics"))
        return
    assert "已中断 interrupted" in done.stdout
    assert SCHEDULE_TITLE in openpyxl.load_workbook(out, read_only=True).sheetnames
    verified = pairing(["verify", str(out)], tmp_path)
    assert verified.code == 0, verified.stdout + verified.stderr
