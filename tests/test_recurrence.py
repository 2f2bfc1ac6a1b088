"""Recurring deadlines: 每月15日前 read from notices, stored as an RRULE, one feed event, each occurrence reminded."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import icalendar
import pytest
import requests
from dateutil.rrule import rrulestr
from feed_fixtures import live
from hypothesis import given
from hypothesis import strategies as st
from ical.calendar_stream import IcsCalendarStream
from reminders_support import Clock, deadline, make_settings, plain_text, service, smtp, subscribe  # noqa: F401
from reminders_support import save as save_settings

from calendar_svc import feed, recurrence, store
from calendar_svc.errors import InputError
from calendar_svc.extract import extract
from calendar_svc.internal import Rule as InternalRule
from calendar_svc.model import SHANGHAI
from calendar_svc.recurrence import Rule, RuleError
from calendar_svc.web import create_app

NOTICE = """关于做好2025年度重点项目进展报送工作的通知
各有关单位：
{body}
某某市发展和改革委员会
{date}
"""


def extracted(tmp_path: Path, body: str, date: str = "2025年9月25日"):
    path = tmp_path / "notice.txt"
    path.write_text(NOTICE.format(body=body, date=date), encoding="utf-8")
    return [d for d in extract([str(path)]).deadlines if d.repeat]


# -- reading 每月15日前 ----------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "first", "repeat"),
    [
        ("请各项目单位于每月15日前报送项目进展情况。", dt.date(2025, 10, 15), "FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20251231"),
        ("各项目单位须在每月 5 日之前填报进度表。", dt.date(2025, 10, 5), "FREQ=MONTHLY;BYMONTHDAY=5;UNTIL=20251231"),
        ("请于每月二十八日前上报统计数据。", dt.date(2025, 9, 28), "FREQ=MONTHLY;BYMONTHDAY=28;UNTIL=20251231"),
        ("请于每月月底前提交工作简报。", dt.date(2025, 9, 30), "FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL=20251231"),
    ],
)
def test_a_monthly_deadline_is_one_record_from_the_notices_date(tmp_path: Path, body: str, first: dt.date, repeat: str) -> None:
    [d] = extracted(tmp_path, body)
    assert (d.kind, d.end, d.repeat, d.all_day, d.status) == ("deadline", first, repeat, True, "extracted")
    assert "原文未写止期，暂至2025年12月31日，请核对" in d.basis


def test_a_monthly_deadline_keeps_its_time_of_day(tmp_path: Path) -> None:
    [d] = extracted(tmp_path, "纸质材料须加盖公章并在每月28日15点前报送县林业局413室。", date="2025年10月30日")
    assert d.end == dt.datetime(2025, 11, 28, 15, 0, tzinfo=SHANGHAI)
    assert not d.all_day
    assert [o.end.day for o in recurrence.occurrences(d)] == [28, 28]


def test_a_sentence_without_a_readers_task_gives_no_recurrence(tmp_path: Path) -> None:
    assert extracted(tmp_path, "本局每月15日召开例会。") == []


# -- the rule ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("FREQ=MONTHLY;BYMONTHDAY=15", "UNTIL（日期，写成 YYYYMMDD）和 COUNT 必须给且只给一个"),
        ("FREQ=DAILY;COUNT=3;BYMONTHDAY=1", "FREQ 必须是 MONTHLY 或 YEARLY，不能是 'DAILY'"),
        ("FREQ=MONTHLY;BYDAY=MO;COUNT=3;BYMONTHDAY=1", "不支持 BYDAY"),
        ("FREQ=MONTHLY;BYMONTHDAY=0;COUNT=3", "BYMONTHDAY 必须是一个月中的某一天"),
        ("FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=2025-12-31", "UNTIL 必须是写成 YYYYMMDD 的日期"),
        ("FREQ=MONTHLY;BYMONTHDAY=15;COUNT=401", "COUNT 必须是 1 至 400，不能是 401"),
        ("FREQ=YEARLY;BYMONTHDAY=15;COUNT=3", "YEARLY 规则需要 BYMONTH"),
        ("FREQ=MONTHLY;BYMONTHDAY=15;BYMONTHDAY=16;COUNT=2", "BYMONTHDAY 写了两次"),
    ],
)
def test_rules_outside_the_subset_are_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        recurrence.parse(text)


RULES = st.builds(
    Rule,
    freq=st.sampled_from(["MONTHLY", "YEARLY"]),
    monthday=st.one_of(st.integers(1, 31), st.just(-1)),
    interval=st.integers(1, 12),
    months=st.lists(st.integers(1, 12), min_size=1, max_size=4, unique=True).map(lambda m: tuple(sorted(m))),
    until=st.dates(dt.date(2024, 1, 1), dt.date(2030, 12, 31)),
    count=st.none(),
) | st.builds(Rule, freq=st.just("MONTHLY"), monthday=st.integers(1, 28), count=st.integers(1, 400))


@given(RULES)
def test_every_rule_parses_back_to_itself(rule: Rule) -> None:
    assert recurrence.parse(rule.text()) == rule
    assert recurrence.parse("RRULE:" + rule.text().lower()) == rule


@given(st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31)), st.integers(1, 28), st.integers(1, 24))
def test_occurrences_are_the_rfc_5545_expansion(first: dt.date, day: int, count: int) -> None:
    start = first.replace(day=day)  # a day of the rule: the first occurrence
    record = replace(deadline("r", start), repeat=f"FREQ=MONTHLY;BYMONTHDAY={day};COUNT={count}")
    expected = [m.date() for m in rrulestr(f"RRULE:{record.repeat}", dtstart=dt.datetime.combine(start, dt.time()))]
    assert [o.end for o in recurrence.occurrences(record)] == expected
    assert len({o.id for o in recurrence.occurrences(record)}) == count


# -- the store ---------------------------------------------------------------


def test_repeat_round_trips_and_a_bad_one_names_its_line(tmp_path: Path) -> None:
    record = replace(deadline("r1", dt.date(2026, 1, 15)), repeat="FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20260630", roll_forward=True)
    path = tmp_path / "deadlines.toml"
    store.save(path, [record])
    [back] = store.load(path)
    assert (back.repeat, back.roll_forward) == (record.repeat, True)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("BYMONTHDAY=15", "BYMONTHDAY=16"), encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.startswith("repeat"))
    with pytest.raises(InputError, match=f"deadlines.toml:{line}: `repeat` .*必须是规则给出的第一天"):
        store.load(path)
    path.write_text(text.replace("UNTIL=20260630", "UNTIL=20991231"), encoding="utf-8")
    with pytest.raises(InputError, match="重复超过 400 次"):
        store.load(path)


# -- the feed: one RRULE event, expanded alike by two parsers --------------------

#: 2026: 2月15日 is 春节 (→ 2月24日, the first working day after the break), 3月15日 a Sunday (→ 3月16日),
#: 4月15日 a Wednesday, 5月15日 a Friday, 6月15日 a Monday.
WRITTEN = [dt.date(2026, m, 15) for m in (1, 2, 3, 4, 5, 6)]
ROLLED = [dt.date(2026, 1, 15), dt.date(2026, 2, 24), dt.date(2026, 3, 16), dt.date(2026, 4, 15), dt.date(2026, 5, 15), dt.date(2026, 6, 15)]
NOW = dt.datetime(2026, 1, 5, 10, 0, tzinfo=SHANGHAI)


def monthly(**fields) -> object:
    return replace(deadline("monthly", dt.date(2026, 1, 15)), repeat="FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20260630", **fields)


def test_rolled_occurrences_follow_the_state_councils_calendar() -> None:
    assert [o.end for o in recurrence.occurrences(monthly())] == WRITTEN
    rolled = recurrence.occurrences(monthly(roll_forward=True))
    assert [o.end for o in rolled] == ROLLED
    assert rolled[2].basis == "2026年3月15日（周日）为休息日（周日），按通知顺延至2026年3月16日（周一）"
    assert rolled[1].basis.startswith("2026年2月15日（周日）为法定节假日（春节）")


def expand_strict(body: bytes, uid: str) -> list[dt.date]:
    calendar = IcsCalendarStream.calendar_from_ics(body.decode("utf-8"))
    return [e.dtstart for e in calendar.timeline_tz(SHANGHAI) if e.uid == uid]


def expand_icalendar(body: bytes, uid: str) -> list[dt.date]:
    """icalendar reads the event; python-dateutil expands its RRULE, RDATE and EXDATE."""
    [event] = [e for e in icalendar.Calendar.from_ical(body).walk("VEVENT") if str(e["UID"]) == uid]
    start = dt.datetime.combine(event.decoded("DTSTART"), dt.time())
    rules = rrulestr(f"RRULE:{event['RRULE'].to_ical().decode()}", dtstart=start, forceset=True)
    for name, add in (("RDATE", rules.rdate), ("EXDATE", rules.exdate)):
        values = event.get(name)
        for value in values if isinstance(values, list) else [values] if values is not None else []:
            for day in value.dts:
                add(dt.datetime.combine(day.dt, dt.time()))
    return [m.date() for m in rules]


@pytest.mark.parametrize(("roll", "days"), [(False, WRITTEN), (True, ROLLED)])
def test_the_feed_has_one_rrule_event_both_parsers_expand_to_the_right_days(roll: bool, days: list) -> None:
    record = monthly(roll_forward=roll)
    body = feed.to_ical([record], stamp=NOW, now=NOW)
    text = body.decode()
    assert text.count("BEGIN:VEVENT") == 1
    assert "RRULE:FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20260630" in text
    uid = f"{record.id}@calendar-svc"
    assert expand_strict(body, uid) == days
    assert expand_icalendar(body, uid) == days
    assert "重复：每月15日，共 6 次，至2026年6月15日（周一）" in text.replace("\r\n ", "")


def test_a_timed_recurrence_has_a_utc_until_and_expands_in_both_parsers() -> None:
    record = replace(
        deadline("timed", dt.datetime(2026, 1, 28, 15, 0, tzinfo=SHANGHAI)),
        repeat="FREQ=MONTHLY;BYMONTHDAY=28;UNTIL=20260331",
        roll_forward=True,
    )
    body = feed.to_ical([record], stamp=NOW, now=NOW)
    assert "UNTIL=20260331T155959Z" in body.decode()
    strict = IcsCalendarStream.calendar_from_ics(body.decode("utf-8"))
    ends = [e.dtend for e in strict.timeline_tz(SHANGHAI)]
    # 2月28日 is a 调休 working Saturday (for 春节): it stays. 3月28日 is a plain Saturday → 3月30日 15:00.
    assert ends == [dt.datetime(2026, m, d, 15, 0, tzinfo=SHANGHAI) for m, d in ((1, 28), (2, 28), (3, 30))]
    [event] = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert [d.dt for d in event["EXDATE"].dts] == [dt.datetime(2026, 3, 28, 14, 30, tzinfo=SHANGHAI)]
    assert [d.dt for d in event["RDATE"].dts] == [dt.datetime(2026, 3, 30, 14, 30, tzinfo=SHANGHAI)]


def test_feed_with_recurring_and_internal_deadlines_in_two_parsers(tmp_path: Path) -> None:
    path = tmp_path / "deadlines.toml"
    store.save(path, [monthly(roll_forward=True, tags=["科研"]), deadline("once", dt.date(2026, 10, 9), tags=["科研"])])
    app = create_app(path, clock=lambda: NOW, internal_rules=[InternalRule(5, tag="科研")])
    with live(app) as url:
        body = requests.get(url + "/calendar.ics", timeout=10).content
        internal = requests.get(url + "/calendar.ics?deadlines=internal", timeout=10).content
        page = requests.get(url + "/", timeout=10).text
    strict = IcsCalendarStream.calendar_from_ics(body.decode("utf-8"))
    loose = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert sorted(e.uid for e in strict.events) == sorted(str(e["UID"]) for e in loose)
    series = "monthly@calendar-svc"
    assert expand_strict(body, series) == ROLLED
    # Each occurrence has its internal deadline, 5 working days before the rolled day, linked to the series.
    internals = {e.uid: e for e in IcsCalendarStream.calendar_from_ics(internal.decode("utf-8")).events}
    assert internals["monthly-20260315-internal@calendar-svc"].dtstart == dt.date(2026, 3, 9)  # 3月16日 − 5
    # 2月24日 − 5: the 春节 break (2月15日–23日) is skipped, 2月14日 (a 调休 Saturday) counts → 2月10日.
    assert internals["monthly-20260215-internal@calendar-svc"].dtstart == dt.date(2026, 2, 10)
    assert all(f"UID {series}" in e.description for uid, e in internals.items() if uid.startswith("monthly-"))
    assert "once-internal@calendar-svc" in internals
    # The page shows the next occurrence (1月15日), what the rule is and how long it runs.
    assert "2026年1月15日（周四）" in page
    assert "每月15日重复，共 6 次，至2026年6月15日（周一）；遇休息日顺延至下一个工作日" in page


def test_a_finished_recurrence_is_past_and_the_page_shows_its_next_day(tmp_path: Path) -> None:
    record = monthly()
    later = dt.datetime(2026, 3, 16, 9, 0, tzinfo=SHANGHAI)
    assert recurrence.next_occurrence(record, later).end == dt.date(2026, 4, 15)
    assert recurrence.next_occurrence(record, dt.datetime(2026, 7, 1, tzinfo=SHANGHAI)).end == dt.date(2026, 6, 15)
    summer = dt.datetime(2026, 9, 1, tzinfo=SHANGHAI)
    assert feed.in_feed([record], now=later, keep_past=dt.timedelta(days=30)) != []
    assert feed.in_feed([record], now=summer, keep_past=dt.timedelta(days=30)) == []


# -- reminders fire for each occurrence ----------------------------------------


def test_reminders_fire_once_for_each_occurrence(tmp_path: Path, smtp) -> None:  # noqa: F811
    settings = make_settings(tmp_path, smtp.url)
    save_settings(settings, monthly(roll_forward=True))
    clock = Clock("2026-01-01T00:00")
    svc = service(settings, clock)
    subscribe(svc, "office@example.edu", "1d")
    for moment in ("2026-01-14T09:00", "2026-02-23T09:00", "2026-03-15T09:00"):
        clock.set(moment)  # one day before 1月15日, 2月24日 (春节, rolled) and 3月16日 (rolled from a Sunday)
        svc.check()
        svc.check()  # exactly once
    texts = [plain_text(m.message) for m in smtp.mailbox.received]
    assert len(texts) == 3
    assert "2026年1月15日（周四）" in texts[0]
    assert "2026年2月24日（周二）" in texts[1]
    assert "2026年3月16日（周一）" in texts[2]
    clock.set("2026-02-14T09:00")  # the day before the written 2月15日: nothing, it moved
    svc.check()
    assert len(smtp.mailbox.received) == 3


def test_an_occurrence_in_a_year_without_holiday_data_stands_and_says_why() -> None:
    record = replace(deadline("late", dt.date(2026, 12, 15)), repeat="FREQ=MONTHLY;BYMONTHDAY=15;COUNT=3", roll_forward=True)
    december, january, february = recurrence.occurrences(record)
    assert (december.end, december.basis) == (dt.date(2026, 12, 15), "")
    # 2027年1月15日 and 2月15日 stand as written: nothing says whether they are rest days.
    assert (january.end, february.end) == (dt.date(2027, 1, 15), dt.date(2027, 2, 15))
    assert january.basis.startswith("未按顺延规则核对：没有 2027 年的节假日安排数据")


def test_the_cli_lists_a_recurring_deadline_by_its_next_occurrence(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from calendar_svc.cli import main

    path = tmp_path / "deadlines.toml"
    store.save(path, [monthly(roll_forward=True)])
    shown = CliRunner().invoke(main, ["list", str(path), "--upcoming", "--now", "2026-03-01"], catch_exceptions=False)
    assert shown.exit_code == 0, shown.output
    assert "2026年3月16日（周一）" in shown.output and "2026年1月15日" not in shown.output
    done = CliRunner().invoke(main, ["list", str(path), "--upcoming", "--now", "2026-07-01"], catch_exceptions=False)
    assert "2026年6月15日" not in done.output
    as_json = CliRunner().invoke(main, ["list", str(path), "--json", "--now", "2026-03-01"], catch_exceptions=False)
    assert '"repeat": "FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20260630"' in as_json.output


def test_a_rule_starts_after_the_day_the_notice_writes_out(tmp_path: Path) -> None:
    body = "请各学院于2025年10月15日前报送第一轮论证材料。以后每月15日前提交申报书最新稿。"
    [d] = extracted(tmp_path, body)
    assert (d.end, d.repeat) == (dt.date(2025, 11, 15), "FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20251231")
    assert d.basis.startswith("2025年10月15日已另列，其后首次为2025年11月15日（周六）")
