"""SMTP as configured by URL: STARTTLS with login, implicit TLS (smtps), and refused logins."""

from __future__ import annotations

import email
import email.policy
import ssl
import subprocess
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from reminders_support import Mailbox, free_port

from calendar_svc.config import parse_smtp_url
from calendar_svc.channels.email import SmtpTransport, TransientError


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )
    return cert, key


def authenticator(server, session, envelope, mechanism, auth_data):  # noqa: ANN001, ANN201, ARG001
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"mailer", b"p@ss word")
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself


def message() -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = "【还有1天】截止：测试"
    msg["From"] = "r@example.edu"
    msg["To"] = "alice@example.edu"
    msg.set_content("正文")
    return msg


def server(cert: Path, key: Path, *, implicit: bool) -> tuple[Controller, Mailbox, ssl.SSLContext]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    mailbox = Mailbox()
    port = free_port()
    if implicit:
        controller = Controller(mailbox, hostname="127.0.0.1", port=port, ssl_context=context, authenticator=authenticator, auth_require_tls=False)
    else:
        controller = Controller(
            mailbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True, authenticator=authenticator
        )
    controller.start()
    client = ssl.create_default_context(cafile=str(cert))
    return controller, mailbox, client


def test_starttls_with_login(certificate: tuple[Path, Path]) -> None:
    controller, mailbox, client = server(*certificate, implicit=False)
    try:
        url = f"smtp://mailer:p%40ss%20word@127.0.0.1:{controller.port}?starttls=true"
        with SmtpTransport(parse_smtp_url(url), tls=client).session() as sender:
            sender.send(message(), "r@example.edu", "alice@example.edu")
        [received] = mailbox.received
        assert received.recipients == ["alice@example.edu"]
        assert email.message_from_bytes(received.raw, policy=email.policy.default)["Subject"] == "【还有1天】截止：测试"
        wrong = parse_smtp_url(f"smtp://mailer:nope@127.0.0.1:{controller.port}?starttls=true")
        with pytest.raises(TransientError, match="535"), SmtpTransport(wrong, tls=client).session() as sender:
            sender.send(message(), "r@example.edu", "alice@example.edu")  # our configuration, not the address: retried
        plain = parse_smtp_url(f"smtp://127.0.0.1:{controller.port}")
        with pytest.raises(TransientError, match="530"), SmtpTransport(plain, tls=client).session() as sender:
            sender.send(message(), "r@example.edu", "alice@example.edu")  # the server insists on STARTTLS
        assert len(mailbox.received) == 1
    finally:
        controller.stop()


def test_smtps_implicit_tls_with_login(certificate: tuple[Path, Path]) -> None:
    controller, mailbox, client = server(*certificate, implicit=True)
    try:
        url = f"smtps://mailer:p%40ss%20word@127.0.0.1:{controller.port}"
        with SmtpTransport(parse_smtp_url(url), tls=client).session() as sender:
            sender.send(message(), "r@example.edu", "alice@example.edu")
        assert [r.recipients for r in mailbox.received] == [["alice@example.edu"]]
    finally:
        controller.stop()


def test_untrusted_certificate_is_refused(certificate: tuple[Path, Path]) -> None:
    controller, mailbox, _ = server(*certificate, implicit=False)
    try:
        url = f"smtp://mailer:p%40ss%20word@127.0.0.1:{controller.port}?starttls=true"
        with pytest.raises(TransientError, match="CERTIFICATE_VERIFY_FAILED"), SmtpTransport(parse_smtp_url(url)).session() as sender:
            sender.send(message(), "r@example.edu", "alice@example.edu")
        assert mailbox.received == []
    finally:
        controller.stop()
