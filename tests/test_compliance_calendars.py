"""Compliance calendars (issue 15): filing tables, batch tables, holidays and superseded dates.

Notices of our own making, several variants each; none copies a tuned set's wording.
"""

from __future__ import annotations

import datetime as dt

import pytest

from calendar_svc.classify import classify_notice
from calendar_svc.notices import split_notices

SIGNED = "\n某某区发展和改革局\n2025年2月10日\n"


def published(body: str, *, title: str = "关于开展2025年度企业信息报送工作的通知", signed: str = SIGNED) -> list:
    (notice,) = split_notices(f"{title}\n各有关企业：\n{body}\n{signed}", "n.txt")
    deadlines, _ = classify_notice(notice)
    return [d for d in deadlines if d.actionable and d.status != "candidate"]


def ends(found) -> list:
    return sorted(d.end for d in found)


# --- batch tables whose later columns are steps of handing in ----------------------------------

BATCHES = [
    ("第一批", "3月14日", "3月18日", "3月21日"),
    ("第二批", "4月11日", "4月15日", "4月18日"),
]
STEPS = ("批次", "系统填报截止时间", "企业报送纸质材料至街道", "街道汇总上报区局")


def flat(rows, gap: str) -> str:
    cells = [*STEPS, *(cell for row in rows for cell in row)]
    return "填报安排如下：\n" + gap.join(cells) + "\n\n请各企业按时完成。"


@pytest.mark.parametrize("gap", ["\n", "\n\n", "\n \n"])
def test_a_batch_table_one_cell_a_line_gives_every_steps_day(gap: str) -> None:
    """Each cell on its own line, with or without a blank line after it: the steps' columns are deadlines too."""
    found = published(flat(BATCHES, gap))
    days = [(m, d) for row in BATCHES for m, d in (tuple(int(x) for x in c.rstrip("日").split("月")) for c in row[1:])]
    assert ends(found) == sorted(dt.date(2025, m, d) for m, d in days)
    paper = next(d for d in found if d.end == dt.date(2025, 4, 15))
    assert "第二批" in paper.what and "纸质材料" in paper.what


def test_a_batch_table_in_rows_gives_every_steps_day() -> None:
    body = "批次 | 网上申报截止时间 | 提交书面材料 | 区局报送市局\n" + "\n".join(" | ".join(row) for row in BATCHES)
    assert len(published(body)) == 6


def test_a_step_column_with_prose_in_its_cells_is_no_deadline_column() -> None:
    """Only a cell that is a date and little more: a column describing the step stays what the row is about."""
    body = (
        "批次 | 申报截止时间 | 报送要求\n"
        "第一批 | 3月14日 | 报送材料须于3月10日后盖章，按区局通知执行\n"
        "第二批 | 4月11日 | 报送材料须于4月8日后盖章，按区局通知执行"
    )
    assert ends(published(body)) == [dt.date(2025, 3, 14), dt.date(2025, 4, 11)]


# --- days off named beside a date ----------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "5月份申报期：（5月1日-5日劳动节假期）增值税申报期限：5月1日-20日；",
        "因适逢国庆连假（10月1日至8日），申报期限顺延至10月22日。",
        "5月份申报期:(5月1日至5日五一长假)各税种申报期限:5月1日-20日;",
    ],
)
def test_a_holiday_beside_a_filing_period_is_no_window(line: str) -> None:
    found = published(line, title="关于2025年纳税申报期限的提示", signed="\n某某税务所\n2025年1月2日\n")
    assert found and all(d.start is None or (d.start.day, d.end.day) not in {(1, 5), (1, 8)} for d in found)


# --- the date as it stood before a change ---------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "原定截止日期为3月31日。为便于企业准备，现将报送时间延长至4月30日。",
        "本期申报原本应为3月1日至3月15日止，因系统升级，依规定顺延至4月30日。",
        "原计划于3月20日前完成的填报工作，调整为4月30日前完成。",
        "原定于3月31日截止的报送工作延长至4月30日。",
        "原定3月31日截止的报送，因系统维护推迟至4月30日，请各企业抓紧办理。",
    ],
)
def test_a_superseded_date_gives_way_to_the_new_one(body: str) -> None:
    assert ends(published(body)) == [dt.date(2025, 4, 30)]


# --- a schedule under its section's heading, with a column of who acts ------------------------------

SCHEDULE = ["时间", "工作内容", "责任单位",
            "3月3日前", "各企业提交申请材料", "各企业",
            "3月10日-3月14日", "评审工作办公室组织专家评审", "评审工作办公室",
            "3月20日前", "报送推荐结果至市局", "各区科技部门"]


@pytest.mark.parametrize("heading", ["四、工作安排", "(四)时间安排", "、进度安排"])
@pytest.mark.parametrize("gap", ["\n", "\n\n"])
def test_a_flattened_schedule_under_a_heading_keeps_its_columns(heading: str, gap: str) -> None:
    """The heading above the labels is no column; a row whose 责任单位 is one office is the organiser's."""
    found = published(gap.join([heading, *SCHEDULE]) + "\n\n请各单位认真组织。", title="关于组织申报2025年度创新项目的通知")
    assert ends(found) == [dt.date(2025, 3, 3), dt.date(2025, 3, 20)]
    assert "推荐结果" in next(d for d in found if d.end == dt.date(2025, 3, 20)).what
