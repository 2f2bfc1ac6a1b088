"""The reviewers' daily email: "待审核：N 条新截止日期" when watched sources queued records.

Once a day (Asia/Shanghai) from ``digest_hour`` on, if records the watcher
queued since the last digest still wait for a person, one email goes to
every reviewer account named by an email address and to the configured
``notify`` addresses. The day is inserted in ``source_digest`` before the
mail is handed over, so two workers or a restart never send it twice; a
mail server that refuses it frees the day for the next try.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Collection, Iterable
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid, parseaddr

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..model import SHANGHAI
from ..channels.email import one_line
from ..channels.email import Transport
from ..channels.errors import PermanentError, TransientError
from .tables import DigestSent, QueuedRecord

log = logging.getLogger("calendar_svc.sources")

_EMAIL = re.compile(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+")
#: Lines listed in one digest; the rest are counted.
MAX_LINES = 50
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def recipients(engine: Engine, notify: Iterable[str]) -> list[str]:
    """Reviewer accounts' addresses (``reviewer add NAME --email``, or a name that is one) and ``notify``, each once."""
    from ..review.accounts import Accounts

    accounts = Accounts(engine, now=lambda: dt.datetime.now(dt.UTC)).addresses()
    return sorted({a.strip().lower() for a in [*accounts, *notify] if _EMAIL.fullmatch(a.strip())})


def send_digest(
    engine: Engine,
    *,
    transport: Transport,
    mail_from: str,
    review_url: str,
    notify: Iterable[str],
    hour: int,
    now: dt.datetime,
    pending: Callable[[], Collection[str]] | None = None,
) -> int | None:
    """Send today's digest if it is due; returns how many records it named (0: nothing to send, None: not due or sent).

    ``pending`` gives the ids still waiting for review (read only when there is something to count).
    """
    local = now.astimezone(SHANGHAI)
    if local.hour < hour:
        return None
    day = local.date().isoformat()
    with Session(engine) as session:
        if session.get(DigestSent, day) is not None:
            return None
        since = session.scalar(select(func.max(DigestSent.counted_until))) or _EPOCH
        rows = list(session.scalars(select(QueuedRecord).where(QueuedRecord.queued_at > since, QueuedRecord.queued_at <= now)
                                    .order_by(QueuedRecord.source, QueuedRecord.queued_at)))
    if rows and pending is not None:
        waiting = pending()
        rows = [row for row in rows if row.record_id in waiting]  # a person already looked at the others
    if not rows:
        return 0
    to = recipients(engine, notify)
    if not to:
        log.warning("event=digest-no-recipients count=%d hint=add a reviewer named by an email address or set [sources] notify", len(rows))
        return 0
    try:
        with Session(engine) as session, session.begin():
            session.add(DigestSent(day=day, sent_at=now, counted_until=now, count=len(rows), recipients=",".join(to)))
    except IntegrityError:
        return None  # another worker is sending it
    delivered = 0
    with transport.session() as sender:
        for address in to:
            try:
                sender.send(digest_message(rows, to=address, mail_from=mail_from, review_url=review_url, now=now),
                            parseaddr(mail_from)[1] or mail_from, address)
                delivered += 1
            except (TransientError, PermanentError, OSError) as exc:
                log.error("event=digest-failed to=%s error=%s", address, exc)
    if not delivered:
        with Session(engine) as session, session.begin():
            session.execute(delete(DigestSent).where(DigestSent.day == day))
        return None
    log.info("event=digest-sent count=%d to=%s", len(rows), ",".join(to))
    return len(rows)


def digest_message(rows: list[QueuedRecord], *, to: str, mail_from: str, review_url: str, now: dt.datetime) -> EmailMessage:
    """Plain UTF-8 text: the count in the subject, then the records by source, then the review page's address."""
    lines = [f"监视的通知来源找到了 {len(rows)} 条新截止日期，等待审核（审核前不会发布）：", ""]
    current = None
    for row in rows[:MAX_LINES]:
        if row.source != current:
            current = row.source
            lines.append(f"【{one_line(row.source)}】")
        lines.append(f"· {one_line(row.title)}")
        if row.url:
            lines.append(f"  {one_line(row.url)}")
    if len(rows) > MAX_LINES:
        lines.append(f"……另有 {len(rows) - MAX_LINES} 条")
    lines += ["", f"请到审核页面处理：{review_url}"]
    message = EmailMessage(policy=SMTP)
    message["Subject"] = f"待审核：{len(rows)} 条新截止日期"
    message["From"] = one_line(mail_from)
    message["To"] = one_line(to)
    message["Date"] = format_datetime(now.astimezone(SHANGHAI))
    message["Message-ID"] = make_msgid(domain=(parseaddr(mail_from)[1].rpartition("@")[2] or "localhost"))
    message["Auto-Submitted"] = "auto-generated"
    message.set_content("\n".join(lines) + "\n", charset="utf-8")
    return message
