"""The subscribe form under abuse: no SMTP in the request, rate limits, expiring requests, single-use and per-subscription links."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

from reminders_support import Clock, StallingSmtp, deadline, make_settings, plain_text, save, service, smtp  # noqa: F401

from calendar_svc.reminders.service import Reminders
from calendar_svc.web import create_app
from calendar_svc.web.subscribe import attach

CAROL = "carol@example.edu"


def setup(tmp_path: Path, smtp_url: str, *, mail_at_once: bool = True, **env: str):
    settings = make_settings(tmp_path, smtp_url, CALENDAR_SVC_REMINDER_OFFSETS="1d", **env)
    save(settings, deadline("gx", dt.date(2026, 3, 16)))
    clock = Clock("2026-03-01T10:00")
    svc = service(settings, clock)
    if mail_at_once:
        svc.on_queued = svc.send_queued
    app = create_app(settings.deadlines, clock=clock)
    attach(app, svc)
    return app.test_client(), svc, clock


def confirm_link(mail) -> str:  # noqa: ANN001
    return re.search(r"https://calendar\.example\.edu(/subscribe/confirm/\S+)", plain_text(mail)).group(1)


def unsubscribe_link(mail) -> str:  # noqa: ANN001
    return urlsplit(mail["List-Unsubscribe"].strip("<>")).path


def test_subscribe_never_waits_on_a_hanging_smtp_server(tmp_path: Path) -> None:
    server = StallingSmtp("hang")
    try:
        client, svc, _ = setup(tmp_path, server.url, mail_at_once=False)
        for n in range(8):
            assert client.post("/subscribe", data={"email": f"p{n}@example.edu"}).status_code == 202
        assert server.connections == 0  # the requests only queued their mails
        assert len(svc.subscribers()) == 8
    finally:
        server.close()


def test_rate_limits_per_client_and_for_everyone(tmp_path: Path, smtp) -> None:  # noqa: F811
    client, svc, clock = setup(
        tmp_path, smtp.url, CALENDAR_SVC_CONFIRMATIONS_PER_CLIENT="3", CALENDAR_SVC_CONFIRMATIONS_PER_HOUR="5"
    )

    def post(n: int, ip: str):  # noqa: ANN202
        return client.post("/subscribe", data={"email": f"target+{n}@example.edu"}, environ_overrides={"REMOTE_ADDR": ip})

    assert [post(n, "10.0.0.1").status_code for n in range(4)] == [202, 202, 202, 429]
    limited = post(9, "10.0.0.1")
    assert limited.headers["Retry-After"] == "3600" and "请一小时后再试" in limited.get_data(as_text=True)
    assert [post(n, "10.0.0.2").status_code for n in range(10, 13)] == [202, 202, 429]  # 5 in all this hour
    assert len(smtp.mailbox.received) == 5
    assert "target+3@example.edu" not in {s.email for s in svc.subscribers()}  # refused requests record nothing
    clock.now += dt.timedelta(minutes=61)
    assert post(20, "10.0.0.1").status_code == 202


def test_unconfirmed_requests_expire(tmp_path: Path, smtp) -> None:  # noqa: F811
    client, svc, clock = setup(tmp_path, smtp.url)
    client.post("/subscribe", data={"email": CAROL})
    svc.subscribe("dave@example.edu", None)
    svc.unsubscribe("dave@example.edu")
    client.post("/subscribe", data={"email": "dave@example.edu"})
    assert {s.email: s.status for s in svc.subscribers()} == {CAROL: "pending", "dave@example.edu": "pending"}
    clock.now += dt.timedelta(days=6)
    assert svc.expire_pending() == 0
    clock.now += dt.timedelta(days=2)
    assert svc.expire_pending() == 2
    assert {s.email: s.status for s in svc.subscribers()} == {"dave@example.edu": "unsubscribed"}


def test_a_confirm_link_confirms_once(tmp_path: Path, smtp) -> None:  # noqa: F811
    client, svc, clock = setup(tmp_path, smtp.url)
    client.post("/subscribe", data={"email": CAROL})
    link = confirm_link(smtp.mailbox.to(CAROL)[0])
    assert client.post(link).status_code == 200
    svc.unsubscribe(CAROL)
    clock.now += dt.timedelta(days=6)  # a week-old link, not yet expired, replayed after the unsubscribe
    replay = client.post(link)
    assert replay.status_code == 400 and "已经用过" in replay.get_data(as_text=True)
    assert svc.subscribers()[0].status == "unsubscribed"

    client.post("/subscribe", data={"email": CAROL, "kind": "window"})
    clock.now += dt.timedelta(minutes=11)
    client.post("/subscribe", data={"email": CAROL, "kind": "window", "offsets": "1d"})
    older, newer = (confirm_link(m) for m in smtp.mailbox.to(CAROL)[1:])
    assert client.post(older).status_code == 400  # replaced by the newer request for the same subscription
    assert client.post(newer).status_code == 200
    [windows] = [s for s in svc.subscribers() if s.filter == "kind=window"]
    assert (windows.status, windows.offsets) == ("confirmed", "1d")


def test_unsubscribe_links_belong_to_one_subscription(tmp_path: Path, smtp) -> None:  # noqa: F811
    client, svc, clock = setup(tmp_path, smtp.url)
    client.post("/subscribe", data={"email": CAROL})
    client.post(confirm_link(smtp.mailbox.to(CAROL)[-1]))
    clock.set("2026-03-15T09:00")
    svc.check()
    first = unsubscribe_link(smtp.mailbox.to(CAROL)[-1])
    assert client.post(first).status_code == 200 and svc.subscribers()[0].status == "unsubscribed"

    clock.set("2026-03-15T10:00")
    client.post("/subscribe", data={"email": CAROL})  # subscribes again: a new subscription
    client.post(confirm_link(smtp.mailbox.to(CAROL)[-1]))
    old = client.post(first)  # last time's link (a forwarded mail, say) does not end this one
    assert old.status_code == 400 and "以前的一次订阅" in old.get_data(as_text=True)
    assert client.get(first).status_code == 400
    assert svc.subscribers()[0].status == "confirmed"
    save(svc.settings, deadline("gx", dt.date(2026, 3, 16)), deadline("later", dt.date(2026, 3, 20)))
    clock.set("2026-03-19T09:00")
    svc.check()
    current = unsubscribe_link(smtp.mailbox.to(CAROL)[-1])
    assert current != first and client.post(current).status_code == 200
    assert svc.subscribers()[0].status == "unsubscribed"


def test_a_version_1_database_is_migrated_and_its_links_keep_working(tmp_path: Path, smtp) -> None:  # noqa: F811
    client, svc, clock = setup(tmp_path, smtp.url)
    svc.subscribe(CAROL, None)
    legacy = svc.tokens._unsubscribe.dumps(CAROL)  # what version 1 put in its mails: the address alone
    svc.engine.dispose()
    with sqlite3.connect(tmp_path / "reminders.sqlite3") as db:  # back to the version 1 tables
        db.execute("ALTER TABLE subscriber DROP COLUMN confirm_nonce")
        db.execute("ALTER TABLE subscriber DROP COLUMN generation")
        db.execute("UPDATE calendar_svc_meta SET value = '1' WHERE key = 'schema_version'")
    upgraded = Reminders(svc.settings, now=clock)
    assert [s.generation for s in upgraded.subscribers()] == [0]
    app = create_app(svc.settings.deadlines, clock=clock)
    attach(app, upgraded)
    assert app.test_client().post("/unsubscribe/" + legacy).status_code == 200
    assert upgraded.subscribers()[0].status == "unsubscribed"
