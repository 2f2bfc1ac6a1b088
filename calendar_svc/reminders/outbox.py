"""Mail the web app queues (confirmations), sent by the scheduler, never in a request thread.

A request that talked to SMTP itself would hold one of the server's threads
for as long as the SMTP server hangs: ten such requests and the page, the
feed and ``/healthz`` all wait. So ``/subscribe`` only writes a row here and
answers; the scheduler (in ``serve`` at once, in ``worker`` at its next
check) claims each row with a conditional UPDATE, as the delivery log does,
and sends it once. The rows also carry the rate limits: how many mails one
client, and everyone together, had queued in the last hour.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from email import message_from_string, policy
from email.message import EmailMessage

from sqlalchemy import Engine, and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from ..config import Settings
from ..errors import CalendarSvcError
from .delivery import log_event
from .models import FAILED, QUEUED, SENDING, SENT, Outgoing
from ..channels.email import PermanentError, TransientError, Transport

#: Sent and failed rows are kept this long for ``status``, then deleted (they hold confirm links).
KEEP = dt.timedelta(days=7)
_WINDOW = dt.timedelta(hours=1)


class RateLimited(CalendarSvcError):
    """Too many confirmation mails from one client, or from everyone, in the last hour."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def check_rate(session: Session, settings: Settings, client: str, now: dt.datetime) -> None:
    """Refuse a new mail when ``client`` or everyone has queued the hourly maximum."""
    since = now - _WINDOW
    recent = select(func.count()).select_from(Outgoing).where(Outgoing.created > since, Outgoing.kind == "confirmation")
    if session.scalar(recent) >= settings.confirmations_per_hour:
        raise RateLimited("too many subscription requests right now; try again in an hour", 3600)
    if client and session.scalar(recent.where(Outgoing.client == client)) >= settings.confirmations_per_client:
        raise RateLimited(f"too many subscription requests from {client}; try again in an hour", 3600)


def queue(session: Session, mail: EmailMessage, kind: str, client: str, now: dt.datetime) -> None:
    """Add ``mail`` to the queue in the caller's transaction (with the pending subscriber row)."""
    session.add(
        Outgoing(
            email=str(mail["To"]),
            kind=kind,
            message=mail.as_string(),
            client=client[:64],
            status=QUEUED,
            attempts=0,
            next_attempt_at=now,
            created=now,
        )
    )


def send_queued(
    engine: Engine,
    settings: Settings,
    transport: Transport,
    envelope_from: str,
    worker_id: str,
    now: dt.datetime,
    stopping: threading.Event | None = None,
) -> int:
    """Send every queued mail that is due (over one connection); returns how many went out."""
    stale = now - settings.claim_lease
    with Session(engine) as session:
        rows = list(
            session.execute(
                select(Outgoing.id, Outgoing.status, Outgoing.claimed_by, Outgoing.claimed_at)
                .where(
                    or_(
                        and_(Outgoing.status == QUEUED, Outgoing.next_attempt_at <= now),
                        and_(Outgoing.status == SENDING, Outgoing.claimed_at < stale),
                    )
                )
                .order_by(Outgoing.id)
            )
        )
    if not rows:
        return 0
    sent = 0
    with transport.session() as sender:
        for row_id, status, claimed_by, claimed_at in rows:
            if stopping is not None and stopping.is_set():
                break
            row = _claim(engine, row_id, status, claimed_by, claimed_at, worker_id, now)
            if row is None:
                continue
            mail = message_from_string(row.message, policy=policy.SMTP)
            try:
                sender.send(mail, envelope_from, row.email)  # type: ignore[arg-type]
            except PermanentError as exc:
                _finish(engine, row.id, worker_id, now, status=FAILED, error=str(exc), attempts=row.attempts + 1)
                log_event(f"{row.kind}-failed", logging.ERROR, to=row.email, error=exc)
            except (TransientError, OSError) as exc:
                attempts = row.attempts + 1
                if attempts >= settings.max_attempts:
                    _finish(engine, row.id, worker_id, now, status=FAILED, error=f"gave up after {attempts} attempts: {exc}", attempts=attempts)
                    log_event(f"{row.kind}-failed", logging.ERROR, to=row.email, error=exc)
                else:
                    delay = min(settings.retry_max, settings.retry_base * 2 ** (attempts - 1))
                    _finish(engine, row.id, worker_id, now, status=QUEUED, error=str(exc), attempts=attempts, next_at=now + delay)
                    log_event(f"{row.kind}-retry", logging.WARNING, to=row.email, error=exc, next=now + delay)
            else:
                _finish(engine, row.id, worker_id, now, status=SENT, error="", attempts=row.attempts + 1)
                log_event(f"{row.kind}-sent", to=row.email)
                sent += 1
    return sent


def purge(engine: Engine, now: dt.datetime) -> int:
    """Delete finished rows older than :data:`KEEP`; returns how many."""
    with Session(engine) as session, session.begin():
        result = session.execute(delete(Outgoing).where(Outgoing.status.in_((SENT, FAILED)), Outgoing.created < now - KEEP))
        return result.rowcount or 0


def _claim(engine: Engine, row_id: int, status: str, claimed_by: str, claimed_at, worker_id: str, now: dt.datetime):  # noqa: ANN001, ANN202
    """Only one worker's UPDATE matches the row as it was read; the winner gets the row."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        result = session.execute(
            update(Outgoing)
            .where(Outgoing.id == row_id, Outgoing.status == status, Outgoing.claimed_by == claimed_by)
            .where(Outgoing.claimed_at.is_(None) if claimed_at is None else Outgoing.claimed_at == claimed_at)
            .values(status=SENDING, claimed_by=worker_id, claimed_at=now)
        )
        if result.rowcount != 1:
            return None
        return session.get(Outgoing, row_id)


def _finish(
    engine: Engine, row_id: int, worker_id: str, now: dt.datetime, *, status: str, error: str, attempts: int, next_at: dt.datetime | None = None
) -> None:
    values = {"status": status, "last_error": error, "attempts": attempts}
    if status == SENT:
        values["sent_at"] = now
    if next_at is not None:
        values["next_attempt_at"] = next_at
    with Session(engine) as session, session.begin():
        session.execute(update(Outgoing).where(Outgoing.id == row_id, Outgoing.claimed_by == worker_id).values(**values))
