"""iCalendar files of a schedule: one ``.ics`` per unit and one per village.

Each event of the schedule is one all-day ``VEVENT`` (``DTSTART;VALUE=DATE``, ``DTEND`` the
next day) in the calendar of its unit and in the calendar of its village, with a Chinese
``SUMMARY`` and ``DESCRIPTION``. The calendars declare ``Asia/Shanghai`` (``X-WR-TIMEZONE`` and
its ``VTIMEZONE``). A provisional event (the holiday calendar of its year is not official yet)
is ``STATUS:TENTATIVE`` and says so.

UIDs are derived from (date, unit, village, obligation, occurrence), where *occurrence*
numbers the events with the same four values (two leaders receiving on one day); a rerun that
keeps an event keeps its UID, so a calendar application updates it instead of adding a
duplicate. ``X-PAIRING-*`` properties carry the ids for programs.

Text from the workbook (names, towns, people) is cleaned first (:func:`calendar_text`): RFC
5545 allows no control character in a value but the tab, and a line break inside a one-line
value (a name typed with Alt+Enter, a lone carriage return) either aborts the export or breaks
the file. Line breaks and controls become a space; the only line breaks left are the ones
DESCRIPTION puts between its own lines, which icalendar escapes.

The calendars are written all or nothing (:func:`staged_calendars`): each goes to a temporary
file beside its target, and only when every one is written (and the caller's block, e.g. the
plan workbook, has succeeded) are they all moved into place; on any failure every temporary
file is removed and no calendar is replaced. Files of units or villages without events are not
touched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from icalendar import Calendar, Timezone
from icalendar import Event as VEvent

from pairing.domain.model import Problem
from pairing.domain.plan import Event, Schedule
from pairing.io.file_names import unique_stems
from pairing.io.output import atomic_path, safe_text

TIMEZONE = "Asia/Shanghai"
PRODUCT = "-//pairing//结对共建活动日程//ZH"
UID_DOMAIN = "pairing.schedule"
LIST_SEPARATOR = "、"
# RFC 5545 CONTROL (C0 but tab, and DEL), C1 controls (U+0085 is a line break to some
# readers), Unicode line and paragraph separators: a space in a calendar.
NOT_IN_CALENDAR = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]+")
SURROGATE = re.compile("[\ud800-\udfff]")  # cannot be written as UTF-8 at all


def one_line(value: str) -> str:
    """``value`` with controls and line breaks as one space and lone surrogates as U+FFFD."""
    return NOT_IN_CALENDAR.sub(" ", SURROGATE.sub("\ufffd", value))


def calendar_text(value: str) -> str:
    """``value`` as one line of calendar text (:func:`one_line`), a formula-like start with
    OWASP's ``'`` (:func:`safe_text`)."""
    return safe_text(one_line(value))


def event_uid(event: Event, occurrence: int) -> str:
    """Return the stable UID of an event and its occurrence number (0 for the first)."""
    key = "|".join(
        (event.date.isoformat(), event.unit_id, event.village_id, event.obligation, str(occurrence))
    )
    return f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}@{UID_DOMAIN}"


def numbered(events: Sequence[Event]) -> list[tuple[Event, int]]:
    """Return each event with its occurrence number among events of the same four keys."""
    seen: dict[tuple[dt.date, str, str, str], int] = {}
    result = []
    for event in events:
        key = (event.date, event.unit_id, event.village_id, event.obligation)
        result.append((event, seen.get(key, 0)))
        seen[key] = seen.get(key, 0) + 1
    return result


def write_ics(
    directory: Path, problem: Problem, schedule: Schedule, *, stamp: dt.datetime | None = None
) -> list[Path]:
    """Write ``<name>-<id>.ics`` per unit and per village into ``directory``, all or nothing;
    return the paths (see :func:`staged_calendars`; names: :mod:`pairing.io.file_names`)."""
    with staged_calendars(directory, problem, schedule, stamp=stamp) as paths:
        return paths


@contextlib.contextmanager
def staged_calendars(
    directory: Path, problem: Problem, schedule: Schedule, *, stamp: dt.datetime | None = None
) -> Iterator[list[Path]]:
    """Write every calendar to a temporary file and yield their final paths; move them all
    into place when the block ends without error, else remove them all.

    Parameters
    ----------
    directory
        Target folder (created if missing).
    problem, schedule
        The input (names) and the schedule.
    stamp
        ``DTSTAMP`` of every event (UTC); default: now. Pass a fixed value for byte-identical
        reruns.

    A caller that writes other outputs too (the plan workbook) writes them inside the block,
    so that a calendar that cannot be built stops the command before anything is replaced.
    Only one calendar is in memory at a time.
    """
    directory = Path(directory)
    stamp = (stamp or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    with contextlib.ExitStack() as staged:
        paths = []
        for path, title, items in _calendars(directory, problem, schedule):
            payload = calendar_of(title, items, problem, _names(problem), stamp).to_ical()
            temporary = staged.enter_context(atomic_path(path))
            temporary.write_bytes(payload)
            paths.append(path)
        yield paths


def _names(problem: Problem) -> dict[str, str]:
    """Each obligation's name by code."""
    return {obligation.code: obligation.name for obligation in problem.obligations}


def _calendars(
    directory: Path, problem: Problem, schedule: Schedule
) -> Iterator[tuple[Path, str, list[tuple[Event, int]]]]:
    """Each calendar's path, title and numbered events: units first, then villages.

    A file is named by its owner's name and id (``县医院-U028.ics``), so that a person finds
    their calendar without a lookup; :func:`~pairing.io.file_names.unique_stems` keeps the
    names safe on Windows and distinct even where a unit and a village are alike.
    """
    by_unit: dict[str, list[tuple[Event, int]]] = {}
    by_village: dict[str, list[tuple[Event, int]]] = {}
    for item in numbered(schedule.events):
        by_unit.setdefault(item[0].unit_id, []).append(item)
        by_village.setdefault(item[0].village_id, []).append(item)
    owners = [("unit", problem.unit(u).name, u) for u in by_unit]
    owners += [("village", problem.village(v).name, v) for v in by_village]
    groups = [*by_unit.values(), *by_village.values()]
    for stem, (_, name, _), items in zip(unique_stems(owners), owners, groups, strict=True):
        yield directory / f"{stem}.ics", f"{name} 结对活动日程", items


def calendar_of(
    title: str,
    items: Sequence[tuple[Event, int]],
    problem: Problem,
    names: Mapping[str, str],
    stamp: dt.datetime,
) -> Calendar:
    """Return one calendar with a VEVENT per event."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", calendar_text(title))
    calendar.add("x-wr-timezone", TIMEZONE)
    calendar.add_component(Timezone.from_tzid(TIMEZONE))
    for event, occurrence in items:
        calendar.add_component(_vevent(event, occurrence, problem, names, stamp))
    return calendar


def _vevent(
    event: Event,
    occurrence: int,
    problem: Problem,
    names: Mapping[str, str],
    stamp: dt.datetime,
) -> VEvent:
    unit, village = problem.unit(event.unit_id), problem.village(event.village_id)
    activity = names.get(event.obligation, event.obligation)
    vevent = VEvent()
    vevent.add("uid", event_uid(event, occurrence))
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", event.date)
    vevent.add("dtend", event.date + dt.timedelta(days=1))
    vevent.add("summary", calendar_text(f"{activity}：{unit.name} → {village.name}"))
    vevent.add("description", safe_text(_description(event, activity, problem)))
    vevent.add("location", calendar_text(f"{village.town}{village.name}"))
    vevent.add("categories", [calendar_text(event.obligation)])
    vevent.add("status", "TENTATIVE" if event.provisional else "CONFIRMED")
    vevent.add("transp", "TRANSPARENT")
    vevent.add("x-pairing-unit", calendar_text(event.unit_id))
    vevent.add("x-pairing-village", calendar_text(event.village_id))
    vevent.add("x-pairing-obligation", calendar_text(event.obligation))
    return vevent


def _description(event: Event, activity: str, problem: Problem) -> str:
    """The event's lines, each cleaned on its own: a name cannot add a line of its own."""
    unit, village = problem.unit(event.unit_id), problem.village(event.village_id)
    lines = [
        f"活动：{event.obligation} {activity}",
        f"单位：{unit.id} {unit.name}",
        f"村：{village.id} {village.name}（{village.town}）",
    ]
    if event.people:
        lines.append("人员：" + LIST_SEPARATOR.join(event.people))
    if event.joint_with:
        joint = LIST_SEPARATOR.join(problem.unit(other).name for other in event.joint_with)
        lines.append(f"联合：与{joint}同日开展")
    if event.provisional:
        lines.append("暂定：该年节假日安排尚未正式公布，日期可能调整")
    return "\n".join(one_line(line) for line in lines)
