"""Real parts for the reminder tests: a loopback SMTP server, an injected clock, deadlines on disk.

Not a conftest: test modules import what they use, so each file shows its
own dependencies.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from ical.calendar_stream import IcsCalendarStream

from calendar_svc import config, store
from calendar_svc.model import SHANGHAI, Deadline, NoticeRef, Source
from calendar_svc.offsets import parse_offsets
from calendar_svc.reminders.service import Reminders, filters_from_options


def at(text: str) -> dt.datetime:
    """``2026-03-10T09:00`` as an Asia/Shanghai moment."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


class Clock:
    """The injected ``now()``: tests move it; nothing depends on today's date."""

    def __init__(self, start: str) -> None:
        self.now = at(start)

    def __call__(self) -> dt.datetime:
        return self.now

    def set(self, text: str) -> dt.datetime:
        self.now = at(text)
        return self.now


@dataclass
class Received:
    sender: str
    recipients: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.raw, policy=email.policy.default)  # type: ignore[return-value]


@dataclass
class Mailbox:
    """aiosmtpd handler keeping every accepted message; ``refuse`` addresses get a 550."""

    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: ANN001
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001
        with self.lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.original_content or envelope.content)))
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [r.message for r in self.received if address in r.recipients]

    def subjects(self, address: str | None = None) -> list[str]:
        with self.lock:
            return [str(r.message["Subject"]) for r in self.received if address is None or address in r.recipients]

    def clear(self) -> None:
        with self.lock:
            self.received.clear()


class SmtpServer:
    """A real SMTP server on 127.0.0.1 that can go down and come back on the same port."""

    def __init__(self) -> None:
        self.mailbox = Mailbox()
        self.port = free_port()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def deadline(
    ident: str,
    end: dt.date | dt.datetime,
    *,
    start: dt.date | dt.datetime | None = None,
    kind: str = "deadline",
    who: str = "项目申报单位",
    what: str = "网上填报申报书",
    issuer: str = "工业和信息化部",
    title: str = "",
    status: str = "extracted",
    tags: list[str] | None = None,
    vanished: bool = False,
) -> Deadline:
    """A deadline as the store holds it; a datetime ``end`` makes it timed."""
    all_day = not isinstance(end, dt.datetime)
    return Deadline(
        id=ident,
        kind=kind,
        start=start,
        end=end,
        all_day=all_day,
        who=who,
        what=what,
        quote=f"请于截止日前完成{what}。",
        notice=NoticeRef(title="关于开展2026年度项目申报工作的通知", issuer=issuer, doc_no="工信厅科〔2026〕12号", date=dt.date(2026, 2, 1)),
        source=Source(file="notices/2026-12.txt", line=42),
        status=status,
        title=title,
        tags=tags or [],
        vanished=vanished,
    )


def make_settings(tmp_path: Path, smtp_url: str = "", **env: str) -> config.Settings:
    """Settings as a deployment would have them: a config file, overridden by CALENDAR_SVC_* variables."""
    file = tmp_path / "calendar-svc.toml"
    if not file.exists():
        file.write_text("[reminders]\nall_day_hour = 9\n", encoding="utf-8")
    values = {
        "CALENDAR_SVC_DEADLINES": str(tmp_path / "deadlines.toml"),
        "CALENDAR_SVC_DATABASE_URL": f"sqlite:///{tmp_path / 'reminders.sqlite3'}",
        "CALENDAR_SVC_SMTP_URL": smtp_url,
        "CALENDAR_SVC_OUTBOX": str(tmp_path / "outbox"),
        "CALENDAR_SVC_MAIL_FROM": "截止日期提醒 <reminders@calendar.example.edu>",
        "CALENDAR_SVC_BASE_URL": "https://calendar.example.edu",
        "CALENDAR_SVC_SECRET_KEY": "test-secret",
        **env,
    }
    return config.load(file, env=values)


def save(settings: config.Settings, *deadlines: Deadline) -> None:
    store.save(settings.deadlines, list(deadlines))


def service(settings: config.Settings, clock: Clock, worker_id: str = "test-worker") -> Reminders:
    return Reminders(settings, now=clock, worker_id=worker_id)


def subscribe(svc: Reminders, email_address: str, offsets: str = "7d,1d,2h", *, window_open: bool = False, **filters: list[str]):
    flt = filters_from_options(filters.get("issuer", []), filters.get("tag", []), filters.get("kind", []), filters.get("who", []))
    return svc.subscribe(email_address, flt, parse_offsets(offsets), window_open)


def ics_calendar(message: EmailMessage):
    """The attached .ics, opened with the strict ``ical`` parser."""
    parts = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1, "exactly one .ics attachment"
    return IcsCalendarStream.calendar_from_ics(parts[0].get_content())


def plain_text(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_text(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


class StallingSmtp:
    """A bad SMTP server on 127.0.0.1: ``trickle`` sends its greeting one byte at a time and never ends the
    line; ``hang`` greets, answers EHLO, then reads commands and never answers MAIL FROM.

    It counts connections and records the commands it read, so tests see how often a client tried.
    """

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        self.commands: list[str] = []
        self.stopped = threading.Event()
        self._clients: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            self._clients.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            if self.mode == "trickle":
                for char in "220 calendar.example.edu ESMTP please wait" * 100:
                    if self.stopped.wait(0.2):
                        return
                    conn.sendall(char.encode())
                return
            conn.sendall(b"220 calendar.example.edu ESMTP\r\n")
            reader = conn.makefile("rb")
            for raw in reader:
                line = raw.decode("ascii", "replace").strip()
                self.commands.append(line)
                if line.upper().startswith(("EHLO", "HELO")):
                    conn.sendall(b"250 calendar.example.edu\r\n")
                elif line.upper().startswith("QUIT"):
                    conn.sendall(b"221 bye\r\n")
                    return
                # MAIL FROM and everything after: silence, until the client gives up.
        except OSError:
            return

    def close(self) -> None:
        self.stopped.set()
        self.listener.close()
        for conn in self._clients:
            try:
                conn.close()
            except OSError:
                pass
