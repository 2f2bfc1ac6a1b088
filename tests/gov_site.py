"""A government website on 127.0.0.1: notice pages in a realistic frame, attachments, and bad routes.

The frame is what real 通知公告 pages wrap around a notice: a menu, a
breadcrumb, a 发布时间/来源/浏览次数 line, 上一篇/下一篇 links with their
dates, a 相关文章 list with dates, and a footer with 最后更新 and the
site's 备案号. None of it may yield a deadline. Pages are served in GBK, as
many provincial sites still do.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MENU = ["首页", "机构概况", "政务公开", "通知公告", "政策文件", "办事服务", "互动交流", "专题专栏"]
RELATED = [
    ("关于组织申报2024年度省级科技计划项目的通知", "2024-07-20"),
    ("关于开展2024年度高新技术企业认定工作的通知", "2024-06-28"),
    ("关于征集2025年度重点研发计划项目指南建议的通知", "2024-05-30"),
]


_FULL_DATE = r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"


def government_page(title: str, lines: list[str], *, attachments: list[tuple[str, str]] = (), charset: str = "gbk",
                    published: str = "") -> bytes:
    """A notice page: ``lines`` are its paragraphs (``a | b`` lines become a table).

    It is published on the day it is signed (its last line that is a full date), as sites do, or for an
    unsigned notice on its first full date, unless told otherwise.
    """
    e = html.escape
    if not published:
        signed = [m for m in (re.fullmatch(_FULL_DATE, line) for line in reversed(lines)) if m]
        found = signed or [m for m in (re.search(_FULL_DATE, line) for line in [title, *lines]) if m]
        published = "-".join((found[0].group(1), found[0].group(2).zfill(2), found[0].group(3).zfill(2))) if found else "2024-08-01"
    body = []
    table: list[str] = []
    for line in [*lines, ""]:
        if " | " in line:
            table.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in line.split(" | ")) + "</tr>")
            continue
        if table:
            body.append('<table border="1" cellspacing="0">' + "".join(table) + "</table>")
            table = []
        if line:
            body.append(f'<p style="text-indent:2em">{e(line)}</p>')
    links = "".join(f'<p><a href="{e(href)}">{e(text)}</a></p>' for text, href in attachments)
    menu = "".join(f'<li><a href="/{i}/">{e(m)}</a></li>' for i, m in enumerate(MENU))
    related = "".join(f'<li><a href="/tzgg/{i}.html">{e(t)}</a><span class="date">{d}</span></li>'
                      for i, (t, d) in enumerate(RELATED))
    page = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}" />
<title>{e(title) + "_" if title else ""}通知公告_某某省科学技术厅</title>
<meta name="ArticleTitle" content="{e(title)}" />
<meta name="PubDate" content="{published} 09:30" />
<link rel="stylesheet" href="/css/style.css" />
<script type="text/javascript">var _hmt = _hmt || []; var deadline = "2099年1月1日前";</script>
</head>
<body>
<div class="top"><div class="logo"><img src="/images/logo.png" alt="某某省科学技术厅" /></div>
<div class="toplink"><a href="/">网站首页</a> | <a href="/en/">English</a> | <a href="/wza/">无障碍</a></div></div>
<div class="menu"><ul>{menu}</ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/tzgg/">通知公告</a> &gt; 正文</div>
<div class="main">
<div class="article">
{f'<div class="title"><h1>{e(title)}</h1></div>' if title else ""}
<div class="info">发布时间：{published} 09:30　　来源：某某省科学技术厅　　浏览次数：1024　　【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</div>
<div class="content" id="zoom">
{"".join(body)}
{('<p>附件：</p>' + links) if attachments else ''}
</div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a>　　<a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
<div class="prevnext">
<p>上一篇：<a href="/tzgg/t20240725_1.html">关于公布2024年度第一批科技型中小企业名单的通知</a>（2024-07-25）</p>
<p>下一篇：<a href="/tzgg/t20240805_2.html">关于2024年度省科学技术奖提名工作的公告</a>（2024-08-05）</p>
</div>
</div>
<div class="related"><h3>相关文章</h3><ul>{related}</ul></div>
</div>
<div class="footer">
<p>最后更新：2024年8月1日　　主办单位：某某省科学技术厅　　地址：某某市某某路1号　　邮编：100000</p>
<p>版权所有：某某省科学技术厅　　网站标识码：1100000001　　<a href="https://beian.miit.gov.cn/">京ICP备12345678号-1</a></p>
</div>
</body>
</html>
"""
    return page.encode(charset if charset != "gbk" else "gb18030")


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    #: Called instead of answering at once (e.g. to hang until the test ends).
    wait: Callable[[], None] | None = None


class Site:
    """A real HTTP server on 127.0.0.1 in a thread of the test process."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []
        self.release = threading.Event()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                site.requests.append(self.path)
                route = site.routes.get(self.path)
                if route is None:
                    route = Route(body="<html><body><h1>404 页面不存在</h1></body></html>".encode("utf-8"), status=404,
                                  headers={"Content-Type": "text/html; charset=utf-8"})
                if route.wait is not None:
                    route.wait()
                self.send_response(route.status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                try:
                    self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def add(self, path: str, body: bytes, content_type: str = "text/html; charset=GBK", status: int = 200,
            **headers: str) -> str:
        self.routes[path] = Route(body=body, status=status, headers={"Content-Type": content_type, **headers})
        return self.url + path

    def redirect(self, path: str, to: str, status: int = 302) -> str:
        self.routes[path] = Route(status=status, headers={"Location": to})
        return self.url + path

    def hang(self, path: str) -> str:
        """A route that answers only when the test ends: a client must give up by its own timeout."""
        self.routes[path] = Route(body=b"late", wait=lambda: self.release.wait(60))
        return self.url + path

    def __enter__(self) -> "Site":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
