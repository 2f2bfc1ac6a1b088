"""The weekly digest (本周/下周到期): one Monday-morning mail instead of one per deadline and offset, exactly once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reminders_support import Clock, at, deadline, html_text, make_settings, plain_text, save, service, smtp  # noqa: F401
from sqlalchemy import select
from sqlalchemy.orm import Session

from calendar_svc.filters import Filters
from calendar_svc.offsets import parse_offsets
from calendar_svc.reminders.models import Delivery

ALICE, BOB, CAROL = "alice@example.edu", "bob@example.org", "carol@example.edu"
GX = Filters(issuer=("工业和信息化部",))


def setup(tmp_path: Path, smtp_url: str, **env: str):
    settings = make_settings(tmp_path, smtp_url, **env)
    save(
        settings,
        deadline("tue", dt.date(2026, 3, 10), what="报送推荐材料"),
        deadline("sat", dt.date(2026, 3, 14), what="提交<b>申报书</b>"),
        deadline("next", at("2026-03-17T16:00"), what="网上填报"),
        deadline("far", dt.date(2026, 3, 25), what="报送年度总结"),
        deadline("edu", dt.date(2026, 3, 11), issuer="教育部"),
        deadline("hid", dt.date(2026, 3, 12), status="hidden"),
    )
    clock = Clock("2026-03-01T10:00")
    svc = service(settings, clock)
    svc.subscribe(ALICE, GX, digest="weekly")
    svc.subscribe(BOB, GX, parse_offsets("1d"))
    svc.subscribe(CAROL, Filters(issuer=("国家税务总局",)), digest="weekly")  # nothing of theirs is due
    return settings, svc, clock


def test_monday_digest_lists_this_week_and_next(tmp_path: Path, smtp) -> None:  # noqa: F811
    settings, svc, clock = setup(tmp_path, smtp.url)
    clock.set("2026-03-09T08:59")
    svc.check()
    assert smtp.mailbox.to(ALICE) == []
    assert svc.status().next_digest == (at("2026-03-09T09:00"), 2)  # alice's and carol's
    clock.set("2026-03-09T09:00")  # Monday at all_day_hour
    report = svc.check()
    [mail] = smtp.mailbox.to(ALICE)
    assert mail["Subject"] == "【本周2项、下周1项到期】截止日期汇总（2026年3月9日起）"
    text = plain_text(mail)
    assert text.index("本周到期（3月9日—3月15日）：") < text.index("下周到期（3月16日—3月22日）：")
    assert "· 2026年3月10日（周二） 全天  截止：报送推荐材料（项目申报单位）  还剩 1 天（1 个工作日）" in text
    assert "· 2026年3月14日（周六） 全天  截止：提交<b>申报书</b>（项目申报单位）  还剩 5 天（4 个工作日）" in text
    assert "提示：该日为休息日（周六），日期以通知原文为准" in text
    assert "· 2026年3月17日（周二） 16:00  截止：网上填报（项目申报单位）  还剩 8 天（6 个工作日）" in text
    assert "工业和信息化部  《关于开展2026年度项目申报工作的通知》  工信厅科〔2026〕12号" in text
    assert "报送年度总结" not in text and "教育部" not in text  # beyond next week; another issuer's
    assert "提交&lt;b&gt;申报书&lt;/b&gt;" in html_text(mail) and "<b>申报书" not in html_text(mail)
    assert "退订这份汇总：https://calendar.example.edu/unsubscribe/" in text and mail["List-Unsubscribe"]
    # A digest subscription gets no mail per deadline and offset; bob's 1d reminder goes out as usual.
    assert [m["Subject"] for m in smtp.mailbox.to(BOB)] == ["【还有1天】截止：报送推荐材料（项目申报单位）"]
    assert smtp.mailbox.to(CAROL) == []  # an empty week: no mail, only a log entry
    assert sorted((o.email, o.status) for o in report.outcomes) == [(ALICE, "sent"), (BOB, "sent"), (CAROL, "empty")]

    assert svc.status().next_digest == (at("2026-03-16T09:00"), 2)
    # Exactly once: again, later that week, and after a restart.
    assert svc.check().outcomes == []
    clock.set("2026-03-11T09:00")
    svc.engine.dispose()
    restarted = service(settings, clock, "restarted")
    assert restarted.check().outcomes == []
    assert len(smtp.mailbox.to(ALICE)) == 1

    clock.set("2026-03-16T09:00")  # the next Monday: the next digest
    restarted.check()
    second = smtp.mailbox.to(ALICE)[-1]
    assert second["Subject"] == "【本周1项、下周1项到期】截止日期汇总（2026年3月16日起）"
    assert "网上填报" in plain_text(second) and "报送年度总结" in plain_text(second)
    with Session(restarted.engine) as session:
        weekly = list(session.scalars(select(Delivery.deadline_id).where(Delivery.offset == "weekly", Delivery.email == ALICE)))
    assert weekly == ["digest-2026-03-09", "digest-2026-03-16"]


def test_a_digest_missed_on_monday_goes_out_later_that_week_as_补发(tmp_path: Path, smtp) -> None:  # noqa: F811
    settings, svc, clock = setup(tmp_path, smtp.url)
    clock.set("2026-03-11T10:00")  # down all Monday and Tuesday
    dry = svc.check(dry_run=True)
    assert (ALICE, "due", True) in {(o.email, o.status, o.late) for o in dry.outcomes}
    svc.check()
    [mail] = smtp.mailbox.to(ALICE)
    assert mail["Subject"] == "（补发）【本周1项、下周1项到期】截止日期汇总（2026年3月9日起）"
    text = plain_text(mail)
    assert "这份汇总本应在 2026年3月9日（周一） 09:00 发出，因服务中断而补发；已过的截止日期不再列出。" in text
    assert "报送推荐材料" not in text  # the 10th has passed


def test_a_week_later_the_missed_digest_is_not_sent_any_more(tmp_path: Path, smtp) -> None:  # noqa: F811
    settings, svc, clock = setup(tmp_path, smtp.url)
    clock.set("2026-03-16T08:00")  # down the whole week of the 9th; the 16th's digest is not due yet
    assert [o for o in svc.check().outcomes if o.email == ALICE] == []
    clock.set("2026-03-16T09:00")
    svc.check()
    assert [m["Subject"] for m in smtp.mailbox.to(ALICE)] == ["【本周1项、下周1项到期】截止日期汇总（2026年3月16日起）"]


def test_with_skip_rest_days_a_holiday_monday_waits_for_the_first_working_day(tmp_path: Path, smtp) -> None:  # noqa: F811
    settings = make_settings(tmp_path, smtp.url, CALENDAR_SVC_SKIP_REST_DAYS="true")
    save(settings, deadline("d", dt.date(2025, 10, 9)))
    clock = Clock("2025-09-01T10:00")
    svc = service(settings, clock)
    svc.subscribe(ALICE, digest="weekly")
    clock.set("2025-10-06T09:00")  # Monday of the 国庆节 break (10月1日–8日)
    svc.check()
    assert smtp.mailbox.to(ALICE) == []
    clock.set("2025-10-09T09:00")  # the week's first working day
    svc.check()
    [mail] = smtp.mailbox.to(ALICE)
    assert mail["Subject"] == "【本周1项、下周0项到期】截止日期汇总（2025年10月6日起）"
