"""List pages → notice links by structure (four real layouts, GBK and UTF-8), selectors, pagination, feeds."""

from __future__ import annotations

import pytest

from calendar_svc.errors import InputError
from calendar_svc.sources.feeds import looks_like_feed, read_feed
from calendar_svc.sources.listing import read_listing

from sources_site import list_page, rss

TITLES = [
    "关于组织申报2025年度省级科技计划项目的通知",
    "关于开展2025年度高新技术企业认定工作的通知",
    "关于征集2026年度重点研发计划项目指南建议的通知",
    "关于做好2025年度科学技术奖提名工作的通知",
]
DATES = ["2025-03-04", "2025-03-01", "2025-02-27", "2025-02-20"]


@pytest.mark.parametrize(
    ("layout", "base", "hrefs", "expected"),
    [
        ("trs", "http://kjt.example.gov.cn/zwgk_n/tzgg/index.html",
         [f"./202503/t2025030{i}_{i}.html" for i in range(4)],
         [f"http://kjt.example.gov.cn/zwgk_n/tzgg/202503/t2025030{i}_{i}.html" for i in range(4)]),
        ("table_gbk", "http://gxj.example.gov.cn/tzgg/index.html",
         [f"/tzgg/2025/03{i:02d}/{100 + i}.html" for i in range(4)],
         [f"http://gxj.example.gov.cn/tzgg/2025/03{i:02d}/{100 + i}.html" for i in range(4)]),
        ("jcms", "http://kw.example.gov.cn/col/col736/index.html",
         [f"http://kw.example.gov.cn/art/2025/3/{i + 1}/art_736_{i}.html" for i in range(4)],
         [f"http://kw.example.gov.cn/art/2025/3/{i + 1}/art_736_{i}.html" for i in range(4)]),
        ("vsb", "http://kyy.example.edu.cn/tzgg.htm",
         [f"info/1041/3188{i}.htm" for i in range(4)],
         [f"http://kyy.example.edu.cn/info/1041/3188{i}.htm" for i in range(4)]),
    ],
)
def test_each_layout_gives_exactly_its_notices(layout, base, hrefs, expected):
    body = list_page(layout, list(zip(hrefs, TITLES, DATES)))
    listing = read_listing(body, base)
    assert [e.url for e in listing.entries] == expected  # no menu, breadcrumb, sidebar or footer link
    assert [e.title for e in listing.entries] == TITLES  # full titles (the title attribute beats a cut "..." text)
    assert all(e.date for e in listing.entries)


def test_gbk_page_without_charset_header_is_decoded_from_its_meta():
    body = list_page("table_gbk", [("/a/1.html", TITLES[0], DATES[0]), ("/a/2.html", TITLES[1], DATES[1])])
    assert TITLES[0].encode("utf-8") not in body  # really GBK bytes
    listing = read_listing(body, "http://gxj.example.gov.cn/tzgg/index.html")
    assert [e.title for e in listing.entries] == TITLES[:2]
    assert listing.entries[0].date == "2025-03-04"


def test_one_notice_list_still_found_when_it_has_a_date():
    listing = read_listing(list_page("jcms", [("/art/1.html", TITLES[0], DATES[0])]), "http://kw.example.gov.cn/col/col736/index.html")
    assert [e.url for e in listing.entries] == ["http://kw.example.gov.cn/art/1.html"]


def test_pagination_links():
    trs = read_listing(list_page("trs", [("./a.html", TITLES[0], DATES[0])] * 2, pages=3, current=0), "http://h.cn/tzgg/index.html")
    assert trs.next_page == "http://h.cn/tzgg/index_1.html"
    second = read_listing(list_page("trs", [("./a.html", TITLES[0], DATES[0])], pages=3, current=1), "http://h.cn/tzgg/index_1.html")
    assert second.next_page == "http://h.cn/tzgg/index_2.html"
    last = read_listing(list_page("trs", [("./a.html", TITLES[0], DATES[0])], pages=3, current=2), "http://h.cn/tzgg/index_2.html")
    assert last.next_page == ""
    table = read_listing(list_page("table_gbk", [("/a.html", TITLES[0], DATES[0])], next_href="/tzgg/index_2.html"), "http://h.cn/tzgg/index.html")
    assert table.next_page == "http://h.cn/tzgg/index_2.html"
    vsb = read_listing(list_page("vsb", [("info/1.htm", TITLES[0], DATES[0])], next_href="tzgg/1.htm"), "http://h.edu.cn/tzgg.htm")
    assert vsb.next_page == "http://h.edu.cn/tzgg/1.htm"


def test_selector_picks_links_the_structure_would_not():
    page = ("<html><body><div class='menu'><a href='/x'>关于我们网站的栏目介绍说明</a></div>"
            "<div id='odd'><a href='/n/1.html'>甲通知</a><a href='/n/2.html'>乙通知</a></div></body></html>").encode()
    assert [e.url for e in read_listing(page, "http://h.cn/", selector="#odd a").entries] == ["http://h.cn/n/1.html", "http://h.cn/n/2.html"]
    assert [e.url for e in read_listing(page, "http://h.cn/", selector="#odd").entries] == ["http://h.cn/n/1.html", "http://h.cn/n/2.html"]
    with pytest.raises(InputError, match="不是有效的 CSS"):
        read_listing(page, "http://h.cn/", selector="div[")


def test_base_href_and_fragments():
    page = ("<html><head><base href='http://cdn.h.cn/tzgg/'></head><body><ul class='list'>"
            f"<li><a href='a.html#top'>{TITLES[0]}</a> 2025-03-04</li><li><a href='b.html'>{TITLES[1]}</a> 2025-03-01</li>"
            "</ul></body></html>").encode()
    assert [e.url for e in read_listing(page, "http://h.cn/x").entries] == ["http://cdn.h.cn/tzgg/a.html", "http://cdn.h.cn/tzgg/b.html"]


def test_page_without_a_list_gives_nothing():
    page = "<html><body><div class='nav'><a href='/'>首页</a></div><p>暂无信息</p></body></html>".encode()
    assert read_listing(page, "http://h.cn/").entries == []


def test_rss_feed():
    body = rss([("http://h.cn/n/1.html", TITLES[0], "Tue, 04 Mar 2025 09:00:00 +0800"), ("/n/2.html", TITLES[1], "")])
    assert looks_like_feed(body) and not looks_like_feed(list_page("trs", []))
    entries = read_feed(body, "http://h.cn/rss.xml").entries
    assert [(e.url, e.title) for e in entries] == [("http://h.cn/n/1.html", TITLES[0]), ("http://h.cn/n/2.html", TITLES[1])]
    atom = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
            f'<entry><title>{TITLES[2]}</title><link href="http://h.cn/n/3.html"/><updated>2025-03-04T09:00:00+08:00</updated></entry></feed>').encode()
    assert looks_like_feed(atom)
    assert [e.url for e in read_feed(atom, "http://h.cn/atom.xml").entries] == ["http://h.cn/n/3.html"]
