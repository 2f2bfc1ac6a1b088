"""The review page names failing watched sources, in headless chromium, as text."""

from __future__ import annotations

from pathlib import Path

from feed_fixtures import NOW, live, sample, save
from selenium.webdriver.common.by import By
from sqlalchemy import create_engine
from test_review_browser import PASSWORD, browser, log_in  # noqa: F401

from calendar_svc.review.accounts import Accounts
from calendar_svc.sources.service import Failing
from calendar_svc.web import create_app, review
from calendar_svc.web.review import SOURCES_EXTENSION


def test_failing_sources_are_shown_above_the_queue(browser, tmp_path: Path) -> None:  # noqa: F811
    app = create_app(save(tmp_path / "deadlines.toml", sample()), clock=lambda: NOW)
    accounts = Accounts(create_engine(f"sqlite:///{tmp_path / 'reviewers.db'}"), now=lambda: NOW)
    accounts.add("张三", PASSWORD)
    review.attach(app, accounts, "test-secret-" * 4)
    failing = [Failing("某大学科研处<script>alert(1)</script>", "https://kyy.example.edu.cn/tzgg.htm", 3,
                       "the server answered HTTP 500 Internal Server Error", "2026年12月2日 08:48")]
    app.extensions[SOURCES_EXTENSION] = lambda: failing
    with live(app) as url:
        browser.delete_all_cookies()
        log_in(browser, url)
        box = browser.find_element(By.ID, "sources-failing")
        assert "某大学科研处<script>alert(1)</script>：连续失败 3 次" in box.text  # shown as text, not run
        assert "HTTP 500" in box.text and "2026年12月2日 08:48" in box.text
        failing.clear()  # fixed: the box goes away
        browser.refresh()
        assert not browser.find_elements(By.ID, "sources-failing")
