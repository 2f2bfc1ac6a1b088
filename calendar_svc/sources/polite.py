"""Fetching as a good guest: robots.txt, a per-host rate limit, a User-Agent with a contact, conditional GET.

Every request of a watcher (list pages, notice pages, their attachments,
robots.txt itself) goes through one :class:`Polite` client, so the limits
hold across sources on the same host. The clock and the sleep are injected:
tests run the rate limit on a fake clock and count requests at the server.

robots.txt follows RFC 9309 as read by Protego (Scrapy's parser: wildcards,
``$``, Crawl-delay): a 4xx robots.txt allows everything, a 5xx or an
unreachable one forbids the host for this check. A Crawl-delay longer than
the configured interval is obeyed. A 429 or 503 with ``Retry-After`` keeps
the whole host waiting that long (at most a day).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import threading
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import replace

from ..errors import InputError
from ..ingest.limits import Limits
from ..ingest.web import HttpStatusError, Response, fetch

#: The product token robots.txt rules are matched against.
ROBOTS_AGENT = "calendar-svc"
#: robots.txt is read again after this long (in a long-running ``serve``).
ROBOTS_TTL = 24 * 3600.0
#: An unreachable robots.txt (5xx, no answer) forbids the host only this long, then is asked again.
_UNREACHABLE_TTL = 600.0
_MAX_RETRY_AFTER = 24 * 3600.0


class Disallowed(InputError):
    """robots.txt does not allow fetching this address."""


class Polite:
    """One client for a watcher: robots.txt per origin, one request at a time per host, ``interval`` apart."""

    def __init__(
        self,
        limits: Limits,
        *,
        user_agent: str,
        interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.limits = replace(limits, web=replace(limits.web, user_agent=user_agent))
        self.interval = interval
        self.clock = clock
        self.sleep = sleep
        self._next: dict[str, float] = {}
        self._robots: dict[str, tuple[float, object]] = {}
        self._unread: dict[str, str] = {}  # origin → why its robots.txt could not be read (it then forbids the host)
        self._primed: dict[str, Response] = {}
        self._lock = threading.Lock()
        self.requests = 0

    # -- the public calls -----------------------------------------------------

    def get(self, url: str, limits: Limits | None = None, *, headers: Mapping[str, str] | None = None) -> Response:
        """GET ``url`` if robots.txt allows it, after the host's turn comes; errors are :class:`InputError`."""
        primed = self._primed.pop(url, None)
        if primed is not None:
            return primed
        if not self.allowed(url):
            why = self._unread.get(_origin(url))
            if why:  # not the site's rule: say what went wrong, and when it is tried again
                raise Disallowed(url, f"{_origin(url)} 的 robots.txt 读不到（{why}），按 RFC 9309 暂不读取该站，"
                                      f"{_UNREACHABLE_TTL / 60:.0f} 分钟后再试")
            raise Disallowed(url, f"{_origin(url)} 的 robots.txt 不允许 {ROBOTS_AGENT} 读取它，已跳过")
        return self._fetch(url, headers=headers)

    def prime(self, response: Response, url: str) -> None:
        """The next :meth:`get` of ``url`` returns ``response`` (a page already fetched, e.g. by a conditional GET)."""
        self._primed[url] = response

    def unprime(self, url: str) -> None:
        """Forget a primed response nobody asked for (the read failed before it got there)."""
        self._primed.pop(url, None)

    def allowed(self, url: str) -> bool:
        rules = self._rules(url)
        return rules is None or rules.can_fetch(url, ROBOTS_AGENT)

    # -- inside -----------------------------------------------------------------

    def _fetch(self, url: str, *, headers: Mapping[str, str] | None = None) -> Response:
        host = urllib.parse.urlsplit(url).netloc.lower()
        self._wait_turn(host)
        self.requests += 1
        try:
            return fetch(url, self.limits, headers=headers)
        except HttpStatusError as exc:
            if exc.status in (429, 503) and exc.retry_after:
                self._hold(host, _seconds(exc.retry_after))
            raise

    def _wait_turn(self, host: str) -> None:
        with self._lock:
            now = self.clock()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + max(self.interval, self._delay(host))
        if start > now:
            self.sleep(start - now)

    def _hold(self, host: str, seconds: float) -> None:
        with self._lock:
            until = self.clock() + min(max(seconds, 0.0), _MAX_RETRY_AFTER)
            self._next[host] = max(self._next.get(host, 0.0), until)

    def _delay(self, host: str) -> float:
        for origin, (_, rules) in self._robots.items():
            if urllib.parse.urlsplit(origin).netloc.lower() == host and rules is not None:
                delay = rules.crawl_delay(ROBOTS_AGENT)
                return float(delay) if delay else 0.0
        return 0.0

    def _rules(self, url: str):
        from protego import Protego

        origin = _origin(url)
        cached = self._robots.get(origin)
        if cached is not None and self.clock() - cached[0] < ROBOTS_TTL:
            return cached[1]
        rules: object
        read_at = self.clock()
        self._unread.pop(origin, None)
        try:
            answer = self._fetch(origin + "/robots.txt")
            rules = Protego.parse(answer.body.decode("utf-8", errors="replace"))
        except HttpStatusError as exc:
            rules = None if 400 <= exc.status < 500 else Protego.parse("User-agent: *\nDisallow: /")
            if exc.status >= 500:
                read_at -= ROBOTS_TTL - _UNREACHABLE_TTL
                self._unread[origin] = f"服务器回答 HTTP {exc.status}"
        except InputError as exc:
            rules = Protego.parse("User-agent: *\nDisallow: /")  # unreachable: RFC 9309 says assume complete disallow
            read_at -= ROBOTS_TTL - _UNREACHABLE_TTL
            self._unread[origin] = exc.problem
        self._robots[origin] = (read_at, rules)
        return rules


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _seconds(retry_after: str) -> float:
    """Retry-After as seconds: a number, or an HTTP date."""
    text = retry_after.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return 0.0
    return (when - dt.datetime.now(dt.UTC)).total_seconds() if when.tzinfo else 0.0
