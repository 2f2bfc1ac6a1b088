"""Dates that bound a term of validity are no deadlines (issue 15, precision): notices of our own making."""

from __future__ import annotations

import datetime as dt

import pytest

from calendar_svc.classify import classify_notice
from calendar_svc.notices import split_notices

SIGNED = "\n某某市商务局\n2024年1月10日\n"


def records(body: str, *, title: str = "关于支持外贸企业发展的若干措施") -> list[tuple]:
    """(kind, start, end, status) of every record, candidates included."""
    (notice,) = split_notices(f"{title}\n各有关单位：\n{body}\n{SIGNED}", "n.txt")
    deadlines, _ = classify_notice(notice)
    return [(d.kind, d.start, d.end, d.status) for d in deadlines if d.actionable]


# --- the notice's own term ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "第四条 本意见自印发之日起执行，2026年12月31日截止，由市商务局负责解释。",
        "本办法自2024年2月1日起施行，有效期至2028年12月31日。",
        "本政策有效期至2025年12月31日。",
        "本实施细则执行期限为2024年2月1日至2026年12月31日。",
        "本措施自2024年3月1日起实施，实施期限至2026年2月28日。",
        "第十条 本规定自2024年2月1日起施行，至2025年12月31日止。",
        "以上政策执行至2025年12月31日，由市商务局负责解释。",
        "本通知有效期为2024年1月10日至2026年1月9日。",
    ],
)
def test_the_notices_own_term_is_no_deadline_nor_a_candidate(body: str) -> None:
    """The end of a policy's term is when its rules stop applying: nobody files by it, so a reviewer is not asked."""
    assert records(body) == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("本通知自印发之日起施行，有效期至2026年12月31日，请各单位于2024年3月31日前提交申报材料。", dt.date(2024, 3, 31)),
        ("本次申报截止时间为2024年3月31日。", dt.date(2024, 3, 31)),
        ("本通知所称项目须于2024年6月30日前完成验收。", dt.date(2024, 6, 30)),
        ("上述材料请于2024年3月15日前报送至市商务局。", dt.date(2024, 3, 15)),
    ],
)
def test_a_task_beside_or_inside_a_self_reference_keeps_its_deadline(body: str, expected: dt.date) -> None:
    """本次 is no document, and a clause asking the readers to act is a deadline whatever opened the sentence."""
    assert records(body) == [("deadline", None, expected, "extracted")]


def test_a_window_counted_from_the_notice_is_no_term() -> None:
    body = "自本通知发布之日起至2024年3月31日止，符合条件的企业可登录系统提交申请。"
    assert records(body) == [("window", dt.date(2024, 1, 10), dt.date(2024, 3, 31), "extracted")]
