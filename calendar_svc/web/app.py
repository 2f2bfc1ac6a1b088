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

from .. import feed
from ..filters import FilterError, Filters, parse_filters, select
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

    @app.get("/calendar.ics")
    def calendar() -> Response:
        try:
            filters = parse_filters(request.args.to_dict(flat=False))
        except FilterError as exc:
            return Response(f"400 Bad Request: {exc}\n", status=400, mimetype="text/plain")
        snapshot = data.snapshot()
        if not snapshot.usable:
            return unavailable(snapshot)
        stamp = snapshot.modified or dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
        body = data.body(
            snapshot,
            ("ics", tuple(filters.items())),
            lambda snap: feed.to_ical(snap.deadlines, stamp=stamp, config=feed_config, filters=filters),
        )
        response = cached_response(request, body, "text/calendar")
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
            records = [{**d.to_dict(), "due": d.due.isoformat()} for d in select(snap.deadlines, filters)]
            updated = snap.modified.isoformat() if snap.modified else None
            return _json({"updated": updated, "count": len(records), "deadlines": records})

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
