"""Years of dates that omit them (issue 15, years): notices of our own making, several variants each."""

from __future__ import annotations

import datetime as dt

import pytest

from calendar_svc.classify import classify_notice
from calendar_svc.notices import split_notices


def published(text: str, reference: dt.date | None = None) -> list[tuple[str, object, object]]:
    found = []
    for notice in split_notices(text, "n.txt"):
        deadlines, _ = classify_notice(notice, reference)
        found += [(d.kind, d.start, d.end) for d in deadlines if d.actionable and d.status != "candidate"]
    return found


# --- a 年度 label naming the year under review: its filings fall in the year after it ------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("全县社会团体2020年度检查工作现已开始，凡于2020年12月31日前登记成立的社会团体，均应于5月31日前报送年度工作报告书。",
         dt.date(2021, 5, 31)),
        ("区民政局决定对民办非企业单位2022年年度检查实行网上申报，各单位须在4月30日前上传年检材料。",
         dt.date(2023, 4, 30)),
        ("2019年度企业所得税汇算清缴工作开始。纳税人应于5月31日前完成年度申报。", dt.date(2020, 5, 31)),
        ("为做好2023年度用人单位劳动保障书面审查工作，请各用人单位于9月30日前完成网上申报。", dt.date(2024, 9, 30)),
        ("2021年度报告公示工作启动，各市场主体应于6月30日前报送年度报告。", dt.date(2022, 6, 30)),
    ],
    ids=["年度检查", "年年度检查", "汇算清缴", "书面审查", "年度报告"],
)
def test_a_year_under_review_dates_its_filings_in_the_next_year(body: str, expected: dt.date) -> None:
    text = "各有关单位：\n" + body + "\n"
    assert published(text) == [("deadline", None, expected)]


def test_a_date_of_the_year_under_review_told_with_its_label_is_its_scope() -> None:
    """从2023年1月1日至2023年12月31日期间 is the year reviewed, not the year of the filings."""
    body = ("2023年度审查的是用人单位从2023年1月1日至2023年12月31日期间遵守劳动法规的情况。\n"
            "请各用人单位于本通知发布之日起至6月30日期间完成书面审查申报。")
    assert published("关于开展2024年劳动保障书面审查的通知\n各用人单位：\n" + body + "\n") == [
        ("deadline", None, dt.date(2024, 6, 30))
    ]


@pytest.mark.parametrize(
    ("title", "line", "expected"),
    [
        # a programme's year and a year's summary are not years under review
        ("关于组织申报2025年度科技计划项目的通知", "请于3月31日前提交申报书。", dt.date(2025, 3, 31)),
        ("关于报送2023年度工作总结的通知", "请各科室于12月20日前提交2023年度工作总结。", dt.date(2023, 12, 20)),
        ("关于开展2024年度高新技术企业认定工作的通知", "请企业于6月15日前完成网上申报。", dt.date(2024, 6, 15)),
    ],
)
def test_a_programme_year_is_not_a_year_under_review(title: str, line: str, expected: dt.date) -> None:
    assert published(f"{title}\n各有关单位：\n{line}\n") == [("deadline", None, expected)]


def test_a_year_under_review_does_not_move_a_notice_dated_after_it() -> None:
    text = "关于开展2023年度检查的通知\n各社会组织：\n请于5月31日前报送年度工作报告书。\n某某区民政局\n2024年3月1日\n"
    assert published(text) == [("deadline", None, dt.date(2024, 5, 31))]


# --- a notice late in one year about the next year's calendar ----------------------------------


@pytest.mark.parametrize(
    ("line", "signed", "expected"),
    [
        ("一、3月、7月、12月申报纳税期限分别截至当月15日。", "2024年12月5日",
         [dt.date(2025, 3, 15), dt.date(2025, 7, 15), dt.date(2025, 12, 15)]),
        ("1月、4月、10月申报纳税期限分别截至当月15日。", "2024年11月1日",
         [dt.date(2025, 1, 15), dt.date(2025, 4, 15), dt.date(2025, 10, 15)]),
        ("二、5月和11月的申报期限分别截止到当月20日。", "2024年11月10日",
         [dt.date(2025, 5, 20), dt.date(2025, 11, 20)]),
        # an ordinary notice early in the year: the list stays in its year
        ("3月、6月、9月、12月申报纳税期限分别截至当月15日。", "2024年1月10日",
         [dt.date(2024, 3, 15), dt.date(2024, 6, 15), dt.date(2024, 9, 15), dt.date(2024, 12, 15)]),
    ],
)
def test_the_months_of_a_list_run_forward_from_one_rolled_into_next_year(line: str, signed: str, expected) -> None:
    text = f"关于明确申报纳税期限的通知\n各区税务局：\n{line}\n国家税务总局某某市税务局\n{signed}\n"
    assert [end for _, _, end in published(text)] == expected


# --- a news item about next year's money, told the day after: not rolled into next year ----------


@pytest.mark.parametrize("stamp", ["日期:2024-11-20 15:44:24", "时间：2024-11-20 09:30", "日期: 2024-11-20"])
def test_a_plain_year_label_does_not_roll_a_date_told_just_before_the_page_stamp(stamp: str) -> None:
    text = (f"区科技局积极申报2025年省级科技项目\n{stamp}\n为争取2025年省级科技项目资金，区科技局近期加班组织申报。\n"
            "11月18日,所有项目纸质材料统一报送市科技局。\n")
    (notice,) = split_notices(text, "n.txt")
    assert notice.date == dt.date(2024, 11, 20)
    assert published(text) == []


def test_a_time_label_below_the_salutation_is_no_page_stamp() -> None:
    text = "关于报送材料的通知\n各学院：\n时间:2024-03-15\n请各学院报送汇总表。\n"
    (notice,) = split_notices(text, "n.txt")
    assert notice.date is None


# --- a closing date written in the year before the notice's 文号, in a notice without a date ----


def records(text: str):
    found, problems = [], []
    for notice in split_notices(text, "n.txt"):
        deadlines, notes = classify_notice(notice)
        found += [d for d in deadlines if d.actionable and d.status != "candidate"]
        problems += notes
    return found, problems


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("某大教函〔2024〕21号\n各学院:\n一、申报程序\n2.申报截止时间:2023年3月20日。\n教务处\n", dt.date(2024, 3, 20)),
        ("关于组织学科竞赛申报的通知\n某大教函〔2024〕21号\n各学院:\n请于2023年4月10日前报送申报书。\n", dt.date(2024, 4, 10)),
        ("关于组织学科竞赛申报的通知\n某科发〔2024〕3号\n各单位:\n申报截止日期为2023年5月8日。\n", dt.date(2024, 5, 8)),
    ],
)
def test_a_closing_date_a_year_before_the_doc_number_is_read_in_its_year_and_reported(text: str, expected) -> None:
    (record,), problems = records(text)
    assert record.end == expected
    assert any("早于文号" in str(p) for p in problems)


@pytest.mark.parametrize(
    "text",
    [
        # two years back: not a slip of one digit
        "关于组织学科竞赛申报的通知\n某大教函〔2024〕21号\n各学院:\n请于2022年4月10日前报送申报书。\n",
        # the notice's own date says when it was issued
        "关于组织学科竞赛申报的通知\n某大教函〔2024〕21号\n各学院:\n请于2023年4月10日前报送申报书。\n教务处\n2023年3月1日\n",
    ],
)
def test_other_years_before_the_doc_number_are_read_as_written(text: str) -> None:
    (record,), problems = records(text)
    assert record.end.year in (2022, 2023) and not any("早于文号" in str(p) for p in problems)


# --- a repost: the page's stamp is later than the year its title names ------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("更新时间:2018-08-19 09:55作者:王老师\n2016淮北相山区小学报名条件及报名须知\n"
         "(1)小学一年级报名时间:7月6日-10日。报名时需提交户口本等材料。\n",
         ("window", dt.date(2016, 7, 6), dt.date(2016, 7, 10))),
        ("发布时间：2021-03-02\n2019年东城区幼儿园招生简章\n请家长于5月20日前在网上提交报名信息。\n",
         ("deadline", None, dt.date(2019, 5, 20))),
        ("来源:本地宝 发布日期:2020-01-05\n2017春季转学办理指南\n各校应于2月15日前报送转学名单。\n",
         ("deadline", None, dt.date(2017, 2, 15))),
        ("2015年新生入学工作安排\n录入时间:2019年6月1日\n请各小学于6月30日前报送新生名册。\n",
         ("deadline", None, dt.date(2015, 6, 30))),
    ],
    ids=["更新时间-须知", "发布时间-简章", "发布日期-指南", "录入时间-安排"],
)
def test_the_title_year_dates_a_repost_not_its_later_page_stamp(text: str, expected) -> None:
    assert published(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "发布时间：2019-03-02\n2019年幼儿园招生简章\n请家长于5月20日前在网上提交报名信息。\n",
        "发布时间：2019-03-02\n2020年春季幼儿园招生简章\n请家长于5月20日前在网上提交报名信息。\n",
    ],
    ids=["same-year", "title-later"],
)
def test_a_stamp_no_later_than_the_title_year_still_dates_the_notice(text: str) -> None:
    assert published(text) == [("deadline", None, dt.date(2019, 5, 20))]


# --- holiday breaks a year-less notice lists name its year (the State Council's arrangement) ------


def kept_records(text: str) -> list:
    found = []
    for notice in split_notices(text, "n.txt"):
        deadlines, _ = classify_notice(notice, None, dt.date(2026, 12, 2))
        found += [d for d in deadlines if d.actionable]
    return found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("各纳税人：\n2月4日至10日春节放假7天，申报纳税期限顺延至2月20日。\n"
         "10月1日至7日国庆放假7天，申报纳税期限顺延至10月22日。\n", [dt.date(2019, 2, 20), dt.date(2019, 10, 22)]),
        ("办税提醒\n6月12日至14日放假，9月19日至21日放假。请于6月25日前完成5月所属期的申报。\n",
         [dt.date(2021, 6, 25)]),
        ("征期安排\n5月1日至5日放假5天，本月申报期限延长至5月20日。\n10月1日至7日休假，本月申报期限延长至10月25日。\n"
         "2月11日至17日放假7天，申报期限延长至2月24日。\n", [dt.date(2021, 5, 20), dt.date(2021, 10, 25), dt.date(2021, 2, 24)]),
    ],
    ids=["两段假期", "同一行", "三段假期"],
)
def test_breaks_that_fit_one_year_date_a_yearless_notice(text: str, expected: list[dt.date]) -> None:
    found = kept_records(text)
    assert [d.end for d in found if d.status != "candidate"] == expected
    assert all("节假日安排" in d.year_guess for d in found if d.status != "candidate")


@pytest.mark.parametrize(
    "text",
    [
        "各纳税人：\n10月1日至7日放假7天，申报纳税期限顺延至10月22日。\n",  # one break fits many years
        "各纳税人：\n2月3日至9日放假，申报期限顺延至2月20日。\n10月2日至8日放假，申报期限顺延至10月22日。\n",  # no year has both
    ],
    ids=["一段假期", "不合任何年份"],
)
def test_breaks_that_fit_no_single_year_leave_the_year_a_guess(text: str) -> None:
    found = kept_records(text)
    assert found and all(d.status == "candidate" for d in found)


def test_a_written_year_wins_over_the_breaks() -> None:
    text = ("2023年申报纳税期限\n各纳税人：\n2月4日至10日放假7天，申报纳税期限顺延至2月20日。\n"
            "10月1日至7日放假7天，申报纳税期限顺延至10月22日。\n")
    assert [d.end for d in kept_records(text) if d.status != "candidate"] == [dt.date(2023, 2, 20), dt.date(2023, 10, 22)]


def test_each_years_own_breaks_name_that_year_alone() -> None:
    """Property: the breaks of any covered year, as its arrangement has them, are told back as that year."""
    from calendar_svc.workdays import _day_kind, covered_years, years_of_breaks

    first, last = covered_years()
    for year in range(first + 1, last):
        breaks, run = [], []
        day = dt.date(year, 1, 1)
        while _day_kind(day).rest_day:  # a break from the year before runs on: start after it
            day += dt.timedelta(days=1)
        while day.year == year:  # a break still open on 31 December is left out, as it ends next year
            kind = _day_kind(day)
            if kind.rest_day:
                run.append(kind)
                if len(run) == 1:
                    opening = day
            else:
                if any(k.holiday for k in run):
                    closing = day - dt.timedelta(days=1)
                    breaks.append(((opening.month, opening.day), (closing.month, closing.day)))
                run = []
            day += dt.timedelta(days=1)
        assert years_of_breaks(breaks, last) == [year], year


# --- an age reached by a birth date names the year of an enrolment notice --------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("一、登记对象:年满6周岁(2015年8月31日及以前出生)的儿童。\n二、登记时间:3月25日至3月27日,请家长到社区完成登记。",
         [("window", dt.date(2021, 3, 25), dt.date(2021, 3, 27))]),
        ("招生对象:年满三周岁（2019年9月1日至2020年8月31日出生）的幼儿。\n请家长于5月20日前登录系统提交报名信息。",
         [("deadline", None, dt.date(2023, 5, 20))]),
        ("凡2016年8月31日前出生、年满6周岁的适龄儿童,均应于4月30日前到户籍所在地学校报名。",
         [("deadline", None, dt.date(2022, 4, 30))]),
    ],
    ids=["年满6周岁(…及以前出生)", "满三周岁（…至…出生）", "…前出生、年满6周岁"],
)
def test_an_age_reached_by_a_birth_date_names_the_notices_year(body: str, expected: list) -> None:
    assert published("各位家长：\n" + body + "\n") == expected


@pytest.mark.parametrize(
    "body",
    [
        "招生对象:2015年8月31日前出生的儿童。\n请家长于5月20日前登录系统提交报名信息。",  # no age: the birth year dates nothing
        "招生对象:未满6周岁(2015年8月31日以后出生)的儿童不予登记。\n请家长于5月20日前登录系统提交报名信息。",  # 未满
    ],
    ids=["无年龄", "未满"],
)
def test_a_birth_date_without_an_age_reached_dates_nothing(body: str) -> None:
    assert published("各位家长：\n" + body + "\n") == []


# --- a year inside a document's name (《2021年度…汇总表》) is what the document is about --------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("兑现2021年度专项资金\n各镇招商中心:\n一、网上申报截止时间为2022年10月28日,逾期不予受理。\n"
         "二、请各板块填报《2021年度专项资金申报汇总表》,于11月10日前报送至区商务局。\n",
         [dt.date(2022, 10, 28), dt.date(2022, 11, 10)]),
        ("项目申报\n各单位:\n系统自2024年3月1日起受理申报。请对照《2023年度科技计划项目管理办法》,于4月15日前提交申报书。\n",
         [dt.date(2024, 4, 15)]),
        ("关于做好项目申报的通知\n各单位:\n请按《2024年度项目申报指南》要求,于5月10日前提交申报书。\n", [dt.date(2024, 5, 10)]),
        ("关于2024年项目申报的通知\n各单位:\n请按《2023年度项目管理办法》要求,于5月10日前提交申报书。\n", [dt.date(2024, 5, 10)]),
    ],
    ids=["其前写明的日期", "其前写明的起始日", "只有书名中的年份", "标题年份"],
)
def test_a_year_in_a_documents_name_dates_nothing_when_another_year_does(text: str, expected: list) -> None:
    assert [end for kind, _, end in published(text) if kind == "deadline"] == expected


# --- a yearly rule (每年3月15日前) takes its occurrence from a year written after it -----------------


def test_a_yearly_rule_takes_the_year_written_after_it() -> None:
    text = "各排污单位：\n企业应于每年3月15日前披露上一年度环境信息报告。为保证质量，请于2024年3月5日前将报告上传至系统。\n"
    assert sorted(end for _, _, end in published(text)) == [dt.date(2024, 3, 5), dt.date(2024, 3, 15)]
    assert sorted(d.end for d in kept_records(text) if d.status != "candidate") == [dt.date(2024, 3, 5), dt.date(2024, 3, 15)]


@pytest.mark.parametrize(
    "text",
    [
        "各排污单位：\n企业应于3月15日前披露上一年度环境信息报告。请于2024年3月5日前将报告上传至系统。\n",  # no 每年
        "各排污单位：\n企业应于每年3月15日前披露上一年度环境信息报告。\n",  # no year written anywhere
    ],
    ids=["非每年", "无年份"],
)
def test_a_date_without_a_yearly_rule_or_a_written_year_stays_a_candidate(text: str) -> None:
    assert [d for d in kept_records(text) if d.end.month == 3 and d.end.day == 15 and d.status != "candidate"] == []


# --- weekdays stated often enough, fitting a year beside today's, settle it ------------------------


def dated_by(text: str, today: dt.date) -> list[tuple[dt.date, str]]:
    found = []
    for notice in split_notices(text, "n.txt"):
        deadlines, _ = classify_notice(notice, None, today)
        found += [(d.end, d.status) for d in deadlines if d.actionable]
    return found


TIMETABLE = "学位工作安排\n1.学位论文提交:1月17日(周五)前\n2.学位论文答辩:3月3日(周一)前\n3.学位材料提交到院系:4月3日(周四)前\n"


@pytest.mark.parametrize("today", [dt.date(2025, 1, 2), dt.date(2025, 12, 30), dt.date(2026, 6, 1)])
def test_three_weekdays_that_fit_a_year_next_to_todays_settle_it(today: dt.date) -> None:
    assert dated_by(TIMETABLE, today) == [
        (dt.date(2025, 1, 17), "extracted"), (dt.date(2025, 3, 3), "extracted"), (dt.date(2025, 4, 3), "extracted"),
    ]


@pytest.mark.parametrize(
    ("text", "today"),
    [
        (TIMETABLE, dt.date(2028, 6, 1)),  # 2025, three years back, is the latest fit: an old timetable may share a calendar
        ("学位工作安排\n1.学位论文提交:1月17日(周五)前\n2.学位论文答辩:3月3日(周一)前\n", dt.date(2025, 6, 1)),  # two only
        (TIMETABLE.replace("4月3日(周四)", "4月3日(周五)"), dt.date(2025, 6, 1)),  # one does not fit
    ],
    ids=["远离今年", "只有两个星期", "有一个不符"],
)
def test_fewer_or_unfitting_weekdays_or_a_far_year_leave_a_guess(text: str, today: dt.date) -> None:
    assert all(status == "candidate" for _, status in dated_by(text, today))


# --- the issuer's act told as done dates nothing itself, but its year is the notice's own time -------


@pytest.mark.parametrize(
    "body",
    [
        "2024年3月1日,我局印发了《项目管理办法》。请各单位于3月20日前提交申报书。",
        "2024年3月1日,市科技局发布关于开展项目申报工作的通知,请各单位于3月20日前提交申报书。",
        "2024年3月1日,省工信厅印发《专项资金管理办法》。请各单位于3月20日前提交申报书。",
    ],
    ids=["我局印发了", "市科技局发布关于", "省工信厅印发《"],
)
def test_a_past_act_of_the_issuer_is_no_deadline_but_dates_the_yearless_ones(body: str) -> None:
    assert published("各有关单位：\n" + body + "\n") == [("deadline", None, dt.date(2024, 3, 20))]


def test_an_announced_act_is_not_told_as_done() -> None:
    body = "请各单位于2024年3月20日前提交申报书。3月25日,市科技局将发布关于评审结果的公告。"
    assert published("各有关单位：\n" + body + "\n") == [("deadline", None, dt.date(2024, 3, 20))]
