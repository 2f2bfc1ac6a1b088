"""The review page in headless chromium: log in, work the queue by keyboard, and the page's defences.

What a reviewer does: logs in, moves through the queue with j/k, confirms a
candidate with c and sees it in the public feed, corrects a date and sees
it survive a re-extraction. What it refuses: a visitor without a login, a
form without its CSRF token, a name after repeated wrong passwords.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from feed_fixtures import NOW, hostile, live, sample, save
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import create_engine
from test_browser import chromium
from test_review import candidate

from calendar_svc import store
from calendar_svc.review.accounts import MAX_FAILURES, Accounts
from calendar_svc.web import create_app, review

PASSWORD = "correct horse"


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    driver = chromium()
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def data_path(tmp_path: Path) -> Path:
    return save(tmp_path / "deadlines.toml", [*sample(), hostile(), candidate()])


@pytest.fixture
def server(tmp_path: Path, data_path: Path, browser: webdriver.Chrome) -> Iterator[str]:
    app = create_app(data_path, clock=lambda: NOW)
    accounts = Accounts(create_engine(f"sqlite:///{tmp_path / 'reviewers.db'}"), now=lambda: NOW)
    accounts.add("张三", PASSWORD)
    review.attach(app, accounts, "test-secret-" * 4)
    with live(app) as url:
        browser.delete_all_cookies()
        yield url


def loaded(browser: webdriver.Chrome, path: str) -> None:
    WebDriverWait(browser, 10).until(
        lambda b: b.current_url.split("?")[0].split("#")[0].endswith(path) and b.execute_script("return document.readyState") == "complete"
    )


def log_in(browser: webdriver.Chrome, url: str, password: str = PASSWORD) -> None:
    browser.get(f"{url}/review/login")
    browser.find_element(By.ID, "name").send_keys("张三")
    with submitting(browser):
        browser.find_element(By.ID, "password").send_keys(password + Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.ID, "queue") or b.find_elements(By.ID, "login-error"))


def selected_id(browser: webdriver.Chrome) -> str:
    return browser.find_element(By.CSS_SELECTOR, "#queue .item.selected").get_attribute("data-id")


def press(browser: webdriver.Chrome, keys: str) -> None:
    browser.find_element(By.TAG_NAME, "body").send_keys(keys)


def _gone(element: WebElement) -> bool:
    """Whether ``element``'s document has been replaced. Chromium answers a node of an unloading document
    either as stale or with "does not belong to the document"; both mean the old page is gone."""
    try:
        element.is_enabled()
    except StaleElementReferenceException:
        return True
    except WebDriverException as exc:
        if "does not belong to the document" in str(exc):
            return True
        raise
    return False


@contextmanager
def submitting(browser: webdriver.Chrome) -> Iterator[None]:
    """Wait for the page the form posts to, not the one it leaves.

    The queue's forms submit as plain page loads. Until the old document is
    gone its ``#done`` is still found, and reading it races the unload, so
    wait for the old root to go stale and the new one to finish loading.
    """
    old = browser.find_element(By.TAG_NAME, "html")
    yield
    WebDriverWait(browser, 10).until(lambda b: _gone(old))
    WebDriverWait(browser, 10).until(lambda b: b.execute_script("return document.readyState") == "complete")


def test_log_in_confirm_a_candidate_by_keyboard_and_see_it_in_the_feed(browser: webdriver.Chrome, server: str, data_path: Path) -> None:
    cand = candidate()
    assert cand.id not in requests.get(f"{server}/calendar.ics", timeout=10).text
    log_in(browser, server)
    assert browser.find_element(By.ID, "reviewer").text == "张三"
    counts = browser.find_element(By.ID, "counts").text
    assert "候选 1" in counts and "新提取" in counts
    ids = [e.get_attribute("data-id") for e in browser.find_elements(By.CSS_SELECTOR, "#queue .item")]
    assert selected_id(browser) == ids[0]
    for _ in range(ids.index(cand.id)):
        press(browser, "j")
    assert selected_id(browser) == cand.id
    item = browser.find_element(By.ID, f"item-{cand.id}")
    assert "候选" in item.text and "年份为推断" in item.text and "2026年3月11日" in item.text
    with submitting(browser):
        press(browser, "c")
    WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.ID, "done"))
    assert "张三：确认" in browser.find_element(By.ID, "done").text
    assert not browser.find_elements(By.ID, f"item-{cand.id}")
    assert cand.id in requests.get(f"{server}/calendar.ics", timeout=10).text
    assert store.load(data_path) and next(d for d in store.load(data_path) if d.id == cand.id).status == "confirmed"


def test_corrected_date_survives_a_reextraction(browser: webdriver.Chrome, server: str, data_path: Path) -> None:
    target = sample()[2]  # 2026-03-12
    log_in(browser, server)
    while selected_id(browser) != target.id:
        press(browser, "j")
    press(browser, "d")
    field = browser.switch_to.active_element
    assert field.get_attribute("name") == "end" and field.get_attribute("value") == "2026-03-12"
    browser.execute_script("arguments[0].value = '2026-03-13'", field)
    with submitting(browser):
        field.send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.ID, "done"))
    assert "改日期 2026年3月12日 → 2026年3月13日" in browser.find_element(By.ID, "done").text
    merged, _ = store.merge(store.load(data_path), sample(), now=NOW, scope=store.scope_of(sample()))  # the source again
    store.save(data_path, merged)
    record = next(d for d in store.load(data_path) if d.id == target.id)
    assert record.end == dt.date(2026, 3, 13) and record.human_dates


def test_notice_text_is_shown_as_text(browser: webdriver.Chrome, server: str) -> None:
    log_in(browser, server)
    item = browser.find_element(By.ID, f"item-{hostile().id}")
    assert "<script>alert('x')</script>" in item.text
    assert not item.find_elements(By.TAG_NAME, "script") and not item.find_elements(By.TAG_NAME, "img")
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text


def test_wrong_passwords_lock_the_account_out(browser: webdriver.Chrome, server: str) -> None:
    for _ in range(MAX_FAILURES - 1):
        log_in(browser, server, "wrong password")
        assert "用户名或密码不对" in browser.find_element(By.ID, "login-error").text
    log_in(browser, server, "wrong password")
    assert "已锁定" in browser.find_element(By.ID, "login-error").text
    log_in(browser, server)  # the right password, too soon
    assert "已锁定" in browser.find_element(By.ID, "login-error").text
    assert not browser.find_elements(By.ID, "queue")


def test_a_visitor_is_refused_at_review(browser: webdriver.Chrome, server: str, data_path: Path) -> None:
    browser.get(f"{server}/review")
    loaded(browser, "/review/login")
    assert browser.find_elements(By.ID, "login") and not browser.find_elements(By.ID, "queue")
    before = data_path.read_bytes()
    visitor = requests.Session()
    page = visitor.get(f"{server}/review/login", timeout=10)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    action = visitor.post(f"{server}/review/{candidate().id}", data={"csrf": csrf, "action": "confirm"}, allow_redirects=False, timeout=10)
    assert action.status_code == 303 and action.headers["Location"].endswith("/review/login")
    assert data_path.read_bytes() == before
    assert requests.get(f"{server}/", timeout=10).status_code == 200  # the public page and feed stay open
    assert requests.get(f"{server}/calendar.ics", timeout=10).status_code == 200


def test_a_form_without_its_csrf_token_is_refused(server: str, data_path: Path) -> None:
    reviewer = requests.Session()
    page = reviewer.get(f"{server}/review/login", timeout=10)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    assert reviewer.post(f"{server}/review/login", data={"name": "张三", "password": PASSWORD}, timeout=10).status_code == 400
    logged = reviewer.post(f"{server}/review/login", data={"name": "张三", "password": PASSWORD, "csrf": csrf}, timeout=10)
    assert logged.status_code == 200 and 'id="queue"' in logged.text
    token = re.search(r'name="csrf" value="([^"]+)"', logged.text).group(1)
    before = data_path.read_bytes()
    for sent in ({}, {"csrf": csrf}, {"csrf": "forged"}):  # none, the old pre-login token, a made-up one
        refused = reviewer.post(f"{server}/review/{candidate().id}", data={"action": "confirm", **sent}, timeout=10)
        assert refused.status_code == 400 and "CSRF" in refused.text
    assert data_path.read_bytes() == before
    done = reviewer.post(f"{server}/review/{candidate().id}", data={"action": "confirm", "csrf": token}, timeout=10)
    assert done.status_code == 200 and data_path.read_bytes() != before


def test_two_reviewers_on_one_record_the_second_gets_a_conflict(server: str, data_path: Path) -> None:
    def logged_in() -> tuple[requests.Session, str]:
        session = requests.Session()
        csrf = re.search(r'name="csrf" value="([^"]+)"', session.get(f"{server}/review/login", timeout=10).text).group(1)
        page = session.post(f"{server}/review/login", data={"name": "张三", "password": PASSWORD, "csrf": csrf}, timeout=10)
        return session, page.text

    target = candidate().id
    (first, page_one), (second, page_two) = logged_in(), logged_in()

    def form(page: str, action: str) -> dict:
        item = page.split(f'id="item-{target}"', 1)[1]
        version = re.search(r'name="version" value="([^"]+)"', item).group(1)
        return {"csrf": re.search(r'name="csrf" value="([^"]+)"', page).group(1), "version": version, "action": action}

    assert first.post(f"{server}/review/{target}", data=form(page_one, "confirm"), timeout=10).status_code == 200
    late = second.post(f"{server}/review/{target}", data=form(page_two, "hide"), timeout=10)
    assert late.status_code == 409 and "已被他人修改" in late.text
    assert next(d for d in store.load(data_path) if d.id == target).status == "confirmed"


def test_the_internal_deadline_is_set_per_record_by_keyboard(browser: webdriver.Chrome, server: str, data_path: Path) -> None:
    target = sample()[2]  # 2026-03-12, a Thursday
    log_in(browser, server)
    while selected_id(browser) != target.id:
        press(browser, "j")
    assert browser.find_element(By.ID, f"internal-{target.id}").text == "无内部截止"
    press(browser, "i")
    field = browser.switch_to.active_element
    assert field.get_attribute("name") == "internal_workdays"
    with submitting(browser):
        field.send_keys("5" + Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.ID, "done"))
    assert "张三：内部截止为正式截止前 5 个工作日" in browser.find_element(By.ID, "done").text
    assert "2026年3月10日 10:00" in browser.find_element(By.ID, "done").text  # who and when, as people write dates
    shown = browser.find_element(By.ID, f"internal-{target.id}").text
    assert shown == "内部截止：2026年3月5日（周四）（正式截止前 5 个工作日，本条设定）"
    assert next(d for d in store.load(data_path) if d.id == target.id).internal_workdays == 5
    assert f"UID:{target.id}-internal@" in requests.get(f"{server}/calendar.ics", timeout=10).text
    # Blank: back to the rules (none here); the history keeps both actions.
    browser.find_element(By.CSS_SELECTOR, f"#item-{target.id} input[name=internal_workdays]").clear()
    with submitting(browser):
        browser.find_element(By.CSS_SELECTOR, f"#item-{target.id} input[name=internal_workdays]").send_keys(Keys.ENTER)
    assert "内部截止按规则" in browser.find_element(By.ID, "done").text
    record = next(d for d in store.load(data_path) if d.id == target.id)
    assert record.internal_workdays is None and [h.split("：", 1)[1] for h in record.history] == ["内部截止为正式截止前 5 个工作日", "内部截止按规则"]


def test_a_moved_confirmed_date_waits_on_the_page_and_confirming_publishes_it(browser: webdriver.Chrome, server: str, data_path: Path) -> None:
    target = sample()[2]
    from calendar_svc.review import Change, apply

    apply(data_path, target.id, Change(status="confirmed"), who="李四", now=NOW)
    moved = dataclasses.replace(target, end=dt.date(2026, 3, 19), quote="报送截止时间延长至2026年3月19日。")
    with store.locked(data_path):
        merged, _ = store.merge(store.load(data_path), [moved], now=NOW, scope=store.scope_of([moved]))
        store.save(data_path, merged)
    assert "DTSTART;VALUE=DATE:20260312" in requests.get(f"{server}/calendar.ics", timeout=10).text  # still the confirmed date
    log_in(browser, server)
    item = browser.find_element(By.ID, f"item-{target.id}")
    assert "日期有变 2026年3月12日 → 2026年3月19日" in item.text
    assert "原文新日期：2026年3月19日（周四）" in browser.find_element(By.ID, f"pending-{target.id}").text
    assert "延长至2026年3月19日" in item.text
    while selected_id(browser) != target.id:
        press(browser, "j")
    with submitting(browser):
        press(browser, "c")
    WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.ID, "done"))
    assert "张三：确认新日期 2026年3月12日 → 2026年3月19日" in browser.find_element(By.ID, "done").text
    assert "DTSTART;VALUE=DATE:20260319" in requests.get(f"{server}/calendar.ics", timeout=10).text
