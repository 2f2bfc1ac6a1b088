"""Who a task is for when the notice names the public it is about, not a salutation or a filer. Notices of our
own writing."""

from __future__ import annotations

import pytest

from calendar_svc.classify import classify_notice
from calendar_svc.notices import split_notices

SIGNED = "\n市税务局\n2025年3月20日\n"


def records(text: str):
    deadlines = []
    for notice in split_notices(text, "n.txt"):
        deadlines += [d for d in classify_notice(notice)[0] if d.actionable]
    return deadlines


@pytest.mark.parametrize(
    "body",
    [
        "企业所得税预缴申报期限：2025年4月1日至4月18日；个人所得税申报期限：2025年4月1日至4月18日；",
        "个人所得税申报期限：2025年4月1日-4月18日\n企业所得税季度预缴申报期限：2025年4月1日-4月18日\n",
        "一、房产税申报期限：2025年4月1日至4月18日。\n二、水利建设基金申报期限：2025年4月1日至4月18日。\n",
        "消费税及附加申报期限：2025年4月1日至4月18日；印花税申报期限：2025年4月1日至4月18日；",
    ],
)
def test_a_tax_calendar_is_for_taxpayers_not_for_the_party_its_taxes_are_named_by(body: str) -> None:
    """企业所得税 and 个人所得税 name taxes, not who acts; a title about 纳税 names the public better than 申报."""
    found = records("2025年4月纳税申报期限一览表\n" + body + SIGNED)
    assert len(found) == 2
    assert {d.who for d in found} == {"纳税人"}


@pytest.mark.parametrize(
    ("body", "who"),
    [
        ("各企业：\n请于2025年4月18日前通过电子税务局报送企业基本信息表。", "各企业"),
        ("企业应于2025年4月18日前报送年度财务报表。", "企业"),
        ("扣缴义务人应于2025年4月15日前报送代扣代缴税款报告表。", "扣缴义务人"),
        ("纳税义务人应于2025年5月31日前办理综合所得税结算申报。", "纳税义务人"),
    ],
)
def test_a_party_named_as_the_subject_still_acts(body: str, who: str) -> None:
    (record,) = records("关于报送有关资料的通知\n" + body + SIGNED)
    assert record.who == who


PUBLIC = "\n某镇人民政府\n2025年3月20日\n"


@pytest.mark.parametrize(
    ("body", "who"),
    [
        ("请被征收土地范围内的土地所有权人、使用权人持土地权属证书于2025年4月10日前到村民委员会办理补偿登记。",
         "被征收土地范围内的土地所有权人、使用权人"),
        ("适龄儿童家长须于2025年4月10日前登录招生平台登记入园信息。", "适龄儿童家长"),
        ("家长凭户口簿于2025年4月10日前到幼儿园门卫室领取报名表。", "家长"),
        ("符合条件的幼儿由监护人于2025年4月10日前带齐资料到幼儿园现场报名。", "监护人"),
        ("为保证船主及时领取补助,全镇渔船船主须于2025年4月10日前到服务大厅申报。", "全镇渔船船主"),
        ("各村要引导居民于2025年4月10日前缴纳2025年度城乡居民医疗保险费。", "居民"),
        ("违章搭建的车主应于2025年4月10日前自行拆除。", "违章搭建的车主"),
    ],
)
def test_the_public_a_notice_is_about_acts(body: str, who: str) -> None:
    """Parties of public notices are actor words (权利人, 家长, 监护人, 船主, 居民); a relay (由, 引导, 保证) passes the task
    on; 凭/持/携 follow a subject like a modal; 村民委员会 and 居民身份证 name no one."""
    (record,) = records("关于做好有关工作的通告\n" + body + PUBLIC)
    assert record.who == who


def test_an_office_or_a_paper_named_after_the_public_names_no_one() -> None:
    (record,) = records("关于做好有关工作的通告\n各单位：\n持有居民身份证的人员请于2025年4月10日前到村民委员会登记。" + PUBLIC)
    assert record.who == "持有居民身份证的人员"


@pytest.mark.parametrize(
    ("body", "who"),
    [
        ("各有关单位：\n鼓励参会人员于2025年4月10日前提交论文摘要。", "参会人员"),
        ("各有关单位：\n今年创新型中小企业须于2025年4月10日前完成自评。", "创新型中小企业"),
        ("各排污单位：\n请于2025年4月10日前向环境监察机构申报排污情况。", "各排污单位"),
    ],
)
def test_a_name_opens_on_its_party_not_on_a_verb_a_destination_or_a_time(body: str, who: str) -> None:
    """鼓励 passes the task on like 引导; 今年 leads a clause; 向环境监察机构 is where the task goes, not who acts."""
    (record,) = records("关于做好有关工作的通知\n" + body + PUBLIC)
    assert record.who == who
