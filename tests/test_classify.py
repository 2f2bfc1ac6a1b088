"""Actionable vs incidental: notices of our own making, one phrasing per test."""

from __future__ import annotations

import datetime as dt

import pytest

from calendar_svc.classify import classify_notice
from calendar_svc.model import SHANGHAI
from calendar_svc.notices import split_notices

SIGNED = "\n工业和信息化部办公厅\n2024年7月31日\n"


def extract(body: str, *, signed: str = SIGNED, reference: dt.date | None = None):
    text = "关于组织开展2024年度示范项目申报工作的通知\n各有关单位:\n" + body + "\n" + signed
    (notice,) = split_notices(text, "notice.txt")
    deadlines, problems = classify_notice(notice, reference)
    return [d for d in deadlines if d.status != "candidate"], problems  # published; candidates: test_candidates.py


def one(body: str, **kwargs):
    deadlines, problems = extract(body, **kwargs)
    assert not problems, problems
    assert len(deadlines) == 1, [(d.kind, d.end, d.quote) for d in deadlines]
    return deadlines[0]


def none_in(body: str, **kwargs) -> None:
    deadlines, _ = extract(body, **kwargs)
    assert [(d.kind, d.start, d.end) for d in deadlines if d.actionable] == []


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


def test_window_with_times_and_omitted_year_on_the_right() -> None:
    d = one("项目申报单位网上填报申报书的受理时间为: 2024年8月26日8:00至9月27日16:00。")
    assert (d.kind, d.start, d.end, d.all_day) == ("window", at(2024, 8, 26, 8), at(2024, 9, 27, 16), False)
    assert d.who == "项目申报单位"
    assert d.what == "网上填报申报书"
    assert d.quote == "项目申报单位网上填报申报书的受理时间为: 2024年8月26日8:00至9月27日16:00。"
    assert d.source.line == 3


def test_deadline_with_pdf_spaces_and_time() -> None:
    d = one("请各推荐单位于 2024 年 9 月 30 日 16:00 前通过国科管系统逐项确认推荐项目。")
    assert (d.kind, d.end, d.start) == ("deadline", at(2024, 9, 30, 16), None)
    assert d.who == "各推荐单位"
    assert d.what.startswith("通过国科管系统逐项确认推荐项目")


def test_all_day_deadline_after_a_cue() -> None:
    d = one("请各单位通过管理系统进行申报,截止日期为 2024 年 9月16日。")
    assert (d.kind, d.end, d.all_day) == ("deadline", dt.date(2024, 9, 16), True)
    assert d.who == "各单位"
    assert "申报" in d.what


def test_year_omitted_is_inferred_from_the_signing_date() -> None:
    d = one("地方工信部门对企业申报信息进行初核推荐后,于 9 月 15 日前将初核通过名单报送至工业和信息化部。")
    assert d.end == dt.date(2024, 9, 15)
    assert d.year_guess == "年份取发文日期（2024年7月31日）"  # Chinese, the date as people write it
    assert d.who == "地方工信部门"


def test_year_after_a_december_notice_is_next_year() -> None:
    d = one("请于1月15日前报送年度总结。", signed="\n某某市科学技术局\n2024年12月30日\n")
    assert d.end == dt.date(2025, 1, 15)


def test_reference_date_serves_a_notice_without_date() -> None:
    deadlines, problems = extract("请于10月31日前提交材料。", signed="", reference=dt.date(2024, 9, 1))
    assert [d.end for d in deadlines] == [dt.date(2024, 10, 31)]
    assert "参考日期（--date）" in deadlines[0].year_guess


def test_year_unknown_is_a_problem_not_a_guess() -> None:
    text = "各有关单位:\n请于10月31日前提交材料。\n"
    (notice,) = split_notices(text, "undated.txt")
    deadlines, problems = classify_notice(notice)
    assert deadlines == []
    assert len(problems) == 1 and "undated.txt:2" in str(problems[0]) and "--date" in str(problems[0])


def test_chinese_numeral_date() -> None:
    d = one("请于二〇二四年十月三十一日前将申报材料报送至科技处。")
    assert d.end == dt.date(2024, 10, 31)


def test_full_width_digits() -> None:
    d = one("请于２０２４年１０月３１日１７：００前提交申请书。")
    assert d.end == at(2024, 10, 31, 17)


def test_afternoon_hour() -> None:
    d = one("请于2024年9月20日下午5点前将纸质材料报送至规划司。")
    assert d.end == at(2024, 9, 20, 17)


def test_24_hours() -> None:
    d = one("在线缴费截止时间为2024年8月3日24时。")
    assert d.end == at(2024, 8, 3, 23, 59)


def test_from_now_until() -> None:
    d = one("即日起至2024年9月15日,各单位可登录系统提交申请。")
    assert (d.kind, d.start, d.end) == ("window", dt.date(2024, 7, 31), dt.date(2024, 9, 15))


def test_start_and_end_in_one_sentence_make_one_window() -> None:
    d = one("申报起 始时间为 2024 年 8 月 1 日,截止时间为 2024 年 8 月 31 日。")
    assert (d.kind, d.start, d.end) == ("window", dt.date(2024, 8, 1), dt.date(2024, 8, 31))


def test_start_only() -> None:
    d = one("系统将于2024年8月15日起开放网上申报。")
    assert (d.kind, d.start, d.end) == ("start", dt.date(2024, 8, 15), None)


def test_month_end() -> None:
    d = one("请各区县于9月底前完成项目申报书填报。")
    assert d.end == dt.date(2024, 9, 30)


@pytest.mark.parametrize("aside", ["(含)", "（含当日）", "(以邮戳为准)"])
def test_aside_between_date_and_cue(aside: str) -> None:
    d = one(f"请于2024年9月30日{aside}前将纸质材料寄送至规划司。")
    assert d.end == dt.date(2024, 9, 30)


def test_adjusted_deadline() -> None:
    d = one("线下纸质材料提交截止时间调整为2024年9月5日17:30(报送地点不变)。")
    assert d.end == at(2024, 9, 5, 17, 30)


def test_same_day_at_two_times_is_two_deadlines() -> None:
    deadlines, _ = extract(
        "申报时间延至2024年9月14日15时整。\n请各市科协于2024年9月14日23时前完成推荐工作。"
    )
    assert [d.end for d in deadlines] == [at(2024, 9, 14, 15), at(2024, 9, 14, 23)]


def test_labelled_period_on_its_own_line_is_a_window() -> None:
    d = one("受理时间:\n2024年9月15日-2024年10月13日(工作日)\n请申请人携带材料到窗口办理。")
    assert (d.kind, d.start, d.end) == ("window", dt.date(2024, 9, 15), dt.date(2024, 10, 13))


def test_schedule_table_cells_under_an_action_row() -> None:
    deadlines, _ = extract(
        "时间节点 | 第一批 | 第二批 |\n"
        "1.学位论文提交 | 博士:9月13日(周五) | 博士:11月8日(周五) |\n"
        "硕士:9月20日(周五) | 硕士:11月15日(周五) | |\n"
        "2.专家评审 | 10月9日(周三) | 12月2日(周一) |"
    )
    assert [(d.who, d.what, d.end) for d in deadlines] == [
        ("博士", "学位论文提交", dt.date(2024, 9, 13)),
        ("博士", "学位论文提交", dt.date(2024, 11, 8)),
        ("硕士", "学位论文提交", dt.date(2024, 9, 20)),
        ("硕士", "学位论文提交", dt.date(2024, 11, 15)),
    ]


def test_weekday_settles_the_year() -> None:
    # Signed 2024-07-31; 2月7日 would be 2025 by the calendar rule, but 周三 says 2024 (2025-02-07 is a Friday).
    deadlines, problems = extract("请于2月7日(周三)前提交年度总结。", signed="\n某某大学科研处\n2024年7月31日\n")
    assert [d.end for d in deadlines] == []  # 2024-02-07 is before the notice: history, not a deadline
    deadlines, problems = extract("请于1月8日(周三)前提交年度总结。", signed="\n某某大学科研处\n2024年7月31日\n")
    assert [d.end for d in deadlines] == [dt.date(2025, 1, 8)]
    assert not problems


def test_weekday_that_does_not_match_is_reported() -> None:
    deadlines, problems = extract("请于2024年9月15日(星期一)前提交材料。")
    assert [d.end for d in deadlines] == [dt.date(2024, 9, 15)]
    assert len(problems) == 1 and "：所写的星期与日期不符" in str(problems[0]) and "notice.txt:3" in str(problems[0])


def test_period_under_a_heading_from_publication() -> None:
    d = one("四、征集时间\n从本公告发布之日起至2024年10月5日止。")
    assert (d.kind, d.start, d.end) == ("window", dt.date(2024, 7, 31), dt.date(2024, 10, 5))


def test_new_years_day_and_first_month() -> None:
    deadlines, _ = extract(
        "所有项目在2025年元旦以前写出总结交到所在学院。\n所有的总结材料于元月5日前交科研处。",
        signed="\n科研处\n2024年12月24日\n",
    )
    assert [d.end for d in deadlines] == [dt.date(2025, 1, 1), dt.date(2025, 1, 5)]


def test_labels_with_colons() -> None:
    deadlines, _ = extract("网上申报时间：2024年9月1日至2024年9月30日；纸质材料报送截止时间：2024年10月8日。")
    assert [(d.kind, d.start, d.end, d.what) for d in deadlines] == [
        ("window", dt.date(2024, 9, 1), dt.date(2024, 9, 30), "网上申报2024年度示范项目"),  # the title's 申报
        ("deadline", None, dt.date(2024, 10, 8), "纸质材料报送"),
    ]


def test_start_and_end_labels() -> None:
    d = one("开始时间：2024年9月1日,结束时间：2024年9月30日17:00。")
    assert (d.kind, d.start, d.end) == ("window", at(2024, 9, 1), at(2024, 9, 30, 17))


def test_aside_after_a_window_is_not_the_action() -> None:
    d = one("报名时间为2024年9月1日—9月10日（工作日9:00-17:00）,请考生登录系统报名。")
    assert (d.kind, d.start, d.end) == ("window", dt.date(2024, 9, 1), dt.date(2024, 9, 10))
    assert "工作日" not in d.what


def test_page_stamps_are_not_deadlines() -> None:
    none_in("阅读次数:1024 日期:2024-08-20\n发布日期：2024-08-20\n添加时间:2024-08-20")


def test_range_with_one_month_written() -> None:
    d = one("二、拟毕业研究生在线提交学位论文:9月9-12日")
    assert (d.kind, d.start, d.end) == ("window", dt.date(2024, 9, 9), dt.date(2024, 9, 12))


def test_schedule_list_items() -> None:
    deadlines, _ = extract(
        "6、提交书面送审稿及送审名单:9月29日\nb.10月22日,研究生修改并完成论文的再次提交。\n11月1日,我校召开学位评定委员会。"
    )
    assert [(d.kind, d.end) for d in deadlines] == [("deadline", dt.date(2024, 9, 29)), ("deadline", dt.date(2024, 10, 22))]


def test_before_the_office_closes() -> None:
    d = one("请各单位2024年9月25日下班前将申报材料电子版发送至邮箱。")
    assert (d.end, d.all_day) == (dt.date(2024, 9, 25), True)


def test_long_sentence_is_quoted_by_whole_clauses() -> None:
    preamble = "根据《某某专项资金管理办法》和《某某扶持计划操作规程》有关规定,为支持我市中小企业开拓国内市场," * 3
    sentence = preamble + "请各申报单位于2024年9月30日前将申报材料报送至市工信局,逾期不予受理。"
    d = one(sentence)
    assert d.quote.endswith("请各申报单位于2024年9月30日前将申报材料报送至市工信局,逾期不予受理。")
    assert len(d.quote) <= 160 < len(sentence)
    assert sentence[len(sentence) - len(d.quote) - 1] == ","  # cut at a clause boundary
    again = one("前言," + preamble + "请各申报单位于2024年9月30日前将申报材料报送至市工信局,逾期不予受理。")
    assert again.id != d.id  # the id reads the whole sentence


def test_annual_report_period() -> None:
    d = one("企业、个体工商户年报时间为2025年1月1日至2025年6月30日。")
    assert (d.kind, d.start, d.end) == ("window", dt.date(2025, 1, 1), dt.date(2025, 6, 30))


def test_issuer_step_and_reader_step_in_one_sentence() -> None:
    d = one("我局将于2024年9月20日组织专家评审,请各单位于2024年9月10日前提交申报书。")
    assert d.end == dt.date(2024, 9, 10)


def test_listed_actors_are_one_who() -> None:
    d = one("企业、农民专业合作社、个体工商户年报时间为2025年1月1日至2025年6月30日。")
    assert (d.who, d.what) == ("企业、农民专业合作社、个体工商户", "年报")


def test_a_note_after_the_date_is_not_the_task() -> None:
    d = one("网上填报受理时间:2024年9月13日至2024年9月30日17:00(注:超过截止时间,不再受理新提交申请)。")
    assert "注" not in d.what and "受理" not in d.what


def test_untitled_notice_names_the_period() -> None:
    text = "一、征集时间\n本次征求公众意见的期限为10个工作日,起止时间为2024年10月25日至2024年11月8日。\n"
    (notice,) = split_notices(text, "page.txt")
    (d,), _ = classify_notice(notice, dt.date(2024, 10, 20))
    assert d.what == "征求公众意见"


def test_traditional_characters_are_read_and_quoted_as_written() -> None:
    d = one("請各單位於2024年9月15日前將申報材料報送至工會辦。")
    assert d.end == dt.date(2024, 9, 15)
    assert d.quote == "請各單位於2024年9月15日前將申報材料報送至工會辦。"


def test_handing_in_after_a_cue_is_an_action() -> None:
    d = one("各参赛队在2024年9月10日前通过邮件报体总竞委会。")
    assert d.end == dt.date(2024, 9, 10)


def test_schedule_items_with_the_task_below_or_after_a_colon() -> None:
    deadlines, _ = extract(
        "1、2024年10月22日—11月2日\n参评班级整理材料,填写评优申报表。\n"
        "2、2024年11月5日—11月9日\n学生处审核二级学院所提交材料。\n"
        "3.11月13日:学院汇总相关信息上报学生工作部。\n"
        "4、11月14日前,各教学单位初评。"
    )
    assert [(d.kind, d.start, d.end) for d in deadlines] == [
        ("window", dt.date(2024, 10, 22), dt.date(2024, 11, 2)),
        ("deadline", None, dt.date(2024, 11, 13)),
        ("deadline", None, dt.date(2024, 11, 14)),
    ]


def test_same_day_all_day_and_timed_are_two_deadlines() -> None:
    deadlines, _ = extract("请于2024年9月9日前完成网上申报。\n于2024年9月9日下午5:00前将纸质材料送至局505室。")
    assert [d.end for d in deadlines] == [dt.date(2024, 9, 9), at(2024, 9, 9, 17)]


def test_year_end() -> None:
    d = one("各团体标准组织应于2024年底前完成自我评价。")
    assert d.end == dt.date(2024, 12, 31)


def test_date_broken_across_a_line() -> None:
    d = one("请各推荐单位于 2024 年\n9 月 30 日 16:00 前通过系统确认推荐项目。")
    assert d.end == at(2024, 9, 30, 16)
    assert d.source.line == 3


def test_extension_keeps_only_the_new_date() -> None:
    d = one("因系统升级,申报截止时间由2024年8月20日延长至2024年9月5日,请各单位抓紧提交。")
    assert d.end == dt.date(2024, 9, 5)


def test_restated_deadline_is_one_record() -> None:
    deadlines, _ = extract(
        "请各单位于2024年9月16日前通过系统进行申报。\n本年度项目申报受理截止时间为2024年9月16日。"
    )
    assert [d.end for d in deadlines] == [dt.date(2024, 9, 16)]


def test_two_actors_on_one_day_are_two_records() -> None:
    deadlines, _ = extract(
        "9月16日前 | 申请人完成申报书初稿,交到所属二级部门。\n9月16日 | 各二级部门将申报书汇总清单交到科技处。"
    )
    assert [(d.who, d.end) for d in deadlines] == [
        ("申请人", dt.date(2024, 9, 16)),
        ("各二级部门", dt.date(2024, 9, 16)),
    ]


def test_window_from_a_heading_above() -> None:
    d = one("一、征求意见的时间\n2024年8月6日至2024年9月5日。\n二、反馈方式\n请将意见发送至邮箱。")
    assert (d.kind, d.start, d.end) == ("window", dt.date(2024, 8, 6), dt.date(2024, 9, 5))


def test_publicity_period_is_a_window() -> None:
    d = one("公示期为2024年8月1日至2024年8月7日,任何单位和个人如有异议,请在公示期内提出。")
    assert d.kind == "window"


def test_effective_date_is_informational() -> None:
    deadlines, _ = extract("本办法自2024年9月1日起施行。")
    assert [(d.kind, d.end) for d in deadlines] == [("effective", dt.date(2024, 9, 1))]
    assert not deadlines[0].actionable


@pytest.mark.parametrize(
    "body",
    [
        # eligibility rules
        "申报单位注册时间为 2023 年 6 月 30 日及以前,有较强的科技研发能力。",
        "项目负责人须具有高级职称,1964年1月1日及以后出生。",
        "项目负责人须具有高级职称,1964年1月1日以后出生,每年工作时间不少于6个月。",
        # statistics and history
        "截至2024年6月底,可再生能源装机规模达到16.53亿千瓦。",
        "截至今年7月31日尚有部分企业未报送年度报告。",
        "该条例已于2024年6月3日由审判委员会第1921次会议通过。",
        # conditions that select cases
        "专利权人在 2024 年 7 月 26 日之前提出专利权期限补偿请求的,按原标准缴费。",
        "进入日在2024年7月26日以后的国际申请,免缴申请费。",
        "对于实施期结束时间在2024年12月31日的在研项目,实施期自动延长6个月。",
        # after-dates, stops, holidays, weekday facts
        "企业可于 10 月 31 日后,从信息填报系统中查询是否列入清单。",
        "已列入清单的企业,于 2024 年 10 月 31 日停止享受政策。",
        "10月1日至7日放假7天。",
        "9月15日为星期日,申报期限不变。",
        # year-only goals and policy targets
        "到2030年,重点领域绿色转型取得积极进展。",
        "到 2025 年底,实施碳排放双控制度的各项基础工作必须全面完成。",
        # the issuer's own steps
        "2024年10月9日-14日 | 科技处集中受理申请书,进行形式审查。",
        "2024年10月15日 | 邀请校内专家对申请书进行评审。",
        "我部于2024年8月30日至9月29日,就《管理办法》(征求意见稿)向社会公开征求意见。",
        "专业机构对申报材料形式审查的截止时间调整为2024年9月15日。",
        "2.市科技局审核提交时间:9月28日(星期六)8:00—9月30日(星期一)17:30。",
        "申报项目的标志性成果产生的时间范围应在2023年12月1日至2024年11月30日。",
        "我局将对申报项目进行审核,于2024年9月10日16:00前通过系统推荐至科技部。",
        "凡2023年12月31日前(含当日)登记注册的各类市场主体,均应报送年度报告。",
        # a scope, not a period to act in
        "申报范围:2024年1月1日至2024年12月20日之间,所有拟参加的省部级学科竞赛项目。",
        # system downtime
        "申报系统将于2024年9月13日17时至2024年9月19日8时关闭维护。",
        # dates that are already past when the notice is signed
        "2024年5月4日至2024年6月30日,我局就该办法征求了社会各界意见。",
    ],
)
def test_incidental_dates_are_not_deadlines(body: str) -> None:
    none_in(body)


def test_signing_date_and_title_year_are_not_deadlines() -> None:
    none_in("请认真组织实施。")


def test_impossible_date_is_reported_with_file_and_line() -> None:
    deadlines, problems = extract("请于2024年2月30日前提交材料。")
    assert deadlines == []
    assert len(problems) == 1
    assert str(problems[0]).startswith("notice.txt:3: 不存在的日期 ")


def test_ids_are_stable_and_independent_of_the_date() -> None:
    first = one("请各推荐单位于2024年9月30日前确认推荐项目。")
    again = one("请各推荐单位于2024年9月30日前确认推荐项目。")
    moved = one("请各推荐单位于2024年10月8日前确认推荐项目。")
    other = one("请各申报单位于2024年9月30日前提交申报书。")
    assert first.id == again.id == moved.id
    assert other.id != first.id


def test_notice_metadata_travels_with_each_deadline() -> None:
    text = (
        "# 工信部关于开展2024年度示范项目申报工作的通知\n工信部高新函〔2024〕224号\n各有关单位:\n"
        "请于2024年9月30日前提交申报书。\n工业和信息化部\n2024年7月31日\n"
    )
    (notice,) = split_notices(text, "n.md")
    (d,), _ = classify_notice(notice)
    assert d.notice.title == "工信部关于开展2024年度示范项目申报工作的通知"
    assert d.notice.issuer == "工业和信息化部"
    assert d.notice.doc_no == "工信部高新函〔2024〕224号"
    assert d.notice.date == dt.date(2024, 7, 31)


# --- issue 15: categories of unseen misses, each by a general mechanism -------------------


def notice_records(text: str, reference: dt.date | None = None):
    found, problems = [], []
    for notice in split_notices(text, "n.txt"):
        deadlines, notes = classify_notice(notice, reference)
        found += [d for d in deadlines if d.actionable and d.status != "candidate"]
        problems += notes
    return found, problems


def days(text: str, reference: dt.date | None = None) -> list[tuple[str, object, object]]:
    return [(d.kind, d.start, d.end) for d in notice_records(text, reference)[0]]


SCHOOL = "关于做好2024年春季评优工作的通知\n各学院：\n{}\n教务处\n2024年3月1日\n"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2024.03.15 各学院提交推荐材料", [("deadline", None, dt.date(2024, 3, 15))]),
        ("2024.3.15  学生填写申报表并交辅导员", [("deadline", None, dt.date(2024, 3, 15))]),
        ("2024.03.18—2024.03.22 各班级完成网上报名", [("window", dt.date(2024, 3, 18), dt.date(2024, 3, 22))]),
        ("2024.03.25-2024.03.29 学校组织专家评审", []),
    ],
)
def test_schedule_lines_led_by_dotted_dates(line: str, expected: list) -> None:
    assert days(SCHOOL.format(line)) == expected


@pytest.mark.parametrize(
    "line",
    ["附表12024年3月10日前报送。", "统计报表A1012024年3月10日前报送。", "表号32024年03月10日前报送至统计局。"],
)
def test_a_form_code_glued_to_a_date_keeps_the_date_and_its_year(line: str) -> None:
    text = "关于报送统计报表的通知\n各企业：\n" + line + "\n统计局\n2023年12月20日\n"
    assert days(text) == [("deadline", None, dt.date(2024, 3, 10))]


@pytest.mark.parametrize(
    "line",
    ["3月10日以后登录系统填写申报书。", "3月10日之后可登录系统打印准考证。", "考生3月10日后方可登录系统下载准考证。"],
)
def test_a_system_opening_after_a_date_is_a_start(line: str) -> None:
    assert days(SCHOOL.format(line)) == [("start", dt.date(2024, 3, 10), None)]


@pytest.mark.parametrize(
    "line",
    ["2023年1月1日以后成立的企业可申报。", "2023年1月1日之后取得的成果均可申报。", "2000年1月1日以后出生的人员可报名。"],
)
def test_after_a_date_with_a_condition_is_no_start(line: str) -> None:
    assert days(SCHOOL.format(line)) == []


@pytest.mark.parametrize(
    ("line", "what"),
    [
        ("申报材料请于3月31日前寄送至科技处（以当地邮戳为准）。", "将申报材料寄送至科技处(以当地邮戳为准)"),
        ("纸质材料须于3月31日前寄出，以当地邮戳为准。", "寄出纸质材料"),
        ("推荐表须于2024年3月31日前寄达。", "寄达推荐表"),
    ],
)
def test_postmark_deadlines(line: str, what: str) -> None:
    (record,), _ = notice_records(SCHOOL.format(line))
    assert (record.kind, record.end, record.what) == ("deadline", dt.date(2024, 3, 31), what)


@pytest.mark.parametrize(
    "text",
    [
        "关于调整申报时间的通知\n各单位：\n申报截止时间更改为2024年4月15日。\n科技局\n2024年3月1日\n",
        "關於調整申報時間的通知\n各單位：\n申報截止時間更改為2024年4月15日。\n科技局\n2024年3月1日\n",
        "关于调整申报时间的通知\n各单位：\n申报截止时间由3月31日调整为4月15日。\n科技局\n2024年3月1日\n",
    ],
)
def test_a_changed_date_keeps_only_the_new_one(text: str) -> None:
    assert days(text) == [("deadline", None, dt.date(2024, 4, 15))]


def test_from_now_takes_its_year_from_the_context_without_a_notice_date() -> None:
    text = "关于开展2024年度专利资助申报的通知\n各单位：\n申报时间为即日起至3月31日。\n"
    assert days(text, reference=dt.date(2024, 3, 1)) == [("window", dt.date(2024, 3, 1), dt.date(2024, 3, 31))]


@pytest.mark.parametrize(
    "line",
    [
        "注册成立日期在2023年12月31日之前的企业均可申报。",
        "即2023年1月1日至2023年12月31日期间取得的成果均可申报。",
        "2024年6月30日前，已认定的高新技术企业不需重复申报。",
        "2024年6月30日前，尚未完成登记的企业不得申报。",
    ],
)
def test_scopes_are_not_deadlines(line: str) -> None:
    assert days(SCHOOL.format(line)) == []


@pytest.mark.parametrize(
    "line",
    [
        "11月20日，我厅发布了申报指南。",
        "11月20日，我局印发了实施细则。",
        "11月20日，省科技厅已发布申报指南。",
        "核发部门在今年12月30日前完成许可证核发。",
    ],
)
def test_the_issuers_own_acts_are_neither_deadlines_nor_rolled_into_next_year(line: str) -> None:
    text = "关于做好2025年度项目申报工作的通知\n各单位：\n" + line + "\n科技厅\n2024年12月1日\n"
    assert days(text) == []


@pytest.mark.parametrize(
    ("body", "year"),
    [
        ("2019年1月1日后成立的企业可申报。请于3月31日前提交申报书。", 2025),
        ("成立时间在2020年6月1日以后的企业均可申报，申报截止时间为3月31日。", 2025),
    ],
)
def test_without_a_notice_date_the_title_year_wins_over_an_eligibility_year(body: str, year: int) -> None:
    text = "关于开展2025年度科技型企业申报的通知\n各有关单位：\n" + body + "\n"
    assert days(text) == [("deadline", None, dt.date(year, 3, 31))]


def test_without_a_notice_date_or_title_year_the_doc_number_year_is_used() -> None:
    text = "关于开展科技型企业申报的通知\n科发〔2025〕12号\n各有关单位：\n请于3月31日前提交申报书。\n"
    (record,), _ = notice_records(text)
    assert record.end == dt.date(2025, 3, 31) and "2025" in record.year_guess


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("申报截止时间延长至2023年3月31日。", dt.date(2024, 3, 31)),
        ("受理时间推迟至2023年3月20日17:00。", dt.datetime(2024, 3, 20, 17, 0, tzinfo=SHANGHAI)),
        ("截止日期调整为2023年2月10日。", dt.date(2025, 2, 10)),
    ],
)
def test_an_extension_written_with_a_year_before_the_notice_is_flagged_and_resolved(line: str, expected) -> None:
    signed = "\n科技局\n2024年3月1日\n"
    (record,), problems = notice_records("关于延长申报时间的通知\n各单位：\n" + line + signed)
    assert record.end == expected
    assert any("变更后的日期所写年份早于发文日期" in str(p) for p in problems)


def test_traditional_numerals_with_zero_and_noon_sharp() -> None:
    text = "關於申報的通知\n各單位：\n請於二零二四年三月三十一日中午十二時正前遞交申請。\n澳門科技局\n二〇二四年三月一日\n"
    (record,), _ = notice_records(text)
    assert record.end == dt.datetime(2024, 3, 31, 12, 0, tzinfo=SHANGHAI)
    assert not record.what.startswith("正")
    assert record.notice.date == dt.date(2024, 3, 1)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # header, then date / task lines
        ("时间\n工作内容\n3月15日\n学生提交申请表\n3月18日—3月22日\n各学院完成初审\n3月25日\n学校公示结果\n",
         [("deadline", None, dt.date(2024, 3, 15), "学生提交申请表"), ("window", dt.date(2024, 3, 18), dt.date(2024, 3, 22), "完成初审")]),
        # numbered rows: number / date (with 前) / task
        ("序号\n时间\n工作内容\n1\n3月15日前\n各学院提交推荐材料\n2\n3月20日\n学校组织评审\n3\n3月25日\n各学院报送汇总表\n",
         [("deadline", None, dt.date(2024, 3, 15), "提交推荐材料"), ("deadline", None, dt.date(2024, 3, 25), "报送汇总表")]),
        # task / date lines
        ("提交推荐材料\n3月15日\n报送汇总表\n3月25日\n",
         [("deadline", None, dt.date(2024, 3, 15), "提交推荐材料"), ("deadline", None, dt.date(2024, 3, 25), "报送汇总表")]),
    ],
    ids=["header-date-task", "number-date-task", "task-date"],
)
def test_flattened_schedule_tables_are_read_the_way_they_run(rows: str, expected: list) -> None:
    found, _ = notice_records("关于做好评优工作的通知\n各学院：\n工作安排如下：\n" + rows + "\n教务处\n2024年3月1日\n")
    assert [(d.kind, d.start, d.end, d.what) for d in found] == expected


@pytest.mark.parametrize(
    "rows",
    [
        "时间\n工作内容\n2024年3月15日\n学生提交申请表\n2024年3月25日\n各学院报送汇总表\n",
        "提交推荐材料\n2024年3月15日\n报送汇总表\n2024年3月25日\n",
        "2024.03.15\n学生提交申请表\n2024.03.25\n各学院报送汇总表\n",
    ],
    ids=["header-date-task", "task-date", "dotted"],
)
def test_full_dates_alone_in_a_flattened_schedule_are_rows_not_the_signature(rows: str) -> None:
    text = "关于做好评优工作的通知\n各学院：\n工作安排如下：\n" + rows + "\n教务处\n2024年3月1日\n"
    (notice,) = split_notices(text, "n.txt")
    assert (notice.date, notice.issuer) == (dt.date(2024, 3, 1), "教务处")
    found, _ = notice_records(text)
    assert [d.end for d in found] == [dt.date(2024, 3, 15), dt.date(2024, 3, 25)]


@pytest.mark.parametrize(
    "rows",
    [
        "2024年3月15日—3月16日 材料审核1审。\n\n申报人本人持申请书草稿到科研处进行。\n\n"
        "2024年3月18日\n\n系统录入,电子版整理。错误替换,盖章。\n\n2024年3月20日\n\n封箱检查。科研处专人将材料送交省规划办。\n",
        "2024年3月15日\n各学院将推荐汇总表报送研究生院,逾期不予受理。\n2024年3月25日\n学生登录系统打印准考证,并核对个人信息。\n",
        "2024年3月15日\n请申报人提交纸质申请书一式五份。\n2024年3月25日\n学院完成审核,汇总后报学校。\n",
    ],
    ids=["blank-separated", "sentences-below", "request-below"],
)
def test_full_dates_alone_over_sentences_of_a_step_are_rows_not_the_signature(rows: str) -> None:
    """A flattened schedule's step may be a sentence or two below its date; a 落款 is never followed by one."""
    text = "关于做好申报工作的通知\n日期: 2024-03-01\n\n各学院：\n时间安排如下：\n" + rows
    (notice,) = split_notices(text, "n.txt")
    assert (notice.date, notice.date_source) == (dt.date(2024, 3, 1), "stamp")
    found, _ = notice_records(text)
    assert dt.date(2024, 3, 15) in {d.start or d.end for d in found if d.status != "candidate"}


@pytest.mark.parametrize("after", ["附件：申报汇总表\n", "抄送：省科技厅\n", "（此件主动公开）\n", "联系人：张三，电话：12345678\n"])
def test_a_signature_over_what_follows_a_signature_is_still_the_signature(after: str) -> None:
    text = "关于报送材料的通知\n各学院：\n请于2024年3月20日前报送汇总表。\n\n2024年3月1日\n" + after
    (notice,) = split_notices(text, "n.txt")
    assert notice.date == dt.date(2024, 3, 1)


def test_a_lone_signature_date_after_a_task_sentence_is_still_the_signature() -> None:
    text = "关于报送材料的通知\n各学院：\n请于2024年3月20日前报送汇总表。\n报送汇总表\n2024年3月1日\n"
    (notice,) = split_notices(text, "n.txt")
    assert notice.date == dt.date(2024, 3, 1)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("1月申报纳税期限截至1月15日。", dt.date(2025, 1, 15)),
        ("2月申报纳税期限截至2月20日。", dt.date(2025, 2, 20)),
        ("12月申报纳税期限截至12月15日。", dt.date(2025, 12, 15)),
    ],
)
def test_a_notice_late_in_a_year_about_next_years_calendar(line: str, expected: dt.date) -> None:
    text = "关于明确2025年度申报纳税期限的通知\n各区税务局：\n" + line + "\n国家税务总局某某市税务局\n2024年12月20日\n"
    assert [d.end for d in notice_records(text)[0]] == [expected]


# --- years a notice names without a date of its own (issue 15, years) ---------------------------


def published(text: str, reference: dt.date | None = None) -> list[tuple[str, object, object]]:
    return [(d.kind, d.start, d.end) for d in notice_records(text, reference)[0] if d.status != "candidate"]


@pytest.mark.parametrize(
    ("label", "line", "expected"),
    [
        ("2025届本科毕业设计", "请学生于5月26日前上传外文译文。", ("deadline", None, dt.date(2025, 5, 26))),
        ("2025届本科毕业设计", "请各学院于11月20日前报送选题汇总表。", ("deadline", None, dt.date(2024, 11, 20))),
        ("2018届春季毕业研究生学位申请", "学院提交研究生学位申请汇总表:11月6日", ("deadline", None, dt.date(2017, 11, 6))),
        ("2018届春季毕业研究生学位申请", "答辩资格复查及答辩会:1月2-21日", ("window", dt.date(2018, 1, 2), dt.date(2018, 1, 21))),
        ("2024-2025学年第一学期评教", "请各班级于12月10日前完成网上评教。", ("deadline", None, dt.date(2024, 12, 10))),
        ("2024—2025学年第二学期补考", "请学生于3月5日前登录系统报名。", ("deadline", None, dt.date(2025, 3, 5))),
    ],
)
def test_a_graduating_class_or_school_year_dates_its_autumn_and_spring(label: str, line: str, expected) -> None:
    """2025届 graduates in the summer of 2025: its autumn dates are 2024's; a 学年 likewise."""
    text = f"关于做好{label}工作的通知\n各学院：\n{line}\n"
    ((kind, start, end),) = published(text)
    assert (kind, start, end) == expected


def test_a_class_label_in_the_body_dates_the_schedule_below_it() -> None:
    text = "各学院：\n2025届毕业生离校工作安排如下。\n请各学院于6月20日前报送离校名单。\n"
    assert published(text) == [("deadline", None, dt.date(2025, 6, 20))]


@pytest.mark.parametrize(
    "rows",
    [
        "2020.9.10 | 学校召开动员大会 |\n2020.9.25 | 各学院于9月26日前报送拟申报人员名单 |",
        "2020年9月25日，各学院召开交流会，并于9月26日前报送拟申报人员名单。",
        "(2020-09-25) 各学院于9月26日前报送拟申报人员名单。",
    ],
)
def test_a_written_date_dates_what_follows_it_over_a_programme_year(rows: str) -> None:
    """2021年度基金 is applied for in 2020: the nearest date written (2020.9.25) gives the year."""
    text = "关于做好2021年度国家自然科学基金申请工作的通知\n各学院：\n为做好2021年度国家自然科学基金项目申请工作，安排如下：\n" + rows + "\n"
    assert ("deadline", None, dt.date(2020, 9, 26)) in published(text)


@pytest.mark.parametrize(
    ("line", "signed", "expected"),
    [
        ("各经营主体应当于每年1月1日至6月30日申报上一年度年度报告。", "2018年3月26日", (dt.date(2018, 1, 1), dt.date(2018, 6, 30))),
        ("申报时间为1月1日至6月30日。", "2018年3月26日", (dt.date(2018, 1, 1), dt.date(2018, 6, 30))),
        ("申报时间为12月20日至1月10日。", "2024年12月15日", (dt.date(2024, 12, 20), dt.date(2025, 1, 10))),
        ("申报时间为1月5日至1月20日。", "2024年12月15日", (dt.date(2025, 1, 5), dt.date(2025, 1, 20))),
    ],
)
def test_a_period_open_when_the_notice_is_issued_keeps_the_notice_year(line: str, signed: str, expected) -> None:
    """A year-less range takes its year from its close: one that opened before the notice is not next year's."""
    text = f"关于做好年报工作的通知\n各单位：\n{line}\n市场监督管理局\n{signed}\n"
    assert [(d.start, d.end) for d in notice_records(text)[0]] == [expected]


@pytest.mark.parametrize("signed", ["二0一八年三月二十六日", "二〇一八年三月二十六日", "二O一八年三月二十六日"])
def test_a_signature_date_with_an_arabic_zero_among_chinese_numerals(signed: str) -> None:
    (notice,) = split_notices(f"关于年报的通知\n各单位：\n请于6月30日前申报年报。\n高邮市市场监督管理局\n{signed}\n", "n.txt")
    assert notice.date == dt.date(2018, 3, 26)


# --- schedule items and the organiser's own steps (issue 15, layouts and precision) -------------


@pytest.mark.parametrize(
    "line",
    [
        "3.2025年5月27日-2025年6月30日,学生按要求提交开题报告(电子版),指导教师给出评语。",
        "(2)2025年5月27日—2025年6月30日，各系上交设计初稿。",
        "2025.5.27-2025.6.30:学生提交开题报告。",
    ],
)
def test_a_list_item_led_by_a_range_names_its_task_after_the_comma(line: str) -> None:
    assert published(SCHOOL.format(line)) == [("window", dt.date(2025, 5, 27), dt.date(2025, 6, 30))]


@pytest.mark.parametrize(
    "line",
    [
        "3.2024年5月27日-2024年6月30日,学院组织专家评审。",
        "二、4月18日至19日,评审工作办公室(学生工作处)审核确定各教学单位候选人积分,并向全院公示。",
        "4月18日至19日，校学位委员会复核申请材料。",
        "(3)4月28日前:完成形式审查、校内遴选、拟推荐项目公示。",
    ],
)
def test_the_organisers_steps_in_a_schedule_are_not_the_readers(line: str) -> None:
    assert published(SCHOOL.format(line)) == []


@pytest.mark.parametrize(
    "line",
    [
        "4.3月24日前相关学院对照《国家自然科学基金形式审查表》完成自查。",
        "各学院于3月24日前按《专家评审意见表》修改申报书。",
        "(3)3月28日前:完成网上填报。",
    ],
)
def test_a_form_named_in_book_marks_is_not_the_organisers_act(line: str) -> None:
    (kind, _, end), = published(SCHOOL.format(line))
    assert kind == "deadline" and end.month == 3


@pytest.mark.parametrize(
    ("line", "who"),
    [
        ("请指导教师于5月29日前在系统中评阅自己学生。", "指导教师"),
        ("请科研秘书于5月22日提交本学院的申请书电子版。", "科研秘书"),
        ("并请各位评阅人在5月29日前在系统中进行评阅。", "评阅人"),
    ],
)
def test_people_by_their_role_are_who_acts(line: str, who: str) -> None:
    (record,) = [d for d in notice_records(SCHOOL.format(line))[0]]
    assert record.who == who


@pytest.mark.parametrize("salutation", ["各系部：", "各二级学院（部）：", "各位老师："])
def test_a_salutation_above_a_schedule_line_is_not_its_heading(salutation: str) -> None:
    text = f"关于做好2026届毕业设计工作的通知\n{salutation}\n2026年3月2日,学生提交开题报告,指导教师给出评语。\n教务处\n2026年2月20日\n"
    assert published(text) == [("deadline", None, dt.date(2026, 3, 2))]


@pytest.mark.parametrize(
    "line",
    [
        "5.科研处组织专家对优秀申报书做重点论证,再次修改完善后,最迟3月12日完成上报。",
        "七、学院教务办于6月8日完成答辩名单汇总表,报院答辩委员会。",
        "校学位委员会办公室于6月10日汇总答辩结果。",
        "2024.3.10 | 2025年国家自然科学基金 | 学校召开专题总结动员大会,做好申报工作日程安排。",
    ],
)
def test_one_office_named_as_the_subject_is_the_organiser_at_work(line: str) -> None:
    assert published(SCHOOL.format(line)) == []


@pytest.mark.parametrize(
    "line",
    [
        "请各学院教务办于6月8日前报送答辩名单汇总表。",
        "申请人于3月12日前将申报书交科研处。",
        "2024.3.10 | 国家自然科学基金 | 各学院召开动员会后报送拟申报名单。",
    ],
)
def test_readers_addressed_with_ge_or_by_role_still_act(line: str) -> None:
    assert len(published(SCHOOL.format(line))) == 1


# --- a labelled period of consultation under the sentence that asks for the act (issue 15, cues) ----


@pytest.mark.parametrize(
    ("asks", "label"),
    [
        ("现向社会公开征求意见,欢迎有关单位和个人提出修改意见。", "公告时间:2024年3月10日至2024年3月23日。"),
        ("現向社會公開徵求意見,歡迎有關單位和個人提出修改意見。", "公告時間:2024年3月10日至2024年3月23日。"),
        ("社会各界可通过电子邮件反馈意见。", "公告期限:2024年3月10日至3月23日"),
        ("请有关单位和个人在此期间提出书面意见。", "本次公告时间为2024年3月10日—3月23日。"),
        ("如有异议,请以书面形式向我局反映。", "公告起止日期:2024年3月10日至2024年3月23日"),
        ("社会各界可通过电子邮件反馈意见。", "征求意见时间:2024年3月10日至3月23日"),
    ],
)
def test_a_line_labelling_a_consultation_period_dates_the_act_asked_above_it(asks: str, label: str) -> None:
    text = f"关于《某某管理办法(征求意见稿)》公开征求意见的公告\n{asks}\n{label}\n某某市司法局\n2024年3月10日\n"
    found, _ = notice_records(text)
    assert [(d.kind, d.start, d.end) for d in found] == [("window", dt.date(2024, 3, 10), dt.date(2024, 3, 23))]


@pytest.mark.parametrize(
    ("above", "label"),
    [
        ("我局草拟了《某某管理办法》。", "公告时间:2024年3月10日至2024年3月23日。"),  # nothing asked of readers
        ("请各单位于3月5日前报送参会回执。", "会议时间:2024年3月10日至2024年3月11日。"),  # not a consultation
        ("欢迎有关单位和个人提出修改意见。", "公告时间:2024年3月10日至2024年3月23日,地点为市政府网站,由市司法局负责解释。"),  # more than a label
    ],
)
def test_a_labelled_period_without_a_request_above_or_that_is_no_consultation_is_not_dated_so(above: str, label: str) -> None:
    text = f"关于某某事项的公告\n{above}\n{label}\n某某市司法局\n2024年3月1日\n"
    found, _ = notice_records(text)
    assert dt.date(2024, 3, 10) not in {d.start for d in found}


# --- papers handed out that each reader collects (issue 15, cues) ------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("准考证发放时间和地点:2024年3月11日,县人社局二楼服务大厅。", ("deadline", None, dt.date(2024, 3, 11))),
        ("2024年3月11日起发放准考证。", ("start", dt.date(2024, 3, 11), None)),
        ("下载准考证时间:2024年3月11日至3月13日", ("window", dt.date(2024, 3, 11), dt.date(2024, 3, 13))),
        ("面试通知书下发时间:2024年3月11日。", ("deadline", None, dt.date(2024, 3, 11))),
        ("3.准考證發放:2024年3月11日,地點另行通知。", ("deadline", None, dt.date(2024, 3, 11))),
    ],
)
def test_a_paper_handed_out_to_each_reader_is_their_step(line: str, expected) -> None:
    text = ("关于2024年公开招聘工作人员的公告\n一、报名\n报名时间:2024年3月1日至3月5日。\n二、考试安排\n" + line
            + "\n某某县人力资源和社会保障局\n2024年2月20日\n")
    found, _ = notice_records(text)
    assert [(d.kind, d.start, d.end) for d in found][1:] == [expected]


@pytest.mark.parametrize("line", ["2024年3月11日起发放一次性补贴。", "资格审查时间:2024年3月11日,由县人社局负责。"])
def test_what_the_organiser_hands_out_or_does_alone_is_no_step_of_the_readers(line: str) -> None:
    text = ("关于2024年公开招聘工作人员的公告\n一、报名\n报名时间:2024年3月1日至3月5日。\n二、考试安排\n" + line
            + "\n某某县人力资源和社会保障局\n2024年2月20日\n")
    found, _ = notice_records(text)
    assert [d.end or d.start for d in found] == [dt.date(2024, 3, 5)]


# --- a bare 时间: label over a day of the body is no page stamp (issue 15, cues) ---------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("一、报送推荐名单\n时间：2024年3月10日前", ("deadline", None, dt.date(2024, 3, 10))),
        ("二、网上报名\n时间：2024年3月5日截止", ("deadline", None, dt.date(2024, 3, 5))),
        ("三、提交申报书\n时间:3月5日之前", ("deadline", None, dt.date(2024, 3, 5))),
        ("四、材料报送\n日期：2024年3月12日止", ("deadline", None, dt.date(2024, 3, 12))),
    ],
)
def test_a_bare_time_label_closing_the_notice_on_a_day_of_the_body_is_read(body: str, expected) -> None:
    found, _ = notice_records(f"2024年度推荐工作的通知\n各学院：\n{body}\n")
    assert [(d.kind, d.start, d.end) for d in found] == [expected]


@pytest.mark.parametrize(
    "line",
    ["时间:2024-03-15 10:20", "时间：2024年03月15日 来源：某某网", "日期：2024年3月15日，来源：学院办公室", "发布时间:2024年3月1日", "某某局 2024年3月1日"],
)
def test_page_stamps_and_signatures_stay_stamps(line: str) -> None:
    from calendar_svc.notices import is_signature_line

    assert is_signature_line(line)


# --- a time bounding what qualifies does not date the deadlines after it (issue 15, years) -----------


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        ("竣工时间在2016年6月30日之前。", dt.datetime(2015, 10, 26, 18, 0, tzinfo=SHANGHAI)),
        ("项目开工时间在2014年6月之后,竣工时间在2016年6月30日之前。", dt.datetime(2015, 10, 26, 18, 0, tzinfo=SHANGHAI)),
        ("设备购置日期为2016年3月1日以前。", dt.datetime(2015, 10, 26, 18, 0, tzinfo=SHANGHAI)),
    ],
)
def test_a_time_that_bounds_what_qualifies_does_not_date_the_deadline_after_it(scope: str, expected) -> None:
    text = ("各有关单位:\n结合2015年第一批项目建设情况,开展第三批项目筛选。\n" + scope
            + "\n请各县区于10月26日18:00前将申报材料上报市工信委。\n")
    found, _ = notice_records(text)
    assert [d.end for d in found] == [expected]


# --- a review handed on upwards is a lower body's task (issue 15, precision of the organiser's steps) --


@pytest.mark.parametrize(
    "line",
    [
        "(三)省级主管部门于2024年4月30日前完成对本地区统计数据的复核、汇总并上报。",
        "各市级财政部门于2024年4月30日前完成对辖区项目的审核后报送省财政厅。",
        "县级教育行政部门应于2024年4月30日前组织专家评审后上报市教育局。",
    ],
)
def test_a_review_handed_on_upwards_by_a_lower_body_is_its_deadline(line: str) -> None:
    found, _ = notice_records(f"关于做好统计工作的通知\n各有关单位:\n{line}\n某某部办公厅\n2024年3月1日\n")
    assert [(d.kind, d.end) for d in found] == [("deadline", dt.date(2024, 4, 30))]


@pytest.mark.parametrize(
    "line",
    ["我局将于2024年4月30日前完成审核并上报省厅。", "科研处于2024年4月30日前完成审核后报送学校。", "2024年4月30日前,学校组织专家评审。"],
)
def test_the_organisers_own_review_stays_its_own_even_when_handed_on(line: str) -> None:
    found, _ = notice_records(f"关于做好统计工作的通知\n各有关单位:\n{line}\n某某局\n2024年3月1日\n")
    assert found == []


@pytest.mark.parametrize(
    ("body", "quote"),
    [
        ("现就拆除违章建筑工作通告如下:          一、请各当事人于5月20日前自行拆除违章建筑。",
         "一、请各当事人于5月20日前自行拆除违章建筑。"),
        ("现将有关事项通知如下：\u3000\u3000（一）请各单位于5月20日前报送材料。", "（一）请各单位于5月20日前报送材料。"),
        ("具体安排如下:    1、申请人于5月20日前提交申请表", "1、申请人于5月20日前提交申请表"),
    ],
    ids=["spaces-一、", "ideographic-（一）", "spaces-1、"],
)
def test_a_run_of_blanks_before_a_list_item_ends_the_sentence_before_it(body: str, quote: str) -> None:
    assert one(body).quote == quote


@pytest.mark.parametrize(
    "body",
    [
        "学生于现在至2024年9月30日期间办理登记后，可获发津贴。",
        "合資格學生請於現在至2024年9月30日期間辦理登記,逾期不獲受理。",
        "申请人可在现在到2024年9月30日之间提交申请表。",
    ],
    ids=["现在至-期间", "traditional", "现在到-之间"],
)
def test_from_now_to_a_date_closes_the_readers_period(body: str) -> None:
    d = one(body)
    assert d.end == dt.date(2024, 9, 30)


@pytest.mark.parametrize(
    "body",
    [
        "車主可在2024年10月21日或該日期前的任何時間,按現行收費為牌照續期。",
        "持证人可在2024年10月21日或该日前的任何时间换领执照。",
        "申请人须于2024年10月21日或该日之前提交续期申请。",
    ],
    ids=["或該日期前", "或该日前", "或该日之前"],
)
def test_a_date_or_any_time_before_it_is_a_deadline(body: str) -> None:
    d = one(body)
    assert (d.kind, d.end) == ("deadline", dt.date(2024, 10, 21))


@pytest.mark.parametrize(
    "body",
    [
        "一、征收范围详见附图,六、办理补偿登记期限请相关权利人于2024年12月4日前持权属证明至镇政府办理补偿登记,"
        "七、其他事项(一)本公告在村务公开栏公告,(二)对本方案有异议的,应在2024年12月4日前提交书面意见,",
        "三、报名:请考生于2024年9月20日前登录系统填写报名信息;四、缴费:考生须于2024年9月20日前缴纳考试费;",
        "二、申报时间:各单位于2024年10月8日前报送推荐材料。三、其他:专家于2024年10月8日前反馈评审意见。",
    ],
    ids=["征地-异议", "报名-缴费", "报送-反馈"],
)
def test_two_acts_in_two_items_run_together_on_one_line_are_two_records(body: str) -> None:
    deadlines, _ = extract(body)
    assert len([d for d in deadlines if d.actionable]) == 2, [(d.end, d.what) for d in deadlines]


def test_the_same_act_restated_in_a_later_item_of_the_line_stays_one_record() -> None:
    body = "三、报名:请考生于2024年9月20日前登录系统提交报名信息;五、注意:请考生于2024年9月20日前登录系统提交报名信息。"
    assert len(extract(body)[0]) == 1
