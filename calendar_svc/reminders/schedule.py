"""Which reminders are due when: pure functions of deadlines, subscribers and a moment.

A subscriber's filter is the page's filter (:class:`calendar_svc.filters.Filters`),
so a subscription from the page gets exactly the deadlines the page showed.

All-day deadlines remind at a local hour N days before their day, short
offsets before the office closes, and nothing goes out at night
(:mod:`.hours`); timed ones exactly the offset before, within the same hours.
Nothing here touches the database or the clock, so it is tested and
benchmarked on plain values.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

from ..filters import Filters
from ..model import SHANGHAI, Deadline
from ..offsets import WINDOW_OPEN, Offset
from .hours import SendingHours


@dataclass(frozen=True, slots=True)
class Recipient:
    """A confirmed subscriber as the schedule sees it."""

    id: int
    email: str
    filter: Filters
    offsets: tuple[Offset, ...]
    window_open: bool
    since: dt.datetime
    #: The subscription's generation, carried by its unsubscribe links.
    generation: int = 0
    #: ``weekly``: a Monday digest instead of reminders per offset (which it then has none of).
    digest: str = ""


@dataclass(frozen=True, slots=True)
class Reminder:
    """One email to send: this deadline, to this recipient, at this offset, at ``remind_at``."""

    deadline: Deadline
    recipient: Recipient
    offset: str
    remind_at: dt.datetime
    #: Offsets of the same deadline that fell due together with this one (missed in an outage) and go out in its message.
    merged: tuple[str, ...] = ()

    @property
    def due(self) -> dt.datetime:
        return self.deadline.due

    @property
    def deadline_id(self) -> str:
        return self.deadline.id

    @property
    def summary(self) -> str:
        return self.deadline.summary

    @property
    def key(self) -> tuple[str, str, int, dt.datetime]:
        """The delivery log's unique key (the due moment in UTC, as the database holds it)."""
        return (self.deadline.id, self.offset, self.recipient.id, utc(self.deadline.due))


def utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC).replace(microsecond=0)


def eligible(deadline: Deadline) -> bool:
    """Reminders only follow deadlines people can see and that still stand in their source."""
    return deadline.visible and not deadline.vanished


def remind_at(deadline: Deadline, offset: Offset, hours: SendingHours) -> dt.datetime:
    """The moment of the reminder ``offset`` before ``deadline`` closes, within the sending hours.

    An all-day deadline is reminded at ``all_day_hour`` whole days before its
    day, and counts shorter offsets back from ``office_close`` on that day (a
    ``2h`` reminder at 15:00, not at 22:00); :meth:`SendingHours.place` then
    moves a moment at night (or on a rest day, if asked) earlier.
    """
    if deadline.all_day:
        day = _key_date(deadline)
        days = offset.whole_days
        if days is not None:
            moment = dt.datetime.combine(day - dt.timedelta(days=days), dt.time(hours.all_day_hour), tzinfo=SHANGHAI)
        else:
            moment = dt.datetime.combine(day, hours.office_close, tzinfo=SHANGHAI) - offset.delta
    else:
        moment = deadline.due - offset.delta
    return hours.place(moment)


def opens_at(deadline: Deadline, hours: SendingHours) -> dt.datetime | None:
    """When a window (a start and an end) opens: its start (at ``all_day_hour`` for an all-day one), by day."""
    if deadline.start is None or deadline.end is None:
        return None
    if isinstance(deadline.start, dt.datetime):
        return hours.place_opening(deadline.start)
    return hours.place_opening(dt.datetime.combine(deadline.start, dt.time(hours.all_day_hour), tzinfo=SHANGHAI))


def reminders(deadlines: Iterable[Deadline], recipients: Iterable[Recipient], hours: SendingHours) -> Iterator[Reminder]:
    """Every reminder of every eligible deadline for every matching recipient, at any time.

    Recipients are grouped by filter so each filter is tested once per
    deadline, and each reminder moment is computed once per deadline and
    offset: this is what keeps 10 000 × 1 000 in seconds rather than minutes.
    """
    groups = _groups(recipients)
    for deadline in deadlines:
        if not eligible(deadline):
            continue
        moments: dict[Offset, dt.datetime] = {}
        opening = opens_at(deadline, hours)
        for flt, members in groups.items():
            if not flt.matches(deadline):
                continue
            for recipient in members:
                for offset in recipient.offsets:
                    moment = moments.get(offset)
                    if moment is None:
                        moment = moments[offset] = remind_at(deadline, offset, hours)
                    yield Reminder(deadline, recipient, offset.label, moment)
                if recipient.window_open and opening is not None:
                    yield Reminder(deadline, recipient, WINDOW_OPEN, opening)


def due(
    deadlines: Iterable[Deadline],
    recipients: Iterable[Recipient],
    hours: SendingHours,
    now: dt.datetime,
    known: Collection[tuple] = frozenset(),
) -> list[Reminder]:
    """Reminders whose moment has come by ``now`` and whose key is not in ``known``.

    Due means: its moment has come (including ones missed while the service
    was down), the deadline has not passed, and the moment was not before the
    subscription. A ``now`` before the subscription (``remind --at`` a past
    day) asks what was due then, so the subscriber counts as always there. A deadline none of whose moments has come costs one
    ``remind_at`` per distinct offset, so a tick stays cheap however many
    deadlines lie further ahead.
    """
    people = list(recipients)
    groups = _groups(people)
    offsets = {o: o.label for r in people for o in r.offsets}
    want_open = any(r.window_open for r in people)
    result: list[Reminder] = []
    for d in deadlines:
        if not eligible(d) or d.due <= now:
            continue
        passed = {o: m for o in offsets if (m := remind_at(d, o, hours)) <= now}
        opening = opens_at(d, hours) if want_open else None
        if opening is not None and opening > now:
            opening = None
        if not passed and opening is None:
            continue
        due_utc = utc(d.due)
        for flt, members in groups.items():
            if not flt.matches(d):
                continue
            for r in members:
                for o in r.offsets:
                    moment = passed.get(o)
                    if moment is not None and (r.since <= moment or now < r.since) and (d.id, offsets[o], r.id, due_utc) not in known:
                        result.append(Reminder(d, r, offsets[o], moment))
                if opening is not None and r.window_open and (r.since <= opening or now < r.since):
                    if (d.id, WINDOW_OPEN, r.id, due_utc) not in known:
                        result.append(Reminder(d, r, WINDOW_OPEN, opening))
    return result


class Timeline:
    """Every reminder moment of the eligible deadlines, for the offsets in use, in time order.

    Built once per version of the deadlines and the subscribers; a tick then
    asks only for the moments in (its previous tick, now] with a bisection,
    instead of recomputing every deadline's moments: with 10 000 deadlines ×
    1 000 subscribers and nothing new due, that is a few microseconds, not a
    third of a second.
    """

    def __init__(self, deadlines: Iterable[Deadline], recipients: Iterable[Recipient], hours: SendingHours) -> None:
        people = list(recipients)
        self.groups = _groups(people)
        offsets = {o: o.label for r in people for o in r.offsets}
        want_open = any(r.window_open for r in people)
        entries: list[tuple[dt.datetime, int, Deadline, Offset | None]] = []
        for index, d in enumerate(deadlines):
            if not eligible(d):
                continue
            for o in offsets:
                entries.append((remind_at(d, o, hours), index, d, o))
            opening = opens_at(d, hours) if want_open else None
            if opening is not None:
                entries.append((opening, index, d, None))
        entries.sort(key=lambda e: (e[0], e[1]))
        self.entries = entries
        self.moments = [e[0] for e in entries]
        self.labels = offsets

    def due(self, after: dt.datetime, now: dt.datetime, known: Collection[tuple] = frozenset()) -> list[Reminder]:
        """What :func:`due` returns at ``now``, restricted to moments after ``after`` (the previous tick)."""
        result: list[Reminder] = []
        for moment, _, d, o in self.entries[bisect_right(self.moments, after) : bisect_right(self.moments, now)]:
            if d.due <= now:
                continue
            due_utc = utc(d.due)
            label = WINDOW_OPEN if o is None else self.labels[o]
            for flt, members in self.groups.items():
                if not flt.matches(d):
                    continue
                for r in members:
                    wanted = r.window_open if o is None else o in r.offsets
                    if wanted and (r.since <= moment or now < r.since) and (d.id, label, r.id, due_utc) not in known:
                        result.append(Reminder(d, r, label, moment))
        return result


def upcoming(
    deadlines: Iterable[Deadline],
    recipients: Iterable[Recipient],
    hours: SendingHours,
    now: dt.datetime,
    limit: int,
    done: Collection[tuple] = frozenset(),
) -> list[Reminder]:
    """The next ``limit`` reminders after ``now``, soonest first, leaving out keys in ``done``.

    Walks (moment, deadline, offset) in time order and expands each to its
    subscribers only until ``limit`` is reached, instead of listing them all.
    """
    people = list(recipients)
    groups = _groups(people)
    offsets = {o: o.label for r in people for o in r.offsets}
    want_open = any(r.window_open for r in people)
    moments: list[tuple[dt.datetime, str, str, Deadline, Offset | None]] = []
    for d in deadlines:
        if not eligible(d) or d.due <= now:
            continue
        for o, label in offsets.items():
            moment = remind_at(d, o, hours)
            if now < moment < d.due:
                moments.append((moment, d.id, label, d, o))
        opening = opens_at(d, hours) if want_open else None
        if opening is not None and now < opening < d.due:
            moments.append((opening, d.id, WINDOW_OPEN, d, None))
    moments.sort(key=lambda item: item[:3])
    found: list[Reminder] = []
    stop: dt.datetime | None = None
    for moment, _, label, d, o in moments:
        if stop is not None and moment > stop:
            break
        due_utc = utc(d.due)
        for flt, members in groups.items():
            if not flt.matches(d):
                continue
            for r in members:
                wanted = r.window_open if o is None else o in r.offsets
                if wanted and r.since <= moment and (d.id, label, r.id, due_utc) not in done:
                    found.append(Reminder(d, r, label, moment))
        if stop is None and len(found) >= limit:
            stop = moment
    found.sort(key=lambda r: (r.remind_at, r.recipient.email, r.deadline.id, r.offset))
    return found[:limit]


def _groups(recipients: Iterable[Recipient]) -> dict[Filters, list[Recipient]]:
    groups: dict[Filters, list[Recipient]] = defaultdict(list)
    for recipient in recipients:
        groups[recipient.filter].append(recipient)
    return groups


def _key_date(deadline: Deadline) -> dt.date:
    moment = deadline.key_moment
    return moment.date() if isinstance(moment, dt.datetime) else moment
