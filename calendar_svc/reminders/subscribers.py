"""Subscribers: checking what people ask for, and the rows that record it.

Only ``confirmed`` rows ever receive a reminder; a web request creates a
``pending`` row (or leaves a confirmed one as it is) until its link is
followed, so nobody can subscribe someone else's address.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from collections.abc import Mapping, Sequence
from urllib.parse import parse_qs, urlencode

from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.orm import Session

from ..errors import InputError
from ..filters import FilterError, Filters, parse_filters
from .models import CONFIRMED, PENDING, UNSUBSCRIBED, Subscriber
from ..offsets import Offset, OffsetError, format_offsets, parse_offsets
from .schedule import Recipient

_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")


def normalize_email(text: str) -> str:
    """A plain ``local@domain`` address, lower-cased so ``Alice@`` and ``alice@`` are one subscriber."""
    email = text.strip()
    if len(email) > 254 or not _EMAIL.match(email) or ".." in email:
        raise InputError("email", f"not a valid email address: {text!r}")
    return email.lower()


def check_filter(params: Mapping[str, Sequence[str]]) -> Filters:
    """The page's filter rules: unknown names or kinds are refused, not silently widened."""
    try:
        return parse_filters(params)
    except FilterError as exc:
        raise InputError("filter", str(exc)) from None


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


def upsert(
    session: Session,
    email: str,
    *,
    filters: Filters | None,
    offsets: tuple[Offset, ...] | None,
    window_open: bool | None,
    status: str,
    now: dt.datetime,
    defaults: tuple[tuple[Offset, ...], bool] = ((), False),
) -> Subscriber:
    """Create or update the row for ``email``; a confirmed row's filter takes effect from ``now``.

    ``None`` keeps what the row already has (re-subscribing an address to
    change its offsets must not widen its filter to everything); a new row
    gets no filter and ``defaults`` (offsets, window_open).
    """
    row = session.scalar(select(Subscriber).where(Subscriber.email == email))
    if row is None:
        row = Subscriber(email=email, created=now, filter="", offsets="", window_open=defaults[1])
        session.add(row)
    if filters is not None:
        row.filter = filter_query(filters)
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


def mark_pending(session: Session, email: str, now: dt.datetime) -> Subscriber:
    """Record a web request; a confirmed subscriber keeps receiving until the new filter is confirmed."""
    row = session.scalar(select(Subscriber).where(Subscriber.email == email))
    if row is None:
        row = Subscriber(email=email, created=now, offsets="", filter="", status=PENDING)
        session.add(row)
    elif row.status == UNSUBSCRIBED:
        row.status = PENDING
    return row


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
        Subscriber.window_open, Subscriber.since, Subscriber.created, Subscriber.generation,
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
                    offsets=_offsets(offsets) if offsets else (),
                    window_open=window_open,
                    since=since or created,
                    generation=generation or 0,
                )
                for ident, email, flt, offsets, window_open, since, created, generation in rows
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
