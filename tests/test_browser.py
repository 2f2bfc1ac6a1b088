"""The page in a real headless browser (Debian's chromium via chromedriver and Selenium).

What a person does: sees the list, narrows it with a filter, takes the
subscribe link for that filter, opens an item's evidence; and a notice with
markup in its title is shown as text, never run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest
import requests
from feed_fixtures import NOW, hostile, live, sample, save
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from calendar_svc import store
from calendar_svc.web import create_app

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1100,1600",
)


@pytest.fixture(scope="module")
def data_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save(tmp_path_factory.mktemp("browser") / "deadlines.toml", [*sample(), hostile()])


@pytest.fixture(scope="module")
def server(data_path: Path) -> Iterator[str]:
    with live(create_app(data_path, clock=lambda: NOW)) as url:
        yield url


def chromium(javascript: bool = True) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    return driver


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    driver = chromium()
    try:
        yield driver
    finally:
        driver.quit()


def wait_for(browser: webdriver.Chrome, in_url: str, *, absent: bool = False) -> None:
    """Wait until the page a form or menu navigated to has loaded completely."""

    def arrived(b: webdriver.Chrome) -> bool:
        moved = (in_url not in b.current_url) if absent else (in_url in b.current_url)
        return moved and b.execute_script("return document.readyState") == "complete"

    WebDriverWait(browser, 10).until(arrived)


def choose(browser: webdriver.Chrome, name: str, *values: str) -> None:
    """Tick ``values`` in the filter menu ``name`` (opening it first), as a person does."""
    menu = browser.find_element(By.ID, f"menu-{name}")
    if menu.get_attribute("open") is None:
        menu.find_element(By.TAG_NAME, "summary").click()
    for value in values:
        box = menu.find_element(By.CSS_SELECTOR, f'input[name="{name}"][value="{value}"]')
        assert box.is_displayed()
        box.click()


def titles(browser: webdriver.Chrome, section: str = "#upcoming") -> list[str]:
    return [e.text for e in browser.find_elements(By.CSS_SELECTOR, f"{section} .item .title")]


def test_list_renders_soonest_first(browser: webdriver.Chrome, server: str) -> None:
    browser.get(f"{server}/")
    assert browser.title == "政策申报截止日期"
    shown = titles(browser)
    assert shown[:2] == ["截止：提交预申报书（申报单位）", "截止：报送推荐函（各推荐单位）"]
    assert "截止：网上填报申报书（项目申报单位）" in shown
    lefts = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#upcoming .item .left")]
    assert lefts[:2] == ["还剩 2 天（2 个工作日）", "还剩 6 天（4 个工作日）"]
    # Past items are folded away until asked for.
    past = browser.find_element(By.CSS_SELECTOR, "#past .item .title")
    assert not past.is_displayed()
    browser.find_element(By.CSS_SELECTOR, "#past > summary").click()
    assert past.is_displayed() and past.text == "截止：提交补充材料（申报单位）"


def test_filter_narrows_the_list_and_the_subscribe_link_follows(browser: webdriver.Chrome, server: str, data_path: Path) -> None:
    browser.get(f"{server}/")
    everything = titles(browser)
    choose(browser, "issuer", "科学技术部")
    browser.find_element(By.ID, "apply").click()
    wait_for(browser, "issuer=")
    narrowed = titles(browser)
    assert narrowed == ["截止：提交预申报书（申报单位）", "开始：正式申报受理开始（申报单位）"]
    assert set(narrowed) < set(everything)
    assert browser.find_element(By.ID, "count").text == "显示 3 / 7 条（已筛选）"

    webcal = browser.find_element(By.ID, "subscribe-webcal").get_attribute("href")
    https = browser.find_element(By.ID, "feed-url").get_attribute("value")
    host = server.removeprefix("http://")
    assert urlsplit(webcal).scheme == "webcal" and urlsplit(webcal).netloc == host
    assert parse_qs(urlsplit(webcal).query) == {"issuer": ["科学技术部"]}
    assert https == "http://" + webcal.removeprefix("webcal://")
    assert browser.find_element(By.CSS_SELECTOR, "[data-copy]").is_displayed()  # app.js shows the copy button

    # The link serves exactly the deadlines the filtered page shows.
    feed = icalendar.Calendar.from_ical(requests.get(https, timeout=10).content)
    ids = {str(e["UID"]).split("@")[0].removesuffix("-open") for e in feed.walk("VEVENT")}
    shown = {e.get_attribute("id").removeprefix("d-") for e in browser.find_elements(By.CSS_SELECTOR, ".item")}
    assert ids == shown
    assert {d.id for d in store.load(data_path) if d.notice.issuer == "科学技术部"} == ids


def test_search_and_kind_filter(browser: webdriver.Chrome, server: str) -> None:
    browser.get(f"{server}/")
    box = browser.find_element(By.NAME, "q")
    box.send_keys("推荐函")
    browser.find_element(By.ID, "apply").click()
    wait_for(browser, "q=")
    assert titles(browser) == ["截止：报送推荐函（各推荐单位）"]
    assert parse_qs(urlsplit(browser.find_element(By.ID, "subscribe-webcal").get_attribute("href")).query) == {"q": ["推荐函"]}
    browser.find_element(By.ID, "clear").click()
    wait_for(browser, "q=", absent=True)
    choose(browser, "kind", "window")
    browser.find_element(By.ID, "apply").click()
    wait_for(browser, "kind=window")
    assert titles(browser) == ["截止：网上填报申报书（项目申报单位）"]


def test_evidence_expands_to_quote_and_source(browser: webdriver.Chrome, server: str) -> None:
    browser.get(f"{server}/?q=逾期")
    quote = browser.find_element(By.CSS_SELECTOR, ".item .evidence blockquote")
    assert not quote.is_displayed()
    browser.find_element(By.CSS_SELECTOR, ".item .evidence > summary").click()
    assert quote.is_displayed()
    assert quote.text == "各推荐单位应于3月16日前报送推荐函；逾期不予受理。"
    assert "第 20 行" in browser.find_element(By.CSS_SELECTOR, ".item .evidence dl").text


def test_markup_in_a_notice_is_shown_as_text(browser: webdriver.Chrome, server: str) -> None:
    browser.get(f"{server}/?issuer=某<b>厅</b>")
    item = browser.find_element(By.CSS_SELECTOR, "#upcoming .item")
    notice = item.find_element(By.CSS_SELECTOR, ".notice").text
    assert "<script>alert('x')</script>关于“申报,报送;审核\\备案”的通知" in notice
    assert "某<b>厅</b>" in notice
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018 - reading it is the check
    assert len(browser.find_elements(By.CSS_SELECTOR, "script")) == 1
    assert browser.find_elements(By.CSS_SELECTOR, ".item b, .item img") == []
    assert item.find_element(By.CSS_SELECTOR, ".title").text == "截止：" + "长" * 500


def test_list_and_filters_work_without_javascript(server: str) -> None:
    driver = chromium(javascript=False)
    try:
        driver.get(f"{server}/")
        assert not driver.find_element(By.CSS_SELECTOR, "[data-copy]").is_displayed()  # app.js did not run
        assert len(titles(driver)) == 5
        choose(driver, "tag", "推荐")  # <details> menus open without JS
        driver.find_element(By.ID, "apply").click()
        wait_for(driver, "tag=")
        assert titles(driver) == ["截止：报送推荐函（各推荐单位）"]
        href = driver.find_element(By.ID, "subscribe-webcal").get_attribute("href")
        assert parse_qs(urlsplit(href).query) == {"tag": ["推荐"]}
    finally:
        driver.quit()


def test_a_phone_sees_the_soonest_deadlines_on_its_first_screen(server: str) -> None:
    driver = chromium()
    try:
        driver.set_window_size(390, 844)  # an ordinary phone, in CSS pixels
        driver.get(f"{server}/")
        height = driver.execute_script("return window.innerHeight")
        assert driver.execute_script("return window.innerWidth") <= 420
        first = driver.find_element(By.CSS_SELECTOR, "#upcoming .item")
        top = driver.execute_script("return arguments[0].getBoundingClientRect().top", first)
        assert 0 <= top < height * 0.6, (top, height)
        assert first.find_element(By.CSS_SELECTOR, ".title").text == "截止：提交预申报书（申报单位）"
        assert first.find_element(By.CSS_SELECTOR, ".left").is_displayed()
        # Filters and subscribe come after the list, one tap away from the top.
        subscribe = driver.find_element(By.ID, "subscribe")
        assert driver.execute_script("return arguments[0].getBoundingClientRect().top", subscribe) > top
        jump = driver.find_element(By.CSS_SELECTOR, ".jump a[href='#filters']")
        assert jump.is_displayed()
        jump.click()
        WebDriverWait(driver, 10).until(
            lambda d: 0 <= d.execute_script("return document.getElementById('filters').getBoundingClientRect().top") < height
        )
    finally:
        driver.quit()


def test_a_wide_screen_keeps_subscribe_and_filters_above_the_list(browser: webdriver.Chrome, server: str) -> None:
    browser.get(f"{server}/")
    top = {name: browser.execute_script(f"return document.querySelector('{name}').getBoundingClientRect().top") for name in ("#subscribe", "#filters", "main")}
    assert top["#subscribe"] < top["#filters"] < top["main"]
    assert not browser.find_element(By.CSS_SELECTOR, ".jump").is_displayed()


def test_choosing_two_kinds_and_a_who_shows_either_kind_for_that_who(browser: webdriver.Chrome, server: str) -> None:
    browser.get(f"{server}/")
    choose(browser, "kind", "window", "deadline")
    browser.find_element(By.ID, "apply").click()
    wait_for(browser, "kind=")
    assert set(titles(browser)) == {
        "截止：提交预申报书（申报单位）",
        "截止：报送推荐函（各推荐单位）",
        "截止：" + "长" * 500,
        "截止：网上填报申报书（项目申报单位）",
    }
    choose(browser, "who", "项目申报单位")
    browser.find_element(By.ID, "apply").click()
    wait_for(browser, "who=")
    assert titles(browser) == ["截止：网上填报申报书（项目申报单位）"]
    query = parse_qs(urlsplit(browser.find_element(By.ID, "subscribe-webcal").get_attribute("href")).query)
    assert query == {"kind": ["deadline", "window"], "who": ["项目申报单位"]}
    assert browser.find_element(By.ID, "menu-kind").find_element(By.TAG_NAME, "summary").text == "类型（已选 2）"


def test_google_button_copies_the_link_then_opens_add_by_url(browser: webdriver.Chrome, server: str) -> None:
    browser.execute_cdp_cmd(
        "Browser.grantPermissions",
        {"origin": server, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]},
    )
    browser.get(f"{server}/?tag=推荐")
    button = browser.find_element(By.ID, "subscribe-google")
    assert button.get_attribute("href") == "https://calendar.google.com/calendar/u/0/r/settings/addbyurl"
    assert button.get_attribute("target") == "_blank"
    # Keep the test on loopback: the page's own handler runs, the navigation to Google does not.
    browser.execute_script("arguments[0].addEventListener('click', e => e.preventDefault())", button)
    button.click()
    hint = browser.find_element(By.ID, "google-hint")
    WebDriverWait(browser, 10).until(lambda d: "已复制" in hint.text)
    copied = browser.execute_async_script("navigator.clipboard.readText().then(arguments[0], () => arguments[0](null))")
    assert copied == browser.find_element(By.ID, "feed-url").get_attribute("value")
    assert copied.startswith("http://") and "tag=" in copied
    assert "Google 日历和 Outlook 会忽略订阅日历中的提醒" in browser.find_element(By.ID, "alarm-note").text
