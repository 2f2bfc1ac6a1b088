"""Email reminders on the page: subscribe with double opt-in, confirm, one-click unsubscribe.

A blueprint over :class:`calendar_svc.reminders.service.Reminders`. The
service is created on first use from the settings (or attached by ``serve``
with the one its scheduler uses), so merely building the app opens no database.
"""

from __future__ import annotations

import threading

from flask import Blueprint, Flask, Response, current_app, render_template, request, url_for

from ..errors import InputError
from ..filters import FILTER_PARAMS
from ..db import DatabaseError
from ..reminders.service import Reminders
from ..channels.email import one_line
from ..reminders.message import describe_timing
from ..reminders.subscribers import check_digest, check_filter, check_offsets, filter_from_query
from ..reminders.tokens import TokenError
from ..reminders.outbox import RateLimited

bp = Blueprint("subscribe", __name__)

EXTENSION = "calendar_svc.reminders"
UNAVAILABLE = "calendar_svc.reminders.unavailable"
_FORM_FIELDS = {"email", "offsets", "window_open", "digest", *FILTER_PARAMS}
_lock = threading.Lock()


def init_app(app: Flask) -> None:
    """Register the routes; the service is made lazily (see :func:`attach`)."""
    app.register_blueprint(bp)


def attach(app: Flask, service: Reminders) -> None:
    """Use ``service`` (e.g. the one ``serve`` schedules) instead of building one from the settings."""
    app.extensions[EXTENSION] = service


def report_unavailable(app: Flask, error: str) -> None:
    """``serve`` says why the reminders are not running ("" once they are); /healthz and the form show it."""
    app.extensions[UNAVAILABLE] = error


def health() -> dict:
    """The reminders' part of /healthz: ``ok``, ``unavailable`` (with the error) or ``idle`` (not opened yet)."""
    app = current_app
    error = app.extensions.get(UNAVAILABLE, "")
    if error:
        return {"status": "unavailable", "error": error}
    return {"status": "ok" if EXTENSION in app.extensions else "idle", "error": None}


class Unavailable(Exception):
    """The database cannot be opened right now."""


def service() -> Reminders:
    app = current_app
    with _lock:
        if EXTENSION not in app.extensions:
            if app.extensions.get(UNAVAILABLE):  # serve is retrying in the background
                raise Unavailable(app.extensions[UNAVAILABLE])
            from .. import config

            try:
                app.extensions[EXTENSION] = Reminders(config.load())
            except DatabaseError as exc:
                current_app.logger.error("event=reminders-unavailable error=%s", exc)
                raise Unavailable(str(exc)) from None
        return app.extensions[EXTENSION]


@bp.errorhandler(Unavailable)
def unavailable(exc: Unavailable) -> Response:
    response = _page("订阅服务暂时不可用", "提醒服务的数据库暂时无法连接，请稍后再试。日历订阅和网页不受影响。", 503)
    response.headers["Retry-After"] = "300"
    return response


@bp.post("/subscribe")
def subscribe() -> Response:
    """Record a pending subscription and queue the confirmation mail; answers at once, never waits on SMTP."""
    unknown = sorted(set(request.form) - _FORM_FIELDS)
    if unknown:
        return _page("订阅失败", f"未知的字段：{unknown[0]}", 400)
    try:
        filters = check_filter({k: request.form.getlist(k) for k in FILTER_PARAMS if k in request.form})
        offsets = check_offsets(request.form["offsets"]) if request.form.get("offsets", "").strip() else None
        window_open = True if request.form.get("window_open") else None
        digest = check_digest(request.form.get("digest"))
        service().request_subscription(
            request.form.get("email", ""), filters, offsets, window_open, client=request.remote_addr or "", digest=digest
        )
    except InputError as exc:
        return _page("订阅失败", _problem(exc), 400)
    except RateLimited as exc:
        response = _page("请稍后再试", "订阅请求太多，请一小时后再试。", 429)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    # The mail is queued, not sent: the answer is the same whether or not it goes out (or was throttled).
    return _page("请查收确认邮件", "我们将向您的邮箱发送一封确认邮件。点击其中的链接后才会开始发送提醒。", 202)


@bp.get("/subscribe/confirm/<token>")
def confirm_page(token: str) -> Response:
    """The link in the email shows a button; only the POST acts, so a mail scanner's GET confirms nothing."""
    svc = service()
    try:
        request_ = svc.tokens.read_confirm(token, svc.now())
    except TokenError as exc:
        return _page("无法确认订阅", _link_problem(exc), 400)
    scope = filter_from_query(request_["filter"]).label() or "全部截止日期"
    timing = describe_timing(request_["offsets"], request_.get("digest", ""))
    message = f"为 {request_['email']} 订阅截止日期提醒：{one_line(scope)}（{timing}）。"
    return _page("确认订阅", message, 200, button="确认订阅")


@bp.post("/subscribe/confirm/<token>")
def confirm(token: str) -> Response:
    try:
        row = service().confirm(token)
    except TokenError as exc:
        return _page("无法确认订阅", _link_problem(exc), 400)
    except InputError as exc:
        return _page("无法确认订阅", _problem(exc), 400)
    return _page("订阅已确认", f"{row.email} 将收到提醒：{_scope(row)}（{describe_timing(row.offsets, row.digest)}）。", 200)


@bp.get("/unsubscribe/<token>")
def unsubscribe_page(token: str) -> Response:
    """One button; as RFC 8058 asks, a GET (a link checker, a prefetch) never unsubscribes anyone."""
    try:
        row = service().read_unsubscribe(token)
    except TokenError as exc:
        return _page("无法退订", _link_problem(exc), 400)
    return _page("退订提醒", f"{row.email} 将不再收到这项订阅的提醒：{_scope(row)}。该邮箱的其他订阅不受影响。", 200, button="退订")


@bp.post("/unsubscribe/<token>")
def unsubscribe(token: str) -> Response:
    """The button on the page, or the mail client's one-click POST (List-Unsubscribe-Post)."""
    try:
        row = service().unsubscribe_token(token)
    except TokenError as exc:
        return _page("无法退订", _link_problem(exc), 400)
    except InputError as exc:
        return _page("无法退订", _problem(exc), 400)
    return _page("已退订", f"{row.email} 不会再收到这项订阅的提醒：{_scope(row)}。", 200)


def _scope(row) -> str:  # noqa: ANN001 - a Subscriber row
    """A subscription's filter as the page names it (typed values escaped by the template)."""
    return one_line(filter_from_query(row.filter).label() or "全部截止日期")


def _link_problem(exc: TokenError) -> str:
    if exc.expired:
        return "确认链接已过期（有效期 7 天），请重新订阅以获取新的链接。"
    if exc.used:
        return "这个确认链接已经用过，或已被更新的确认邮件取代；如需订阅，请在网页上重新订阅。"
    if exc.stale:
        return "这个退订链接属于此邮箱以前的一次订阅，已经失效；请使用最近一封提醒邮件中的退订链接。"
    return "链接无效：可能被改动或不完整，请从邮件中完整复制。"


def _problem(exc: InputError) -> str:
    return {"email": "邮箱地址无效：", "offsets": "提前时间无效：", "filter": "筛选条件无效：", "digest": "汇总方式无效："}.get(exc.file, "") + exc.problem


def _page(title: str, message: str, status: int, button: str = "") -> Response:
    """A small page in the site's style; with ``button``, a form that POSTs back to this URL."""
    html = render_template(
        "subscribe_result.html", title=title, message=message, home=url_for("index"), button=button, action=request.path
    )
    response = Response(html, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response
