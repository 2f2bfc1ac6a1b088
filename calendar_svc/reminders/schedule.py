"""Which reminders are due when: pure functions of deadlines, subscribers and a moment.

A subscriber's filter is the page's filter (:class:`calendar_svc.feed.Filters`),
so a subscription from the page gets exactly the deadlines the page showed.

All-day deadlines remind at a local hour N days before their day (nobody wants
a "due tomorrow" email at midnight); timed ones exactly the offset before.
Nothing here touches the database or the clock, so it is tested and
benchmarked on plain values.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..feed import Filters
from ..model import SHANGHAI, Deadline
from .offsets import WINDOW_OPEN, Offset


@dataclass(frozen=True, slots=True)
class Recipient:
    """A confirmed subscriber as the schedule sees it."""

    id: int
    email: str
    filter: Filters
    offsets: tuple[Offset, ...]
    window_open: bool
    since: dt.datetime


@dataclass(frozen=True, slots=True)
class Reminder:
    """One email to send: this deadline, to this recipient, at this offset, at ``remind_at``."""

    deadline: Deadline
    recipient: Recipient
    offset: str
    remind_at: dt.datetime

    @property
    def due(self) -> dt.datetime:
        return self.deadline.due

    @property
    def key(self) -> tuple[str, str, int, dt.datetime]:
        """The delivery log's unique key (the due moment in UTC, as the database holds it)."""
        return (self.deadline.id, self.offset, self.recipient.id, utc(self.deadline.due))


def utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.timezone.utc).replace(microsecond=0)


def eligible(deadline: Deadline) -> bool:
    """Reminders only follow deadlines people can see and that still stand in their source."""
    return deadline.visible and not deadline.vanished


def remind_at(deadline: Deadline, offset: Offset, hour: int) -> dt.datetime:
    """The moment of the reminder ``offset`` before ``deadline`` closes."""
    if deadline.all_day:
        day = _key_date(deadline)
        days = offset.whole_days
        if days is not None:
            return dt.datetime.combine(day - dt.timedelta(days=days), dt.time(hour), tzinfo=SHANGHAI)
        end_of_day = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=SHANGHAI)
        return end_of_day - offset.delta
    return deadline.due - offset.delta


def opens_at(deadline: Deadline, hour: int) -> dt.datetime | None:
    """When a window (a start and an end) opens: its start, at ``hour`` for an all-day one."""
    if deadline.start is None or deadline.end is None:
        return None
    if isinstance(deadline.start, dt.datetime):
        return deadline.start.astimezone(SHANGHAI)
    return dt.datetime.combine(deadline.start, dt.time(hour), tzinfo=SHANGHAI)


def reminders(deadlines: Iterable[Deadline], recipients: Iterable[Recipient], hour: int) -> Iterator[Reminder]:
    """Every reminder of every eligible deadline for every matching recipient, at any time.

    Recipients are grouped by filter so each filter is tested once per
    deadline, and each reminder moment is computed once per deadline and
    offset: this is what keeps 10 000 × 1 000 in seconds rather than minutes.
    """
    groups: dict[Filters, list[Recipient]] = defaultdict(list)
    for recipient in recipients:
        groups[recipient.filter].append(recipient)
    for deadline in deadlines:
        if not eligible(deadline):
            continue
        moments: dict[Offset, dt.datetime] = {}
        opening = opens_at(deadline, hour)
        for flt, members in groups.items():
            if not flt.matches(deadline):
                continue
            for recipient in members:
                for offset in recipient.offsets:
                    moment = moments.get(offset)
                    if moment is None:
                        moment = moments[offset] = remind_at(deadline, offset, hour)
                    yield Reminder(deadline, recipient, offset.label, moment)
                if recipient.window_open and opening is not None:
                    yield Reminder(deadline, recipient, WINDOW_OPEN, opening)


def is_due(reminder: Reminder, now: dt.datetime) -> bool:
    """Due: its moment has come, the deadline has not passed, and it was not before the subscription."""
    return reminder.recipient.since <= reminder.remind_at <= now < reminder.due


def due(deadlines: Iterable[Deadline], recipients: Iterable[Recipient], hour: int, now: dt.datetime) -> list[Reminder]:
    """Reminders whose moment has come by ``now`` (including ones missed while the service was down)."""
    live = [d for d in deadlines if d.due > now]
    return [r for r in reminders(live, recipients, hour) if is_due(r, now)]


def upcoming(
    deadlines: Iterable[Deadline],
    recipients: Iterable[Recipient],
    hour: int,
    now: dt.datetime,
    limit: int,
    done: set[tuple] = frozenset(),
) -> list[Reminder]:
    """The next ``limit`` reminders after ``now``, soonest first, leaving out keys in ``done``."""
    live = [d for d in deadlines if d.due > now]
    future = (
        r
        for r in reminders(live, recipients, hour)
        if r.remind_at > now and r.remind_at >= r.recipient.since and r.key not in done
    )
    return heapq.nsmallest(limit, future, key=lambda r: (r.remind_at, r.recipient.email, r.deadline.id))


def _key_date(deadline: Deadline) -> dt.date:
    moment = deadline.key_moment
    return moment.date() if isinstance(moment, dt.datetime) else moment
