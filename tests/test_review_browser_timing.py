"""The review page in headless chromium: a record's recurrence and basis, and 查看原文, by keyboard.

Issue 9 promises each queue item its dates as read, how they were counted and
the way back to the source. A recurring deadline shows its rule (重复：…) and
the basis it was counted on (计算：…); ``r`` jumps into its last day, and a
new one is kept as a person's edit that a re-extraction does not undo. A
one-date deadline can be made to recur. ``o`` opens the original: the
notice's web page, or for a notice read from a file, that file's text with
the record's line marked.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
import requests
from feed_fixtures import MIIT, NOW, make, sample, save
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait
from test_review_browser import browser, log_in, press, selected_id, server, submitting  # noqa: F401 (fixtures)

from calendar_svc import store
from calendar_svc.model import Source

BASIS = "自发文日期（2026年3月1日）后首次为2026年3月15日（周日）；原文未写止期，暂至2026年12月31日，请核对"
NOTICE = "关于报送项目进展的通知\n各项目单位：\n项目单位应于每月15日前报送项目进展情况。\n联系人：张老师\n某某局\n2026年3月1日\n"


def monthly(notice_file: Path) -> object:
    """每月15日前 as extraction reads it: one record, its first day, the rule to the year's end, the basis."""
    record = make(MIIT, "deadline", who="项目单位", what="报送项目进展情况", end=dt.date(2026, 3, 15),
                  quote="项目单位应于每月15日前报送项目进展情况", line=3,
                  repeat="FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20261231", basis=BASIS)
    return dataclasses.replace(record, source=Source(str(notice_file), 3))


@pytest.fixture
def notice_file(tmp_path: Path) -> Path:
    path = tmp_path / "progress.txt"
    path.write_text(NOTICE, encoding="utf-8")
    return path


@pytest.fixture
def data_path(tmp_path: Path, notice_file: Path) -> Path:
    return save(tmp_path / "deadlines.toml", [*sample(), monthly(notice_file)])


def go_to(browser: webdriver.Chrome, record_id: str) -> None:
    while selected_id(browser) != record_id:
        press(browser, "j")


def type_last_day(browser: webdriver.Chrome, record_id: str, value: str, *, shown: str | None = None) -> None:
    """Select the record, jump into its 止期 with ``r`` (showing ``shown``), type ``value`` and send the form."""
    go_to(browser, record_id)
    press(browser, "r")
    field = browser.switch_to.active_element
    assert field.get_attribute("name") == "until"
    assert shown is None or field.get_attribute("value") == shown
    browser.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'))", field, value)
    with submitting(browser):
        field.send_keys(Keys.ENTER)


def done_text(browser: webdriver.Chrome) -> str:
    WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.ID, "done"))
    return browser.find_element(By.ID, "done").text


def test_a_recurring_deadline_shows_its_rule_and_basis_and_r_changes_its_last_day(
    browser: webdriver.Chrome, server: str, data_path: Path, notice_file: Path
) -> None:
    target = monthly(notice_file)
    log_in(browser, server)
    assert browser.find_element(By.ID, f"repeat-{target.id}").text == "重复：每月15日，至2026年12月31日"
    assert browser.find_element(By.ID, f"basis-{target.id}").text == f"计算：{BASIS}"
    type_last_day(browser, target.id, "2027-06-30", shown="2026-12-31")
    assert "张三：改重复 每月15日，至2026年12月31日 → 每月15日，至2027年6月30日" in done_text(browser)
    assert browser.find_element(By.ID, f"repeat-{target.id}").text == "重复：每月15日，至2027年6月30日"
    assert "（按原文推算；日期已人工修改）" in browser.find_element(By.ID, f"basis-{target.id}").text
    assert "RRULE:FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20270630" in requests.get(f"{server}/calendar.ics", timeout=10).text
    merged, _ = store.merge(store.load(data_path), [target], now=NOW, scope=store.scope_of([target]))  # the source again
    store.save(data_path, merged)
    record = next(d for d in store.load(data_path) if d.id == target.id)
    assert record.repeat == "FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20270630" and record.human_dates and not record.reason


def test_a_one_date_deadline_is_made_monthly_and_back(browser: webdriver.Chrome, server: str, data_path: Path) -> None:
    target = sample()[2]  # 2026-03-12
    log_in(browser, server)
    assert not browser.find_elements(By.ID, f"repeat-{target.id}")
    type_last_day(browser, target.id, "2026-06-30", shown="")  # the rule beside it turns monthly as a day is typed
    assert "张三：设为重复：每月12日，至2026年6月30日" in done_text(browser)
    assert browser.find_element(By.ID, f"repeat-{target.id}").text == "重复：每月12日，至2026年6月30日"
    form = browser.find_element(By.CSS_SELECTOR, f"#item-{target.id} form.repeat")
    Select(form.find_element(By.NAME, "repeat")).select_by_value("none")
    with submitting(browser):
        form.find_element(By.NAME, "until").send_keys(Keys.ENTER)
    assert "张三：改为不重复（原为每月12日，至2026年6月30日）" in done_text(browser)
    assert not browser.find_elements(By.ID, f"repeat-{target.id}")
    assert next(d for d in store.load(data_path) if d.id == target.id).repeat == ""


def test_a_last_day_before_the_first_deadline_is_refused(browser: webdriver.Chrome, server: str, data_path: Path) -> None:
    target = sample()[2]
    before = data_path.read_bytes()
    log_in(browser, server)
    type_last_day(browser, target.id, "2026-01-31")
    assert "重复的止期（2026年1月31日）早于第一次截止（2026年3月12日）" in browser.find_element(By.ID, "message").text
    assert data_path.read_bytes() == before


def test_o_opens_the_file_a_notice_was_read_from_with_its_line_marked(browser: webdriver.Chrome, server: str, notice_file: Path) -> None:
    target = monthly(notice_file)
    log_in(browser, server)
    go_to(browser, target.id)
    queue_window = browser.current_window_handle
    press(browser, "o")
    WebDriverWait(browser, 10).until(lambda b: len(b.window_handles) == 2)
    browser.switch_to.window(next(h for h in browser.window_handles if h != queue_window))
    try:
        WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.ID, "source"))
        assert browser.current_url.endswith(f"/review/{target.id}/source#L3")
        quoted = browser.find_element(By.CSS_SELECTOR, "#source li.quoted")
        assert quoted.get_attribute("id") == "L3"
        assert quoted.find_element(By.TAG_NAME, "mark").text == "项目单位应于每月15日前报送项目进展情况"
        assert [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#source li")] == NOTICE.split("\n")  # as extraction numbered them
        assert MIIT.title in browser.find_element(By.ID, "source-notice").text
    finally:
        browser.close()
        browser.switch_to.window(queue_window)
