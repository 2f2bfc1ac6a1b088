"""Rest-day marks and working-day countdowns in the feed, on the page and in the emails.

A deadline on a rest day is marked, never moved; a year without holiday data
gets no mark and no working-day count, rather than a guessed one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import requests
from feed_fixtures import MIIT, NOW, live, make, save
from ical.calendar_stream import IcsCalendarStream
from reminders_support import Clock, deadline, make_settings, plain_text, service, smtp, subscribe  # noqa: F401
from reminders_support import save as save_settings

from calendar_svc import feed, workdays
from calendar_svc.web import create_app, page

NATIONAL_DAY = dt.date(2026, 10, 2)  # 星期五, in the 国庆节 break
SATURDAY = dt.date(2026, 3, 14)
TIAOXIU_SUNDAY = dt.date(2026, 9, 20)  # 调休: a working Sunday
FRIDAY = dt.date(2026, 3, 13)
NO_DATA = dt.date(workdays.covered_years()[1] + 1, 1, 9)  # a Saturday in a year the data does not cover


def records() -> list:
    return [
        make(MIIT, "deadline", who="项目申报单位", what="报送国庆期间材料", end=NATIONAL_DAY),
        make(MIIT, "deadline", who="项目申报单位", what="周六报送", end=SATURDAY),
        make(MIIT, "deadline", who="项目申报单位", what="调休日报送", end=TIAOXIU_SUNDAY),
        make(MIIT, "deadline", who="项目申报单位", what="周五报送", end=FRIDAY),
        make(MIIT, "deadline", who="项目申报单位", what="无数据年份报送", end=NO_DATA),
        make(MIIT, "effective", who="", what="本办法施行", end=dt.date(2026, 10, 1)),
    ]


def descriptions(body: bytes) -> dict[str, str]:
    """DESCRIPTION by event title, checked to agree between the strict parser and icalendar."""
    strict = {e.summary: e.description for e in IcsCalendarStream.calendar_from_ics(body.decode("utf-8")).events}
    loose = {str(e["SUMMARY"]): str(e["DESCRIPTION"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}
    assert strict == loose
    return strict


def test_feed_marks_rest_days_and_keeps_the_date() -> None:
    body = feed.to_ical(records(), stamp=NOW, now=NOW)
    text = descriptions(body)
    holiday = text["截止：报送国庆期间材料（项目申报单位）"]
    assert "提示：该日为法定节假日（国庆节），日期以通知原文为准" in holiday
    assert "时间：2026年10月2日（周五）" in holiday  # not moved to the next working day
    assert "提示：该日为休息日（周六），日期以通知原文为准" in text["截止：周六报送（项目申报单位）"]
    for title in ("截止：调休日报送（项目申报单位）", "截止：周五报送（项目申报单位）", "截止：无数据年份报送（项目申报单位）"):
        assert "提示" not in text[title] and "该日为" not in text[title]
    assert b"DTSTART;VALUE=DATE:20261002" in body
    # Informational dates (a 施行日期 on 国庆节) need no warning.
    [effective] = [t for title, t in text.items() if "本办法施行" in title]
    assert "该日为" not in effective


def test_page_marks_rest_days_and_counts_working_days(tmp_path: Path) -> None:
    path = save(tmp_path / "deadlines.toml", records())
    with live(create_app(path, clock=lambda: NOW)) as url:
        html = requests.get(url + "/", timeout=10).text
    assert html.count("该日为法定节假日（国庆节），日期以通知原文为准") == 1
    assert html.count("该日为休息日（周六），日期以通知原文为准") == 1
    assert "该日为休息日（周日）" not in html  # the 调休 Sunday is a working day
    # 3月10日（周二）→ 3月14日（周六）: 4 days, of which 3月11–13日 are working days.
    built = page.build(records(), NOW)
    left = {item.deadline.what: item.left for group in built.upcoming for item in group.items}
    assert left["周六报送"] == "还剩 4 天（3 个工作日）"
    assert "还剩 4 天（3 个工作日）" in html
    # 10月1–7日 is the break, so 10月2日 is preceded by the working days up to 9月30日.
    assert left["报送国庆期间材料"] == f"还剩 {(NATIONAL_DAY - NOW.date()).days} 天（{workdays.workdays_between(NOW.date(), NATIONAL_DAY)} 个工作日）"
    # No data for the year: the calendar days only, no working-day number.
    assert left["无数据年份报送"] == f"还剩 {(NO_DATA - NOW.date()).days} 天"


def test_countdown_across_national_day_2025() -> None:
    # 9月26日（周五）→ 10月10日（周五）: 14 days; working days 9/28（调休）, 9/29, 9/30, 10/9, 10/10.
    assert workdays.countdown(dt.date(2025, 9, 26), dt.date(2025, 10, 10)) == "还剩 14 天（5 个工作日）"


def test_reminder_email_marks_a_rest_day_and_counts_working_days(tmp_path: Path, smtp) -> None:  # noqa: F811
    settings = make_settings(tmp_path, smtp.url)
    save_settings(settings, deadline("d-holiday", NATIONAL_DAY))
    clock = Clock("2026-09-01T00:00")
    svc = service(settings, clock)
    subscribe(svc, "alice@example.edu", "7d")
    clock.set("2026-09-25T09:00")
    svc.check()
    [received] = smtp.mailbox.received
    text = plain_text(received.message)
    # 9月25日（周五）→ 10月2日: 7 days; 9/28, 9/29, 9/30 and the 调休 9/20 is before: 3 working days.
    assert "截止：2026年10月2日（周五） 全天，还剩 7 天（3 个工作日）" in text
    assert "该日为法定节假日（国庆节），日期以通知原文为准" in text
    assert "该日为法定节假日（国庆节）" in received.message.get_body(preferencelist=("html",)).get_content()
