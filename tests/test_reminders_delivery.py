"""Exactly once, never lost: the delivery log against a real SMTP server and an injected clock."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import Counter
from pathlib import Path

import pytest
from reminders_support import Clock, deadline, make_settings, save, service, smtp, subscribe  # noqa: F401
from sqlalchemy import select
from sqlalchemy.orm import Session

from calendar_svc import datafile
from calendar_svc.errors import CalendarSvcError
from calendar_svc.reminders.models import Delivery
from calendar_svc.channels.email import TransientError

ALICE, BOB = "alice@example.edu", "bob@example.org"


def keys(mailbox) -> Counter:
    """(recipient, deadline id, offset, subject) of every received message, counted."""
    return Counter(
        (r.recipients[0], r.message["X-Calendar-Svc-Deadline"], r.message["X-Calendar-Svc-Offset"], r.message["Subject"])
        for r in mailbox.received
    )


def test_reminders_arrive_at_the_right_moments(tmp_path: Path, smtp) -> None:  # noqa: F811
    settings = make_settings(tmp_path, smtp.url)
    save(settings, deadline("d", dt.date(2026, 3, 16)), deadline("t", dt.datetime(2026, 3, 12, 16, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))))
    clock = Clock("2026-03-01T00:00")
    svc = service(settings, clock)
    subscribe(svc, ALICE, "7d,1d,2h")
    timeline = {
        "2026-03-05T15:59": [],
        "2026-03-05T16:00": ["【还有7天】截止：网上填报申报书（项目申报单位）"],  # t: 7d before 16:00 on the 12th
        "2026-03-09T08:59": [],
        "2026-03-09T09:00": ["【还有7天】截止：网上填报申报书（项目申报单位）"],  # d: 09:00, 7 days before
        "2026-03-11T16:00": ["【还有1天】截止：网上填报申报书（项目申报单位）"],
        "2026-03-12T14:00": ["【还有2小时】截止：网上填报申报书（项目申报单位）"],
        "2026-03-15T09:00": ["【还有1天】截止：网上填报申报书（项目申报单位）"],
        "2026-03-16T14:59": [],
        "2026-03-16T15:00": ["【今天截止】截止：网上填报申报书（项目申报单位）"],  # 2h before the office closes, not at 22:00
        "2026-03-16T22:00": [],
        "2026-03-17T09:00": [],
    }
    for moment, expected in timeline.items():
        smtp.mailbox.clear()
        clock.set(moment)
        svc.check()
        assert smtp.mailbox.subjects(ALICE) == expected, moment


def test_restart_in_the_middle_loses_nothing_and_duplicates_nothing(tmp_path: Path, smtp) -> None:  # noqa: F811
    settings = make_settings(tmp_path, smtp.url)
    save(settings, *[deadline(f"d{i}", dt.date(2026, 3, 10 + i)) for i in range(5)])
    clock = Clock("2026-03-01T00:00")
    first = service(settings, clock, "worker-1")
    subscribe(first, ALICE, "1d")
    subscribe(first, BOB, "1d")
    clock.set("2026-03-11T09:00")  # d0 (the 10th) has passed; d1 was due yesterday 09:00 (late), d2 now
    first.check()
    assert sorted(k[1] for k in keys(smtp.mailbox)) == ["d1", "d1", "d2", "d2"]
    # The process dies; a new one (new engine, same database) starts two days later.
    first.engine.dispose()
    clock.set("2026-03-13T09:30")
    second = service(settings, clock, "worker-2")
    report = second.check()
    assert sorted((o.deadline_id, o.late) for o in report.outcomes) == [("d3", True), ("d3", True), ("d4", True), ("d4", True)]
    assert second.check().outcomes == []
    clock.set("2026-03-20T00:00")
    assert second.check().outcomes == []
    counts = keys(smtp.mailbox)
    assert sorted(counts.values()) == [1] * 8
    assert {(k[0], k[1]) for k in counts} == {(p, f"d{i}") for p in (ALICE, BOB) for i in range(1, 5)}


def test_crash_between_claim_and_send_is_taken_over_after_the_lease(tmp_path: Path, smtp) -> None:  # noqa: F811
    settings = make_settings(tmp_path, smtp.url, CALENDAR_SVC_CLAIM_LEASE="15m")
    save(settings, deadline("d", dt.date(2026, 3, 16)))
    clock = Clock("2026-03-01T00:00")
    svc = service(settings, clock, "doomed")
    subscribe(svc, ALICE, "1d")

    class Crash(BaseException):
        """The process dies after its claim is committed, before SMTP."""

    def crash(reminder, now, late):  # noqa: ANN001, ARG001
        raise Crash

    svc.dispatcher.compose = crash
    clock.set("2026-03-15T09:00")
    with pytest.raises(Crash):
        svc.check()
    assert smtp.mailbox.received == []
    clock.set("2026-03-15T09:10")  # within the lease: another worker leaves the claim alone
    other = service(settings, clock, "rescuer")
    assert other.check().outcomes == []
    clock.set("2026-03-15T09:16")
    assert [o.status for o in other.check().outcomes] == ["sent"]
    other.check()
    assert len(smtp.mailbox.to(ALICE)) == 1


def test_two_workers_on_one_database_send_each_reminder_once(tmp_path: Path, smtp) -> None:  # noqa: F811
    settings = make_settings(tmp_path, smtp.url)
    save(settings, *[deadline(f"d{i}", dt.date(2026, 3, 16 + i % 3)) for i in range(12)])
    clock = Clock("2026-03-01T00:00")
    subscribe(service(settings, clock, "setup"), ALICE, "7d,1d")
    subscribe(service(settings, clock, "setup"), BOB, "7d,1d")
    workers = [service(settings, clock, f"w{i}") for i in range(2)]
    clock.set("2026-03-18T09:00")  # everything is due at once: maximum contention
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(worker) -> None:  # noqa: ANN001
        try:
            barrier.wait()
            worker.check()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    counts = keys(smtp.mailbox)
    assert max(counts.values()) == 1
    # Only the four deadlines on the 18th have not passed: 4 deadlines × 2 people, their 7d and 1d
    # reminders (both missed) in one message each.
    assert sum(counts.values()) == 4 * 2
    assert {k[2] for k in counts} == {"1d"}
    with Session(workers[0].engine) as session:
        states = Counter(session.scalars(select(Delivery.status)))
    assert states == {"sent": 8, "merged": 8}  # every key logged once


def test_smtp_down_then_up_every_reminder_arrives_once(tmp_path: Path, smtp, caplog) -> None:  # noqa: F811
    caplog.set_level(logging.INFO, logger="calendar_svc.reminders")
    settings = make_settings(tmp_path, smtp.url, CALENDAR_SVC_RETRY_BASE="1m", CALENDAR_SVC_RETRY_MAX="10m")
    save(settings, deadline("a", dt.date(2026, 3, 16)), deadline("b", dt.date(2026, 3, 17)))
    clock = Clock("2026-03-01T00:00")
    svc = service(settings, clock)
    subscribe(svc, ALICE, "2d")
    subscribe(svc, BOB, "2d")
    smtp.stop()
    clock.set("2026-03-14T09:00")
    report = svc.check()
    assert [o.status for o in report.outcomes] == ["retry", "retry"]
    with Session(svc.engine) as session:
        row = session.scalars(select(Delivery)).first()
        assert row.next_attempt_at == clock.now + dt.timedelta(minutes=1)
    clock.set("2026-03-14T09:00:30")
    assert svc.check().outcomes == []  # not before the backoff
    clock.set("2026-03-14T09:01")
    assert [o.status for o in svc.check().outcomes] == ["retry", "retry"]
    with Session(svc.engine) as session:
        row = session.scalars(select(Delivery).order_by(Delivery.id)).first()
        assert row.attempts == 2 and row.next_attempt_at == clock.now + dt.timedelta(minutes=2)
        assert row.last_error.startswith("连不上 smtp://") and row.last_error.endswith("：对方拒绝连接"), row.last_error
    assert svc.status().failures  # shown by `calendar-svc status`
    clock.set("2026-03-14T09:03")
    waiting = svc.check(dry_run=True).outcomes  # remind --at … --dry-run lists retries that are due, too
    assert sorted((o.status, o.email) for o in waiting) == [("retry-due", ALICE), ("retry-due", BOB)]
    clock.set("2026-03-15T09:00")  # b's reminder falls due while still down
    svc.check()
    smtp.start()
    clock.set("2026-03-15T09:05")
    svc.check()
    svc.check()
    counts = keys(smtp.mailbox)
    assert sorted(counts.values()) == [1, 1, 1, 1]
    assert {(k[0], k[1]) for k in counts} == {(ALICE, "a"), (BOB, "a"), (ALICE, "b"), (BOB, "b")}
    assert all(k[3].startswith("（补发）") for k in counts if k[1] == "a")
    events = [r.getMessage().split()[0] for r in caplog.records]
    assert events.count("event=retry") == 8 and events.count("event=sent") == 4  # a: 3 tries, b: 1, × 2 people
    assert "event=checked" in events


def test_permanent_failure_is_reported_not_retried(tmp_path: Path, smtp) -> None:  # noqa: F811
    settings = make_settings(tmp_path, smtp.url)
    save(settings, deadline("a", dt.date(2026, 3, 16)))
    clock = Clock("2026-03-01T00:00")
    svc = service(settings, clock)
    subscribe(svc, ALICE, "1d")
    subscribe(svc, BOB, "1d")
    smtp.mailbox.refuse.add(BOB)
    clock.set("2026-03-15T09:00")
    outcomes = {o.email: o for o in svc.check().outcomes}
    assert outcomes[ALICE].status == "sent"
    assert outcomes[BOB].status == "failed" and outcomes[BOB].error.startswith("550")
    clock.set("2026-03-16T09:00")
    assert svc.check().outcomes == []
    [failure] = svc.status().failures
    assert (failure.email, failure.status, failure.attempts) == (BOB, "failed", 1)
    # The address is refused for good: no more attempts for it, and it is shown as bounced.
    assert {s.email: s.status for s in svc.subscribers()} == {ALICE: "confirmed", BOB: "bounced"}
    assert svc.status().subscribers["bounced"] == 1
    save(settings, deadline("a", dt.date(2026, 3, 16)), deadline("b", dt.date(2026, 3, 20)))
    clock.set("2026-03-19T09:00")
    assert [(o.email, o.status) for o in svc.check().outcomes] == [(ALICE, "sent")]
    smtp.mailbox.refuse.clear()
    subscribe(svc, BOB, "1d")  # the operator fixed the mailbox and subscribes it again
    clock.set("2026-03-19T09:01")
    assert [(o.email, o.status) for o in svc.check().outcomes] == [(BOB, "sent")]


def test_a_refused_message_does_not_bounce_the_address(tmp_path: Path, smtp) -> None:  # noqa: F811
    settings = make_settings(tmp_path, smtp.url)
    save(settings, deadline("a", dt.date(2026, 3, 16)))
    clock = Clock("2026-03-01T00:00")
    svc = service(settings, clock)
    subscribe(svc, ALICE, "1d")

    async def reject(server, session, envelope):  # noqa: ANN001, ARG001
        return "554 5.6.0 message content rejected"

    smtp.mailbox.handle_DATA = reject
    clock.set("2026-03-15T09:00")
    assert [(o.status, o.error[:3]) for o in svc.check().outcomes] == [("failed", "554")]
    assert svc.subscribers()[0].status == "confirmed"


def test_transient_failures_give_up_after_max_attempts(tmp_path: Path, smtp) -> None:  # noqa: F811
    settings = make_settings(tmp_path, smtp.url, CALENDAR_SVC_MAX_ATTEMPTS="3", CALENDAR_SVC_RETRY_BASE="1m")
    save(settings, deadline("a", dt.date(2026, 3, 16)))
    clock = Clock("2026-03-01T00:00")
    svc = service(settings, clock)
    subscribe(svc, ALICE, "1d")

    class Down:
        description = "always down"

        def session(self):  # noqa: ANN202
            from contextlib import nullcontext

            return nullcontext(self)

        def send(self, message, sender, recipient):  # noqa: ANN001
            raise TransientError("421 try later")

    svc.dispatcher.transport = Down()
    statuses = []
    for moment in ("2026-03-15T09:00", "2026-03-15T09:01", "2026-03-15T09:03", "2026-03-15T10:00"):
        clock.set(moment)
        statuses += [o.status for o in svc.check().outcomes]
    assert statuses == ["retry", "retry", "failed"]
    assert svc.status().failures[0].last_error == "gave up after 3 attempts: 421 try later"


def test_moved_deadline_is_sent_at_its_new_time_only(tmp_path: Path, smtp) -> None:  # noqa: F811
    settings = make_settings(tmp_path, smtp.url)
    save(settings, deadline("m", dt.date(2026, 3, 16)))
    clock = Clock("2026-03-01T00:00")
    svc = service(settings, clock)
    subscribe(svc, ALICE, "1d")
    clock.set("2026-03-10T00:00")
    svc.check()
    save(settings, deadline("m", dt.date(2026, 3, 20)))  # the notice was corrected: same id, new date
    clock.set("2026-03-15T09:00")  # the old moment
    assert svc.check().outcomes == []
    clock.set("2026-03-19T08:59")
    assert svc.check().outcomes == []
    clock.set("2026-03-19T09:00")
    svc.check()
    [msg] = smtp.mailbox.to(ALICE)
    assert "2026年3月20日" in msg.get_body(preferencelist=("plain",)).get_content()


def test_moved_deadline_cancels_a_pending_retry(tmp_path: Path, smtp) -> None:  # noqa: F811
    settings = make_settings(tmp_path, smtp.url)
    save(settings, deadline("m", dt.date(2026, 3, 16)))
    clock = Clock("2026-03-01T00:00")
    svc = service(settings, clock)
    subscribe(svc, ALICE, "1d")
    smtp.stop()
    clock.set("2026-03-15T09:00")
    assert [o.status for o in svc.check().outcomes] == ["retry"]
    smtp.start()
    save(settings, deadline("m", dt.date(2026, 3, 25)))
    clock.set("2026-03-15T09:05")
    assert [(o.status, o.error) for o in svc.check().outcomes] == [("cancelled", "deadline-moved")]
    assert smtp.mailbox.received == []


def test_hidden_or_vanished_deadline_is_cancelled(tmp_path: Path, smtp) -> None:  # noqa: F811
    settings = make_settings(tmp_path, smtp.url)
    save(settings, deadline("h", dt.date(2026, 3, 16)), deadline("v", dt.date(2026, 3, 16)))
    clock = Clock("2026-03-01T00:00")
    svc = service(settings, clock)
    subscribe(svc, ALICE, "7d,1d")
    clock.set("2026-03-09T09:00")
    svc.check()
    assert len(smtp.mailbox.received) == 2
    save(settings, deadline("h", dt.date(2026, 3, 16), status="hidden"), deadline("v", dt.date(2026, 3, 16), vanished=True))
    clock.set("2026-03-15T09:00")
    assert svc.check().outcomes == []
    assert len(smtp.mailbox.received) == 2


def test_unsubscribed_address_gets_nothing_more(tmp_path: Path, smtp) -> None:  # noqa: F811
    settings = make_settings(tmp_path, smtp.url)
    save(settings, deadline("a", dt.date(2026, 3, 16)))
    clock = Clock("2026-03-01T00:00")
    svc = service(settings, clock)
    subscribe(svc, ALICE, "7d,1d")
    subscribe(svc, BOB, "7d,1d")
    clock.set("2026-03-09T09:00")
    svc.check()
    assert svc.unsubscribe(ALICE) == 1
    assert svc.unsubscribe(ALICE) == 0
    clock.set("2026-03-15T09:00")
    svc.check()
    assert len(smtp.mailbox.to(ALICE)) == 1
    assert len(smtp.mailbox.to(BOB)) == 2


def test_never_for_a_passed_deadline(tmp_path: Path, smtp) -> None:  # noqa: F811
    settings = make_settings(tmp_path, smtp.url)
    save(settings, deadline("a", dt.date(2026, 3, 16)))
    clock = Clock("2026-03-01T00:00")
    svc = service(settings, clock)
    subscribe(svc, ALICE, "7d,1d,2h")
    clock.set("2026-03-17T00:00")  # down through the whole period, back after the deadline
    assert svc.check().outcomes == []
    assert smtp.mailbox.received == []


def test_a_silent_smtp_server_costs_one_timeout_per_check_not_one_per_message(tmp_path: Path) -> None:
    import socket
    import time

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)  # accepts connections, never says hello
    try:
        port = silent.getsockname()[1]
        settings = make_settings(tmp_path, f"smtp://127.0.0.1:{port}", CALENDAR_SVC_SMTP_TIMEOUT="1")
        save(settings, *[deadline(f"d{i}", dt.date(2026, 3, 16)) for i in range(5)])
        clock = Clock("2026-03-01T00:00")
        svc = service(settings, clock)
        subscribe(svc, ALICE, "1d")
        clock.set("2026-03-15T09:00")
        began = time.monotonic()
        report = svc.check()
        assert time.monotonic() - began < 3
        assert [o.status for o in report.outcomes] == ["retry"] * 5
        assert all(o.error.startswith("连不上 smtp://127.0.0.1") for o in report.outcomes)
    finally:
        silent.close()


def test_a_broken_edit_of_deadlines_toml_keeps_the_last_good_copy(tmp_path: Path, smtp, caplog) -> None:  # noqa: F811
    settings = make_settings(tmp_path, smtp.url)
    save(settings, deadline("a", dt.date(2026, 3, 16)))
    clock = Clock("2026-03-01T00:00")
    svc = service(settings, clock)
    subscribe(svc, ALICE, "1d")
    svc.check()
    good = settings.deadlines.read_text(encoding="utf-8")
    settings.deadlines.write_text(good + "\n[[deadline]]\nid = \n", encoding="utf-8")
    clock.set("2026-03-15T09:00")
    with caplog.at_level(logging.ERROR, logger="calendar_svc.reminders"):
        assert [o.status for o in svc.check().outcomes] == ["sent"]
    assert "event=deadlines-unreadable" in caplog.text and "不是有效的 TOML" in caplog.text
    fresh = service(settings, clock, "new-process")  # with no good copy, the error is the caller's
    fresh.deadlines = datafile.DataFile(settings.deadlines)  # a new process has not read the file yet
    with pytest.raises(CalendarSvcError, match=r"deadlines\.toml:\d+: 不是有效的 TOML"):
        fresh.check()


@pytest.mark.parametrize("damage", ["delete", "empty", "blank"])
def test_a_deleted_or_emptied_deadlines_file_never_cancels_pending_retries(tmp_path: Path, smtp, caplog, damage: str) -> None:  # noqa: F811
    settings = make_settings(tmp_path, smtp.url)
    save(settings, deadline("a", dt.date(2026, 3, 16)))
    clock = Clock("2026-03-01T00:00")
    svc = service(settings, clock)
    subscribe(svc, ALICE, "1d")
    smtp.stop()
    clock.set("2026-03-15T09:00")
    assert [o.status for o in svc.check().outcomes] == ["retry"]
    if damage == "delete":
        settings.deadlines.unlink()
    else:
        settings.deadlines.write_text("" if damage == "empty" else "\n  \n", encoding="utf-8")
    smtp.start()
    clock.set("2026-03-15T09:05")
    with caplog.at_level(logging.ERROR, logger="calendar_svc.reminders"):
        assert [o.status for o in svc.check().outcomes] == ["sent"]  # from the last good copy, not "cancelled"
    assert "event=deadlines-unreadable" in caplog.text
    assert ("截止日期文件不存在（被删除或移走了？）" if damage == "delete" else "截止日期文件是空的（被截断了？）") in svc.status().deadlines_error

    fresh = service(settings, clock, "new-process")  # no good copy: an error, never "no deadlines"
    clock.set("2026-03-01T00:00")
    subscribe(fresh, BOB, "1d")
    smtp.stop()
    save(settings, deadline("a", dt.date(2026, 3, 16)))
    clock.set("2026-03-15T09:10")
    assert [o.status for o in fresh.check().outcomes] == ["retry"]
    settings.deadlines.unlink()
    smtp.start()
    clock.set("2026-03-15T09:15")
    restarted = service(settings, clock, "restarted")
    restarted.deadlines = datafile.DataFile(settings.deadlines)  # a new process has not read the file yet
    with pytest.raises(CalendarSvcError, match="截止日期文件不存在"):
        restarted.check()
    with Session(restarted.engine) as session:
        assert session.scalar(select(Delivery.status).where(Delivery.email == BOB)) == "retry"  # still waiting


def test_a_steady_tick_checks_only_the_moments_since_the_previous_one(tmp_path: Path, smtp, monkeypatch) -> None:  # noqa: F811
    """Same file, same subscribers: no full due-check after the first tick; a change brings one back."""
    from calendar_svc.reminders import schedule

    settings = make_settings(tmp_path, smtp.url)
    save(settings, deadline("a", dt.date(2026, 3, 16)), deadline("b", dt.date(2026, 3, 20)))
    clock = Clock("2026-03-01T00:00")
    svc = service(settings, clock)
    subscribe(svc, ALICE, "1d")
    full = []
    real_due = schedule.due
    monkeypatch.setattr(schedule, "due", lambda *a, **k: full.append(1) or real_due(*a, **k))
    sent = []
    for moment in ["2026-03-14T09:00", "2026-03-15T08:59", "2026-03-15T09:00", "2026-03-18T09:00", "2026-03-19T09:00"]:
        clock.set(moment)
        sent += [o.deadline_id for o in svc.check().outcomes if o.status == "sent"]
    assert sent == ["a", "b"] and len(full) == 1  # only the first tick was a full one
    subscribe(svc, BOB, "1d")  # a changed subscription: a full check again, then incremental
    clock.set("2026-03-19T09:01")
    svc.check()
    clock.set("2026-03-19T09:02")
    svc.check()
    assert len(full) == 2
