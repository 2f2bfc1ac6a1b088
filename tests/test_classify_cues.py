"""Cue words that make a date a start, an end or a task (issue 15, cues): notices of our own making, several variants each."""

from __future__ import annotations

import datetime as dt

import pytest

from calendar_svc.classify import classify_notice
from calendar_svc.model import SHANGHAI
from calendar_svc.notices import split_notices

SIGNED = "\n某某市科学技术局\n2024年2月20日\n"


def published(body: str, *, title: str = "关于组织申报2024年度科技项目的通知", signed: str = SIGNED) -> list[tuple]:
    (notice,) = split_notices(f"{title}\n各有关单位：\n{body}\n{signed}", "n.txt")
    deadlines, _ = classify_notice(notice)
    return [(d.kind, d.start, d.end) for d in deadlines if d.actionable and d.status != "candidate"]


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


# --- a system that opens on a date, and closes on another -------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("申报系统将于3月5日9:00开放。", ("start", at(2024, 3, 5, 9), None)),
        ("网上填报系统3月5日开通，请各单位及时登录填报。", ("start", dt.date(2024, 3, 5), None)),
        ("项目管理平台于3月5日正式启用,各单位可登录申报。", ("start", dt.date(2024, 3, 5), None)),
    ],
)
def test_a_system_that_opens_on_a_date_starts_the_period(body: str, expected: tuple) -> None:
    assert published(body) == [expected]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("申报系统于3月1日开放，3月31日关闭。", ("window", dt.date(2024, 3, 1), dt.date(2024, 3, 31))),
        ("网上申报系统3月1日9:00开通,3月31日17:00关闭,请各单位按时填报。", ("window", at(2024, 3, 1, 9), at(2024, 3, 31, 17))),
        ("填报系统自3月1日起开放,至3月31日关闭。", ("window", dt.date(2024, 3, 1), dt.date(2024, 3, 31))),
    ],
)
def test_a_close_after_an_opening_ends_the_window(body: str, expected: tuple) -> None:
    assert published(body) == [expected]


@pytest.mark.parametrize(
    "body",
    ["申报系统于3月5日关闭维护,请各单位提前申报。", "因系统升级,申报平台将于3月5日关闭。"],
)
def test_a_system_closed_for_maintenance_is_no_deadline(body: str) -> None:
    assert published(body) == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("系统开放时间为3月1日至3月31日。", ("window", dt.date(2024, 3, 1), dt.date(2024, 3, 31))),
        ("申报系统开放时间：3月1日9:00—3月31日17:00。", ("window", at(2024, 3, 1, 9), at(2024, 3, 31, 17))),
    ],
)
def test_a_systems_opening_hours_in_a_notice_about_filing_are_the_window(body: str, expected: tuple) -> None:
    assert published(body) == [expected]


# --- two tasks on one day, in two items of a numbered list ------------------------------------


@pytest.mark.parametrize(
    "items",
    [
        "五、各系于6月5日将答辩安排报教务办。\n六、各系于6月5日在系统中分配好评阅教师。",
        "(三)各学院于6月5日前报送推荐名单。\n(四)各学院于6月5日前提交汇总表电子版。",
        "2.请项目负责人于6月5日前提交结项材料。\n3.确需延期的，由项目负责人填写变更表，于6月5日前报送审批。",
    ],
)
def test_the_same_day_in_another_item_of_a_numbered_list_is_another_task(items: str) -> None:
    assert published(items, title="关于做好结题工作的通知") == [("deadline", None, dt.date(2024, 6, 5))] * 2


@pytest.mark.parametrize(
    "items",
    [
        "1.户籍适龄儿童于6月5日至6月7日到户籍所在地学校报名。\n2.随迁子女于6月5日至6月7日到居住地学校报名。",
        "(一)本科生于6月5日至6月9日登录系统提交申请。\n(二)研究生于6月5日至6月9日登录系统提交申请。",
    ],
    ids=["1. 2.", "(一)(二)"],
)
def test_the_same_window_in_another_item_of_a_numbered_list_is_another_task(items: str) -> None:
    assert published(items, title="关于做好报名工作的通知") == [("window", dt.date(2024, 6, 5), dt.date(2024, 6, 7 if "7日" in items else 9))] * 2


def test_a_window_restated_in_its_own_item_stays_one_record() -> None:
    body = "三、报名时间\n请于6月5日至6月7日登录系统报名。报名时间为6月5日至6月7日,逾期不再受理。"
    assert published(body, title="关于做好报名工作的通知") == [("window", dt.date(2024, 6, 5), dt.date(2024, 6, 7))]


@pytest.mark.parametrize(
    "body",
    [
        "请各系于6月5日前将答辩安排报教务办。\n答辩安排报送截止时间：6月5日。",
        "三、请各系于6月5日前将答辩安排报教务办，逾期不予受理（截止6月5日）。",
    ],
)
def test_a_restatement_outside_another_numbered_item_stays_one_record(body: str) -> None:
    assert published(body, title="关于做好结题工作的通知") == [("deadline", None, dt.date(2024, 6, 5))]


# --- a date opening its line, then the readers addressed as 各… and their act ------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("3月15日各学院(单位)向科研处报送推荐汇总表:", ("deadline", None, dt.date(2024, 3, 15))),
        ("2.3月10日-3月14日:各系部制定本单位实施细则,明确推荐要求;", ("window", dt.date(2024, 3, 10), dt.date(2024, 3, 14))),
        ("(三)4月2日—4月8日，各学院组织召开评审会，确定推荐名单并公示。", ("window", dt.date(2024, 4, 2), dt.date(2024, 4, 8))),
    ],
)
def test_a_date_then_the_readers_addressed_as_each_is_their_task(line: str, expected: tuple) -> None:
    assert published("工作安排如下：\n" + line, title="关于做好推荐工作的通知") == [expected]


@pytest.mark.parametrize(
    "line",
    ["3月15日,学校召开推荐工作动员大会。", "3月15日各单位放假一天。", "3月15日各学院值班安排见附件。"],
)
def test_without_the_readers_acting_a_date_opening_its_line_is_no_task(line: str) -> None:
    assert published("工作安排如下：\n" + line, title="关于做好推荐工作的通知") == []


# --- a labelled date alone on its line, its task on the next -----------------------------------


@pytest.mark.parametrize(
    "rows",
    [
        "三、部门论证阶段\n时间:2024年4月15日前\n申请人完成申报书初稿,各单位组织部门内论证。",
        "(二)材料报送\n完成时间：4月15日前\n各系提交评审材料电子版。",
        "2.初稿阶段\n时间为2024年4月15日前\n学生上传论文初稿至系统。",
    ],
)
def test_a_labelled_date_over_a_task_line_is_its_deadline(rows: str) -> None:
    assert published(rows, title="关于做好申报准备的通知") == [("deadline", None, dt.date(2024, 4, 15))]


@pytest.mark.parametrize(
    "rows",
    [
        "四、校内评审阶段\n时间:2024年4月15日前\n学校组织专家评审。",
        "四、校内评审阶段\n时间:2024年4月15日前\n",
    ],
)
def test_a_labelled_date_without_a_readers_task_below_is_not_published(rows: str) -> None:
    assert published(rows, title="关于做好申报准备的通知") == []


# --- a list item led by a range whose act stands in a later clause ------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "6.2024年5月1日-2024年5月14日,改进完善设计,修改,提交三稿。",
        "3、5月1日—5月14日，整理实验数据，撰写并提交实验报告。",
        "(四)5月1日至5月14日:修改论文,上传定稿至系统。",
    ],
)
def test_a_range_led_item_names_its_act_in_a_later_clause(line: str) -> None:
    assert published(line, title="关于毕业设计工作安排的通知") == [("window", dt.date(2024, 5, 1), dt.date(2024, 5, 14))]


@pytest.mark.parametrize(
    "line",
    [
        "5.2024年5月1日-2024年5月14日,进行中期检查,检查开题报告、中期检查表。",
        "5.5月1日-5月14日,教务处审核材料,提交校学位委员会复核。",
    ],
)
def test_a_range_led_item_of_checks_by_the_organiser_is_no_window(line: str) -> None:
    assert published(line, title="关于毕业设计工作安排的通知") == []


# --- a labelled date alone in its sentence closes the act told just before it ------------------


@pytest.mark.parametrize(
    "line",
    [
        "二、要求各学院至少组织一次校内论证并提交论证意见。时间节点:2024年4月6日前。",
        "请各系完成评教材料的整理和报送。完成时间:4月6日前。",
        "各单位须将汇总表报送科研处。时间为2024年4月6日前。",
    ],
)
def test_a_labelled_date_after_a_task_sentence_is_its_deadline(line: str) -> None:
    assert published(line, title="关于做好申报准备的通知") == [("deadline", None, dt.date(2024, 4, 6))]


def test_a_labelled_date_after_the_organisers_step_is_not_published() -> None:
    assert published("学校将组织专家进行评审。时间节点:4月6日前。", title="关于做好申报准备的通知") == []


# --- settling an account (结算) is the readers' act; a 时间: heading labels its period ------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("一、结算时间：\n东校区：2024年3月12日（星期二）\n上午9:00-11:30\n二、结算地点：行政楼201",
         ("window", at(2024, 3, 12, 9), at(2024, 3, 12, 11, 30))),
        ("一、结算时间:\n南校区:3月12日(星期二)\n上午8:30-11:30;下午14:00-16:30\n二、结算地点:图书馆一楼",
         ("window", at(2024, 3, 12, 8, 30), at(2024, 3, 12, 16, 30))),
        ("请各班长于3月15日前到财务处结算本学期教材费。", ("deadline", None, dt.date(2024, 3, 15))),
        ("教材款结算时间为3月20日，逾期不予办理。", ("deadline", None, dt.date(2024, 3, 20))),
    ],
)
def test_settling_an_account_is_a_task(body: str, expected: tuple) -> None:
    assert published(body, title="关于结算2024年春季学期教材款的通知") == [expected]


# --- a window restated: the page's row of labels gives way to the body's statement of the task ----------


@pytest.mark.parametrize(
    "header",
    [
        "征集部门:某某区政府办公室开始时间:2024-03-04 结束时间:2024-03-27",
        "征集单位：某某市发展改革委 开始日期：2024-03-04 截止日期：2024-03-27",
    ],
)
@pytest.mark.parametrize(
    "body",
    [
        "征求意见起止时间:\n2024年3月4日至2024年3月27日。\n欢迎社会各界提出意见建议。",
        "请社会各界于2024年3月4日至2024年3月27日期间通过电子邮件提出意见。",
    ],
)
def test_a_window_in_a_pages_label_row_gives_way_to_the_bodys_task(header: str, body: str) -> None:
    text = f"关于某某规划的意见征集公告\n\n{header}\n\n为做好规划编制工作，现公开征求意见。\n\n{body}\n\n某某区人民政府办公室\n2024年3月4日\n"
    (notice,) = split_notices(text, "n.txt")
    deadlines, _ = classify_notice(notice)
    windows = [d for d in deadlines if d.actionable and d.status != "candidate"]
    assert [(d.kind, d.start, d.end) for d in windows] == [("window", dt.date(2024, 3, 4), dt.date(2024, 3, 27))]
    assert "意见" in windows[0].what and windows[0].source.line > 3


# --- a filing table: one label a duty, many duties on one day ----------------------------------------


@pytest.mark.parametrize(
    "table",
    [
        "个人所得税申报期限:1月1日-18日;营业税申报期限:1月1日-18日;房产税申报期限: 1月1日-18日;",
        "个人所得税申报期限：1月1日-18日\n营业税及附加申报期限：1月1日-18日\n房产税申报期限：1月1日-18日",
        "1月份申报期:(1月1日-3日元旦假期)企业所得税预缴申报期限:1月1日-18日;文化事业建设费缴纳期限为1月1日-18日;印花税申报截止日期:1月1日-18日",
    ],
)
def test_each_duty_of_a_filing_table_is_a_record_of_its_own(table: str) -> None:
    found = published(table, title="2025年1月各税种申报期限", signed="\n某某市税务局\n2024年12月20日\n")
    assert found == [("window", dt.date(2025, 1, 1), dt.date(2025, 1, 18))] * 3


@pytest.mark.parametrize(
    "table",
    [
        "申报期限:1月1日-18日。\n网上申报期限:1月1日-18日。",  # the same duty, once with its channel
        "个人所得税申报期限:1月1日-18日。\n(重申)个人所得税申报期限:1月1日-18日。",  # the same label twice
        "请纳税人于1月1日-18日办理申报。\n申报期限:1月1日-18日。",  # a label restating a sentence
    ],
)
def test_a_duty_restated_under_its_own_label_stays_one_record(table: str) -> None:
    found = published(table, title="2025年1月申报期限", signed="\n某某市税务局\n2024年12月20日\n")
    assert found == [("window", dt.date(2025, 1, 1), dt.date(2025, 1, 18))]


# --- a calendar headed by its year: slashed rows (1/1~1/5 …) are its dates -------------------------


def undated(text: str) -> list[tuple]:
    (notice,) = split_notices(text, "n.txt")
    deadlines, _ = classify_notice(notice)
    return [(d.kind, d.start, d.end) for d in deadlines if d.actionable and d.status != "candidate"]


@pytest.mark.parametrize(
    ("head", "year"),
    [
        ("國稅-106年度1/1~12/31定期性工作項目", 2017),
        ("民國106年國稅定期工作項目", 2017),
        ("國稅定期性工作項目", None),  # no year: its rows stay candidates (tests/test_candidates_net.py)
        ("2025年度税务工作日程", 2025),
    ],
)
def test_a_calendar_headed_by_its_year_reads_its_slashed_rows(head: str, year: int | None) -> None:
    rows = "1/1~1/5 小規模營業人向主管稽徵機關申報進項憑證。 2/13~2/22 小規模營業人繳納營業稅。\n9/1~9/30 營利事業所得稅暫繳申報。"
    expected = [
        ("window", dt.date(year, 1, 1), dt.date(year, 1, 5)),
        ("window", dt.date(year, 2, 13), dt.date(year, 2, 22)),
        ("window", dt.date(year, 9, 1), dt.date(year, 9, 30)),
    ] if year else []
    assert undated(f"{head}\n\n{rows}\n") == expected


@pytest.mark.parametrize(
    "row",
    [
        "1/1~6/30 外國之事業、機關、團體,在中華民國境內無固定營業場所,於上一年度購買勞務支付之營業稅,申請退還。",
        "3/1~3/31 境外機構,依規定於本年度內得檢附憑證,向所在地稽徵機關申請退稅。",
        "7/1~7/31 房屋所有人,持有房屋者,繳納房屋稅。",
    ],
    ids=["申請退還", "申請退稅", "繳納"],
)
def test_a_calendar_row_led_by_its_span_is_its_task_wherever_the_act_stands(row: str) -> None:
    found = undated(f"2025年度税务工作日程\n\n{row}\n")
    assert len(found) == 1 and found[0][0] == "window"


@pytest.mark.parametrize(
    "row",
    ["1/1~6/30 本局辦理年度稽查。", "2/1~2/7 春節放假。"],
    ids=["主办方", "放假"],
)
def test_a_calendar_row_without_the_readers_act_stays_out(row: str) -> None:
    assert undated(f"2025年度税务工作日程\n\n{row}\n") == []


def test_two_rows_of_one_span_are_two_tasks() -> None:
    rows = ("5/1~5/31 營利事業所得稅結算申報。 5/1~5/31 適用稅額試算服務之納稅人,依規定繳稅或回覆確認。 "
            "5/1~5/31 營利事業所得稅結算申報。")  # the last restates the first
    assert undated(f"2025年度税务工作日程\n\n{rows}\n") == [("window", dt.date(2025, 5, 1), dt.date(2025, 5, 31))] * 2


def test_a_slashed_range_inside_a_sentence_is_no_row() -> None:
    assert undated("2025年度税务工作日程\n\n纳税人申报时请注意比例1/2~2/3之间的调整。\n") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "外國之事業,於上一年度(1月1日至12月31日)在境內購買貨物支付之營業稅,於6月30日前申請退稅。",
        "纳税人第四季度(10月1日至12月31日)的销售额,应于1月15日前申报。",
    ],
)
def test_the_days_a_named_span_covers_glossed_in_brackets_are_no_deadline(sentence: str) -> None:
    found = published(sentence, title="关于退税申报的通知", signed="\n某某市税务局\n2024年3月1日\n")
    assert [end for _, _, end in found] in ([dt.date(2024, 6, 30)], [dt.date(2025, 1, 15)])


# --- 死线: the informal word for a deadline -------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "强积金供款死线为2024年2月11日。",
        "雇主供款死线是2月11日,请及早安排。",
        "強積金供款日死線為2024年2月11日。",
        "本月申报死线:2月11日。",
    ],
)
def test_a_deadline_called_its_dead_line_closes_the_task(body: str) -> None:
    found = published(body, title="关于二月份强积金供款的通知", signed="\n某某局\n2024年1月15日\n")
    assert found == [("deadline", None, dt.date(2024, 2, 11))]


# --- a project's construction time is a scope: its year dates nothing -----------------------------


@pytest.mark.parametrize(
    "scope",
    [
        "项目开工时间在2014年6月之后,竣工时间在2016年6月30日之前。",
        "竣工时间在2016年6月30日之前的项目均可申报。",
        "(三)建设工期。开工时间在2014年6月之后、竣工时间在2016年6月底之前。",
    ],
)
def test_a_projects_construction_time_is_a_scope_whose_year_dates_nothing(scope: str) -> None:
    body = f"现组织参加2015年先进制造业专项资金申报。\n{scope}\n请于10月26日前将申报材料上报市工信委。"
    (notice,) = split_notices(f"各县(市、区)工信主管部门:\n{body}\n", "n.txt")
    deadlines, _ = classify_notice(notice)
    assert [d.end for d in deadlines if d.actionable and d.status != "candidate"] == [dt.date(2015, 10, 26)]


# --- after 前, an obligation binds the readers (…前,需实现持证排污) --------------------------------


@pytest.mark.parametrize(
    "body",
    ["2024年11月30日前,需实现持证排污。", "11月30日前,各排污单位须达到排放标准。", "2024年11月30日前必须实现达标排放。"],
    ids=["前,需", "前,各…须", "前必须"],
)
def test_an_obligation_after_the_date_makes_it_the_readers_deadline(body: str) -> None:
    assert published(body, title="关于排污许可证核发工作的通知") == [("deadline", None, dt.date(2024, 11, 30))]


@pytest.mark.parametrize(
    "body",
    ["2024年11月30日前须已取得排污许可证的企业,不在本次范围。", "2024年11月30日前应为在册企业。"],
    ids=["须已…的", "应为"],
)
def test_a_state_required_by_a_date_is_no_deadline(body: str) -> None:
    assert published(body, title="关于排污许可证核发工作的通知") == []


# --- a page's own field for its item's deadline (截止日期: in a row of 点击次数/更新时间) -----------------


def on_a_page(row: str) -> list[tuple]:
    text = f"全国征联启事\n{row}\n  为丰富群众文化生活,特举办本次征联活动,欢迎广大楹联爱好者踊跃投稿。\n"
    (notice,) = split_notices(text, "n.txt")
    deadlines, _ = classify_notice(notice)
    return [(d.kind, d.start, d.end) for d in deadlines if d.actionable and d.status != "candidate"]


@pytest.mark.parametrize(
    "row",
    [
        "信息发布:征集网    点击次数:4540     更新时间:2023-05-24    截止日期:2023-05-31",
        "发布时间:2023-05-24 浏览次数:88 截稿时间:2023-05-31",
    ],
    ids=["截止日期", "截稿时间"],
)
def test_a_deadline_field_in_a_pages_stamp_row_is_its_items_deadline(row: str) -> None:
    assert on_a_page(row) == [("deadline", None, dt.date(2023, 5, 31))]


@pytest.mark.parametrize(
    "row",
    ["信息发布:征集网    点击次数:4540     更新时间:2023-05-24", "发布时间:2023-05-24 浏览次数:88 有效期截止日期:2023-05-31"],
    ids=["只有更新时间", "有效期"],
)
def test_the_other_fields_of_a_pages_stamp_row_date_nothing(row: str) -> None:
    assert on_a_page(row) == []


# --- 截至 closing its clause after a date is 截止 mistyped (推荐时间至12月20日截至。) ---------------------


@pytest.mark.parametrize("body", ["推荐时间至3月20日截至。", "报名于3月20日截至,逾期不予受理。", "材料报送3月20日截至;请按时报送。"])
def test_jiezhi_as_of_closing_its_clause_after_a_date_closes_it(body: str) -> None:
    assert published(body) == [("deadline", None, dt.date(2024, 3, 20))]


@pytest.mark.parametrize("body", ["自3月1日截至目前,共受理申请200件。", "截至3月20日,已有200家企业完成申报。"])
def test_jiezhi_as_of_before_now_or_a_date_counts_nothing(body: str) -> None:
    assert published(body) == []


# --- a postmark rule after a date (…止(以邮戳为准)): readers mail something by then ------------------


@pytest.mark.parametrize(
    "body",
    [
        "二、征稿时间\n即日起至2024年3月20日止(以邮戳为准)。",
        "作品须于2024年3月20日前寄出,以当地邮戳为准。",
        "征集截止:2024年3月20日(以邮戳日期为准)",
    ],
    ids=["止(以邮戳为准)", "前寄出,以当地邮戳为准", "(以邮戳日期为准)"],
)
def test_a_postmark_rule_makes_the_date_a_deadline(body: str) -> None:
    found = published(body, title="关于举办征联活动的启事")
    assert found and found[-1][2] == dt.date(2024, 3, 20)


def test_a_postmark_elsewhere_in_the_sentence_dates_nothing_else() -> None:
    body = "本馆于2024年3月1日召开评审会议。来稿以邮戳为准,恕不退稿。"
    assert published(body, title="关于举办征联活动的启事") == []


# --- the readers and their act label a date alone after it ((一)各代表队报到:4月9日全天。) ----------------


@pytest.mark.parametrize(
    "body",
    ["(一)各代表队报到:4月9日全天。", "2.各参赛单位提交报名表:4月9日。", "各参赛队报到：4月9日上午"],
    ids=["报到 全天", "提交 。", "全角冒号 上午"],
)
def test_the_readers_act_labelling_a_date_makes_it_their_deadline(body: str) -> None:
    found = published(body, title="关于举办技能大赛决赛的通知")
    assert [(kind, end.date() if isinstance(end, dt.datetime) else end) for kind, _, end in found] == [("deadline", dt.date(2024, 4, 9))]


@pytest.mark.parametrize("body", ["各单位放假:4月9日全天。", "市体育局组织评审:4月9日全天。"], ids=["放假", "主办方"])
def test_a_label_of_no_readers_act_dates_nothing(body: str) -> None:
    assert published(body, title="关于举办技能大赛决赛的通知") == []
