"""The date grammar: every spelling listed in the spec, and round trips by property."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calendar_svc.dates import (
    ImpossibleDate,
    Moment,
    YearContext,
    find_mentions,
    parse_number,
    resolve_range,
    to_value,
)
from calendar_svc.model import SHANGHAI
from calendar_svc.script import simplified_reading as simplified


def only(text: str):
    mentions = find_mentions(text)
    assert len(mentions) == 1, [m.text for m in mentions]
    return mentions[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024年8月26日", Moment(2024, 8, 26)),
        ("2024 年 9 月 30 日", Moment(2024, 9, 30)),
        ("2024 年\n9月16日", Moment(2024, 9, 16)),
        ("２０２４年８月２６日", Moment(2024, 8, 26)),
        ("二〇二四年八月二十六日", Moment(2024, 8, 26)),
        ("二○二三年十二月三十一日", Moment(2023, 12, 31)),
        ("十月三十一日", Moment(None, 10, 31)),
        ("9 月 15 日", Moment(None, 9, 15)),
        ("2024-08-26", Moment(2024, 8, 26)),
        ("2024.8.26", Moment(2024, 8, 26)),
        ("2024/8/26", Moment(2024, 8, 26)),
        ("2024年6月底", Moment(2024, 6, None, end_of="month")),
        ("9月底", Moment(None, 9, None, end_of="month")),
        ("2025年底", Moment(2025, 12, 31, end_of="year")),
        ("元月5日", Moment(None, 1, 5)),
        ("2005年元旦", Moment(2005, 1, 1)),
    ],
)
def test_date_spellings(text: str, expected: Moment) -> None:
    mention = only(f"请于{text}前报送。")
    assert mention.close == expected
    assert mention.start is None


@pytest.mark.parametrize(
    ("text", "hour", "minute"),
    [
        ("2024年9月30日16:00", 16, 0),
        ("2024年9月30日 16：00", 16, 0),
        ("2024年9月30日17时", 17, 0),
        ("2024年9月30日17时30分", 17, 30),
        ("2024年9月30日下午5点", 17, 0),
        ("2024年9月30日下午5点半", 17, 30),
        ("2024年9月30日上午9时", 9, 0),
        ("2024年9月30日（星期一）17:30", 17, 30),
        ("2024年9月30日24时", 24, 0),
        ("二〇二四年九月三十日十七时", 17, 0),
    ],
)
def test_times(text: str, hour: int, minute: int) -> None:
    close = only(text + "前").close
    assert (close.hour, close.minute) == (hour, minute)


def test_24_hours_is_the_last_minute_of_the_same_day() -> None:
    value = to_value(Moment(2021, 8, 3, 24, 0), 2021)
    assert value == dt.datetime(2021, 8, 3, 23, 59, tzinfo=SHANGHAI)


def test_part_of_day_without_clock_is_kept_but_not_a_time() -> None:
    close = only("2月22日上午 | 交到科技处").close
    assert close.part_of_day == "上午" and close.hour is None


def test_weekday_note_is_part_of_the_mention() -> None:
    mention = only("纳税申报期限进一步延至2月28日(星期五)")
    assert mention.text == "2月28日(星期五)"


@pytest.mark.parametrize(
    ("text", "start", "close"),
    [
        ("2024年8月26日8:00至9月27日16:00", Moment(2024, 8, 26, 8, 0), Moment(None, 9, 27, 16, 0)),
        ("2024 年 8 月 29 日 8:00 至 2024 年 10 月 8 日 16:00", Moment(2024, 8, 29, 8, 0), Moment(2024, 10, 8, 16, 0)),
        ("4月20日-24日", Moment(None, 4, 20), Moment(None, 4, 24)),
        ("2023年3月6日—2023年4月5日", Moment(2023, 3, 6), Moment(2023, 4, 5)),
        ("2023年3月6日–4月5日", Moment(2023, 3, 6), Moment(None, 4, 5)),
        ("2023年3月6日~4月5日", Moment(2023, 3, 6), Moment(None, 4, 5)),
        ("2023年3月6日～4月5日", Moment(2023, 3, 6), Moment(None, 4, 5)),
        ("2023年3月6日到4月5日", Moment(2023, 3, 6), Moment(None, 4, 5)),
        ("2019年9月4日起至2019年9月8日", Moment(2019, 9, 4), Moment(2019, 9, 8)),
        ("8月27日、28日", Moment(None, 8, 27), Moment(None, 8, 28)),
        ("9月27日8:00至16:00", Moment(None, 9, 27, 8, 0), Moment(None, 9, 27, 16, 0)),
        ("2021年6月28日0时至7月23日24时", Moment(2021, 6, 28, 0, 0), Moment(None, 7, 23, 24, 0)),
    ],
)
def test_ranges(text: str, start: Moment, close: Moment) -> None:
    mention = only(f"受理时间为{text}。")
    assert mention.start == start
    assert mention.close == close


def test_range_with_the_month_repeated_but_first_day_bare() -> None:
    mention = only("公示时间为2024年10月18-10月28日。")
    assert (mention.start, mention.close) == (Moment(2024, 10, 18), Moment(None, 10, 28))


@pytest.mark.parametrize("opening", ["即日起至", "即日至", "自发布之日起至", "从本公告发布之日起至", "自印发之日起到", "于现在至", "现在起到", "在现在 至"])
def test_from_now_range(opening: str) -> None:
    mention = only(f"{opening}2024年10月8日止")
    assert mention.from_now and mention.close == Moment(2024, 10, 8)


def test_lunar_first_month_is_not_january() -> None:
    assert find_mentions("正月十五日") == []


def test_month_list_gives_one_mention_per_month() -> None:
    mentions = find_mentions("1月、6月、7月申报纳税期限分别截至当月15日。")
    assert [(m.close.month, m.close.day) for m in mentions] == [(1, 15), (6, 15), (7, 15)]


@pytest.mark.parametrize(
    "text",
    ["2025年2月、3月、4月分别截至当月15日前报送。", "请于二〇二五年2月、3月和4月的报表分别截至当月15日报送。", "2025 年 2 月、3 月、4 月申报期限截至当月15日"],
)
def test_a_year_leading_a_month_list_is_the_year_of_every_month(text: str) -> None:
    assert [m.close for m in find_mentions(text)] == [Moment(2025, 2, 15), Moment(2025, 3, 15), Moment(2025, 4, 15)]


def test_list_mark_before_a_date() -> None:
    assert only("2.2024年9月30日前提交").close == Moment(2024, 9, 30)
    assert only("b.10月22日,研究生提交").close == Moment(None, 10, 22)


@pytest.mark.parametrize("text", ["http://example.gov.cn/2024/08/26/n.html", "20230424/5192.html", "电话 0551-62648501", "第1921次会议", "增长 9.5%", "v2.4.1"])
def test_not_dates(text: str) -> None:
    assert find_mentions(text) == []


def test_offsets_point_into_the_original_text() -> None:
    text = "请于２０２４年８月２６日前送至规划司"
    mention = only(text)
    assert text[mention.begin : mention.end] == "２０２４年８月２６日" == mention.text


@pytest.mark.parametrize(
    ("token", "value"),
    [("16", 16), ("十", 10), ("十六", 16), ("二十", 20), ("三十一", 31), ("廿五", 25), ("二〇二四", 2024), ("二○二三", 2023)],
)
def test_numbers(token: str, value: int) -> None:
    assert parse_number(token) == value


# --- years -----------------------------------------------------------------


def resolve(text: str, anchor: dt.date | None = None, context_year: int | None = None, programme: bool = False):
    mention = only(text)
    return resolve_range(mention.start, mention.close, YearContext(anchor, "notice date", context_year, "context", programme))


def test_omitted_year_comes_from_the_notice_date() -> None:
    assert resolve("于 9 月 15 日前", anchor=dt.date(2024, 8, 1))[1] == dt.date(2024, 9, 15)


def test_omitted_year_rolls_into_next_year_after_a_december_notice() -> None:
    start, end, how = resolve("1月15日前", anchor=dt.date(2024, 12, 30))
    assert end == dt.date(2025, 1, 15)
    assert "2025" in how


def test_next_year_named_in_the_notice_wins_for_dates_just_before_it() -> None:
    # A 2019-12-20 notice about the 2020 calendar: 12月15日 is 2020-12-15, not a past date.
    assert resolve("12月15日", anchor=dt.date(2019, 12, 20), context_year=2020, programme=True)[1] == dt.date(2020, 12, 15)


def test_a_plain_year_named_in_the_notice_does_not_roll_a_date_just_before_it() -> None:
    # 2020年中央预算内项目 in a news item of 2019-11-17: 11月16日 is the day before, told as done.
    assert resolve("11月16日", anchor=dt.date(2019, 11, 17), context_year=2020)[1] == dt.date(2019, 11, 16)


def test_this_year_and_next_year() -> None:
    assert resolve("今年6月30日前", anchor=dt.date(2019, 3, 1))[1] == dt.date(2019, 6, 30)
    assert resolve("明年1月15日前", anchor=dt.date(2019, 3, 1))[1] == dt.date(2020, 1, 15)


def test_without_a_notice_date_the_written_context_year_is_used() -> None:
    start, end, how = resolve("2月28日前", context_year=2020)
    assert end == dt.date(2020, 2, 28) and "通知未写日期" in how


def test_without_any_year_the_user_is_asked_for_one() -> None:
    with pytest.raises(LookupError, match="--date"):
        resolve("2月28日前")


def test_range_right_side_inherits_year_and_rolls_over_new_year() -> None:
    start, end, _ = resolve("2024年12月20日至1月10日")
    assert start == dt.date(2024, 12, 20) and end == dt.date(2025, 1, 10)


def test_range_into_a_leap_day_of_next_year() -> None:
    assert resolve("1999年7月1日至2月29日")[:2] == (dt.date(1999, 7, 1), dt.date(2000, 2, 29))


def test_month_end() -> None:
    assert resolve("2024年2月底前")[1] == dt.date(2024, 2, 29)


def test_impossible_dates_are_reported_not_shifted() -> None:
    with pytest.raises(ImpossibleDate):
        resolve("2023年2月29日前")
    with pytest.raises(ImpossibleDate):
        resolve("2024年2月30日前")


# --- property: any valid date in any supported style parses back to itself --

_CN = "〇一二三四五六七八九"


def cn_digits(number: int) -> str:
    return "".join(_CN[int(d)] for d in str(number))


def cn_number(number: int) -> str:
    tens, ones = divmod(number, 10)
    if tens == 0:
        return _CN[ones]
    return ("" if tens == 1 else _CN[tens]) + "十" + (_CN[ones] if ones else "")


def fullwidth(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "０１２３４５６７８９"))


STYLES = {
    "arabic": lambda d: f"{d.year}年{d.month}月{d.day}日",
    "pdf_spaces": lambda d: f"{d.year} 年 {d.month} 月 {d.day} 日",
    "line_break": lambda d: f"{d.year} 年\n{d.month}月{d.day}日",
    "fullwidth": lambda d: fullwidth(f"{d.year}年{d.month}月{d.day}日"),
    "chinese": lambda d: f"{cn_digits(d.year)}年{cn_number(d.month)}月{cn_number(d.day)}日",
    "iso": lambda d: d.isoformat(),
    "dots": lambda d: f"{d.year}.{d.month}.{d.day}",
    "slashes": lambda d: f"{d.year}/{d.month}/{d.day}",
    "padded": lambda d: f"{d.year}年{d.month:02d}月{d.day:02d}日",
}

dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31))


@settings(max_examples=300, deadline=None)
@given(day=dates, style=st.sampled_from(sorted(STYLES)), prefix=st.sampled_from(["请于", "截止日期为 ", "", "（"]))
def test_any_date_in_any_style_parses_back(day: dt.date, style: str, prefix: str) -> None:
    mention = only(f"{prefix}{STYLES[style](day)}前报送材料")
    assert resolve_range(mention.start, mention.close, YearContext())[1] == day


@settings(max_examples=200, deadline=None)
@given(
    day=dates,
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    clock=st.sampled_from(["{h}:{m:02d}", "{h}时{m}分", " {h}：{m:02d}"]),
)
def test_any_time_parses_back(day: dt.date, hour: int, minute: int, clock: str) -> None:
    text = f"{day.year}年{day.month}月{day.day}日" + clock.format(h=hour, m=minute)
    mention = only(text + "前提交")
    value = resolve_range(mention.start, mention.close, YearContext())[1]
    assert value == dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


@settings(max_examples=200, deadline=None)
@given(first=dates, length=st.integers(0, 400), separator=st.sampled_from(["至", "到", "—", "–", "-", "~", "～", "起至"]))
def test_any_range_without_right_year_parses_back(first: dt.date, length: int, separator: str) -> None:
    last = first + dt.timedelta(days=length)
    if last.year > 2099 or (last - first).days >= 365:
        return
    text = f"{first.year}年{first.month}月{first.day}日{separator}{last.month}月{last.day}日"
    mention = only(f"申报时间为{text}。")
    start, end, _ = resolve_range(mention.start, mention.close, YearContext())
    assert (start, end) == (first, last)


def test_patterns_compile_on_first_use_not_at_import() -> None:
    """Importing the extractor compiles no regex (the grammar alone took 42 ms); using it does."""
    import subprocess
    import sys

    code = (
        "import calendar_svc.classify as c, calendar_svc.patterns as p\n"
        "print(sum(x._compiled is not None for x in p.registry()))\n"
        "from calendar_svc.dates import find_mentions\n"
        "find_mentions('9月30日前')\n"
        "print(sum(x._compiled is not None for x in p.registry()))\n"
    )
    before, after = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert before == "0" and int(after) > 0


# --- properties of the forms added for issue 15 ---------------------------------

_CN_ZERO = {"〇": "〇", "零": "零", "○": "○"}


@settings(max_examples=200, deadline=None)
@given(first=dates, length=st.integers(0, 300), padded=st.booleans(), separator=st.sampled_from(["—", "-", "~", "至", "－"]))
def test_any_dotted_range_parses_back(first: dt.date, length: int, padded: bool, separator: str) -> None:
    """``2024.03.20—2024.03.25``: schedule lines led by dotted dates, padded or not."""
    last = first + dt.timedelta(days=length)
    if last.year > 2099:
        return
    spell = (lambda d: f"{d.year}.{d.month:02d}.{d.day:02d}") if padded else (lambda d: f"{d.year}.{d.month}.{d.day}")
    mention = only(f"{spell(first)}{separator}{spell(last)} 各学院提交推荐材料")
    start, end, _ = resolve_range(mention.start, mention.close, YearContext())
    assert (start, end) == (first, last)


@settings(max_examples=200, deadline=None)
@given(day=dates, zero=st.sampled_from(sorted(_CN_ZERO)), mark=st.sampled_from(["日", "号"]))
def test_any_chinese_numeral_date_with_any_zero_parses_back(day: dt.date, zero: str, mark: str) -> None:
    """二零二四年三月五日, 二○二四年…, 二〇二四年…号: each look-alike of zero, 日 or 号."""
    year = cn_digits(day.year).replace("〇", zero)
    mention = only(f"请于{year}年{cn_number(day.month)}月{cn_number(day.day)}{mark}前报送")
    assert resolve_range(mention.start, mention.close, YearContext())[1] == day


@settings(max_examples=150, deadline=None)
@given(day=dates, hour=st.integers(1, 23), noon=st.sampled_from(["", "中午", "上午", "下午"]), char=st.sampled_from(["時", "时", "點"]))
def test_any_hour_sharp_parses_back(day: dt.date, hour: int, noon: str, char: str) -> None:
    """``中午十二時正``: an hour in Chinese numerals, 時/时/點, and 正 (sharp)."""
    if noon == "下午" and not 1 <= hour <= 11:
        return
    text = f"{day.year}年{day.month}月{day.day}日{noon}{cn_number(hour)}{char}正前遞交"
    mention = only(simplified(text))
    value = resolve_range(mention.start, mention.close, YearContext())[1]
    expected = hour + 12 if noon == "下午" else hour
    assert value == dt.datetime.combine(day, dt.time(expected, 0), tzinfo=SHANGHAI)
    assert text[mention.end - 1] == "正"


@settings(max_examples=150, deadline=None)
@given(day=dates, code=st.sampled_from(["附表1", "表2", "A101", "B2041", "表号3"]), style=st.sampled_from(["arabic", "padded"]))
def test_any_date_glued_to_a_form_code_parses_back(day: dt.date, code: str, style: str) -> None:
    """``附表12024年3月10日前报送``: a table number glued to the date is not part of the year."""
    mention = only(f"{code}{STYLES[style](day)}前报送")
    assert resolve_range(mention.start, mention.close, YearContext())[1] == day


@pytest.mark.parametrize("text", ["12024年3月10日", "0551-2024年3月10日", "电话66282024年3月1日"])
def test_a_date_glued_to_a_longer_number_is_still_none(text: str) -> None:
    assert all(m.close.year != 2024 for m in find_mentions(text))


@settings(max_examples=200, deadline=None)
@given(first=dates, length=st.integers(0, 300), separator=st.sampled_from(["-", "—", "~", "至"]), sep=st.sampled_from([".", "/"]))
def test_any_dotted_range_with_a_year_less_right_side_parses_back(first: dt.date, length: int, separator: str, sep: str) -> None:
    """``2020.9.25-9.29``, ``2020.10.21-11.6``: the right side in the left's spelling, without its year."""
    last = first + dt.timedelta(days=length)
    if last.year != first.year:
        return
    text = f"{first.year}{sep}{first.month}{sep}{first.day}{separator}{last.month}{sep}{last.day} | 各学院组织论证"
    mention = only(text)
    assert resolve_range(mention.start, mention.close, YearContext())[:2] == (first, last)


@settings(max_examples=200, deadline=None)
@given(first=dates, length=st.integers(0, 300), year_right=st.booleans(), word=st.sampled_from(["至", "到"]))
def test_any_range_whose_left_day_lacks_its_ri_parses_back(first: dt.date, length: int, year_right: bool, word: str) -> None:
    """``公示期限为2022年5月13至2022年5月19日``: 日 left out before 至 when a month date follows."""
    last = first + dt.timedelta(days=length)
    if last.year > 2099 or (not year_right and last.year != first.year):
        return
    right = f"{last.year}年{last.month}月{last.day}日" if year_right else f"{last.month}月{last.day}日"
    mention = only(f"公示期限为{first.year}年{first.month}月{first.day}{word}{right}")
    assert resolve_range(mention.start, mention.close, YearContext())[:2] == (first, last)


@pytest.mark.parametrize("text", ["第5至6批", "2023年5至6月", "共5月13至", "版本2.4.1-3.2"])
def test_a_bare_day_before_zhi_needs_a_month_date_after_it(text: str) -> None:
    assert [m for m in find_mentions(text) if m.close.day is not None] == []


# --- a day given in two sessions (上午8:30-12:00;下午12:40-15:30) -----------------------------


@pytest.mark.parametrize(
    ("text", "start", "close"),
    [
        ("3月5日上午9:00-11:30，下午14:00-17:00", (9, 0), (17, 0)),
        ("3月5日9:00-11:30；14:00-17:00", (9, 0), (17, 0)),
        ("3月5日(星期二)\n上午8:00-11:50;下午13:10-16:40", (8, 0), (16, 40)),
        ("3月5日9时-11时30分；下午2时至5时", (9, 0), (17, 0)),
    ],
)
def test_a_day_in_two_sessions_runs_from_the_first_to_the_last(text: str, start: tuple, close: tuple) -> None:
    mention = only(text + "到财务处办理")
    assert (mention.start.hour, mention.start.minute) == start
    assert (mention.close.day, mention.close.hour, mention.close.minute) == (5, *close)


@pytest.mark.parametrize("text", ["3月5日9:00-11:30,14:00前提交", "3月5日9:00-11:30,8:00-9:00值班"])
def test_a_time_after_a_session_that_is_no_later_session_is_left_alone(text: str) -> None:
    assert (find_mentions(text)[0].close.hour, find_mentions(text)[0].close.minute) == (11, 30)


@settings(max_examples=200, deadline=None)
@given(
    day=dates,
    first=st.integers(7, 9),
    gap=st.integers(0, 3),
    last=st.integers(1, 5),
    joint=st.sampled_from([";", "；", "，", ","]),
)
def test_any_two_sessions_parse_back_to_one_window(day: dt.date, first: int, gap: int, last: int, joint: str) -> None:
    afternoon = 12 + gap  # 12:00-15:00, written as people write the afternoon
    text = f"{day.year}年{day.month}月{day.day}日上午{first}:00-{first + 2}:30{joint}下午{afternoon}:00-{afternoon + last}:15"
    start, end, _ = resolve_range(only(text + "报到").start, only(text + "报到").close, YearContext())
    assert start == dt.datetime.combine(day, dt.time(first), tzinfo=SHANGHAI)
    assert end == dt.datetime.combine(day, dt.time(afternoon + last, 15), tzinfo=SHANGHAI)


# --- a dash a copy lost to ? between two clock times (上午8:30?11:30) -------------------------------


@pytest.mark.parametrize(
    ("text", "close"),
    [
        ("5月21日上午8:30?11:30", (11, 30)),
        ("5月21日8:30？17:00", (17, 0)),
        ("5月21日上午8:30?11:30,下午2:30-5:00", (17, 0)),
    ],
)
def test_a_lost_dash_between_two_clock_times_is_a_range(text: str, close: tuple) -> None:
    mention = only(text + "到东方小学报名")
    assert (mention.start.day, mention.start.hour, mention.start.minute) == (21, 8, 30)
    assert (mention.close.day, mention.close.hour, mention.close.minute) == (21, *close)


@pytest.mark.parametrize("text", ["5月21日?5月22日报名", "截止时间是5月21日?12:00前报送", "5月21日9时?10时报名"])
def test_a_question_mark_elsewhere_joins_nothing(text: str) -> None:
    assert all(not m.is_range for m in find_mentions(text))


@settings(max_examples=200, deadline=None)
@given(day=dates, first=st.integers(0, 22), length=st.integers(1, 60 * 23), mark=st.sampled_from(["?", "？"]))
def test_any_range_of_clock_times_with_a_lost_dash_parses_back(day: dt.date, first: int, length: int, mark: str) -> None:
    opening = dt.datetime.combine(day, dt.time(first), tzinfo=SHANGHAI)
    closing = min(opening + dt.timedelta(minutes=length), dt.datetime.combine(day, dt.time(23, 59), tzinfo=SHANGHAI))
    text = f"{day.year}年{day.month}月{day.day}日{opening:%H:%M}{mark}{closing.hour}:{closing:%M}报到"
    start, end, _ = resolve_range(only(text).start, only(text).close, YearContext())
    assert (start, end) == (opening, closing)
