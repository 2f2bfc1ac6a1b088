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
