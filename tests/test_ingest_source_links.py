"""Where a record came from, for the people who read it: a 查看原文 link on the page, in the feed and in emails.

Only http(s) addresses become links (a ``javascript:`` URL in a hand-edited file stays text); a local
file shows its name, never a link.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from calendar_svc import store
from calendar_svc.feed import describe
from calendar_svc.filters import Filters
from calendar_svc.model import SHANGHAI, Deadline, NoticeRef, Source
from calendar_svc.reminders.message import reminder_message
from calendar_svc.reminders.schedule import Recipient, Reminder
from calendar_svc.web import create_app

NOW = dt.datetime(2026, 9, 1, 9, 0, tzinfo=SHANGHAI)
PAGE = "https://kjt.example.gov.cn/tzgg/t20260801_123.html"


def record(ident: str, url: str, what: str) -> Deadline:
    return Deadline(
        id=ident, kind="deadline", start=None, end=dt.date(2026, 9, 30), all_day=True, who="各单位", what=what,
        quote=f"请各单位于2026年9月30日前{what}。", notice=NoticeRef(title="关于开展申报工作的通知", issuer="某某省科学技术厅"),
        source=Source(file=url or "/home/operator/通知.txt", line=3, url=url, sha256="ab" * 32),
    )


def records() -> list[Deadline]:
    return [record("a" * 16, PAGE, "提交申报书"), record("b" * 16, "", "报送汇总表"),
            record("c" * 16, "javascript:alert(1)", "报送推荐函")]


def test_the_page_links_the_original(tmp_path: Path) -> None:
    data = tmp_path / "deadlines.toml"
    store.save(data, records())
    page = create_app(data, clock=lambda: NOW).test_client().get("/").get_data(as_text=True)
    assert f'<a class="source" href="{PAGE}" rel="noopener noreferrer nofollow">查看原文</a>' in page
    assert page.count("查看原文</a>") == 1  # not for the local file, not for javascript:
    assert "/home/operator" not in page and 'href="javascript:' not in page


def test_the_feed_description_and_the_email_carry_the_link() -> None:
    linked, local, _ = records()
    assert f"出处：{PAGE}" in describe(linked).splitlines()  # beside the event's URL property
    assert "出处" not in describe(local)
    recipient = Recipient(id=1, email="a@example.org", filter=Filters(), offsets=(), window_open=False, since=NOW)
    message = reminder_message(Reminder(linked, recipient, "7d", NOW), now=NOW, late=False, mail_from="c@example.org",
                               unsubscribe_url="http://127.0.0.1:8000/u/x", page_url="http://127.0.0.1:8000/")
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert f"出处：{PAGE}" in plain.splitlines()
    assert f'出处：<a href="{PAGE}">查看原文</a>' in html
