"""Property tests of the period grammar: every valid value written the way notices write it reads back to itself."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from calendar_svc import recurrence, workdays
from calendar_svc.classify import classify_notice
from calendar_svc.notices import split_notices
from calendar_svc.periods import count_from

#: Dates whose spans stay in years with holiday data (60 working days from 2026年9月15日 end in December);
#: a year without data is refused, which test_periods covers.
DATES = st.dates(dt.date(2024, 1, 1), dt.date(2026, 9, 15))
DIGITS = "〇一二三四五六七八九"


def chinese(n: int) -> str:
    """``15`` → ``十五``, ``20`` → ``二十``, ``7`` → ``七``: numbers as notices write them (1–99)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else "十" if tens == 1 else DIGITS[tens] + "十"
    return head + (DIGITS[ones] if ones else "")


def written(n: int, style: str) -> str:
    return {"arabic": str(n), "spaced": f" {n} ", "chinese": chinese(n), "wide": str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))}[style]


NUMBER_STYLES = st.sampled_from(["arabic", "spaced", "chinese", "wide"])


def read(sentence: str, signed: dt.date):
    text = f"关于报送材料的通知\n各有关单位：\n{sentence}\n某某市科学技术局\n{signed.year}年{signed.month}月{signed.day}日\n"
    [notice] = split_notices(text, "notice.txt")
    assert notice.date == signed
    deadlines, _ = classify_notice(notice)
    return deadlines


@settings(max_examples=40, deadline=None)
@given(DATES, st.integers(1, 60), NUMBER_STYLES, st.sampled_from(["请于{n}个工作日内报送推荐材料。", "各单位须在{n}个工作日内提交申报书。"]))
def test_working_days_read_back(signed: dt.date, n: int, style: str, template: str) -> None:
    [d] = read(template.format(n=written(n, style)), signed)
    assert (d.kind, d.end, d.status) == ("deadline", workdays.add_workdays(signed, n), "extracted")
    assert f"起第 {n} 个工作日" in d.basis


@settings(max_examples=40, deadline=None)
@given(
    DATES,
    st.integers(1, 99),
    NUMBER_STYLES,
    st.sampled_from(["本通知印发", "本通知发布", "通知下发", "本公告发布", "印发", "公布"]),
    st.sampled_from(["日", "天", "个自然日"]),
)
def test_days_from_publication_read_back(signed: dt.date, n: int, style: str, event: str, unit: str) -> None:
    [d] = read(f"请各单位自{event}之日起{written(n, style)}{unit}内报送项目申报书。", signed)
    assert (d.kind, d.start, d.end) == ("window", signed, signed + dt.timedelta(days=n))
    assert f"起 {n} 日内（当日不计入）" in d.basis


@settings(max_examples=30, deadline=None)
@given(DATES, st.integers(1, 24))
def test_months_from_publication_read_back(signed: dt.date, n: int) -> None:
    [d] = read(f"请自本通知印发之日起{n}个月内完成项目备案。", signed)
    assert d.end == count_from(signed, n, "months")
    months = (d.end.year - signed.year) * 12 + d.end.month - signed.month
    assert months == n and (d.end.day == signed.day or d.end.day < signed.day)


@settings(max_examples=30, deadline=None)
@given(DATES, st.integers(1, 60), NUMBER_STYLES, st.sampled_from(["收到通知", "合同期满", "公示结束", "项目验收"]))
def test_unknown_events_read_back_as_candidates_quoting_the_rule(signed: dt.date, n: int, style: str, event: str) -> None:
    found = read(f"项目单位应于{event}之日起{written(n, style)}日内报送材料。", signed)
    [d] = [r for r in found if r.status == "candidate"]
    assert f"（原文：“{event}之日起{written(n, style).strip()}日内”）" in d.doubt
    assert not [r for r in found if r.visible]


@settings(max_examples=40, deadline=None)
@given(DATES, st.one_of(st.integers(1, 28), st.just(-1)), st.booleans())
def test_monthly_deadlines_read_back(signed: dt.date, day: int, in_chinese: bool) -> None:
    said = "月底" if day == -1 else (chinese(day) if in_chinese else str(day)) + "日"
    [d] = read(f"请各项目单位于每月{said}前报送项目进展情况。", signed)
    rule = recurrence.parse(d.repeat)
    assert (rule.freq, rule.monthday, rule.until) == ("MONTHLY", day, dt.date(d.end.year, 12, 31))
    assert d.end >= signed and (d.end - signed).days < 31  # the first occurrence on or after the notice's date
    assert recurrence.occurrences(d)[0].end == d.end
