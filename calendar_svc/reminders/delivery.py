"""Sending due reminders exactly once: claim in the delivery log, then send, then record.

The claim is an INSERT under the log's unique key, committed before any SMTP
traffic: a second worker (or a second ``remind --at``) fails on the constraint
and moves on. A retry or a crashed worker's stale claim is taken over with a
conditional UPDATE that only one worker can win.

After an outage several offsets of one deadline fall due for a subscription
at once (7 days, 1 day, 2 hours before). They go out as one message: the
latest is claimed and sent, the others are claimed in the same transaction
as ``merged`` into it, so each key is still in the log exactly once.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from email.utils import parseaddr

from sqlalchemy import Engine, and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..config import Settings
from ..model import Deadline, zh_when
from .. import db
from . import digest, schedule
from .digest import Digest
from .models import (
    BOUNCED, CANCELLED, CONFIRMED, EMPTY, EXPIRED, FAILED, MERGED, RETRY, SENDING, SENT, WEBHOOK_PREFIX, Delivery, Subscriber,
)
from ..offsets import WINDOW_OPEN, parse_offset
from .hours import SendingHours
from .schedule import Recipient, Reminder
from ..channels import Note, Robot
from ..channels.email import PermanentError, Sender, TransientError, Transport

log = logging.getLogger("calendar_svc.reminders")

#: Meta key of the operator alert ``status`` shows (empty when all is well).
ALERT_KEY = "smtp_alert"

#: How long the known-keys cache grows before it is read afresh without passed deadlines.
_CACHE_LIFE = dt.timedelta(days=1)

#: What one delivery row sends: a reminder (possibly with merged offsets) or a weekly digest.
Item = Reminder | Digest

#: Builds the email for an item sent at a moment, late or not.
Compose = Callable[[Item, dt.datetime, bool], EmailMessage]
#: Builds the group-robot message for an item sent at a moment, late or not.
ComposeNote = Callable[[Item, dt.datetime, bool], Note]


def log_event(event: str, level: int = logging.INFO, **fields: object) -> None:
    """One line per event, ``event=sent deadline=… to=…``: easy to grep and to parse."""
    text = " ".join(f"{key}={_quote(value)}" for key, value in fields.items())
    log.log(level, "event=%s %s", event, text)


def _quote(value: object) -> str:
    text = value.isoformat() if isinstance(value, dt.datetime) else str(value)
    return f'"{text}"' if (" " in text or not text) else text


@dataclass
class Outcome:
    """What happened to one reminder in a run (or would happen, in a dry run)."""

    status: str
    email: str
    deadline_id: str
    summary: str
    offset: str
    remind_at: dt.datetime
    late: bool = False
    error: str = ""


@dataclass
class RunReport:
    """The result of one due-check: every reminder touched and its fate."""

    at: dt.datetime
    outcomes: list[Outcome] = field(default_factory=list)
    taken_elsewhere: int = 0
    due: int = 0

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


class Dispatcher:
    """One worker's view of the delivery log."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        transport: Transport,
        compose: Compose,
        worker_id: str,
        *,
        robots: dict[str, Robot] | None = None,
        compose_note: ComposeNote | None = None,
    ) -> None:
        self.engine = engine
        #: The group robots by name; a subscription ``webhook:NAME`` goes to ``robots[NAME]``.
        self.robots = robots or {}
        self.compose_note = compose_note
        self._robot_failures: dict[str, int] = {}
        self.settings = settings
        self.hours = SendingHours.from_settings(settings)
        self.transport = transport
        self.compose = compose
        self.worker_id = worker_id
        self.envelope_from = parseaddr(settings.mail_from)[1] or settings.mail_from
        self._known: set[tuple] = set()
        self._refused: list[_Refusal] = []
        self._through: tuple[Sequence[Deadline], list[Recipient], dt.datetime] | None = None
        self._timeline: tuple[Sequence[Deadline], list[Recipient], schedule.Timeline] | None = None
        self._alerted = db.get_meta(engine, ALERT_KEY) not in (None, "")
        #: Set by a worker told to stop: no new claims, the current message finishes or is cut.
        self.stopping = threading.Event()
        self._watermark = 0
        self._cache_floor: dt.datetime | None = None

    def run(
        self, deadlines: Sequence[Deadline], recipients: list[Recipient], now: dt.datetime, *, dry_run: bool = False
    ) -> RunReport:
        """Send what is due at ``now`` and what is waiting for a retry; ``dry_run`` only lists it."""
        report = RunReport(at=now)
        known = self.known_keys(now)
        fresh = self._fresh(deadlines, recipients, now, known, dry_run)
        digests = digest.due(deadlines, recipients, self.hours, now, known)
        report.due = len(fresh) + len(digests)
        if dry_run:
            for group in collapse(fresh):
                late = any(self._late(r, now) for r in group)
                report.outcomes.append(self._outcome("due", group[0], late))
                report.outcomes += [self._outcome(MERGED, r, late) for r in group[1:]]
            for weekly in digests:
                report.outcomes.append(self._outcome(EMPTY if weekly.empty else "due", weekly, self._late(weekly, now)))
            report.outcomes += [
                Outcome("retry-due", row.email, row.deadline_id, row.summary, row.offset, row.remind_at, row.late, row.last_error)
                for row in self._waiting(now)
            ]
            return report
        self._refused = []
        self._robot_failures = {}
        with self.transport.session() as sender:
            for group in collapse(fresh):
                if self.stopping.is_set():  # unclaimed ones stay due: the next worker sends them
                    break
                late = any(self._late(r, now) for r in group)
                claimed = self._claim(group, now, late)
                known.update(r.key for r in group)  # ours, or another worker's: each is in the log now
                members = claimed[1] if claimed else []
                report.taken_elsewhere += len(group) - len(members)
                for r in group:
                    if r not in members:
                        log_event("skipped", reason="claimed-by-another-worker", **_fields(r))
                if claimed is None:
                    continue
                row_id, (lead, *merged) = claimed
                reminder = replace(lead, merged=tuple(m.offset for m in merged))
                report.outcomes.append(self._deliver(sender, row_id, reminder, now, late, attempts=0))
                for m in merged:
                    log_event("merged", into=lead.offset, **_fields(m))
                    report.outcomes.append(self._outcome(MERGED, m, late))
            for weekly in digests:
                if self.stopping.is_set():
                    break
                report.outcomes += self._send_digest(sender, weekly, now, report)
            self._retry(sender, deadlines, recipients, now, report)
        self._settle_refusals(now, report)
        if not self.stopping.is_set():  # every reminder due by now is in the log: the next tick starts here
            self._through = (deadlines, recipients, now)
        return report

    def _fresh(self, deadlines: Sequence[Deadline], recipients: list[Recipient], now: dt.datetime, known: set[tuple], dry_run: bool) -> list[Reminder]:
        """New reminders due at ``now``: only those since the previous tick when nothing else changed.

        The previous tick (of this worker, completed, not a dry run) left every
        reminder due by its moment in the log, so with the same deadlines and
        subscribers only the moments since then can be new. Anything else (a
        changed file or subscription, a first tick, a moment before the last,
        a dry run) is computed in full.
        """
        through = self._through
        if not dry_run and through is not None and through[0] is deadlines and through[1] is recipients and through[2] <= now:
            if self._timeline is None or self._timeline[0] is not deadlines or self._timeline[1] is not recipients:
                self._timeline = (deadlines, recipients, schedule.Timeline(deadlines, recipients, self.hours))
            return self._timeline[2].due(through[2], now, known)
        return schedule.due(deadlines, recipients, self.hours, now, known)

    # -- refused addresses: a bad address, or a misconfigured server? --------

    def _settle_refusals(self, now: dt.datetime, report: RunReport) -> None:
        """Bounce refused addresses, unless the refusals say the server (or our account on it) is the problem.

        A relay that answers ``554 5.7.1 Relay access denied`` to every RCPT
        would otherwise bounce every subscriber in one check. When two or more
        addresses were refused with the same answer and nothing was accepted,
        or the answer is a policy one (5.7.x, "relay"), the refusals stay
        retries, the operator is alerted (log and ``status``), and nobody is bounced.
        """
        refused, self._refused = self._refused, []
        if not refused:
            if report.count(SENT):
                self._set_alert("")
            return
        answers = {r.error for r in refused}
        people = {r.subscriber_id for r in refused}
        same_for_all = len(answers) == 1 and len(people) >= 2 and not report.count(SENT)
        if same_for_all or all(_policy_refusal(r.error) for r in refused):
            error = sorted(answers)[0]
            log_event("smtp-server-problem", logging.ERROR, refused=len(refused), addresses=len(people), error=error,
                      action="retrying; nobody bounced; check the SMTP settings (relay, login, sender)")
            self._set_alert(f"{zh_when(now, weekday=False)}：SMTP 服务器以同样的理由拒收了 {len(people)} 个地址（{error}）；没有记为退信，会重试")
            return
        for r in refused:
            with Session(self.engine) as session, session.begin():
                session.execute(
                    update(Delivery)
                    .where(Delivery.id == r.row_id, Delivery.status == RETRY)
                    .values(status=FAILED, next_attempt_at=None, updated=now)
                )
            r.outcome.status = FAILED
            self._bounce(r.subscriber_id, now, r.error)
            log_event("failed", logging.ERROR, error=r.error, to=r.outcome.email, deadline=r.outcome.deadline_id)
        if report.count(SENT):
            self._set_alert("")

    def _set_alert(self, text: str) -> None:
        if text or self._alerted:
            db.set_meta(self.engine, ALERT_KEY, text)
            self._alerted = bool(text)

    # -- claim ---------------------------------------------------------------

    def known_keys(self, now: dt.datetime) -> set[tuple]:
        """Keys already in the log, for deadlines not yet passed: a cache refreshed by row id.

        The first call reads the keys of deadlines still ahead; later calls
        only the rows added since (a daily full read drops the keys of passed
        deadlines). A key another worker committed out of order is merely
        missing here: its INSERT then fails on the constraint, which is the
        real guarantee, and the key joins the cache.
        """
        if self._cache_floor is None or not self._cache_floor <= now < self._cache_floor + _CACHE_LIFE:
            self._known, self._watermark, self._cache_floor = set(), 0, now
            condition = Delivery.deadline_due > now
        else:
            condition = Delivery.id > self._watermark
        with self.engine.connect() as connection:  # plain rows, no ORM session
            rows = connection.execute(
                select(Delivery.id, Delivery.deadline_id, Delivery.offset, Delivery.subscriber_id, Delivery.deadline_due)
                .where(condition)
            )
            for row_id, *key in rows:
                self._known.add(tuple(key))
                self._watermark = max(self._watermark, row_id)
        return self._known

    def _claim(self, group: Sequence[Item], now: dt.datetime, late: bool, status: str = SENDING) -> tuple[int, list[Item]] | None:
        """INSERT the keys of ``group`` (latest first) in one transaction: the first to send, the rest merged into it.

        Returns the sending row's id and the reminders claimed, or ``None`` when
        another worker (or an earlier run) holds them all. When it holds only
        some, the rest are claimed again without them, so none is left unlogged.
        """
        members = list(group)
        while members:
            try:
                with Session(self.engine) as session, session.begin():
                    lead = self._row(members[0], now, late, status)
                    session.add(lead)
                    session.flush()
                    for other in members[1:]:
                        session.add(self._row(other, now, late, MERGED, merged_into=lead.id))
                    session.flush()
                    return lead.id, members
            except IntegrityError:
                logged = self._logged(members[0])
                members = [m for m in members if m.key not in logged]
        return None

    def _send_digest(self, sender: Sender, weekly: Digest, now: dt.datetime, report: RunReport) -> list[Outcome]:
        """Claim the week's digest of one subscription; send it, or log it ``empty`` when nothing is due."""
        late = self._late(weekly, now)
        claimed = self._claim([weekly], now, late, EMPTY if weekly.empty else SENDING)
        self._known.add(weekly.key)
        if claimed is None:
            report.taken_elsewhere += 1
            log_event("skipped", reason="claimed-by-another-worker", **_fields(weekly))
            return []
        if weekly.empty:
            log_event("empty", **_fields(weekly))
            return [self._outcome(EMPTY, weekly, late)]
        return [self._deliver(sender, claimed[0], weekly, now, late, attempts=0)]

    def _row(self, item: Item, now: dt.datetime, late: bool, status: str, merged_into: int | None = None) -> Delivery:
        deadline_id, offset, subscriber_id, due = item.key
        return Delivery(
            deadline_id=deadline_id,
            offset=offset,
            subscriber_id=subscriber_id,
            deadline_due=due,
            remind_at=item.remind_at,
            status=status,
            attempts=0,
            claimed_by=self.worker_id,
            claimed_at=now,
            late=late,
            email=item.recipient.email,
            summary=item.summary,
            updated=now,
            merged_into=merged_into,
        )

    def _logged(self, item: Item) -> set[tuple]:
        """The keys already in the log for this item's deadline (or week), subscription and due moment."""
        deadline_id, _, subscriber_id, due = item.key
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(Delivery.deadline_id, Delivery.offset, Delivery.subscriber_id, Delivery.deadline_due).where(
                    Delivery.deadline_id == deadline_id, Delivery.subscriber_id == subscriber_id, Delivery.deadline_due == due
                )
            )
            return {tuple(row) for row in rows}

    # -- send ----------------------------------------------------------------

    def _deliver(self, sender: Sender, row_id: int, reminder: Item, now: dt.datetime, late: bool, attempts: int) -> Outcome:
        attempts += 1
        error = ""
        refusal: _Refusal | None = None
        try:
            self._transmit(sender, reminder, now, late)
        except PermanentError as exc:
            status, error, next_at = FAILED, str(exc), None
            if exc.address:  # decided at the end of the check (see _settle_refusals); a retry until then
                status, error, next_at = self._after_failure(attempts, now, str(exc))
                refusal = _Refusal(row_id, reminder.recipient.id, str(exc)) if status == RETRY else None
        except TransientError as exc:
            status, error, next_at = self._after_failure(attempts, now, str(exc))
        except Exception as exc:  # a bug must not lose the reminder nor loop forever: bounded retries
            log.exception("unexpected error while sending")
            status, error, next_at = self._after_failure(attempts, now, f"{type(exc).__name__}: {exc}")
        else:
            status, next_at = SENT, None
        values = {"status": status, "attempts": attempts, "updated": now, "next_attempt_at": next_at, "last_error": error, "late": late}
        if status == SENT:
            values["sent_at"] = now
        with Session(self.engine) as session, session.begin():
            session.execute(
                update(Delivery)
                .where(Delivery.id == row_id, Delivery.claimed_by == self.worker_id, Delivery.status == SENDING)
                .values(**values)
            )
        fields = _fields(reminder)
        if status == SENT:
            log_event("sent", late=late, attempt=attempts, **fields)
        elif status == RETRY:
            log_event("retry", logging.WARNING, attempt=attempts, next=next_at, error=error, **fields)
        else:
            log_event("failed", logging.ERROR, attempt=attempts, error=error, **fields)
        outcome = self._outcome(status, reminder, late, error)
        if refusal is not None:
            refusal.outcome = outcome
            self._refused.append(refusal)
        return outcome

    def _transmit(self, sender: Sender, item: Item, now: dt.datetime, late: bool) -> None:
        """Hand ``item`` to its channel: the email transport, or the group robot its subscription names."""
        target = item.recipient.email
        if not target.startswith(WEBHOOK_PREFIX):
            sender.send(self.compose(item, now, late), self.envelope_from, target)
            return
        name = target[len(WEBHOOK_PREFIX) :]
        robot = self.robots.get(name)
        if robot is None or self.compose_note is None:
            raise PermanentError(f"calendar-svc.toml 里没有名为 {name!r} 的 [[webhook]]（已删除？）；请退订 {target} 或重新配置它")
        failures = self._robot_failures.get(name, 0)
        if failures >= self.settings.smtp_breaker:  # the robot's server is down or hanging: the rest become retries at once
            raise TransientError(f"{robot.settings} 已连续失败 {failures} 次，本次检查不再尝试")
        try:
            robot.send(self.compose_note(item, now, late), now)
        except TransientError:
            self._robot_failures[name] = failures + 1
            raise
        self._robot_failures[name] = 0

    def _bounce(self, subscriber_id: int, now: dt.datetime, error: str) -> None:
        """Stop sending to an address the server refused for good; ``status`` and ``subscribers`` show it."""
        with Session(self.engine) as session, session.begin():
            session.execute(
                update(Subscriber).where(Subscriber.id == subscriber_id, Subscriber.status == CONFIRMED).values(status=BOUNCED)
            )
        log_event("bounced", logging.ERROR, subscriber=subscriber_id, error=error)

    def _after_failure(self, attempts: int, now: dt.datetime, error: str) -> tuple[str, str, dt.datetime | None]:
        if attempts >= self.settings.max_attempts:
            return FAILED, f"gave up after {attempts} attempts: {error}", None
        delay = min(self.settings.retry_max, self.settings.retry_base * 2 ** (attempts - 1))
        return RETRY, error, now + delay

    # -- retries and stale claims --------------------------------------------

    def _retry(
        self, sender: Sender, deadlines: Sequence[Deadline], recipients: list[Recipient], now: dt.datetime, report: RunReport
    ) -> None:
        by_id = {d.id: d for d in deadlines}
        people = {r.id: r for r in recipients}
        for row in self._waiting(now):
            if self.stopping.is_set():
                break
            if not self._take_over(row, now):
                report.taken_elsewhere += 1
                continue
            if digest.is_digest_id(row.deadline_id):
                reminder, reason = self._digest_still_wanted(row, deadlines, people, now)
            else:
                reminder, reason = self._still_wanted(row, by_id, people, now)
            if reminder is None:
                final = EXPIRED if reason == "deadline-passed" else CANCELLED
                self._finish(row.id, final, reason, now)
                log_event(final, reason=reason, deadline=row.deadline_id, to=row.email, offset=row.offset)
                report.outcomes.append(
                    Outcome(final, row.email, row.deadline_id, row.summary, row.offset, row.remind_at, row.late, reason)
                )
                continue
            late = row.late or self._late(reminder, now)
            if isinstance(reminder, Reminder):
                reminder = replace(reminder, merged=self._merged_into(row.id))
            report.outcomes.append(self._deliver(sender, row.id, reminder, now, late, attempts=row.attempts))

    def _merged_into(self, row_id: int) -> tuple[str, ...]:
        """The offsets merged into a delivery (its message names them again when it is retried)."""
        with self.engine.connect() as connection:
            return tuple(connection.scalars(select(Delivery.offset).where(Delivery.merged_into == row_id).order_by(Delivery.id)))

    def _waiting(self, now: dt.datetime) -> list[Delivery]:
        """Retries whose time has come, and claims whose worker went silent for longer than the lease."""
        stale = now - self.settings.claim_lease
        with Session(self.engine) as session:
            return list(
                session.scalars(
                    select(Delivery)
                    .where(
                        or_(
                            and_(Delivery.status == RETRY, Delivery.next_attempt_at <= now),
                            and_(Delivery.status == SENDING, Delivery.claimed_at < stale),
                        )
                    )
                    .order_by(Delivery.remind_at, Delivery.id)
                )
            )

    def _take_over(self, row: Delivery, now: dt.datetime) -> bool:
        """Only one worker's UPDATE matches the row as it was read."""
        with Session(self.engine) as session, session.begin():
            result = session.execute(
                update(Delivery)
                .where(
                    Delivery.id == row.id,
                    Delivery.status == row.status,
                    Delivery.claimed_by == row.claimed_by,
                    Delivery.claimed_at == row.claimed_at,
                )
                .values(status=SENDING, claimed_by=self.worker_id, claimed_at=now, updated=now)
            )
            return result.rowcount == 1

    def _still_wanted(
        self, row: Delivery, deadlines: dict[str, Deadline], people: dict[int, Recipient], now: dt.datetime
    ) -> tuple[Reminder | None, str]:
        """A retry goes out only if the deadline, its time and the subscription are as when it was claimed."""
        deadline = deadlines.get(row.deadline_id)
        recipient = people.get(row.subscriber_id)
        if recipient is None:
            return None, "unsubscribed"
        if deadline is None or not schedule.eligible(deadline):
            return None, "deadline-hidden-or-gone"
        if schedule.utc(deadline.due) != row.deadline_due:
            return None, "deadline-moved"
        if now >= deadline.due:
            return None, "deadline-passed"
        if not recipient.filter.matches(deadline):
            return None, "filter-changed"
        wanted = {o.label for o in recipient.offsets} | ({WINDOW_OPEN} if recipient.window_open else set())
        if row.offset not in wanted:
            return None, "offset-removed"
        return Reminder(deadline, recipient, row.offset, row.remind_at), ""

    def _digest_still_wanted(
        self, row: Delivery, deadlines: Sequence[Deadline], people: dict[int, Recipient], now: dt.datetime
    ) -> tuple[Digest | None, str]:
        """A digest is retried with what is due now, while its week lasts and its subscription stands."""
        recipient = people.get(row.subscriber_id)
        if recipient is None or not recipient.digest:
            return None, "unsubscribed"
        weekly = digest.rebuild(row.deadline_id, recipient, deadlines, self.hours, now)
        return (weekly, "") if weekly is not None else (None, "deadline-passed")

    def _finish(self, row_id: int, status: str, reason: str, now: dt.datetime) -> None:
        with Session(self.engine) as session, session.begin():
            session.execute(
                update(Delivery)
                .where(Delivery.id == row_id, Delivery.claimed_by == self.worker_id)
                .values(status=status, last_error=reason, updated=now, next_attempt_at=None)
            )

    # -- helpers -------------------------------------------------------------

    def _late(self, reminder: Item, now: dt.datetime) -> bool:
        return now - reminder.remind_at > self.settings.late_after

    @staticmethod
    def _outcome(status: str, reminder: Item, late: bool, error: str = "") -> Outcome:
        return Outcome(
            status=status,
            email=reminder.recipient.email,
            deadline_id=reminder.deadline_id,
            summary=reminder.summary,
            offset=reminder.offset,
            remind_at=reminder.remind_at,
            late=late,
            error=error,
        )


def collapse(reminders: Sequence[Reminder]) -> list[list[Reminder]]:
    """Due reminders grouped per deadline, subscription and due moment, the latest (the most urgent) first.

    Normally each group holds one reminder. After an outage it holds every
    offset missed meanwhile: they become one message instead of several
    identical 补发 mails.
    """
    groups: dict[tuple, list[Reminder]] = {}
    for r in reminders:
        groups.setdefault((r.deadline.id, r.recipient.id, r.due), []).append(r)
    return [sorted(g, key=_urgency) if len(g) > 1 else g for g in groups.values()]


def _urgency(reminder: Reminder) -> tuple[float, dt.timedelta]:
    """Later moments first; at the same moment the shorter offset (a window's opening counts as the longest)."""
    return (-reminder.remind_at.timestamp(), _length(reminder.offset))


@functools.lru_cache(maxsize=256)
def _length(label: str) -> dt.timedelta:
    return dt.timedelta.max if label == WINDOW_OPEN else parse_offset(label).delta


@dataclass
class _Refusal:
    """An address the server refused during this check, and the outcome to correct once it is judged."""

    row_id: int
    subscriber_id: int
    error: str
    outcome: Outcome | None = None


def _policy_refusal(error: str) -> bool:
    """``554 5.7.1 Relay access denied``: the server's policy towards us, not a bad mailbox."""
    return bool(re.match(r"^5\d\d 5\.7\.\d", error)) or "relay" in error.lower()


def _fields(reminder: Item) -> dict[str, object]:
    return {
        "deadline": reminder.deadline_id,
        "to": reminder.recipient.email,
        "offset": reminder.offset,
        "remind_at": reminder.remind_at,
    }
