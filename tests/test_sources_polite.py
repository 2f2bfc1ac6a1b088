"""The watcher's HTTP client on a fake clock: robots.txt, Crawl-delay, Retry-After, conditional GET (counted at the server)."""

from __future__ import annotations

import socket

import pytest

from calendar_svc.errors import InputError
from calendar_svc.ingest import Limits, WebLimits
from calendar_svc.sources.polite import Disallowed, Polite

from sources_site import FakeTime, FixtureSite


def _client(clock: FakeTime, interval: float = 1.0) -> Polite:
    return Polite(Limits(web=WebLimits(timeout=2, total_timeout=5)), user_agent="calendar-svc/test (contact: a@b.cn)",
                  interval=interval, clock=clock.monotonic, sleep=clock.sleep)


@pytest.fixture
def clock() -> FakeTime:
    return FakeTime()


@pytest.fixture
def site(clock):
    with FixtureSite(clock=clock.monotonic) as running:
        running.put("/a.html", b"<p>a</p>")
        running.put("/b.html", b"<p>b</p>")
        yield running


def _gaps(site: FixtureSite, paths: list[str]) -> list[float]:
    moments = [hit.at for hit in site.hits if hit.path in paths]
    return [b - a for a, b in zip(moments, moments[1:])]


def test_crawl_delay_longer_than_the_interval_is_obeyed(site, clock):
    site.put("/robots.txt", b"User-agent: *\nCrawl-delay: 10\n", "text/plain")
    polite = _client(clock)
    for path in ("/a.html", "/b.html", "/a.html"):
        polite.get(site.url + path)
    assert _gaps(site, ["/a.html", "/b.html"]) == [10.0, 10.0]


def test_retry_after_holds_the_whole_host(site, clock):
    site.put("/robots.txt", b"", "text/plain")
    site.put("/busy.html", b"busy", status=429, **{"Retry-After": "120"})
    polite = _client(clock)
    with pytest.raises(InputError, match="HTTP 429"):
        polite.get(site.url + "/busy.html")
    polite.get(site.url + "/a.html")
    assert _gaps(site, ["/busy.html", "/a.html"]) == [120.0]


def test_robots_rules_for_our_agent_and_for_all(site, clock):
    site.put("/robots.txt", b"User-agent: calendar-svc\nDisallow: /b\n\nUser-agent: *\nDisallow: /\n", "text/plain")
    polite = _client(clock)
    assert polite.allowed(site.url + "/a.html") and not polite.allowed(site.url + "/b.html")
    with pytest.raises(Disallowed, match="robots.txt"):
        polite.get(site.url + "/b.html")
    assert site.count("/b.html") == 0 and site.count("/robots.txt") == 1  # read once, then cached


def test_missing_robots_allows_and_a_failing_one_forbids_for_a_while(site, clock):
    polite = _client(clock)
    assert polite.allowed(site.url + "/a.html")  # 404 robots.txt: everything allowed
    site.put("/robots.txt", b"oops", status=503)
    other = _client(clock)
    assert not other.allowed(site.url + "/a.html")  # 5xx: the host is off limits (RFC 9309)
    with pytest.raises(Disallowed, match=r"robots.txt 读不到（服务器回答 HTTP 503），按 RFC 9309 暂不读取该站，10 分钟后再试"):
        other.get(site.url + "/a.html")  # and says why: not the site's rule
    site.put("/robots.txt", b"User-agent: *\nAllow: /\n", "text/plain")
    assert not other.allowed(site.url + "/a.html")  # still remembered …
    clock.advance_seconds(601)
    assert other.allowed(site.url + "/a.html")  # … for 10 minutes, then asked again


def test_a_host_that_does_not_answer_is_reported_as_unreachable_not_as_forbidding(clock):
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    polite = _client(clock)
    with pytest.raises(Disallowed) as refused:
        polite.get(f"http://127.0.0.1:{port}/list.html")
    assert "robots.txt 读不到（" in str(refused.value) and "不允许" not in str(refused.value)


def test_conditional_get_with_etag_and_last_modified(site, clock):
    site.put("/robots.txt", b"", "text/plain")
    site.put("/lm.html", b"<p>lm</p>", validators="last-modified")
    polite = _client(clock, interval=0)
    first = polite.get(site.url + "/a.html")
    again = polite.get(site.url + "/a.html", headers={"If-None-Match": first.etag})
    assert first.status == 200 and first.etag and again.status == 304 and again.body == b""
    dated = polite.get(site.url + "/lm.html")
    assert polite.get(site.url + "/lm.html", headers={"If-Modified-Since": dated.last_modified}).status == 304
    assert [hit.status for hit in site.hits if hit.path in ("/a.html", "/lm.html")] == [200, 304, 200, 304]
