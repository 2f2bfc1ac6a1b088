"""A what that is only a label or a heading (时间节点, 具体要求如下, 四、联系方式) gives way to the title's task. Notices of
our own writing."""

from __future__ import annotations

import pytest

from calendar_svc.classify import classify_notice
from calendar_svc.notices import split_notices

SIGNED = "\n市科学技术局\n2025年3月20日\n"


def records(text: str):
    deadlines = []
    for notice in split_notices(text, "n.txt"):
        deadlines += [d for d in classify_notice(notice)[0] if d.actionable]
    return deadlines


@pytest.mark.parametrize("label", ["三、时间节点", "时间要求", "四、具体安排", "五、联系方式"])
def test_a_label_over_a_lone_date_gives_way_to_the_title_task(label: str) -> None:
    (record,) = records("关于申报2025年度科技计划项目的通知\n各有关单位：\n" + label + "\n2025年4月10日前。\n" + SIGNED)
    assert record.what == "申报2025年度科技计划项目"


def test_a_label_stays_when_the_title_names_no_task() -> None:
    """Nothing better to say: the label is kept rather than a title without a verb."""
    (record,) = records("2025年度科技计划项目\n各有关单位：\n三、时间节点\n2025年4月10日前。\n" + SIGNED)
    assert record.what != "2025年度科技计划项目"
