"""The page's official / internal / both control and a recurring deadline, in headless chromium and without JavaScript."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from feed_fixtures import MIIT, NOW, live, make, save
from ical.calendar_stream import IcsCalendarStream
from selenium.webdriver.common.by import By
from test_browser import chromium, titles, wait_for

from calendar_svc.internal import Rule
from calendar_svc.web import create_app

OFFICIAL = make(MIIT, "deadline", who="项目申报单位", what="报送申报书", end=dt.date(2026, 4, 10), tags=["科研"])
MONTHLY = replace(
    make(MIIT, "deadline", who="项目承担单位", what="报送项目进展情况", end=dt.date(2026, 3, 15)),
    repeat="FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20261231",
    roll_forward=True,
    basis="自发文日期（2026年2月20日）后首次为2026年3月15日（周日）；原文未写止期，暂至2026年12月31日，请核对",
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = save(tmp_path_factory.mktemp("periods-browser") / "deadlines.toml", [OFFICIAL, MONTHLY])
    with live(create_app(path, clock=lambda: NOW, internal_rules=[Rule(5, tag="科研")])) as url:
        yield url


def test_the_page_chooses_official_internal_or_both_and_the_links_follow(server: str) -> None:
    browser = chromium()
    try:
        browser.get(f"{server}/")
        both = titles(browser)
        assert "内部截止：报送申报书（项目申报单位）" in both and "截止：报送申报书（项目申报单位）" in both
        control = browser.find_element(By.ID, "menu-deadlines")
        labels = [e.text for e in control.find_elements(By.TAG_NAME, "label")]
        assert labels == ["正式与内部截止（3）", "仅正式截止（2）", "仅内部截止（1）"]
        assert control.find_element(By.CSS_SELECTOR, 'input[value="both"]').is_selected()

        control.find_element(By.CSS_SELECTOR, 'input[value="internal"]').click()
        browser.find_element(By.ID, "apply").click()
        wait_for(browser, "deadlines=internal")
        assert titles(browser) == ["内部截止：报送申报书（项目申报单位）"]
        assert browser.find_element(By.CSS_SELECTOR, '#menu-deadlines input[value="internal"]').is_selected()
        webcal = browser.find_element(By.ID, "subscribe-webcal").get_attribute("href")
        assert parse_qs(urlsplit(webcal).query) == {"deadlines": ["internal"]}
        feed = requests.get(browser.find_element(By.ID, "feed-url").get_attribute("value"), timeout=10).text
        assert [e.uid for e in IcsCalendarStream.calendar_from_ics(feed).events] == [f"{OFFICIAL.id}-internal@calendar-svc"]
        hidden = browser.find_element(By.CSS_SELECTOR, '#email-subscribe input[name="deadlines"]')
        assert hidden.get_attribute("value") == "internal"

        browser.find_element(By.CSS_SELECTOR, '#menu-deadlines input[value="official"]').click()
        browser.find_element(By.ID, "apply").click()
        wait_for(browser, "deadlines=official")
        assert titles(browser) == ["截止：报送项目进展情况（项目承担单位）", "截止：报送申报书（项目申报单位）"]
        # The recurring deadline shows its next occurrence (3月15日 is a Sunday → 3月16日), its rule and its basis.
        item = browser.find_element(By.ID, f"d-{MONTHLY.id}-20260315")
        assert "2026年3月16日（周一）" in item.find_element(By.TAG_NAME, "time").text
        assert item.find_element(By.CSS_SELECTOR, ".repeat").text.startswith("每月15日重复，共 10 次，至2026年12月15日（周二）")
        assert item.find_element(By.CSS_SELECTOR, ".basis").text.startswith("计算：")
    finally:
        browser.quit()


def test_the_control_works_without_javascript(server: str) -> None:
    page = requests.get(f"{server}/?deadlines=official", timeout=10).text
    assert 'value="official" checked' in page
    assert "内部截止：" not in page.split('id="filters"')[0]
    refused = requests.get(f"{server}/?deadlines=mine", timeout=10)
    assert refused.status_code == 400 and "只能是 official（正式截止）" in refused.text
