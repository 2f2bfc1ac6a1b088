"""The weekly digest: one Monday-morning mail listing what is due this week and next (本周/下周到期).

A subscription with ``digest = "weekly"`` gets this instead of a mail per
deadline and offset. The digest of a week is one key in the delivery log
(``digest-2026-03-09``, offset ``weekly``, the subscription, that Monday's
moment), so it goes out once however many workers, restarts or ``remind --at``
runs there are. Missed on Monday (the service was down), it goes out at the
next check of the same week, marked 补发; a week later the next one replaces it.

Pure functions of deadlines, subscriptions and a moment, like :mod:`.schedule`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from ..model import SHANGHAI, Deadline
from .hours import SendingHours
from .schedule import Recipient, eligible, utc
from .. import workdays

#: The delivery log's offset label of a digest (never a real offset: those are like ``7d``).
WEEKLY_OFFSET = "weekly"
_ID_PREFIX = "digest-"
SUMMARY = "本周和下周到期的截止日期"


@dataclass(frozen=True)
class Digest:
    """One subscription's digest of the week that starts on ``monday``."""

    recipient: Recipient
    monday: dt.date
    remind_at: dt.datetime
    this_week: tuple[Deadline, ...]
    next_week: tuple[Deadline, ...]
    offset: str = WEEKLY_OFFSET
    summary: str = SUMMARY

    @property
    def deadline_id(self) -> str:
        return digest_id(self.monday)

    @property
    def key(self) -> tuple[str, str, int, dt.datetime]:
        """The delivery log's unique key, as for a reminder: one digest per subscription and week."""
        return (self.deadline_id, WEEKLY_OFFSET, self.recipient.id, utc(week_start(self.monday)))

    @property
    def empty(self) -> bool:
        return not self.this_week and not self.next_week


def digest_id(monday: dt.date) -> str:
    return f"{_ID_PREFIX}{monday.isoformat()}"


def is_digest_id(text: str) -> bool:
    return text.startswith(_ID_PREFIX)


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week_start(monday: dt.date) -> dt.datetime:
    """The week's first moment: the key's due part (it names the week, not a deadline)."""
    return dt.datetime.combine(monday, dt.time(0), tzinfo=SHANGHAI)


def sending_moment(monday: dt.date, hours: SendingHours) -> dt.datetime:
    """Monday at ``all_day_hour``; with ``skip_rest_days``, the week's first working day (a holiday Monday is skipped)."""
    day = monday
    if hours.skip_rest_days:
        for offset in range(7):
            candidate = monday + dt.timedelta(days=offset)
            try:
                if workdays.is_workday(candidate):
                    day = candidate
                    break
            except workdays.NoWorkdayData:
                break  # no data for the year: Monday, never a guessed day
    return dt.datetime.combine(day, dt.time(hours.all_day_hour), tzinfo=SHANGHAI)


def contents(deadlines: Iterable[Deadline], recipient: Recipient, monday: dt.date, now: dt.datetime) -> tuple[tuple[Deadline, ...], tuple[Deadline, ...]]:
    """The subscription's deadlines still ahead at ``now`` whose day falls in the week of ``monday``, and in the next."""
    first, second, end = monday, monday + dt.timedelta(days=7), monday + dt.timedelta(days=14)
    this_week, next_week = [], []
    for d in deadlines:
        if not eligible(d) or d.due <= now or not recipient.filter.matches(d):
            continue
        day = d.due.astimezone(SHANGHAI).date()
        if first <= day < second:
            this_week.append(d)
        elif second <= day < end:
            next_week.append(d)
    order = lambda d: (d.due, d.id)  # noqa: E731
    return tuple(sorted(this_week, key=order)), tuple(sorted(next_week, key=order))


def due(
    deadlines: Sequence[Deadline],
    recipients: Iterable[Recipient],
    hours: SendingHours,
    now: dt.datetime,
    known: Collection[tuple] = frozenset(),
) -> list[Digest]:
    """The digests whose moment has come this week, not yet in the log (``known``), for digest subscriptions.

    A subscription made after this week's moment gets its first digest next
    week (as reminders before a subscription are not sent); ``now`` before the
    subscription (``remind --at`` a past day) asks what was due then.
    """
    monday = monday_of(now.astimezone(SHANGHAI).date())
    moment = sending_moment(monday, hours)
    if now < moment:
        return []
    found = []
    for r in recipients:
        if not r.digest or not (r.since <= moment or now < r.since):
            continue
        key = (digest_id(monday), WEEKLY_OFFSET, r.id, utc(week_start(monday)))
        if key in known:
            continue
        this_week, next_week = contents(deadlines, r, monday, now)
        found.append(Digest(r, monday, moment, this_week, next_week))
    return found


def rebuild(deadline_id: str, recipient: Recipient, deadlines: Sequence[Deadline], hours: SendingHours, now: dt.datetime) -> Digest | None:
    """A digest being retried, with what is due now; ``None`` once its week is over (the next one replaces it)."""
    monday = dt.date.fromisoformat(deadline_id[len(_ID_PREFIX) :])
    if now >= week_start(monday) + dt.timedelta(days=7):
        return None
    this_week, next_week = contents(deadlines, recipient, monday, now)
    return Digest(recipient, monday, sending_moment(monday, hours), this_week, next_week)
