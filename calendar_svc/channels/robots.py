"""Group robots: 企业微信, 钉钉 and 飞书 webhooks as channels beside email.

Chinese offices read their group chats before their mail, so a reminder can
go to a group's custom robot. Each platform documents its own request:

* 企业微信 (``wecom``): POST ``{"msgtype": "markdown", "markdown": {"content": …}}`` to
  ``https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…``; content at most 4096 bytes;
  the answer is ``{"errcode": 0, "errmsg": "ok"}``. No signing.
* 钉钉 (``dingtalk``): POST ``{"msgtype": "markdown", "markdown": {"title": …, "text": …}}``
  to ``https://oapi.dingtalk.com/robot/send?access_token=…``. With 加签 the URL also carries
  ``timestamp`` (milliseconds) and ``sign`` = URL-encoded Base64 of HMAC-SHA256, keyed with
  the secret, over ``timestamp + "\\n" + secret``. Answer ``{"errcode": 0, …}``.
* 飞书 (``feishu``): POST ``{"msg_type": "post", "content": {"post": {"zh_cn": {"title": …,
  "content": [[{"tag": "text", …}], …]}}}}`` to ``https://open.feishu.cn/open-apis/bot/v2/hook/…``.
  With 签名校验 the body also carries ``timestamp`` (seconds) and ``sign`` = Base64 of
  HMAC-SHA256 keyed with ``timestamp + "\\n" + secret`` over an empty message. Answer ``{"code": 0, …}``.

Failures are sorted like SMTP's: a platform's rate limit, a 5xx, a timeout or
a refused connection is worth retrying (:class:`TransientError`); a wrong
key, a bad signature or a refused message is not (:class:`PermanentError`),
and its error names the robot and what to check.

Text from notices is untrusted: the markdown platforms get it with the
characters that would make links, mentions or formatting (``[ ] ( ) < > * _ # …``)
replaced by their full-width forms, which read the same in Chinese; 飞书's rich
text has no markup to escape. Links are ours, checked http(s) addresses.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from ..errors import InputError, network_problem
from .errors import PermanentError, TransientError

#: The platforms and how people call them.
PLATFORMS = {"wecom": "企业微信", "dingtalk": "钉钉", "feishu": "飞书"}
_ANSWER_LIMIT = 64 * 1024
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_MARKDOWN = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in "\\`*_[]()<>#|~!+"})
_MORE = "……（其余内容请在网页上查看）"


@dataclass(frozen=True)
class WebhookSettings:
    """One ``[[webhook]]`` of calendar-svc.toml: a named group robot."""

    name: str
    platform: str
    url: str
    secret: str = ""
    timeout: float = 10.0

    def __str__(self) -> str:
        """For logs and errors: the platform and name, never the key in the URL or the secret."""
        return f"{PLATFORMS[self.platform]}机器人 {self.name!r}"


@dataclass(frozen=True)
class Note:
    """A message for a group chat: a title, lines of plain text, and links (label, http(s) URL)."""

    title: str
    lines: tuple[str, ...]
    links: tuple[tuple[str, str], ...] = ()


def parse_webhooks(tables: object, file: str) -> tuple[WebhookSettings, ...]:
    """``[[webhook]]`` tables: ``name``, ``platform`` (wecom, dingtalk, feishu), ``url``, optional ``secret`` and ``timeout``."""
    if tables is None:
        return ()
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise InputError(file, "`webhook` 必须是表的数组（[[webhook]]）")
    robots: list[WebhookSettings] = []
    for number, table in enumerate(tables, start=1):
        where = f"第 {number} 个 [[webhook]]"
        unknown = set(table) - {"name", "platform", "url", "secret", "timeout"}
        if unknown:
            raise InputError(file, f"{where}：不认识的键 {', '.join(sorted(unknown))}（可用：name、platform、url、secret、timeout）")
        name = table.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > 100 or _CONTROL.search(name) or ":" in name:
            raise InputError(file, f"{where}：name 必须是不含 ':' 的短文本（订阅以 webhook:名称 指向它）")
        where = f"[[webhook]] {name!r}"
        if name in {r.name for r in robots}:
            raise InputError(file, f"{where}：与前面的 webhook 同名")
        platform = table.get("platform")
        if platform not in PLATFORMS:
            raise InputError(file, f"{where}：platform 只能是 wecom（企业微信）、dingtalk（钉钉）或 feishu（飞书），不能是 {platform!r}")
        url = table.get("url")
        if not isinstance(url, str) or not re.fullmatch(r"https?://[!-~]+", url.strip()):
            raise InputError(file, f"{where}：url 必须是机器人的 http(s) webhook 地址")
        secret = table.get("secret", "")
        if not isinstance(secret, str):
            raise InputError(file, f"{where}：secret 必须是文本")
        if secret and platform == "wecom":
            raise InputError(file, f"{where}：企业微信机器人的请求不加签名；请删去 secret（url 里的 key 就是密钥）")
        timeout = table.get("timeout", 10)
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 1 <= timeout <= 120:
            raise InputError(file, f"{where}：timeout 必须是 1–120 秒，不能是 {timeout!r}")
        robots.append(WebhookSettings(name.strip(), platform, url.strip(), secret.strip(), float(timeout)))
    return tuple(robots)


class Robot:
    """Posts notes to one group robot, signed where its platform signs."""

    def __init__(self, settings: WebhookSettings) -> None:
        self.settings = settings

    def send(self, note: Note, now: dt.datetime) -> None:
        """Post ``note``; ``now`` is the signing time (the platforms accept an hour either way)."""
        url, body = request_for(self.settings, note, now)
        answer = _post(url, body, self.settings)
        _check(self.settings, answer)


def request_for(robot: WebhookSettings, note: Note, now: dt.datetime) -> tuple[str, dict]:
    """The URL and JSON body the platform documents for ``note``."""
    if robot.platform == "wecom":
        return robot.url, {"msgtype": "markdown", "markdown": {"content": _markdown(note, limit=4096)}}
    if robot.platform == "dingtalk":
        url = robot.url
        if robot.secret:
            timestamp = str(int(now.timestamp() * 1000))
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode({"timestamp": timestamp, "sign": dingtalk_sign(robot.secret, timestamp)})
        return url, {"msgtype": "markdown", "markdown": {"title": _plain(note.title)[:100], "text": _markdown(note, limit=4000)}}
    body: dict = {"msg_type": "post", "content": {"post": {"zh_cn": {"title": _plain(note.title), "content": _rich_text(note)}}}}
    if robot.secret:
        timestamp = str(int(now.timestamp()))
        body = {"timestamp": timestamp, "sign": feishu_sign(robot.secret, timestamp), **body}
    return robot.url, body


def dingtalk_sign(secret: str, timestamp: str) -> str:
    """钉钉 加签: Base64(HMAC-SHA256(key=secret, timestamp + "\\n" + secret)), before URL encoding."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp}\n{secret}".encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def feishu_sign(secret: str, timestamp: str) -> str:
    """飞书 签名校验: Base64(HMAC-SHA256(key=timestamp + "\\n" + secret, empty message))."""
    digest = hmac.new(f"{timestamp}\n{secret}".encode("utf-8"), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def _plain(text: str) -> str:
    return re.sub(r" {2,}", " ", _CONTROL.sub(" ", text)).strip()


def _escape(text: str) -> str:
    """Untrusted text for a markdown platform: no link, mention or formatting can come out of it."""
    return _plain(text).translate(_MARKDOWN)


def _link_url(url: str) -> str:
    """An http(s) URL safe inside ``[…](…)``: spaces, brackets and parentheses percent-encoded."""
    if not re.match(r"^https?://", url):
        raise ValueError(f"not an http(s) link: {url!r}")
    return urllib.parse.quote(_plain(url), safe=":/?#@!$&'*+,;=%-._~")


def _markdown(note: Note, *, limit: int) -> str:
    """Bold title, one paragraph per line, links last; cut to ``limit`` bytes at a line."""
    head = f"**{_escape(note.title)}**"
    links = [f"[{_escape(label)}]({_link_url(url)})" for label, url in note.links]
    lines = [_escape(line) if line.strip() else "" for line in note.lines]
    while True:
        text = "\n\n".join([head, *[line for line in lines if line], *links])
        if len(text.encode("utf-8")) <= limit or not lines:
            return text
        lines = lines[:-2] + [_MORE] if lines[-1] != _MORE else lines[:-2] + [_MORE]


def _rich_text(note: Note) -> list[list[dict]]:
    """飞书 post content: a paragraph per line (plain text elements), then the links; cut near its 20 KB limit."""
    paragraphs = [[{"tag": "text", "text": _plain(line)}] for line in note.lines if line.strip()]
    links = [[{"tag": "a", "text": _plain(label), "href": _link_url(url)} for label, url in note.links]] if note.links else []
    while len(json.dumps(paragraphs + links, ensure_ascii=False).encode("utf-8")) > 18_000 and len(paragraphs) > 1:
        paragraphs = paragraphs[:-2] + [[{"tag": "text", "text": _MORE}]]
    return paragraphs + links


def _post(url: str, body: dict, robot: WebhookSettings) -> dict:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=robot.timeout) as response:  # noqa: S310 - an http(s) URL checked at start-up
            raw = response.read(_ANSWER_LIMIT)
    except urllib.error.HTTPError as exc:
        if exc.code == 429 or exc.code >= 500:
            raise TransientError(f"{robot}：服务器回答 HTTP {exc.code} {exc.reason}") from None
        raise PermanentError(f"{robot}：服务器回答 HTTP {exc.code} {exc.reason}；请检查 url") from None
    except (urllib.error.URLError, TimeoutError, socket.timeout, ConnectionError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise TransientError(f"{robot}：{robot.timeout:g} 秒内没有回答") from None
        problem = network_problem(reason) or reason
        raise TransientError(f"{robot}：连不上 {urllib.parse.urlsplit(url).netloc}：{problem}") from None
    try:
        answer = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise PermanentError(f"{robot}：回答不是该平台的 JSON（{raw[:60]!r}）；请检查 url") from None
    if not isinstance(answer, dict):
        raise PermanentError(f"{robot}：回答不是该平台的 JSON 对象；请检查 url")
    return answer


#: Codes each platform documents as "too many messages" or "busy": retried with back-off.
_RETRY_CODES = {"wecom": {-1, 45009}, "dingtalk": {-1, 130101}, "feishu": {11232}}
#: What to check for the codes people meet when setting a robot up.
_HINTS = {
    ("wecom", 93000): "url 里的 key 不对，或机器人已被移除",
    ("dingtalk", 310000): "签名或安全设置不符：请检查 secret（加签）、自定义关键词或 IP 白名单",
    ("dingtalk", 300001): "url 里的 access_token 不对，或机器人已被移除",
    ("feishu", 19021): "签名不符：请检查 secret（签名校验）和本服务器的时钟",
    ("feishu", 19022): "本服务器的 IP 不在机器人的 IP 白名单里",
    ("feishu", 19024): "消息里没有机器人的自定义关键词",
}


def _check(robot: WebhookSettings, answer: dict) -> None:
    """Raise unless the platform's answer says the message was accepted."""
    if robot.platform == "feishu":
        code = answer.get("code", answer.get("StatusCode"))
        message = answer.get("msg", answer.get("StatusMessage", ""))
    else:
        code, message = answer.get("errcode"), answer.get("errmsg", "")
    if code == 0:
        return
    if not isinstance(code, int):
        raise PermanentError(f"{robot}：回答里没有结果代码（{str(answer)[:80]}）；请检查 url")
    hint = _HINTS.get((robot.platform, code))
    text = f"{robot} 拒收了消息：{code} {message}" + (f"（{hint}）" if hint else "")
    if code in _RETRY_CODES[robot.platform]:
        raise TransientError(text)
    raise PermanentError(text)
