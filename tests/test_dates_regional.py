"""Dates as Taiwan and Hong Kong write them: ROC years (民國111年), ``(下午四時正)``, short weekdays ``(五)``."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calendar_svc.classify import classify_notice
from calendar_svc.dates import YearContext, find_mentions, resolve_range
from calendar_svc.dates.grammar import roc_years
from calendar_svc.model import SHANGHAI
from calendar_svc.notices import split_notices
from calendar_svc.script import simplified_reading as simplified

WEEKDAYS = "一二三四五六日"
CN = "零一二三四五六七八九十"
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31))
roc_dates = st.dates(min_value=dt.date(1922, 1, 1), max_value=dt.date(2099, 12, 31))


def cn_hour(hour: int) -> str:
    return CN[hour] if hour <= 10 else ("十" if hour < 20 else "二十") + (CN[hour % 10] if hour % 10 else "")


def values(text: str) -> list:
    return [resolve_range(m.start, m.close, YearContext())[1] for m in find_mentions(simplified(text))]


@settings(max_examples=150, deadline=None)
@given(day=roc_dates, lead=st.sampled_from(["中華民國", "民國", "臺北市政府公告:", "新臺幣補助,"]), weekday=st.booleans())
def test_any_roc_date_in_a_taiwanese_text_parses_back(day: dt.date, lead: str, weekday: bool) -> None:
    """``中華民國111年6月6日(一)``: the ROC year plus 1911, with or without a short weekday note."""
    note = f"({WEEKDAYS[day.weekday()]})" if weekday else ""
    text = f"{lead}{day.year - 1911}年{day.month}月{day.day}日{note}止"
    (mention,) = find_mentions(simplified(text))
    assert resolve_range(mention.start, mention.close, YearContext())[1] == day
    assert mention.close.weekday == (day.weekday() if weekday else None)


@settings(max_examples=100, deadline=None)
@given(first=st.dates(min_value=dt.date(2011, 1, 1), max_value=dt.date(2060, 12, 31)), length=st.integers(0, 300))
def test_any_roc_range_with_three_digit_years_parses_back(first: dt.date, length: int) -> None:
    """``113年1月2日至113年12月31日止``: a three-digit year before a month is evidence by itself."""
    last = first + dt.timedelta(days=length)
    text = f"受理日:{first.year - 1911}年{first.month}月{first.day}日至{last.year - 1911}年{last.month}月{last.day}日止"
    (mention,) = find_mentions(text)
    assert resolve_range(mention.start, mention.close, YearContext())[:2] == (first, last)


@pytest.mark.parametrize("text", ["请于98年3月5日前报送", "第15年6月1日", "2024年3月1日前报送,共112人"])
def test_short_years_without_taiwanese_evidence_are_no_roc_years(text: str) -> None:
    assert not roc_years(text)
    assert all(m.close.year in (None, 2024) for m in find_mentions(text))


def test_four_digit_years_stay_as_written_in_a_taiwanese_text() -> None:
    assert values("臺北市政府文化局 2024年3月1日前 及 113年3月1日前") == [dt.date(2024, 3, 1), dt.date(2024, 3, 1)]


@settings(max_examples=150, deadline=None)
@given(
    day=dates,
    hour=st.integers(1, 11),
    noon=st.sampled_from(["上午", "下午", ""]),
    char=st.sampled_from(["時正", "时正", "時", "點"]),
    blank=st.sampled_from(["", " ", "\n"]),
    bracket=st.sampled_from([("(", ")"), ("（", "）")]),
)
def test_any_bracketed_time_after_a_weekday_parses_back(day, hour, noon, char, blank, bracket) -> None:
    """``2024年12月27日(星期五) (下午四時正)``: the time in brackets of its own, after the weekday."""
    open_, close = bracket
    text = f"{day.year}年{day.month}月{day.day}日(星期{WEEKDAYS[day.weekday()]}){blank}{open_}{noon}{cn_hour(hour)}{char}{close} |"
    (mention,) = find_mentions(simplified(text))
    expected = hour + 12 if noon == "下午" else hour
    value = resolve_range(mention.start, mention.close, YearContext())[1]
    assert value == dt.datetime.combine(day, dt.time(expected, 0), tzinfo=SHANGHAI)
    assert mention.text.endswith(close)


@settings(max_examples=100, deadline=None)
@given(day=dates, hour=st.integers(0, 23), minute=st.integers(0, 59))
def test_any_bracketed_clock_time_parses_back(day: dt.date, hour: int, minute: int) -> None:
    (mention,) = find_mentions(f"请于{day.year}年{day.month}月{day.day}日（{hour}:{minute:02d}）前提交")
    value = resolve_range(mention.start, mention.close, YearContext())[1]
    assert value == dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


@pytest.mark.parametrize("text", ["9月30日(9:00-17:00)", "9月30日(含)前", "9月30日(上午)"])
def test_brackets_that_hold_no_single_time_are_not_read_as_one(text: str) -> None:
    (mention,) = find_mentions(text)
    assert mention.close.hour is None


def test_a_list_mark_on_the_next_line_is_no_weekday() -> None:
    (mention,) = find_mentions("截止日期:2024年3月1日\n(一)申报条件")
    assert mention.text == "2024年3月1日" and mention.close.weekday is None


def notice(body: str, title: str = "臺北市政府文化局受理藝文場所修繕補助申請公告"):
    (parsed,) = split_notices(f"{title}\n{body}\n", "notice.txt")
    deadlines, problems = classify_notice(parsed)
    return [d for d in deadlines if d.actionable and d.status != "candidate"], problems


@pytest.mark.parametrize(
    "body",
    [
        "受理收件時間自111年5月6日(五)起,至111年6月6日(一)止。",
        "申請期間:中華民國111年5月6日起至111年6月6日止,逾期不予受理。",
        "請於111年5月6日(星期五)起至111年6月6日(星期一)止遞交申請。",
    ],
)
def test_a_taiwanese_application_window(body: str) -> None:
    found, problems = notice(body)
    assert not problems
    assert [(d.kind, d.start, d.end) for d in found] == [("window", dt.date(2022, 5, 6), dt.date(2022, 6, 6))]


def test_a_hong_kong_cut_off_at_four_sharp() -> None:
    found, _ = notice("公共啟事的截稿時間為2025年4月14日(星期一)下午四時正。", title="憲報公共啟事截稿時間的通告")
    assert [d.end for d in found] == [dt.datetime(2025, 4, 14, 16, 0, tzinfo=SHANGHAI)]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("截止時(shí)間為2022年(nian)8月5日", dt.date(2022, 8, 5)),
        ("請於2022年（nián）8月(yuè)5日前報(bào)送", dt.date(2022, 8, 5)),
        ("报送截止时(shí)间(jiān)为2022年8月5日", dt.date(2022, 8, 5)),
    ],
)
def test_pinyin_glosses_of_copying_sites_are_read_past(text: str, day: dt.date) -> None:
    """``時(shí)間``: a gloss after a character is blanked in the reading, offsets kept, the quote untouched."""
    reading = simplified(text)
    assert len(reading) == len(text)
    assert not any(ch.isascii() and ch.isalpha() for ch in reading)
    assert values(text) == [day]


def test_brackets_that_are_no_pinyin_stay() -> None:
    assert simplified("附件(A)与申报书(PDF)及(一)") == "附件(A)与申报书(PDF)及(一)"


@pytest.mark.parametrize(
    "body",
    [
        "企業(yè)網(wǎng)上申報(bào)截止時(shí)間為2022年8月5日17:00,逾期系統(tǒng)將自動(dòng)關(guān)閉。",
        "企业网上申报截止时(shi)间为2022年(nian)8月5日17:00,逾期系统将自动关闭。",
    ],
)
def test_a_glossed_deadline_is_found(body: str) -> None:
    found, _ = notice(body, title="關於組織申報2022年度科技型中小企業創新項目的通知")
    assert [d.end for d in found] == [dt.datetime(2022, 8, 5, 17, 0, tzinfo=SHANGHAI)]
    assert found[0].quote.startswith("企")


def _two_digit_month_reading(month: int, day: int) -> tuple[int, int] | None:
    digits = f"{month}{day}"
    first, rest = int(digits[:2]), digits[2:]
    return (first, int(rest)) if 10 <= first <= 12 and rest and 1 <= int(rest) <= 31 else None


@settings(max_examples=200, deadline=None)
@given(day=dates, cue=st.sampled_from(["于", "在", "限", ":", "至"]), year=st.booleans(), tail=st.sampled_from(["前", "之前", "以前", "止"]))
def test_any_date_a_copy_wrote_without_its_year_and_month_marks_parses_back(day: dt.date, cue: str, year: bool, tail: str) -> None:
    """``于20251017日前``, ``限201992日前``: 年 and 月 lost; a January day that reads as November too
    (``116``: 1-16 or 11-6) is read with the two-digit month."""
    written = f"{day.year if year else ''}{day.month}{day.day}"
    if len(written) < 3:
        return  # 1月1日 as 11日 is a day of the month, not a glued date
    (mention,) = find_mentions(f"各单位{cue}{written}日{tail}报送")
    read = (mention.close.month, mention.close.day)
    alternative = _two_digit_month_reading(day.month, day.day) if day.month == 1 else None
    assert read == (alternative or (day.month, day.day))
    assert mention.close.year == (day.year if year else None)


@settings(max_examples=200, deadline=None)
@given(first=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2098, 12, 31)), length=st.integers(1, 300),
       sep=st.sampled_from(["——", "—", "-", "~", "至", "到"]),
       cue=st.sampled_from(["为", "于", ":"]), tail=st.sampled_from(["。", ",", "前", "止"]))
def test_any_glued_range_with_both_years_parses_back(first: dt.date, length: int, sep: str, cue: str, tail: str) -> None:
    """``反馈时间为2019521日——201964日``: both sides lost 年 and 月 and kept their years and 日."""
    last = first + dt.timedelta(days=length)
    found = find_mentions(f"公众意见反馈时间{cue}{first.year}{first.month}{first.day}日{sep}{last.year}{last.month}{last.day}日{tail}")

    def read(moment):
        return dt.date(moment.year, moment.month, moment.day)

    def meant(day: dt.date) -> dt.date:  # 2019年1月16日 written 2019116 reads 11月6日, as for a single glued date
        alternative = _two_digit_month_reading(day.month, day.day) if day.month == 1 else None
        return dt.date(day.year, *alternative) if alternative else day

    if meant(first) < meant(last):
        (mention,) = found
        assert (read(mention.start), read(mention.close)) == (meant(first), meant(last))
    else:  # the two-digit reading put the first day after the last: no range
        assert all(not m.is_range for m in found)


@pytest.mark.parametrize(
    "text",
    ["反馈时间为2019521日——201964日以后另行通知", "编号2019521日——201964日", "为2019604日——201952日。"],
    ids=["之后还有话", "无提示词", "倒序"],
)
def test_a_glued_range_needs_a_cue_an_end_and_its_order(text: str) -> None:
    assert all(not m.is_range for m in find_mentions(text))


@settings(max_examples=100, deadline=None)
@given(day=dates, hour=st.integers(0, 23))
def test_any_glued_date_with_its_hour_parses_back(day: dt.date, hour: int) -> None:
    """``可于101818时前``: 10月18日18时 with 月, 日 lost; month and day of two digits each."""
    if day.month < 10 or day.day < 10:
        return  # 1 18 6 or 11 8 6: see test_glued_hours_read_month_and_day_of_two_digits_first
    (mention,) = find_mentions(f"可于{day.month}{day.day}{hour}时前提交")
    assert (mention.close.month, mention.close.day, mention.close.hour) == (day.month, day.day, hour)


@pytest.mark.parametrize("text", ["须在120日内完成", "请于1700时前提交", "共115日", "第116日前", "于12日前提交", "电话66281234日前"])
def test_counts_and_clock_times_are_no_glued_dates(text: str) -> None:
    assert [m.close.month for m in find_mentions(text)] in ([], [None])


@pytest.mark.parametrize(("text", "moment"), [("可于10186时前", (10, 18, 6)), ("可于101818时前", (10, 18, 18)), ("于2025101817时前", (10, 18, 17))])
def test_glued_hours_read_month_and_day_of_two_digits_first(text: str, moment: tuple) -> None:
    (mention,) = find_mentions(text)
    assert (mention.close.month, mention.close.day, mention.close.hour) == moment


def cn_number(n: int) -> str:
    """Chinese numerals as dates write them: 六, 十一, 二十五, 三十一."""
    if n < 10:
        return CN[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN[tens]) + "十" + (CN[ones] if ones else "")


def cn_roc_year(n: int, style: str) -> str:
    """一百一十一 / 一百十一 / 一一一 (digit by digit) / 九十八."""
    if n < 100:
        return cn_number(n) if style != "digits" else "".join(CN[int(d)] for d in str(n))
    if style == "digits":
        return "".join("〇" if d == "0" else CN[int(d)] for d in str(n))
    hundreds, rest = divmod(n, 100)
    if rest == 0:
        return CN[hundreds] + "百"
    if rest < 10:
        return CN[hundreds] + "百零" + CN[rest]
    tens_word = cn_number(rest) if style == "short" else ("一" + cn_number(rest) if rest < 20 else cn_number(rest))
    return CN[hundreds] + "百" + tens_word


@settings(max_examples=150, deadline=None)
@given(day=st.dates(min_value=dt.date(1935, 1, 1), max_value=dt.date(2060, 12, 31)), style=st.sampled_from(["formal", "short", "digits"]))
def test_any_roc_date_in_chinese_numerals_parses_back(day: dt.date, style: str) -> None:
    """``中華民國一百一十一年六月六日``: the 公文 spelling of a ROC date."""
    text = f"中華民國{cn_roc_year(day.year - 1911, style)}年{cn_number(day.month)}月{cn_number(day.day)}日前送達"
    (mention,) = find_mentions(simplified(text))
    assert resolve_range(mention.start, mention.close, YearContext())[1] == day


@settings(max_examples=100, deadline=None)
@given(first=st.dates(min_value=dt.date(1922, 1, 1), max_value=dt.date(2050, 6, 30)), length=st.integers(0, 200),
       sep=st.sampled_from(["/", "."]), padded=st.booleans())
def test_any_roc_numeric_range_parses_back(first: dt.date, length: int, sep: str, padded: bool) -> None:
    """``111/06/06 至 111/07/06``, ``111.6.6``: numeric ROC dates in a Taiwanese text."""
    last = first + dt.timedelta(days=length)
    fmt = (lambda d: f"{d.year - 1911}{sep}{d.month:02d}{sep}{d.day:02d}") if padded else (lambda d: f"{d.year - 1911}{sep}{d.month}{sep}{d.day}")
    (mention,) = find_mentions(f"臺北市政府公告:受理期間 {fmt(first)} 至 {fmt(last)} 止")
    assert resolve_range(mention.start, mention.close, YearContext())[:2] == (first, last)


def test_numeric_roc_dates_need_a_taiwanese_text() -> None:
    assert find_mentions("版本 111.6.6 已发布") == []


@pytest.mark.parametrize(("noon", "hour"), [("正午十二時", 12), ("正午12時", 12), ("午夜十二時", 24), ("中午十二時正", 12)])
def test_noon_and_midnight(noon: str, hour: int) -> None:
    (mention,) = find_mentions(simplified(f"截標日期為2025年3月14日{noon}"))
    assert mention.close.hour == hour


@pytest.mark.parametrize("signed", ["中華民國113年2月20日", "中華民國一百十三年二月二十日", "中華民國一百一十三年二月二十日"])
def test_a_taiwanese_signature_dates_the_notice(signed: str) -> None:
    """The 落款 in ROC years dates the notice, so a year-less 3月31日 is 2024's."""
    (parsed,) = split_notices(f"臺北市政府文化局公告\n主旨:公告受理補助申請。\n申請者應於3月31日下午5時前以掛號郵寄至本局。\n局長 某某\n{signed}\n", "n.txt")
    assert parsed.date == dt.date(2024, 2, 20)
    deadlines, _ = classify_notice(parsed)
    assert [d.end for d in deadlines] == [dt.datetime(2024, 3, 31, 17, tzinfo=SHANGHAI)]


@pytest.mark.parametrize(
    ("closing", "opening"),
    [
        ("截標日期及時間:二零二五年三月二十日下午五時正", "開標日期及時間:二零二五年三月二十一日上午十時正"),
        ("截標日期:2025年3月20日(星期四)下午5時正", "開標日期:2025年3月21日(星期五)上午10時正"),
    ],
)
def test_a_macau_tender_closes_at_its_cut_off_not_at_its_opening(closing: str, opening: str) -> None:
    found, _ = notice(f"{closing}\n{opening}\n二零二五年二月二十六日", title="澳門特別行政區政府市政署公開招標「某某區綠化工程」")
    assert [(d.end, d.what) for d in found] == [(dt.datetime(2025, 3, 20, 17, tzinfo=SHANGHAI), "截标")]


def test_a_window_told_start_first_keeps_the_task_named_at_its_start() -> None:
    found, _ = notice("第二期補助金計劃將於2024年3月4日(星期一)起接受申請,截止日期為2024年3月28日(星期四)中午十二時正。", title="Subsidy scheme")
    assert [(d.kind, d.end, d.what) for d in found] == [("window", dt.datetime(2024, 3, 28, 12, tzinfo=SHANGHAI), "接受申请")]


@pytest.mark.parametrize(
    ("body", "who"),
    [
        ("有意投標者須於二零二五年三月二十日下午五時前,將標書遞交至本局。", "有意投标者"),
        ("申請者應於113年3月31日下午5時前以掛號郵寄或親送至本局。", "申请者"),
        ("報名者須於2025年3月14日前遞交報名表。", "报名者"),
    ],
)
def test_who_in_the_words_of_hong_kong_macau_and_taiwan(body: str, who: str) -> None:
    """申請者, 投標者, 報名者: how notices there name who acts (read in the simplified reading)."""
    found, _ = notice(body, title="臺北市政府文化局公告")
    assert [d.who for d in found] == [who]


@settings(max_examples=100, deadline=None)
@given(first=st.dates(min_value=dt.date(2000, 2, 1), max_value=dt.date(2099, 9, 30)), length=st.integers(1, 90), dash=st.sampled_from(["——", "—", "-", "至"]))
def test_any_glued_range_opening_its_line_parses_back(first: dt.date, length: int, dash: str) -> None:
    """``二、年检时间`` / ``202459——719日。``: a range whose 年, 月 and first 日 a copy lost, alone on its line."""
    last = first + dt.timedelta(days=length)
    if last.year != first.year or first.month == 1 or last.month == 1:
        return  # January days read two ways (see above)
    (mention,) = find_mentions(f"二、年检时间\n{first.year}{first.month}{first.day}{dash}{last.month}{last.day}日。\n")
    assert resolve_range(mention.start, mention.close, YearContext())[:2] == (first, last)


@pytest.mark.parametrize("text", ["\n12345日。", "登记时间在2023630日(含)之前的", "\n2024年报表共115日。"])
def test_a_glued_date_needs_a_cue_or_its_own_line_with_a_year(text: str) -> None:
    assert find_mentions(text) == []


def test_an_annual_inspection_period_under_its_heading() -> None:
    found, _ = notice("二、年檢時間\n\n202459——719日。\n三、年檢方法", title="關於開展2023年度社會組織年檢工作的通知")
    assert [(d.kind, d.start, d.end) for d in found] == [("window", dt.date(2024, 5, 9), dt.date(2024, 7, 19))]


@settings(max_examples=100, deadline=None)
@given(day=dates, hour=st.integers(1, 11), next_day=dates)
def test_a_sharp_hour_takes_no_minutes_from_the_next_line(day: dt.date, hour: int, next_day: dt.date) -> None:
    """``上午九時正`` / ``2025年10月10日``: the next line's number is the next date, not minutes."""
    text = simplified(f"{day.year}年{day.month}月{day.day}日上午{cn_hour(hour)}時正\n{next_day.year}年{next_day.month}月{next_day.day}日")
    first, second = find_mentions(text)
    assert (first.close.hour, first.close.minute) == (hour, 0)
    assert (second.close.year, second.close.month, second.close.day) == (next_day.year, next_day.month, next_day.day)


def test_minutes_on_the_next_line_need_their_fen() -> None:
    (mention,) = find_mentions("9月30日17时\n30分前提交")
    assert (mention.close.hour, mention.close.minute) == (17, 30)


@pytest.mark.parametrize(
    ("title", "body", "who"),
    [
        ("關於開展2024年度項目申報工作的通知", "各有關單位:\n請於2024年3月31日前報送申報材料。", "各有关单位"),
        ("關於《某某辦法(徵求意見稿)》公開徵求意見的公告", "意見反饋截止日期為2024年3月31日。", "社会公众"),
    ],
)
def test_a_traditional_notice_is_addressed_as_a_simplified_one(title: str, body: str, who: str) -> None:
    """The salutation and the notice's kind are read in the simplified reading too (各有關單位, 徵求意見)."""
    found, _ = notice(body, title=title)
    assert [d.who for d in found] == [who]
