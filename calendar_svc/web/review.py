"""The review page (/review): the queue, one-key actions, reviewer login.

A thin shell over :mod:`calendar_svc.review`. Everything here needs a
login; the public page and the feed stay open. The login lives in a cookie
signed with the server's secret key (itsdangerous), holding the reviewer's
name and a CSRF token that every form must send back; a form without it is
refused. Accounts and their lock-out are in the shared database
(:class:`~calendar_svc.review.accounts.Accounts`).
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from dataclasses import dataclass

from flask import Blueprint, Flask, Response, abort, current_app, g, redirect, render_template, request, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer

from .. import recurrence
from ..internal import MAX_INTERNAL_WORKDAYS, working_days_for
from ..model import STATUS_NAMES, zh_dates, zh_when
from ..review import FOLLOW_RULES, Change, ReviewError, apply, counts, review_queue, version
from ..review.accounts import LOCK_OUT, Accounts
from ..review.actions import repeat_text
from ..review.evidence import evidence, source_lines
from .cache import DataFile

bp = Blueprint("review", __name__, url_prefix="/review")

EXTENSION = "calendar_svc.review"
COOKIE = "calendar_svc_review"
#: A login lasts a working day.
MAX_AGE = 12 * 3600


@dataclass
class Reviewing:
    """What the blueprint needs: the accounts and the key that signs login cookies."""

    accounts: Accounts
    signer: URLSafeTimedSerializer


def init_app(app: Flask) -> None:
    """Register /review; accounts come from the shared database on first use (or :func:`attach`)."""
    app.register_blueprint(bp)
    app.jinja_env.globals.setdefault("status_names", STATUS_NAMES)


def attach(app: Flask, accounts: Accounts, secret_key: str) -> None:
    """Use these accounts and this signing key (tests; ``serve`` uses the reminders service's)."""
    app.extensions[EXTENSION] = Reviewing(accounts, URLSafeTimedSerializer(secret_key, salt="calendar-svc-review"))


def _reviewing() -> Reviewing:
    app = current_app
    if EXTENSION not in app.extensions:
        from .. import db
        from .subscribe import service

        reminders = service()
        key = db.signing_key(reminders.engine, reminders.settings.secret_key)
        attach(app, Accounts(reminders.engine, now=_clock), key)
    return app.extensions[EXTENSION]


def _clock() -> dt.datetime:
    return current_app.extensions["calendar_svc.clock"]()


def _data() -> DataFile:
    return current_app.extensions["calendar_svc"]


# -- the login cookie and CSRF -----------------------------------------------


@bp.before_request
def read_cookie() -> None:
    """``g.session``: the signed cookie's content, or a fresh one (with a new CSRF token)."""
    raw = request.cookies.get(COOKIE, "")
    session = None
    if raw:
        try:
            session = _reviewing().signer.loads(raw, max_age=MAX_AGE)
        except BadSignature:
            session = None
    g.fresh = not isinstance(session, dict) or "csrf" not in session
    g.session = session if not g.fresh else {"csrf": secrets.token_urlsafe(24)}
    if request.method == "POST":
        sent = request.form.get("csrf", "")
        if g.fresh or not hmac.compare_digest(sent.encode(), g.session["csrf"].encode()):
            abort(Response(_render("表单已失效", message="表单缺少有效的校验码（CSRF），请刷新页面后重试。"), status=400))


@bp.after_request
def write_cookie(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    if g.get("fresh") or g.get("changed"):
        response.set_cookie(
            COOKIE,
            _reviewing().signer.dumps(g.session),
            max_age=MAX_AGE,
            httponly=True,
            samesite="Strict",
            secure=request.scheme == "https",
            path="/review",
        )
    return response


def _reviewer() -> str | None:
    return g.session.get("name")


def _render(title: str, **context) -> str:
    return render_template("review/message.html", title=title, csrf=g.session["csrf"], **context)


# -- pages --------------------------------------------------------------------


@bp.get("/login")
def login_form() -> str:
    return render_template("review/login.html", csrf=g.session["csrf"], error="")


@bp.post("/login")
def login() -> Response | tuple[str, int]:
    name = request.form.get("name", "").strip()
    outcome = _reviewing().accounts.login(name, request.form.get("password", ""))
    if outcome == "ok":
        g.session = {"name": name, "csrf": secrets.token_urlsafe(24)}  # a new token for the new session
        g.changed = True
        return redirect(url_for("review.queue"), 303)
    if outcome == "locked":
        minutes = int(LOCK_OUT.total_seconds() // 60)
        error, status = f"密码错误次数过多，该账号已锁定，请 {minutes} 分钟后再试。", 429
    else:
        error, status = "用户名或密码不对。", 401
    return render_template("review/login.html", csrf=g.session["csrf"], error=error, name=name), status


@bp.post("/logout")
def logout() -> Response:
    g.session = {"csrf": secrets.token_urlsafe(24)}
    g.changed = True
    return redirect(url_for("review.login_form"), 303)


@bp.get("")
def queue() -> Response | str:
    if not _reviewer():
        return redirect(url_for("review.login_form"), 303)
    snapshot = _data().snapshot()
    items = review_queue(snapshot.deadlines)
    rules = _data().internal_rules
    waiting = {item.record.id: item.record for item in items}
    internal = {  # each item's internal deadline, and how many working days before the official one
        d.internal_of: (d, working_days_for(waiting[d.internal_of], rules)) for d in snapshot.deadlines if d.internal_of in waiting
    }
    return render_template(
        "review/queue.html",
        items=[(item, evidence(item.record), version(item.record), _original(item.record)) for item in items],
        repeat_text=repeat_text,
        until_of=_until,
        rule_of=_rule_name,
        internal=internal,
        max_internal=MAX_INTERNAL_WORKDAYS,
        zh_dates=zh_dates,
        counts=counts(items),
        reviewer=_reviewer(),
        csrf=g.session["csrf"],
        error=snapshot.error,
        message=zh_dates(request.args.get("done", "")),
        zh_when=zh_when,
        failing_sources=_failing_sources(),
    )


def _until(record) -> str:
    """The recurring record's last day (its rule's UNTIL) for the 止期 field; "" for one date or a COUNT."""
    until = recurrence.parse(record.repeat).until if record.repeat else None
    return until.isoformat() if until else ""


def _rule_name(record) -> str:
    """The rule the 重复 field offers: the record's own (每年3月31日), else monthly on its day (每月12日)."""
    return recurrence.parse(record.repeat).zh if record.repeat else f"每月{record.end.day}日"


def _original(record) -> str:
    """Where 查看原文 goes: the notice's web address, else the file this server read (:func:`source`), else nowhere."""
    if record.source.link:
        return record.source.link
    return url_for("review.source", record_id=record.id, _anchor=f"L{record.source.line}") if source_lines(record) else ""


@bp.get("/<record_id>/source")
def source(record_id: str) -> Response | str | tuple[str, int]:
    """The whole source document of a record, its line marked: 查看原文 for a notice read from a file."""
    if not _reviewer():
        return redirect(url_for("review.login_form"), 303)
    record = next((d for d in _data().snapshot().deadlines if d.id == record_id), None)
    lines = source_lines(record) if record is not None else []
    if not lines:
        return _render("原文不可读", message=f"找不到记录 {record_id} 的原文（文件已移走或无法读取）。", back=url_for("review.queue")), 404
    line = lines[record.source.line - 1] if 1 <= record.source.line <= len(lines) else ""
    before, quote, after = line.partition(record.quote) if record.quote and record.quote in line else ("", line, "")
    return render_template(
        "review/source.html", record=record, lines=lines, marked=(before, quote, after), reviewer=_reviewer(), csrf=g.session["csrf"]
    )


#: ``serve`` puts a callable here that lists the watched sources whose checks fail (calendar_svc.sources).
SOURCES_EXTENSION = "calendar_svc.sources.failing"


def _failing_sources() -> list:
    report = current_app.extensions.get(SOURCES_EXTENSION)
    if report is None:
        return []
    try:
        return report()
    except Exception as exc:  # the queue must show even when the sources' state cannot be read
        current_app.logger.warning("event=failing-sources-unreadable error=%s", exc)
        return []


@bp.post("/<record_id>")
def act(record_id: str) -> Response | tuple[str, int]:
    who = _reviewer()
    if not who:
        return redirect(url_for("review.login_form"), 303)
    try:
        change = _change(request.form)
        record = apply(_data().path, record_id, change, who=who, now=_clock(), expect=request.form.get("version") or None)
    except ReviewError as exc:  # a conflict, an unknown id, impossible dates
        status = 409 if exc.__class__.__name__ == "Conflict" else 400
        return _render("未能保存", message=str(exc), back=url_for("review.queue")), status
    done = record.history[-1] if record.history else ""
    return redirect(url_for("review.queue", done=done) + "#queue", 303)


def _change(form) -> Change:
    """The form's one action as a :class:`Change` (dates typed as people type them)."""
    action = form.get("action", "")
    if action in ("confirm", "hide"):
        return Change(status="confirmed" if action == "confirm" else "hidden")
    if action == "title":
        return Change(title=form.get("title", ""))
    if action == "tags":
        return Change(tags=tuple(t for t in form.get("tags", "").replace("，", ",").split(",")))
    if action == "note":
        return Change(note=form.get("note", ""))
    if action == "internal":
        return Change(internal_workdays=_workdays(form.get("internal_workdays", "")))
    if action == "dates":
        return Change(start=_typed(form.get("start", "")), end=_typed(form.get("end", "")))
    if action == "repeat":
        if form.get("repeat", "") == "none":
            return Change(no_repeat=True)
        until = _typed(form.get("until", ""))
        if until is None:
            raise ReviewError("请填写重复到哪一天为止（止期）")
        return Change(repeat_until=until if isinstance(until, dt.date) and not isinstance(until, dt.datetime) else until.date())
    raise ReviewError(f"未知操作 {action!r}")


def _workdays(value: str) -> int:
    """The form's working days: blank follows the rules, 0 is none."""
    value = value.strip()
    if not value:
        return FOLLOW_RULES
    if not value.isdigit():
        raise ReviewError(f"内部截止须填工作日数（0–{MAX_INTERNAL_WORKDAYS}，0 为不设；留空则按规则），不是 {value!r}")
    return int(value)


def _typed(value: str):
    """A date (2026-03-18) or date and time (2026-03-18T16:00) from the form's date inputs; blank is None."""
    value = value.strip()
    if not value:
        return None
    from ..model import SHANGHAI

    try:
        if "T" in value or " " in value:
            return dt.datetime.fromisoformat(value).replace(tzinfo=SHANGHAI)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ReviewError(f"看不懂的日期 {value!r}（例如 2026-03-18 或 2026-03-18T16:00）") from None
