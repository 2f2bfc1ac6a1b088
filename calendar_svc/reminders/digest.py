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


def next_moment(now: dt.datetime, hours: SendingHours) -> dt.datetime:
    """When the next digest goes out after ``now``: this week's, or next week's once this week's moment has come."""
    monday = monday_of(now.astimezone(SHANGHAI).date())
    moment = sending_moment(monday, hours)
    return moment if now < moment else sending_moment(monday + dt.timedelta(days=7), hours)


def fortnight(deadlines: Iterable[Deadline], monday: dt.date, now: dt.datetime) -> list[Deadline]:
    """The eligible deadlines still ahead at ``now`` whose day falls in the week of ``monday`` or the next, soonest first.

    Read once per check: each digest then filters only these few, not the whole file.
    """
    first, end = monday, monday + dt.timedelta(days=14)
    found = [d for d in deadlines if eligible(d) and d.due > now and first <= d.due.astimezone(SHANGHAI).date() < end]
    return sorted(found, key=lambda d: (d.due, d.id))


def contents(candidates: Iterable[Deadline], recipient: Recipient, monday: dt.date) -> tuple[tuple[Deadline, ...], tuple[Deadline, ...]]:
    """Of :func:`fortnight`'s deadlines, the subscription's: those of the week of ``monday``, and those of the next."""
    second = monday + dt.timedelta(days=7)
    mine = [d for d in candidates if recipient.filter.matches(d)]
    return (
        tuple(d for d in mine if d.due.astimezone(SHANGHAI).date() < second),
        tuple(d for d in mine if d.due.astimezone(SHANGHAI).date() >= second),
    )


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
    found: list[Digest] = []
    candidates: list[Deadline] | None = None
    for r in recipients:
        if not r.digest or not (r.since <= moment or now < r.since):
            continue
        key = (digest_id(monday), WEEKLY_OFFSET, r.id, utc(week_start(monday)))
        if key in known:
            continue
        if candidates is None:
            candidates = fortnight(deadlines, monday, now)
        found.append(Digest(r, monday, moment, *contents(candidates, r, monday)))
    return found


def rebuild(deadline_id: str, recipient: Recipient, deadlines: Sequence[Deadline], hours: SendingHours, now: dt.datetime) -> Digest | None:
    """A digest being retried, with what is due now; ``None`` once its week is over (the next one replaces it)."""
    monday = dt.date.fromisoformat(deadline_id[len(_ID_PREFIX) :])
    if now >= week_start(monday) + dt.timedelta(days=7):
        return None
    return Digest(recipient, monday, sending_moment(monday, hours), *contents(fortnight(deadlines, monday, now), recipient, monday))
