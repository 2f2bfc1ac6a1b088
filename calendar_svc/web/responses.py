"""Cacheable responses: ETag, Last-Modified, 304s and gzip for bodies built once per data version.

Calendar apps poll; most polls should cost a 304 and a few headers, and the
rest a body that was compressed once, not on every request. :func:`respond`
is a pure function of the body and the request's headers, so the Flask
routes and the server's fast path (:mod:`calendar_svc.web.server`) answer
alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.http import http_date, parse_accept_header, parse_date, parse_etags

from ..publish import Body

#: How long clients and proxies may reuse a feed without asking again.
MAX_AGE = 300

#: Browsers may load only what this app serves: a notice's text can never become script.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}

#: Calendar widgets on other sites may read the feed and the JSON (they are public anyway).
CORS = {"Access-Control-Allow-Origin": "*"}


@dataclass(frozen=True)
class View:
    """A cacheable URL: what its body is called in the cache and the headers it is sent with."""

    name: str
    mimetype: str
    cache_control: str
    headers: tuple[tuple[str, str], ...] = ()


VIEWS = {
    "/calendar.ics": View(
        "ics",
        "text/calendar; charset=utf-8",
        f"public, max-age={MAX_AGE}",
        (*CORS.items(), ("Content-Disposition", 'inline; filename="calendar.ics"')),
    ),
    "/deadlines.json": View("json", "application/json", f"public, max-age={MAX_AGE}", tuple(CORS.items())),
    # The page changes with the clock (days left): browsers revalidate every time, mostly for a 304.
    "/": View("page", "text/html; charset=utf-8", "no-cache"),
}

Headers = list[tuple[str, str]]


def respond(
    view: View,
    body: Body,
    *,
    if_none_match: str | None,
    if_modified_since: str | None,
    accept_encoding: str | None,
) -> tuple[int, Headers, bytes]:
    """Status, headers and payload for ``body`` as ``view``, honouring the conditional and gzip headers."""
    use_gzip = parse_accept_header(accept_encoding)["gzip"] > 0
    headers: Headers = [("ETag", f'"{body.etag}-gzip"' if use_gzip else f'"{body.etag}"')]
    if body.modified is not None:
        headers.append(("Last-Modified", http_date(body.modified)))
    headers += [("Cache-Control", view.cache_control), ("Vary", "Accept-Encoding"), *view.headers]
    headers += SECURITY_HEADERS.items()
    if _not_modified(body, if_none_match, if_modified_since):
        return 304, headers, b""
    headers.append(("Content-Type", view.mimetype))
    if use_gzip:
        headers.append(("Content-Encoding", "gzip"))
    return 200, headers, body.gzipped if use_gzip else body.data


def _not_modified(body: Body, if_none_match: str | None, if_modified_since: str | None) -> bool:
    """RFC 9110 §13.2.2: If-None-Match wins; If-Modified-Since counts only without it."""
    if if_none_match:
        tags = parse_etags(if_none_match)
        return tags.star_tag or tags.contains_weak(body.etag) or tags.contains_weak(f"{body.etag}-gzip")
    since = parse_date(if_modified_since)
    return since is not None and body.modified is not None and body.modified <= since
