"""The email channel: finished messages go to an SMTP server, or to an outbox folder of .eml files.

Failures are sorted into two kinds the delivery log acts on: transient ones
(server down, 4xx) are retried with backoff; permanent ones (5xx for this
address or message) are reported and never retried.
"""

from __future__ import annotations

import os
import re
import smtplib
import socket
import ssl
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from ..config import Settings, SmtpSettings
from ..errors import network_problem, os_problem
from .errors import PermanentError, TransientError

_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")


def one_line(text: str) -> str:
    """Collapse CR, LF and other control characters to single spaces: safe in any header.

    Every header value that can carry notice text goes through this, so a
    notice can never start a header of its own.
    """
    return re.sub(r" {2,}", " ", _BREAKS.sub(" ", text)).strip()


class Sender(Protocol):
    def send(self, message: EmailMessage, sender: str, recipient: str) -> None: ...


class Transport(Protocol):
    """Opens a sending session; one session can send many messages over one connection."""

    description: str

    def session(self) -> Iterator[Sender]: ...

    def abort(self, grace: float = 2.0) -> None: ...


class SmtpTransport:
    """SMTP with optional STARTTLS or implicit TLS and login; one connection per session.

    ``timeout`` is a total deadline, not a per-read timeout: connecting (TCP,
    greeting, EHLO, TLS, login) must finish within it, and so must each
    message. A server that trickles one byte a second cannot hold a worker.
    After ``breaker`` failures in a row the session stops trying: the rest of
    its messages become retries at once.
    """

    def __init__(self, smtp: SmtpSettings, timeout: float = 30.0, tls: ssl.SSLContext | None = None, breaker: int = 3) -> None:
        self.smtp = smtp
        self.timeout = timeout
        self.tls = tls or ssl.create_default_context()
        self.breaker = breaker
        self.description = f"SMTP {smtp}"
        self._active: set[_SmtpSender] = set()
        self._lock = threading.Lock()

    @contextmanager
    def session(self) -> Iterator[Sender]:
        sender = _SmtpSender(self)
        with self._lock:
            self._active.add(sender)
        try:
            yield sender
        finally:
            with self._lock:
                self._active.discard(sender)
            sender.close()

    def abort(self, grace: float = 2.0) -> None:
        """A worker told to stop: cut the open connections still busy after ``grace`` seconds.

        Their messages fail as transient and are retried. The grace lets an
        exchange that is merely finishing record its 250 (cutting right after
        the server took the message would send it twice); a hanging one is cut.
        """

        def cut() -> None:
            with self._lock:
                active = list(self._active)
            for sender in active:
                sender.abort()

        timer = threading.Timer(min(grace, self.timeout), cut)
        timer.daemon = True
        timer.start()

    def connect(self, watch: Callable[[smtplib.SMTP], None] = lambda client: None) -> smtplib.SMTP:
        """Connect, upgrade and log in; ``watch`` sees the client as soon as its socket exists."""
        s = self.smtp
        if s.ssl:
            client: smtplib.SMTP = _WatchedSMTPSSL(watch, s.host, s.port, timeout=self.timeout, context=self.tls)
        else:
            client = _WatchedSMTP(watch, s.host, s.port, timeout=self.timeout)
        try:
            if s.starttls:
                client.starttls(context=self.tls)
            if s.user:
                client.login(s.user, s.password)
        except BaseException:
            client.close()
            raise
        return client


class _Watched:
    """Shows the SMTP client to a watchdog as soon as its socket exists, before the greeting is read."""

    def __init__(self, watch: Callable[[smtplib.SMTP], None], *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        self._watch = watch
        super().__init__(*args, **kwargs)

    def _get_socket(self, host, port, timeout):  # noqa: ANN001, ANN202 - smtplib's hook
        sock = super()._get_socket(host, port, timeout)
        self.sock = sock
        self._watch(self)
        return sock


class _WatchedSMTP(_Watched, smtplib.SMTP):
    pass


class _WatchedSMTPSSL(_Watched, smtplib.SMTP_SSL):
    pass


class _SmtpSender:
    """Connects lazily and reconnects after a dropped connection, so one failure costs one message.

    When the server cannot be reached (or refuses the connection, TLS or
    login), or ``breaker`` messages in a row failed for the connection's sake
    (timeouts, drops), the rest of the session fails at once instead of
    waiting for a deadline per message: they all become retries, like the first.
    """

    def __init__(self, transport: SmtpTransport) -> None:
        self.transport = transport
        self.client: smtplib.SMTP | None = None
        self.unreachable = ""
        self.failures = 0
        self._watched: smtplib.SMTP | None = None
        self._expired = False
        self._aborted = False

    def send(self, message: EmailMessage, sender: str, recipient: str) -> None:
        if self._aborted:
            raise TransientError("发送前已停止")
        if self.unreachable:
            raise TransientError(self.unreachable)
        if self.client is None:
            self.client = self._connect()
        try:
            with self._deadline():
                # The envelope names the one recipient: nothing in the headers can add another.
                self.client.send_message(message, from_addr=sender, to_addrs=[recipient])
        except smtplib.SMTPRecipientsRefused as exc:
            self.failures = 0  # the server answered: the connection is fine
            code, text = next(iter(exc.recipients.values()))
            raise _by_code(code, text, address=True) from None
        except smtplib.SMTPResponseException as exc:
            self.failures = 0
            self.close()
            raise _by_code(exc.smtp_code, exc.smtp_error) from None
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise self._failed(self._describe(exc)) from None
        self.failures = 0

    def _connect(self) -> smtplib.SMTP:
        try:
            with self._deadline():
                client = self.transport.connect(watch=self._watch)
            if self._expired:  # cut mid-greeting: smtplib may have taken a partial line for an answer
                client.close()
                raise OSError("connection cut at the deadline")
            return client
        except smtplib.SMTPResponseException as exc:
            text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
            self.unreachable = f"{exc.smtp_code} {text}"
        except (smtplib.SMTPException, OSError) as exc:
            self.unreachable = f"连不上 {self.transport.smtp}：{self._describe(exc)}"
        raise TransientError(self.unreachable)

    def _failed(self, error: str) -> TransientError:
        self.failures += 1
        if self.failures >= self.transport.breaker:
            self.unreachable = f"连续失败 {self.failures} 次，本次检查不再尝试 {self.transport.smtp}：{error}"
        return TransientError(error)

    def _describe(self, exc: BaseException) -> str:
        if self._aborted:
            return "发送中途停止（worker 收到了停止信号）"
        if self._expired:
            return f"{self.transport.timeout:g} 秒内没有完整的回答（整个交互的时限）"
        if isinstance(exc, smtplib.SMTPServerDisconnected):
            return "服务器断开了连接"
        return network_problem(exc) or f"{type(exc).__name__}: {exc}"

    def _watch(self, client: smtplib.SMTP) -> None:
        self._watched = client
        if self._expired or self._aborted:
            self._cut()

    @contextmanager
    def _deadline(self) -> Iterator[None]:
        """Cut the connection if the block has not finished within the transport's timeout."""
        self._expired = False
        timer = threading.Timer(self.transport.timeout, self._expire)
        timer.daemon = True
        timer.start()
        try:
            yield
        finally:
            timer.cancel()

    def _expire(self) -> None:
        self._expired = True
        self._cut()

    def abort(self) -> None:
        self._aborted = True
        self._cut()

    def _cut(self) -> None:
        """shutdown() wakes a thread blocked reading the socket (close() from another thread would not)."""
        sock = getattr(self._watched, "sock", None)
        if sock is not None:
            try:
                socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the plain call, also under a TLS wrapper
            except OSError:
                pass

    def close(self) -> None:
        client, self.client = self.client, None
        self._watched = None
        if client is None:
            return
        try:
            if self._expired or self._aborted:
                raise OSError("connection already cut")
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
        self.description = f"发件箱文件夹 {self.folder}/（.eml 文件；没有配置 SMTP）"

    @contextmanager
    def session(self) -> Iterator[Sender]:
        yield self

    def abort(self, grace: float = 2.0) -> None:
        """Nothing to cut: a file write is quick."""

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
            raise TransientError(f"无法写入发件箱 {self.folder}：{os_problem(exc)}") from None


def from_settings(settings: Settings) -> SmtpTransport | OutboxTransport:
    """SMTP when configured, else the outbox folder."""
    if settings.smtp is None:
        return OutboxTransport(settings.outbox)
    return SmtpTransport(settings.smtp, settings.smtp_timeout, breaker=settings.smtp_breaker)
