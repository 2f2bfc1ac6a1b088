"""Dates listed per batch, windows cut from long sentences, office-hour asides and plan years: own notices."""

from __future__ import annotations

import datetime as dt

import pytest

from calendar_svc.classify import classify_notice
from calendar_svc.dates import find_mentions
from calendar_svc.model import SHANGHAI
from calendar_svc.notices import split_notices


def found(body: str, *, title: str = "关于组织推荐2021年度专精特新中小企业的通知", signed: str = "\n某某市经济和信息化局\n2021年10月8日\n"):
    (notice,) = split_notices(f"{title}\n各县(市、区)经信部门:\n{body}\n{signed}", "notice.txt")
    deadlines, _ = classify_notice(notice)
    return [(d.kind, d.start, d.end) for d in deadlines if d.actionable and d.status != "candidate"]


@pytest.mark.parametrize(
    "body",
    [
        "请分两批次分别于2021年11月15日、2022年2月10日前将推荐文件报市经信局。",
        "推荐材料分别于11月15日、2月10日前报送市经信局。",
        "两批材料请依次于2021年11月15日、2022年2月10日前报送。",
    ],
)
def test_dates_listed_one_per_batch_are_two_deadlines(body: str) -> None:
    assert found(body) == [("deadline", None, dt.date(2021, 11, 15)), ("deadline", None, dt.date(2022, 2, 10))]


def test_without_a_word_for_each_the_pair_stays_one_period() -> None:
    (mention,) = find_mentions("报名时间为10月22日、11月2日")
    assert mention.is_range


@pytest.mark.parametrize(
    "body",
    [
        "1.自然科学基金委员会2017年度项目申请集中接收工作自2017年3月1日开始,3月20日16时截止(3月18-19日办公,其他法定节假日不办公),请各依托单位及时提交申请书并按要求报送纸质材料。",
        "本年度项目申请书的集中接收工作,经研究,自2017年3月1日开始接收,至3月20日16时截止,届时系统关闭,请各单位认真组织申请人按时完成在线填报和提交工作。",
    ],
)
def test_a_window_whose_sentence_is_cut_around_each_date_is_one_window(body: str) -> None:
    records = found(body, title="关于2017年度国家自然科学基金项目申请集中接收工作的通知", signed="\n国家自然科学基金委员会\n2017年1月5日\n")
    assert records == [("window", dt.datetime(2017, 3, 1, tzinfo=SHANGHAI), dt.datetime(2017, 3, 20, 16, tzinfo=SHANGHAI))]


@pytest.mark.parametrize("aside", ["(3月18-19日办公)", "(3月18日、19日正常上班)", ",3月18日值班"])
def test_office_hours_beside_a_deadline_are_no_deadline(aside: str) -> None:
    records = found(f"申请书请于3月20日16时前提交{aside}。", title="关于2017年度项目申请的通知", signed="\n某某委员会\n2017年1月5日\n")
    assert records == [("deadline", None, dt.datetime(2017, 3, 20, 16, tzinfo=SHANGHAI))]


@pytest.mark.parametrize("span", ["2025-2027年", "2025—2027年", "2025至2027年"])
def test_a_plans_span_of_years_dates_what_is_asked_now_by_its_first_year(span: str) -> None:
    records = found(
        "请各申报企业于10月11日17时前将盖章版申报书报送市市场监管局。",
        title=f"关于组织开展{span}知识产权强国建设示范创建工作的通知",
        signed="",
    )
    assert records == [("deadline", None, dt.datetime(2025, 10, 11, 17, tzinfo=SHANGHAI))]


@pytest.mark.parametrize(
    "body",
    [
        "凡于2015年12月31日前登记注册并存续的企业须在2016年1月1日至6月30日期间报送2015年度报告。",
        "凡2015年12月31日前登记的个体工商户,均应于2016年1月1日至6月30日期间报送年度报告。",
        "对于2015年底前成立的合作社,应在2016年1月1日至6月30日期间报送年度报告。",
    ],
)
def test_a_date_brought_in_as_an_obligation_is_the_task_after_a_condition(body: str) -> None:
    records = found(body, title="关于开展2015年度报告公示工作的通知", signed="\n某某市工商行政管理局\n2015年12月20日\n")
    assert records == [("window", dt.date(2016, 1, 1), dt.date(2016, 6, 30))]


@pytest.mark.parametrize(
    "body",
    [
        "申报成果产生的时间范围应在2016年12月1日至2017年11月30日。",
        "凡于2015年12月31日前登记注册的企业均可申报。",
    ],
)
def test_a_scope_is_still_no_task(body: str) -> None:
    assert found(body, title="关于开展2017年度成果申报的通知", signed="\n某某处\n2015年12月20日\n") == []


@pytest.mark.parametrize(
    "body",
    [
        "贷款利率自2024年3月27日起由1.595%调整为1.72%,请借款人知悉。",
        "补贴标准自2024年3月1日起由每月1500元提高到2000元,申请人无需重新申请。",
    ],
)
def test_a_rate_changed_from_a_day_on_takes_effect_and_asks_nothing(body: str) -> None:
    assert found(body, title="关于调整住房补贴标准的公告", signed="\n某某市住房局\n2024年3月1日\n") == []


def test_a_period_that_opens_on_a_day_is_still_a_start() -> None:
    records = found("申报系统自2024年3月27日起开放,请申报单位登录系统填报。", title="关于申报2024年度项目的通知", signed="\n某某局\n2024年3月1日\n")
    assert [kind for kind, _, _ in records] == ["start"]


@pytest.mark.parametrize("line", ["1月3日—8日国家电影事业发展专项资金代收;", "1月3日—8日工会经费税务代收;"])
def test_a_fee_the_tax_office_collects_is_a_payment_window(line: str) -> None:
    records = found(f"现将2018年度申报纳税期限明确如下:\n{line}", title="国家税务总局关于明确2018年度申报纳税期限的通知", signed="\n国家税务总局办公厅\n2017年12月20日\n")
    assert records == [("window", dt.date(2018, 1, 3), dt.date(2018, 1, 8))]
