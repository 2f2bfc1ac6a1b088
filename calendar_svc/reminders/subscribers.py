"""Subscriptions: checking what people ask for, and the rows that record it.

An address may hold several subscriptions; one is identified by its address,
its filter and its kind of mail (per deadline, or the weekly digest), so
subscribing again with another filter adds one instead of replacing the first.
Only ``confirmed`` rows ever receive a reminder; a web request creates a
``pending`` row (or leaves a confirmed one as it is) until its link is
followed, so nobody can subscribe someone else's address.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from collections.abc import Collection, Mapping, Sequence
from urllib.parse import parse_qs, urlencode

from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.orm import Session

from ..errors import InputError
from ..filters import FilterError, Filters, parse_filters
from .models import CONFIRMED, PENDING, PER_DEADLINE, UNSUBSCRIBED, WEBHOOK_PREFIX, WEEKLY, Subscriber
from ..offsets import Offset, OffsetError, format_offsets, parse_offsets
from .schedule import Recipient

_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")


def normalize_email(text: str) -> str:
    """A plain ``local@domain`` address, lower-cased so ``Alice@`` and ``alice@`` are one subscriber."""
    email = text.strip()
    if len(email) > 254 or not _EMAIL.match(email) or ".." in email:
        raise InputError("email", f"不是有效的邮箱地址：{text!r}")
    return email.lower()


def normalize_target(text: str, robots: Collection[str] = ()) -> str:
    """An email address, or ``webhook:NAME`` naming one of ``robots`` (the ``[[webhook]]`` names in calendar-svc.toml)."""
    if text.strip().lower().startswith(WEBHOOK_PREFIX):
        name = text.strip()[len(WEBHOOK_PREFIX) :].strip()
        if name not in robots:
            known = f"已有：{'、'.join(sorted(robots))}" if robots else "还没有配置任何 [[webhook]]"
            raise InputError("webhook", f"calendar-svc.toml 中没有名为 {name!r} 的 [[webhook]]（{known}）")
        return WEBHOOK_PREFIX + name
    return normalize_email(text)


def check_digest(text: str | None) -> str:
    """``weekly`` (one Monday digest) or ``none`` / empty (a mail per deadline and offset)."""
    value = (text or "").strip().lower()
    if value in ("", "none", "off"):
        return PER_DEADLINE
    if value == WEEKLY:
        return WEEKLY
    raise InputError("digest", f"不认识的 digest {text!r}：请用 weekly（周报），或 none（每个截止日期、每个提前量各一封）")


def check_filter(params: Mapping[str, Sequence[str]]) -> Filters:
    """The page's filter rules: unknown names or kinds are refused, not silently widened."""
    try:
        return parse_filters(params)
    except FilterError as exc:
        raise InputError("filter", exc.zh) from None


def check_offsets(text: str | Sequence[str]) -> tuple[Offset, ...]:
    try:
        return parse_offsets(text if isinstance(text, str) else list(text))
    except OffsetError as exc:
        raise InputError("offsets", str(exc)) from None


def filter_query(filters: Filters) -> str:
    """How a filter is stored and put in links: the page's own query string."""
    return urlencode(filters.items())


def filter_from_query(query: str) -> Filters:
    return check_filter(parse_qs(query, keep_blank_values=False))


def find(session: Session, email: str, filters: Filters, digest: str = PER_DEADLINE) -> Subscriber | None:
    """The subscription of ``email`` with exactly this filter and kind of mail, if there is one."""
    return session.scalar(
        select(Subscriber).where(Subscriber.email == email, Subscriber.filter == filter_query(filters), Subscriber.digest == digest)
    )


def upsert(
    session: Session,
    email: str,
    *,
    filters: Filters,
    offsets: tuple[Offset, ...] | None,
    window_open: bool | None,
    status: str,
    now: dt.datetime,
    digest: str = PER_DEADLINE,
    defaults: tuple[tuple[Offset, ...], bool] = ((), False),
) -> Subscriber:
    """Create or update the subscription (``email``, ``filters``, ``digest``); a confirmed one takes effect from ``now``.

    ``None`` keeps what the subscription already has (subscribing again to
    change the offsets); a new one gets ``defaults`` (offsets, window_open).
    """
    row = find(session, email, filters, digest)
    if row is None:
        row = Subscriber(email=email, created=now, filter=filter_query(filters), digest=digest, offsets="", window_open=defaults[1])
        session.add(row)
    if offsets is not None:
        row.offsets = format_offsets(offsets)
    elif not row.offsets:
        row.offsets = format_offsets(defaults[0])
    if window_open is not None:
        row.window_open = window_open
    if status == CONFIRMED and row.status != CONFIRMED:
        row.generation = (row.generation or 0) + 1  # a new subscription: links of the last one end with it
    row.status = status
    if status == CONFIRMED:
        row.since = now
        row.confirmed_at = now
        row.unsubscribed_at = None
    return row


def mark_pending(session: Session, email: str, filters: Filters, digest: str, now: dt.datetime) -> Subscriber:
    """Record a web request; a confirmed subscription keeps receiving until the change is confirmed."""
    row = find(session, email, filters, digest)
    if row is None:
        row = Subscriber(email=email, created=now, offsets="", filter=filter_query(filters), digest=digest, status=PENDING)
        session.add(row)
    elif row.status == UNSUBSCRIBED:
        row.status = PENDING
    return row


def last_confirmation(session: Session, email: str) -> dt.datetime | None:
    """When a confirmation mail was last queued for ``email``, for any of its subscriptions."""
    return session.scalar(select(func.max(Subscriber.confirmation_sent_at)).where(Subscriber.email == email))


def expire_pending(engine: Engine, before: dt.datetime) -> int:
    """Requests not confirmed since ``before``: a new address is forgotten, a former subscriber is unsubscribed again."""
    with Session(engine) as session, session.begin():
        stale = Subscriber.status == PENDING, func.coalesce(Subscriber.confirmation_sent_at, Subscriber.created) < before
        gone = session.execute(delete(Subscriber).where(*stale, Subscriber.confirmed_at.is_(None))).rowcount or 0
        back = session.execute(
            update(Subscriber).where(*stale).values(status=UNSUBSCRIBED, confirm_nonce=None)
        ).rowcount or 0
    return gone + back


class Recipients:
    """The confirmed subscribers, read every due-check and parsed only when they changed.

    The same list object comes back while nothing changed, which is what lets
    the dispatcher check only the moments since its previous tick.
    """

    _COLUMNS = (
        Subscriber.id, Subscriber.email, Subscriber.filter, Subscriber.offsets,
        Subscriber.window_open, Subscriber.since, Subscriber.created, Subscriber.generation, Subscriber.digest,
    )

    def __init__(self) -> None:
        self._rows: tuple | None = None
        self._people: list[Recipient] = []

    def read(self, session: Session) -> list[Recipient]:
        rows = tuple(
            tuple(row) for row in session.execute(select(*self._COLUMNS).where(Subscriber.status == CONFIRMED).order_by(Subscriber.id))
        )
        if rows != self._rows:
            self._people = [
                Recipient(
                    id=ident,
                    email=email,
                    filter=_filter(flt),
                    # A digest subscription gets its Monday mail instead of one per deadline and offset.
                    offsets=_offsets(offsets) if offsets and not digest else (),
                    window_open=window_open and not digest,
                    since=since or created,
                    generation=generation or 0,
                    digest=digest or PER_DEADLINE,
                )
                for ident, email, flt, offsets, window_open, since, created, generation, digest in rows
            ]
            self._rows = rows
        return self._people


@lru_cache(maxsize=4096)
def _filter(query: str) -> Filters:
    """Subscribers share a handful of filters: each is parsed once."""
    return filter_from_query(query)


@lru_cache(maxsize=4096)
def _offsets(text: str) -> tuple[Offset, ...]:
    return parse_offsets(text)
