"""Dates that ask nothing of the readers (issue 15, precision): notices of our own making, several variants each."""

from __future__ import annotations

import datetime as dt

import pytest

from calendar_svc.classify import classify_notice
from calendar_svc.notices import split_notices

SIGNED = "\n某某市科学技术局\n2024年3月1日\n"


def published(body: str, *, title: str = "关于做好2024年度项目申报工作的通知", signed: str = SIGNED) -> list[tuple]:
    (notice,) = split_notices(f"{title}\n各有关单位：\n{body}\n{signed}", "n.txt")
    deadlines, _ = classify_notice(notice)
    return [(d.kind, d.start, d.end) for d in deadlines if d.actionable and d.status != "candidate"]


# --- a sentence that tells what was done -------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "此次征集于2024年3月5日在市政府网站公开，至2024年4月5日截止，共收到了各类意见建议36条。",
        "该公告于2024年3月10日对外发布，到2024年3月31日结束，征集了社会公众的立法建议。",
        "4月15日前，各区已经按要求报送了推荐名单，市科技局汇总了有关情况。",
    ],
)
def test_a_sentence_telling_what_was_done_asks_nothing(body: str) -> None:
    """A report without a date of its own: its dates cannot be told past by the calendar."""
    assert published(body, title="关于立法建议征集情况的说明", signed="") == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("为了做好申报工作，请各单位于2024年4月15日前报送推荐名单。", ("deadline", None, dt.date(2024, 4, 15))),
        ("已经注册了账号的单位，须于2024年4月15日前完成网上填报。", ("deadline", None, dt.date(2024, 4, 15))),
        ("申报人应于2024年4月15日前提交申报书，以便了解项目进展。", ("deadline", None, dt.date(2024, 4, 15))),
    ],
)
def test_a_request_beside_a_told_act_is_still_a_deadline(body: str, expected: tuple) -> None:
    assert published(body) == [expected]


# --- the organiser reviewing the readers or their filings --------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "2.2024年4月9日,学院对申请人进行考核、审查、筛选;",
        "(二)2024年4月10日，推荐委员会对候选人进行遴选。",
        "3、4月12日,专家组对申报项目进行评审。",
    ],
)
def test_the_organiser_reviewing_applicants_is_no_deadline(line: str) -> None:
    body = "工作安排如下：\n1.2024年4月1日-4月8日,学生本人向所在学院提出申请,填写申请表;\n" + line
    assert published(body, title="关于做好推荐工作的通知") == [("window", dt.date(2024, 4, 1), dt.date(2024, 4, 8))]


@pytest.mark.parametrize(
    "line",
    [
        "请各单位于2024年4月10日前对申报材料进行审核。",
        "2024年4月10日前，各区科技局对辖区项目进行审核后报送市科技局。",
        "材料发送至邮箱，时间截止到2024年4月10日,市科技局对申报项目进行审核。",
    ],
)
def test_readers_reviewing_their_own_filings_keep_their_deadline(line: str) -> None:
    assert published(line) == [("deadline", None, dt.date(2024, 4, 10))]


@pytest.mark.parametrize(
    "line",
    [
        "请各市于2024年4月10日前报送高新技术企业认定(复核)推荐表。",
        "各区科技局应于2024年4月10日前上报专家评审意见汇总表。",
        "请各学院2024年4月10日之前提交形式审查登记表及推荐材料。",
        "各县市区务必于2024年4月10日前递交资格复核申请书。",
    ],
)
def test_a_review_named_in_what_is_handed_in_is_no_organiser_step(line: str) -> None:
    """报送…认定(复核)推荐表: the review word is the name of the paper the readers hand in, not the organiser at work."""
    assert published(line) == [("deadline", None, dt.date(2024, 4, 10))]


@pytest.mark.parametrize(
    "line",
    ["2024年4月10日前,市科技局组织专家评审并公布结果。", "2024年4月10日,学校复核推荐材料。"],
)
def test_the_organiser_reviewing_before_any_handing_in_stays_its_step(line: str) -> None:
    assert published(line) == []


# --- a group selected by whether it can meet a date --------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "对无暇在2024年3月31日前提交项目申报的一线医疗机构科研人员,将适时再次开放申报系统。",
        "对未能在2024年3月31日前完成网上注册的中小企业,可另行补报。",
        "确因疫情未能于2024年3月31日前报送材料的各类研发机构,另行通知补报时间。",
    ],
)
def test_a_group_selected_by_a_date_is_no_deadline(body: str) -> None:
    assert published(body) == []


def test_a_deadline_followed_by_a_plain_object_phrase_is_kept() -> None:
    body = "请各单位于2024年3月31日前报送申报书的纸质版和电子版各一份。"
    assert published(body) == [("deadline", None, dt.date(2024, 3, 31))]


# --- a document named after 详见/参见 is no act of the organiser -------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "企业通过管理系统完成注册和测评,3月31日前完成具体注意事项详见附件3复核工作流程说明。",
        "各申报单位8月31日前完成网上填报具体事项参见专家评审办法(附件2)。",
        "申请人须于3月31日前提交申请书,具体要求见附件形式审查要点。",
    ],
)
def test_a_document_named_after_see_is_no_organisers_step(body: str) -> None:
    ((kind, _, end),) = published(body)
    assert kind == "deadline" and end.day == 31


def test_the_organisers_step_before_a_reference_is_still_its_own() -> None:
    assert published("4月10日前完成专家评审,详见附件。") == []


# --- enforcement notices: what the public must do is an act; the authority's enforcement is its own step ----


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("请违法建筑当事人于2024年5月20日前自行拆除违章搭建的彩钢棚。", dt.date(2024, 5, 20)),
        ("责令上述企业于2024年6月30日前整改到位，逾期不整改的，将依法予以处罚。", dt.date(2024, 6, 30)),
        ("请相关经营户于2024年4月15日前自行搬迁至新市场。", dt.date(2024, 4, 15)),
        ("车主须在2024年7月31日前为车辆牌照续期。", dt.date(2024, 7, 31)),
        ("持证人应于2024年9月30日前到窗口换领新版许可证。", dt.date(2024, 9, 30)),
        ("当事人须于2024年5月20日前彻底拆除违法建筑，逾期不拆除的，将依法强制拆除。", dt.date(2024, 5, 20)),
    ],
    ids=["自行拆除", "整改", "搬迁", "续期", "换领", "拆除-逾期强拆"],
)
def test_what_the_public_must_do_in_an_enforcement_notice_is_an_act(body: str, expected: dt.date) -> None:
    assert published(body, title="关于限期拆除违法建筑的通告") == [("deadline", None, expected)]


@pytest.mark.parametrize(
    "body",
    [
        "2024年5月21日至6月20日，各相关职能部门将组织力量对未自行拆除的违章建筑，予以强制拆除。",
        "2024年5月21日起，城管执法局对逾期不拆除的违法建筑依法拆除，费用由当事人承担。",
        "2024年7月1日至7月31日，对未按期整改的摊位强制清理。",
    ],
    ids=["强制拆除", "依法拆除", "强制清理"],
)
def test_the_authoritys_enforcement_after_the_deadline_is_its_own_step(body: str) -> None:
    assert published(body, title="关于限期拆除违法建筑的通告") == []


# --- two readers addressed on one day -----------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "一、各幼儿园于2024年6月10日前报送招生方案。\n二、各乡镇民办幼儿园招生简章于2024年6月10日之前报送中心学校备案。",
        "各中学于2024年6月10日前报送招生计划。\n各乡镇中心校招生方案2024年6月10日前交县教育局备案。",
        "各幼儿园于2024年6月10日前提交招生公告。\n各乡镇公办园招生方案2024年6月10日前交各中心校审核备案。",
    ],
)
def test_two_readers_addressed_on_one_day_are_two_tasks(body: str) -> None:
    """Each sentence opens with readers of its own (各…): two tasks on one day, even when the roles name neither."""
    assert [r[2] for r in published(body, title="关于做好2024年秋季招生工作的通知")] == [dt.date(2024, 6, 10)] * 2


@pytest.mark.parametrize(
    "body",
    [
        "各学院于2024年6月10日前提交推荐名单。\n各学院推荐名单于2024年6月10日前以正式文件报送。",
        "请各单位于2024年6月10日前报送申报书。\n各单位务必于2024年6月10日前报送,逾期不予受理。",
    ],
)
def test_the_same_readers_addressed_again_restate_their_task(body: str) -> None:
    assert published(body) == [("deadline", None, dt.date(2024, 6, 10))]
