"""Dates that ask nothing of the readers (issue 15, precision), second part: a paper's validity, a system's own
step. Notices of our own writing, several variants each; each class also shows what stays a deadline."""

from __future__ import annotations

import datetime as dt

import pytest

from calendar_svc.classify import classify_notice
from calendar_svc.notices import split_notices

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
