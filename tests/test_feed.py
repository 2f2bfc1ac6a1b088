"""The calendar feed: RFC 5545 structure, stable UIDs, SEQUENCE bumps, escaping, folding, filters.

Every body is read back with two independent parsers: ``ical`` (strict) and
``icalendar`` (the library that wrote it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner
from feed_fixtures import MIIT, MOST, NOW, hostile, make, sample, save
from ical.calendar_stream import IcsCalendarStream

from calendar_svc import feed, store
from calendar_svc.filters import FilterError, Filters, parse_filters, select
from calendar_svc.cli import main
from calendar_svc.model import SHANGHAI

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
    body = feed.to_ical(saved(tmp_path), stamp=STAMP)
    cal, strict = parse(body)
    assert body.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.endswith(b"END:VCALENDAR\r\n")
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]) == feed.PRODID == strict.prodid
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["METHOD"]) == "PUBLISH"
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
    cal, strict = parse(feed.to_ical(deadlines, stamp=STAMP))
    event = by_uid(cal)[f"{recommend.id}@calendar-svc"]
    assert event["DTSTART"].params["VALUE"] == "DATE"
    assert event.start == dt.date(2026, 3, 16)
    assert event.end == dt.date(2026, 3, 17)
    assert str(event["SUMMARY"]) == "截止：报送推荐函（各推荐单位）"
    assert str(event["TRANSP"]) == "TRANSPARENT"
    assert event["DTSTAMP"].dt == STAMP.astimezone(dt.timezone.utc)
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
    cal, strict = parse(feed.to_ical(deadlines, stamp=STAMP))
    description = str(by_uid(cal)[f"{recommend.id}@calendar-svc"]["DESCRIPTION"])
    for expected in (
        f"通知：{MIIT.title}",
        "发文机关：工业和信息化部",
        "文号：工信厅科〔2026〕12号",
        "原文：「各推荐单位应于3月16日前报送推荐函；逾期不予受理。」",
        f"出处：notices/{MIIT.doc_no}.txt 第 20 行",
        "对象：各推荐单位",
    ):
        assert expected in description.splitlines()
    strict_event = next(e for e in strict.events if e.uid == f"{recommend.id}@calendar-svc")
    assert strict_event.description == description
    categories = [str(c) for c in by_uid(cal)[f"{recommend.id}@calendar-svc"].categories]
    assert categories == ["截止日期", "工业和信息化部", "科研项目", "推荐"]
    assert strict_event.categories == categories


def test_window_is_a_short_opening_event_and_a_timed_closing_event_with_alarms(tmp_path: Path) -> None:
    deadlines = saved(tmp_path)
    window = next(d for d in deadlines if d.kind == "window")
    body = feed.to_ical(deadlines, stamp=STAMP)
    cal, strict = parse(body)
    events = by_uid(cal)
    closing = events[f"{window.id}@calendar-svc"]
    opening = events[f"{window.id}-open@calendar-svc"]
    assert b"DTSTART;TZID=Asia/Shanghai:20260405T160000\r\n" in body
    assert b"DTSTART;TZID=Asia/Shanghai:20260301T090000\r\n" in body
    assert closing.start == dt.datetime(2026, 4, 5, 16, 0, tzinfo=SHANGHAI)
    assert "DTEND" not in closing and "DURATION" not in closing  # a moment, not a five-week bar
    assert str(closing["SUMMARY"]) == "截止：网上填报申报书（项目申报单位）"
    assert sorted(a["TRIGGER"].dt for a in closing.walk("VALARM")) == [
        -dt.timedelta(days=7),
        -dt.timedelta(days=1),
        -dt.timedelta(hours=2),
    ]
    assert str(opening["SUMMARY"]) == "开始：网上填报申报书（项目申报单位）"
    assert opening.start == dt.datetime(2026, 3, 1, 9, 0, tzinfo=SHANGHAI)
    assert opening.walk("VALARM") == []
    assert "时间：2026年3月1日（周日） 09:00 至 2026年4月5日（周日） 16:00" in str(closing["DESCRIPTION"])
    strict_closing = next(e for e in strict.events if e.uid == f"{window.id}@calendar-svc")
    assert strict_closing.dtstart == dt.datetime(2026, 4, 5, 16, 0, tzinfo=SHANGHAI)
    assert strict_closing.dtstart.utcoffset() == dt.timedelta(hours=8)


def test_hidden_records_are_left_out_and_informational_ones_have_no_alarms(tmp_path: Path) -> None:
    deadlines = saved(tmp_path)
    cal, strict = parse(feed.to_ical(deadlines, stamp=STAMP))
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
    first = feed.to_ical(store.load(path), stamp=STAMP)
    later = NOW + dt.timedelta(days=3)
    merged, report = store.merge(store.load(path), sample(), now=later, sources=[d.source.file for d in sample()])
    store.save(path, merged)
    second = feed.to_ical(store.load(path), stamp=STAMP)
    assert report.unchanged == len(sample())
    assert second == first
    before, after = by_uid(parse(first)[0]), by_uid(parse(second)[0])
    assert before.keys() == after.keys()
    assert {u: e["SEQUENCE"] for u, e in before.items()} == {u: e["SEQUENCE"] for u, e in after.items()}


def test_a_changed_time_keeps_the_uid_and_bumps_sequence_and_last_modified(tmp_path: Path) -> None:
    path = save(tmp_path / "deadlines.toml", sample())
    before = by_uid(parse(feed.to_ical(store.load(path), stamp=STAMP))[0])
    moved = [
        replace(d, end=dt.date(2026, 3, 18)) if d.what == "报送推荐函" else d
        for d in sample()
    ]
    later = dt.datetime(2026, 3, 11, 15, 45, tzinfo=SHANGHAI)
    merged, report = store.merge(store.load(path), moved, now=later)
    store.save(path, merged)
    after = by_uid(parse(feed.to_ical(store.load(path), stamp=later))[0])
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
    body = feed.to_ical([bad], stamp=STAMP)
    lines = body.split(b"\r\n")
    assert lines[-1] == b"" and b"\n" not in body.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # a fold inside a multi-byte character would raise here
    assert any(len(line) > 70 for line in lines)  # long text really was folded
    assert b"\\," in body and b"\\;" in body and b"\\\\" in body and b"\\n" in body
    cal, strict = parse(body)
    event = cal.walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "截止：" + "长" * 500 == strict.events[0].summary
    description = str(event["DESCRIPTION"])
    assert description == strict.events[0].description
    assert "对象：申报单位,甲;乙\\丙" in description
    assert "事项：提交<script>alert(1)</script>材料" in description
    assert "通知：<script>alert('x')</script>关于“申报,报送;审核\\备案”的通知" in description
    assert "原文：「第一行,逗号;分号\\反斜杠\n第二行\n第三行申报截止时间" in description
    assert description.count("申报截止时间") == 80
    categories = [str(c) for c in event.categories]
    assert categories == ["截止日期", "某<b>厅</b>", "a，b", "x;y"] == strict.events[0].categories


def test_alarm_offsets_are_configurable() -> None:
    deadline = make(MOST, "deadline", who="申报单位", what="提交", end=dt.datetime(2026, 3, 20, 12, 0, tzinfo=SHANGHAI))
    one = feed.default_config(alarms=feed.parse_offsets("1d12h"))
    none = feed.default_config(alarms=feed.parse_offsets("none"))
    cal, _ = parse(feed.to_ical([deadline], stamp=STAMP, config=one))
    assert [a["TRIGGER"].dt for a in cal.walk("VALARM")] == [-dt.timedelta(days=1, hours=12)]
    cal, _ = parse(feed.to_ical([deadline], stamp=STAMP, config=none))
    assert cal.walk("VALARM") == []
    assert feed.default_config().alarms == (dt.timedelta(days=7), dt.timedelta(days=1), dt.timedelta(hours=2))
    assert feed.parse_offsets("2h, 7d,1d,1d") == (dt.timedelta(days=7), dt.timedelta(days=1), dt.timedelta(hours=2))
    with pytest.raises(ValueError, match="bad offset '3x'"):
        feed.parse_offsets("7d,3x")


def test_all_day_alarms_that_fall_on_the_same_morning_are_merged() -> None:
    deadline = make(MOST, "deadline", who="申报单位", what="提交", end=dt.date(2026, 3, 20))
    config = feed.default_config(alarms=feed.parse_offsets("2h,30m,1d"), alarm_time=dt.time(8, 30))
    cal, strict = parse(feed.to_ical([deadline], stamp=STAMP, config=config))
    triggers = sorted(a["TRIGGER"].dt for a in cal.walk("VALARM"))
    assert triggers == [-dt.timedelta(hours=15, minutes=30), dt.timedelta(hours=8, minutes=30)]
    assert len(strict.events[0].alarm) == 2


# -- filters -----------------------------------------------------------------


def uids_for(deadlines, **params: list[str]) -> set[str]:
    filters = parse_filters(params)
    cal, strict = parse(feed.to_ical(deadlines, stamp=STAMP, filters=filters))
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
        body = feed.to_ical(deadlines, stamp=STAMP, filters=filters)
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
    cal, _ = parse(feed.to_ical([], stamp=STAMP, filters=filters))
    assert str(cal["X-WR-CALNAME"]) == "政策申报截止日期 · 工业和信息化部 · 申报期 · “申报书”"
    assert filters.items() == [("issuer", "工业和信息化部"), ("kind", "window"), ("q", "申报书")]


# -- export ------------------------------------------------------------------


def test_export_writes_the_feed_atomically_and_filters(tmp_path: Path) -> None:
    path = save(tmp_path / "deadlines.toml", sample())
    out = tmp_path / "site" / "deadlines.ics"
    runner = CliRunner()
    result = runner.invoke(main, ["export", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    cal, strict = parse(out.read_bytes())
    visible = [d for d in store.load(path) if d.visible]
    assert {str(e["UID"]).split("@")[0] for e in cal.walk("VEVENT")} >= {d.id for d in visible}
    assert len(strict.events) == len(visible) + 1
    assert not list(out.parent.glob(".*.tmp"))
    first = out.read_bytes()
    assert runner.invoke(main, ["export", str(path), "-o", str(out)]).exit_code == 0
    assert out.read_bytes() == first  # same data, same bytes: static hosts see no change
    result = runner.invoke(main, ["export", str(path), "-o", "-", "--kind", "window", "--alarms", "1d"])
    assert result.exit_code == 0
    cal, _ = parse(result.stdout_bytes)
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["开始：网上填报申报书（项目申报单位）", "截止：网上填报申报书（项目申报单位）"]
    assert [a["TRIGGER"].dt for a in cal.walk("VALARM")] == [-dt.timedelta(days=1)]


def test_export_reports_bad_input_without_a_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "deadlines.toml"
    broken.write_text('[[deadline]]\nid = "x"\nkind = "sometime"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["export", str(broken), "-o", str(tmp_path / "x.ics")])
    assert result.exit_code == 1
    assert "unknown kind 'sometime'" in result.output
    assert not (tmp_path / "x.ics").exists()
    good = save(tmp_path / "good.toml", sample())
    result = CliRunner().invoke(main, ["export", str(good), "-o", "-", "--alarms", "soon"])
    assert result.exit_code == 2 and "bad offset 'soon'" in result.output


def test_export_checks_its_filter_like_the_feed_url(tmp_path: Path) -> None:
    path = save(tmp_path / "deadlines.toml", sample())
    result = CliRunner().invoke(main, ["export", str(path), "-o", "-", "--kind", "deadlines"])
    assert result.exit_code == 1
    assert "unknown kind 'deadlines'; expected one of window, deadline" in result.output
    result = CliRunner().invoke(main, ["export", str(path), "-o", "-", "--issuer", "科学技术部", "--kind", "start"])
    cal, _ = parse(result.stdout_bytes)
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["开始：正式申报受理开始（申报单位）"]
    assert str(cal["X-WR-CALNAME"]) == "政策申报截止日期 · 科学技术部 · 开始日期"


def test_vanished_records_stay_in_the_feed_with_a_warning(tmp_path: Path) -> None:
    path = save(tmp_path / "deadlines.toml", sample())
    kept = [d for d in sample() if d.what != "报送推荐函"]
    merged, report = store.merge(store.load(path), kept, now=NOW, sources=[d.source.file for d in sample()])
    store.save(path, merged)
    assert [d.what for d in report.vanished] == ["报送推荐函"]
    cal, _ = parse(feed.to_ical(store.load(path), stamp=STAMP))
    description = str(by_uid(cal)[f"{report.vanished[0].id}@calendar-svc"]["DESCRIPTION"])
    assert description.endswith("注意：最近一次提取时原文中已找不到这一条，请核对。")
