"""The Flask app: the calendar feed, the same records as JSON, a health check and the page.

A thin shell: it parses the query string into :class:`~calendar_svc.filters.Filters`,
asks :mod:`calendar_svc.feed` for the records and bodies, and formats them.
Every body is built once per data version and filter (the page also once per
change of what the clock makes it say) and kept pre-encoded in the
:class:`~calendar_svc.web.cache.DataFile`, from where the server answers
repeat requests without entering Flask (:mod:`calendar_svc.web.server`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Hashable, Sequence
from pathlib import PurePath
from urllib.parse import urlencode

from flask import Flask, Response, render_template, request

from .. import feed, publish
from ..filters import FilterError, Filters, parse_feed_query, parse_filters, select
from ..internal import Rule
from ..model import KIND_NAMES, SHANGHAI, zh_when
from ..publish import Body
from . import page, review, subscribe
from .cache import Busy, DataFile, Snapshot
from .responses import CORS, SECURITY_HEADERS, VIEWS, View, respond

Clock = Callable[[], dt.datetime]

#: Where Google Calendar adds a calendar by URL (its old ``render?cid=`` link no longer subscribes).
GOOGLE_ADD_BY_URL = "https://calendar.google.com/calendar/u/0/r/settings/addbyurl"

#: Forms on this site are a few fields; anything bigger is refused before it is read (413).
MAX_FORM_BYTES = 16 * 1024

EXTENSION = "calendar_svc"


def now_in_shanghai() -> dt.datetime:
    return dt.datetime.now(SHANGHAI)


Query = tuple[Filters, bool]


def read_query(view: View, args: dict[str, list[str]]) -> Query:
    """The query string as a canonical filter (and the feed's ``past=all``).

    ``kind=a&kind=b`` and ``kind=b&kind=a`` are one feed, built and cached once.
    """
    if view.name == "ics":
        filters, past_all = parse_feed_query(args)
    else:
        filters, past_all = parse_filters(args), False
    return filters.canonical(), past_all


def view_name(view: View, query: Query, root: str, now: dt.datetime) -> Hashable:
    """The cache name of ``view`` for ``query``: the Flask routes and the server's fast path both use it.

    The feed leaves out what is past by whole days, so its name holds the
    day; only the page has links with the server's address, so only its name holds ``root``.
    """
    filters, past_all = query
    if view.name == "ics":
        return ("ics", tuple(filters.items()), past_all, now.astimezone(SHANGHAI).date())
    if view.name == "page":
        return ("page", tuple(filters.items()), root)
    return (view.name, tuple(filters.items()))


def root_url(base_url: str | None, scheme: str, host: str, port: int | str) -> str:
    """The public address for links: ``base_url`` if configured, else the listening address reached."""
    if base_url:
        return base_url.rstrip("/")
    if ":" in host:
        host = f"[{host}]"
    default = {"http": "80", "https": "443"}.get(scheme)
    return f"{scheme}://{host}" + ("" if str(port) == default else f":{port}")


def create_app(
    data_path: str | os.PathLike[str],
    *,
    clock: Clock = now_in_shanghai,
    config: feed.FeedConfig | None = None,
    base_url: str | None = None,
    internal_rules: Sequence[Rule] = (),
) -> Flask:
    """The web app serving ``data_path`` (deadlines.toml).

    ``clock`` gives "now" for the page (days left, past items). ``base_url``
    is the public address used in subscribe links; without it they use the
    address the server was reached on (the listening socket's, never the
    request's Host header, which any client can set).
    """
    app = Flask(__name__)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.config.update(MAX_CONTENT_LENGTH=MAX_FORM_BYTES, MAX_FORM_MEMORY_SIZE=MAX_FORM_BYTES, MAX_FORM_PARTS=50)
    data = DataFile(data_path, internal_rules)
    data_name = PurePath(data_path).name
    feed_config = config or feed.default_config()
    builder = feed.FeedBuilder(feed_config)  # serialises each event once for every variant
    app.extensions[EXTENSION] = data
    app.extensions[f"{EXTENSION}.clock"] = clock
    app.extensions[f"{EXTENSION}.base_url"] = base_url
    app.jinja_env.globals.update(zh_when=zh_when, kind_names=KIND_NAMES)
    app.jinja_env.filters["basename"] = lambda path: PurePath(path).name  # never a folder of the server

    def root() -> str:
        env = request.environ
        return root_url(base_url, env["wsgi.url_scheme"], env["SERVER_NAME"], env["SERVER_PORT"])

    def public_url(root: str, path: str, filters: Filters) -> str:
        query = urlencode(filters.items())
        return f"{root}{path}" + (f"?{query}" if query else "")

    def public_error(snapshot: Snapshot) -> str:
        """The loader's message with the data file named as the operator gave it, without its folder."""
        return snapshot.error.replace(str(data.path), data_name) if snapshot.error else ""

    def unavailable(snapshot: Snapshot, as_json: bool) -> Response:
        message = f"截止日期暂时无法提供：{public_error(snapshot)}"
        if as_json:
            return Response(_json({"error": message}), status=503, mimetype="application/json")
        return Response(message + "\n", status=503, mimetype="text/plain")

    def feed_body(snapshot: Snapshot, query: Query, now: dt.datetime) -> Body:
        stamp = snapshot.modified or dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
        filters, past_all = query

        def build(snap: Snapshot) -> Body:
            body = builder.build(snap.deadlines, stamp=stamp, now=now, filters=filters, past_all=past_all)
            # What is past goes by days, so the body may change at midnight with the file unchanged.
            today = now.astimezone(SHANGHAI).replace(hour=0, minute=0, second=0, microsecond=0)
            return Body.build(body, max(stamp, today))

        return data.body(snapshot, view_name(VIEWS["/calendar.ics"], query, "", now), build, now=now)

    def cached(view: View, body_for: Callable[[dt.datetime], Body]) -> Response:
        """``view``'s body at this moment, as a conditional response (or a 503 while builds are busy)."""
        try:
            body = body_for(clock())
        except Busy:
            return busy()
        status, headers, payload = respond(
            view,
            body,
            if_none_match=request.headers.get("If-None-Match"),
            if_modified_since=request.headers.get("If-Modified-Since"),
            accept_encoding=request.headers.get("Accept-Encoding"),
        )
        response = Response(payload, status=status)
        response.headers.clear()
        response.headers.extend(headers)
        return response

    def busy() -> Response:
        response = Response("正在生成内容，请过几秒再试。\n", status=503, mimetype="text/plain")
        response.headers["Retry-After"] = "5"
        return response

    def bad_query(exc: FilterError, as_json: bool) -> Response:
        if as_json:
            body = _json({"error": str(exc), "message": f"链接中的筛选条件有误：{exc.zh}"})
            response = Response(body, status=400, mimetype="application/json")
        else:
            text = f"链接中的筛选条件有误：{exc.zh}\n(400 Bad Request: {exc})\n"
            response = Response(text, status=400, mimetype="text/plain")
        response.headers.update(CORS)
        return response

    @app.before_request
    def refuse_files() -> Response | None:
        """Forms here are a few text fields; a file part is refused before any view sees the form."""
        if request.method == "POST" and request.mimetype == "multipart/form-data" and request.files:
            return Response("这里的表单不接受上传文件。\n", status=400, mimetype="text/plain")
        return None

    @app.after_request
    def security_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.get("/calendar.ics")
    def calendar() -> Response:
        view = VIEWS["/calendar.ics"]
        try:
            query = read_query(view, request.args.to_dict(flat=False))
        except FilterError as exc:
            return bad_query(exc, as_json=False)
        snapshot = data.snapshot()
        if not snapshot.usable:
            return unavailable(snapshot, as_json=False)
        return cached(view, lambda now: feed_body(snapshot, query, now))

    @app.get("/deadlines.json")
    def deadlines_json() -> Response:
        view = VIEWS["/deadlines.json"]
        try:
            query = read_query(view, request.args.to_dict(flat=False))
        except FilterError as exc:
            return bad_query(exc, as_json=True)
        snapshot = data.snapshot()
        if not snapshot.usable:
            return unavailable(snapshot, as_json=True)
        def build(snap: Snapshot) -> bytes:
            return publish.json_body(snap.deadlines, query[0], snap.modified)

        return cached(view, lambda now: data.body(snapshot, view_name(view, query, "", now), build, now=now))

    @app.get("/healthz")
    def healthz() -> Response:
        snapshot = data.snapshot()
        report = {
            "status": "ok" if not snapshot.error else "error",
            "data": data_name,
            "exists": snapshot.key is not None,
            "deadlines": len(snapshot.deadlines),
            "visible": sum(1 for d in snapshot.deadlines if d.visible),
            "error": public_error(snapshot) or None,
            "reminders": subscribe.health(),  # the feed does not depend on them: reported, not a 503
        }
        if snapshot.usable:  # what subscribers download: Google is reported to drop feeds above ~1 MB
            try:
                size = len(feed_body(snapshot, (Filters(), False), clock()).data)
            except Busy:
                size = None
            report["feed_bytes"] = size
            report["feed_too_large"] = size is not None and size > feed_config.size_warning
        status = 200 if not snapshot.error else 503
        response = Response(_json(report), status=status, mimetype="application/json")
        response.headers["Cache-Control"] = "no-store"
        return response

    def render_page(snapshot: Snapshot, filters: Filters, now: dt.datetime, root: str, error: str = "") -> Body:
        selected = select(snapshot.deadlines, filters)
        shown = page.build(selected, now)
        feed_url = public_url(root, "/calendar.ics", filters)
        all_url = public_url(root, "/calendar.ics", Filters())
        html = render_template(
            "index.html",
            page=shown,
            choices=data.derived(snapshot, "choices", page.choices),
            filters=filters,
            error=error,
            data_error=public_error(snapshot),
            data_name=data_name,
            data_missing=snapshot.key is None,
            now=now,
            total=sum(1 for d in snapshot.deadlines if d.visible),
            shown=len(selected),
            feed_url=feed_url,
            webcal_url=_webcal(feed_url),
            google_url=GOOGLE_ADD_BY_URL,
            all_url=all_url,
            all_webcal_url=_webcal(all_url),
            json_url=public_url(root, "/deadlines.json", filters),
            updated=snapshot.modified.astimezone(SHANGHAI) if snapshot.modified else None,
            config=feed_config,
        )
        return Body.build(html.encode("utf-8"), snapshot.modified, expires=shown.valid_until)

    def bad_page(snapshot: Snapshot, error: str) -> Response:
        """The full list under a Chinese banner; built like any page (one build at a time, cached per message)."""
        here, now = root(), clock()
        try:
            body = data.body(
                snapshot, ("page-error", error, here), lambda snap: render_page(snap, Filters(), now, here, error), now=now
            )
        except Busy:
            return busy()
        response = Response(body.data, status=400, mimetype="text/html")
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.get("/")
    def index() -> Response:
        snapshot = data.snapshot()
        view = VIEWS["/"]
        try:
            query = read_query(view, request.args.to_dict(flat=False))
        except FilterError as exc:
            return bad_page(snapshot, exc.zh)
        here = root()

        def body_for(now: dt.datetime) -> Body:
            def build(snap: Snapshot) -> Body:
                return render_page(snap, query[0], now, here)

            return data.body(snapshot, view_name(view, query, here, now), build, now=now)

        return cached(view, body_for)

    subscribe.init_app(app)  # email reminders: subscribe form, confirm, unsubscribe
    review.init_app(app)  # /review: the queue for reviewers (login required)
    return app


def _webcal(url: str) -> str:
    """The ``webcal://`` form of an http(s) URL: one click opens the calendar app's subscribe dialog."""
    return "webcal://" + url.split("://", 1)[1]


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1).encode("utf-8")
