"""Bad luck on the SMTP side: a relay that refuses everyone, a server that hangs or trickles, a worker told to stop."""

from __future__ import annotations

import datetime as dt
import logging
import signal
import sqlite3
import sys
import time
from email.message import EmailMessage
from pathlib import Path

import pytest
from reminders_support import Clock, StallingSmtp, deadline, make_settings, save, service, smtp, subscribe  # noqa: F401
from test_reminders_scheduler import Process, env_for, missed_reminder, wait_for

from calendar_svc.config import SmtpSettings
from calendar_svc.reminders.scheduler import READY
from calendar_svc.channels.email import SmtpTransport, TransientError

PEOPLE = ["alice@example.edu", "bob@example.org", "carol@example.edu"]


def relay_denied(mailbox) -> None:  # noqa: ANN001
    async def deny(server, session, envelope, address, rcpt_options):  # noqa: ANN001, ARG001
        return "554 5.7.1 <%s>: Relay access denied" % "calendar.example.edu"

    mailbox.handle_RCPT = deny


def test_a_relay_refusing_everyone_bounces_nobody_and_alerts_the_operator(tmp_path: Path, smtp, caplog) -> None:  # noqa: F811
    settings = make_settings(tmp_path, smtp.url)
    save(settings, deadline("a", dt.date(2026, 3, 16)))
    clock = Clock("2026-03-01T00:00")
    svc = service(settings, clock)
    for person in PEOPLE:
        subscribe(svc, person, "1d")
    relay_denied(smtp.mailbox)
    clock.set("2026-03-15T09:00")
    with caplog.at_level(logging.ERROR, logger="calendar_svc.reminders"):
        outcomes = svc.check().outcomes
    assert [o.status for o in outcomes] == ["retry"] * 3
    assert {s.status for s in svc.subscribers()} == {"confirmed"}  # nobody bounced
    assert "event=smtp-server-problem" in caplog.text and "Relay access denied" in caplog.text
    assert "SMTP 服务器以同样的理由拒收了 3 个地址" in svc.status().alert

    del smtp.mailbox.handle_RCPT  # the operator fixes the relay settings
    clock.set("2026-03-15T09:05")
    assert [o.status for o in svc.check().outcomes] == ["sent"] * 3
    assert sorted(r.recipients[0] for r in smtp.mailbox.received) == sorted(PEOPLE)
    assert svc.status().alert == ""


def test_the_same_refusal_for_every_address_is_the_servers_not_theirs(tmp_path: Path, smtp) -> None:  # noqa: F811
    settings = make_settings(tmp_path, smtp.url)
    save(settings, deadline("a", dt.date(2026, 3, 16)))
    clock = Clock("2026-03-01T00:00")
    svc = service(settings, clock)
    for person in PEOPLE[:2]:
        subscribe(svc, person, "1d")
    smtp.mailbox.refuse.update(PEOPLE)  # 550 5.1.1 to each: alike, nothing accepted
    clock.set("2026-03-15T09:00")
    assert [o.status for o in svc.check().outcomes] == ["retry"] * 2
    assert {s.status for s in svc.subscribers()} == {"confirmed"}
    subscribe(svc, PEOPLE[2], "1d")  # one address accepted beside them: now the refusals are the addresses'
    smtp.mailbox.refuse.discard(PEOPLE[2])
    clock.set("2026-03-15T09:05")
    assert sorted(o.status for o in svc.check().outcomes) == ["failed", "failed", "sent"]
    assert {s.email: s.status for s in svc.subscribers()} == {PEOPLE[0]: "bounced", PEOPLE[1]: "bounced", PEOPLE[2]: "confirmed"}


def message() -> EmailMessage:
    mail = EmailMessage()
    mail["Subject"] = "提醒"
    mail.set_content("正文\n")
    return mail


@pytest.mark.parametrize("mode", ["trickle", "hang"])
def test_a_stalling_server_costs_one_deadline_per_attempt_and_trips_the_breaker(mode: str) -> None:
    server = StallingSmtp(mode)
    try:
        transport = SmtpTransport(SmtpSettings("127.0.0.1", server.port), timeout=1.0, breaker=3)
        errors = []
        with transport.session() as sender:
            for i in range(10):
                with pytest.raises(TransientError) as caught:
                    sender.send(message(), "r@calendar.example.edu", f"p{i}@example.edu")
                errors.append(str(caught.value))
        # trickle: the greeting never completes, so the first connection already ends the session;
        # hang: three messages time out (one connection each), then the breaker opens.
        expected = 1 if mode == "trickle" else 3
        assert wait_for(lambda: server.connections >= expected)  # the server's accept thread may lag the client
        assert server.connections == expected
        assert "1 秒内没有完整的回答" in errors[0]
        assert all("本次检查不再尝试" in e or "连不上" in e for e in errors[3:])
    finally:
        server.close()


def test_sigterm_stops_a_worker_stuck_on_a_hanging_server_promptly(tmp_path: Path) -> None:
    server = StallingSmtp("hang")
    try:
        missed_reminder(tmp_path, server.url)
        env = {**env_for(tmp_path, server.url), "CALENDAR_SVC_SMTP_TIMEOUT": "120"}
        worker = Process([sys.executable, "-c", "from calendar_svc.cli import main; main()", "worker"], env)
        try:
            assert worker.wait_for_line(READY)
            assert wait_for(lambda: any(c.upper().startswith("MAIL FROM") for c in server.commands))
        finally:
            began = time.monotonic()
            err = worker.stop(signal.SIGTERM, seconds=15)  # not the 120 s the server would hold it
        assert worker.returncode == 0, err
        assert time.monotonic() - began < 15
        with sqlite3.connect(tmp_path / "reminders.sqlite3") as db:
            [(status, error)] = db.execute("SELECT status, last_error FROM delivery").fetchall()
        assert status == "retry" and "发送中途停止" in error  # not lost: the next worker sends it
    finally:
        server.close()
