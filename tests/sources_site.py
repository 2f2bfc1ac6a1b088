"""A notice website on 127.0.0.1 for the source watcher: list pages in real layouts, notices, a feed, bad routes.

The server answers conditional GETs (ETag, Last-Modified) as real sites do,
logs every request with the moment of an injected clock (so a test on a
fake clock can check the rate limit at the server), and can hold a route
until the test ends (a slow page the client must give up on by its own
timeout). Layout frames are in tests/data/sources.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

LAYOUTS_DIR = Path(__file__).parent / "data" / "sources"
FAKE_START = dt.datetime(2025, 3, 7, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))

#: How each layout writes one item (href, title, date) and its pager (next page href or "").
_ITEMS = {
    "trs": '<li><a href="{href}" title="{title}" target="_blank">{short}</a><span>{date}</span></li>',
    "table_gbk": '<tr><td class="list_td"><img src="/images/dot.gif" /> <a href="{href}" target="_blank" title="{title}">{short}</a></td>'
                 '<td width="100" class="date">[{date}]</td></tr>',
    "jcms": '<record><![CDATA[<li><a href="{href}" title="{title}" target="_blank">{title}</a><span>{date}</span></li>]]></record>',
    "vsb": '<tr id="line_u5_{index}"><td width="82%"><a href="{href}" class="c196327" target="_blank" title="{title}">{title}</a></td>'
           '<td><span class="timestyle196327">{date}&nbsp;</span></td></tr>',
}
CHARSETS = {"trs": "utf-8", "table_gbk": "gbk", "jcms": "utf-8", "vsb": "utf-8"}


def list_page(layout: str, items: list[tuple[str, str, str]], *, next_href: str = "", pages: int = 1, current: int = 0) -> bytes:
    """A list page of ``layout`` holding ``items`` (href, title, date), with a pager to ``next_href``."""
    e = html.escape
    rows = "\n".join(
        _ITEMS[layout].format(href=e(href), title=e(title), short=e(title if len(title) <= 24 else title[:24] + "..."),
                              date=date.replace("-", "/") if layout == "vsb" else date, index=i)
        for i, (href, title, date) in enumerate(items)
    )
    if layout == "trs":
        pager = f'createPageHTML({pages}, {current}, "index", "html");'
    elif layout == "table_gbk":
        pager = f'<a href="/tzgg/index.html">首页</a> <a href="{e(next_href)}">下一页</a> <a href="/tzgg/index.html">尾页</a>' if next_href else ""
    elif layout == "vsb":
        pager = f'<a href="{e(next_href)}" class="Next">下页</a>' if next_href else ""
    else:
        pager = ""
    frame = (LAYOUTS_DIR / f"{layout}.html").read_text("utf-8")
    text = frame.replace("{items}", rows).replace("{pager}", pager)
    return text.encode("gb18030" if CHARSETS[layout] == "gbk" else "utf-8")


def rss(items: list[tuple[str, str, str]], *, title: str = "通知公告") -> bytes:
    """An RSS 2.0 feed of (link, title, RFC 822 date) items."""
    e = html.escape
    entries = "".join(f"<item><title>{e(t)}</title><link>{e(link)}</link><pubDate>{d}</pubDate></item>" for link, t, d in items)
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>{e(title)}</title>'
            f"<link>http://127.0.0.1/</link><description>通知公告</description>{entries}</channel></rss>").encode("utf-8")


class FakeTime:
    """A monotonic clock that only moves when the code sleeps (or the test says so), and the wall clock with it."""

    def __init__(self) -> None:
        self.t = 1000.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.t += seconds

    def now(self) -> dt.datetime:
        return FAKE_START + dt.timedelta(seconds=self.t - 1000.0)

    def advance(self, delta: dt.timedelta) -> None:
        self.t += delta.total_seconds()

    def advance_seconds(self, seconds: float) -> None:
        self.t += seconds


@dataclass
class Route:
    body: bytes
    content_type: str
    status: int = 200
    etag: str = ""
    last_modified: str = ""
    hold: bool = False
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Hit:
    path: str
    at: float
    user_agent: str
    conditional: bool
    status: int


class FixtureSite:
    """A real HTTP server on 127.0.0.1, in a thread of the test process."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self.clock = clock
        self.release = threading.Event()
        self._stamp = 1_700_000_000
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def do_GET(self) -> None:  # noqa: N802
                route = site.routes.get(self.path)
                conditional = bool(self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since"))
                if route is None:
                    route = Route("<html><body><h1>404 页面不存在</h1></body></html>".encode("utf-8"), "text/html; charset=utf-8", 404)
                status = route.status
                if status == 200 and route.etag and self.headers.get("If-None-Match") == route.etag:
                    status = 304
                elif status == 200 and route.last_modified and self.headers.get("If-Modified-Since") == route.last_modified:
                    status = 304
                site.hits.append(Hit(self.path, site.clock(), self.headers.get("User-Agent", ""), conditional, status))
                if route.hold:
                    site.release.wait(60)
                self.send_response(status)
                if route.etag:
                    self.send_header("ETag", route.etag)
                if route.last_modified:
                    self.send_header("Last-Modified", route.last_modified)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                body = b"" if status == 304 else route.body
                if status != 304:
                    self.send_header("Content-Type", route.content_type)
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def put(self, path: str, body: bytes, content_type: str = "text/html; charset=utf-8", *, validators: str = "etag",
            status: int = 200, **headers: str) -> str:
        """Serve ``body`` at ``path``; ``validators`` is "etag", "last-modified" or "" (a server that sends none)."""
        self._stamp += 1
        self.routes[path] = Route(
            body=body, content_type=content_type, status=status,
            etag=f'"{hashlib.sha256(body).hexdigest()[:16]}"' if validators == "etag" else "",
            last_modified=formatdate(self._stamp, usegmt=True) if validators == "last-modified" else "",
            headers=headers,
        )
        return self.url + path

    def hold(self, path: str) -> str:
        """A page that answers only when the test ends: the client must give up by its own timeout."""
        self.routes[path] = Route(b"late", "text/html", hold=True)
        return self.url + path

    def count(self, path: str) -> int:
        return sum(1 for hit in self.hits if hit.path == path)

    def fetched(self, path: str) -> int:
        """Requests of ``path`` answered with a body (200), not 304."""
        return sum(1 for hit in self.hits if hit.path == path and hit.status == 200)

    def __enter__(self) -> "FixtureSite":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


# -- the standard watched site -------------------------------------------------------------------------

#: Notices as (path, title, deadline sentence, signing date); each has one deadline of its own.
NOTICES = [
    ("/kjt/tzgg/202503/t20250304_1.html", "关于组织申报2025年度省级科技计划项目的通知",
     "申报单位应于2025年4月30日17:00前通过省科技业务管理系统提交申报材料。", "2025年3月4日"),
    ("/kjt/tzgg/202503/t20250301_2.html", "关于开展2025年度高新技术企业认定工作的通知",
     "企业应于2025年5月20日前将认定申请材料报送所在地市科技局。", "2025年3月1日"),
    ("/kjt/tzgg/202502/t20250227_3.html", "关于征集2026年度重点研发计划项目指南建议的通知",
     "请各单位于2025年3月31日前将指南建议报送省科学技术厅。", "2025年2月27日"),
    ("/gxj/tzgg/2025/0305/101.html", "关于开展2025年度专精特新中小企业申报工作的通知",
     "各区工信部门请于2025年4月15日前将推荐汇总表报送市工业和信息化局。", "2025年3月5日"),
    ("/news/2025/0306/feed1.html", "关于组织开展2025年度科技创新券申领工作的通知",
     "申领企业应于2025年6月30日前在线提交申领材料。", "2025年3月6日"),
]
ATTACHED = "/kjt/tzgg/202503/t20250304_1.html"  # links a .docx and a .pdf
GUIDE = "2025年度省级科技计划项目申报指南\n一、材料报送\n各设区市科技局请于2025年5月10日前将推荐函报送省科学技术厅。\n"


def notice_page(title: str, sentence: str, signed: str, attachments: list[tuple[str, str]] = ()) -> bytes:
    from gov_site import government_page

    return government_page(title, ["各有关单位：", "现将有关事项通知如下。", "一、时间安排", sentence, "某某省科学技术厅", signed],
                           attachments=list(attachments))


def build_site(site: FixtureSite, docx: bytes, pdf: bytes) -> dict[str, str]:
    """Put the standard site on ``site``; returns the sources' addresses by name."""
    for path, title, sentence, signed in NOTICES:
        attachments = [("附件1：申报指南.docx", "../../../upload/guide.docx"), ("附件2：申报表.pdf", "/upload/form.pdf")] if path == ATTACHED else []
        site.put(path, notice_page(title, sentence, signed, attachments), "text/html; charset=GBK",
                 validators="last-modified" if path.startswith("/gxj/") else "etag")
    site.put("/upload/guide.docx", docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    site.put("/upload/form.pdf", pdf, "application/pdf")
    kjt = [(p.rsplit("/", 2)[-2] + "/" + p.rsplit("/", 1)[-1], t, d) for p, t, _, d in NOTICES[:3]]
    kjt = [("./" + href, title, _iso(signed)) for href, title, signed in kjt]
    site.put("/kjt/tzgg/index.html", list_page("trs", kjt[:2], pages=2, current=0))
    site.put("/kjt/tzgg/index_1.html", list_page("trs", kjt[2:], pages=2, current=1))
    gxj = [(NOTICES[3][0], NOTICES[3][1], "2025-03-05"), ("/private/secret.html", "关于内部事项安排的通知（内部）", "2025-03-04"),
           ("/gxj/tzgg/gone.html", "关于已撤回事项的通知（页面不存在）", "2025-03-03")]
    site.put("/gxj/tzgg/index.html", list_page("table_gbk", gxj), "text/html", validators="last-modified")
    site.put("/private/secret.html", notice_page("内部", "请于2025年4月1日前报送。", "2025年3月4日"), "text/html; charset=GBK")
    site.put("/rss.xml", rss([(site.url + NOTICES[4][0], NOTICES[4][1], "Thu, 06 Mar 2025 09:00:00 +0800")]), "application/rss+xml")
    site.put("/robots.txt", b"User-agent: *\nDisallow: /private/\n", "text/plain")
    site.put("/broken/index.html", b"", status=500)
    return {
        "省科技厅": site.url + "/kjt/tzgg/index.html",
        "市工信局": site.url + "/gxj/tzgg/index.html",
        "创新券": site.url + "/rss.xml",
    }


def _iso(signed: str) -> str:
    import re

    y, m, d = re.findall(r"\d+", signed)
    return f"{y}-{int(m):02d}-{int(d):02d}"
