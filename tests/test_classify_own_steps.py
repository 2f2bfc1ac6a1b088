"""Dates that ask nothing of the readers (issue 15, precision), second part: a paper's validity, a system's own
step. Notices of our own writing, several variants each; each class also shows what stays a deadline."""

from __future__ import annotations

import datetime as dt

import pytest

from calendar_svc.classify import classify_notice
from calendar_svc.notices import split_notices
from calendar_svc.selfnames import self_names

SIGNED = "\n某某市住房和城乡建设局\n2024年3月1日\n"


def records(body: str, *, title: str = "关于做好有关证照办理工作的通知", signed: str = SIGNED) -> list[tuple]:
    (notice,) = split_notices(f"{title}\n各有关单位：\n{body}\n{signed}", "n.txt")
    deadlines, _ = classify_notice(notice)
    return [(d.kind, d.start, d.end) for d in deadlines if d.status != "candidate"]


def published(body: str, **kwargs: str) -> list[tuple]:
    return [r for r in records(body, **kwargs) if r[0] in ("deadline", "window", "start")]


# --- a licence's or certificate's validity ------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "一、2024年6月底前到期的建筑业企业资质证书，具体指有效期截止日期为2024年3月1日到2024年6月30日的证书。",
        "受疫情影响，安全生产许可证有效期自动顺延至2024年6月30日，可正常参与投标活动。",
        "本次换发的营业执照，有效期为2024年4月1日至2029年3月31日。",
        "原2024年5月31日前届满的各类资格证书，有效期统一延长到2024年9月30日。",
        "该许可证有效期限：2024年4月1日至2027年3月31日，持证单位无需另行申请。",
    ],
)
def test_a_papers_validity_is_no_deadline(body: str) -> None:
    """The day a paper stops holding (有效期…至, …前到期的) is not a day anyone acts by."""
    assert published(body) == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("有效期届满需要延续的，请于2024年5月31日前提交延续申请。", ("deadline", None, dt.date(2024, 5, 31))),
        ("证书有效期至2024年6月30日的企业，须于2024年4月30日前办理换证手续。", ("deadline", None, dt.date(2024, 4, 30))),
        ("资质证书到期的企业，应在2024年4月15日前向市住建局申请延续。", ("deadline", None, dt.date(2024, 4, 15))),
    ],
)
def test_the_act_a_validity_calls_for_keeps_its_deadline(body: str, expected: tuple) -> None:
    """A validity named beside the readers' own date: only that date is theirs."""
    assert published(body) == [expected]


@pytest.mark.parametrize(
    "body",
    [
        "新版烟花爆竹经营许可证于2024年5月1日启用，并使用打证程序打印。",
        "新版建筑施工许可证样式将于2024年5月1日正式启用。",
        "修订后的申请表格自2024年5月1日起使用。",
    ],
)
def test_a_new_form_coming_into_use_takes_effect(body: str) -> None:
    """A paper or form that comes into use on a day takes effect then: informational, nobody starts anything."""
    assert records(body) == [("effective", None, dt.date(2024, 5, 1))]


def test_a_system_opening_stays_the_readers_start() -> None:
    """A system coming into use is where the readers start filing, unlike a form."""
    assert published("网上申报系统于2024年3月10日启用，请各单位登录系统填报。") == [("start", dt.date(2024, 3, 10), None)]


# --- a system's own step -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "二、年报管理系统于2024年7月1日自动将企业提交的年度报告予以公示。",
        "2024年7月1日起，信用信息平台将逾期未报的企业列入经营异常名录。",
        "三、申报系统将于2024年4月8日自动生成项目编号，无需人工填写。",
        "2024年7月1日起,管理系統將提交的年度報告予以公示,應交未交的機構將被系統自動列入經營異常名錄。",
    ],
)
def test_a_systems_own_step_is_no_deadline(body: str) -> None:
    """What a system does by itself on a date (自动…, 予以公示, 列入…) asks nothing of the readers."""
    assert published(body, title="关于做好2024年度企业年报工作的通知") == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("申报系统将于2024年3月31日17时自动关闭，逾期不予受理。", ("deadline", None, dt.datetime(2024, 3, 31, 17, 0))),
        ("请于2024年6月30日前登录系统自动生成并提交年度报告。", ("deadline", None, dt.date(2024, 6, 30))),
        ("2024年4月1日起，企业通过年报系统提交年度报告。", ("start", dt.date(2024, 4, 1), None)),
    ],
)
def test_the_readers_acts_in_a_system_keep_their_dates(body: str, expected: tuple) -> None:
    """A system closing, or the readers acting in it, is still their deadline or start."""
    found = published(body, title="关于做好2024年度企业年报工作的通知")
    assert [(k, s.replace(tzinfo=None) if isinstance(s, dt.datetime) else s,
             e.replace(tzinfo=None) if isinstance(e, dt.datetime) else e) for k, s, e in found] == [expected]


# --- the issuer speaking of itself by its own name ------------------------------------------------

BUREAU = "\n某某市科学技术局\n2024年3月1日\n"


@pytest.mark.parametrize(
    ("issuer", "names"),
    [
        ("东莞市工业和信息化局", {"东莞市工业和信息化局", "市工业和信息化局", "东莞市工信局", "市工信局"}),
        ("广州市黄埔区科学技术局", {"广州市黄埔区科学技术局", "区科学技术局", "广州市黄埔区科技局", "区科技局"}),
        ("上海市市场监督管理局", {"上海市市场监督管理局", "市市场监督管理局", "上海市市场监管局", "市市场监管局"}),
        ("百色市科學技術局", {"百色市科学技术局", "市科学技术局", "百色市科技局", "市科技局"}),
        ("某某市人民政府", {"某某市人民政府", "市人民政府", "某某市政府", "市政府"}),
        ("某某高新区管理委员会", {"某某高新区管理委员会", "高新区管理委员会", "某某高新区管委会", "高新区管委会"}),
        ("某某市城市管理局", {"某某市城市管理局", "市城市管理局"}),
    ],
)
def test_the_names_an_issuer_uses_for_itself(issuer: str, names: set[str]) -> None:
    """Place dropped (市…局, 高新区…), long words abbreviated (工信, 科技, 市场监管, 政府, 管委会: not 市场 or 城市 read
    as a level), read simplified."""
    (notice,) = split_notices(f"关于做好项目申报工作的通知\n各有关单位：\n请于2024年4月1日前报送。\n{issuer}\n2024年3月1日\n", "n.txt")
    assert set(self_names(notice)) == names


def test_the_issuer_is_found_run_together_with_its_date() -> None:
    """A copy that lost its lines: the body right before the last date, after a telephone number."""
    (notice,) = split_notices("关于组织企业参加评价的通知各区市工业和信息化局:请于3月8日前完成填报,联系电话0631-5285826威海市工业和信息化局2024年3月1日。", "n.txt")
    assert "市工信局" in self_names(notice)


@pytest.mark.parametrize(
    "body",
    [
        "市科技局将在每月底进行一次申报汇总，按月度整理形成企业名单。",
        "市科技局将于2024年4月20日汇总各区推荐名单。",
        "（三）市级复审和公示推荐（2024年4月15日-4月24日），市科学技术局根据有关要求进行复审核实。",
        "2024年4月20日，市科技局对推荐项目进行现场考察。",
        "2024年4月25日，市科学技术局将推荐名单报省科技厅。",
    ],
)
def test_the_issuers_own_steps_under_its_short_name_are_no_deadlines(body: str) -> None:
    """Its review, collation and site visits are the issuer's own work, whichever of its names it uses."""
    assert published(body, title="关于开展2024年度科技项目申报工作的通知", signed=BUREAU) == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("请各区县于2024年4月10日前将推荐材料报送市科技局。", ("deadline", None, dt.date(2024, 4, 10))),
        ("各区县科技局于2024年4月10日前完成初审，报送市科技局。", ("deadline", None, dt.date(2024, 4, 10))),
        ("2024年4月10日前，市科技局受理各单位的申报材料。", ("deadline", None, dt.date(2024, 4, 10))),
    ],
)
def test_the_issuer_as_the_destination_or_receiver_keeps_the_readers_deadline(body: str, expected: tuple) -> None:
    assert published(body, title="关于开展2024年度科技项目申报工作的通知", signed=BUREAU) == [expected]


def test_another_bodys_short_name_is_no_self_name() -> None:
    """A province's notice: the city bureau (市科技局) reviewing and handing on is a reader's task."""
    body = "市科技局于2024年4月10日前完成审核并报送省科技厅。"
    assert published(body, title="关于开展2024年度科技项目申报工作的通知", signed="\n某某省科学技术厅\n2024年3月1日\n") == [
        ("deadline", None, dt.date(2024, 4, 10))
    ]


@pytest.mark.parametrize(
    "body",
    [
        "2024年2月25日,某某市商务局发布关于印发《专项资金实施细则》和开展申报审核工作的通知,请按细则要求认真做好申报工作。",
        "2024年3月5日,省科技厅联合省财政厅发布《关于开展项目申报的通知》,申报单位须按通知要求提交材料。",
    ],
)
def test_a_documents_publication_told_as_news_is_no_deadline(body: str) -> None:
    assert published(body, title="专项资金申报解读", signed="") == []


# --- a panel's review, a published result, a state as of a date ----------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "2024年8月1日至8月25日：大会学术委员会、各专业委员会与青年工作委员会完成论文摘要评审。",
        "2024年5月6日至5月10日：学术委员会完成作品评审。",
        "2024年5月6日至5月10日：专家委员会、各分委员会进行论文评议。",
    ],
)
def test_a_panels_review_period_is_no_deadline(line: str) -> None:
    assert published(f"2024年5月1日前：作者提交论文全文。\n{line}", title="关于征集2024年学术年会论文的通知") == [
        ("deadline", None, dt.date(2024, 5, 1))
    ]


def test_a_panel_of_the_readers_handing_its_result_on_keeps_its_deadline() -> None:
    found = published("2024年5月10日前：各学院评审委员会完成初审并上报推荐名单。", title="关于评选2024年优秀论文的通知")
    assert found == [("deadline", None, dt.date(2024, 5, 10))]


@pytest.mark.parametrize(
    "body",
    [
        "现场报名后审核报名资料，将于2024年5月22日通过微信公众号公示录取名单。",
        "报名结束后将于2024年5月22日在学校网站公布录取结果。",
    ],
)
def test_the_organiser_publishing_a_list_on_a_day_is_no_deadline(body: str) -> None:
    assert published(body, title="关于2024年幼儿园招生工作的通知") == []


def test_a_list_the_readers_must_publish_keeps_its_deadline() -> None:
    found = published("请各园于2024年5月22日前公示录取名单。", title="关于2024年幼儿园招生工作的通知")
    assert found == [("deadline", None, dt.date(2024, 5, 22))]


@pytest.mark.parametrize(
    "body",
    [
        "现将截至2024年6月2日各辖市、区年报进度情况予以通报。",
        "现将截至2024年6月2日的年报进度情况通报如下。",
        "且能繁母猪截止2024年6月2日还在饲养，方可申报。",
    ],
)
def test_a_state_as_of_a_date_is_no_deadline(body: str) -> None:
    """Reported or holding as of the day the notice is signed: a statistic, a condition."""
    assert published(body, title="关于2024年度年报进度的通报", signed="\n某某区市场监管局\n2024年6月2日\n") == []


def test_a_deadline_beside_a_state_reported_is_kept() -> None:
    body = "截至2024年6月2日,各区年报完成情况予以通报,请各区于6月10日前完成。"
    found = published(body, title="关于2024年度年报进度的通报", signed="\n某某区市场监管局\n2024年6月2日\n")
    assert found == [("deadline", None, dt.date(2024, 6, 10))]


# --- a span taken from a limit on a review ---------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    ["市、县科技部门对参评企业在3天内进行评价信息形式审查。", "主管部门对申报材料在5个工作日内进行审核。"],
)
def test_a_limit_on_a_review_is_no_deadline(body: str) -> None:
    assert published(body) == []


@pytest.mark.parametrize(
    "body",
    ["各县区对申报材料在5个工作日内进行审核并报送市科技局。", "请企业在10个工作日内进行整改并提交报告。"],
)
def test_a_limit_on_the_readers_own_act_keeps_its_deadline(body: str) -> None:
    assert [k for k, _, _ in published(body)] == ["deadline"]


# --- a range describing what was done, or what qualifies -------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "对企业2024年1月1日至2024年6月30日期间实施完成的境外展会项目费用给予支持。",
        "企业应当于2024年4月10日前，以年度报告的形式披露2024年1月1日至3月31日的环境信息。",
        "请报送2024年3月10日至3月31日的销售数据。",
        "此次专项资金支持项目执行期间为2024年3月1日至2024年12月31日，申报要求详见平台。",
        "提供从2024年3月1日至2024年12月31日期间投保的证明材料。",
    ],
)
def test_a_range_that_qualifies_or_tells_what_was_done_is_no_window(body: str) -> None:
    found = published(body, title="关于做好2024年度专项资金申报工作的通知")
    assert all(k != "window" for k, _, _ in found)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("受理时间为2024年4月1日至4月30日的工作日。", (dt.date(2024, 4, 1), dt.date(2024, 4, 30))),
        ("请于2024年4月1日至4月30日期间提交的材料加盖公章。", (dt.date(2024, 4, 1), dt.date(2024, 4, 30))),
        ("在2024年4月1日至30日期间，通过系统提交年度报告。", (dt.date(2024, 4, 1), dt.date(2024, 4, 30))),
    ],
)
def test_a_range_the_readers_act_in_stays_a_window(body: str, expected: tuple) -> None:
    found = published(body, title="关于做好2024年度专项资金申报工作的通知")
    assert [(s, e) for k, s, e in found if k == "window"] == [expected]


# --- when something about the applicant happened: what qualifies ----------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "注册成立日期在2024年3月31日之前的企业均可申报。",
        "设备购置时间为2024年3月1日至2024年12月31日。",
        "成立时间为2024年3月31日前的企业，可按本通知申报。",
    ],
)
def test_when_something_about_the_applicant_happened_is_no_deadline(body: str) -> None:
    assert published(body, title="关于开展2024年度高新技术企业申报工作的通知") == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("成立时间为2024年3月31日前的企业，须于2024年4月15日前提交申请。", [("deadline", None, dt.date(2024, 4, 15))]),
        ("申请时间为2024年3月10日至3月31日。", [("window", dt.date(2024, 3, 10), dt.date(2024, 3, 31))]),
        ("报到注册时间为2024年3月10日至3月11日。", [("window", dt.date(2024, 3, 10), dt.date(2024, 3, 11))]),
    ],
)
def test_the_readers_own_acts_beside_a_qualifying_date_keep_theirs(body: str, expected: list) -> None:
    """申请, 注册 (报到注册) are the readers' acts: their time is a window, not what qualifies."""
    assert published(body, title="关于开展2024年度高新技术企业申报工作的通知") == expected


# --- a span counted from the end of a limit --------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "未在规定时限内提交年报的机构，在规定时限外一个月内补报年度报告后，可申请移出。",
        "逾期未报的，应在期限外15日内补报。",
    ],
)
def test_a_span_counted_from_the_end_of_a_limit_is_not_counted_from_the_notice(body: str) -> None:
    """时限外一个月内: the month runs from a limit's end, which the notice does not date: a candidate at most."""
    assert published(body, title="关于做好2024年度专利代理机构年报工作的通知") == []


def test_a_span_counted_from_the_notice_stays_a_deadline() -> None:
    found = published("专利代理机构应在30日内提交年度报告。", title="关于做好2024年度专利代理机构年报工作的通知")
    assert found == [("deadline", None, dt.date(2024, 3, 31))]


# --- a policy's term named in the clause; a result named before the day it is published -----------


@pytest.mark.parametrize(
    "body",
    [
        "税收优惠政策执行期限延长至2027年12月31日。",
        "原有扶持政策实施期限顺延至2026年12月31日，具体按原文件执行。",
        "政策实施至2024年12月31日，请符合条件的企业于2024年6月30日前申报。",
    ],
)
def test_a_policys_term_named_in_its_clause_is_no_deadline(body: str) -> None:
    """Only the readers' own date (申报…前) stays; the policy's term is when the rules stop applying."""
    found = published(body, title="关于延续实施有关扶持政策的通知")
    assert all(end != dt.date(2027, 12, 31) and end != dt.date(2026, 12, 31) and end != dt.date(2024, 12, 31)
               for _, _, end in found)


def test_a_request_about_a_notices_execution_keeps_its_deadline() -> None:
    found = published("申报通知执行中如有问题，请于2024年4月1日前反馈。", title="关于延续实施有关扶持政策的通知")
    assert found == [("deadline", None, dt.date(2024, 4, 1))]


@pytest.mark.parametrize(
    "body",
    ["评审结果将于2024年5月20日前在市科技局网站公示。", "获奖名单于2024年5月20日公布。"],
)
def test_a_result_named_before_the_day_it_is_published_is_no_deadline(body: str) -> None:
    assert published(body, title="关于开展2024年度科技奖励评选的通知") == []


def test_a_list_the_readers_hand_in_keeps_its_deadline() -> None:
    found = published("推荐名单须于2024年5月20日前报送。", title="关于开展2024年度科技奖励评选的通知")
    assert found == [("deadline", None, dt.date(2024, 5, 20))]


# --- the period a report covers; a stage the issuer carries out -----------------------------------

STATS = "\n某某市统计局\n2024年3月1日\n"


def test_the_period_a_report_covers_is_no_window() -> None:
    assert published("报告期为2024年1月1日至2024年12月31日。", title="关于做好2024年度统计年报工作的通知", signed=STATS) == []


def test_a_reporting_deadline_stays_a_window() -> None:
    found = published("报告期限为2024年3月1日至3月31日。", title="关于做好2024年度统计年报工作的通知", signed=STATS)
    assert found == [("window", dt.date(2024, 3, 1), dt.date(2024, 3, 31))]


@pytest.mark.parametrize(
    "body",
    ["2024年3月1日至3月31日为数据审核阶段，由市统计局负责。", "2024年3月1日至3月31日为数据审核阶段，由市统计局负责审核各区上报数据。"],
)
def test_a_stage_the_issuer_carries_out_is_no_window(body: str) -> None:
    assert published(body, title="关于做好2024年度统计年报工作的通知", signed=STATS) == []


def test_a_stage_the_readers_carry_out_stays_a_window() -> None:
    body = "2024年3月1日至3月31日为企业填报阶段，由各企业自行填报。"
    found = published(body, title="关于做好2024年度统计年报工作的通知", signed=STATS)
    assert found == [("window", dt.date(2024, 3, 1), dt.date(2024, 3, 31))]


# --- a range in which a work was held or done ------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    ["项目须在2024年3月1日至2024年12月31日期间完成。", "活动于2024年3月10日至3月20日举办。", "申报项目时间原则上在2024年3月1日—2024年12月31日举办或完成。"],
)
def test_a_range_in_which_a_work_is_held_or_done_is_no_window(body: str) -> None:
    assert published(body, title="关于申报2024年促消费扶持资金项目的通知") == []


@pytest.mark.parametrize(
    "body", ["申报单位须在2024年3月1日至3月31日完成申报。", "请于2024年3月10日至3月20日完成网上填报。"]
)
def test_a_range_in_which_the_readers_file_stays_a_window(body: str) -> None:
    assert [k for k, _, _ in published(body, title="关于申报2024年促消费扶持资金项目的通知")] == ["window"]


def test_a_government_speaking_of_itself_as_shi_zhengfu() -> None:
    """某某市人民政府 writes 市政府: its own inspection is no deadline; what it asks of the districts is."""
    signed = "\n某某市人民政府\n2024年3月1日\n"
    assert published("市政府将于2024年4月20日组织督查组进行检查。", title="关于开展安全生产大检查的通知", signed=signed) == []
    assert published("请各区于2024年4月20日前将自查报告报市政府。", title="关于开展安全生产大检查的通知", signed=signed) == [
        ("deadline", None, dt.date(2024, 4, 20))
    ]


@pytest.mark.parametrize("doer", ["市科技局", "某某市科技局", "市科学技术局"])
def test_a_table_row_whose_doer_is_the_issuers_short_name_is_its_own(doer: str) -> None:
    body = (
        "工作安排如下:\n时间 | 工作内容 | 责任单位\n2024年3月20日前 | 提交申报材料 | 各申报单位\n"
        f"2024年3月30日前 | 汇总推荐名单并报省科技厅 | {doer}\n"
    )
    assert published(body, title="关于开展2024年度科技项目申报工作的通知", signed=BUREAU) == [("deadline", None, dt.date(2024, 3, 20))]


# --- the readers' own dates next to words those rules look for -------------------------------------


@pytest.mark.parametrize(
    ("body", "signed"),
    [
        ("各单位可在2024年4月1日至4月30日的工作时间内提交材料。", BUREAU),
        ("申报单位于2024年4月1日至4月30日的每个工作日到窗口办理。", BUREAU),
        ("请各区于2024年4月1日至4月30日报送推荐材料，由市科技局统一汇总上报。", BUREAU),
        ("各单位须于2024年4月1日至4月30日提交，由市科技局组织专家评审。", BUREAU),
        ("2024年4月1日至4月30日，由市科技局统一受理。", BUREAU),
        ("市工信局将于2024年4月1日至4月30日受理企业申报。", "\n某某市工业和信息化局\n2024年3月1日\n"),
        ("推荐名单于2024年4月1日至4月30日报送并公示。", BUREAU),
    ],
)
def test_the_readers_window_beside_the_issuers_words_is_kept(body: str, signed: str) -> None:
    """A window the readers act in, whatever the issuer does after it (由…汇总), takes in (受理), or publishes."""
    found = published(body, title="关于开展2024年度科技项目申报工作的通知", signed=signed)
    assert found == [("window", dt.date(2024, 4, 1), dt.date(2024, 4, 30))]


def test_a_result_the_organiser_releases_through_a_channel_is_no_deadline() -> None:
    """发布 is a verb of publishing, not of handing in (发)."""
    found = published("获奖名单将于2024年5月20日前通过公众号发布。", title="关于开展2024年度科技奖励评选的通知")
    assert found == []


def test_the_readers_issuing_a_document_by_a_day_is_their_deadline() -> None:
    """…前各学院印发《…》: a cue first and 各 in the doer, not a document's publication told as news."""
    found = published("2024年4月30日前各学院印发《学院实施方案》。", title="关于开展2024年度科技项目申报工作的通知", signed=BUREAU)
    assert found == [("deadline", None, dt.date(2024, 4, 30))]
