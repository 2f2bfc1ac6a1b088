"""The web app over real HTTP: feed headers, 304s, gzip, the stat-keyed cache, filters, 400s, JSON, page.

The app runs under waitress on 127.0.0.1 with a fixed clock; requests and
urllib are the clients, so headers and bodies are what a calendar app gets.
"""

from __future__ import annotations

import gzip
import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from urllib.parse import quote

import icalendar
import pytest
import requests
from feed_fixtures import MIIT, NOW, hostile, live, make, sample, save
from ical.calendar_stream import IcsCalendarStream

from calendar_svc import store
from calendar_svc.web import create_app
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
    as_json = requests.get(f"{server}/deadlines.json?{query}", timeout=10)
    assert as_json.status_code == 400 and message in as_json.json()["error"]
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
        assert health.json()["status"] == "error" and "field `id` has the wrong type" in health.json()["error"]
        page = requests.get(f"{url}/", timeout=10)
        banner = page.text.split('id="data-error"')[1].split("</div>")[0]
        assert "数据文件 <code>deadlines.toml</code> 无法读取，下面仍显示上次成功读取的内容" in banner
        assert "field `id` has the wrong type" in banner and str(tmp_path) not in page.text
        assert "网上填报申报书" in page.text


def test_a_broken_file_at_start_is_a_503_not_an_empty_calendar(tmp_path: Path) -> None:
    path = tmp_path / "deadlines.toml"
    path.write_text("this is not toml", encoding="utf-8")
    with live(create_app(path, clock=lambda: NOW)) as url:
        response = requests.get(f"{url}/calendar.ics", timeout=10)
        assert response.status_code == 503 and "not valid TOML" in response.text
        assert requests.get(f"{url}/deadlines.json", timeout=10).status_code == 503


def test_a_missing_file_is_an_empty_calendar(tmp_path: Path) -> None:
    with live(create_app(tmp_path / "absent.toml", clock=lambda: NOW)) as url:
        response = requests.get(f"{url}/calendar.ics", timeout=10)
        assert response.status_code == 200 and uids(response.content) == set()
        assert requests.get(f"{url}/healthz", timeout=10).json()["exists"] is False
        assert "没有即将到来的截止日期" in requests.get(f"{url}/", timeout=10).text


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
