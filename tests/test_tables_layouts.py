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


def old_style_day(day: int) -> str:
    """A day as traditional texts may write it: 廿五 for 25, 卅 and 卅一 for 30 and 31."""
    if day >= 30:
        return "卅" + ("一" if day == 31 else "")
    if day > 20:
        return "廿" + CN[day - 20]
    return cn_number(day)


@settings(max_examples=80, deadline=None)
@given(day=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)), zero=st.sampled_from("零〇○"))
def test_any_date_with_zero_digits_and_old_style_days_parses_back(day: dt.date, zero: str) -> None:
    """``二零二四年十月卅一日``, ``二○二四年三月廿五日``: 零/〇/○ in the year, 廿 and 卅 in the day."""
    year = "".join(zero if c == "0" else CN[int(c)] for c in str(day.year))
    text = f"{year}年{cn_number(day.month)}月{old_style_day(day.day)}日前遞交"
    (mention,) = find_mentions(simplified_reading(text))
    assert resolve_range(mention.start, mention.close, YearContext())[1] == day


@pytest.mark.parametrize(("clock", "hour"), [("下午两点", 14), ("下午兩點", 14), ("上午两时半", 2)])
def test_two_oclock_written_liang(clock: str, hour: int) -> None:
    (mention,) = find_mentions(simplified_reading(f"2024年10月31日{clock}前"))
    assert mention.close.hour == hour


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


# -- schedules: 时间 | 工作内容, however flattened ----------------------------------------------------

SCHEDULE_ROWS = [
    ("3月20日", "各培养单位上报复试工作方案"),
    ("3月25日—3月28日", "考生登录系统确认复试信息"),
    ("4月1日", "学校组织专家复核复试结果"),
    ("4月3日前", "各培养单位提交拟录取名单"),
]
SCHEDULE_ENDS = [dt.date(2025, 3, 20), dt.date(2025, 3, 28), dt.date(2025, 4, 3)]


def schedule(rows: str, header: str) -> str:
    return f"关于做好2025年度研究生招生复试工作的通知\n各培养单位:\n复试工作日程如下:\n{header}{rows}研究生院\n2025年3月10日\n"


@pytest.mark.parametrize(
    ("header", "row"),
    [
        ("日期 |\n工作安排 |\n", "{date} |\n{task} |\n"),  # a page's table, one cell a line, each closed by |
        ("时间\n工作内容\n", "{date}\n{task}\n"),  # one cell a line, no bars
        ("时间节点 | 工作内容 |\n", "{date} | {task} |\n"),  # one row a line
        ("| 时间 | 事宜 |\n|---|---|\n", "| {date} | {task} |\n"),  # Markdown
        ("工作内容 |\n完成时间 |\n", "{task} |\n{date} |\n"),  # the task first
        ("", "{date} |\n{task} |\n"),  # a page that lost its header row
        ("", "{task} |\n{date} |\n"),
        ("", "{date}\n{task}\n"),  # no header, no bars: read the way the run goes
        ("", "{task}\n{date}\n"),
    ],
)
def test_a_schedule_gives_the_readers_tasks_however_it_was_flattened(header: str, row: str) -> None:
    """The date cell and its task on alternating lines pair up as in a table; the organiser's row (学校组织…) gives none."""
    found = published(schedule("".join(row.format(date=d, task=t) for d, t in SCHEDULE_ROWS), header))
    assert sorted(d.end for d in found) == SCHEDULE_ENDS
    by_end = {d.end: d for d in found}
    assert by_end[dt.date(2025, 3, 28)].kind == "window" and by_end[dt.date(2025, 3, 28)].start == dt.date(2025, 3, 25)
    assert "提交拟录取名单" in by_end[dt.date(2025, 4, 3)].what
    if header or "|" in row:  # read as a table: who is the task's own subject
        assert [by_end[end].who for end in SCHEDULE_ENDS] == ["各培养单位", "考生", "各培养单位"]


def test_a_numbered_schedule_with_a_column_of_who_acts() -> None:
    """序号 / 工作内容 / 完成时间 / 责任单位, one cell a line: who is the row's 责任单位."""
    rows = [("1", "上报复试工作方案", "3月20日", "各培养单位"), ("2", "确认复试信息", "3月25日—3月28日", "考生"),
            ("3", "复核复试结果", "4月1日", "研究生院"), ("4", "提交拟录取名单", "4月3日前", "各培养单位")]
    found = published(schedule("".join("\n".join(row) + "\n" for row in rows), "序号\n工作内容\n完成时间\n责任单位\n"))
    assert [(d.end, d.who, d.what) for d in found] == [
        (dt.date(2025, 3, 20), "各培养单位", "上报复试工作方案"),
        (dt.date(2025, 3, 28), "考生", "确认复试信息"),
        (dt.date(2025, 4, 3), "各培养单位", "提交拟录取名单"),
    ]


DOTTED_SCHEDULE = """2025届毕业生教学工作安排
时间:2025-03-20
各学院:
现将各项工作安排公布如下:
日期 |
事宜 |
第1-4周 毕业实习 |
学生在校外实习单位毕业实习,第4周末(4.19)前提交实习报告; 实习单位(4.20)签署评语。 |
{first} 第13周 |
1.学生上交毕业实习考核表; 2.学校组织毕业设计中期检查。 |
{second} 第14周 |
1.学校组织专家抽查毕业设计; 2.教务处汇总检查结果。 |
{third} 第15周 |
1.学生提交毕业设计定稿; 2.指导教师评阅。 |
教务处
"""


@pytest.mark.parametrize(("first", "second", "third"), [("5.25-5.31", "6.1-6.7", "6.8-6.14"), ("5.25～5.31", "6.1—6.7", "6.8-14")])
def test_year_less_dotted_days_in_a_schedules_date_cells(first: str, second: str, third: str) -> None:
    """``5.25-5.31 第13周``: read as days in a 日期 column, and ``(4.19)前`` in a task cell; a row of the
    organiser's own steps gives none, nor a bracketed day without 前 (``(4.20)``)."""
    found = published(DOTTED_SCHEDULE.format(first=first, second=second, third=third))
    assert [(d.kind, d.start, d.end) for d in found] == [
        ("deadline", None, dt.date(2025, 4, 19)),
        ("window", dt.date(2025, 5, 25), dt.date(2025, 5, 31)),
        ("window", dt.date(2025, 6, 8), dt.date(2025, 6, 14)),
    ]
    assert found[1].what == "学生上交毕业实习考核表"


def test_year_less_dotted_numbers_outside_a_date_column_are_no_dates() -> None:
    """``5.25`` in prose or in a task cell stays a number (a version, a share)."""
    found = published("关于软件升级的通知\n各单位:\n请于2025年4月10日前将系统升级至5.25版本(6.1)前完成测试。\n信息中心\n2025年3月20日\n")
    assert [d.end for d in found] == [dt.date(2025, 4, 10)]


def test_a_date_inside_a_schedules_task_cell_is_read() -> None:
    """``…并于9月26日前,将…报科技处`` in a task cell: a schedule's other cells keep their dates."""
    found = published(
        "关于2021年度国家自然科学基金申请工作安排的通知\n各二级学院:\n时间节点 | 工作安排 | 具体内容 |\n"
        "2020.9.10 | 2021年国家自然科学基金 | 学校召开专题动员大会。 |\n"
        "2020.9.25-9.29 | 二级学院组织动员 | 各二级学院召开交流会并于9月26日前,将拟申报人员信息报科技处。 |\n"
        "2020.11.20 | 申请书提交至学校科技处 | 纸质版一份,用于学校组织专家论证。 |\n科技处\n2020年9月1日\n"
    )
    assert dt.date(2020, 9, 26) in [d.end for d in found] and dt.date(2020, 11, 20) in [d.end for d in found]
    assert dt.date(2020, 9, 10) not in [d.end for d in found]


# -- schedule lines led by dotted dates ---------------------------------------------------------------


DATED_LINES = {
    "dotted": ["2024.09.02", "2024.09.05—2024.09.10", "2024.09.12-2024.09.14", "2024.9.20前"],
    "dotted, short right side": ["2024.9.2", "2024.9.5-9.10", "2024.9.12～9.14", "2024.09.20前"],
    "month and day": ["9月2日", "9月5日—9月10日", "9月12日-14日", "9月20日前"],
}
TASKS = ["各学院报送新生名单至教务处", "学生登录教务系统进行第一轮选课", "学校组织专家审核选课结果", "各学院提交选课异常情况汇总表"]


@pytest.mark.parametrize("style", DATED_LINES)
@pytest.mark.parametrize("mark", ["", "1. ", "(1)", "一、"])
def test_schedule_lines_led_by_their_dates(style: str, mark: str) -> None:
    """``2024.09.02 各学院…`` under a colon line: the colon line is the heading, the rest of the line the task;
    the organiser's own line (学校组织专家审核) gives none."""
    body = "\n".join(f"{mark}{date} {task}" for date, task in zip(DATED_LINES[style], TASKS))
    found = published(f"关于2024年秋季学期学生选课工作的通知\n各学院:\n现将选课安排通知如下:\n{body}\n请各学院及时通知学生。\n教务处\n2024年8月26日\n")
    assert [(d.kind, d.start, d.end) for d in found] == [
        ("deadline", None, dt.date(2024, 9, 2)),
        ("window", dt.date(2024, 9, 5), dt.date(2024, 9, 10)),
        ("deadline", None, dt.date(2024, 9, 20)),
    ]


# -- statistical report schedules: 表号, 号 for 日, 每月…号前 ----------------------------------------

STAT_TABLE = """关于做好2025年统计报表报送工作的通知
各乡镇(街道)统计站,各有关企业:
现将2025年定期统计报表报送时间安排通知如下:
{header}{rows}请各单位按时报送。
某某县统计局
2025年1月6日
"""
STAT_ROWS = [("A101-1", "规模以上工业企业生产情况", "每月5号前"), ("B204-2", "限额以上批发零售业商品销售", "每月8日前"), ("F101", "服务业年报", "2025年3月10号前")]


@pytest.mark.parametrize(
    ("header", "row"),
    [
        ("表号 | 报表名称 | 报送时间 |\n", "{code} | {name} | {when} |\n"),
        ("| 表号 | 报表名称 | 报送时间 |\n|---|---|---|\n", "| {code} | {name} | {when} |\n"),
        ("表号\n报表名称\n报送时间\n", "{code}\n{name}\n{when}\n"),
    ],
)
def test_a_report_table_with_form_codes_and_monthly_deadlines(header: str, row: str) -> None:
    """``A101-1 | … | 每月5号前``: a monthly deadline from the column's 报送; the form code's digits date nothing."""
    rows = "".join(row.format(code=c, name=n, when=w) for c, n, w in STAT_ROWS)
    found = published(STAT_TABLE.format(header=header, rows=rows))
    assert sorted((d.end, d.repeat.split(";UNTIL")[0], d.what) for d in found) == [
        (dt.date(2025, 1, 8), "FREQ=MONTHLY;BYMONTHDAY=8", "报送:限额以上批发零售业商品销售"),
        (dt.date(2025, 2, 5), "FREQ=MONTHLY;BYMONTHDAY=5", "报送:规模以上工业企业生产情况"),
        (dt.date(2025, 3, 10), "", "报送:服务业年报"),
    ]


@pytest.mark.parametrize(
    ("line", "end"),
    [
        ("工业企业年报(B204-1表)2025年1月20号前报送。", dt.date(2025, 1, 20)),
        ("劳动工资统计年报表A1032025年2月15号前报送至县统计局。", dt.date(2025, 2, 15)),
        ("能源统计年报A2051月25号前完成网上直报。", dt.date(2025, 1, 25)),
        ("附表12025年3月10日前报送。", dt.date(2025, 3, 10)),
        ("季度报表E2014月15号前报送。", dt.date(2025, 4, 15)),
    ],
)
def test_a_form_code_glued_to_its_date(line: str, end: dt.date) -> None:
    """A form code is a letter and three digits (A205, E201): ``A2051月25号`` is 1月25日, not 11月25日 or 51月."""
    found = published(f"关于做好2024年统计年报报送工作的通知\n各有关单位:\n{line}\n某某县统计局\n2024年12月25日\n")
    assert [d.end for d in found] == [end]


@settings(max_examples=100, deadline=None)
@given(
    day=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)),
    letter=st.sampled_from("ABCEFXP"),
    code=st.integers(100, 999),
    year=st.booleans(),
    mark=st.sampled_from("日号"),
)
def test_any_date_glued_to_a_form_code_parses_back(day: dt.date, letter: str, code: int, year: bool, mark: str) -> None:
    written = (f"{day.year}年" if year else "") + f"{day.month}月{day.day}{mark}"
    (mention,) = find_mentions(f"{letter}{code}{written}前报送")
    assert (mention.close.year, mention.close.month, mention.close.day) == (day.year if year else None, day.month, day.day)


# -- Taiwan: 民國 years, 之 for 的, 發文日期 ------------------------------------------------------------

TAICHUNG = """臺中市政府經濟發展局 公告
主旨:公告受理「113年度臺中市中小企業數位轉型補助計畫」申請。
依據:臺中市中小企業數位轉型補助作業要點(中華民國112年12月20日府授經工字第1120123456號令訂定)。
公告事項:
一、受理期間:自{opens}起至{closes}止,逾期不予受理。
二、申請資格:依公司法設立登記於113年1月1日前之中小企業。
三、本局預定於113年5月底前公告審查結果。
局長 張某某
"""


@pytest.mark.parametrize(
    ("opens", "closes"),
    [
        ("中華民國113年3月1日(星期五)上午9時", "113年3月29日(星期五)下午5時30分"),
        ("民國一百一十三年三月一日上午九時", "一百一十三年三月二十九日下午五時三十分"),
        ("113年3月1日(五)上午9時", "113年3月29日(五)下午5時30分"),
    ],
)
def test_a_taiwanese_call_in_roc_years_without_its_eligibility_date(opens: str, closes: str) -> None:
    """``登記於113年1月1日前之中小企業``: 之 is 的, so the date selects who may apply; it is no deadline."""
    found = published(TAICHUNG.format(opens=opens, closes=closes))
    assert [(d.kind, d.start, d.end) for d in found] == [("window", at(2024, 3, 1, 9), at(2024, 3, 29, 17, 30))]


@pytest.mark.parametrize("issued", ["中華民國一百一十三年二月二十六日", "中華民國113年2月26日", "2024年2月26日"])
def test_a_taiwanese_letter_is_dated_by_its_head(issued: str) -> None:
    """``發文日期:`` heads a 函 that has no 落款: it dates the notice, so the 依據 letter before it is history."""
    text = (
        f"教育部 函\n受文者:各公私立大專校院\n發文日期:{issued}\n發文字號:臺教高(二)字第1130012345號\n"
        "主旨:請於一百一十三年三月二十九日(星期五)中午十二時前,將申請書函送本部,請查照。\n"
        "說明:\n一、依據本部一百一十二年十月五日臺教高(二)字第1120098765號函辦理。\n二、逾期送件者,恕不受理。\n"
    )
    (notice,) = split_notices(text, "letter.txt")
    assert notice.date == dt.date(2024, 2, 26)
    deadlines, _ = classify_notice(notice)
    assert [(d.end, d.status) for d in deadlines if d.actionable] == [(at(2024, 3, 29, 12), "extracted")]


@pytest.mark.parametrize("text", ["庆祝建党一百年,请于98年6月前提交", "建校一百周年纪念活动", "一百年十月"])
def test_a_hundred_years_is_no_roc_year(text: str) -> None:
    """Only a year counted in hundreds before its month (一百一十二年十月) makes a text Taiwanese."""
    from calendar_svc.dates.grammar import roc_years

    assert not roc_years(text)


@settings(max_examples=80, deadline=None)
@given(
    first=st.dates(min_value=dt.date(2025, 3, 21), max_value=dt.date(2025, 12, 1)),
    length=st.integers(0, 25),
    dash=st.sampled_from(["-", "—", "～", "~", "至"]),
    short=st.booleans(),
)
def test_any_dotted_day_or_range_in_a_schedules_date_cell_parses_back(first: dt.date, length: int, dash: str, short: bool) -> None:
    """``M.D`` or ``M.D-M.D`` (``-D`` within a month) in a 日期 cell: the days as written, the year the notice's."""
    last = min(first + dt.timedelta(days=length), dt.date(2025, 12, 31))
    right = str(last.day) if short and last.month == first.month else f"{last.month}.{last.day}"
    cell = f"{first.month}.{first.day}" if last == first else f"{first.month}.{first.day}{dash}{right}"
    found = published(f"2025年工作安排\n各学院:\n日期 |\n事宜 |\n{cell} |\n各学院提交材料 |\n第20周 |\n学生离校 |\n教务处\n2025年3月20日\n")
    assert [(d.start, d.end) for d in found] == [(None if last == first else first, last)]


@pytest.mark.parametrize(("written", "day"), [("每月1日至5日", 5), ("每月1-5号", 5), ("每月5号前", 5), ("每月1日至月底", -1)])
def test_a_monthly_filing_window_closes_on_its_last_day(written: str, day: int) -> None:
    """``月报每月1日至5日报送``: due every month by the 5th, not on the 1st."""
    found = published(f"关于统计报表报送的通知\n各有关企业:\n规模以上工业企业生产情况月报{written}报送。\n某某县统计局\n2024年12月26日\n")
    assert [(d.end, d.repeat.split(";UNTIL")[0]) for d in found] == [
        (dt.date(2025, 1, 5) if day == 5 else dt.date(2024, 12, 31), f"FREQ=MONTHLY;BYMONTHDAY={day}")
    ]


# -- a schedule flattened one cell a paragraph; a 负责部门 column naming an office; a copy cut off mid-row ----

SPACED_ROWS = [
    ("3月10日", "学校发布评选通知", "学生工作处"),  # before the notice: history
    ("3月20日前", "各学院报送初评名单", "各学院"),
    ("3月25日-3月28日", "学生确认个人信息", "学生"),
    ("4月2日", "评审委员会审定获奖名单", "校评审委员会"),
    ("4月8日-4月12日", "将获奖名单在全校公示", "学生工作处办公室"),
]


@pytest.mark.parametrize("heading", ["四、评选时间安排", "、评选时间安排", "(三)日程安排", ""])
@pytest.mark.parametrize("header", [("时间", "工作进度", "负责部门"), ("日期", "工作内容", "责任单位")])
def test_a_schedule_one_cell_a_paragraph_gives_the_readers_rows_only(heading: str, header: tuple) -> None:
    """Each cell its own paragraph (a blank line after each): read as a table under its header, not under the
    section heading over it; a row whose doer is one office (…处办公室, …委员会) is the organiser's."""
    cells = [*header] + [cell for row in SPACED_ROWS for cell in row]
    body = "".join(f"{cell}\n\n" for cell in ([heading] if heading else []) + cells)
    found = published(f"关于开展2025年度优秀学生评选工作的通知\n\n各学院:\n\n{body}学生工作处\n\n2025年3月15日\n")
    assert [(d.start, d.end, d.who) for d in found] == [
        (None, dt.date(2025, 3, 20), "各学院"),
        (dt.date(2025, 3, 25), dt.date(2025, 3, 28), "学生"),
    ]


@pytest.mark.parametrize("cut", ["[...]", "…", ""])
def test_a_copy_cut_off_in_a_rows_last_cell_keeps_the_row(cut: str) -> None:
    """The last row's task lost its closing | where the copy ends: it is still the row's task."""
    text = (
        "2025届毕业设计工作安排\n各学院:\n日期 |\n事宜 |\n"
        "5.12-5.18 第12周 |\n1.学生提交毕业设计初稿; 2.指导教师审阅。 |\n"
        f"5.19-5.25 第13周 |\n1.学生完成毕业设计修改,定稿; 2.学生将毕业设计全套材料上交导师; 3.指导教师{cut}\n"
    )
    found = published(text.replace("各学院:", "时间:2025-03-20\n各学院:"))
    assert [(d.start, d.end) for d in found] == [(dt.date(2025, 5, 12), dt.date(2025, 5, 18)), (dt.date(2025, 5, 19), dt.date(2025, 5, 25))]
    assert "毕业设计修改" in found[-1].what
