"""The review page shows the quote marked among its source lines, and 查看原文 only for a web address."""

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


def test_the_page_marks_the_quote_and_links_only_web_addresses(tmp_path: Path) -> None:
    web = record(tmp_path, url="https://example.gov.cn/n.html")
    bad = replace(make(MIIT, "deadline", who="乙", what="交表", end=NOW.date()), source=Source("x.txt", 1, url="javascript:alert(1)"))
    path = save(tmp_path / "deadlines.toml", [web, bad])
    app = create_app(path, clock=lambda: NOW)
    accounts = Accounts(create_engine(f"sqlite:///{tmp_path / 'r.db'}"), now=lambda: NOW)
    accounts.add("张三", "correct horse")
    review.attach(app, accounts, "k" * 32)
    client = app.test_client()
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/review/login").text).group(1)
    page = client.post("/review/login", data={"name": "张三", "password": "correct horse", "csrf": csrf}, follow_redirects=True).text
    assert "一、时间安排\n<mark>请于2026年3月16日前报送推荐函</mark>，逾期不予受理。" in page
    assert page.count("查看原文") == 1 and 'href="https://example.gov.cn/n.html"' in page and "javascript:" not in page
