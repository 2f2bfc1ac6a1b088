"""The web app over real HTTP: feed headers, 304s, gzip, the stat-keyed cache, filters, 400s, JSON, page.

The app runs under the shipped server (uvicorn) on 127.0.0.1 with a fixed clock; requests and
urllib are the clients, so headers and bodies are what a calendar app gets.
"""

from __future__ import annotations

import datetime as dt
import gzip
import os
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from email.message import Message
from pathlib import Path
from urllib.parse import quote

import icalendar
import pytest
import requests
from feed_fixtures import MIIT, MOST, NOW, LiveServer, hostile, live, make, sample, save
from ical.calendar_stream import IcsCalendarStream

from calendar_svc import feed, store
from calendar_svc.model import SHANGHAI
from calendar_svc.web import Limits, cache, create_app, page
from calendar_svc.web.cache import DataFile


@pytest.fixture(scope="module")
def data_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save(tmp_path_factory.mktemp("web") / "deadlines.toml", [*sample(), hostile()])


@pytest.fixture(scope="module")
def server(data_path: Path) -> Iterator[str]:
    with live(create_app(data_path, clock=lambda: NOW)) as url:
        yield url


def uids(body: bytes) -> set[str]:
    """Deadline ids in a feed, checked to agree between both parsers."""
    cal = icalendar.Calendar.from_ical(body)
    strict = IcsCalendarStream.calendar_from_ics(body.decode("utf-8"))
    found = {str(e["UID"]).split("@")[0].removesuffix("-open") for e in cal.walk("VEVENT")}
    assert found == {e.uid.split("@")[0].removesuffix("-open") for e in strict.events}
    return found


def raw_get(url: str, headers: dict[str, str] | None = None) -> tuple[int, Message, bytes]:
    """A GET that neither decompresses nor adds headers, to see the bytes on the wire."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def test_feed_is_served_with_calendar_headers(server: str, data_path: Path) -> None:
    status, headers, body = raw_get(f"{server}/calendar.ics")
    assert status == 200
    assert headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "Content-Encoding" not in headers  # the client did not ask for gzip
    assert headers["ETag"].startswith('"') and headers["Last-Modified"].endswith(" GMT")
    assert headers["Vary"] == "Accept-Encoding"
    visible = {d.id for d in store.load(data_path) if d.visible}
    assert uids(body) == visible
    assert b"X-WR-CALNAME:" in body and b"BEGIN:VTIMEZONE" in body


def test_head_gives_the_headers_without_a_body(server: str) -> None:
    response = requests.head(f"{server}/calendar.ics", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.content == b""


def test_if_none_match_gives_304(server: str) -> None:
    first = requests.get(f"{server}/calendar.ics", headers={"Accept-Encoding": "identity"}, timeout=10)
    etag = first.headers["ETag"]
    again = requests.get(f"{server}/calendar.ics", headers={"If-None-Match": etag, "Accept-Encoding": "identity"}, timeout=10)
    assert again.status_code == 304 and again.content == b""
    assert again.headers["ETag"] == etag
    weak = requests.get(f"{server}/calendar.ics", headers={"If-None-Match": f"W/{etag}"}, timeout=10)
    assert weak.status_code == 304
    listed = requests.get(f"{server}/calendar.ics", headers={"If-None-Match": f'"other", {etag}'}, timeout=10)
    assert listed.status_code == 304
    other = requests.get(f"{server}/calendar.ics", headers={"If-None-Match": '"other"'}, timeout=10)
    assert other.status_code == 200 and other.content == first.content


def test_if_none_match_wins_over_if_modified_since(server: str) -> None:
    first = requests.get(f"{server}/calendar.ics", timeout=10)
    modified = first.headers["Last-Modified"]
    assert requests.get(f"{server}/calendar.ics", headers={"If-Modified-Since": modified}, timeout=10).status_code == 304
    old = "Thu, 01 Jan 2015 00:00:00 GMT"
    assert requests.get(f"{server}/calendar.ics", headers={"If-Modified-Since": old}, timeout=10).status_code == 200
    mixed = {"If-None-Match": '"stale"', "If-Modified-Since": modified}
    assert requests.get(f"{server}/calendar.ics", headers=mixed, timeout=10).status_code == 200


def test_gzip_when_asked(server: str) -> None:
    _, plain_headers, plain = raw_get(f"{server}/calendar.ics")
    status, headers, body = raw_get(f"{server}/calendar.ics", {"Accept-Encoding": "gzip, deflate"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == plain
    assert len(body) < len(plain) and int(headers["Content-Length"]) == len(body)
    assert headers["ETag"] != plain_headers["ETag"]
    status, _, _ = raw_get(f"{server}/calendar.ics", {"Accept-Encoding": "gzip", "If-None-Match": plain_headers["ETag"]})
    assert status == 304  # either representation's tag revalidates
    status, headers, _ = raw_get(f"{server}/calendar.ics", {"Accept-Encoding": "gzip;q=0, identity"})
    assert status == 200 and "Content-Encoding" not in headers


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("issuer=工业和信息化部", {"网上填报申报书", "报送推荐函", "提交补充材料"}),
        ("issuer=科学技术部&kind=deadline", {"提交预申报书"}),
        ("tag=科研项目", {"网上填报申报书", "报送推荐函"}),
        ("kind=window&kind=start", {"网上填报申报书", "正式申报受理开始"}),
        ("who=推荐单位", {"报送推荐函"}),
        ("q=逾期", {"报送推荐函"}),
        ("issuer=&tag=", {"网上填报申报书", "报送推荐函", "提交补充材料", "提交预申报书", "正式申报受理开始", "指南施行", "提交<script>alert(1)</script>材料"}),
        ("issuer=不存在的部门", set()),
        ("tag=无此标签&kind=deadline", set()),
    ],
)
def test_filtered_feeds(server: str, data_path: Path, query: str, expected: set[str]) -> None:
    ids = {d.what: d.id for d in store.load(data_path)}
    response = requests.get(f"{server}/calendar.ics?{query}", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert uids(response.content) == {ids[what] for what in expected}
    as_json = requests.get(f"{server}/deadlines.json?{query}", timeout=10).json()
    assert {r["id"] for r in as_json["deadlines"]} == {ids[what] for what in expected}
    assert as_json["count"] == len(expected)


def test_unknown_filter_value_is_an_empty_valid_calendar(server: str) -> None:
    response = requests.get(f"{server}/calendar.ics", params={"issuer": "火星办公厅"}, timeout=10)
    assert response.status_code == 200
    assert uids(response.content) == set()
    cal = icalendar.Calendar.from_ical(response.content)
    assert str(cal["X-WR-CALNAME"]) == "政策申报截止日期 · 火星办公厅"
    assert cal.walk("VTIMEZONE")


@pytest.mark.parametrize(
    ("query", "message", "chinese"),
    [
        ("isuer=工业和信息化部", "unknown parameter 'isuer'; allowed: issuer, tag, kind, who, q", "不认识的参数“isuer”"),
        (
            "kind=deadlines",
            "unknown kind 'deadlines'; expected one of window, deadline, start, effective, milestone",
            "不认识的类型“deadlines”；可选：window（申报期）、deadline（截止日期）",
        ),
        ("q=" + "长" * 201, "value of 'q' is too long", "搜索的内容太长（最多 200 个字）"),
    ],
)
def test_bad_parameters_are_a_400_with_a_clear_message(server: str, query: str, message: str, chinese: str) -> None:
    feed = requests.get(f"{server}/calendar.ics?{query}", timeout=10)
    assert feed.status_code == 400 and message in feed.text
    assert feed.headers["Content-Type"].startswith("text/plain")
    assert feed.text.startswith("链接中的筛选条件有误：") and chinese in feed.text  # a person pasting the URL reads Chinese
    as_json = requests.get(f"{server}/deadlines.json?{query}", timeout=10)
    assert as_json.status_code == 400 and message in as_json.json()["error"]
    assert chinese in as_json.json()["message"]
    page = requests.get(f"{server}/?{query}", timeout=10)
    assert page.status_code == 400
    banner = page.text.split('id="query-error"')[1].split("</p>")[0]
    assert "链接中的筛选条件有误" in banner and chinese in banner
    assert "unknown" not in banner and "parameter" not in banner  # the page speaks Chinese


def test_json_has_the_same_records_as_the_feed(server: str, data_path: Path) -> None:
    response = requests.get(f"{server}/deadlines.json", timeout=10)
    assert response.headers["Content-Type"] == "application/json"
    data = response.json()
    visible = [d for d in store.load(data_path) if d.visible]
    assert data["count"] == len(visible)
    assert [r["due"] for r in data["deadlines"]] == sorted(r["due"] for r in data["deadlines"])
    record = next(r for r in data["deadlines"] if r["what"] == "网上填报申报书")
    assert record["start"] == "2026-03-01T09:00+08:00" and record["end"] == "2026-04-05T16:00+08:00"
    assert record["due"] == "2026-04-05T16:00:00+08:00"
    assert record["notice"]["doc_no"] == MIIT.doc_no and record["source"]["line"] == 12
    assert "不公开的事项" not in response.text
    etag = response.headers["ETag"]
    assert requests.get(f"{server}/deadlines.json", headers={"If-None-Match": etag}, timeout=10).status_code == 304


def test_healthz(server: str) -> None:
    response = requests.get(f"{server}/healthz", timeout=10)
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "data": response.json()["data"],
        "exists": True,
        "deadlines": 8,
        "visible": 7,
        "error": None,
        "feed_bytes": len(requests.get(f"{server}/calendar.ics", timeout=10).content),
        "feed_too_large": False,
        "reminders": {"status": "idle", "error": None},  # no reminders database opened yet (serve opens it)
    }


def test_feed_is_rebuilt_only_when_the_file_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = save(tmp_path / "deadlines.toml", sample())
    builds: list[int] = []
    real_build = __import__("calendar_svc.feed", fromlist=["FeedBuilder"]).FeedBuilder.build

    def counting(*args, **kwargs):
        builds.append(1)
        return real_build(*args, **kwargs)

    monkeypatch.setattr("calendar_svc.feed.FeedBuilder.build", counting)
    app = create_app(path, clock=lambda: NOW)
    data: DataFile = app.extensions["calendar_svc"]
    with live(app) as url:
        first = [requests.get(f"{url}/calendar.ics", timeout=10) for _ in range(5)]
        assert {r.headers["ETag"] for r in first} == {first[0].headers["ETag"]}
        assert data.loads == 1 and len(builds) == 1
        requests.get(f"{url}/calendar.ics?kind=window", timeout=10)
        assert data.loads == 1 and len(builds) == 2

        extra = make(MIIT, "deadline", who="申报单位", what="提交年度总结", end=NOW.date().replace(day=28), line=60)
        merged, _ = store.merge(store.load(path), [*sample(), extra], now=NOW)
        store.save(path, merged)
        os.utime(path, ns=(path.stat().st_mtime_ns + 2_000_000_000,) * 2)
        changed = requests.get(f"{url}/calendar.ics", headers={"If-None-Match": first[0].headers["ETag"]}, timeout=10)
        assert changed.status_code == 200
        assert extra.id in uids(changed.content)
        assert changed.headers["ETag"] != first[0].headers["ETag"]
        assert changed.headers["Last-Modified"] != first[0].headers["Last-Modified"]
        assert data.loads == 2 and len(builds) == 3


def test_a_broken_file_keeps_the_last_good_feed_and_fails_healthz(tmp_path: Path) -> None:
    path = save(tmp_path / "deadlines.toml", sample())
    with live(create_app(path, clock=lambda: NOW)) as url:
        good = requests.get(f"{url}/calendar.ics", timeout=10)
        path.write_text(path.read_text(encoding="utf-8") + "\n[[deadline]]\nid = 3\n", encoding="utf-8")
        still = requests.get(f"{url}/calendar.ics", timeout=10)
        assert still.status_code == 200 and uids(still.content) == uids(good.content)
        health = requests.get(f"{url}/healthz", timeout=10)
        assert health.status_code == 503
        assert health.json()["status"] == "error" and "字段 `id` 的类型不对" in health.json()["error"]
        page = requests.get(f"{url}/", timeout=10)
        banner = page.text.split('id="data-error"')[1].split("</div>")[0]
        assert "数据文件 <code>deadlines.toml</code> 无法读取，下面仍显示上次成功读取的内容" in banner
        assert "字段 `id` 的类型不对" in banner and str(tmp_path) not in page.text
        assert "网上填报申报书" in page.text


def test_a_broken_file_at_start_is_a_503_not_an_empty_calendar(tmp_path: Path) -> None:
    path = tmp_path / "deadlines.toml"
    path.write_text("this is not toml", encoding="utf-8")
    with live(create_app(path, clock=lambda: NOW)) as url:
        response = requests.get(f"{url}/calendar.ics", timeout=10)
        assert response.status_code == 503 and "不是有效的 TOML" in response.text
        assert requests.get(f"{url}/deadlines.json", timeout=10).status_code == 503


def test_a_missing_file_is_an_error_not_an_empty_calendar(tmp_path: Path) -> None:
    # An empty feed would make every subscribed calendar delete its events.
    with live(create_app(tmp_path / "absent.toml", clock=lambda: NOW)) as url:
        response = requests.get(f"{url}/calendar.ics", timeout=10)
        assert response.status_code == 503 and response.text.startswith("截止日期暂时无法提供：absent.toml: 截止日期文件不存在")
        as_json = requests.get(f"{url}/deadlines.json", timeout=10)
        assert as_json.status_code == 503 and as_json.json()["error"].startswith("截止日期暂时无法提供：absent.toml: ")
        health = requests.get(f"{url}/healthz", timeout=10)
        assert health.status_code == 503 and health.json()["exists"] is False
        page = requests.get(f"{url}/", timeout=10).text
        assert "没有找到数据文件" in page or "calendar-svc extract 通知.txt -o deadlines.toml" in page


# -- the page ----------------------------------------------------------------


def test_page_lists_upcoming_soonest_first_with_days_left(server: str) -> None:
    response = requests.get(f"{server}/", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    html = response.text
    upcoming = html.split('id="upcoming"')[1].split('id="informational"')[0]
    order = ["提交预申报书", "报送推荐函", "截止：长长长", "网上填报申报书", "正式申报受理开始"]
    positions = [upcoming.index(text) for text in order]
    assert positions == sorted(positions)
    assert "还剩 2 天" in upcoming  # 3月12日, seen from 3月10日
    assert "还剩 6 天" in upcoming  # 3月16日
    assert "57 天后开始" in upcoming
    assert "进行中" in upcoming  # the window opened on 3月1日
    assert "2026年3月" in upcoming and "2026年4月" in upcoming
    assert "指南施行" in html.split('id="informational"')[1].split('id="past"')[0]
    past = html.split('<details id="past"')[1]
    assert "提交补充材料" in past and "已过 11 天" in past
    assert "提交补充材料" not in upcoming
    assert "不公开的事项" not in html


def test_page_escapes_text_from_notices(server: str) -> None:
    html = requests.get(f"{server}/", timeout=10).text
    assert "<script>alert" not in html and "<b>厅</b>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "备注&lt;img src=x onerror=alert(2)&gt;" in html
    assert html.count("<script") == 1  # only the page's own script


def test_page_sets_a_strict_content_security_policy(server: str) -> None:
    headers = requests.get(f"{server}/", timeout=10).headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_page_filter_and_subscribe_links(server: str) -> None:
    html = requests.get(f"{server}/", params={"issuer": "科学技术部"}, timeout=10).text
    host = server.removeprefix("http://")
    encoded = quote("科学技术部")
    assert f'href="webcal://{host}/calendar.ics?issuer={encoded}"' in html
    assert f'value="http://{host}/calendar.ics?issuer={encoded}"' in html
    assert f'href="webcal://{host}/calendar.ics"' in html  # subscribe to everything instead
    assert "提交预申报书" in html and "报送推荐函" not in html
    assert '<input type="checkbox" name="issuer" value="科学技术部" checked>' in html
    assert "显示 3 / 7 条" in html
    everything = requests.get(f"{server}/", timeout=10).text
    assert f'href="webcal://{host}/calendar.ics"' in everything and "显示 7 / 7 条" in everything


def test_page_search_box_and_evidence(server: str) -> None:
    html = requests.get(f"{server}/", params={"q": "逾期"}, timeout=10).text
    assert 'value="逾期"' in html and "显示 1 / 7 条" in html
    evidence = html.split('<details class="evidence">')[1].split("</details>")[0]
    assert "各推荐单位应于3月16日前报送推荐函；逾期不予受理。" in evidence
    assert f"<code>{MIIT.doc_no}.txt</code> 第 20 行" in evidence  # the file's name, not its folder on the server
    assert "notices/" not in html


def test_subscribe_links_follow_a_public_base_url(data_path: Path) -> None:
    app = create_app(data_path, clock=lambda: NOW, base_url="https://cal.example.org/")
    with live(app) as url:
        html = requests.get(f"{url}/", params={"tag": "推荐"}, timeout=10).text
    encoded = quote("推荐")
    assert f'href="webcal://cal.example.org/calendar.ics?tag={encoded}"' in html
    assert f'value="https://cal.example.org/calendar.ics?tag={encoded}"' in html


def test_a_long_list_is_cut_with_a_pointer_to_the_filters(tmp_path: Path) -> None:
    many = [
        make(MIIT, "deadline", who="申报单位", what=f"第{i}项材料", end=NOW.date().replace(month=4, day=1 + i % 28), line=i + 1)
        for i in range(230)
    ]
    path = save(tmp_path / "deadlines.toml", many)
    with live(create_app(path, clock=lambda: NOW)) as url:
        html = requests.get(f"{url}/", timeout=10).text
        assert html.count('<li class="item') == 200
        assert "另有 30 条未在此列出" in html and "显示 230 / 230 条" in html
        narrowed = requests.get(f"{url}/", params={"q": "第7项材料"}, timeout=10).text
        assert narrowed.count('<li class="item') == 1 and 'id="left-out"' not in narrowed
        assert len(uids(requests.get(f"{url}/calendar.ics", timeout=10).content)) == 230  # the feed is never cut


def test_cached_bodies_are_bounded_in_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("calendar_svc.web.cache.MAX_CACHE_BYTES", 1500)
    data = DataFile(save(tmp_path / "deadlines.toml", sample()))
    snapshot = data.snapshot()
    built: list[str] = []

    def body(name: str) -> bytes:
        def build(_snapshot) -> bytes:
            built.append(name)
            return name.encode() * 1000
        return data.body(snapshot, name, build).data

    assert body("a") == body("a") and built == ["a"]
    body("b")  # a + b exceed the budget: the older one goes
    body("b")
    body("a")
    assert built == ["a", "b", "a"]


def test_issuer_menu_counts_what_choosing_it_shows(tmp_path: Path) -> None:
    bureau = MIIT.__class__(title="关于报送安全生产标准的通知", issuer="工业和信息化部安全生产司", doc_no="工安函〔2026〕1号")
    extra = make(bureau, "deadline", who="各有关单位", what="报送登记表", end=NOW.date().replace(day=20), line=3)
    path = save(tmp_path / "deadlines.toml", [*sample(), extra])
    with live(create_app(path, clock=lambda: NOW)) as url:
        html = requests.get(f"{url}/", timeout=10).text
        assert '<input type="checkbox" name="issuer" value="工业和信息化部"> 工业和信息化部（4）</label>' in html
        assert '<input type="checkbox" name="issuer" value="工业和信息化部安全生产司"> 工业和信息化部安全生产司（1）</label>' in html
        chosen = requests.get(f"{url}/", params={"issuer": "工业和信息化部"}, timeout=10).text
        assert "显示 4 / 7 条" in chosen


# -- page behaviour (issue 12) -------------------------------------------------


def test_a_window_that_ended_long_ago_is_not_in_progress(tmp_path: Path) -> None:
    ended = make(
        MIIT,
        "window",
        who="申报单位",
        what="填报往年申报书",
        start=dt.datetime(2025, 9, 1, 9, 0, tzinfo=SHANGHAI),
        end=dt.datetime(2025, 10, 8, 17, 0, tzinfo=SHANGHAI),
        line=70,
    )
    path = save(tmp_path / "deadlines.toml", [*sample(), ended])
    with live(create_app(path, clock=lambda: NOW)) as url:
        html = requests.get(f"{url}/", timeout=10).text
    past = html.split('<details id="past"')[1]
    row = past.split(f'id="d-{ended.id}"')[1].split("</li>")[0]
    assert "填报往年申报书" in row and "已过" in row
    assert "进行中" not in past
    assert "进行中" in html.split('id="upcoming"')[1].split('id="informational"')[0]  # the open one still is


def test_upcoming_is_grouped_this_week_next_week_then_by_month(tmp_path: Path) -> None:
    # NOW is Tuesday 2026-03-10: this week runs to Sunday the 15th, next week to the 22nd.
    days = {"本周甲": 12, "本周乙": 15, "下周甲": 16, "下周乙": 22, "三月末": 23}
    records = [
        make(MIIT, "deadline", who="申报单位", what=what, end=dt.date(2026, 3, day), line=i + 1)
        for i, (what, day) in enumerate(days.items())
    ]
    records.append(make(MIIT, "deadline", who="申报单位", what="四月", end=dt.date(2026, 4, 2), line=9))
    path = save(tmp_path / "deadlines.toml", records)
    with live(create_app(path, clock=lambda: NOW)) as url:
        html = requests.get(f"{url}/", timeout=10).text
    groups = [part.split("</h3>")[0] for part in html.split('<h3 class="month">')[1:]]
    assert groups == ["本周", "下周", "2026年3月", "2026年4月"]
    sections = dict(zip(groups, html.split('<h3 class="month">')[1:]))
    assert "本周甲" in sections["本周"] and "本周乙" in sections["本周"] and "下周甲" not in sections["本周"]
    assert "下周甲" in sections["下周"] and "下周乙" in sections["下周"]
    assert "三月末" in sections["2026年3月"] and "四月" in sections["2026年4月"]


def test_multi_select_and_who_filters(server: str, data_path: Path) -> None:
    html = requests.get(f"{server}/?kind=window&kind=start", timeout=10).text
    assert "网上填报申报书" in html and "正式申报受理开始" in html and "报送推荐函" not in html
    assert '<input type="checkbox" name="kind" value="window" checked>' in html
    assert '<input type="checkbox" name="kind" value="start" checked>' in html
    assert '<input type="checkbox" name="kind" value="deadline">' in html
    who = requests.get(f"{server}/", params=[("who", "推荐单位"), ("who", "项目申报单位")], timeout=10).text
    assert "报送推荐函" in who and "网上填报申报书" in who and "提交预申报书" not in who
    menu = who.split('id="menu-who"')[1].split("</details>")[0]
    assert '<input type="checkbox" name="who" value="推荐单位" checked> 推荐单位</label>' in menu  # typed, not listed
    assert '<input type="checkbox" name="who" value="项目申报单位" checked> 项目申报单位（1）</label>' in menu
    assert '<input type="checkbox" name="who" value="各推荐单位"> 各推荐单位（1）</label>' in menu


def test_google_button_opens_add_by_url_and_the_page_says_alarms_are_unreliable(server: str) -> None:
    html = requests.get(f"{server}/", timeout=10).text
    button = html.split('id="subscribe-google"')[0].rsplit("<a ", 1)[1] + html.split('id="subscribe-google"')[1].split(">")[0]
    assert 'href="https://calendar.google.com/calendar/u/0/r/settings/addbyurl"' in button
    assert 'data-copy-then-open="feed-url"' in button
    assert "render?cid" not in html
    note = html.split('id="alarm-note">')[1].split("</p>")[0]
    assert "Google 日历和 Outlook 会忽略订阅日历中的提醒" in note and "Apple 日历默认也会去掉" in note
    assert "邮件提醒" in note


def test_feed_and_json_allow_any_origin(server: str) -> None:
    for path in ("/calendar.ics", "/deadlines.json", "/calendar.ics?kind=window", "/deadlines.json?kind=nope"):
        response = requests.get(f"{server}{path}", headers={"Origin": "https://widget.example"}, timeout=10)
        assert response.headers["Access-Control-Allow-Origin"] == "*", path
    first = requests.get(f"{server}/calendar.ics", timeout=10)
    again = requests.get(f"{server}/calendar.ics", headers={"If-None-Match": first.headers["ETag"]}, timeout=10)
    assert again.status_code == 304 and again.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in requests.get(f"{server}/", timeout=10).headers


def test_host_header_is_not_reflected_into_links(server: str) -> None:
    forged = requests.get(f"{server}/", headers={"Host": "evil.example"}, timeout=10).text
    host = server.removeprefix("http://")
    assert "evil.example" not in forged
    assert f'value="http://{host}/calendar.ics"' in forged and f'href="webcal://{host}/calendar.ics"' in forged


def test_healthz_and_json_publish_no_local_paths(server: str, data_path: Path) -> None:
    health = requests.get(f"{server}/healthz", timeout=10)
    assert health.json()["data"] == "deadlines.toml"
    assert str(data_path.parent) not in health.text
    records = requests.get(f"{server}/deadlines.json", timeout=10).json()["deadlines"]
    assert {r["source"]["file"] for r in records} >= {f"{MIIT.doc_no}.txt", f"{MOST.doc_no}.txt"}
    assert all("/" not in r["source"]["file"] for r in records)


def test_a_missing_data_file_is_explained_on_the_page(tmp_path: Path) -> None:
    with live(create_app(tmp_path / "absent.toml", clock=lambda: NOW)) as url:
        html = requests.get(f"{url}/", timeout=10).text
    banner = html.split('id="data-error"')[1].split("</div>")[0]
    assert "absent.toml" in banner and str(tmp_path) not in html
    assert "没有找到数据文件" in banner or "无法读取" in banner  # whichever the shared loader reports
    assert "--data" in banner and "calendar-svc extract 通知.txt -o deadlines.toml" in banner


# -- caching (issues 10 and 11) -------------------------------------------------


def test_reordered_filters_share_one_body(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = save(tmp_path / "deadlines.toml", sample())
    builds: list[dict] = []
    real_build = feed.FeedBuilder.build

    def counting(self, *args, **kwargs):
        builds.append(kwargs)
        return real_build(self, *args, **kwargs)

    monkeypatch.setattr("calendar_svc.feed.FeedBuilder.build", counting)
    with live(create_app(path, clock=lambda: NOW)) as url:
        orders = ["kind=window&kind=deadline", "kind=deadline&kind=window", "kind=deadline&kind=window&kind=deadline"]
        etags = {requests.get(f"{url}/calendar.ics?{q}", timeout=10).headers["ETag"] for q in orders}
        words = {requests.get(f"{url}/calendar.ics", params={"q": q}, timeout=10).headers["ETag"] for q in ("推荐 报送", "报送 推荐", " 推荐  报送 推荐")}
    assert len(etags) == 1 and len(words) == 1
    assert len(builds) == 2


def test_the_page_is_served_from_cache_until_its_text_would_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = save(tmp_path / "deadlines.toml", sample())
    now = [NOW]
    renders: list[int] = []
    real_build = page.build

    def counting(*args, **kwargs):
        renders.append(1)
        return real_build(*args, **kwargs)

    monkeypatch.setattr("calendar_svc.web.page.build", counting)
    server = LiveServer(create_app(path, clock=lambda: now[0]))
    server.start()
    try:
        first = requests.get(f"{server.url}/", timeout=10)
        again = requests.get(f"{server.url}/", timeout=10)
        assert again.content == first.content and len(renders) == 1
        assert server.front.fast_hits >= 1  # answered without entering Flask
        assert requests.get(f"{server.url}/", headers={"If-None-Match": first.headers["ETag"]}, timeout=10).status_code == 304
        now[0] = NOW.replace(hour=23, minute=58)  # later the same day: no shown deadline passes, no window opens
        assert requests.get(f"{server.url}/", timeout=10).content == first.content and len(renders) == 1
        now[0] = NOW + dt.timedelta(days=2, hours=14)  # 3月12日 passed: 提交预申报书 moves to 已过期
        later = requests.get(f"{server.url}/", timeout=10).text
        assert len(renders) == 2
        assert "提交预申报书" in later.split('<details id="past"')[1]
    finally:
        server.stop()


def test_cached_answers_do_not_wait_behind_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = save(tmp_path / "deadlines.toml", sample())
    release = threading.Event()
    started = threading.Semaphore(0)
    real_build = feed.FeedBuilder.build
    slots = cache.MAX_BUILDS

    def slow(self, *args, **kwargs):
        if kwargs.get("filters") and kwargs["filters"].q:
            started.release()
            assert release.wait(30)
        return real_build(self, *args, **kwargs)

    monkeypatch.setattr("calendar_svc.feed.FeedBuilder.build", slow)
    monkeypatch.setattr("calendar_svc.web.cache.BUILD_WAIT", 0.2)
    with live(create_app(path, clock=lambda: NOW)) as url:
        etag = requests.get(f"{url}/calendar.ics", timeout=10).headers["ETag"]
        with ThreadPoolExecutor(slots + 1) as pool:
            builds = [pool.submit(requests.get, f"{url}/calendar.ics", params={"q": f"词{i}"}, timeout=30) for i in range(slots)]
            for _ in range(slots):
                assert started.acquire(timeout=10)  # every build slot is taken now
            busy = requests.get(f"{url}/calendar.ics", params={"q": "再来一个"}, timeout=10)
            assert busy.status_code == 503 and busy.headers["Retry-After"] == "5"
            assert busy.text == "正在生成内容，请过几秒再试。\n"  # read by whoever opened the address
            cached = requests.get(f"{url}/calendar.ics", headers={"If-None-Match": etag}, timeout=5)
            assert cached.status_code == 304
            assert requests.get(f"{url}/healthz", timeout=5).status_code == 200
            release.set()
            assert [f.result().status_code for f in builds] == [200] * slots


# -- the server: slow clients and bodies (issue 10) ------------------------------


def connect(url: str, source: str = "127.0.0.1") -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10, source_address=(source, 0))
    return sock


def closed_by_server(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (bounded by the socket's timeout)."""
    received = b""
    try:
        while chunk := sock.recv(4096):
            received += chunk
    except ConnectionResetError:
        pass
    return received


def test_idle_and_trickling_connections_do_not_take_the_server_down(data_path: Path) -> None:
    with live(create_app(data_path, clock=lambda: NOW)) as url:
        # 100 connections from four addresses, each with a request line and half its headers.
        attackers = [connect(url, f"127.0.0.{2 + i % 4}") for i in range(100)]
        try:
            for sock in attackers:
                sock.sendall(b"GET /calendar.ics HTTP/1.1\r\nHost: x\r\n")
            for sock in attackers:
                sock.sendall(b"X-Slow: 1\r\n")  # a header line now and then keeps a silence timeout at bay
            response = requests.get(f"{url}/calendar.ics", timeout=5)
            assert response.status_code == 200
        finally:
            for sock in attackers:
                sock.close()


def test_one_client_gets_a_bounded_number_of_connections(data_path: Path) -> None:
    limits = Limits(per_client=5)
    with live(create_app(data_path, clock=lambda: NOW), limits) as url:
        held = [connect(url, "127.0.0.7") for _ in range(5)]
        try:
            for sock in held:
                sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            extra = connect(url, "127.0.0.7")
            extra.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            assert closed_by_server(extra) == b""  # refused without an answer
            assert requests.get(f"{url}/healthz", timeout=5).status_code == 200  # other clients are served
        finally:
            for sock in held:
                sock.close()


def test_headers_must_arrive_in_time(data_path: Path) -> None:
    with live(create_app(data_path, clock=lambda: NOW), Limits(header_timeout=0.5)) as url:
        slow = connect(url)
        slow.sendall(b"GET /calendar.ics HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        answer = closed_by_server(slow)
        assert answer.startswith(b"HTTP/1.1 408")
        assert time.monotonic() - started < 5
        idle = connect(url)  # a connection that never sends a byte is closed too
        assert closed_by_server(idle).startswith(b"HTTP/1.1 408")


def test_a_huge_body_is_refused_before_it_is_read(data_path: Path) -> None:
    with live(create_app(data_path, clock=lambda: NOW)) as url:
        sock = connect(url)
        size = 300 * 1024 * 1024
        sock.sendall(
            b"POST /subscribe HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
            + f"Content-Length: {size}\r\n\r\n".encode()
            + b"--b\r\n"
        )
        answer = closed_by_server(sock)  # answered and closed with 300 MiB still unsent
        assert answer.startswith(b"HTTP/1.1 413") and b"too large" in answer
        assert "请求内容过大" in answer.decode("utf-8", "replace")  # people read the Chinese first
        chunked = requests.post(f"{url}/subscribe", data=iter([b"email=a%40b.example"]), timeout=10)
        assert chunked.status_code == 411 and "须注明长度" in chunked.text


def test_file_parts_are_refused(data_path: Path) -> None:
    with live(create_app(data_path, clock=lambda: NOW)) as url:
        response = requests.post(
            f"{url}/subscribe", data={"email": "a@example.edu"}, files={"upload": ("x.txt", b"hello")}, timeout=10
        )
        assert response.status_code in (400, 413)
        assert "文件" in response.text


def test_filter_menus_list_the_most_used_values_and_keep_a_chosen_rare_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("calendar_svc.web.page.MENU_LIMIT", 3)
    records = [
        make(MIIT, "deadline", who=f"单位{i % 5}", what=f"第{i}项", end=dt.date(2026, 4, 1 + i % 20), line=i + 1)
        for i in range(15)
    ]  # three records for each of 单位0 … 单位4; then 单位0 gets three more, 单位1 two, 单位2 one
    records += [make(MIIT, "deadline", who="单位0", what=f"加{i}", end=dt.date(2026, 4, 25), line=100 + i) for i in range(3)]
    records += [make(MIIT, "deadline", who="单位1", what=f"再{i}", end=dt.date(2026, 4, 26), line=200 + i) for i in range(2)]
    records += [make(MIIT, "deadline", who="单位2", what="又", end=dt.date(2026, 4, 27), line=300)]
    path = save(tmp_path / "deadlines.toml", records)
    with live(create_app(path, clock=lambda: NOW)) as url:
        menu = requests.get(f"{url}/", timeout=10).text.split('id="menu-who"')[1].split("</details>")[0]
        assert [line.split('value="')[1].split('"')[0] for line in menu.split("<label>")[1:]] == ["单位0", "单位1", "单位2"]
        chosen = requests.get(f"{url}/", params={"who": "单位4"}, timeout=10).text.split('id="menu-who"')[1].split("</details>")[0]
        assert '<input type="checkbox" name="who" value="单位4" checked>' in chosen and "单位0（6）" in chosen


def test_the_update_time_reads_as_people_write_dates(server: str) -> None:
    html = requests.get(f"{server}/", timeout=10).text
    sub = html.split('<p class="sub">')[1].split("</p>")[0]
    assert re.search(r"数据更新于 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}", sub), sub
    assert not re.search(r"\d{4}-\d{2}-\d{2}", sub)


def test_a_slow_body_holds_no_thread_and_times_out(data_path: Path) -> None:
    with live(create_app(data_path, clock=lambda: NOW), Limits(header_timeout=0.5, threads=1)) as url:
        slow = connect(url)
        slow.sendall(b"POST /subscribe HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                     b"Content-Length: 100\r\n\r\nemail=a")
        assert requests.get(f"{url}/healthz", timeout=5).status_code == 200  # the only Flask thread is free
        answer = closed_by_server(slow)
        assert answer.startswith(b"HTTP/1.1 408") and "没有按时送达" in answer.decode("utf-8", "replace")


def test_serve_on_every_address_needs_a_public_base_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from calendar_svc.cli import main

    monkeypatch.chdir(tmp_path)  # no calendar-svc.toml here
    monkeypatch.delenv("CALENDAR_SVC_BASE_URL", raising=False)
    monkeypatch.delenv("CALENDAR_SVC_CONFIG", raising=False)
    save(tmp_path / "deadlines.toml", sample())
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--port", "1"])
    assert result.exit_code == 1
    assert "--host 0.0.0.0 监听所有地址" in result.output and "--base-url" in result.output
    assert "127.0.0.1" not in result.output


def test_a_repeated_bad_query_renders_the_page_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = save(tmp_path / "deadlines.toml", sample())
    renders: list[int] = []
    real_build = page.build
    monkeypatch.setattr("calendar_svc.web.page.build", lambda *a, **k: renders.append(1) or real_build(*a, **k))
    with live(create_app(path, clock=lambda: NOW)) as url:
        answers = [requests.get(f"{url}/?isuer=x", timeout=10) for _ in range(5)]
    assert {a.status_code for a in answers} == {400} and len(renders) == 1
    assert all("不认识的参数“isuer”" in a.text for a in answers)
