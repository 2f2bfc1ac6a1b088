"""Signed links: confirm a subscription, unsubscribe in one click.

The confirm token carries the requested filter itself, so confirming applies
exactly what the owner of the address agreed to, and its age is checked
against the injected clock rather than the wall clock. It also carries a
nonce the subscriber row holds until the link is used: a link confirms once,
and only the newest one works.

An unsubscribe token names the address, the subscription (its row id) and
the subscription's generation (a count of its confirmations): it ends that
subscription only, leaves the address's other subscriptions alone, and the
links in last year's mails stop working once it is subscribed again. Links
written before generations existed read as generation 0, links written before
an address could hold several subscriptions name no row (``None``).
"""

from __future__ import annotations

import datetime as dt

from itsdangerous import BadSignature, URLSafeSerializer

from ..errors import CalendarSvcError

CONFIRM_MAX_AGE = dt.timedelta(days=7)


class TokenError(CalendarSvcError):
    """A link that was altered, expired, used, of an ended subscription, or signed with another key; the flags tell which."""

    def __init__(self, message: str, *, expired: bool = False, used: bool = False, stale: bool = False) -> None:
        super().__init__(message)
        self.expired = expired
        self.used = used
        self.stale = stale


class Tokens:
    """Signs and checks the two kinds of link, each with its own salt so one cannot pass for the other."""

    def __init__(self, secret: str) -> None:
        self._confirm = URLSafeSerializer(secret, salt="calendar-svc-confirm")
        self._unsubscribe = URLSafeSerializer(secret, salt="calendar-svc-unsubscribe")

    def confirm_token(self, request: dict, now: dt.datetime) -> str:
        return self._confirm.dumps({"r": request, "t": int(now.timestamp())})

    def read_confirm(self, token: str, now: dt.datetime) -> dict:
        try:
            data = self._confirm.loads(token)
        except BadSignature:
            raise TokenError("this confirmation link is not valid (altered or incomplete)") from None
        issued = dt.datetime.fromtimestamp(int(data["t"]), dt.UTC)
        if now - issued > CONFIRM_MAX_AGE:
            raise TokenError("this confirmation link has expired; subscribe again to get a new one", expired=True)
        return dict(data["r"])

    def unsubscribe_token(self, email: str, generation: int = 0, subscription: int | None = None) -> str:
        return self._unsubscribe.dumps([email, generation] if subscription is None else [email, generation, subscription])

    def read_unsubscribe(self, token: str) -> tuple[str, int, int | None]:
        """The address, the generation and the row id (``None`` in older links) of the subscription the link ends."""
        try:
            data = self._unsubscribe.loads(token)
        except BadSignature:
            raise TokenError("this unsubscribe link is not valid (altered or incomplete)") from None
        if isinstance(data, str):
            return data, 0, None
        return str(data[0]), int(data[1]), (int(data[2]) if len(data) > 2 else None)
