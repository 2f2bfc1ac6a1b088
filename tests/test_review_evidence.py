"""The review page shows the quote marked among its source lines; 查看原文 links a web address or the file read."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from feed_fixtures import MIIT, NOW, make, save
from sqlalchemy import create_engine

from calendar_svc.model import Source
from calendar_svc.review.accounts import Accounts
from calendar_svc.review.evidence import evidence
from calendar_svc.web import create_app, review

NOTICE = "关于报送材料的通知\n各有关单位：\n一、时间安排\n请于2026年3月16日前报送推荐函，逾期不予受理。\n二、联系方式\n某某局\n"


def record(tmp_path: Path, url: str = ""):
    notice = tmp_path / "n.txt"
    notice.write_text(NOTICE, encoding="utf-8")
    base = make(MIIT, "deadline", who="各有关单位", what="报送推荐函", end=NOW.date(), quote="请于2026年3月16日前报送推荐函")
    return replace(base, source=Source(str(notice), 4, url=url))


def test_the_quote_is_marked_inside_its_surrounding_lines(tmp_path: Path) -> None:
    shown = evidence(record(tmp_path))
    assert shown.found and shown.quote == "请于2026年3月16日前报送推荐函"
    assert shown.before.endswith("各有关单位：\n一、时间安排\n") and shown.after.startswith("，逾期不予受理。\n二、联系方式")
    missing = replace(record(tmp_path), source=Source(str(tmp_path / "gone.txt"), 4))
    assert evidence(missing) == type(shown)("", missing.quote, "", False)


def reviewer_page(tmp_path: Path, records: list) -> tuple[object, str]:
    """A logged-in test client on a queue of ``records``, and the queue page."""
    path = save(tmp_path / "deadlines.toml", records)
    app = create_app(path, clock=lambda: NOW)
    accounts = Accounts(create_engine(f"sqlite:///{tmp_path / 'r.db'}"), now=lambda: NOW)
    accounts.add("张三", "correct horse")
    review.attach(app, accounts, "k" * 32)
    client = app.test_client()
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/review/login").text).group(1)
    page = client.post("/review/login", data={"name": "张三", "password": "correct horse", "csrf": csrf}, follow_redirects=True).text
    return client, page


def test_the_page_marks_the_quote_and_links_only_web_addresses(tmp_path: Path) -> None:
    web = record(tmp_path, url="https://example.gov.cn/n.html")
    bad = replace(make(MIIT, "deadline", who="乙", what="交表", end=NOW.date()), source=Source("x.txt", 1, url="javascript:alert(1)"))
    _, page = reviewer_page(tmp_path, [web, bad])
    assert "一、时间安排\n<mark>请于2026年3月16日前报送推荐函</mark>，逾期不予受理。" in page
    links = re.findall(r'<a href="([^"]*)"[^>]*class="original"', page)
    assert links == ["https://example.gov.cn/n.html"] and "javascript:" not in page  # x.txt cannot be read: no link


def test_a_notice_read_from_a_file_links_its_text_with_the_line_marked(tmp_path: Path) -> None:
    local = record(tmp_path)
    client, page = reviewer_page(tmp_path, [local])
    (link,) = re.findall(r'<a href="([^"]*)"[^>]*class="original"', page)
    assert link == f"/review/{local.id}/source#L4"
    text = client.get(link.split("#")[0]).text
    assert '<li id="L4" class="quoted"><mark>请于2026年3月16日前报送推荐函</mark>，逾期不予受理。</li>' in text
    assert '<li id="L6">某某局</li>' in text and local.notice.title in text
    assert client.get("/review/nosuchid/source").status_code == 404
    Path(local.source.file).write_text(NOTICE + "<script>alert(1)</script>\n", encoding="utf-8")  # notice text is untrusted
    hostile = client.get(link.split("#")[0]).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile and "<script>alert" not in hostile
    Path(local.source.file).unlink()  # moved away since extraction
    assert client.get(link.split("#")[0]).status_code == 404
    assert client.application.test_client().get(f"/review/{local.id}/source").status_code == 303  # no login
