"""Web addresses: the page's article and the attachments it links to on the same site.

Fetching is bounded every way a server can stall or flood a client:
connect and read timeouts, a deadline for the whole download, a size cap
(checked against Content-Length first), a bounded number of redirects
(a loop is reported as one), http/https only. The charset comes from the
HTTP header, else the page's ``<meta>``, else detection.
"""

from __future__ import annotations

import posixpath
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from email.message import Message

from ..errors import InputError
from .article import article_lines
from .document import Document, clean_text, sha256_of
from .html import Link, declared_charset, lines_with_title, parse_page
from .limits import Limits
from .reader import read_bytes
from .sniff import sniff
from .text import decode_text

#: Links to these are a notice's attachments (附件) when they point to the same site.
ATTACHMENT_SUFFIXES = (".pdf", ".doc", ".docx", ".wps", ".ofd", ".xls", ".xlsx", ".et", ".rtf", ".odt")


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    body: bytes
    charset: str
    #: 200, or 304 when a conditional GET (``If-None-Match``/``If-Modified-Since``) found it unchanged.
    status: int = 200
    #: The validators to send next time (``ETag``, ``Last-Modified``), as the server gave them.
    etag: str = ""
    last_modified: str = ""


class HttpStatusError(InputError):
    """The server answered with an error status; ``retry_after`` is its Retry-After header, if any."""

    def __init__(self, url: str, status: int, reason: str, retry_after: str = "") -> None:
        super().__init__(url, f"服务器回答 HTTP {status} {reason}")
        self.status = status
        self.retry_after = retry_after


#: How a page or attachment is fetched: :func:`fetch`, or a polite wrapper around it (calendar_svc.sources).
Getter = Callable[[str, Limits], Response]


def read_url(url: str, *, limits: Limits, get: Getter | None = None) -> tuple[list[Document], list[InputError]]:
    """The page at ``url`` (its article) and each same-site attachment it links to, with the errors met."""
    get = get or fetch
    try:
        response = get(url, limits)
        kind = sniff(response.body)
        if kind != "html":  # the address of a PDF, a .docx …
            return [read_bytes(url, response.body, limits=limits, url=response.url, charset=response.charset)], []
        page, links = _page(url, response)
    except InputError as exc:
        return [], [exc]
    documents, errors = [page], []
    for link in attachments(response.url, links)[: limits.web.max_attachments]:
        try:
            got = get(link, limits)
            document = read_bytes(link, got.body, limits=limits, url=got.url, charset=got.charset)
        except InputError as exc:
            errors.append(exc)
            continue
        documents.append(replace(document, parent=page.name))
    return documents, errors


def _page(name: str, response: Response) -> tuple[Document, list[Link]]:
    declared = response.charset or declared_charset(response.body)
    text, encoding = decode_text(name, response.body, declared or None)
    page = parse_page(text)
    title = page.headline or page.title
    lines = article_lines(text)
    if page.images and _wordless([line for line in lines or [] if line != title]):
        raise InputError(name, "网页本身没有文字，只有图片（扫描件）；不支持 OCR")
    if lines is None:
        body = lines_with_title(page.lines, page.title)
    else:
        body = "\n".join(_headed(lines, title)) + "\n"
    document = Document(name=name, text=clean_text(body), encoding=encoding, format="html", url=response.url,
                        sha256=sha256_of(response.body), title=clean_text(title))
    return document, page.links


_STAMP = re.compile(r"发布时间|发布日期|来源[:：]|浏览次数|点击数|字体[:：]")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _wordless(lines: list[str]) -> bool:
    """Fewer than 20 Chinese characters besides the headline and the 发布时间/来源 line."""
    return len(_HAN.findall("".join(line for line in lines if not _STAMP.search(line)))) < 20


def _headed(lines: list[str], headline: str) -> list[str]:
    """The article led by the page's headline, which main-content extractors leave out."""
    if not headline or any(headline in line for line in lines[:5]):
        return lines
    return [headline, *lines]


def attachments(base: str, links: list[Link]) -> list[str]:
    """Same-site links to documents, outside menus and footers, in page order, each once."""
    host = urllib.parse.urlsplit(base).hostname
    found: list[str] = []
    for link in links:
        if link.in_chrome:
            continue
        target = urllib.parse.urljoin(base, link.href.strip())
        parts = urllib.parse.urlsplit(target)
        if parts.scheme not in ("http", "https") or parts.hostname != host:
            continue
        suffix = posixpath.splitext(urllib.parse.unquote(parts.path))[1].lower()
        target = urllib.parse.urlunsplit(parts._replace(fragment=""))
        if suffix in ATTACHMENT_SUFFIXES and target not in found:
            found.append(target)
    return found


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows at most ``limit`` redirects, to http(s) only; a second visit to one address is a loop."""

    def __init__(self, limit: int) -> None:
        self.max_redirections = limit
        self.max_repeats = 1

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).scheme not in ("http", "https"):
            raise InputError(req.full_url, f"重定向到 {newurl[:100]!r}，那不是网址")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, limits: Limits, *, headers: Mapping[str, str] | None = None) -> Response:
    """GET ``url`` within the limits; every failure is an :class:`InputError` naming the address.

    ``headers`` are sent too: with ``If-None-Match``/``If-Modified-Since`` an
    unchanged page comes back as a 304 :class:`Response` without a body.
    """
    web = limits.web
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise InputError(url, "只能读取 http:// 和 https:// 网址")
    opener = urllib.request.build_opener(_Redirects(web.max_redirects))
    request = urllib.request.Request(url, headers={"User-Agent": web.user_agent, "Accept": "*/*", **(headers or {})})
    started = time.monotonic()
    try:
        with opener.open(request, timeout=web.timeout) as answer:
            length = answer.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > limits.max_bytes:
                raise InputError(url, f"大小 {int(length) // 2**20} MiB，超过 {limits.max_bytes // 2**20} MiB 的上限；未下载")
            body = _read_capped(url, answer, limits, started)
            return Response(url=answer.geturl(), body=body, charset=_charset(answer.headers),
                            etag=answer.headers.get("ETag", ""), last_modified=answer.headers.get("Last-Modified", ""))
    except InputError:
        raise
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Response(url=url, body=b"", charset="", status=304, etag=exc.headers.get("ETag", ""),
                            last_modified=exc.headers.get("Last-Modified", ""))
        if 300 <= exc.code < 400:
            raise InputError(url, f"重定向太多（超过 {web.max_redirects} 次）或重定向循环") from None
        raise HttpStatusError(url, exc.code, exc.reason, exc.headers.get("Retry-After", "") if exc.headers else "") from None
    except urllib.error.URLError as exc:
        raise InputError(url, _network_reason(exc.reason, web.timeout)) from None
    except (TimeoutError, socket.timeout):
        raise InputError(url, f"{web.timeout:g} 秒内没有回应（超时）") from None
    except (ConnectionError, OSError) as exc:
        raise InputError(url, _network_reason(exc, web.timeout)) from None


def _read_capped(url: str, answer, limits: Limits, started: float) -> bytes:
    chunks, size = [], 0
    while True:
        if time.monotonic() - started > limits.web.total_timeout:
            raise InputError(url, f"下载超过 {limits.web.total_timeout:g} 秒，已停止")
        try:
            chunk = answer.read(65536)
        except (TimeoutError, socket.timeout):
            raise InputError(url, f"服务器 {limits.web.timeout:g} 秒没有再发送数据（超时）") from None
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limits.max_bytes:
            raise InputError(url, f"超过 {limits.max_bytes // 2**20} MiB 的上限，已停止下载")
        chunks.append(chunk)


def _charset(headers: Message) -> str:
    return headers.get_content_charset() or ""


def _network_reason(reason: object, timeout: float) -> str:
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"{timeout:g} 秒内没有回应（超时）"
    if isinstance(reason, ConnectionRefusedError):
        return "连接被拒绝（地址对吗？网站在运行吗？）"
    if isinstance(reason, socket.gaierror):
        return "域名无法解析"
    return f"无法读取：{reason}"
