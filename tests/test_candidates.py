"""Candidates: dates the rules turned down in a sentence where someone acts are kept for a person, never published."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from calendar_svc import feed, store
from calendar_svc.candidates import NEAR_ACTION
from calendar_svc.extract import extract
from calendar_svc.model import SHANGHAI
from calendar_svc.review import review_queue

SCHEDULE = """关于做好2026届毕业设计工作的通知
各系部：
现将有关安排通知如下。
一、时间安排
1.各系部2026年3月20日组织开题报告答辩。
2.各系部2026年4月10日组织中期检查，学生上交设计初稿。
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
        ("deadline", None, dt.date(2026, 3, 20)),
        ("deadline", None, dt.date(2026, 4, 10)),
    ]
    assert all(d.doubt == NEAR_ACTION and not d.visible for d in candidates)
    (accepted,) = [d for d in found if d.status == "extracted"]
    assert accepted.end == dt.date(2026, 3, 1) and accepted.visible
    assert dt.date(2026, 2, 20) not in {d.end for d in found}  # the signing date is no candidate


def test_candidates_do_not_change_the_ids_or_warnings_of_accepted_records(tmp_path: Path) -> None:
    plain = SCHEDULE.replace("1.各系部2026年3月20日组织开题报告答辩。\n", "").replace("2.各系部2026年4月10日组织中期检查，学生上交设计初稿。\n", "")
    with_candidates = [d.id for d in records(tmp_path) if d.status == "extracted"]
    assert with_candidates == [d.id for d in records(tmp_path, plain)]


def test_candidates_reach_the_queue_but_not_the_feed_until_confirmed(tmp_path: Path) -> None:
    merged, _ = store.merge([], records(tmp_path), now=dt.datetime(2026, 2, 21, tzinfo=dt.timezone.utc))
    queue = review_queue(merged)
    assert [i.reason for i in queue].count("候选") == 2
    assert {i.detail for i in queue if i.reason == "候选"} == {NEAR_ACTION}
    now = dt.datetime(2026, 2, 21, tzinfo=dt.timezone.utc)
    body = feed.FeedBuilder(feed.default_config()).build(merged, stamp=now, now=now).decode()
    assert "中期检查" not in body and "指导教师名单" in body


# --- guessed years and doubtful years (issue 9: 年份为推断) ----------------------------------------

from calendar_svc.candidates import BEFORE_STAMP, REVERSED, YEAR_FROM_LATER, YEAR_FROM_TODAY, YEAR_FROM_WEEKDAYS, YEAR_SLIP  # noqa: E402

TIMETABLE = """学位工作时间安排
{first}(含)前完成学位论文提交。
时间节点 | 第一批 | 第二批 |
1.学位论文提交 | 1月17日(周五) | 4月3日(周四) |
2.学位论文答辩 | 3月3日(周一) | 5月26日(周一) |
"""


def found_in(tmp_path: Path, text: str, today: dt.date):
    path = tmp_path / "notice.txt"
    path.write_text(text, encoding="utf-8")
    return extract([str(path)], today=today)


@pytest.mark.parametrize(("today", "year"), [(dt.date(2029, 5, 1), 2025), (dt.date(2016, 5, 1), 2014)])
def test_a_timetable_without_any_year_is_dated_by_its_weekdays_as_candidates(tmp_path: Path, today: dt.date, year: int) -> None:
    """1月17日(周五)…5月26日(周一) fit 2025 and the years sharing its calendar (2014): the latest up to next year.
    Candidates while that year lies more than one from today's (nearer, the weekdays settle it: test_classify_years.py)."""
    result = found_in(tmp_path, TIMETABLE.format(first="4月11日"), today)
    assert all(d.status == "candidate" for d in result.deadlines)
    assert {d.doubt for d in result.deadlines} == {YEAR_FROM_WEEKDAYS.format(year=year)}
    assert {d.end for d in result.deadlines} == {dt.date(year, m, d) for m, d in ((4, 11), (1, 17), (4, 3), (3, 3), (5, 26))}
    assert result.problems and all("--date" in str(p) for p in result.problems)  # still asked for


def test_weekdays_that_fit_no_year_give_no_weekday_guess(tmp_path: Path) -> None:
    text = "时间安排\n1月17日(周一)前提交申请表。\n1月18日(周一)前提交汇总表。\n1月19日(周一)前报送名单。\n"
    result = found_in(tmp_path, text, dt.date(2026, 12, 2))
    assert {d.doubt for d in result.deadlines} == {YEAR_FROM_TODAY}


def test_without_any_year_before_a_date_a_year_written_after_it_is_the_guess(tmp_path: Path) -> None:
    text = "关于推荐评审专家的通知\n各学院：\n请于3月10日前报送推荐名单。\n另：2024年度评审工作安排另行通知。\n"
    (record,) = found_in(tmp_path, text, dt.date(2026, 12, 2)).deadlines
    assert (record.status, record.end, record.doubt) == ("candidate", dt.date(2024, 3, 10), YEAR_FROM_LATER.format(year=2024))


@pytest.mark.parametrize(("today", "expected"), [(dt.date(2026, 12, 2), dt.date(2027, 3, 10)), (dt.date(2026, 2, 1), dt.date(2026, 3, 10))])
def test_without_any_year_at_all_the_day_of_extraction_dates_a_candidate(tmp_path: Path, today: dt.date, expected: dt.date) -> None:
    (record,) = found_in(tmp_path, "各学院：\n请于3月10日前报送推荐名单。\n", today).deadlines
    assert (record.status, record.end, record.doubt) == ("candidate", expected, YEAR_FROM_TODAY)
    assert not record.visible


@pytest.mark.parametrize("line", ["2.申报截止时间:2018年3月20日。", "请各学院于2018年3月20日前报送申报书。"])
def test_a_deadline_written_a_year_before_its_signed_notice_is_a_candidate_read_in_the_notice_year(tmp_path: Path, line: str) -> None:
    text = f"关于申报学科竞赛项目的通知\n各学院：\n{line}\n教务处\n2019年3月4日\n"
    (record,) = found_in(tmp_path, text, dt.date(2026, 12, 2)).deadlines
    assert (record.status, record.end, record.doubt) == ("candidate", dt.date(2019, 3, 20), YEAR_SLIP.format(written=2018, year=2019))


def test_a_date_long_before_its_notice_is_still_history(tmp_path: Path) -> None:
    text = "关于申报的通知\n各学院：\n请各学院于2018年2月20日前报送申报书。\n教务处\n2019年3月4日\n"
    assert found_in(tmp_path, text, dt.date(2026, 12, 2)).deadlines == []


def test_a_range_whose_written_years_run_backwards_is_a_candidate(tmp_path: Path) -> None:
    text = "关于答辩的通知\n各学院：\n请学生在2026年4月10日-2025年4月30日之间提交补答辩申请。\n教务处\n2025年3月1日\n"
    (record,) = found_in(tmp_path, text, dt.date(2026, 12, 2)).deadlines
    assert (record.status, record.doubt) == ("candidate", REVERSED)


@pytest.mark.parametrize(
    ("stamp", "expected"),
    [("发布时间:2020-03-24", [("candidate", dt.date(2019, 12, 20), BEFORE_STAMP)]), ("后勤处\n2020年3月24日", [])],
)
def test_a_deadline_before_a_pages_posting_date_is_a_candidate_but_not_before_its_signature(tmp_path: Path, stamp: str, expected) -> None:
    """A page posted after its own deadline still shows it to a reviewer; a signed notice's past dates are history."""
    body = "请各科室于2019年12月20日前提交本部门工作总结。"
    text = f"后勤处关于做好工作总结的通知\n{stamp if stamp.startswith('发布') else ''}\n各科室：\n{body}\n{'' if stamp.startswith('发布') else stamp}\n"
    found = found_in(tmp_path, text, dt.date(2026, 12, 2)).deadlines
    assert [(d.status, d.end, d.doubt) for d in found] == expected


@pytest.mark.parametrize(
    ("line", "end"),
    [
        ("请各科室于2019年12月20日(星期五)前提交本部门工作总结。", dt.date(2019, 12, 20)),
        ("各学院须在2019年11月8日（周五）17:00前报送推荐名单。", dt.datetime(2019, 11, 8, 17, 0, tzinfo=SHANGHAI)),
        ("申报截止时间：2020年1月6日（星期一）。", dt.date(2020, 1, 6)),
    ],
)
def test_a_deadline_with_its_year_and_weekday_before_a_pages_posting_is_published(tmp_path: Path, line: str, end) -> None:
    """The weekday vouches for the written year: the page is a copy posted after its notice's deadline."""
    text = f"后勤处关于做好工作总结的通知\n发布时间:2020-03-24\n各科室：\n{line}\n"
    found = found_in(tmp_path, text, dt.date(2026, 12, 2)).deadlines
    assert [(d.status, d.end) for d in found] == [("extracted", end)]


@pytest.mark.parametrize(
    "line",
    ["请各科室于2019年12月21日(星期五)前提交本部门工作总结。", "请各科室于2018年12月21日(星期五)前提交本部门工作总结。"],
    ids=["weekday-wrong", "long-before"],
)
def test_a_weekday_that_does_not_fit_or_a_date_long_before_the_posting_publishes_nothing(tmp_path: Path, line: str) -> None:
    text = f"后勤处关于做好工作总结的通知\n发布时间:2020-03-24\n各科室：\n{line}\n"
    assert [d for d in found_in(tmp_path, text, dt.date(2026, 12, 2)).deadlines if d.status != "candidate"] == []


def test_the_cli_guesses_with_the_merge_day_as_today(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from calendar_svc.cli import main

    path = tmp_path / "n.txt"
    path.write_text("各学院：\n请于3月10日前报送推荐名单。\n", encoding="utf-8")
    out = CliRunner().invoke(main, ["extract", str(path), "--json", "--now", "2026-02-01T09:00+08:00"])
    (record,) = __import__("json").loads(out.stdout)
    assert (record["status"], record["end"], record["doubt"]) == ("candidate", "2026-03-10", YEAR_FROM_TODAY)


def test_the_same_day_for_two_groups_in_a_timetable_is_two_candidates(tmp_path: Path) -> None:
    text = TIMETABLE.format(first="4月11日").replace("1.学位论文提交 | 1月17日(周五) | 4月3日(周四) |", "1.学位论文提交 | 博士:1月17日(周五) | 博士:4月3日(周四) |\n硕士:1月17日(周五) | 硕士:4月11日(周五) | |")
    found = found_in(tmp_path, text, dt.date(2026, 12, 2)).deadlines
    assert sorted(d.who for d in found if d.end == dt.date(2025, 1, 17)) == ["博士", "硕士"]


@pytest.mark.parametrize(
    "text",
    [
        "关于申报的通知\n各学院：\n一、报送申报书\n时间节点:2026年3月6日。\n教务处\n2026年2月20日\n",
        "关于申报的通知\n各学院：\n请各学院组织论证并报送申报书。时间节点:2026年3月6日。\n教务处\n2026年2月20日\n",
    ],
    ids=["heading", "sentence-before"],
)
def test_a_bare_date_under_a_heading_or_after_a_sentence_that_asks_is_a_candidate(tmp_path: Path, text: str) -> None:
    from calendar_svc.candidates import NEARBY_ACTION

    found = found_in(tmp_path, text, dt.date(2026, 2, 21)).deadlines
    assert [(d.status, d.end, d.doubt) for d in found] == [("candidate", dt.date(2026, 3, 6), NEARBY_ACTION)]


def test_a_bare_date_with_nothing_to_do_around_it_is_a_candidate_of_the_lowest_ranks(tmp_path: Path) -> None:
    """The net shows what it cannot rule out: a labelled date no act names waits, ranked after the likelier ones."""
    from calendar_svc.candidates import CUE_WITHOUT_ACTION, NEAR_ACTION, rank_of

    text = "关于表彰的通知\n各学院：\n一、表彰结果\n时间节点:2026年3月6日。\n教务处\n2026年2月20日\n"
    (record,) = found_in(tmp_path, text, dt.date(2026, 2, 21)).deadlines
    assert (record.status, record.end, record.doubt) == ("candidate", dt.date(2026, 3, 6), CUE_WITHOUT_ACTION)
    assert rank_of(CUE_WITHOUT_ACTION) > rank_of(NEAR_ACTION)


INSPECTION = """关于开展年度检查的通知
各有关单位：
一、企业于2026年3月31日前登录系统填报年度数据。
二、我厅于2026年4月30日前完成复核、汇总并上报。
三、凡于2025年12月31日前成立的社会组织，均应参加年检。
四、截至2026年1月31日，累计已有300家单位完成登记。
五、2025年12月1日，我厅印发了年检工作要点。
某某厅
2026年2月20日
"""


def test_a_date_read_as_the_organisers_step_that_still_closes_an_act_is_a_candidate(tmp_path: Path) -> None:
    """于4月30日前完成…上报 read as the organiser's own step is shown; a clause selecting cases, a count and a past act are not."""
    from calendar_svc.candidates import CLOSING_STEP

    found = found_in(tmp_path, INSPECTION, dt.date(2026, 2, 21)).deadlines
    assert [(d.status, d.end, d.doubt) for d in found] == [
        ("extracted", dt.date(2026, 3, 31), ""),
        ("candidate", dt.date(2026, 4, 30), CLOSING_STEP),
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("四、截至2026年4月30日，累计已有300家单位完成登记。", set()),  # a statistic
        ("三、凡于2026年3月31日前成立的社会组织，均应参加年检。", set()),  # a clause that selects cases
        ("三、凡在2026年3月31日前成立的社会组织须在2026年5月31日前报送年报。", {dt.date(2026, 5, 31)}),  # its task
        ("科研处组织专家评审，最迟2026年3月12日前完成推荐。", {dt.date(2026, 3, 12)}),  # the organiser's step closing an act
    ],
)
def test_the_net_keeps_incidental_dates_only_when_they_close_an_act(tmp_path: Path, line: str, expected: set) -> None:
    text = f"关于年检的通知\n各有关单位：\n{line}\n某某厅\n2026年2月20日\n"
    assert {d.end for d in found_in(tmp_path, text, dt.date(2026, 2, 21)).deadlines} == expected


SETTLEMENT = """关于教材结算的通知
发布日期:2026-02-20
各学院：
教材结算时间地点安排如下。
黄海校区:2026年3月11日(星期三)上午8:30-12:00
2026年5月1日，学校迎来建校七十周年。
《关于2026年3月1日起调整作息时间的通知》另发。
2026年1月5日，教务处已印发了工作要点。
教务处
2026年2月20日
"""


def test_concrete_dates_without_an_act_are_candidates_but_stamps_titles_and_history_are_not(tmp_path: Path) -> None:
    """Whatever the words around it, a concrete future date is shown (ranked last); the page's own dates are not."""
    from calendar_svc.candidates import CUE_WITHOUT_ACTION, NO_ACTION

    found = found_in(tmp_path, SETTLEMENT, dt.date(2026, 2, 21)).deadlines
    assert [(d.status, as_day(d.end), d.doubt) for d in found] == [
        ("candidate", dt.date(2026, 3, 11), CUE_WITHOUT_ACTION),
        ("candidate", dt.date(2026, 5, 1), NO_ACTION),
    ]
    assert not any(d.visible for d in found)


def as_day(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def test_a_second_task_on_a_kept_day_for_other_doers_is_a_candidate(tmp_path: Path) -> None:
    from calendar_svc.candidates import OTHER_DOER

    text = (
        "关于城市联赛有关事宜的通知\n各有关单位：\n请各省体育部门于2026年3月10日前报送参赛确认表。\n"
        "有意愿申办分区赛的城市在3月10日前通过邮件报体总竞委会。\n"
        "体育总局办公厅\n2026年2月20日\n"
    )
    found = found_in(tmp_path, text, dt.date(2026, 2, 21)).deadlines
    assert [(d.status, d.source.line) for d in found] == [("extracted", 3), ("candidate", 4)]
    assert found[1].doubt == OTHER_DOER.format(who=found[1].who) and found[1].who != found[0].who


def test_another_item_of_a_numbered_list_on_a_kept_day_is_published_and_a_plain_restatement_is_one(tmp_path: Path) -> None:
    from calendar_svc.candidates import OTHER_ITEM

    # a deadline or a window in another item is published (tests/test_classify_precision.py, test_classify_cues.py)
    listed = "关于做好毕业答辩工作的通知\n各系：\n五、各系于2026年6月1日至6月5日将答辩安排报教务办。\n六、各系于2026年6月1日至6月5日在系统中分配好评阅教师。\n教务处\n2026年3月1日\n"
    found = found_in(tmp_path, listed, dt.date(2026, 3, 2)).deadlines
    assert [(d.status, d.source.line, d.doubt) for d in found] == [("extracted", 3, ""), ("extracted", 4, "")]
    assert OTHER_ITEM.format(item="六、") not in {d.doubt for d in found}
    restated = "关于做好毕业答辩工作的通知\n各系：\n请各系于2026年6月5日前将答辩安排报教务办。\n答辩安排报送截止时间：2026年6月5日。\n教务处\n2026年3月1日\n"
    assert [d.status for d in found_in(tmp_path, restated, dt.date(2026, 3, 2)).deadlines] == ["extracted"]


def test_a_time_label_with_a_closing_word_or_a_range_is_no_page_stamp(tmp_path: Path) -> None:
    """时间:2026年12月15日前 under a stage heading is shown; a 时间: stamp alone at the top of a page is not."""
    from calendar_svc.candidates import CUE_WITHOUT_ACTION

    text = "关于申报准备的通知\n时间:2026-09-06\n各系：\n三、部门论证阶段\n时间:2026年12月15日前\n四、校外论证阶段\n时间:2027年1月15日-1月25日\n科技处\n"
    found = found_in(tmp_path, text, dt.date(2026, 9, 7)).deadlines
    assert [(d.start, d.end, d.doubt) for d in found] == [
        (None, dt.date(2026, 12, 15), CUE_WITHOUT_ACTION),
        (dt.date(2027, 1, 15), dt.date(2027, 1, 25), CUE_WITHOUT_ACTION),
    ]


def test_a_turned_down_date_whose_year_is_guessed_keeps_both_reasons_and_its_rank(tmp_path: Path) -> None:
    from calendar_svc.candidates import CUE_WITHOUT_ACTION, rank_of

    text = "关于表彰的通知\n各学院：\n一、表彰结果\n时间节点:3月6日。\n"
    (record,) = found_in(tmp_path, text, dt.date(2026, 2, 21)).deadlines
    assert (record.status, record.end) == ("candidate", dt.date(2026, 3, 6))
    assert record.doubt == f"{CUE_WITHOUT_ACTION}；{YEAR_FROM_TODAY}"
    assert rank_of(record.doubt) == rank_of(CUE_WITHOUT_ACTION) > rank_of(YEAR_FROM_TODAY)


TEACHING = """2026届毕业生教学工作安排
各学院：
具体安排如下：
第12周末(5.24)前毕业设计结束，学生返校 |
5.25-5.31 第13周 | 学生提交毕业设计初稿 |
1.5mm方管 | 3.1前言 | 去年共有1.7万家企业 |
教务处
2026年3月20日
"""


def test_dates_written_month_dot_day_are_candidates_never_published(tmp_path: Path) -> None:
    """(5.24)前 and 5.25-5.31 第13周 are read for the reviewer; 1.5mm, 3.1前言 and 1.7万 are no dates.

    Under a schedule's header (日期 | 事宜) the date column's 5.25-5.31 is published instead (tables.py,
    tests/test_tables_layouts.py)."""
    from calendar_svc.candidates import UNUSUAL_FORM

    found = found_in(tmp_path, TEACHING, dt.date(2026, 3, 21)).deadlines
    assert [(d.status, d.start, d.end, d.doubt) for d in found] == [
        ("candidate", None, dt.date(2026, 5, 24), UNUSUAL_FORM.format(written="5.24")),
        ("candidate", dt.date(2026, 5, 25), dt.date(2026, 5, 31), UNUSUAL_FORM.format(written="5.25-5.31")),
    ]
    assert len({d.id for d in found}) == 2 and not any(d.visible for d in found)
    past = TEACHING.replace("2026年3月20日", "2026年6月20日")  # after the dates: history
    assert found_in(tmp_path, past, dt.date(2026, 6, 21)).deadlines == []


def test_the_queue_shows_the_likeliest_candidate_of_a_moment_first(tmp_path: Path) -> None:
    from dataclasses import replace

    from calendar_svc.candidates import NEAR_ACTION, NO_ACTION

    (base,) = [d for d in records(tmp_path) if d.status == "extracted"]
    unlikely = replace(base, id="0" * 16, status="candidate", doubt=NO_ACTION)  # sorts first by id
    likely = replace(base, id="f" * 16, status="candidate", doubt=NEAR_ACTION)
    assert [i.record.doubt for i in review_queue([unlikely, likely, base])] == ["", NEAR_ACTION, NO_ACTION]


def test_a_period_read_as_a_condition_in_a_sentence_that_names_an_act_is_a_candidate_but_a_holiday_is_not(tmp_path: Path) -> None:
    from calendar_svc.candidates import NO_ACTION, PERIOD_IN_CONDITION, rank_of
    from calendar_svc.doubts import DATE_IN_CONDITION, RESTATED, RANKS

    text = (
        "关于年度报告报送有关事项的公告\n各有关企业：\n请各企业于2026年7月31日前报送年度报告。"
        "2026年8月1日至9月30日期间被系统锁定的企业，仍可通过系统在线申报年度报告。\n"
        "二、2026年10月1日至7日放假7天，10月申报期限顺延至10月23日。\n某某中心\n2026年7月1日\n"
    )
    found = found_in(tmp_path, text, dt.date(2026, 7, 2)).deadlines
    assert [(d.status, d.start, d.end) for d in found if d.status == "candidate"] == [
        ("candidate", dt.date(2026, 8, 1), dt.date(2026, 9, 30)),
    ]
    assert [d.doubt for d in found if d.status == "candidate"] == [PERIOD_IN_CONDITION]
    # The catch-all comes after every reason that reads a date as a task; after it only the dates the rules
    # read as something else (a single date in a condition, a restatement), the least likely.
    assert rank_of(PERIOD_IN_CONDITION) < rank_of(NO_ACTION) < rank_of(DATE_IN_CONDITION) < rank_of(RESTATED) == max(RANKS.values())


@pytest.mark.parametrize(
    "line",
    ["作者:admin 时间:2026-03-02 浏览:120", "发布机构: | 区经信局 | 成文日期: | 2026-03-02 |", "某办函〔2026〕42号 2026-03-02"],
)
def test_a_pages_metadata_row_or_a_document_number_with_its_date_is_no_candidate(tmp_path: Path, line: str) -> None:
    text = f"关于开展调研的通知\n{line}\n各单位：\n请认真做好调研工作。\n某某局\n2026年3月1日\n"
    assert found_in(tmp_path, text, dt.date(2026, 3, 3)).deadlines == []
    dated = text.replace("请认真做好调研工作。", "调研时间:2026年3月20日前。")  # the body's own date is still shown
    assert [d.end for d in found_in(tmp_path, dated, dt.date(2026, 3, 3)).deadlines] == [dt.date(2026, 3, 20)]


NOTED_TWICE = "关于举办年会的通知\n各会员单位：\n一、年会定于3月20日在市会展中心举行。\n{between}会场座位于3月20日统一安排,请勿自行调换。\n某某协会\n2024年3月1日\n"


def test_a_day_the_net_keeps_twice_far_apart_is_shown_at_both(tmp_path: Path) -> None:
    """A reviewer sees a day once where it is stated together; stated again far below (more than APART lines), there too."""
    between = "二、会议内容\n交流年度工作经验。\n三、参会人员\n各单位负责人一名。\n四、其他\n"
    found = found_in(tmp_path, NOTED_TWICE.format(between=between), dt.date(2026, 12, 2)).deadlines
    assert [(d.status, d.source.line) for d in found] == [("candidate", 3), ("candidate", 9)]


def test_a_day_the_net_keeps_twice_close_together_is_shown_once(tmp_path: Path) -> None:
    found = found_in(tmp_path, NOTED_TWICE.format(between="二、"), dt.date(2026, 12, 2)).deadlines
    assert [(d.status, d.source.line) for d in found] == [("candidate", 3)]
