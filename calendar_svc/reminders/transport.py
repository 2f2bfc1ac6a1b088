"""Handing finished messages over: to an SMTP server, or to an outbox folder of .eml files.

Failures are sorted into two kinds the delivery log acts on: transient ones
(server down, 4xx) are retried with backoff; permanent ones (5xx for this
address or message) are reported and never retried.
"""

from __future__ import annotations

import os
import smtplib
import ssl
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from ..config import Settings, SmtpSettings


class TransientError(Exception):
    """Worth trying again later: the server is down, busy, or said 4xx."""


class PermanentError(Exception):
    """Trying again will not help: the server refused this message or address with 5xx.

    ``address`` is true when the recipient itself was refused (RCPT 5xx): the
    address is bad, not just this message.
    """

    def __init__(self, message: str, *, address: bool = False) -> None:
        super().__init__(message)
        self.address = address


class Sender(Protocol):
    def send(self, message: EmailMessage, sender: str, recipient: str) -> None: ...


class Transport(Protocol):
    """Opens a sending session; one session can send many messages over one connection."""

    description: str

    def session(self) -> Iterator[Sender]: ...


class SmtpTransport:
    """SMTP with optional STARTTLS or implicit TLS and login; one connection per session."""

    def __init__(self, smtp: SmtpSettings, timeout: float = 30.0, tls: ssl.SSLContext | None = None) -> None:
        self.smtp = smtp
        self.timeout = timeout
        self.tls = tls or ssl.create_default_context()
        self.description = f"SMTP {smtp}"

    @contextmanager
    def session(self) -> Iterator[Sender]:
        sender = _SmtpSender(self)
        try:
            yield sender
        finally:
            sender.close()

    def connect(self) -> smtplib.SMTP:
        s = self.smtp
        if s.ssl:
            client: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=self.timeout, context=self.tls)
        else:
            client = smtplib.SMTP(s.host, s.port, timeout=self.timeout)
        try:
            if s.starttls:
                client.starttls(context=self.tls)
            if s.user:
                client.login(s.user, s.password)
        except BaseException:
            client.close()
            raise
        return client


class _SmtpSender:
    """Connects lazily and reconnects after a dropped connection, so one failure costs one message.

    When the server cannot be reached (or refuses the connection, TLS or
    login), the rest of the session fails at once instead of waiting for a
    timeout per message: they all become retries, like the first.
    """

    def __init__(self, transport: SmtpTransport) -> None:
        self.transport = transport
        self.client: smtplib.SMTP | None = None
        self.unreachable = ""

    def send(self, message: EmailMessage, sender: str, recipient: str) -> None:
        if self.unreachable:
            raise TransientError(self.unreachable)
        if self.client is None:
            self.client = self._connect()
        try:
            # The envelope names the one recipient: nothing in the headers can add another.
            self.client.send_message(message, from_addr=sender, to_addrs=[recipient])
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            raise _by_code(code, text, address=True) from None
        except smtplib.SMTPResponseException as exc:
            self.close()
            raise _by_code(exc.smtp_code, exc.smtp_error) from None
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise TransientError(f"{type(exc).__name__}: {exc}") from None

    def _connect(self) -> smtplib.SMTP:
        try:
            return self.transport.connect()
        except smtplib.SMTPResponseException as exc:
            text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
            self.unreachable = f"{exc.smtp_code} {text}"
        except (smtplib.SMTPException, OSError) as exc:
            self.unreachable = f"cannot reach {self.transport.smtp}: {type(exc).__name__}: {exc}"
        raise TransientError(self.unreachable)

    def close(self) -> None:
        client, self.client = self.client, None
        if client is None:
            return
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            client.close()


def _by_code(code: int, text: bytes | str, *, address: bool = False) -> Exception:
    message = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    # 530/535 (authentication) is our configuration, not the address: keep retrying it.
    if 500 <= code < 600 and code not in (530, 535):
        return PermanentError(f"{code} {message}", address=address)
    return TransientError(f"{code} {message}")


class OutboxTransport:
    """The embedded default: each message becomes a complete .eml file, written atomically."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.description = f"outbox folder {self.folder}/ (.eml files; no SMTP configured)"

    @contextmanager
    def session(self) -> Iterator[Sender]:
        yield self

    def send(self, message: EmailMessage, sender: str, recipient: str) -> None:
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # mkstemp's files are 0600: mail is private
            name = f"{uuid.uuid4().hex}.eml"
            data = message.as_bytes()
            fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=self.folder)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, self.folder / name)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise TransientError(f"cannot write to outbox {self.folder}: {exc}") from None


def from_settings(settings: Settings) -> SmtpTransport | OutboxTransport:
    """SMTP when configured, else the outbox folder."""
    if settings.smtp is None:
        return OutboxTransport(settings.outbox)
    return SmtpTransport(settings.smtp, settings.smtp_timeout)
