"""The HTTP server behind ``calendar-svc serve``: uvicorn (asyncio, httptools) in front of the Flask app.

Why not a thread-per-request WSGI server: calendar apps poll, and nearly every
poll is a 304 for a body already built. Measured on loopback (2 cores), a bare
304 is ~4 500/s under waitress and ~21 000/s under uvicorn with httptools and
uvloop, against ~50 000/s for nginx; a request waiting for headers also costs
waitress a slot of its 100 connections. So:

* **Fast path.** A GET/HEAD for the feed, the JSON or the page whose body is
  already built for the data on disk is answered in the event loop from the
  pre-encoded body (:meth:`DataFile.cached` + :func:`responses.respond`),
  without a thread, Flask or a build. A cached 304 never waits behind a build.
  The protocol answers it as soon as the request's headers are parsed, writing
  the remembered status line, headers and body in one write: no ASGI task and
  no per-request header checks, which were half of a cached answer's cost
  (bench_web). When an earlier request on the same connection is still being
  answered (pipelining) or the client is not reading, it goes the ASGI way
  (:meth:`Front._fast`), which keeps responses in order and waits for the
  client.
* **Everything else** goes to Flask through a2wsgi's thread pool (builds,
  forms, the health check), with at most :data:`cache.MAX_BUILDS` build at once.
* **Slowloris.** Idle connections cost no thread here, but each still costs a
  file descriptor, so a client gets at most :attr:`Limits.per_client`
  connections, and every request must deliver its headers within
  :attr:`Limits.header_timeout` seconds of its first byte (of the connection,
  for the first request), or it is answered 408 and closed.
* **Bodies.** A request body larger than :attr:`Limits.max_body` is refused
  (413) from its Content-Length before any of it is read, and one without a
  Content-Length (chunked) is refused (411): the forms here are a few fields.
  The body is read in the event loop, within :attr:`Limits.header_timeout`
  (408 past it), before a thread takes the request: a slow sender holds none.
"""

from __future__ import annotations

import asyncio
import resource
import socket
from collections import Counter
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

import uvicorn
from a2wsgi import WSGIMiddleware
from flask import Flask
import httptools
from uvicorn.protocols.http.flow_control import CLOSE_HEADER
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from ..filters import FilterError
from ..publish import Body
from .app import EXTENSION, MAX_FORM_BYTES, Query, read_query, root_url, view_name
from .cache import DataFile
from .responses import VIEWS, View, respond

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
RawHeaders = list[tuple[bytes, bytes]]

#: Query strings and answers the fast path remembers (each map is emptied when full): polls repeat.
MEMO_SIZE = 1024


@dataclass(frozen=True)
class Answer:
    """A cached body's response to one set of request headers, encoded once."""

    status: int
    headers: RawHeaders
    payload: bytes
    #: ``headers`` as HTTP/1.1 header lines (the status line and Date are added per response).
    lines: bytes


@dataclass(frozen=True)
class Limits:
    """What one client may hold; the defaults suit a public server with polling calendar apps."""

    #: Open connections per client address. Behind a reverse proxy every client has the proxy's address:
    #: raise this there and let the proxy limit its clients.
    per_client: int = 32
    #: Seconds from a request's first byte to the end of its headers.
    header_timeout: float = 10.0
    #: Seconds an idle keep-alive connection is kept.
    keep_alive: float = 5.0
    #: Connections in all (new ones past it get a 503).
    connections: int = 1000
    #: Bytes of a request body.
    max_body: int = MAX_FORM_BYTES
    #: Threads for requests that reach Flask (builds, forms, the health check).
    threads: int = 8


class Front:
    """The ASGI app: cached answers straight from the event loop, the rest to Flask."""

    def __init__(self, app: Flask, limits: Limits) -> None:
        self.data: DataFile = app.extensions[EXTENSION]
        self.clock = app.extensions[f"{EXTENSION}.clock"]
        self.base_url: str | None = app.extensions[f"{EXTENSION}.base_url"]
        self.limits = limits
        self.wsgi = WSGIMiddleware(app, workers=limits.threads)
        self.fast_hits = 0
        self._queries: dict[tuple[str, bytes], Query] = {}
        self._answers: dict[tuple, Answer] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        method = scope["method"]
        if method in ("GET", "HEAD") and await self._fast(scope, send, head=method == "HEAD"):
            return
        refusal = self._refuse_body(scope["headers"])
        if refusal:
            await _plain(send, *refusal, close=True)
            return
        try:
            async with asyncio.timeout(self.limits.header_timeout):
                replay = await _read_body(receive)
        except TimeoutError:
            await _plain(send, 408, "请求内容没有按时送达，连接已关闭。(the request body did not arrive in time)", close=True)
            return
        if replay is not None:
            await self.wsgi(scope, replay, send)

    async def _fast(self, scope: Scope, send: Send, *, head: bool) -> bool:
        answer = self.cached_answer(scope["path"], scope["query_string"], scope["headers"], scope.get("server"), scope["scheme"])
        if answer is None:
            return False
        await send({"type": "http.response.start", "status": answer.status, "headers": answer.headers})
        await send({"type": "http.response.body", "body": b"" if head else answer.payload})
        return True

    def cached_answer(
        self, path: str, query: bytes, headers: RawHeaders, server: tuple[str, int] | None, scheme: str
    ) -> Answer | None:
        """The answer to a GET of ``path`` from a body already built for the data on disk, or None (Flask answers)."""
        view = VIEWS.get(path)
        if view is None:
            return None
        parsed = self._parsed(view, query)
        if parsed is None:
            return None  # a bad query: Flask answers, with the message
        now = self.clock()
        name = view_name(view, parsed, root_url(self.base_url, scheme, *(server or ("localhost", 80))), now)
        body = self.data.cached(name, now)
        if body is None:
            return None
        wanted: dict[bytes, bytes | None] = {b"if-none-match": None, b"if-modified-since": None, b"accept-encoding": None}
        for key, value in headers:
            if key in wanted:
                wanted[key] = value
        self.fast_hits += 1
        return self._answer(view, body, *wanted.values())

    def _parsed(self, view: View, query: bytes) -> Query | None:
        """The query string read as the Flask routes read it, remembered for the next poll with the same URL."""
        key = (view.name, query)
        found = self._queries.get(key)
        if found is None:
            try:
                found = read_query(view, parse_qs(query.decode("ascii"), keep_blank_values=True, errors="strict"))
            except (FilterError, UnicodeDecodeError, ValueError):
                return None
            if len(self._queries) >= MEMO_SIZE:
                self._queries.clear()
            self._queries[key] = found
        return found

    def _answer(self, view: View, body: Body, *conditions: bytes | None) -> Answer:
        """:func:`respond` for these request headers, encoded once per body and set of headers."""
        key = (view.name, body.etag, body.modified, *conditions)
        found = self._answers.get(key)
        if found is None:
            inm, ims, accept = (None if c is None else c.decode("latin-1") for c in conditions)
            status, headers, payload = respond(view, body, if_none_match=inm, if_modified_since=ims, accept_encoding=accept)
            raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers]
            if status == 200:
                raw.append((b"content-length", str(len(payload)).encode()))
            found = Answer(status, raw, payload, b"".join(b"%s: %s\r\n" % pair for pair in raw))
            if len(self._answers) >= MEMO_SIZE:
                self._answers.clear()
            self._answers[key] = found
        return found

    def _refuse_body(self, headers: list[tuple[bytes, bytes]]) -> tuple[int, str] | None:
        length = chunked = None
        for key, value in headers:
            if key == b"content-length":
                length = value
            elif key == b"transfer-encoding":
                chunked = value
        if chunked is not None:
            return 411, "请求内容须注明长度（Content-Length）。(a request body needs a Content-Length here)"
        if length is not None and (not length.strip().isdigit() or int(length) > self.limits.max_body):
            return 413, f"请求内容过大，最多 {self.limits.max_body} 字节。(request body too large: at most {self.limits.max_body} bytes)"
        return None


async def _read_body(receive: Receive) -> Receive | None:
    """Read the (capped) body in the event loop, so a slow sender holds no Flask thread; None if the client left."""
    chunks: list[bytes] = []
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    whole: Message = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
    given = False

    async def replay() -> Message:
        nonlocal given
        if given:
            return await receive()  # after the body: wait for the disconnect, as ASGI has it
        given = True
        return whole

    return replay


async def _plain(send: Send, status: int, text: str, *, close: bool = False) -> None:
    body = (text + "\n").encode("utf-8")
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def guarded_protocol(limits: Limits, front: Front | None = None) -> type[HttpToolsProtocol]:
    """uvicorn's httptools protocol with a per-client connection cap, a deadline for headers,
    and ``front``'s cached answers written as soon as a request's headers are in."""
    clients: Counter[str] = Counter()

    class Guarded(HttpToolsProtocol):
        _deadline: asyncio.TimerHandle | None = None
        _counted = ""
        #: This message was answered from the cache in on_headers_complete: uvicorn's cycle never saw it.
        _answered = False

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            address = self.client[0] if self.client else ""
            if clients[address] >= limits.per_client:
                transport.abort()  # the client holds enough connections already
                return
            clients[address] += 1
            self._counted = address
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            if self._counted:
                clients[self._counted] -= 1
                if clients[self._counted] <= 0:
                    del clients[self._counted]
                self._counted = ""
            super().connection_lost(exc)

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._answered = False
            if self._deadline is None:
                self._arm()

        def on_headers_complete(self) -> None:
            self._disarm()
            if front is not None and self._from_cache(front):
                return
            super().on_headers_complete()

        def on_body(self, body: bytes) -> None:
            if not self._answered:
                super().on_body(body)

        def on_message_complete(self) -> None:
            if not self._answered:
                super().on_message_complete()

        def _from_cache(self, front: Front) -> bool:
            """Write the cached answer to this request in one go, as uvicorn's cycle would have sent it."""
            if (self.cycle is not None and not self.cycle.response_complete) or self.pipeline or self.flow.write_paused:
                return False  # an earlier response is unfinished, or the client is not reading: wait the ASGI way
            method = self.parser.get_method()
            if method not in (b"GET", b"HEAD") or self.parser.should_upgrade():
                return False
            url = httptools.parse_url(self.url)
            if b"%" in url.path:
                return False
            answer = front.cached_answer(url.path.decode("ascii"), url.query or b"", self.headers, self.server, self.scheme)
            if answer is None:
                return False
            keep_alive = self.parser.get_http_version() != "1.0" and CLOSE_HEADER not in self.headers
            parts = [STATUS_LINE[answer.status]]
            parts += [b"%s: %s\r\n" % pair for pair in self.server_state.default_headers]  # Date
            parts.append(answer.lines)
            if not keep_alive:
                parts.append(b"connection: close\r\n")
            parts.append(b"\r\n")
            if method == b"GET":
                parts.append(answer.payload)
            self._answered = True
            self.transport.write(b"".join(parts))
            if not keep_alive:
                self.transport.close()
            self.on_response_complete()  # counts it, arms the keep-alive timer
            return True

        def _arm(self) -> None:
            self._deadline = self.loop.call_later(limits.header_timeout, self._too_slow)

        def _disarm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _too_slow(self) -> None:
            self._deadline = None
            if self.transport.is_closing():
                return
            if self.cycle is not None and not self.cycle.response_complete:
                return  # headers came; the app is answering
            self.transport.write(
                b"HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            )
            self.transport.close()

    return Guarded


def make_server(app: Flask, limits: Limits = Limits(), *, log_level: str = "warning") -> uvicorn.Server:
    """A uvicorn server for ``app`` (not yet listening); :func:`serve` and the tests run it."""
    front = Front(app, limits)
    config = uvicorn.Config(
        front,
        http=guarded_protocol(limits, front),
        loop="uvloop",
        ws="none",
        lifespan="off",
        interface="asgi3",
        limit_concurrency=limits.connections,
        timeout_keep_alive=limits.keep_alive,
        timeout_graceful_shutdown=5,
        log_level=log_level,
        access_log=False,
        server_header=False,
        date_header=True,
        proxy_headers=False,  # never trust X-Forwarded-*: links come from --base-url
    )
    return uvicorn.Server(config)


def listen(host: str, port: int) -> socket.socket:
    """A listening socket (port 0: any free one); bound before the server starts, so its port is known."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def raise_file_limit(wanted: int) -> None:
    """Let the process hold ``wanted`` descriptors (connections) if the hard limit allows."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def serve(app: Flask, host: str = "127.0.0.1", port: int = 8000, limits: Limits = Limits()) -> None:
    """Serve ``app`` until SIGINT/SIGTERM (the running requests finish, for at most 5 s)."""
    raise_file_limit(limits.connections + 64)
    sock = listen(host, port)
    make_server(app, limits, log_level="info").run(sockets=[sock])
