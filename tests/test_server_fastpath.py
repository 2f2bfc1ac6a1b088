"""Cached answers written by the protocol itself: byte for byte what the ASGI/Flask way sends, in order, closed when asked."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from feed_fixtures import NOW, LiveServer, sample, save

from calendar_svc.web import create_app


class Connection:
    """One keep-alive HTTP/1.1 connection, read by hand so that pipelining and closing can be checked."""

    def __init__(self, url: str) -> None:
        host, port = url.removeprefix("http://").split(":")
        self.sock = socket.create_connection((host, int(port)), timeout=10)
        self.buffer = b""

    def send(self, *requests: bytes) -> None:
        self.sock.sendall(b"".join(requests))

    def response(self, *, head: bool = False) -> tuple[int, dict[str, str], bytes]:
        while b"\r\n\r\n" not in self.buffer:
            self._more()
        top, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        status_line, *lines = top.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
        status = int(status_line.split()[1])
        length = 0 if head or status == 304 else int(headers["content-length"])
        while len(self.buffer) < length:
            self._more()
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return status, headers, body

    def closed(self) -> bool:
        """The server closed the connection (after everything already read)."""
        return self.buffer == b"" and self.sock.recv(1) == b""

    def _more(self) -> None:
        chunk = self.sock.recv(65536)
        assert chunk, "connection closed mid-response"
        self.buffer += chunk

    def close(self) -> None:
        self.sock.close()


def get(path: str, *headers: str, method: str = "GET", version: str = "1.1") -> bytes:
    lines = [f"{method} {path} HTTP/{version}", "Host: 127.0.0.1", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


@pytest.fixture
def server(tmp_path: Path):
    running = LiveServer(create_app(save(tmp_path / "deadlines.toml", sample()), clock=lambda: NOW))
    running.start()
    yield running
    running.stop()


def _without_date(headers: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in headers.items() if k != "date"}


@pytest.mark.parametrize("path", ["/calendar.ics", "/", "/deadlines.json?kind=window"])
def test_a_cached_answer_is_what_the_built_one_was(server: LiveServer, path: str) -> None:
    """200, gzip, 304 and HEAD from the cache carry the headers and body the first (built) answer had."""
    connection = Connection(server.url)
    try:
        connection.send(get(path, "Accept-Encoding: gzip"))
        status, built_headers, built = connection.response()
        assert status == 200 and "date" in built_headers
        hits = server.front.fast_hits
        connection.send(get(path, "Accept-Encoding: gzip"))
        status, headers, body = connection.response()
        assert server.front.fast_hits == hits + 1
        assert status == 200 and body == built and _without_date(headers) == _without_date(built_headers)
        assert "date" in headers

        connection.send(get(path, "Accept-Encoding: gzip", f"If-None-Match: {built_headers['etag']}"))
        status, headers, body = connection.response()
        assert status == 304 and body == b"" and headers["etag"] == built_headers["etag"]
        assert "content-length" not in headers and "content-type" not in headers

        connection.send(get(path, "Accept-Encoding: gzip", method="HEAD"))
        status, headers, body = connection.response(head=True)
        assert status == 200 and headers["content-length"] == str(len(built)) and body == b""

        connection.send(get(path, "Accept-Encoding: gzip"))  # the connection is still good after all of them
        assert connection.response()[2] == built
        assert server.front.fast_hits == hits + 4
    finally:
        connection.close()


def test_pipelined_requests_are_answered_in_order(server: LiveServer) -> None:
    """A cached answer behind a request that is still being built waits its turn on the connection."""
    warm = Connection(server.url)
    warm.send(get("/calendar.ics"))
    cached = warm.response()[2]
    warm.close()
    connection = Connection(server.url)
    try:
        connection.send(get("/calendar.ics?kind=window"), get("/calendar.ics"), get("/calendar.ics?kind=deadline"))
        first, second, third = (connection.response() for _ in range(3))
        assert [first[0], second[0], third[0]] == [200, 200, 200]
        assert second[2] == cached
        assert first[2] != cached and third[2] != cached and first[2] != third[2]
        assert b"\r\n" in first[2] and first[1]["etag"] != second[1]["etag"]
    finally:
        connection.close()


@pytest.mark.parametrize("request_bytes", [get("/calendar.ics", version="1.0"), get("/calendar.ics", "Connection: close")],
                         ids=["HTTP/1.0", "Connection: close"])
def test_a_cached_answer_closes_when_the_client_asked(server: LiveServer, request_bytes: bytes) -> None:
    warm = Connection(server.url)
    warm.send(get("/calendar.ics"))
    cached = warm.response()[2]
    warm.close()
    hits = server.front.fast_hits
    connection = Connection(server.url)
    try:
        connection.send(request_bytes)
        status, headers, body = connection.response()
        assert (status, body, headers["connection"]) == (200, cached, "close")
        assert server.front.fast_hits == hits + 1
        assert connection.closed()
    finally:
        connection.close()
