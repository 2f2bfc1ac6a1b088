"""How a channel reports a failed delivery: worth retrying, or not.

Every channel (email, the group robots) sorts its failures into these two, so
the delivery log retries, gives up or bounces the same way whatever carried
the message.
"""

from __future__ import annotations


class TransientError(Exception):
    """Worth trying again later: the server is down, busy, rate-limiting, or said 4xx."""


class PermanentError(Exception):
    """Trying again will not help: the server refused this message or address for good.

    ``address`` is true when the recipient itself was refused (SMTP RCPT 5xx):
    the address is bad, not just this message.
    """

    def __init__(self, message: str, *, address: bool = False) -> None:
        super().__init__(message)
        self.address = address
