"""The reminders service: one object the CLI, the web blueprint and the scheduler share.

It owns the database engine, the transport and the injected clock, and
turns requests (subscribe, confirm, unsubscribe, check) into calls on the
smaller modules, which each do one job.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import socket
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from .. import datafile, db, recurrence
from ..config import Settings
from ..errors import CalendarSvcError, InputError
from ..filters import Filters
from ..model import SHANGHAI, Deadline
from ..channels import Note, Robot
from ..channels.email import Transport, from_settings as email_transport
from . import changes, digest, message, outbox, schedule, schema, subscribers
from .delivery import ALERT_KEY, Dispatcher, RunReport, log_event
from .models import BOUNCED, CONFIRMED, FAILED, PENDING, PER_DEADLINE, RETRY, SENDING, UNSUBSCRIBED, Delivery, Subscriber
from ..offsets import Offset, format_offsets
from .digest import Digest
from .schedule import Reminder
from .tokens import CONFIRM_MAX_AGE, TokenError, Tokens

Clock = Callable[[], dt.datetime]

#: At most one confirmation email per address in this interval, whatever the form receives.
CONFIRMATION_INTERVAL = dt.timedelta(minutes=10)


def system_clock() -> dt.datetime:
    return dt.datetime.now(SHANGHAI)


@dataclass
class Status:
    """What ``calendar-svc status`` shows."""

    upcoming: list[Reminder]
    failures: list[Delivery]
    counts: dict[str, int]
    subscribers: dict[str, int]
    #: What the operator must look at (e.g. the SMTP server refusing every address), or "".
    alert: str = ""
    #: Why deadlines.toml could not be read (the last good copy, if any, is in use), or "".
    deadlines_error: str = ""
    #: When the next weekly digests go out, and to how many subscriptions (``None``: there are none).
    next_digest: tuple[dt.datetime, int] | None = None


class Reminders:
    """Subscriptions and reminder sending for one settings object and one clock."""

    def __init__(
        self,
        settings: Settings,
        *,
        now: Clock = system_clock,
        engine: Engine | None = None,
        sender: Transport | None = None,
        worker_id: str | None = None,
    ) -> None:
        self.settings = settings
        self.now = now
        self.engine = engine or db.make_engine(settings.database_url)
        try:
            schema.create_schema(self.engine)
            key = db.signing_key(self.engine, settings.secret_key)
        except SQLAlchemyError as exc:  # unreachable, refused login, read-only file: one line, not a traceback
            raise db.unreachable(exc, self.engine) from None
        self.transport = sender or email_transport(settings)
        self.tokens = Tokens(key)
        self.secret_warning = db.secret_problem(settings.secret_key)
        if self.secret_warning:
            log_event("weak-secret", logging.WARNING, problem=self.secret_warning)
        self.deadlines = datafile.shared(settings.deadlines, settings.internal_rules)  # one parse per change, shared with the page
        self.recipients = subscribers.Recipients()
        #: The group robots (``[[webhook]]`` in calendar-svc.toml) a subscription may name as ``webhook:NAME``.
        self.robots = {robot.name: Robot(robot) for robot in settings.webhooks}
        self.robot_names = frozenset(self.robots)
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        #: Called after a mail was queued; ``serve`` makes it wake the scheduler's mailer.
        self.on_queued: Callable[[], None] = lambda: None
        self.dispatcher = Dispatcher(
            self.engine, settings, self.transport, self._compose, self.worker_id, robots=self.robots, compose_note=self._compose_note
        )

    # -- subscriptions -------------------------------------------------------

    def subscribe(
        self,
        email: str,
        filters: Filters | None = None,
        offsets: Sequence[Offset] | None = None,
        window_open: bool | None = None,
        *,
        digest: str = PER_DEADLINE,
    ) -> Subscriber:
        """Operator path: add, or update, the confirmed subscription of ``email`` to ``filters`` at once.

        ``email`` may be ``webhook:NAME`` for a group robot of calendar-svc.toml.
        The address's subscriptions to other filters stay as they are; for the
        same filter and kind, ``None`` keeps what the subscription had.
        """
        address = subscribers.normalize_target(email, self.robot_names)
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            row = subscribers.upsert(
                session,
                address,
                filters=filters or Filters(),
                offsets=tuple(offsets) if offsets else None,
                window_open=window_open,
                status=CONFIRMED,
                now=self.now(),
                digest=digest,
                defaults=(self.settings.offsets, self.settings.window_open),
            )
        log_event("subscribed", to=address, subscription=row.id, filter=row.filter, offsets=row.offsets, digest=row.digest or "-")
        return row

    def request_subscription(
        self,
        email: str,
        filters: Filters,
        offsets: Sequence[Offset] | None = None,
        window_open: bool | None = None,
        *,
        client: str = "",
        digest: str = PER_DEADLINE,
    ) -> None:
        """Web path: record a pending request and queue a signed confirmation link (at most one per interval).

        Nothing here talks to SMTP: the mail is queued in the same transaction
        as the pending row and sent by the scheduler. The per-address interval
        starts when the mail is queued and is never reset, and ``client`` (the
        requester's address) and everyone together are limited per hour
        (:class:`~calendar_svc.reminders.outbox.RateLimited`).
        """
        address = subscribers.normalize_email(email)
        chosen = tuple(offsets or self.settings.offsets)
        wants_open = self.settings.window_open if window_open is None else window_open
        now = self.now()
        nonce = secrets.token_urlsafe(12)
        request = {
            "email": address,
            "filter": subscribers.filter_query(filters),
            "offsets": format_offsets(chosen),
            "window_open": wants_open,
            "digest": digest,
            "n": nonce,
        }
        mail = message.confirmation_message(
            email=address,
            confirm_url=self.url("/subscribe/confirm/" + self.tokens.confirm_token(request, now)),
            scope=message.describe_scope(filters),
            timing=message.describe_timing(format_offsets(chosen), digest),
            mail_from=self.settings.mail_from,
            now=now,
        )
        with Session(self.engine) as session, session.begin():
            last = subscribers.last_confirmation(session, address)
            if last is not None and now - last < CONFIRMATION_INTERVAL:
                log_event("confirmation-throttled", to=address, last=last)
                return
            outbox.check_rate(session, self.settings, client, now)
            row = subscribers.mark_pending(session, address, filters, digest, now)
            row.confirmation_sent_at = now
            row.confirm_nonce = nonce
            outbox.queue(session, mail, "confirmation", client, now)
        log_event("confirmation-queued", to=address, client=client or "-")
        self.on_queued()

    def send_queued(self) -> int:
        """Send the queued confirmation mails that are due; the scheduler calls this."""
        sent = outbox.send_queued(
            self.engine, self.settings, self.transport, self.dispatcher.envelope_from, self.worker_id, self.now(), self.dispatcher.stopping
        )
        return sent

    def expire_pending(self) -> int:
        """Forget requests nobody confirmed within the link's lifetime (and old finished mails)."""
        now = self.now()
        count = subscribers.expire_pending(self.engine, now - CONFIRM_MAX_AGE)
        outbox.purge(self.engine, now)
        if count:
            log_event("pending-expired", count=count)
        return count

    def confirm(self, token: str) -> Subscriber:
        """Apply the request the signed link carries, once; from now on that subscription's reminders go out.

        The row is found by the link's nonce, which only the newest request
        for it holds (a request made before version 3 of the schema sits on the
        address's one row, whatever its filter).
        """
        now = self.now()
        request = self.tokens.read_confirm(token, now)
        nonce = request.get("n")
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            row = session.scalar(select(Subscriber).where(Subscriber.email == request["email"], Subscriber.confirm_nonce == nonce)) if nonce else None
            if row is None:
                raise TokenError("this confirmation link was already used or replaced by a newer one", used=True)
            filters = subscribers.filter_from_query(request["filter"])
            digest = subscribers.check_digest(request.get("digest", ""))
            same = subscribers.find(session, row.email, filters, digest)
            if same is not None and same.id != row.id:  # a legacy pending row for a filter the address already has
                session.delete(row)
                row = same
            row.filter, row.digest = subscribers.filter_query(filters), digest
            row = subscribers.upsert(
                session,
                request["email"],
                filters=filters,
                offsets=subscribers.check_offsets(request["offsets"]),
                window_open=bool(request["window_open"]),
                status=CONFIRMED,
                now=now,
                digest=digest,
            )
            row.confirm_nonce = None
        log_event("confirmed", to=row.email, subscription=row.id, filter=row.filter)
        return row

    def unsubscribe(self, email: str) -> int:
        """End every subscription of ``email`` (or ``webhook:NAME``); returns how many were active."""
        address = subscribers.normalize_target(email, self.robot_names)
        with Session(self.engine) as session, session.begin():
            rows = list(session.scalars(select(Subscriber).where(Subscriber.email == address, Subscriber.status != UNSUBSCRIBED)))
            for row in rows:
                self._end(row)
        log_event("unsubscribed", to=address, subscriptions=len(rows))
        return len(rows)

    def unsubscribe_one(self, subscription: int) -> Subscriber | None:
        """End one subscription by its id; ``None`` when there is no such active subscription."""
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            row = session.get(Subscriber, subscription)
            if row is None or row.status == UNSUBSCRIBED:
                return None
            self._end(row)
        log_event("unsubscribed", to=row.email, subscription=row.id)
        return row

    def _end(self, row: Subscriber) -> None:
        row.status = UNSUBSCRIBED
        row.unsubscribed_at = self.now()
        row.confirm_nonce = None  # a confirm link still in a mailbox must not undo this

    def read_unsubscribe(self, token: str) -> Subscriber:
        """The subscription a current unsubscribe link ends; a link of an ended subscription is refused.

        A link from before an address could hold several subscriptions names
        none: it belongs to the address's first row, the one that was migrated.
        """
        email, generation, subscription = self.tokens.read_unsubscribe(token)
        with Session(self.engine, expire_on_commit=False) as session:
            if subscription is None:
                row = session.scalar(select(Subscriber).where(Subscriber.email == email).order_by(Subscriber.id).limit(1))
            else:
                row = session.get(Subscriber, subscription)
        if row is None or row.email != email:
            raise TokenError("this unsubscribe link belongs to a subscription that no longer exists", stale=True)
        if generation != row.generation:
            raise TokenError("this unsubscribe link belongs to an earlier subscription of this address", stale=True)
        return row

    def unsubscribe_token(self, token: str) -> Subscriber:
        """One-click unsubscribe from a signed link: that subscription ends, the address's others stay."""
        row = self.read_unsubscribe(token)
        return self.unsubscribe_one(row.id) or row

    def subscribers(self) -> list[Subscriber]:
        """Every subscription, an address's together, oldest first."""
        with Session(self.engine, expire_on_commit=False) as session:
            return list(session.scalars(select(Subscriber).order_by(Subscriber.email, Subscriber.id)))

    # -- sending -------------------------------------------------------------

    def stop(self) -> None:
        """A worker was told to stop: claim nothing more, cut a hanging SMTP exchange (it becomes a retry)."""
        self.dispatcher.stopping.set()
        self.transport.abort()

    def check(self, at: dt.datetime | None = None, *, dry_run: bool = False) -> RunReport:
        """Send everything due at ``at`` (default: now), including missed and retried reminders."""
        moment = at or self.now()
        if moment.tzinfo is None:
            raise InputError("--at", "the moment needs a timezone (or is read as Asia/Shanghai by the CLI)")
        deadlines = self._deadlines()
        with Session(self.engine) as session:
            people = self.recipients.read(session)
        report = self.dispatcher.run(deadlines, people, moment, dry_run=dry_run)
        if not dry_run and changes.queue_alerts(self.engine, deadlines, people, moment, self._compose_change):
            self.send_queued()  # 截止日期变更 mails go out with this check (``remind --at`` has no mailer tick)
        if report.outcomes or report.taken_elsewhere:
            log_event(
                "checked",
                at=moment,
                due=report.due,
                sent=report.count("sent"),
                retry=report.count("retry"),
                failed=report.count("failed"),
                cancelled=report.count("cancelled") + report.count("expired"),
                elsewhere=report.taken_elsewhere,
            )
        return report

    def _deadlines(self) -> Sequence[Deadline]:
        """The deadlines to act on; the same object while the file is unchanged, so ticks stay incremental."""
        snapshot = self.deadlines.snapshot()
        if not snapshot.usable:
            raise datafile.DataFileError(snapshot.error)
        return snapshot.occurrences  # a recurring deadline reminds for each occurrence (calendar_svc.recurrence)

    def status(self, limit: int = 10) -> Status:
        now = self.now()
        try:
            deadlines = list(recurrence.expanded(self.deadlines.load()))
        except CalendarSvcError:  # status still shows subscribers and failures; the error is its first line
            deadlines = []
        with Session(self.engine, expire_on_commit=False) as session:
            people = self.recipients.read(session)
            failures = list(
                session.scalars(
                    select(Delivery)
                    .where(Delivery.status.in_((FAILED, RETRY)))
                    .order_by(Delivery.updated.desc(), Delivery.id.desc())
                    .limit(limit)
                )
            )
            counts = dict(session.execute(select(Delivery.status, func.count()).group_by(Delivery.status)).all())
            states = dict(session.execute(select(Subscriber.status, func.count()).group_by(Subscriber.status)).all())
        done = self.dispatcher.known_keys(now)
        upcoming = schedule.upcoming(deadlines, people, self.dispatcher.hours, now, limit, done)
        for state in (CONFIRMED, PENDING, UNSUBSCRIBED, BOUNCED):
            states.setdefault(state, 0)
        for state in (SENDING, RETRY, FAILED):
            counts.setdefault(state, 0)
        alert = db.get_meta(self.engine, ALERT_KEY) or ""
        weekly = sum(1 for r in people if r.digest)
        return Status(
            upcoming=upcoming, failures=failures, counts=counts, subscribers=states, alert=alert, deadlines_error=self.deadlines.snapshot().error,
            next_digest=(digest.next_moment(now, self.dispatcher.hours), weekly) if weekly else None,
        )

    # -- links and messages --------------------------------------------------

    def url(self, path: str) -> str:
        return f"{self.settings.base_url}{path}"

    def unsubscribe_url(self, email: str, generation: int = 0, subscription: int | None = None) -> str:
        return self.url("/unsubscribe/" + self.tokens.unsubscribe_token(email, generation, subscription))

    def _compose(self, item: Reminder | Digest, now: dt.datetime, late: bool):  # noqa: ANN202 - EmailMessage
        query = subscribers.filter_query(item.recipient.filter)
        links = {
            "now": now,
            "late": late,
            "mail_from": self.settings.mail_from,
            "unsubscribe_url": self.unsubscribe_url(item.recipient.email, item.recipient.generation, item.recipient.id),
            "page_url": self.url("/" + (f"?{query}" if query else "")),
        }
        if isinstance(item, Digest):
            return message.digest_message(item, **links)
        return message.reminder_message(item, **links)


    def _compose_note(self, item: Reminder | Digest, now: dt.datetime, late: bool) -> Note:
        query = subscribers.filter_query(item.recipient.filter)
        page_url = self.url("/" + (f"?{query}" if query else ""))
        if isinstance(item, Digest):
            return message.digest_note(item, now=now, late=late, page_url=page_url)
        return message.reminder_note(item, now=now, late=late, page_url=page_url)

    def _compose_change(self, record: Deadline, person: schedule.Recipient, now: dt.datetime):  # noqa: ANN202 - EmailMessage
        query = subscribers.filter_query(person.filter)
        return changes.change_message(
            record,
            person,
            now=now,
            mail_from=self.settings.mail_from,
            unsubscribe_url=self.unsubscribe_url(person.email, person.generation),
            page_url=self.url("/" + (f"?{query}" if query else "")),
        )


def filters_from_options(
    issuer: Sequence[str], tag: Sequence[str], kind: Sequence[str], who: Sequence[str], deadlines: str = ""
) -> Filters:
    """CLI options → the page's filter (validated the same way)."""
    given = {"issuer": list(issuer), "tag": list(tag), "kind": list(kind), "who": list(who)}
    return subscribers.check_filter({**given, "deadlines": [deadlines]} if deadlines else given)


__all__ = ["Reminders", "Status", "filters_from_options", "system_clock"]
