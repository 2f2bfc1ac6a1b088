"""The Flask app: the calendar feed, the same records as JSON, a health check and the page.

A thin shell: it parses the query string into :class:`~calendar_svc.filters.Filters`,
asks :mod:`calendar_svc.feed` for the records and bodies, and formats them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from urllib.parse import quote, urlencode

from flask import Flask, Response, render_template, request

from .. import feed, publish
from ..filters import FilterError, Filters, parse_feed_query, parse_filters, select
from ..model import KIND_NAMES, SHANGHAI, zh_when
from . import page, subscribe
from .cache import DataFile, Snapshot
from .responses import cached_response

Clock = Callable[[], dt.datetime]

#: Browsers may load only what this app serves: a notice's text can never become script.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def now_in_shanghai() -> dt.datetime:
    return dt.datetime.now(SHANGHAI)


def create_app(
    data_path: str | os.PathLike[str],
    *,
    clock: Clock = now_in_shanghai,
    config: feed.FeedConfig | None = None,
    base_url: str | None = None,
) -> Flask:
    """The web app serving ``data_path`` (deadlines.toml).

    ``clock`` gives "now" for the page (days left, past items); ``base_url``
    fixes the public address used in subscribe links (default: the request's).
    """
    app = Flask(__name__)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    data = DataFile(data_path)
    feed_config = config or feed.default_config()
    builder = feed.FeedBuilder(feed_config)  # serialises each event once for every variant
    app.extensions["calendar_svc"] = data
    app.jinja_env.globals.update(zh_when=zh_when, kind_names=KIND_NAMES)

    def public_url(path: str, filters: Filters) -> str:
        root = base_url.rstrip("/") if base_url else request.host_url.rstrip("/")
        query = urlencode(filters.items())
        return f"{root}{path}" + (f"?{query}" if query else "")

    def unavailable(snapshot: Snapshot) -> Response:
        return Response(f"deadlines are unavailable: {snapshot.error}\n", status=503, mimetype="text/plain")

    @app.after_request
    def security_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    def feed_body(snapshot: Snapshot, filters: Filters, past_all: bool) -> publish.Body:
        now = clock()  # what is past goes by whole days: one body per data version, filter and day
        stamp = snapshot.modified or dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
        return data.body(
            snapshot,
            ("ics", tuple(filters.items()), past_all, now.astimezone(SHANGHAI).date()),
            lambda snap: builder.build(snap.deadlines, stamp=stamp, now=now, filters=filters, past_all=past_all),
        )

    @app.get("/calendar.ics")
    def calendar() -> Response:
        try:
            filters, past_all = parse_feed_query(request.args.to_dict(flat=False))
        except FilterError as exc:
            return Response(f"400 Bad Request: {exc}\n", status=400, mimetype="text/plain")
        snapshot = data.snapshot()
        if not snapshot.usable:
            return unavailable(snapshot)
        response = cached_response(request, feed_body(snapshot, filters, past_all), "text/calendar")
        response.headers["Content-Disposition"] = 'inline; filename="calendar.ics"'
        return response

    @app.get("/deadlines.json")
    def deadlines_json() -> Response:
        try:
            filters = parse_filters(request.args.to_dict(flat=False))
        except FilterError as exc:
            return Response(_json({"error": str(exc)}), status=400, mimetype="application/json")
        snapshot = data.snapshot()
        if not snapshot.usable:
            return Response(_json({"error": snapshot.error}), status=503, mimetype="application/json")

        def build(snap: Snapshot) -> bytes:
            return publish.json_body(snap.deadlines, filters, snap.modified)

        body = data.body(snapshot, ("json", tuple(filters.items())), build)
        return cached_response(request, body, "application/json")

    @app.get("/healthz")
    def healthz() -> Response:
        snapshot = data.snapshot()
        report = {
            "status": "ok" if not snapshot.error else "error",
            "data": str(data.path),
            "exists": snapshot.key is not None,
            "deadlines": len(snapshot.deadlines),
            "visible": sum(1 for d in snapshot.deadlines if d.visible),
            "error": snapshot.error or None,
        }
        if snapshot.usable:  # what subscribers download: Google is reported to drop feeds above ~1 MB
            size = len(feed_body(snapshot, Filters(), False).data)
            report["feed_bytes"] = size
            report["feed_too_large"] = size > feed_config.size_warning
        status = 200 if not snapshot.error else 503
        response = Response(_json(report), status=status, mimetype="application/json")
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.get("/")
    def index() -> Response:
        snapshot = data.snapshot()
        error = ""
        try:
            filters = parse_filters(request.args.to_dict(flat=False))
        except FilterError as exc:
            filters, error = Filters(), str(exc)
        now = clock()
        selected = select(snapshot.deadlines, filters)
        feed_url = public_url("/calendar.ics", filters)
        all_url = public_url("/calendar.ics", Filters())
        html = render_template(
            "index.html",
            page=page.build(selected, now),
            choices=page.choices(snapshot.deadlines),
            filters=filters,
            error=error,
            data_error=snapshot.error,
            now=now,
            total=sum(1 for d in snapshot.deadlines if d.visible),
            shown=len(selected),
            feed_url=feed_url,
            webcal_url=_webcal(feed_url),
            google_url="https://calendar.google.com/calendar/render?cid=" + quote(_webcal(feed_url), safe=""),
            all_url=all_url,
            all_webcal_url=_webcal(all_url),
            json_url=public_url("/deadlines.json", filters),
            updated=snapshot.modified.astimezone(SHANGHAI) if snapshot.modified else None,
            config=feed_config,
        )
        response = Response(html, status=400 if error else 200, mimetype="text/html")
        response.headers["Cache-Control"] = "no-cache"
        return response

    subscribe.init_app(app)  # email reminders: subscribe form, confirm, unsubscribe
    return app


def _webcal(url: str) -> str:
    """The ``webcal://`` form of an http(s) URL: one click opens the calendar app's subscribe dialog."""
    return "webcal://" + url.split("://", 1)[1]


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1).encode("utf-8")
