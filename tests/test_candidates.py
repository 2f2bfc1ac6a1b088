"""Candidates: dates the rules turned down in a sentence where someone acts are kept for a person, never published."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from calendar_svc import feed, store
from calendar_svc.candidates import NEAR_ACTION
from calendar_svc.extract import extract
from calendar_svc.review import review_queue

SCHEDULE = """关于做好2026届毕业设计工作的通知
各系部：
现将有关安排通知如下。
一、时间安排
1.2026年3月2日-2026年3月20日,学生按要求提交开题报告(电子版),指导教师给出评语。
2.2026年4月1日-2026年4月30日,上交设计初稿。
二、其他
请各系部于2026年3月1日前报送指导教师名单。
本通知自印发之日起执行。
某某学院教务处
2026年2月20日
"""


def records(tmp_path: Path, text: str = SCHEDULE):
    path = tmp_path / "notice.txt"
    path.write_text(text, encoding="utf-8")
    return extract([str(path)]).deadlines


def test_turned_down_dates_near_an_action_are_candidates_with_a_chinese_reason(tmp_path: Path) -> None:
    found = records(tmp_path)
    candidates = [d for d in found if d.status == "candidate"]
    assert [(d.kind, d.start, d.end) for d in candidates] == [
        ("window", dt.date(2026, 3, 2), dt.date(2026, 3, 20)),
        ("window", dt.date(2026, 4, 1), dt.date(2026, 4, 30)),
    ]
    assert all(d.doubt == NEAR_ACTION and not d.visible for d in candidates)
    (accepted,) = [d for d in found if d.status == "extracted"]
    assert accepted.end == dt.date(2026, 3, 1) and accepted.visible
    assert dt.date(2026, 2, 20) not in {d.end for d in found}  # the signing date is no candidate


def test_candidates_do_not_change_the_ids_or_warnings_of_accepted_records(tmp_path: Path) -> None:
    plain = SCHEDULE.replace("1.2026年3月2日-2026年3月20日,学生按要求提交开题报告(电子版),指导教师给出评语。\n", "").replace(
        "2.2026年4月1日-2026年4月30日,上交设计初稿。\n", ""
    )
    with_candidates = [d.id for d in records(tmp_path) if d.status == "extracted"]
    assert with_candidates == [d.id for d in records(tmp_path, plain)]


def test_candidates_reach_the_queue_but_not_the_feed_until_confirmed(tmp_path: Path) -> None:
    merged, _ = store.merge([], records(tmp_path), now=dt.datetime(2026, 2, 21, tzinfo=dt.timezone.utc))
    queue = review_queue(merged)
    assert [i.reason for i in queue].count("候选") == 2
    assert {i.detail for i in queue if i.reason == "候选"} == {NEAR_ACTION}
    now = dt.datetime(2026, 2, 21, tzinfo=dt.timezone.utc)
    body = feed.FeedBuilder(feed.default_config()).build(merged, stamp=now, now=now).decode()
    assert "开题报告" not in body and "指导教师名单" in body
