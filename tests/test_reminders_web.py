"""The page's email subscription: double opt-in, signed links, one-click unsubscribe."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlsplit

from reminders_support import Clock, deadline, make_settings, plain_text, save, service, smtp  # noqa: F401

from calendar_svc.filters import Filters
from calendar_svc.web import create_app
from calendar_svc.web.subscribe import attach

CAROL = "carol@example.edu"


def setup(tmp_path: Path, smtp_url: str):
    settings = make_settings(tmp_path, smtp_url, CALENDAR_SVC_REMINDER_OFFSETS="7d,1d")
    save(settings, deadline("gx", dt.date(2026, 3, 16)), deadline("jy", dt.date(2026, 3, 16), issuer="教育部"))
    clock = Clock("2026-03-01T10:00")
    svc = service(settings, clock)
    svc.on_queued = svc.send_queued  # as serve's scheduler does at once, here in the test's thread
    app = create_app(settings.deadlines, clock=clock)
    attach(app, svc)
    return app.test_client(), svc, clock


def link(text: str, path: str) -> str:
    """The path part of the first link to ``path`` in ``text``."""
    match = re.search(rf"https://calendar\.example\.edu({re.escape(path)}[^\s<>\"]+)", text)
    assert match, f"no {path} link in {text!r}"
    return match.group(1)


def test_double_opt_in_from_the_page(tmp_path: Path, smtp) -> None:  # noqa: F811
    client, svc, clock = setup(tmp_path, smtp.url)
    clock.set("2026-03-05T10:00")
    page = client.get("/?issuer=工业和信息化部").get_data(as_text=True)
    assert 'action="/subscribe"' in page and '<input type="hidden" name="issuer" value="工业和信息化部">' in page

    answer = client.post("/subscribe", data={"email": CAROL, "issuer": "工业和信息化部"})
    assert answer.status_code == 202 and "请查收确认邮件" in answer.get_data(as_text=True)
    [confirmation] = smtp.mailbox.to(CAROL)
    assert confirmation["Subject"] == "请确认订阅截止日期提醒"
    assert "订阅范围：另有 1 项筛选条件" in plain_text(confirmation) and "提前提醒：7天、1天" in plain_text(confirmation)
    assert [(s.email, s.status) for s in svc.subscribers()] == [(CAROL, "pending")]

    clock.set("2026-03-09T09:00")  # the 7d reminder's moment: not for an unconfirmed address
    assert svc.check().outcomes == []
    assert len(smtp.mailbox.to(CAROL)) == 1

    clock.set("2026-03-09T10:00")
    confirm = link(plain_text(confirmation), "/subscribe/confirm/")
    landing = client.get(confirm).get_data(as_text=True)  # a mail scanner's GET confirms nothing
    assert f'<form method="post" action="{confirm}">' in landing and "确认订阅" in landing
    assert svc.subscribers()[0].status == "pending"
    done = client.post(confirm)
    assert done.status_code == 200 and "订阅已确认" in done.get_data(as_text=True)
    assert "将收到提醒：工业和信息化部（提前提醒：7天、1天）" in done.get_data(as_text=True)
    [row] = svc.subscribers()
    assert (row.status, row.filter, row.offsets) == ("confirmed", "issuer=%E5%B7%A5%E4%B8%9A%E5%92%8C%E4%BF%A1%E6%81%AF%E5%8C%96%E9%83%A8", "7d,1d")

    clock.set("2026-03-15T09:00")
    svc.check()
    reminder = smtp.mailbox.to(CAROL)[-1]
    assert reminder["X-Calendar-Svc-Deadline"] == "gx"  # the filter holds: no 教育部 deadline
    assert len(smtp.mailbox.to(CAROL)) == 2

    one_click = urlsplit(reminder["List-Unsubscribe"].strip("<>")).path
    assert "退订" in client.get(one_click).get_data(as_text=True)
    assert svc.subscribers()[0].status == "confirmed"  # GET (a link checker) unsubscribes nobody
    gone = client.post(one_click, data={"List-Unsubscribe": "One-Click"})
    assert gone.status_code == 200 and "不会再收到这项订阅的提醒：工业和信息化部" in gone.get_data(as_text=True)
    assert svc.subscribers()[0].status == "unsubscribed"
    assert link(plain_text(reminder), "/unsubscribe/") == one_click  # the same link is in the body


def test_a_stranger_cannot_change_a_confirmed_subscription(tmp_path: Path, smtp) -> None:  # noqa: F811
    client, svc, clock = setup(tmp_path, smtp.url)
    svc.subscribe(CAROL, Filters(issuer=("工业和信息化部",)))
    client.post("/subscribe", data={"email": CAROL, "issuer": "教育部"})
    client.post("/subscribe", data={"email": CAROL, "issuer": "工业和信息化部", "offsets": "2h"})
    confirmed, requested = svc.subscribers()
    # The confirmed subscription is unchanged; the request for another filter waits for its owner.
    assert (confirmed.status, confirmed.offsets) == ("confirmed", "7d,1d") and "issuer=%E5%B7%A5" in confirmed.filter
    assert requested.status == "pending" and "issuer=%E6%95%99" in requested.filter
    clock.set("2026-03-15T09:00")
    svc.check()
    assert {m["X-Calendar-Svc-Deadline"] for m in smtp.mailbox.to(CAROL) if m["X-Calendar-Svc-Deadline"]} == {"gx"}


def test_an_address_subscribes_twice_from_the_page_and_unsubscribes_one(tmp_path: Path, smtp) -> None:  # noqa: F811
    client, svc, clock = setup(tmp_path, smtp.url)
    client.post("/subscribe", data={"email": CAROL, "issuer": "工业和信息化部"})
    client.post(link(plain_text(smtp.mailbox.to(CAROL)[-1]), "/subscribe/confirm/"))
    clock.set("2026-03-01T10:11")  # past the per-address interval
    client.post("/subscribe", data={"email": CAROL, "issuer": "教育部", "digest": "weekly"})
    confirmation = plain_text(smtp.mailbox.to(CAROL)[-1])
    assert "提醒方式：每周一上午一封汇总（本周和下周到期的截止日期）" in confirmation
    landing = client.get(link(confirmation, "/subscribe/confirm/")).get_data(as_text=True)
    assert "教育部（提醒方式：每周一上午一封汇总" in landing
    client.post(link(confirmation, "/subscribe/confirm/"))
    assert [(s.status, s.digest) for s in svc.subscribers()] == [("confirmed", ""), ("confirmed", "weekly")]
    clock.set("2026-03-09T09:00")  # 7 days before the 工业和信息化部 deadline
    svc.check()
    [reminder] = [m for m in smtp.mailbox.to(CAROL) if m["X-Calendar-Svc-Deadline"] == "gx"]
    [weekly] = [m for m in smtp.mailbox.to(CAROL) if m["X-Calendar-Svc-Offset"] == "weekly"]
    assert weekly["Subject"] == "【本周0项、下周1项到期】截止日期汇总（2026年3月9日起）"  # 教育部's deadline on the 16th
    one_click = urlsplit(reminder["List-Unsubscribe"].strip("<>")).path
    assert "该邮箱的其他订阅不受影响" in client.get(one_click).get_data(as_text=True)
    client.post(one_click, data={"List-Unsubscribe": "One-Click"})
    assert [s.status for s in svc.subscribers()] == ["unsubscribed", "confirmed"]  # the digest stays
    again = client.post(one_click)
    assert again.status_code == 200  # unsubscribing twice is harmless


def test_links_are_signed_and_confirmations_expire(tmp_path: Path, smtp) -> None:  # noqa: F811
    client, svc, clock = setup(tmp_path, smtp.url)
    client.post("/subscribe", data={"email": CAROL})
    confirm = link(plain_text(smtp.mailbox.to(CAROL)[0]), "/subscribe/confirm/")
    tampered = confirm[:-3] + ("AAA" if not confirm.endswith("AAA") else "BBB")
    bad = client.post(tampered)
    assert bad.status_code == 400 and "链接无效" in bad.get_data(as_text=True)
    assert client.get(tampered).status_code == 400
    assert client.post("/unsubscribe/" + svc.tokens.confirm_token({"email": CAROL}, clock.now)).status_code == 400
    clock.now += dt.timedelta(days=8)
    assert client.get(confirm).status_code == 400
    expired = client.post(confirm)
    assert expired.status_code == 400 and "已过期" in expired.get_data(as_text=True)
    assert svc.subscribers()[0].status == "pending"


def test_bad_requests_are_refused_and_record_nothing(tmp_path: Path, smtp) -> None:  # noqa: F811
    client, svc, _ = setup(tmp_path, smtp.url)
    cases = [
        ({"email": "nobody"}, "邮箱地址无效"),
        ({"email": "x@example.edu\r\nBcc: y@example.edu"}, "邮箱地址无效"),
        ({"email": CAROL, "kind": "holiday"}, "筛选条件无效"),
        ({"email": CAROL, "offsets": "7x"}, "提前时间无效"),
        ({"email": CAROL, "admin": "1"}, "未知的字段"),
    ]
    for form, message in cases:
        answer = client.post("/subscribe", data=form)
        assert answer.status_code == 400 and message in answer.get_data(as_text=True), form
    assert svc.subscribers() == []
    assert smtp.mailbox.received == []


def test_smtp_down_on_subscribe_is_queued_and_sent_when_it_is_back(tmp_path: Path, smtp) -> None:  # noqa: F811
    client, svc, clock = setup(tmp_path, smtp.url)
    smtp.stop()
    answer = client.post("/subscribe", data={"email": CAROL})
    assert answer.status_code == 202  # queued: the request does not depend on the SMTP server
    assert client.post("/subscribe", data={"email": CAROL}).status_code == 202  # the throttle holds through the failure
    smtp.start()
    clock.now += dt.timedelta(minutes=2)  # the retry's time
    assert svc.send_queued() == 1
    assert len(smtp.mailbox.to(CAROL)) == 1  # one mail, not one per POST


def test_the_form_cannot_flood_an_address(tmp_path: Path, smtp) -> None:  # noqa: F811
    client, svc, clock = setup(tmp_path, smtp.url)
    for _ in range(5):
        assert client.post("/subscribe", data={"email": CAROL}).status_code == 202  # the same answer every time
    assert len(smtp.mailbox.to(CAROL)) == 1
    clock.now += dt.timedelta(minutes=11)
    client.post("/subscribe", data={"email": CAROL})
    assert len(smtp.mailbox.to(CAROL)) == 2
