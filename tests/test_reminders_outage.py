"""After an outage: the missed offsets of one deadline arrive as one 补发 mail, logged once each, across restarts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reminders_support import Clock, deadline, make_settings, plain_text, save, service, smtp, subscribe  # noqa: F401
from sqlalchemy import select
from sqlalchemy.orm import Session

from calendar_svc.reminders.models import Delivery

ALICE, BOB = "alice@example.edu", "bob@example.org"


def log_rows(svc) -> list[tuple[str, str, str, bool]]:  # noqa: ANN001
    """(deadline, offset, status, merged into another row?) of every delivery, in order."""
    with Session(svc.engine) as session:
        rows = list(session.scalars(select(Delivery).order_by(Delivery.id)))
        return [(r.deadline_id, r.offset, r.status, r.merged_into is not None) for r in rows]


def test_missed_offsets_collapse_into_one_mail(tmp_path: Path, smtp) -> None:  # noqa: F811
    settings = make_settings(tmp_path, smtp.url)
    save(settings, deadline("d", dt.date(2026, 3, 16)), deadline("later", dt.date(2026, 3, 30)))
    clock = Clock("2026-03-01T00:00")
    svc = service(settings, clock, "before-the-outage")
    subscribe(svc, ALICE, "7d,1d,2h")
    subscribe(svc, BOB, "7d,1d,2h")
    svc.engine.dispose()  # down from March 1st …
    clock.set("2026-03-16T16:00")  # … to the deadline day after 15:00: 7d, 1d and 2h all missed
    back = service(settings, clock, "after-the-outage")
    report = back.check()
    assert sorted((o.email, o.offset, o.status) for o in report.outcomes) == [
        (ALICE, "1d", "merged"), (ALICE, "2h", "sent"), (ALICE, "7d", "merged"),
        (BOB, "1d", "merged"), (BOB, "2h", "sent"), (BOB, "7d", "merged"),
    ]
    [mail] = smtp.mailbox.to(ALICE)  # one mail, not three identical 补发 ones
    assert mail["Subject"] == "（补发）【今天截止】截止：网上填报申报书（项目申报单位）"
    assert mail["X-Calendar-Svc-Offset"] == "2h"
    body = plain_text(mail)
    assert "服务中断期间未能按时发出的提醒（提前7天、提前1天、提前2小时）合并为这一封，不再分别补发；截止时间未过。" in body
    assert "本应在" not in body
    assert len(smtp.mailbox.to(BOB)) == 1
    # Every key is in the log once: the 2h row sent, the others merged into it.
    assert log_rows(back) == [
        ("d", "2h", "sent", False), ("d", "1d", "merged", True), ("d", "7d", "merged", True),
        ("d", "2h", "sent", False), ("d", "1d", "merged", True), ("d", "7d", "merged", True),
    ]
    assert back.check().outcomes == []
    # A restart right after: nothing again.
    back.engine.dispose()
    restarted = service(settings, clock, "restarted")
    assert restarted.check().outcomes == []
    # The other deadline's reminders still come one by one at their moments.
    clock.set("2026-03-23T09:00")
    restarted.check()
    assert [m["Subject"] for m in smtp.mailbox.to(ALICE)][1:] == ["【还有7天】截止：网上填报申报书（项目申报单位）"]
    assert len(smtp.mailbox.received) == 4


def test_a_single_missed_reminder_says_when_it_was_due(tmp_path: Path, smtp) -> None:  # noqa: F811
    settings = make_settings(tmp_path, smtp.url)
    save(settings, deadline("d", dt.date(2026, 3, 16)))
    clock = Clock("2026-03-01T00:00")
    svc = service(settings, clock)
    subscribe(svc, ALICE, "7d,1d")
    clock.set("2026-03-10T12:00")  # only 7d was missed (at 09:00 on the 9th)
    svc.check()
    [mail] = smtp.mailbox.to(ALICE)
    assert mail["Subject"] == "（补发）【还有6天】截止：网上填报申报书（项目申报单位）"
    assert "这封提醒本应在 2026年3月9日（周一） 09:00 发出，因服务中断而补发；截止时间未过。" in plain_text(mail)


def test_a_collapsed_mail_that_fails_is_retried_as_one_and_still_names_them_all(tmp_path: Path, smtp) -> None:  # noqa: F811
    settings = make_settings(tmp_path, smtp.url, CALENDAR_SVC_RETRY_BASE="1m")
    save(settings, deadline("d", dt.date(2026, 3, 16)))
    clock = Clock("2026-03-01T00:00")
    svc = service(settings, clock)
    subscribe(svc, ALICE, "7d,1d")
    smtp.stop()
    clock.set("2026-03-15T10:00")
    first = svc.check()
    assert sorted((o.offset, o.status) for o in first.outcomes) == [("1d", "retry"), ("7d", "merged")]
    smtp.start()
    clock.set("2026-03-15T10:02")
    again = svc.check()
    assert [(o.offset, o.status) for o in again.outcomes] == [("1d", "sent")]
    [mail] = smtp.mailbox.to(ALICE)
    assert "服务中断期间未能按时发出的提醒（提前7天、提前1天）合并为这一封" in plain_text(mail)
    assert svc.check().outcomes == []
