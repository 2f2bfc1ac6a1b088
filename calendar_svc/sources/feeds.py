"""RSS and Atom feeds → entries, through feedparser (it copes with the dialects and broken XML sites serve)."""

from __future__ import annotations

import re
import urllib.parse
import warnings

from ..errors import InputError
from .listing import Entry, Listing

_FEED_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.DOTALL | re.IGNORECASE)


def looks_like_feed(body: bytes, content_type: str = "") -> bool:
    """An RSS/Atom document by its content type or its first element (HTML pages are lists)."""
    kind = content_type.split(";")[0].strip().lower()
    if kind in ("application/rss+xml", "application/atom+xml", "application/rdf+xml"):
        return True
    return bool(_FEED_START.match(body[:4096]))


def read_feed(body: bytes, url: str) -> Listing:
    """The entries of the feed ``body`` fetched from ``url``, newest as the feed orders them."""
    import feedparser

    parsed = feedparser.parse(body, response_headers={"content-location": url})
    if not parsed.entries and parsed.get("bozo"):
        raise InputError(url, f"不是可读的 RSS/Atom 订阅：{parsed.get('bozo_exception')}")
    entries: list[Entry] = []
    seen: set[str] = set()
    for item in parsed.entries:
        link = item.get("link") or next((l.get("href") for l in item.get("links", []) if l.get("href")), "")
        if not link:
            continue
        target = urllib.parse.urljoin(url, link.strip())
        if urllib.parse.urlsplit(target).scheme not in ("http", "https") or target in seen:
            continue
        seen.add(target)
        with warnings.catch_warnings():  # feedparser warns that "updated" falls back to "published"
            warnings.simplefilter("ignore", DeprecationWarning)
            date = item.get("published") or item.get("updated") or ""
        entries.append(Entry(url=target, title=" ".join((item.get("title") or "").split())[:300], date=date))
    return Listing(entries=entries)
