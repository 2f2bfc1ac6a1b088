"""A real HTTP server on 127.0.0.1 that answers as 企业微信, 钉钉 and 飞书 group robots do.

It checks each request against the format the platform documents and refuses
what the platform would refuse, with the platform's own answer:

* 企业微信 ``POST /cgi-bin/webhook/send?key=K``: JSON ``msgtype`` text or markdown, ``markdown.content``
  a non-empty string of at most 4096 bytes; an unknown key is ``{"errcode": 93000, …}``.
* 钉钉 ``POST /robot/send?access_token=T[&timestamp=…&sign=…]``: ``msgtype`` markdown (``title`` and
  ``text``) or text; with a secret, ``timestamp`` in milliseconds within an hour of the server's
  clock and ``sign`` the URL-encoded Base64 HMAC-SHA256 of ``timestamp\\nsecret`` keyed with the
  secret, else ``{"errcode": 310000, "errmsg": "sign not match"}``.
* 飞书 ``POST /open-apis/bot/v2/hook/ID``: ``msg_type`` text or post (``content.post.zh_cn`` with a
  ``title`` and ``content`` as lists of ``{"tag": "text"|"a"|"at", …}``); with a secret, body fields
  ``timestamp`` (seconds, within an hour) and ``sign`` = Base64 HMAC-SHA256 keyed with
  ``timestamp\\nsecret`` over nothing, else ``{"code": 19021, …}``.

The signatures are computed here independently of calendar_svc's code.
``failures[platform]`` queues answers that platform gives instead (``"500"``, ``"ratelimit"``).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

WECOM_KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
DINGTALK_TOKEN = "98975521a1b23c02cdd1a9a08c69511d"
DINGTALK_SECRET = "SEC19dd84be8c7f3cf71761974f1ed3ef77c1451906ae8ba18acf56103ee"
FEISHU_HOOK = "5e3d587e-d78e-4a07-bd07-265f269f86fd"
FEISHU_SECRET = "nIMtb7r3N9pkXyXdtAbx6e"


@dataclass
class Received:
    platform: str
    body: dict
    query: dict


@dataclass
class RobotServer:
    """The three platforms' webhooks on one loopback port; ``now`` is the platforms' clock (the tests' clock)."""

    now: Callable[[], dt.datetime]
    received: list[Received] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    failures: dict[str, list[str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    port: int = 0

    def start(self) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                status, answer = server.answer(self.path, self.headers.get("Content-Type", ""), raw)
                data = json.dumps(answer).encode() if isinstance(answer, dict) else answer.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json" if isinstance(answer, dict) else "text/html")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def urls(self) -> dict[str, str]:
        return {
            "wecom": f"{self.base}/cgi-bin/webhook/send?key={WECOM_KEY}",
            "dingtalk": f"{self.base}/robot/send?access_token={DINGTALK_TOKEN}",
            "feishu": f"{self.base}/open-apis/bot/v2/hook/{FEISHU_HOOK}",
        }

    def of(self, platform: str) -> list[Received]:
        with self.lock:
            return [r for r in self.received if r.platform == platform]

    # -- the platforms ---------------------------------------------------------

    def answer(self, path: str, content_type: str, raw: bytes) -> tuple[int, dict | str]:
        parts = urlsplit(path)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        platform = "wecom" if parts.path == "/cgi-bin/webhook/send" else "dingtalk" if parts.path == "/robot/send" else (
            "feishu" if parts.path.startswith("/open-apis/bot/v2/hook/") else ""
        )
        if not platform:
            return 404, "<html>Not Found</html>"
        with self.lock:
            queue = self.failures.get(platform, [])
            failure = queue.pop(0) if queue else ""
        if failure == "500":
            return 502, "<html>Bad Gateway</html>"
        if failure == "ratelimit":
            return 200, {"wecom": {"errcode": 45009, "errmsg": "api freq out of limit"},
                         "dingtalk": {"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"},
                         "feishu": {"code": 11232, "msg": "frequency limited", "data": {}}}[platform]
        if not content_type.startswith("application/json"):
            return self._refuse(platform, "content type is not application/json")
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return self._refuse(platform, "body is not UTF-8 JSON")
        problem = getattr(self, f"_check_{platform}")(parts.path, query, body)
        if problem:
            return self._refuse(platform, problem)
        with self.lock:
            self.received.append(Received(platform, body, query))
        return 200, {"feishu": {"code": 0, "msg": "success", "data": {}}}.get(platform, {"errcode": 0, "errmsg": "ok"})

    def _refuse(self, platform: str, problem: str) -> tuple[int, dict]:
        with self.lock:
            self.refused.append((platform, problem))
        code = {"wecom": 93000 if "key" in problem else 40008, "dingtalk": 310000 if "sign" in problem else 300001}.get(platform)
        if platform == "feishu":
            return 200, {"code": 19021 if "sign" in problem else 9499, "msg": problem, "data": {}}
        return 200, {"errcode": code, "errmsg": problem}

    def _check_wecom(self, path: str, query: dict, body: dict) -> str:
        if query.get("key") != WECOM_KEY:
            return "invalid webhook url: unknown key"
        if body.get("msgtype") == "markdown":
            content = body.get("markdown", {}).get("content")
        elif body.get("msgtype") == "text":
            content = body.get("text", {}).get("content")
        else:
            return f"invalid message type {body.get('msgtype')!r}"
        if not isinstance(content, str) or not content.strip():
            return "empty content"
        if len(content.encode("utf-8")) > (4096 if body["msgtype"] == "markdown" else 2048):
            return "content size out of limit"
        return ""

    def _check_dingtalk(self, path: str, query: dict, body: dict) -> str:
        if query.get("access_token") != DINGTALK_TOKEN:
            return "token is not exist"
        timestamp, sign = query.get("timestamp"), query.get("sign")
        if timestamp is None or sign is None:
            return "sign not match: timestamp and sign required (加签)"
        if abs(int(timestamp) / 1000 - self.now().timestamp()) > 3600:
            return "sign not match: timestamp is more than an hour off"
        expected = base64.b64encode(
            hmac.new(DINGTALK_SECRET.encode(), f"{timestamp}\n{DINGTALK_SECRET}".encode(), hashlib.sha256).digest()
        ).decode()
        if not hmac.compare_digest(unquote(sign) if "%" in sign else sign, expected):
            return "sign not match"
        if body.get("msgtype") == "markdown":
            md = body.get("markdown", {})
            if not isinstance(md.get("title"), str) or not isinstance(md.get("text"), str) or not md["text"].strip():
                return "markdown needs a title and a text"
        elif body.get("msgtype") != "text":
            return f"unknown msgtype {body.get('msgtype')!r}"
        return ""

    def _check_feishu(self, path: str, query: dict, body: dict) -> str:
        if path.rsplit("/", 1)[1] != FEISHU_HOOK:
            return "bot not found"
        timestamp, sign = body.get("timestamp"), body.get("sign")
        if timestamp is None or sign is None or abs(int(timestamp) - self.now().timestamp()) > 3600:
            return "sign match fail or timestamp is not within one hour from current time"
        expected = base64.b64encode(hmac.new(f"{timestamp}\n{FEISHU_SECRET}".encode(), b"", hashlib.sha256).digest()).decode()
        if not hmac.compare_digest(sign, expected):
            return "sign match fail or timestamp is not within one hour from current time"
        if body.get("msg_type") == "text":
            return "" if isinstance(body.get("content", {}).get("text"), str) else "text needs content.text"
        if body.get("msg_type") != "post":
            return f"unknown msg_type {body.get('msg_type')!r}"
        post = body.get("content", {}).get("post", {}).get("zh_cn")
        if not isinstance(post, dict) or not isinstance(post.get("title"), str) or not isinstance(post.get("content"), list):
            return "post needs content.post.zh_cn with a title and content"
        for paragraph in post["content"]:
            if not isinstance(paragraph, list) or not all(isinstance(e, dict) and e.get("tag") in ("text", "a", "at") for e in paragraph):
                return "each paragraph is a list of text, a or at elements"
            for element in paragraph:
                if element["tag"] == "a" and not str(element.get("href", "")).startswith(("http://", "https://")):
                    return "a link needs an http(s) href"
        if len(json.dumps(body, ensure_ascii=False).encode()) > 20 * 1024:
            return "request body larger than 20 KB"
        return ""


def text_of(received: Received) -> str:
    """Everything a group would read in a message, whichever platform carried it."""
    body = received.body
    if received.platform == "wecom":
        return body["markdown"]["content"]
    if received.platform == "dingtalk":
        return body["markdown"]["title"] + "\n" + body["markdown"]["text"]
    post = body["content"]["post"]["zh_cn"]
    return post["title"] + "\n" + "\n".join(e.get("text", "") + e.get("href", "") for p in post["content"] for e in p)


def robots_config(server: RobotServer) -> str:
    """calendar-svc.toml's [[webhook]] tables for the three robots of ``server``."""
    urls = server.urls()
    return (
        f'[[webhook]]\nname = "科研处企业微信群"\nplatform = "wecom"\nurl = "{urls["wecom"]}"\n\n'
        f'[[webhook]]\nname = "科研处钉钉群"\nplatform = "dingtalk"\nurl = "{urls["dingtalk"]}"\nsecret = "{DINGTALK_SECRET}"\n\n'
        f'[[webhook]]\nname = "科研处飞书群"\nplatform = "feishu"\nurl = "{urls["feishu"]}"\nsecret = "{FEISHU_SECRET}"\n'
    )


@pytest.fixture
def robots():
    """The platforms' clock defaults to the wall clock; a test sets ``robots.now`` to its injected clock."""
    server = RobotServer(now=lambda: dt.datetime.now(dt.UTC))
    server.start()
    yield server
    server.stop()
