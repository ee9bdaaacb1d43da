"""Turn solved occurrence days into :class:`~pairing.domain.plan.Event` rows.

A joint occurrence becomes one event per pair on site, each naming the other units in
``joint_with``. Events are sorted by date, unit, village, obligation and people, so that the
schedule's rows do not depend on the solve order.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pairing.domain.plan import Event
from pairing.schedule.calendar import WorkingCalendar
from pairing.schedule.duties import Duty
from pairing.schedule.horizon import Horizon
from pairing.schedule.sites import Site


def events_of(
    duties: Sequence[Duty],
    days: Sequence[int],
    sites: Sequence[Site],
    calendar: WorkingCalendar,
    horizon: Horizon,
) -> Iterator[Event]:
    """Yield the events of one group; ``days`` holds the day of each occurrence in spec order."""
    position = 0
    for duty in duties:
        units = [sites[index].unit.id for index in duty.sites]
        for occurrence in duty.occurrences:
            date = horizon.date(days[position])
            position += 1
            provisional = calendar.day(date).provisional
            for place, index in enumerate(duty.sites):
                site = sites[index]
                others = units[:place] + units[place + 1 :] if duty.obligation.joint else []
                yield Event(
                    date,
                    site.unit.id,
                    site.village.id,
                    duty.obligation.code,
                    duty.performers[occurrence.performer][place],
                    tuple(others),
                    provisional,
                )


def event_order(event: Event) -> tuple[object, ...]:
    """Return the canonical sort key of an event."""
    return (event.date, event.unit_id, event.village_id, event.obligation, event.people)
