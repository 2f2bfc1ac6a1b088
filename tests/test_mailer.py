"""Reminder emails as received by a real SMTP server on loopback, parsed with the email package."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from pathlib import Path

from ical.calendar_stream import IcsCalendarStream
from reminders_support import (  # noqa: F401
    Clock,
    at,
    deadline,
    html_text,
    ics_calendar,
    make_settings,
    plain_text,
    save,
    service,
    smtp,
    subscribe,
)

ALICE = "alice@example.edu"


def test_reminder_email_content(tmp_path: Path, smtp) -> None:  # noqa: F811
    settings = make_settings(tmp_path, smtp.url)
    save(settings, deadline("d1", dt.date(2026, 3, 16)))
    clock = Clock("2026-03-01T00:00")
    svc = service(settings, clock)
    subscribe(svc, ALICE, "7d")
    clock.set("2026-03-09T09:00")
    svc.check()
    [received] = smtp.mailbox.received
    assert received.recipients == [ALICE]
    assert received.sender == "reminders@calendar.example.edu"
    msg = received.message
    assert msg["Subject"] == "【还有7天】截止：网上填报申报书（项目申报单位）"
    assert "=?utf-8?" in received.raw.decode("ascii").split("\r\n\r\n")[0]  # RFC 2047 on the wire
    assert msg["To"] == ALICE
    assert str(msg["From"]) == "截止日期提醒 <reminders@calendar.example.edu>"
    assert msg.get_content_type() == "multipart/mixed"
    text = plain_text(msg)
    assert "截止：2026年3月16日（周一） 全天，还剩 7 天（5 个工作日）" in text
    assert "对象：项目申报单位" in text and "事项：网上填报申报书" in text
    assert "原文：「请于截止日前完成网上填报申报书。」" in text
    assert "通知：关于开展2026年度项目申报工作的通知" in text and "文号：工信厅科〔2026〕12号" in text
    assert "notices/2026-12.txt" not in text  # a local path of the operator is never published (feed.describe)
    assert "补发" not in text
    html = html_text(msg)
    assert "<p>对象：项目申报单位</p>" in html
    unsubscribe = msg["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://calendar.example.edu/unsubscribe/") and unsubscribe.endswith(">")
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe[1:-1] in text and unsubscribe[1:-1] in html
    calendar = ics_calendar(msg)
    [event] = calendar.events
    assert event.uid == "d1@calendar-svc"  # the feed's UID: a later reminder's import updates the imported copy
    assert event.dtstart == dt.date(2026, 3, 16) and event.dtend == dt.date(2026, 3, 17)
    assert event.summary == "截止：网上填报申报书（项目申报单位）"


def test_timed_deadline_says_hours_left_and_window_email(tmp_path: Path, smtp) -> None:  # noqa: F811
    settings = make_settings(tmp_path, smtp.url)
    save(
        settings,
        deadline("t", at("2026-03-16T16:00")),
        deadline("w", dt.date(2026, 4, 5), start=dt.date(2026, 3, 2), kind="window", what="提交材料"),
    )
    clock = Clock("2026-03-01T00:00")
    svc = service(settings, clock)
    subscribe(svc, ALICE, "2h", window_open=True)
    clock.set("2026-03-02T09:00")
    svc.check()
    clock.set("2026-03-16T14:00")
    svc.check()
    assert smtp.mailbox.subjects(ALICE) == ["【已开始】截止：提交材料（项目申报单位）", "【还有2小时】截止：网上填报申报书（项目申报单位）"]
    opening, timed = smtp.mailbox.to(ALICE)
    assert "申报已开始：2026年3月2日（周一）；截止：2026年4月5日（周日）（还有34天）" in plain_text(opening)
    assert "截止：2026年3月16日（周一） 16:00（还有2小时）" in plain_text(timed)
    [event] = ics_calendar(timed).events
    assert event.dtend == at("2026-03-16T16:00")  # the deadline is the event's end
    # Only the closing event: an import is a copy in the reader's own calendar, the opening one is past news.
    assert [e.uid for e in ics_calendar(opening).events] == ["w@calendar-svc"]


def test_late_reminder_is_marked(tmp_path: Path, smtp) -> None:  # noqa: F811
    settings = make_settings(tmp_path, smtp.url)
    save(settings, deadline("d1", dt.date(2026, 3, 16)))
    clock = Clock("2026-03-01T00:00")
    svc = service(settings, clock)
    subscribe(svc, ALICE, "1d")
    clock.set("2026-03-16T08:00")  # the service was down at 09:00 on the 15th
    svc.check()
    [msg] = smtp.mailbox.to(ALICE)
    assert msg["Subject"] == "（补发）【今天截止】截止：网上填报申报书（项目申报单位）"
    assert "这封提醒本应在 2026年3月15日（周日） 09:00 发出，因服务中断而补发" in plain_text(msg)


def test_header_injection_from_document_text_is_impossible(tmp_path: Path, smtp) -> None:  # noqa: F811
    settings = make_settings(tmp_path, smtp.url)
    evil = "申报书\r\nBcc: victim@evil.example\r\nX-Injected: yes\n\nbody"
    save(settings, deadline("x", dt.date(2026, 3, 16), title=evil))
    clock = Clock("2026-03-01T00:00")
    svc = service(settings, clock)
    subscribe(svc, ALICE, "1d")
    clock.set("2026-03-15T09:00")
    svc.check()
    [received] = smtp.mailbox.received
    assert received.recipients == [ALICE]
    msg = received.message
    assert msg["Bcc"] is None and msg["X-Injected"] is None
    assert msg["Subject"] == "【还有1天】申报书 Bcc: victim@evil.example X-Injected: yes body"
    head = received.raw.split(b"\r\n\r\n")[0].decode("ascii").split("\r\n")
    names = [line.split(":", 1)[0] for line in head if not line.startswith((" ", "\t"))]
    assert names.count("Subject") == 1
    assert "Bcc" not in names and "X-Injected" not in names
    [event] = ics_calendar(msg).events
    assert "Bcc" in event.summary  # the text survives, escaped, inside the calendar


def test_outbox_is_the_default_without_smtp(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, "")
    save(settings, deadline("d1", dt.date(2026, 3, 16)))
    clock = Clock("2026-03-01T00:00")
    svc = service(settings, clock)
    assert "outbox" in svc.transport.description
    subscribe(svc, ALICE, "1d")
    clock.set("2026-03-15T09:00")
    assert svc.check().count("sent") == 1
    [file] = list((tmp_path / "outbox").glob("*.eml"))
    msg = email.message_from_bytes(file.read_bytes(), policy=email.policy.default)
    assert msg["To"] == ALICE and msg["Subject"].startswith("【还有1天】")
    assert not list((tmp_path / "outbox").glob(".*.tmp"))  # written atomically, nothing half-written left


def test_ics_attachment_parses_strictly_on_its_own(tmp_path: Path, smtp) -> None:  # noqa: F811
    settings = make_settings(tmp_path, smtp.url)
    save(settings, deadline("d1", at("2026-03-16T16:00")))
    clock = Clock("2026-03-01T00:00")
    svc = service(settings, clock)
    subscribe(svc, ALICE, "1d")
    clock.set("2026-03-15T16:00")
    svc.check()
    [msg] = smtp.mailbox.to(ALICE)
    [part] = [p for p in msg.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert part.get_filename() == "deadline-d1.ics"
    assert part.get_param("method") is None  # not an iTIP invitation (RFC 5546 would want an ORGANIZER)
    calendar = IcsCalendarStream.calendar_from_ics(part.get_content())
    assert calendar.prodid and calendar.version == "2.0"


def test_a_changed_date_reads_as_people_write_it_and_the_source_is_its_link(tmp_path: Path, smtp) -> None:  # noqa: F811
    from dataclasses import replace

    from calendar_svc.model import Source

    settings = make_settings(tmp_path, smtp.url)
    moved = deadline("m", at("2026-03-16T17:30"))
    moved.revision = 1
    moved.history = ["2026-03-05: 2026-03-12T17:30+08:00 → 2026-03-16T17:30+08:00", "2026-03-06: 2026-03-01–2026-03-12 → 2026-03-16"]
    moved = replace(moved, source=Source(file="/home/operator/notices/2026-12.html", line=7, url="https://www.miit.gov.cn/zwgk/tzgg/art/2026/art_1.html"))
    local = deadline("l", dt.date(2026, 3, 16))
    save(settings, moved, local)
    clock = Clock("2026-03-01T00:00")
    svc = service(settings, clock)
    subscribe(svc, ALICE, "1d")
    clock.set("2026-03-15T17:30")
    svc.check()
    by_id = {m["X-Calendar-Svc-Deadline"]: plain_text(m) for m in smtp.mailbox.to(ALICE)}
    text = by_id["m"]
    assert "时间有变更：2026年3月1日 至 2026年3月12日 → 2026年3月16日（2026年3月6日记录）" in text
    assert "T17:30" not in text and "+08:00" not in text
    assert "出处：https://www.miit.gov.cn/zwgk/tzgg/art/2026/art_1.html" in text
    assert "/home/operator" not in text and "2026-12.html" not in text
    assert "出处" not in by_id["l"] and "notices/2026-12.txt" not in by_id["l"]  # no link: no 出处, never the path


def test_history_lines_read_as_dates_people_write() -> None:
    from calendar_svc.reminders.message import readable_change

    assert readable_change("2026-12-01: 2026-12-04T17:30+08:00 → 2026-12-05T09:00+08:00") == (
        "2026年12月4日 17:30 → 2026年12月5日 09:00（2026年12月1日记录）"
    )
    assert readable_change("2026-12-01: ? → 2026-12-05") == "? → 2026年12月5日（2026年12月1日记录）"
    assert readable_change("人工改期\n2026-13-40") == "人工改期 2026-13-40"  # not a date: kept, on one line
