"""The watcher's tables: each source's state and claim, the notices seen, HTTP validators, digests sent.

They live in the same database as the reminders (SQLite by default,
PostgreSQL by URL) on the shared metadata (calendar_svc.db), created on first use. The
unique keys carry the no-double-work guarantees: a notice's address is
inserted (claimed) before it is read, so two workers, or two sources that
list the same notice, read and queue it once; a digest's day is inserted
before it is sent, so it goes out once a day.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UtcDateTime

#: Seen-notice states: ``claimed`` while a worker reads it, ``done`` once its records are in the store,
#: ``failed`` when it could not be read (tried again at later checks, up to :data:`MAX_NOTICE_ATTEMPTS`).
CLAIMED, DONE, FAILED = "claimed", "done", "failed"
MAX_NOTICE_ATTEMPTS = 3


class SourceState(Base):
    """One source's last check, its failures (for back-off and the report) and the claim of the worker checking it."""

    __tablename__ = "source_state"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    url: Mapped[str] = mapped_column(Text, default="")
    claimed_by: Mapped[str] = mapped_column(String(120), default="")
    claimed_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    next_check: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_check: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_ok: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    found_last: Mapped[int] = mapped_column(Integer, default=0)
    found_total: Mapped[int] = mapped_column(Integer, default=0)
    queued_total: Mapped[int] = mapped_column(Integer, default=0)


class SeenNotice(Base):
    """A notice address found on a source: claimed, read, its records merged; kept to see changes."""

    __tablename__ = "seen_notice"

    url: Mapped[str] = mapped_column(String(2048), primary_key=True)
    source: Mapped[str] = mapped_column(String(200), index=True)
    title: Mapped[str] = mapped_column(Text, default="")
    listed_date: Mapped[str] = mapped_column(String(64), default="")
    state: Mapped[str] = mapped_column(String(16), default=CLAIMED)
    claimed_by: Mapped[str] = mapped_column(String(120), default="")
    claimed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    first_seen: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    last_checked: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: sha256 of the page's bytes, and of the text of everything read for it (page and attachments).
    page_sha: Mapped[str] = mapped_column(String(64), default="")
    content_sha: Mapped[str] = mapped_column(String(64), default="")
    etag: Mapped[str] = mapped_column(Text, default="")
    last_modified: Mapped[str] = mapped_column(String(64), default="")
    #: Records this notice added to the store (at first read, and at re-extractions), and when.
    records: Mapped[int] = mapped_column(Integer, default=0)
    queued_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    extractions: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")


class ListPage(Base):
    """The validators of a list page or feed, for its next conditional GET."""

    __tablename__ = "source_list_page"

    url: Mapped[str] = mapped_column(String(2048), primary_key=True)
    etag: Mapped[str] = mapped_column(Text, default="")
    last_modified: Mapped[str] = mapped_column(String(64), default="")
    checked: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class DigestSent(Base):
    """One reviewers' digest per day (Asia/Shanghai): inserted before sending, so it goes out once."""

    __tablename__ = "source_digest"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    sent_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    #: The records counted, up to this moment: the next digest counts from here.
    counted_until: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    count: Mapped[int] = mapped_column(Integer, default=0)
    recipients: Mapped[str] = mapped_column(Text, default="")


class QueuedRecord(Base):
    """A record a watched notice added to the store: counted once by the reviewers' digest."""

    __tablename__ = "source_queued"

    record_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(Text, default="")
    queued_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
