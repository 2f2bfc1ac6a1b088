"""The calendar feed: RFC 5545 structure, stable UIDs, SEQUENCE bumps, escaping, folding, filters.

Every body is read back with two independent parsers: ``ical`` (strict) and
``icalendar`` (the library that wrote it).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import icalendar
import pytest
import requests
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from feed_fixtures import MIIT, MOST, NOW, hostile, live, make, sample, save
from ical.calendar_stream import IcsCalendarStream

from calendar_svc import contentlines, feed, store
from calendar_svc.filters import FilterError, Filters, parse_filters, select
from calendar_svc.cli import main
from calendar_svc.model import SHANGHAI, Source
from calendar_svc.web import create_app

STAMP = dt.datetime(2026, 3, 9, 8, 30, tzinfo=SHANGHAI)


def parse(body: bytes) -> tuple[icalendar.Calendar, object]:
    """Both parsers' view of ``body``; either one raising fails the test."""
    strict = IcsCalendarStream.calendar_from_ics(body.decode("utf-8"))
    return icalendar.Calendar.from_ical(body), strict


def by_uid(cal: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def saved(tmp_path: Path, deadlines=None) -> list:
    """Deadlines after a round trip through deadlines.toml, as the server reads them."""
    path = save(tmp_path / "deadlines.toml", deadlines if deadlines is not None else sample())
    return store.load(path)


def test_calendar_has_what_real_clients_need(tmp_path: Path) -> None:
    body = feed.to_ical(saved(tmp_path), stamp=STAMP, now=NOW)
    cal, strict = parse(body)
    assert body.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.endswith(b"END:VCALENDAR\r\n")
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]) == feed.PRODID == strict.prodid
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    # No METHOD: RFC 5546's PUBLISH needs an ORGANIZER (libical's restriction check fails without one).
    assert "METHOD" not in cal and b"METHOD" not in body and b"ORGANIZER" not in body
    assert str(cal["X-WR-CALNAME"]) == "政策申报截止日期"
    assert str(cal["X-WR-TIMEZONE"]) == "Asia/Shanghai"
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n" in body
    assert b"\r\nX-PUBLISHED-TTL:PT6H\r\n" in body
    zones = cal.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Asia/Shanghai"]
    assert [s["TZOFFSETTO"].td for s in zones[0].walk("STANDARD")] == [dt.timedelta(hours=8)]
    assert [tz.tz_id for tz in strict.timezones] == ["Asia/Shanghai"]


def test_all_day_deadline_is_a_date_event_with_exclusive_end_and_morning_alarms(tmp_path: Path) -> None:
    deadlines = saved(tmp_path)
    recommend = next(d for d in deadlines if d.what == "报送推荐函")
    cal, strict = parse(feed.to_ical(deadlines, stamp=STAMP, now=NOW))
    event = by_uid(cal)[f"{recommend.id}@calendar-svc"]
    assert event["DTSTART"].params["VALUE"] == "DATE"
    assert event.start == dt.date(2026, 3, 16)
    assert event.end == dt.date(2026, 3, 17)
    assert str(event["SUMMARY"]) == "截止：报送推荐函（各推荐单位）"
    assert str(event["TRANSP"]) == "TRANSPARENT"
    # No METHOD, so DTSTAMP is when the record last changed (RFC 5545 §3.8.7.2), not the file's time.
    assert event["DTSTAMP"].dt == NOW.astimezone(dt.timezone.utc)
    assert event["SEQUENCE"] == 0
    assert event["LAST-MODIFIED"].dt == NOW.astimezone(dt.timezone.utc)
    # 7 days and 1 day before at 09:00, and 09:00 on the day for the 2-hour offset.
    triggers = sorted(a["TRIGGER"].dt for a in event.walk("VALARM"))
    assert triggers == [-dt.timedelta(days=6, hours=15), -dt.timedelta(hours=15), dt.timedelta(hours=9)]
    assert all(str(a["ACTION"]) == "DISPLAY" and "报送推荐函" in str(a["DESCRIPTION"]) for a in event.walk("VALARM"))
    strict_event = next(e for e in strict.events if e.uid == f"{recommend.id}@calendar-svc")
    assert strict_event.dtstart == dt.date(2026, 3, 16)
    assert strict_event.dtend == dt.date(2026, 3, 17)
    assert len(strict_event.alarm) == 3


def test_description_carries_the_evidence(tmp_path: Path) -> None:
    deadlines = saved(tmp_path)
    recommend = next(d for d in deadlines if d.what == "报送推荐函")
    cal, strict = parse(feed.to_ical(deadlines, stamp=STAMP, now=NOW))
    description = str(by_uid(cal)[f"{recommend.id}@calendar-svc"]["DESCRIPTION"])
    for expected in (
        f"通知：{MIIT.title}",
        "发文机关：工业和信息化部",
        "文号：工信厅科〔2026〕12号",
        "原文：「各推荐单位应于3月16日前报送推荐函；逾期不予受理。」",
        "对象：各推荐单位",
    ):
        assert expected in description.splitlines()
    assert "notices/" not in description and "出处" not in description  # no path of the operator's machine
    strict_event = next(e for e in strict.events if e.uid == f"{recommend.id}@calendar-svc")
    assert strict_event.description == description
    categories = [str(c) for c in by_uid(cal)[f"{recommend.id}@calendar-svc"].categories]
    assert categories == ["截止日期", "工业和信息化部", "科研项目", "推荐"]
    assert strict_event.categories == categories


def test_window_is_a_short_opening_event_and_a_closing_event_that_ends_at_the_deadline(tmp_path: Path) -> None:
    deadlines = saved(tmp_path)
    window = next(d for d in deadlines if d.kind == "window")
    body = feed.to_ical(deadlines, stamp=STAMP, now=NOW)
    cal, strict = parse(body)
    events = by_uid(cal)
    closing = events[f"{window.id}@calendar-svc"]
    opening = events[f"{window.id}-open@calendar-svc"]
    # Calendar apps draw an event from its start: the deadline is the visible END, not a block starting too late.
    assert b"DTSTART;TZID=Asia/Shanghai:20260405T153000\r\nDTEND;TZID=Asia/Shanghai:20260405T160000\r\n" in body
    assert closing.end == dt.datetime(2026, 4, 5, 16, 0, tzinfo=SHANGHAI)
    assert closing.start == dt.datetime(2026, 4, 5, 15, 30, tzinfo=SHANGHAI)
    assert str(closing["SUMMARY"]) == "截止 16:00：网上填报申报书（项目申报单位）"
    # Each alarm still fires its offset before the deadline itself.
    fires = sorted(closing.start + a["TRIGGER"].dt for a in closing.walk("VALARM"))
    deadline = closing.end
    assert fires == [deadline - dt.timedelta(days=7), deadline - dt.timedelta(days=1), deadline - dt.timedelta(hours=2)]
    assert "还有2小时：截止 16:00：网上填报申报书（项目申报单位）" in [str(a["DESCRIPTION"]) for a in closing.walk("VALARM")]
    assert str(opening["SUMMARY"]) == "开始 09:00：网上填报申报书（项目申报单位）"
    assert opening.start == dt.datetime(2026, 3, 1, 9, 0, tzinfo=SHANGHAI)  # an opening is the visible start
    assert opening.end == dt.datetime(2026, 3, 1, 9, 30, tzinfo=SHANGHAI)
    assert opening.walk("VALARM") == []
    assert "时间：2026年3月1日（周日） 09:00 至 2026年4月5日（周日） 16:00" in str(closing["DESCRIPTION"])
    strict_closing = next(e for e in strict.events if e.uid == f"{window.id}@calendar-svc")
    assert strict_closing.dtend == dt.datetime(2026, 4, 5, 16, 0, tzinfo=SHANGHAI)
    assert strict_closing.dtend.utcoffset() == dt.timedelta(hours=8)
    assert strict_closing.summary == "截止 16:00：网上填报申报书（项目申报单位）"
    strict_fires = sorted(strict_closing.dtstart + a.trigger for a in strict_closing.alarm)
    assert strict_fires == fires


def test_a_timed_start_is_an_event_beginning_at_the_moment_with_alarms_before_it() -> None:
    opens = make(MOST, "start", who="申报单位", what="系统开放", end=None, start=dt.datetime(2026, 5, 6, 9, 0, tzinfo=SHANGHAI))
    cal, strict = parse(feed.to_ical([opens], stamp=STAMP, now=NOW))
    event = cal.walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "开始 09:00：系统开放（申报单位）"
    assert (event.start, event.end) == (dt.datetime(2026, 5, 6, 9, 0, tzinfo=SHANGHAI), dt.datetime(2026, 5, 6, 9, 30, tzinfo=SHANGHAI))
    assert sorted(event.start + a["TRIGGER"].dt for a in event.walk("VALARM"))[-1] == event.start - dt.timedelta(hours=2)
    assert strict.events[0].dtstart == event.start


def test_hidden_records_are_left_out_and_informational_ones_have_no_alarms(tmp_path: Path) -> None:
    deadlines = saved(tmp_path)
    cal, strict = parse(feed.to_ical(deadlines, stamp=STAMP, now=NOW))
    summaries = [str(e["SUMMARY"]) for e in cal.walk("VEVENT")]
    assert not any("不公开的事项" in s for s in summaries)
    visible = [d for d in deadlines if d.visible]
    windows = sum(1 for d in visible if d.kind == "window")
    assert len(summaries) == len(strict.events) == len(visible) + windows
    effective = next(d for d in deadlines if d.kind == "effective")
    assert by_uid(cal)[f"{effective.id}@calendar-svc"].walk("VALARM") == []
    # Events come soonest first, so a diff of two feeds reads like a diff of the file.
    assert str(cal.walk("VEVENT")[0]["UID"]) == f"{select(deadlines)[0].id}@calendar-svc"


def test_uids_survive_a_second_identical_extraction(tmp_path: Path) -> None:
    path = save(tmp_path / "deadlines.toml", sample())
    first = feed.to_ical(store.load(path), stamp=STAMP, now=NOW)
    later = NOW + dt.timedelta(days=3)
    merged, report = store.merge(store.load(path), sample(), now=later, scope=store.scope_of(sample()))
    store.save(path, merged)
    second = feed.to_ical(store.load(path), stamp=STAMP, now=NOW)
    assert report.unchanged == len(sample())
    assert second == first
    before, after = by_uid(parse(first)[0]), by_uid(parse(second)[0])
    assert before.keys() == after.keys()
    assert {u: e["SEQUENCE"] for u, e in before.items()} == {u: e["SEQUENCE"] for u, e in after.items()}


def test_a_changed_time_keeps_the_uid_and_bumps_sequence_and_last_modified(tmp_path: Path) -> None:
    path = save(tmp_path / "deadlines.toml", sample())
    before = by_uid(parse(feed.to_ical(store.load(path), stamp=STAMP, now=NOW))[0])
    moved = [
        replace(d, end=dt.date(2026, 3, 18)) if d.what == "报送推荐函" else d
        for d in sample()
    ]
    later = dt.datetime(2026, 3, 11, 15, 45, tzinfo=SHANGHAI)
    merged, report = store.merge(store.load(path), moved, now=later)
    store.save(path, merged)
    after = by_uid(parse(feed.to_ical(store.load(path), stamp=later, now=NOW))[0])
    assert [d.what for d in report.changed] == ["报送推荐函"]
    uid = f"{report.changed[0].id}@calendar-svc"
    assert before.keys() == after.keys()
    assert before[uid]["SEQUENCE"] == 0 and after[uid]["SEQUENCE"] == 1
    assert after[uid]["LAST-MODIFIED"].dt == later.astimezone(dt.timezone.utc)
    assert after[uid].start == dt.date(2026, 3, 18)
    untouched = [u for u in before if u != uid]
    assert all(after[u]["SEQUENCE"] == before[u]["SEQUENCE"] for u in untouched)
    assert all(after[u]["LAST-MODIFIED"].dt == before[u]["LAST-MODIFIED"].dt for u in untouched)


def test_hostile_text_is_escaped_and_folded_without_splitting_characters(tmp_path: Path) -> None:
    bad = saved(tmp_path, [hostile()])[0]
    body = feed.to_ical([bad], stamp=STAMP, now=NOW)
    lines = body.split(b"\r\n")
    assert lines[-1] == b"" and b"\n" not in body.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # a fold inside a multi-byte character would raise here
    assert any(len(line) > 70 for line in lines)  # long text really was folded
    assert b"\\," in body and b"\\;" in body and b"\\\\" in body and b"\\n" in body
    cal, strict = parse(body)
    event = cal.walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "截止 17:30：" + "长" * 500 == strict.events[0].summary
    description = str(event["DESCRIPTION"])
    assert description == strict.events[0].description
    assert "对象：申报单位,甲;乙\\丙" in description
    assert "事项：提交<script>alert(1)</script>材料" in description
    assert "通知：<script>alert('x')</script>关于“申报,报送;审核\\备案”的通知" in description
    assert "原文：「第一行,逗号;分号\\反斜杠\n第二行\n第三行申报截止时间" in description
    assert description.count("申报截止时间") == 80
    categories = [str(c) for c in event.categories]
    # Separators inside a category are written full-width: clients that show "x\\;y" literally see "x；y".
    assert categories == ["截止日期", "某<b>厅</b>", "a，b", "x；y"] == strict.events[0].categories


def test_alarm_offsets_are_configurable() -> None:
    deadline = make(MOST, "deadline", who="申报单位", what="提交", end=dt.datetime(2026, 3, 20, 12, 0, tzinfo=SHANGHAI))
    one = feed.default_config(alarms=feed.parse_offsets("1d12h"))
    none = feed.default_config(alarms=feed.parse_offsets("none"))
    cal, _ = parse(feed.to_ical([deadline], stamp=STAMP, now=NOW, config=one))
    event = cal.walk("VEVENT")[0]
    assert [event.start + a["TRIGGER"].dt for a in cal.walk("VALARM")] == [event.end - dt.timedelta(days=1, hours=12)]
    cal, _ = parse(feed.to_ical([deadline], stamp=STAMP, now=NOW, config=none))
    assert cal.walk("VALARM") == []
    assert feed.default_config().alarms == (dt.timedelta(days=7), dt.timedelta(days=1), dt.timedelta(hours=2))
    assert feed.parse_offsets("2h, 7d,1d,1d") == (dt.timedelta(days=7), dt.timedelta(days=1), dt.timedelta(hours=2))
    with pytest.raises(ValueError, match="提前量 '3x' 不对"):
        feed.parse_offsets("7d,3x")


def test_all_day_alarms_that_fall_on_the_same_morning_are_merged() -> None:
    deadline = make(MOST, "deadline", who="申报单位", what="提交", end=dt.date(2026, 3, 20))
    config = feed.default_config(alarms=feed.parse_offsets("2h,30m,1d"), alarm_time=dt.time(8, 30))
    cal, strict = parse(feed.to_ical([deadline], stamp=STAMP, now=NOW, config=config))
    triggers = sorted(a["TRIGGER"].dt for a in cal.walk("VALARM"))
    assert triggers == [-dt.timedelta(hours=15, minutes=30), dt.timedelta(hours=8, minutes=30)]
    assert len(strict.events[0].alarm) == 2


# -- filters -----------------------------------------------------------------


def uids_for(deadlines, **params: list[str]) -> set[str]:
    filters = parse_filters(params)
    cal, strict = parse(feed.to_ical(deadlines, stamp=STAMP, now=NOW, filters=filters))
    uids = {str(e["UID"]).split("@")[0].removesuffix("-open") for e in cal.walk("VEVENT")}
    assert uids == {e.uid.split("@")[0].removesuffix("-open") for e in strict.events}
    return uids


def test_filters_pick_by_issuer_tag_kind_who_and_text(tmp_path: Path) -> None:
    deadlines = saved(tmp_path)
    ids = {d.what: d.id for d in deadlines}
    assert uids_for(deadlines, issuer=["科学技术部"]) == {ids["提交预申报书"], ids["正式申报受理开始"], ids["指南施行"]}
    assert uids_for(deadlines, issuer=["工业和信息化部"]) == {ids["网上填报申报书"], ids["报送推荐函"], ids["提交补充材料"]}
    assert uids_for(deadlines, tag=["推荐"]) == {ids["报送推荐函"]}
    assert uids_for(deadlines, tag=["科研项目"]) == {ids["网上填报申报书"], ids["报送推荐函"]}
    assert uids_for(deadlines, kind=["window"]) == {ids["网上填报申报书"]}
    assert uids_for(deadlines, kind=["window", "start"]) == {ids["网上填报申报书"], ids["正式申报受理开始"]}
    assert uids_for(deadlines, who=["推荐单位"]) == {ids["报送推荐函"]}  # 各推荐单位
    assert uids_for(deadlines, q=["逾期"]) == {ids["报送推荐函"]}  # found in the quote
    assert uids_for(deadlines, q=["工信厅科 申报书"]) == {ids["网上填报申报书"]}  # every word
    assert uids_for(deadlines, issuer=["工业和信息化部"], kind=["deadline"], tag=["科研项目"]) == {ids["报送推荐函"]}
    assert uids_for(deadlines, q=["ＰＲＯＪＥＣＴ"]) == set()


def test_full_width_and_case_do_not_matter_in_search() -> None:
    deadline = make(MOST, "deadline", who="申报单位", what="提交ABC材料", end=dt.date(2026, 3, 20))
    assert uids_for([deadline], q=["ａｂｃ"]) == {deadline.id}


def test_unknown_filter_values_give_an_empty_valid_calendar(tmp_path: Path) -> None:
    deadlines = saved(tmp_path)
    for params in ({"issuer": ["不存在的部门"]}, {"tag": ["无此标签"]}, {"who": ["火星"]}, {"q": ["zzzz"]}):
        filters = parse_filters(params)
        body = feed.to_ical(deadlines, stamp=STAMP, now=NOW, filters=filters)
        cal, strict = parse(body)
        assert cal.walk("VEVENT") == [] and strict.events == []
        assert cal.walk("VTIMEZONE") and str(cal["X-WR-CALNAME"]).startswith("政策申报截止日期 · ")


def test_bad_parameters_are_refused_with_a_clear_message() -> None:
    with pytest.raises(FilterError, match="unknown parameter 'isuer'; allowed: issuer, tag, kind, who, q"):
        parse_filters({"isuer": ["x"]})
    with pytest.raises(FilterError, match="unknown kind 'deadlines'; expected one of window, deadline"):
        parse_filters({"kind": ["deadlines"]})
    with pytest.raises(FilterError, match="too long"):
        parse_filters({"q": ["长" * 201]})
    with pytest.raises(FilterError, match="too many values"):
        parse_filters({"tag": [str(i) for i in range(21)]})
    assert parse_filters({"issuer": ["", "  "], "kind": [""]}) == Filters()


def test_filtered_calendar_names_its_filter() -> None:
    filters = parse_filters({"issuer": ["工业和信息化部"], "kind": ["window"], "q": ["申报书"]})
    cal, _ = parse(feed.to_ical([], stamp=STAMP, now=NOW, filters=filters))
    assert str(cal["X-WR-CALNAME"]) == "政策申报截止日期 · 工业和信息化部 · 申报期 · “申报书”"
    assert filters.items() == [("issuer", "工业和信息化部"), ("kind", "window"), ("q", "申报书")]


# -- export ------------------------------------------------------------------


def test_export_writes_the_feed_atomically_and_filters(tmp_path: Path) -> None:
    path = save(tmp_path / "deadlines.toml", sample())
    out = tmp_path / "site" / "deadlines.ics"
    runner = CliRunner()
    result = runner.invoke(main, ["export", str(path), "-o", str(out), "--now", NOW.isoformat()])
    assert result.exit_code == 0, result.output
    cal, strict = parse(out.read_bytes())
    visible = [d for d in store.load(path) if d.visible]
    assert {str(e["UID"]).split("@")[0] for e in cal.walk("VEVENT")} >= {d.id for d in visible}
    assert len(strict.events) == len(visible) + 1
    assert not list(out.parent.glob(".*.tmp"))
    first = out.read_bytes()
    assert runner.invoke(main, ["export", str(path), "-o", str(out), "--now", NOW.isoformat()]).exit_code == 0
    assert out.read_bytes() == first  # same data, same bytes: static hosts see no change
    result = runner.invoke(main, ["export", str(path), "-o", "-", "--kind", "window", "--alarms", "1d", "--now", NOW.isoformat()])
    assert result.exit_code == 0
    cal, _ = parse(result.stdout_bytes)
    summaries = [str(e["SUMMARY"]) for e in cal.walk("VEVENT")]
    assert summaries == ["开始 09:00：网上填报申报书（项目申报单位）", "截止 16:00：网上填报申报书（项目申报单位）"]
    assert [a["TRIGGER"].dt for a in cal.walk("VALARM")] == [-dt.timedelta(days=1) + dt.timedelta(minutes=30)]


def test_export_reports_bad_input_without_a_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "deadlines.toml"
    broken.write_text('[[deadline]]\nid = "x"\nkind = "sometime"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["export", str(broken), "-o", str(tmp_path / "x.ics")])
    assert result.exit_code == 1
    assert "未知的类型 'sometime'（应为 window、" in result.output
    assert not (tmp_path / "x.ics").exists()
    good = save(tmp_path / "good.toml", sample())
    result = CliRunner().invoke(main, ["export", str(good), "-o", "-", "--alarms", "soon"])
    assert result.exit_code == 2 and "提前量 'soon' 不对" in result.output


def test_export_checks_its_filter_like_the_feed_url(tmp_path: Path) -> None:
    path = save(tmp_path / "deadlines.toml", sample())
    result = CliRunner().invoke(main, ["export", str(path), "-o", "-", "--kind", "deadlines"])
    assert result.exit_code == 1
    assert "不认识的类型“deadlines”；可选：window（" in result.output
    args = ["export", str(path), "-o", "-", "--issuer", "科学技术部", "--kind", "start", "--now", NOW.isoformat()]
    cal, _ = parse(CliRunner().invoke(main, args).stdout_bytes)
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["开始：正式申报受理开始（申报单位）"]
    assert str(cal["X-WR-CALNAME"]) == "政策申报截止日期 · 科学技术部 · 开始日期"


def test_vanished_records_stay_in_the_feed_marked_tentative_with_a_warning(tmp_path: Path) -> None:
    path = save(tmp_path / "deadlines.toml", sample())
    kept = [d for d in sample() if d.what != "报送推荐函"]
    merged, report = store.merge(store.load(path), kept, now=NOW, scope=store.scope_of(sample()))
    store.save(path, merged)
    assert [d.what for d in report.vanished] == ["报送推荐函"]
    cal, strict = parse(feed.to_ical(store.load(path), stamp=STAMP, now=NOW))
    events = by_uid(cal)
    vanished = events[f"{report.vanished[0].id}@calendar-svc"]
    assert str(vanished["DESCRIPTION"]).endswith("注意：最近一次提取时原文中已找不到这一条，请核对。")
    assert str(vanished["STATUS"]) == "TENTATIVE"
    assert {e.uid: str(e.status) for e in strict.events}[str(vanished["UID"])].endswith("TENTATIVE")
    assert all("STATUS" not in e for uid, e in events.items() if e is not vanished)


# -- what calendar apps and strict parsers see (issue 12) ----------------------

CONTROLS = "\x00\x01\x08\x0b\x0c\x1b\x1f\x7f\x80\x85\x9b\x9f"


def test_control_characters_never_reach_a_text_value(tmp_path: Path) -> None:
    dirty = make(
        replace(MIIT, title=f"关于\x0c申报\x1b[31m的通知", issuer="工业和\x00信息化部"),
        "window",
        who="申报\x0b单位",
        what="提交\x1f材料\x7f",
        start=dt.datetime(2026, 3, 20, 9, 0, tzinfo=SHANGHAI),
        end=dt.datetime(2026, 3, 25, 17, 30, tzinfo=SHANGHAI),
        quote="第一页\x0c第二页\r第三行\r\n第四行\x85\x9b2J" + CONTROLS,
        title="截止：\x1b]8;;http://evil\x07点我\x1b]8;;\x07",
        tags=["科研\x00项目", "\x1b标签"],
        notes="NUL\x00 and DEL\x7f and tab\tkept",
    )
    # Hand-edited TOML can hold any of these, so the feed cleans what it writes, whatever the store let through.
    body = feed.to_ical([dirty], stamp=STAMP, now=NOW)
    assert not any(chr(c).encode("utf-8") in body for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)] if c not in (9, 10, 13))
    assert b"\r" not in body.replace(b"\r\n", b"")
    cal, strict = parse(body)  # the strict parser refuses a calendar with any control character
    closing = next(e for e in cal.walk("VEVENT") if not str(e["UID"]).endswith("-open@calendar-svc"))
    assert str(closing["SUMMARY"]) == "截止 17:30：]8;;http://evil点我]8;;"
    description = str(closing["DESCRIPTION"])
    assert "原文：「第一页第二页\n第三行\n第四行2J」" in description
    assert "备注：NUL and DEL and tab\tkept" in description
    assert "通知：关于申报[31m的通知" in description and "发文机关：工业和信息化部" in description
    assert [str(c) for c in closing.categories] == ["申报期", "工业和信息化部", "科研项目", "标签"]
    assert {e.summary for e in strict.events} == {"开始 09:00：]8;;http://evil点我]8;;", str(closing["SUMMARY"])}


def test_vtimezone_is_one_every_strict_parser_accepts() -> None:
    body = feed.to_ical([], stamp=STAMP, now=NOW)
    zone = body[body.index(b"BEGIN:VTIMEZONE") : body.index(b"END:VTIMEZONE")].decode()
    own = zone.split("BEGIN:STANDARD")[0]
    # icalendar's Timezone.from_tzid put a COMMENT here, which RFC 5545 allows only inside STANDARD/DAYLIGHT.
    assert "COMMENT" not in zone and "DAYLIGHT" not in zone
    assert own.splitlines() == ["BEGIN:VTIMEZONE", "TZID:Asia/Shanghai", "X-LIC-LOCATION:Asia/Shanghai"]
    cal, strict = parse(body)
    (standard,) = cal.walk("STANDARD")
    assert standard["TZOFFSETTO"].td == dt.timedelta(hours=8)
    # The one transition it names is the real end of China's last daylight saving time.
    switch = standard["DTSTART"].dt.replace(tzinfo=dt.timezone(standard["TZOFFSETFROM"].td))
    assert switch.astimezone(SHANGHAI).utcoffset() == dt.timedelta(hours=8)
    assert (switch - dt.timedelta(seconds=1)).astimezone(SHANGHAI).utcoffset() == dt.timedelta(hours=9)
    assert [tz.tz_id for tz in strict.timezones] == ["Asia/Shanghai"]
    component = feed.shanghai_timezone()  # the same zone as an icalendar component, for the email's .ics
    assert str(component["TZID"]) == "Asia/Shanghai" and "COMMENT" not in component
    assert [s["DTSTART"].dt for s in component.walk("STANDARD")] == [standard["DTSTART"].dt]


def test_an_opening_event_of_a_reviewer_titled_window_has_one_label() -> None:
    window = make(
        MIIT, "window", who="申报单位", what="填报", title="截止：网上填报（复核后）",
        start=dt.date(2026, 3, 20), end=dt.datetime(2026, 4, 1, 17, 0, tzinfo=SHANGHAI),
    )  # fmt: skip
    cal, strict = parse(feed.to_ical([window], stamp=STAMP, now=NOW))
    summaries = [str(e["SUMMARY"]) for e in cal.walk("VEVENT")]
    assert summaries == ["开始：网上填报（复核后）", "截止 17:00：网上填报（复核后）"]
    assert [e.summary for e in strict.events] == summaries
    plain = make(MIIT, "deadline", who="", what="", title="请尽早报送", end=dt.date(2026, 4, 1))
    assert str(parse(feed.to_ical([plain], stamp=STAMP, now=NOW))[0].walk("VEVENT")[0]["SUMMARY"]) == "截止：请尽早报送"


def test_description_names_the_source_url_and_dates_as_people_write_them() -> None:
    fetched = make(
        MIIT, "deadline", who="申报单位", what="报送", end=dt.date(2026, 4, 1),
        source=Source(file="/home/operator/notices/miit.html", line=88, url="https://www.miit.gov.cn/zwgk/tz 12.html"),
        year_guess="年份取发文日期（2026年2月20日）",
    )  # fmt: skip
    local = make(MIIT, "deadline", who="申报单位", what="提交", end=dt.date(2026, 4, 2), source=Source("/home/operator/a.txt", 3))
    body = feed.to_ical([fetched, local], stamp=STAMP, now=NOW)
    assert b"/home/operator" not in body
    cal, strict = parse(body)
    events = by_uid(cal)
    web = events[f"{fetched.id}@calendar-svc"]
    description = str(web["DESCRIPTION"])
    assert "出处：https://www.miit.gov.cn/zwgk/tz 12.html" in description.splitlines()
    assert str(web["URL"]) == "https://www.miit.gov.cn/zwgk/tz%2012.html"
    assert "年份：原文未写年份，按上下文推断为2026年，请核对。" in description.splitlines()
    assert "2026-02-20" not in description and "year of" not in description
    assert "出处" not in str(events[f"{local.id}@calendar-svc"]["DESCRIPTION"]) and "URL" not in events[f"{local.id}@calendar-svc"]
    assert {str(e.url) for e in strict.events if e.url} == {"https://www.miit.gov.cn/zwgk/tz%2012.html"}


def test_the_default_feed_keeps_the_future_and_the_recent_past_without_past_alarms() -> None:
    def due(days: int, **kw) -> object:
        return make(MOST, "deadline", who="申报单位", what=f"事项{days}", end=NOW.date() + dt.timedelta(days=days), **kw)

    records = [due(-400), due(-31), due(-30), due(-1), due(0), due(3)]
    ids = {d.what: d.id for d in records}
    cal, strict = parse(feed.to_ical(records, stamp=STAMP, now=NOW))
    kept = {str(e["UID"]).split("@")[0]: e for e in cal.walk("VEVENT")}
    assert set(kept) == {ids[w] for w in ("事项-30", "事项-1", "事项0", "事项3")}
    assert kept[ids["事项-1"]].walk("VALARM") == [] and kept[ids["事项-30"]].walk("VALARM") == []
    assert len(kept[ids["事项0"]].walk("VALARM")) == 3 and len(kept[ids["事项3"]].walk("VALARM")) == 3
    assert len(strict.events) == 4
    everything, _ = parse(feed.to_ical(records, stamp=STAMP, now=NOW, past_all=True))
    assert {str(e["UID"]).split("@")[0] for e in everything.walk("VEVENT")} == set(ids.values())
    assert [e for e in everything.walk("VEVENT") if "400" in str(e["SUMMARY"])][0].walk("VALARM") == []
    short = feed.default_config(keep_past=dt.timedelta(days=1))
    cal, _ = parse(feed.to_ical(records, stamp=STAMP, now=NOW, config=short))
    assert len(cal.walk("VEVENT")) == 3


def test_a_feed_past_the_size_warning_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    records = [make(MOST, "deadline", who="单位", what=f"事项{i}", end=dt.date(2026, 4, 1) + dt.timedelta(days=i)) for i in range(5)]
    small = feed.default_config(size_warning=4000)
    with caplog.at_level("WARNING", logger="calendar_svc.feed"):
        feed.to_ical(records[:1], stamp=STAMP, now=NOW, config=small)
        assert caplog.records == []
        body = feed.to_ical(records, stamp=STAMP, now=NOW, config=small)
    (record,) = caplog.records
    assert f"is {len(body)} bytes (5 deadlines), above the 4000-byte warning" in record.getMessage()


def test_filtered_variants_and_the_next_data_version_reuse_serialised_events(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deadlines = tuple(saved(tmp_path))
    calls: list[str] = []
    real = feed.event_bytes

    def counting(d, **kwargs):
        calls.append(d.id)
        return real(d, **kwargs)

    monkeypatch.setattr(feed, "event_bytes", counting)
    builder = feed.FeedBuilder()
    full = builder.build(deadlines, stamp=STAMP, now=NOW, past_all=True)
    shown = len(calls)
    assert shown == sum(1 for d in deadlines if d.visible)
    filtered = builder.build(deadlines, stamp=STAMP, now=NOW, filters=parse_filters({"kind": ["deadline"]}))
    builder.build(deadlines, stamp=STAMP, now=NOW)
    assert len(calls) == shown  # every variant reused the events already serialised
    # A new data version with one record changed serialises only that record.
    changed = tuple(replace(d, notes="已核对") if d.what == "报送推荐函" else d for d in deadlines)
    builder.build(changed, stamp=STAMP, now=NOW, past_all=True)
    assert calls[shown:] == [next(d.id for d in deadlines if d.what == "报送推荐函")]
    # Reused bytes are the bytes a fresh build makes.
    assert filtered == feed.to_ical(deadlines, stamp=STAMP, now=NOW, filters=parse_filters({"kind": ["deadline"]}))
    assert full == feed.to_ical(deadlines, stamp=STAMP, now=NOW, past_all=True)
    # Events of records gone for two versions are not kept (memory stays flat across rewrites).
    builder.build(changed[:1], stamp=STAMP, now=NOW, past_all=True)
    builder.build(changed[:1] + (), stamp=STAMP, now=NOW, past_all=True)
    assert len(builder._events) + len(builder._older) <= 2


def test_the_reminder_ics_gets_the_feed_events() -> None:
    window = sample()[0]
    events = feed.events(window, config=feed.default_config(), stamp=STAMP)
    assert [str(e["UID"]) for e in events] == [f"{window.id}-open@calendar-svc", f"{window.id}@calendar-svc"]
    assert events[1].end == window.end and str(events[1]["SUMMARY"]) == "截止 16:00：网上填报申报书（项目申报单位）"
    assert len(events[1].walk("VALARM")) == 3


# -- serving and static hosting ------------------------------------------------


def test_the_served_feed_keeps_the_recent_past_and_past_all_the_rest(tmp_path: Path) -> None:
    old = make(MOST, "deadline", who="申报单位", what="去年的事项", end=dt.date(2025, 6, 1), line=90)
    path = save(tmp_path / "deadlines.toml", [*sample(), old])
    with live(create_app(path, clock=lambda: NOW)) as url:
        default = requests.get(f"{url}/calendar.ics", timeout=10)
        everything = requests.get(f"{url}/calendar.ics?past=all&kind=deadline", timeout=10)
        bad = requests.get(f"{url}/calendar.ics?past=1y", timeout=10)
        health = requests.get(f"{url}/healthz", timeout=10).json()
    assert old.id not in uids_of(default.content)
    assert old.id in uids_of(everything.content)
    assert str(parse(everything.content)[0]["X-WR-CALNAME"]) == "政策申报截止日期 · 截止日期"
    assert bad.status_code == 400 and "past=all" in bad.text and "“past”只能是 all" in bad.text
    assert health["feed_bytes"] == len(default.content) and health["feed_too_large"] is False


def uids_of(body: bytes) -> set[str]:
    cal, strict = parse(body)
    assert len(cal.walk("VEVENT")) == len(strict.events)
    return {str(e["UID"]).split("@")[0].removesuffix("-open") for e in cal.walk("VEVENT")}


def test_export_all_variants_writes_what_the_server_serves_with_its_etags(tmp_path: Path) -> None:
    path = save(tmp_path / "deadlines.toml", [*sample(), hostile()])
    site = tmp_path / "site"
    result = CliRunner().invoke(main, ["export", str(path), "--all-variants", str(site), "--now", NOW.isoformat()])
    assert result.exit_code == 0, result.output
    manifest = json.loads((site / "etags.json").read_text(encoding="utf-8"))["urls"]
    assert "/calendar.ics" in manifest and "/calendar.ics?past=all" in manifest and "/deadlines.json" in manifest
    assert "/calendar.ics?issuer=%E5%B7%A5%E4%B8%9A%E5%92%8C%E4%BF%A1%E6%81%AF%E5%8C%96%E9%83%A8" in manifest
    assert "/calendar.ics?tag=x%EF%BC%9By" not in manifest and "/deadlines.json?tag=x%3By" in manifest
    assert "/calendar.ics?kind=window&past=all" in manifest
    with live(create_app(path, clock=lambda: NOW)) as url:
        for target, entry in manifest.items():
            served = requests.get(url + target, headers={"Accept-Encoding": "identity"}, timeout=10)
            assert served.status_code == 200, target
            assert served.headers["ETag"] == f'"{entry["etag"]}"', target
            assert (site / entry["file"]).read_bytes() == served.content, target
            assert requests.get(url + target, headers={"If-None-Match": f'"{entry["etag"]}"'}, timeout=10).status_code == 304
    for entry in manifest.values():
        if entry["file"].endswith(".ics"):
            parse((site / entry["file"]).read_bytes())
    # A later export with fewer records drops the variant files that no longer have a URL.
    save(path, sample()[:2])
    assert CliRunner().invoke(main, ["export", str(path), "--all-variants", str(site), "--now", NOW.isoformat()]).exit_code == 0
    fewer = json.loads((site / "etags.json").read_text(encoding="utf-8"))["urls"]
    assert len(fewer) < len(manifest)
    assert {p.name for p in (site / "variants").iterdir()} == {Path(e["file"]).name for e in fewer.values() if "/" in e["file"]}


def test_nginx_serves_the_export_with_the_servers_etags_and_304s(tmp_path: Path) -> None:
    path = save(tmp_path / "deadlines.toml", sample())
    site = tmp_path / "site"
    assert CliRunner().invoke(main, ["export", str(path), "--all-variants", str(site), "--now", NOW.isoformat()]).exit_code == 0
    manifest = json.loads((site / "etags.json").read_text(encoding="utf-8"))["urls"]
    with nginx_serving(site, tmp_path / "nginx") as url:
        for target, entry in manifest.items():
            got = requests.get(url + target, headers={"Accept-Encoding": "identity"}, timeout=10)
            assert got.status_code == 200 and got.content == (site / entry["file"]).read_bytes(), target
            assert got.headers["ETag"] == f'"{entry["etag"]}"', target
            again = requests.get(url + target, headers={"If-None-Match": got.headers["ETag"]}, timeout=10)
            assert again.status_code == 304, target
        assert requests.get(url + "/calendar.ics", timeout=10).headers["Content-Type"].startswith("text/calendar")
        assert requests.get(url + "/calendar.ics?kind=nothing", timeout=10).status_code == 404


@contextmanager
def nginx_serving(root: Path, work: Path) -> Iterator[str]:
    """Debian's nginx in the foreground on a free loopback port, with the export's own snippets."""
    work.mkdir()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    conf = work / "nginx.conf"
    conf.write_text(
        f"""daemon off; master_process off; pid {work}/nginx.pid; error_log {work}/error.log;
events {{}}
http {{
    access_log off;
    client_body_temp_path {work}; proxy_temp_path {work}; fastcgi_temp_path {work};
    uwsgi_temp_path {work}; scgi_temp_path {work};
    include {root}/nginx/maps.conf;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        include {root}/nginx/locations.conf;
    }}
}}
""",
        encoding="utf-8",
    )
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"  # scripts/test installs Debian's nginx
    process = subprocess.Popen([nginx, "-p", str(work), "-c", str(conf)], stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        while True:  # ready when it accepts a connection; a config error ends the process instead
            if process.poll() is not None:
                raise AssertionError(f"nginx exited: {process.stderr.read().decode()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_export_says_how_many_past_deadlines_it_left_out(tmp_path: Path) -> None:
    path = save(tmp_path / "deadlines.toml", sample())
    later = (NOW + dt.timedelta(days=60)).isoformat()  # 2026-05-09: kept are 5月6日 (3 days ago) and 6月1日
    result = CliRunner().invoke(main, ["export", str(path), "-o", str(tmp_path / "x.ics"), "--now", later])
    assert result.exit_code == 0 and "：2 条截止日期（另有 4 条较早的未写入；--past-all 可保留）\n" in result.output
    result = CliRunner().invoke(main, ["export", str(path), "-o", str(tmp_path / "x.ics"), "--now", later, "--past-all"])
    assert "：6 条截止日期\n" in result.output and "未写入" not in result.output
    result = CliRunner().invoke(main, ["export", str(path), "--all-variants", str(tmp_path / "s"), "--kind", "window"])
    assert result.exit_code == 2 and "请去掉筛选选项" in result.output


# -- content lines -------------------------------------------------------------


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
@settings(max_examples=300, deadline=None)
def test_any_text_is_folded_exactly_and_reads_back_cleaned(value: str) -> None:
    line = f"DESCRIPTION:{contentlines.text(value)}"
    wire = contentlines.fold(line)
    physical = wire.split(b"\r\n")
    assert physical[-1] == b"" and all(len(p) <= 75 for p in physical)
    assert all(p.startswith(b" ") for p in physical[1:-1])
    for p in physical:
        p.decode("utf-8")  # never cut inside a character
    assert b"".join(p[1:] if i else p for i, p in enumerate(physical)).decode("utf-8") == line
    event = icalendar.Event.from_ical(b"BEGIN:VEVENT\r\n" + wire + b"END:VEVENT\r\n")
    assert str(event["DESCRIPTION"]) == contentlines.clean_text(value)
    assert not any(ch in contentlines.clean_text(value) for ch in "\r\x00\x1b\x7f\x85")


def test_durations_follow_the_rfc_grammar() -> None:
    cases = {
        dt.timedelta(0): "PT0S",
        -dt.timedelta(days=6, hours=15): "-P6DT15H",
        dt.timedelta(hours=9): "PT9H",
        -dt.timedelta(hours=1, minutes=30): "-PT1H30M",
        dt.timedelta(hours=1, seconds=5): "PT1H0M5S",
        -dt.timedelta(days=1): "-P1D",
        dt.timedelta(minutes=20): "PT20M",
    }
    assert {k: contentlines.duration(k) for k in cases} == cases
    for value, wire in cases.items():
        assert icalendar.vDuration.from_ical(wire) == value


def test_a_new_day_gives_a_new_last_modified_when_the_feed_changes_without_the_file(tmp_path: Path) -> None:
    path = save(tmp_path / "deadlines.toml", sample())
    written = (NOW - dt.timedelta(days=1)).timestamp()
    os.utime(path, (written, written))  # the file was last written the day before
    today = [NOW]
    with live(create_app(path, clock=lambda: today[0])) as url:
        first = requests.get(f"{url}/calendar.ics", timeout=10)
        today[0] = NOW + dt.timedelta(days=7)  # 报送推荐函 (3月16日) is past now: its alarms are gone
        since = {"If-Modified-Since": first.headers["Last-Modified"]}
        later = requests.get(f"{url}/calendar.ics", headers=since, timeout=10)
    assert later.status_code == 200 and later.content != first.content
    assert later.headers["ETag"] != first.headers["ETag"]
    assert later.headers["Last-Modified"] == "Mon, 16 Mar 2026 16:00:00 GMT"  # 3月17日 00:00 in Shanghai
