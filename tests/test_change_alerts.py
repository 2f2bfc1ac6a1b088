"""Change alerts: a confirmed deadline moves, goes back to review, is confirmed again: one 截止日期变更 email each.

A real SMTP server on 127.0.0.1 (aiosmtpd), the real store, review actions
and reminders service, and an injected clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from reminders_support import Clock, deadline, make_settings, plain_text, save, service, smtp, subscribe, html_text  # noqa: F401

from calendar_svc import store
from calendar_svc.model import Source
from calendar_svc.review import Change, apply, review_queue

ALICE, BOB, CAROL, DAVE = "alice@example.edu", "bob@example.org", "carol@example.edu", "dave@example.edu"
SUBJECT = "【截止日期变更】截止：网上填报申报书（项目申报单位）"


def reextract(path: Path, record, now: dt.datetime) -> None:
    """What ``extract -o`` does with a changed notice: merge under the lock, save."""
    with store.locked(path):
        merged, _ = store.merge(store.load(path), [record], now=now, scope=store.scope_of([record]))
        store.save(path, merged)


def change_mails(smtp, address: str | None = None) -> list:
    return [s for s in smtp.mailbox.subjects(address) if "截止日期变更" in s]


def test_a_moved_confirmed_deadline_returns_to_review_and_after_confirmation_each_matching_subscriber_gets_one_email(
    tmp_path: Path, smtp  # noqa: F811
) -> None:
    settings = make_settings(tmp_path, smtp.url)
    original = replace(
        deadline("d", dt.date(2026, 3, 20), tags=["科研"]),
        source=Source(file="notices/2026-12.html", line=42, url="https://kjt.example.gov.cn/tzgg/t20260201_12.html"),
    )
    save(settings, original)
    path = settings.deadlines
    clock = Clock("2026-03-02T10:00")
    svc = service(settings, clock)
    subscribe(svc, ALICE, "7d")  # everything
    subscribe(svc, BOB, "7d", issuer=["工业和信息化部"])  # matches
    subscribe(svc, CAROL, "7d", issuer=["教育部"])  # another issuer: no alert
    apply(path, "d", Change(status="confirmed"), who="张三", now=clock())
    svc.check()
    assert change_mails(smtp) == []

    # An extension: the notice now says 3月31日.
    clock.set("2026-03-03T09:00")
    moved = replace(original, end=dt.date(2026, 3, 31), quote="申报截止时间延长至2026年3月31日。")
    reextract(path, moved, clock())
    (record,) = store.load(path)
    assert record.status == "confirmed" and record.end == dt.date(2026, 3, 20)  # published as confirmed meanwhile
    assert [(i.reason, i.detail) for i in review_queue([record])] == [("日期有变", "2026年3月20日 → 2026年3月31日")]
    svc.check()
    assert change_mails(smtp) == []  # nothing until a person confirms

    clock.set("2026-03-03T10:30")
    subscribe(svc, DAVE, "7d")  # subscribed before the confirmation: told
    clock.set("2026-03-03T11:00")
    apply(path, "d", Change(status="confirmed"), who="李四", now=clock())
    clock.set("2026-03-03T11:01")
    svc.check()

    assert sorted(r.recipients[0] for r in smtp.mailbox.received if "截止日期变更" in str(r.message["Subject"])) == [ALICE, BOB, DAVE]
    (mail,) = smtp.mailbox.to(ALICE)[-1:]
    assert str(mail["Subject"]) == SUBJECT
    text = plain_text(mail)
    assert "截止日期由 2026年3月20日 → 2026年3月31日" in text
    assert "新的截止：2026年3月31日（周二） 全天" in text
    assert "原文：「申报截止时间延长至2026年3月31日。」" in text
    assert "2026-03" not in text.split("在网页上查看")[0]  # dates as people write them, never ISO
    assert '<a href="https://kjt.example.gov.cn/tzgg/t20260201_12.html">查看原文</a>' in html_text(mail)
    assert mail["List-Unsubscribe"]

    # None on a re-run, a later check, or a second service on the same database.
    svc.check()
    clock.set("2026-03-04T09:00")
    svc.check()
    service(settings, clock, worker_id="second").check()
    assert len(change_mails(smtp)) == 3
    assert change_mails(smtp, CAROL) == []

    # A later subscriber is not told about a change made before they subscribed.
    subscribe(svc, "erin@example.edu", "7d")
    svc.check()
    assert len(change_mails(smtp)) == 3


def test_a_second_move_is_a_second_alert_and_a_date_edit_on_a_confirmed_record_alerts_too(tmp_path: Path, smtp) -> None:  # noqa: F811
    settings = make_settings(tmp_path, smtp.url)
    save(settings, deadline("d", dt.date(2026, 3, 20)), deadline("e", dt.date(2026, 3, 25), what="报送推荐函"))
    path = settings.deadlines
    clock = Clock("2026-03-02T10:00")
    svc = service(settings, clock)
    subscribe(svc, ALICE, "7d")
    apply(path, "d", Change(status="confirmed"), who="张三", now=clock())
    apply(path, "e", Change(end=dt.date(2026, 3, 26), status="confirmed"), who="张三", now=clock())  # never confirmed before
    svc.check()
    assert change_mails(smtp) == []

    clock.set("2026-03-03T09:00")
    apply(path, "d", Change(end=dt.date(2026, 3, 27)), who="张三", now=clock())  # a person moves a confirmed date
    clock.set("2026-03-03T09:01")
    svc.check()
    clock.set("2026-03-05T09:00")
    apply(path, "d", Change(end=dt.date(2026, 3, 30)), who="李四", now=clock())
    clock.set("2026-03-05T09:01")
    svc.check()
    svc.check()
    texts = [plain_text(m) for m in smtp.mailbox.to(ALICE) if "截止日期变更" in str(m["Subject"])]
    assert len(texts) == 2
    assert "2026年3月20日 → 2026年3月27日" in texts[0] and "2026年3月27日 → 2026年3月30日" in texts[1]


def test_a_hidden_or_passed_deadline_sends_no_alert(tmp_path: Path, smtp) -> None:  # noqa: F811
    settings = make_settings(tmp_path, smtp.url)
    save(settings, deadline("d", dt.date(2026, 3, 20)))
    path = settings.deadlines
    clock = Clock("2026-03-02T10:00")
    svc = service(settings, clock)
    subscribe(svc, ALICE, "7d")
    apply(path, "d", Change(status="confirmed"), who="张三", now=clock())
    reextract(path, deadline("d", dt.date(2026, 3, 31)), clock())
    apply(path, "d", Change(status="hidden"), who="张三", now=clock())
    svc.check()
    assert change_mails(smtp) == []
    (record,) = store.load(path)
    assert record.status == "hidden" and not record.pending and not record.moved_from


def test_who_is_owed_an_alert_internal_and_official_choices_once_per_address() -> None:
    from calendar_svc.filters import Filters
    from calendar_svc.internal import with_internal
    from calendar_svc.reminders.changes import wanted
    from calendar_svc.reminders.schedule import Recipient
    from reminders_support import at

    changed = replace(deadline("d", dt.date(2026, 3, 31), status="confirmed"), moved_from="2026-03-20",
                      moved_at=at("2026-03-03T11:00"), internal_workdays=3)
    records = with_internal([changed, deadline("e", dt.date(2026, 3, 25), status="confirmed")])
    assert [r.id for r in records if r.internal_of] == ["d-internal"]

    def person(ident: int, email: str, since: str = "2026-03-01T00:00", **flt) -> Recipient:
        return Recipient(ident, email, Filters(**flt), (), False, at(since))

    people = [
        person(1, ALICE, deadlines="internal"),  # only internal deadlines: matches d's internal one
        person(2, BOB, deadlines="official"),
        person(3, CAROL, issuer=("教育部",)),  # another issuer
        person(4, DAVE),  # both: still one email
        person(5, DAVE, kind=("deadline",)),  # a second subscription of the same address
        person(6, "erin@example.edu", since="2026-03-03T12:00"),  # subscribed after the change
    ]
    owed = wanted(records, people, at("2026-03-04T09:00"))
    assert [(r.id, p.email) for r, p in owed] == [("d", ALICE), ("d", BOB), ("d", DAVE)]
    assert wanted(records, people, at("2026-04-01T09:00")) == []  # the deadline has passed
