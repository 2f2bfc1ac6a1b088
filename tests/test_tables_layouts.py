"""Layouts and scripts of schedules (issue 15): notices of our own making, several variants each.

Flattened schedule tables, dotted-date schedule lines, statistical report tables (a form code glued
to the date, 号 for 日), and traditional notices (零/○ numerals, 五時三十分, 中午十二時正, 民國 years).
Each notice must give its deadlines and nothing incidental (表号 digits, years in labels, the 落款).
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calendar_svc.classify import classify_notice
from calendar_svc.dates import YearContext, find_mentions, resolve_range
from calendar_svc.model import SHANGHAI
from calendar_svc.notices import split_notices
from calendar_svc.script import simplified_reading

CN = "零一二三四五六七八九十"


def cn_number(n: int) -> str:
    """1..59 as Chinese numerals write a clock: 五, 十五, 三十, 四十五."""
    if n <= 10:
        return CN[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN[tens]) + "十" + (CN[ones] if ones else "")


def published(text: str) -> list:
    """The published actionable records of a notice given as its whole text."""
    (notice,) = split_notices(text, "notice.txt")
    deadlines, _ = classify_notice(notice)
    return [d for d in deadlines if d.actionable and d.status != "candidate"]


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


# -- traditional Chinese: minutes in numerals -------------------------------------------------------


@settings(max_examples=120, deadline=None)
@given(
    day=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)),
    hour=st.integers(1, 11),
    minute=st.integers(1, 59),
    part=st.sampled_from(["上午", "下午"]),
    hour_char=st.sampled_from(["時", "时", "點"]),
    zero=st.booleans(),
)
def test_any_time_with_minutes_in_chinese_numerals_parses_back(day, hour, minute, part, hour_char, zero) -> None:
    """``下午五時三十分``, ``上午九時零五分``: the minutes count, not only the hour."""
    minutes = ("零" if zero else "") + cn_number(minute) if minute < 10 else cn_number(minute)
    text = f"{day.year}年{day.month}月{day.day}日{part}{cn_number(hour)}{hour_char}{minutes}分前遞交"
    (mention,) = find_mentions(simplified_reading(text))
    value = resolve_range(mention.start, mention.close, YearContext())[1]
    assert value == dt.datetime.combine(day, dt.time(hour + (12 if part == "下午" else 0), minute), tzinfo=SHANGHAI)


@pytest.mark.parametrize("text", ["2024年3月15日下午五時三十份", "2024年3月15日下午五時\n三十日前", "2024年3月15日上午十時三十"])
def test_numerals_after_an_hour_without_fen_are_no_minutes(text: str) -> None:
    """Chinese minutes need their 分: ``三十份`` or a next line's ``三十日`` leave the hour alone."""
    mention = find_mentions(simplified_reading(text))[0]
    assert (mention.close.hour, mention.close.minute) in ((17, 0), (10, 0))


MACAU_WINDOW = """通 告
為配合「二○二四年度中小企業援助計劃」,經濟及科技發展局現接受申請。
申請期:由二○二四年四月一日至二○二四年四月三十日{close}止,有意申請者須於上述期限內遞交申請表。
查詢電話:8798 1234
二○二四年三月二十五日
經濟及科技發展局局長
"""


@pytest.mark.parametrize(
    ("close", "end"),
    [("下午五時三十分", at(2024, 4, 30, 17, 30)), ("中午十二時正", at(2024, 4, 30, 12)), ("下午5時30分", at(2024, 4, 30, 17, 30))],
)
def test_a_macau_application_period_closes_to_the_minute(close: str, end: dt.datetime) -> None:
    found = published(MACAU_WINDOW.format(close=close))
    assert [(d.kind, d.start, d.end) for d in found] == [("window", at(2024, 4, 1, 0, 0), end)]


@pytest.mark.parametrize(
    ("body", "end"),
    [
        ("三、截止遞交投標書日期及時間:二零二四年三月十五日中午十二時正。\n四、公開開標日期及時間:二零二四年三月十八日上午十時正。", at(2024, 3, 15, 12)),
        ("投標者須於二零二四年三月十五日下午五時四十五分前遞交投標書。\n開標日期:二零二四年三月十八日上午九時三十分。", at(2024, 3, 15, 17, 45)),
        ("截標時間:二〇二四年三月十五日(星期五)上午十一時零五分。\n開標時間:二〇二四年三月十八日(星期一)上午十時正。", at(2024, 3, 15, 11, 5)),
    ],
)
def test_a_macau_tender_closes_at_its_cut_off_to_the_minute(body: str, end: dt.datetime) -> None:
    """The cut-off is the deadline; the opening of the bids (開標) is the authority's own act."""
    found = published(f"公開招標\n澳門特別行政區政府文化局\n{body}\n二零二四年二月二十日\n")
    assert [d.end for d in found] == [end]


# -- statistical report tables ----------------------------------------------------------------------


def test_a_report_table_flattened_to_lines_stops_at_the_prose_after_it() -> None:
    """表号 / 报表名称 / 报送时间, one cell a line: the closing sentence and the 落款 are no row."""
    found = published(
        "关于报送第四季度统计报表的通知\n各单位:\n请各单位按下表时间报送报表:\n表号\n报表名称\n报送时间\n"
        "A101-1表\n工业产值月报\n2024年12月5号前\nE201表\n能源购进消费季报\n2025年1月12号前\n"
        "请严格按时报送。\n某某区统计局\n2024年11月28日\n"
    )
    assert [(d.end, d.what) for d in found] == [
        (dt.date(2024, 12, 5), "报送:工业产值月报"),
        (dt.date(2025, 1, 12), "报送:能源购进消费季报"),
    ]
