"""Internal deadlines: official − N working days, from a rule or a record's own field, as events and reminders."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import icalendar
import pytest
import requests
from feed_fixtures import MIIT, MOST, NOW, live, make, save
from ical.calendar_stream import IcsCalendarStream
from reminders_support import Clock, deadline, make_settings, plain_text, service, smtp, subscribe  # noqa: F401
from reminders_support import save as save_settings

from calendar_svc import config, store
from calendar_svc.errors import InputError
from calendar_svc.internal import Rule, parse_rules, with_internal
from calendar_svc.offsets import parse_offsets
from calendar_svc.reminders.service import filters_from_options
from calendar_svc.web import create_app

# 10月9日（周五） − 5 个工作日: 10月8日, 9月30日, 9月29日, 9月28日, then 9月25日 is 中秋节 → 9月24日（周四）.
OFFICIAL = dt.date(2026, 10, 9)
INTERNAL = dt.date(2026, 9, 24)


def records() -> list:
    return [
        make(MIIT, "deadline", who="项目申报单位", what="报送申报书", end=OFFICIAL, tags=["科研"]),
        make(MOST, "deadline", who="项目牵头单位", what="提交预申报书", end=dt.datetime(2026, 3, 20, 17, 0, tzinfo=NOW.tzinfo)),
        make(MOST, "effective", who="", what="本指南施行", end=dt.date(2026, 4, 1), tags=["科研"]),
    ]


def test_rule_counts_working_days_across_holidays() -> None:
    out = with_internal(records(), [Rule(working_days=5, tag="科研")])
    internal = [d for d in out if d.internal_of]
    assert len(internal) == 1  # the 施行 date gets none: nobody files by it
    [d] = internal
    official = records()[0]
    assert (d.id, d.end, d.internal_of) == (official.id + "-internal", INTERNAL, official.id)
    assert d.summary == "内部截止：报送申报书（项目申报单位）"


def test_most_specific_rule_and_record_field_win() -> None:
    official, timed, _ = records()
    rules = [Rule(working_days=5, tag="科研"), Rule(working_days=2, issuer="工业和信息化部"), Rule(working_days=3, id=timed.id)]
    by_id = {d.internal_of: d for d in with_internal(records(), rules) if d.internal_of}
    assert by_id[official.id].end == dt.date(2026, 9, 30)  # issuer beats tag: 2 working days (10月8日, 9月30日)
    # A timed deadline keeps its time of day: 3月20日 17:00 − 3 working days → 3月17日 17:00.
    assert by_id[timed.id].end == dt.datetime(2026, 3, 17, 17, 0, tzinfo=NOW.tzinfo)
    # The record's own field overrides every rule; 0 turns it off.
    assert not [d for d in with_internal([replace(official, internal_workdays=0)], rules) if d.internal_of]
    [own] = [d for d in with_internal([replace(official, internal_workdays=1)], rules) if d.internal_of]
    assert own.end == dt.date(2026, 10, 8)


def test_year_without_data_gives_no_internal_deadline(caplog: pytest.LogCaptureFixture) -> None:
    far = make(MIIT, "deadline", who="单位", what="报送", end=dt.date(2099, 3, 2))
    assert with_internal([far], [Rule(working_days=5, issuer="工业和信息化部")]) == [far]
    assert "没有 2099 年的节假日安排数据" in caplog.text


def test_config_rules_and_their_errors(tmp_path: Path) -> None:
    file = tmp_path / "calendar-svc.toml"
    file.write_text('[[internal]]\ntag = "科研"\nworking_days = 5\n\n[[internal]]\nissuer = "科学技术部"\nworking_days = 3\n', encoding="utf-8")
    assert config.load(file, env={}).internal_rules == (Rule(5, tag="科研"), Rule(3, issuer="科学技术部"))
    for bad, problem in [
        ({"tag": "科研"}, "working_days 必须是 1–60 的整数"),
        ({"tag": "科研", "issuer": "部", "working_days": 2}, "tag、issuer、id 必须写且只写一个"),
        ({"tag": "科研", "working_days": 0}, "1–60"),
        ({"tags": "科研", "working_days": 2}, "不认识的键 tags"),
    ]:
        with pytest.raises(InputError, match=problem):
            parse_rules([bad], "calendar-svc.toml")


def test_store_keeps_and_validates_the_record_field(tmp_path: Path) -> None:
    path = tmp_path / "deadlines.toml"
    store.save(path, [replace(records()[0], internal_workdays=5)])
    assert "internal_workdays = 5" in path.read_text(encoding="utf-8")
    assert store.load(path)[0].internal_workdays == 5
    text = path.read_text(encoding="utf-8").replace("internal_workdays = 5", "internal_workdays = 99")
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("internal_workdays = 99") + 1
    with pytest.raises(InputError, match=f"deadlines.toml:{line}: `internal_workdays` 须为 0–60 个工作日"):
        store.load(path)


def parse(body: bytes) -> tuple[dict, dict]:
    """Events by UID from the strict parser and from icalendar, checked to agree on UIDs and dates."""
    strict = {e.uid: e for e in IcsCalendarStream.calendar_from_ics(body.decode("utf-8")).events}
    loose = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}
    assert set(strict) == set(loose)
    for uid, event in strict.items():
        assert event.dtstart == loose[uid].decoded("DTSTART")
    return strict, loose


def test_feed_has_the_internal_deadline_as_its_own_event(tmp_path: Path) -> None:
    official = records()[0]
    path = save(tmp_path / "deadlines.toml", records())
    with live(create_app(path, clock=lambda: NOW, internal_rules=[Rule(5, tag="科研")])) as url:
        both = requests.get(url + "/calendar.ics", timeout=10)
        only_official = requests.get(url + "/calendar.ics?deadlines=official", timeout=10).content
        only_internal = requests.get(url + "/calendar.ics?deadlines=internal", timeout=10).content
        bad = requests.get(url + "/calendar.ics?deadlines=mine", timeout=10)
        page = requests.get(url + "/", timeout=10).text
    strict, loose = parse(both.content)
    uid = f"{official.id}-internal@calendar-svc"
    assert uid in strict and f"{official.id}@calendar-svc" in strict
    assert strict[uid].dtstart == INTERNAL
    assert strict[uid].summary == "内部截止：报送申报书（项目申报单位）"
    assert f"正式截止日期的日历事件：UID {official.id}@calendar-svc" in strict[uid].description
    assert "正式截止（2026年10月9日（周五））前 5 个工作日" in strict[uid].description
    assert str(loose[uid]["RELATED-TO"]) == f"{official.id}@calendar-svc"
    assert set(parse(only_official)[0]) == set(strict) - {uid}
    assert set(parse(only_internal)[0]) == {uid}
    assert bad.status_code == 400
    assert "内部截止：报送申报书（项目申报单位）" in page
    assert "2026年9月24日（周四）" in page


def test_reminders_for_the_internal_deadline(tmp_path: Path, smtp) -> None:  # noqa: F811
    (tmp_path / "calendar-svc.toml").write_text(
        "[reminders]\nall_day_hour = 9\n\n[[internal]]\nissuer = \"工业和信息化部\"\nworking_days = 5\n", encoding="utf-8"
    )
    settings = make_settings(tmp_path, smtp.url)
    save_settings(settings, deadline("d1", OFFICIAL))
    clock = Clock("2026-09-01T00:00")
    svc = service(settings, clock)
    subscribe(svc, "both@example.edu", "1d")
    svc.subscribe("official@example.edu", filters_from_options([], [], [], [], "official"), parse_offsets("1d"))
    clock.set("2026-09-23T09:00")  # one day before 9月24日, the internal deadline
    svc.check()
    [mail] = smtp.mailbox.received
    assert mail.recipients == ["both@example.edu"]
    assert mail.message["Subject"] == "【还有1天】内部截止：网上填报申报书（项目申报单位）"
    text = plain_text(mail.message)
    assert "截止：2026年9月24日（周四） 全天，还剩 1 天（1 个工作日）" in text
    assert "正式截止日期的日历事件：UID d1@calendar-svc" in text
    svc.check()  # exactly once
    assert len(smtp.mailbox.received) == 1
    clock.set("2026-10-08T09:00")  # one day before the official deadline: both subscribers
    svc.check()
    assert sorted(r for m in smtp.mailbox.received[1:] for r in m.recipients) == ["both@example.edu", "official@example.edu"]


def test_a_reviewers_title_is_relabelled() -> None:
    titled = replace(records()[0], title="截止：报送推荐材料")
    [d] = [d for d in with_internal([titled], [Rule(5, tag="科研")]) if d.internal_of]
    assert d.summary == "内部截止：报送推荐材料"


def test_cli_subscribe_chooses_internal_deadlines(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from calendar_svc.cli import main

    conf = tmp_path / "calendar-svc.toml"
    conf.write_text('[[internal]]\nissuer = "工业和信息化部"\nworking_days = 5\n', encoding="utf-8")
    env = {
        "CALENDAR_SVC_CONFIG": str(conf),
        "CALENDAR_SVC_DEADLINES": str(tmp_path / "deadlines.toml"),
        "CALENDAR_SVC_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CALENDAR_SVC_OUTBOX": str(tmp_path / "outbox"),
    }
    store.save(tmp_path / "deadlines.toml", [deadline("d1", OFFICIAL)])
    result = CliRunner().invoke(main, ["subscribe", "a@example.edu", "--deadlines", "internal"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "a@example.edu：已订阅（#1）仅内部截止" in result.output and "目前符合：1 条" in result.output
    listing = CliRunner().invoke(main, ["subscribers"], env=env, catch_exceptions=False)
    assert "deadlines=internal" in listing.output
    bad = CliRunner().invoke(main, ["subscribe", "a@example.edu", "--deadlines", "mine"], env=env)
    assert bad.exit_code != 0 and "mine" in bad.output


def test_internal_deadline_reminders_are_sent_once_across_restarts(tmp_path: Path, smtp) -> None:  # noqa: F811
    (tmp_path / "calendar-svc.toml").write_text(
        "[reminders]\nall_day_hour = 9\n\n[[internal]]\nissuer = \"工业和信息化部\"\nworking_days = 5\n", encoding="utf-8"
    )
    settings = make_settings(tmp_path, smtp.url)
    save_settings(settings, deadline("d1", OFFICIAL))
    clock = Clock("2026-09-01T00:00")
    subscribe(service(settings, clock, "first"), "alice@example.edu", "7d,1d")
    subjects = lambda: [m["Subject"] for m in smtp.mailbox.to("alice@example.edu")]  # noqa: E731
    clock.set("2026-09-17T09:00")  # 7 days before the internal deadline (9月24日)
    first = service(settings, clock, "first")
    first.check()
    assert subjects() == ["【还有7天】内部截止：网上填报申报书（项目申报单位）"]
    first.engine.dispose()  # the process stops; a new one starts at once, then again after a day's outage
    assert service(settings, clock, "second").check().outcomes == []
    clock.set("2026-09-23T10:30")
    third = service(settings, clock, "third")
    third.check()
    assert subjects()[1:] == ["（补发）【还有1天】内部截止：网上填报申报书（项目申报单位）"]
    assert third.check().outcomes == [] and service(settings, clock, "fourth").check().outcomes == []
    clock.set("2026-10-08T09:00")  # the official deadline's own 1d reminder; its 7d one (10月2日) was missed
    service(settings, clock, "fifth").check()
    assert subjects()[2:] == ["（补发）【还有1天】截止：网上填报申报书（项目申报单位）"]
    assert len(smtp.mailbox.received) == 3
