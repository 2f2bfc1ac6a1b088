"""Subscribers and the delivery log as SQLAlchemy tables.

The delivery log is the exactly-once guarantee: its unique key (deadline,
offset, subscriber, deadline's due moment) is inserted *before* a reminder is
sent, so a second worker, a restart or a repeated ``remind --at`` fails on
the constraint instead of sending again. The due moment is in the key so a
moved deadline is a new reminder while an unchanged one never is.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UtcDateTime

#: Subscriber states: only ``confirmed`` addresses ever get a reminder; ``bounced`` is an
#: address the mail server refused permanently (the operator re-subscribes it once fixed).
PENDING, CONFIRMED, UNSUBSCRIBED, BOUNCED = "pending", "confirmed", "unsubscribed", "bounced"

#: Delivery states. ``sending`` is a live claim; the last five are final. ``merged``: missed
#: together with a later reminder of the same deadline (an outage), it went out in that one's message.
SENDING, RETRY, SENT, FAILED, CANCELLED, EXPIRED = "sending", "retry", "sent", "failed", "cancelled", "expired"
MERGED = "merged"
#: A weekly digest with nothing due this week or next: logged, not sent.
EMPTY = "empty"

#: A subscription's kind of mail: one per deadline and offset (""), or one digest each Monday.
PER_DEADLINE, WEEKLY = "", "weekly"
#: How a group robot appears where an email address would: ``webhook:科研处群`` (the name in calendar-svc.toml).
WEBHOOK_PREFIX = "webhook:"


class Subscriber(Base):
    """One subscription: an address (or ``webhook:NAME``), its filter, offsets and kind of mail.

    An address may hold several (one per filter and kind): "all of 工业和信息化部,
    7 days before" and "everything, as a Monday digest" side by side. ``since``
    is when the subscription took effect.
    """

    __tablename__ = "subscriber"
    __table_args__ = (UniqueConstraint("email", "filter", "digest", name="subscription_once"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    #: The page's filter as a query string (``issuer=…&kind=deadline``), parsed by :mod:`calendar_svc.feed`.
    filter: Mapped[str] = mapped_column(Text, default="")
    offsets: Mapped[str] = mapped_column(String(200))
    window_open: Mapped[bool] = mapped_column(Boolean, default=False)
    created: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    since: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    unsubscribed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: When the last confirmation email was queued: a form cannot be used to flood an address.
    confirmation_sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: The one confirm link that still works (its nonce); cleared once used, so a link confirms once.
    confirm_nonce: Mapped[str | None] = mapped_column(String(32), nullable=True)
    #: Counts confirmed subscriptions of this address; unsubscribe links carry it and end only their own.
    generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: ``weekly``: one digest each Monday morning instead of a mail per deadline and offset.
    digest: Mapped[str] = mapped_column(String(16), default=PER_DEADLINE, server_default="")


class Delivery(Base):
    """One reminder's claim and fate; the unique key makes sending it twice impossible."""

    __tablename__ = "delivery"
    __table_args__ = (
        UniqueConstraint("deadline_id", "offset_label", "subscriber_id", "deadline_due", name="delivery_once"),
        Index("delivery_pending", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deadline_id: Mapped[str] = mapped_column(String(64))
    offset: Mapped[str] = mapped_column("offset_label", String(16))
    subscriber_id: Mapped[int] = mapped_column(ForeignKey("subscriber.id", ondelete="CASCADE"))
    deadline_due: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    remind_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16), default=SENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str] = mapped_column(String(120), default="")
    claimed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    email: Mapped[str] = mapped_column(String(254), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    last_error: Mapped[str] = mapped_column(Text, default="")
    updated: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    #: On a ``merged`` row: the delivery whose message carried it.
    merged_into: Mapped[int | None] = mapped_column(Integer, nullable=True)


#: Queued mail states; ``sending`` is a live claim.
QUEUED = "queued"


class Outgoing(Base):
    """A mail the web app queued (a confirmation): sent by the scheduler's mailer, never in a request."""

    __tablename__ = "outgoing"
    __table_args__ = (Index("outgoing_pending", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    kind: Mapped[str] = mapped_column(String(32))
    #: The complete message (RFC 5322, ASCII after encoding), composed when it was queued.
    message: Mapped[str] = mapped_column(Text)
    client: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(16), default=QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str] = mapped_column(String(120), default="")
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    created: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
