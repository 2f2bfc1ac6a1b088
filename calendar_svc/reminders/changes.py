"""Change alerts: one 截止日期变更 email per subscriber when a person confirms that a confirmed deadline moved.

A confirmed deadline whose date changes (an extension, a 更正 notice) goes
back to the review queue and keeps its confirmed date meanwhile; once a
person confirms the new date, the record carries ``moved_from`` (the old
dates) and ``moved_at`` (when that was confirmed). Every due-check looks
at such records, like it looks for due reminders: each subscriber whose
filter matches, and who had that filter before the change, gets one email.
Exactly once, as reminders: the alert's key (deadline, the change's
moment, address) is inserted under a unique constraint in the same
transaction that queues the mail in :mod:`.outbox`, which sends it once,
with retries; a re-run, a second worker or a restart finds the key taken.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from email.message import EmailMessage

from sqlalchemy import Engine, Integer, String, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from .. import feed
from ..db import Base, UtcDateTime
from ..model import Deadline, zh_when
from ..store import span
from . import outbox
from .delivery import log_event
from ..channels.email import one_line
from .message import _base, _header_url, _html, readable_change
from .models import WEBHOOK_PREFIX
from .schedule import Recipient, eligible, utc

#: The outbox kind of these mails (its rate limit counts confirmations only).
KIND = "change"
SUBJECT = "截止日期变更"


class ChangeAlert(Base):
    """One change alert's claim: the unique key makes a second email for the same change impossible."""

    __tablename__ = "change_alert"
    __table_args__ = (UniqueConstraint("deadline_id", "moved_at", "email", name="change_alert_once"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deadline_id: Mapped[str] = mapped_column(String(64))
    moved_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    #: The address is the key (one email per address, whatever subscriptions it has); the subscription is for the record.
    email: Mapped[str] = mapped_column(String(254))
    subscriber_id: Mapped[int] = mapped_column(Integer)
    queued_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


#: Builds the email for one confirmed change to one recipient.
Compose = Callable[[Deadline, Recipient, dt.datetime], EmailMessage]


def moved(deadlines: Sequence[Deadline], now: dt.datetime) -> list[tuple[Deadline, list[Deadline]]]:
    """Confirmed changes still worth telling: each official record, with itself and its internal deadline.

    A subscriber who chose internal deadlines matches the derived one; either
    way the change is one email, keyed by the official record.
    """
    official = {
        d.id: [d]
        for d in deadlines
        if d.moved_at is not None and not d.internal_of and d.status == "confirmed" and eligible(d) and d.due > now
    }
    for d in deadlines:
        if d.internal_of in official:
            official[d.internal_of].append(d)
    return [(forms[0], forms) for forms in official.values()]


def wanted(deadlines: Sequence[Deadline], recipients: Sequence[Recipient], now: dt.datetime) -> list[tuple[Deadline, Recipient]]:
    """Every (changed deadline, recipient) owed an alert, taken or not, one per address: pure, for tests and dry runs."""
    owed = []
    for record, forms in moved(deadlines, now):
        told: set[str] = set()
        for person in recipients:
            if person.email in told or person.since > record.moved_at or person.email.startswith(WEBHOOK_PREFIX):
                continue  # a group robot (webhook:NAME) has no mailbox: its reminders carry the new date
            if any(person.filter.matches(form) for form in forms):
                owed.append((record, person))
                told.add(person.email)
    return owed


def queue_alerts(engine: Engine, deadlines: Sequence[Deadline], recipients: Sequence[Recipient], now: dt.datetime, compose: Compose) -> int:
    """Queue the alerts not yet queued (each with its key, in one transaction); returns how many."""
    owed = wanted(deadlines, recipients, now)
    if not owed:
        return 0
    with Session(engine) as session:
        rows = session.execute(
            select(ChangeAlert.deadline_id, ChangeAlert.moved_at, ChangeAlert.email).where(
                ChangeAlert.deadline_id.in_({record.id for record, _ in owed})
            )
        )
        taken = {tuple(row) for row in rows}
    queued = 0
    for record, person in owed:
        key = (record.id, utc(record.moved_at), person.email)
        if key in taken:
            continue
        try:
            with Session(engine) as session, session.begin():
                session.add(ChangeAlert(deadline_id=record.id, moved_at=key[1], subscriber_id=person.id, email=person.email, queued_at=now))
                session.flush()  # the key first: a second worker fails here, before queueing anything
                outbox.queue(session, compose(record, person, now), KIND, "", now)
        except IntegrityError:
            continue
        queued += 1
        log_event("change-queued", deadline=record.id, to=person.email, moved_at=record.moved_at)
    return queued


def change_message(
    record: Deadline, person: Recipient, *, now: dt.datetime, mail_from: str, unsubscribe_url: str, page_url: str
) -> EmailMessage:
    """The 截止日期变更 email: old → new as people write dates, the new sentence and where to read it."""
    change = readable_change(f"{record.moved_from} → {span(record)}")
    lines = [
        f"{SUBJECT}：{record.summary}",
        "",
        f"截止日期由 {change}（{zh_when(record.moved_at, weekday=False)}经人工确认）。",
        f"新的截止：{zh_when(record.key_moment)}" + (" 全天" if record.all_day else ""),
        "已订阅日历的，日历中的事件会自动更新。",
        "",
        *feed.describe(record).splitlines(),
    ]
    msg = _base(mail_from, person.email, f"【{SUBJECT}】{record.summary}", now)
    msg.set_raw("List-Unsubscribe", f"<{_header_url(unsubscribe_url)}>")
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["X-Calendar-Svc-Deadline"] = one_line(record.id)
    msg["X-Calendar-Svc-Change"] = utc(record.moved_at).isoformat()
    footer = ["", f"在网页上查看：{page_url}", f"退订提醒：{unsubscribe_url}"]
    msg.set_content("\n".join(lines + footer) + "\n", subtype="plain", charset="utf-8")
    msg.add_alternative(_html(lines, page_url, unsubscribe_url), subtype="html", charset="utf-8")
    return msg

