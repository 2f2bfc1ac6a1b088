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
    ],
)
def test_a_schedule_gives_the_readers_tasks_however_it_was_flattened(header: str, row: str) -> None:
    """The date cell and its task on alternating lines pair up as in a table; the organiser's row (学校组织…) gives none."""
    found = published(schedule("".join(row.format(date=d, task=t) for d, t in SCHEDULE_ROWS), header))
    assert sorted(d.end for d in found) == SCHEDULE_ENDS
    by_end = {d.end: d for d in found}
    assert by_end[dt.date(2025, 3, 28)].kind == "window" and by_end[dt.date(2025, 3, 28)].start == dt.date(2025, 3, 25)
    assert "提交拟录取名单" in by_end[dt.date(2025, 4, 3)].what


DOTTED_SCHEDULE = """2025届毕业生教学工作安排
时间:2025-03-20
各学院:
现将各项工作安排公布如下:
日期 |
事宜 |
第1-4周 毕业实习 |
学生在校外实习单位毕业实习; |
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
    """``5.25-5.31 第13周``: read as days in a 日期 column only; a row of the organiser's own steps gives none."""
    found = published(DOTTED_SCHEDULE.format(first=first, second=second, third=third))
    assert [(d.kind, d.start, d.end) for d in found] == [
        ("window", dt.date(2025, 5, 25), dt.date(2025, 5, 31)),
        ("window", dt.date(2025, 6, 8), dt.date(2025, 6, 14)),
    ]
    assert found[0].what == "学生上交毕业实习考核表"


def test_year_less_dotted_numbers_outside_a_date_column_are_no_dates() -> None:
    """``5.25`` in prose or in a task cell stays a number (a version, a share)."""
    found = published("关于软件升级的通知\n各单位:\n请于2025年4月10日前将系统升级至5.25版本,完成率须达到6.1以上。\n信息中心\n2025年3月20日\n")
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


@pytest.mark.parametrize("mark", ["", "1. ", "(1)", "一、"])
def test_schedule_lines_led_by_dotted_dates(mark: str) -> None:
    """``2024.09.02 各学院…`` under a colon line: the colon line is the heading, the line the task."""
    lines = [
        "2024.09.02 各学院报送新生名单至教务处",
        "2024.09.05—2024.09.10 学生登录教务系统进行第一轮选课",
        "2024.09.12-2024.09.14 学校组织专家审核选课结果",
        "2024.9.20前 各学院提交选课异常情况汇总表",
    ]
    body = "\n".join(mark + line for line in lines)
    found = published(f"关于2024年秋季学期学生选课工作的通知\n各学院:\n现将选课安排通知如下:\n{body}\n请各学院及时通知学生。\n教务处\n2024年8月26日\n")
    assert [(d.kind, d.start, d.end) for d in found] == [
        ("deadline", None, dt.date(2024, 9, 2)),
        ("window", dt.date(2024, 9, 5), dt.date(2024, 9, 10)),
        ("deadline", None, dt.date(2024, 9, 20)),
    ]
