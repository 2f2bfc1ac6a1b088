"""Reminders against hostile input and careless set-ups: capped offsets, clean mails, private files, hidden passwords."""

from __future__ import annotations

import datetime as dt
import logging
import stat
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner
from reminders_support import Clock, deadline, make_settings, plain_text, save, service, smtp  # noqa: F401

from calendar_svc import config
from calendar_svc.cli import main
from calendar_svc.errors import InputError
from calendar_svc.offsets import MAX_OFFSETS, OffsetError, parse_offsets
from calendar_svc.channels.email import OutboxTransport
from calendar_svc.web import create_app
from calendar_svc.web.subscribe import attach

CAROL = "carol@example.edu"


def web(tmp_path: Path, smtp_url: str, **env: str):
    settings = make_settings(tmp_path, smtp_url, **env)
    save(settings, deadline("gx", dt.date(2026, 3, 16)))
    clock = Clock("2026-03-01T10:00")
    svc = service(settings, clock)
    svc.on_queued = svc.send_queued
    app = create_app(settings.deadlines, clock=clock)
    attach(app, svc)
    return app.test_client(), svc, clock


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_offsets_are_capped_in_number_and_size() -> None:
    assert len(parse_offsets("7d,3d,1d,2h,30m")) == MAX_OFFSETS == 5
    for text, problem in [
        ("1m,2m,3m,4m,5m,6m", "最多 5 个"),
        (",".join(f"{n}m" for n in range(1, 2001)), "最多 5 个"),
        ("9" * 20 + "m", "太长"),
        ("9" * 15 + "d", "最多 366 天"),  # beyond what a timedelta holds: an OverflowError before
        ("367d", "最多 366 天"),
    ]:
        with pytest.raises(OffsetError, match=problem):
            parse_offsets(text)


def test_the_form_refuses_huge_offsets_with_a_400(tmp_path: Path, smtp) -> None:  # noqa: F811
    client, svc, _ = web(tmp_path, smtp.url)
    for offsets in ["9" * 20 + "d", "1m,2m,3m,4m,5m,6m", ",".join(f"{n}m" for n in range(1, 2001))]:
        answer = client.post("/subscribe", data={"email": CAROL, "offsets": offsets})
        assert answer.status_code == 400 and "提前时间无效" in answer.get_data(as_text=True), offsets[:30]
    assert svc.subscribers() == [] and smtp.mailbox.received == []


def test_the_confirmation_mail_never_carries_typed_filter_text(tmp_path: Path, smtp) -> None:  # noqa: F811
    client, svc, _ = web(tmp_path, smtp.url)
    phishing = "教育部\n\n您的账户已冻结，请立即登录：\nhttps://evil.example/login"
    answer = client.post(
        "/subscribe",
        data={"email": CAROL, "issuer": phishing, "who": "<b>各单位</b>", "kind": "deadline", "offsets": "7d,3d,1d,2h,30m"},
    )
    assert answer.status_code == 202
    [mail] = smtp.mailbox.to(CAROL)
    raw = mail.as_bytes()
    assert len(raw) < 8 * 1024  # capped offsets, no echoed text: the mail stays small
    body = plain_text(mail)
    assert "evil.example" not in body and "冻结" not in body and "各单位" not in body
    assert "订阅范围：截止日期；另有 2 项筛选条件" in body
    confirm = next(line for line in body.splitlines() if "/subscribe/confirm/" in line).split("calendar.example.edu")[1]
    page = client.get(confirm).get_data(as_text=True)  # the owner sees the whole filter on our page, escaped
    assert "evil.example/login" in page and "&lt;b&gt;各单位&lt;/b&gt;" in page and "<b>各单位" not in page


def test_database_and_outbox_are_private(tmp_path: Path, caplog) -> None:
    caplog.set_level(logging.WARNING, "calendar_svc.reminders")
    settings = make_settings(
        tmp_path, "", CALENDAR_SVC_DATABASE_URL=f"sqlite:///{tmp_path / 'state' / 'db' / 'reminders.sqlite3'}"
    )
    svc = service(settings, Clock("2026-03-01T10:00"))
    db_file = tmp_path / "state" / "db" / "reminders.sqlite3"
    svc.subscribe(CAROL, None)
    assert mode(db_file) == 0o600 and mode(db_file.parent) == 0o700
    assert all(mode(p) & 0o077 == 0 for p in db_file.parent.iterdir())  # -wal and -shm follow the database
    assert "secret_key 太短（11 个字符）" in caplog.text  # "test-secret": 11 characters

    loose = tmp_path / "loose.sqlite3"
    loose.touch(mode=0o644)
    loose.chmod(0o644)
    service(make_settings(tmp_path, "", CALENDAR_SVC_DATABASE_URL=f"sqlite:///{loose}"), Clock("2026-03-01T10:00"))
    assert mode(loose) == 0o600 and "database-permissions-tightened" in caplog.text

    outbox = OutboxTransport(tmp_path / "mail" / "outbox")
    mail = EmailMessage()
    mail["Subject"] = "x"
    outbox.send(mail, "a@example.edu", CAROL)
    [written] = list(outbox.folder.iterdir())
    assert mode(written) == 0o600 and mode(outbox.folder) == 0o700


@pytest.mark.parametrize(
    "url",
    [
        "smtp://mailer:hunter2-the-password@mail.example.edu:notaport",
        "smtp://mailer:hunter2-the-password@mail.example.edu/path",
        "smtps://mailer:hunter2-the-password@mail.example.edu?starttls=true",
        "smtp://mailer:hunter2@the-password@mail.example.edu:x",
        "ftp://mailer:hunter2-the-password@mail.example.edu",
    ],
)
def test_the_smtp_password_never_appears_in_an_error(url: str, tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        config.parse_smtp_url(url)
    assert "hunter2" not in str(caught.value) and "the-password" not in str(caught.value)
    env = {"CALENDAR_SVC_CONFIG": str(tmp_path / "none.toml"), "CALENDAR_SVC_SMTP_URL": url}
    (tmp_path / "none.toml").write_text("", encoding="utf-8")
    result = CliRunner().invoke(main, ["status"], env=env)
    assert result.exit_code == 1 and "格式不对" in result.output and "hunter2" not in result.output
