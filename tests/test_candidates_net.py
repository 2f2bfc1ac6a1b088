"""The candidate net's wider mesh: dates the rules never turn into a record, shown to a reviewer, never published.

Each class here was invisible before (neither published nor a candidate): a date in a
form the grammar does not read, a single date the rules read as a condition or the
organiser's step although an act is named, a day a record has that the notice states
first elsewhere or again far below, a task named with its day in the title, and the
periods and monthly rules of a notice without a date. Notices are of our own writing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calendar_svc.candidates import NO_ACTION, rank_of
from calendar_svc.dates import YearContext, resolve_range
from calendar_svc.dates.loose import loose_dates
from calendar_svc.doubts import DATE_IN_CONDITION, RESTATED, STATED_FIRST, TITLED, UNDATED_RULE, UNUSUAL_FORM
from calendar_svc.extract import extract

TODAY = dt.date(2026, 12, 2)
SIGNED = "某某局\n2026年3月1日\n"  # a Sunday


def found(tmp_path: Path, text: str, **options):
    path = tmp_path / "notice.txt"
    path.write_text(text, encoding="utf-8")
    return extract([str(path)], today=TODAY, **options)


def shown(tmp_path: Path, text: str) -> list[tuple]:
    return [(d.status, d.start, d.end, d.doubt) for d in found(tmp_path, text).deadlines]


# --- forms the grammar does not read -------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "written", "end"),
    [
        ("请各单位于5/31前报送申请表。", "5/31", dt.date(2026, 5, 31)),
        ("请于6月15前提交年度报告。", "6月15", dt.date(2026, 6, 15)),
        ("请于2026年6月15前提交年度报告。", "2026年6月15", dt.date(2026, 6, 15)),
        ("請於31/7/2026或之前遞交申請表。", "31/7/2026", dt.date(2026, 7, 31)),
        ("本月20日前完成网上填报。", "本月20日", dt.date(2026, 3, 20)),
        ("周四(26日)起开始接受申请。", "周四(26日)", dt.date(2026, 3, 26)),
        ("星期一（2日）前报送名单。", "星期一（2日）", dt.date(2026, 3, 2)),
    ],
)
def test_a_date_in_a_form_the_grammar_leaves_unread_is_a_candidate(tmp_path: Path, line: str, written: str, end: dt.date) -> None:
    text = f"关于报送材料的通知\n各单位：\n{line}\n{SIGNED}"
    assert shown(tmp_path, text) == [("candidate", None, end, UNUSUAL_FORM.format(written=written))]


@pytest.mark.parametrize(
    "line",
    ["名额的1/2用于青年教师。", "见附件第3.1节前言。", "厚度不低于1.5mm。", "本月工作已于上周完成。", "第1/3页", "5月31日前报送申请表。"],
)
def test_numbers_that_are_no_dates_and_dates_the_grammar_reads_give_no_unread_form(tmp_path: Path, line: str) -> None:
    text = f"关于报送材料的通知\n各单位：\n{line}\n{SIGNED}"
    assert not any(d.doubt.startswith("日期写作") for d in found(tmp_path, text).deadlines)


def test_an_unread_form_before_the_notice_is_history_and_in_an_undated_notice_takes_a_guessed_year(tmp_path: Path) -> None:
    from calendar_svc.doubts import YEAR_FROM_TODAY

    assert shown(tmp_path, f"关于报送材料的通知\n请于2/20前报送申请表。\n{SIGNED}") == []  # history
    undated = shown(tmp_path, "关于报送材料的通知\n请于5/31前报送申请表。\n本月20日前完成填报。\n")  # 本月: no month to read
    assert undated == [("candidate", None, dt.date(2027, 5, 31), f"{UNUSUAL_FORM.format(written='5/31')}；{YEAR_FROM_TODAY}")]


@given(st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)))
def test_every_day_written_in_a_loose_form_reads_back_as_itself(day: dt.date) -> None:
    anchor = day.replace(month=1, day=1)  # year-less forms take the notice's year
    for text in (f"请于{day.month}/{day.day}前报送", f"请于{day.month}月{day.day}前报送", f"请于{day.day}/{day.month}/{day.year}前报送",
                 f"请于{day.year}年{day.month}月{day.day}前报送"):
        (loose,) = loose_dates(text, anchor)
        _, end, _ = resolve_range(loose.mention.start, loose.mention.close, YearContext(anchor=anchor))
        assert end == day, text


@given(st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)), st.integers(0, 13))
def test_a_weekday_and_day_soon_after_the_notice_reads_back_as_that_day(day: dt.date, before: int) -> None:
    anchor = day - dt.timedelta(days=before)
    (loose,) = loose_dates(f"周{'一二三四五六日'[day.weekday()]}({day.day}日)起接受申请", anchor)
    assert (loose.mention.close.year, loose.mention.close.month, loose.mention.close.day) == (day.year, day.month, day.day)
    (loose,) = loose_dates(f"本月{anchor.day}日前完成", anchor)
    assert (loose.mention.close.month, loose.mention.close.day) == (anchor.month, anchor.day)


# --- dates the rules read as something else --------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    ["我处将于2026年3月31日组织专家评审，请各学院做好答辩准备。", "学校于2026年3月31日召开评审会，各学院提交答辩材料。"],
)
def test_a_date_read_as_the_organisers_step_in_a_sentence_that_names_an_act_is_a_candidate_of_the_last_ranks(
    tmp_path: Path, line: str
) -> None:
    assert shown(tmp_path, f"关于评审的通知\n各学院：\n{line}\n{SIGNED}") == [("candidate", None, dt.date(2026, 3, 31), DATE_IN_CONDITION)]
    assert rank_of(DATE_IN_CONDITION) > rank_of(NO_ACTION)


@pytest.mark.parametrize(
    "line",
    [
        "截至2026年4月30日，累计已有300家单位完成登记。",  # a count
        "2026年3月5日，我处已组织专家完成评审。",  # done
        "凡在2026年3月31日前成立的社会组织，均须参加年检。",  # whom the rule is for
    ],
)
def test_what_is_settled_by_a_date_stays_unshown(tmp_path: Path, line: str) -> None:
    assert shown(tmp_path, f"关于年检的通知\n各有关单位：\n{line}\n{SIGNED}") == []


def test_the_least_likely_candidate_comes_only_on_a_day_nothing_else_shows() -> None:
    from dataclasses import replace

    from feed_fixtures import MIIT, make

    from calendar_svc.candidates import unclaimed
    from calendar_svc.doubts import CUE_WITHOUT_ACTION

    day = dt.date(2026, 3, 31)
    label = make(MIIT, "deadline", who="各学院", what="报送", end=day, line=3, status="candidate", doubt=CUE_WITHOUT_ACTION)
    step = replace(make(MIIT, "deadline", who="评审专家", what="评审", end=day, line=4, status="candidate"), doubt=DATE_IN_CONDITION)
    other = replace(step, doubt=NO_ACTION)
    assert unclaimed([label, step], []) == [label]  # another doer, but the rules read it as the organiser's step
    assert unclaimed([label, other], []) == [label, other]  # another doer's task: both
    assert unclaimed([step], []) == [step]  # alone on its day: shown


# --- a day a record has, stated elsewhere ---------------------------------------------------------

BETWEEN = "一、征求意见稿全文见附件。\n二、联系人：王老师\n三、电话：12345678\n四、邮箱：a@b.cn\n"


def test_a_day_stated_first_far_above_the_record_that_has_it_is_shown_there(tmp_path: Path) -> None:
    text = f"关于征求意见的公告\n日期:2026年6月10日至2026年6月23日\n{BETWEEN}请社会各界于2026年6月23日前提出意见。\n某某局\n2026年6月10日\n"
    records = found(tmp_path, text).deadlines
    assert [(d.status, d.source.line) for d in records] == [("extracted", 7), ("candidate", 2)]
    assert records[1].doubt.endswith(STATED_FIRST.format(line=7))
    near = text.replace(BETWEEN, "")  # within three lines: one statement, one record
    assert [d.status for d in found(tmp_path, near).deadlines] == ["extracted"]


def test_a_restatement_far_below_its_record_is_shown_but_one_close_by_is_not(tmp_path: Path) -> None:
    text = f"关于报送材料的通知\n各学院：\n请各学院于2026年4月10日前报送推荐材料。\n{BETWEEN}各学院须于2026年4月10日前报送推荐材料。\n{SIGNED}"
    assert [(d.status, d.source.line, d.doubt) for d in found(tmp_path, text).deadlines] == [
        ("extracted", 3, ""),
        ("candidate", 8, RESTATED.format(line=3)),
    ]
    assert [d.status for d in found(tmp_path, text.replace(BETWEEN, "")).deadlines] == ["extracted"]


# --- the title ------------------------------------------------------------------------------------


def test_a_task_named_with_its_day_in_the_title_is_a_candidate_unless_the_body_gives_that_day(tmp_path: Path) -> None:
    body = "各学院：\n为做好决算工作，现将有关事项通知如下。\n"
    titled = f"关于2026年5月31日前报送科研经费决算表的通知\n{body}{SIGNED}"
    ((status, _, end, doubt),) = shown(tmp_path, titled)
    assert (status, end, doubt) == ("candidate", dt.date(2026, 5, 31), TITLED.format(why="规则未认定为截止日期，但同句有办理动作"))
    assert [d.source.line for d in found(tmp_path, titled.replace(body, body + "请于2026年5月31日前报送决算表。\n")).deadlines] == [4]
    assert shown(tmp_path, f"2026年3月20日专家评审结果公示\n经专家评审，现将结果公示如下。\n{SIGNED}") == []  # no act named


# --- a notice without a date ----------------------------------------------------------------------

UNDATED = "关于报送项目进展的通知\n各项目单位：\n项目单位应于每月5日前报送项目进展情况。\n请自本通知印发之日起30日内报送项目申报书。\n"


def test_an_undated_notices_monthly_rule_and_period_are_candidates_counted_from_the_day_of_extraction(tmp_path: Path) -> None:
    result = found(tmp_path, UNDATED)
    doubt = UNDATED_RULE.format(day="2026年12月2日")
    assert sorted((d.status, d.end, d.start, d.repeat, d.doubt) for d in result.deadlines) == [
        ("candidate", dt.date(2026, 12, 5), None, "FREQ=MONTHLY;BYMONTHDAY=5;UNTIL=20261231", doubt),
        ("candidate", dt.date(2027, 1, 1), dt.date(2026, 12, 2), "", doubt),
    ]
    assert len(result.problems) == 2 and all("--date" in str(p) for p in result.problems)
    dated = found(tmp_path, UNDATED, reference=dt.date(2026, 3, 1)).deadlines  # --date: counted from it, published
    assert sorted((d.status, d.end) for d in dated) == [("extracted", dt.date(2026, 3, 5)), ("extracted", dt.date(2026, 3, 31))]


# --- a weekday said in words dates a notice without a year -----------------------------------------


@pytest.mark.parametrize("said", ["12月15日为星期日", "12月15日是周日", "12月15日適逢星期日"])
def test_a_weekday_said_of_a_date_gives_the_year_of_a_notice_that_names_none(tmp_path: Path, said: str) -> None:
    from calendar_svc.doubts import YEAR_FROM_WEEKDAYS

    text = f"3月申报纳税期限截至3月15日。\n{said}，申报纳税期限顺延至12月16日。\n"
    records = found(tmp_path, text).deadlines
    assert {(d.end, d.doubt) for d in records} >= {
        (dt.date(2024, 3, 15), YEAR_FROM_WEEKDAYS.format(year=2024)),  # the latest year up to next year: 2024
        (dt.date(2024, 12, 16), YEAR_FROM_WEEKDAYS.format(year=2024)),
    }


# --- one day, several things to do ----------------------------------------------------------------


def test_a_restatement_of_a_day_that_asks_for_another_thing_is_a_candidate(tmp_path: Path) -> None:
    from calendar_svc.doubts import OTHER_TASK

    # (each under a label of its own, 营业税申报期限:…, they are records: tests/test_classify_cues.py)
    text = ("关于申报期限的通知\n增值税申报截至1月18日;消费税申报截至1月18日;"
            "房产税申报截至1月18日;消费税申报截至1月18日。\n某某局\n2025年12月20日\n")
    records = found(tmp_path, text).deadlines
    assert [(d.status, d.what) for d in records if d.end == dt.date(2026, 1, 18)] == [
        ("extracted", "增值税申报"), ("candidate", "消费税申报"), ("candidate", "房产税申报"),  # the second 消费税 is a restatement
    ]
    assert [d.doubt for d in records if d.status == "candidate" and d.end == dt.date(2026, 1, 18)] == [
        OTHER_TASK.format(what="消费税申报"), OTHER_TASK.format(what="房产税申报"),
    ]


def test_a_months_end_the_rules_turned_down_is_a_candidate_but_a_years_end_goal_is_not(tmp_path: Path) -> None:
    month = shown(tmp_path, f"关于供款的通知\n各雇主：\n雇主需于一月底前在社保系统完成登记。\n{SIGNED}".replace("2026年3月1日", "2025年12月20日"))
    assert [(status, end) for status, _, end, _ in month] in ([("candidate", dt.date(2026, 1, 31))], [("extracted", dt.date(2026, 1, 31))])
    assert shown(tmp_path, f"关于规划的通知\n各单位：\n到2027年底，全省完成数字化改造。\n{SIGNED}") == []


def test_a_tax_calendars_slashed_ranges_are_candidates_without_a_closing_word(tmp_path: Path) -> None:
    text = f"国税定期性工作项目\n1/1~1/5 小规模营业人申报进项凭证。 2/13~2/22 小规模营业人缴纳营业税。 5/1~6/30 所得税结算申报。\n{SIGNED}"
    text = text.replace("2026年3月1日", "2025年12月20日")
    assert [(s, start, end) for s, start, end, _ in shown(tmp_path, text)] == [
        ("candidate", dt.date(2026, 1, 1), dt.date(2026, 1, 5)),
        ("candidate", dt.date(2026, 2, 13), dt.date(2026, 2, 22)),
        ("candidate", dt.date(2026, 5, 1), dt.date(2026, 6, 30)),
    ]
    assert shown(tmp_path, f"国税2026年度1/1~12/31定期性工作项目\n各单位：\n{SIGNED}") == []  # the year itself
    assert shown(tmp_path, f"关于2026年4/1~4/30申报工作安排的通知\n各单位：\n{SIGNED}") == []  # the title's span


def test_an_unread_form_in_a_notice_without_a_year_takes_the_guessed_one(tmp_path: Path) -> None:
    from calendar_svc.doubts import YEAR_FROM_LATER

    ((status, _, end, doubt),) = shown(tmp_path, "各作者：\n须于投稿截止日(5/27)前完成线上投稿。\n另：2024年会议安排另行通知。\n")
    assert (status, end) == ("candidate", dt.date(2024, 5, 27))
    assert doubt == f"{UNUSUAL_FORM.format(written='5/27')}；{YEAR_FROM_LATER.format(year=2024)}"


# --- a bilingual page that writes its year only in English ------------------------------------------


@pytest.mark.parametrize(
    ("english", "year"),
    [
        ("Young scholars must be under age of 36 by Dec 31, 2024.", 2024),
        ("The submission should be completed by 27 May 2025.", 2025),
        ("Applicants should hold the student status in 2023.", 2023),
        ("Deadline: September 30th, 2022", 2022),
    ],
)
def test_a_year_written_only_in_the_english_lines_dates_an_unread_form(tmp_path: Path, english: str, year: int) -> None:
    from calendar_svc.doubts import YEAR_FROM_ENGLISH

    text = f"競賽規則\n\n參賽者須於投稿截止日(5/27)前完成線上投稿。\n\n{english}\n"
    assert shown(tmp_path, text) == [
        ("candidate", None, dt.date(year, 5, 27), f"{UNUSUAL_FORM.format(written='5/27')}；{YEAR_FROM_ENGLISH.format(year=year)}")
    ]


@pytest.mark.parametrize("english", ["Room 2024 is on the second floor.", "Call 2024 1234 for help.", "Page 2 of 2024"])
def test_a_number_that_is_no_year_in_english_words_leaves_the_guess_to_the_day_of_extraction(tmp_path: Path, english: str) -> None:
    from calendar_svc.doubts import YEAR_FROM_TODAY

    text = f"競賽規則\n\n參賽者須於投稿截止日(5/27)前完成線上投稿。\n\n{english}\n"
    (record,) = found(tmp_path, text).deadlines
    assert (record.end, record.doubt.endswith(YEAR_FROM_TODAY)) == (dt.date(2027, 5, 27), True)


@pytest.mark.parametrize("line", ["參賽者須於投稿截止日(5/27)前完成線上投稿。", "請於5/31前遞交報名表格。", "報名時間:6月15前截止。"])
def test_an_unread_form_in_traditional_characters_is_quoted_as_written(tmp_path: Path, line: str) -> None:
    (record,) = found(tmp_path, f"關於報名的通知\n{line}\n某某協會\n2026年3月1日\n").deadlines
    assert record.quote == line.rstrip("。") or record.quote == line
