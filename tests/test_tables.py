"""Tables whose header names their deadline column (tables.py): notices of our own making, several layouts each."""

from __future__ import annotations

import datetime as dt

import pytest

from calendar_svc.classify import classify_notice
from calendar_svc.model import SHANGHAI
from calendar_svc.notices import split_notices
from calendar_svc.tables import column_role, table_cells

SIGNED = "\n某某市统计局\n2024年12月20日\n"


def records(body: str, *, title: str = "关于做好2024年统计年报报送工作的通知", signed: str = SIGNED):
    (notice,) = split_notices(f"{title}\n各乡镇统计站:\n{body}\n{signed}", "notice.txt")
    deadlines, _ = classify_notice(notice)
    return [d for d in deadlines if d.actionable and d.status != "candidate"]


def ends(found) -> list:
    """The closing moments, dates before datetimes of the same day."""
    return sorted((d.end for d in found), key=lambda v: (v.date() if isinstance(v, dt.datetime) else v, isinstance(v, dt.datetime)))


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    "header",
    ["截稿日期/时间", "截稿時間 (網上提交)", "报送时间", "申报截止日期", "提交期限", "最迟报送日", "报名截止", "登记时间", "补偿登记时间"],
)
def test_headers_that_name_a_deadline_column(header: str) -> None:
    from calendar_svc.script import simplified_reading

    assert column_role(simplified_reading(header)) == "deadline"


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("出版日期", "other"), ("公众假期", "other"), ("有效期限", "other"), ("证书有效期截止日期", "other"),
        ("项目起止时间", "other"), ("服务期限", "other"), ("审批时限", "other"), ("申报日期", "filed"),
        ("开始时间", "start"), ("报送单位", "who"), ("报表名称", "item"), ("申报材料", "item"), ("备注", "other"),
    ],
)
def test_headers_of_other_columns(header: str, role: str) -> None:
    assert column_role(header) == role


CUT_OFF = """因节日假期关系,本刊截稿时间提前如下:
出版日期 | 节假日 | 截稿时间 (纸本投递) | 截稿时间 (网上提交) |
---|---|---|---|
2025年5月9日(星期五) | 劳动节
(2025年5月1日至5日) |
2025年4月28日(星期一) (下午五时正) | 2025年4月29日(星期二)
(上午九时正) |
2025年10月10日(星期五) | 国庆节 (2025年10月1日至8日) |
2025年9月26日(星期五) (下午四时正) | 2025年9月29日(星期一) (上午八时正) |
请作者留意。"""


def test_cut_off_table_with_cells_wrapped_over_lines() -> None:
    found = records(CUT_OFF, title="关于调整2025年节日期间刊物截稿时间的公告", signed="\n某某编辑部\n2025年3月1日\n")
    assert ends(found) == [at(2025, 4, 28, 17), at(2025, 4, 29, 9), at(2025, 9, 26, 16), at(2025, 9, 29, 8)]
    first = min(found, key=lambda d: d.end)
    assert first.kind == "deadline"
    assert first.quote == "2025年4月28日(星期一) (下午五时正)"
    assert first.what.startswith("截稿(纸本投递)") and "出版日期2025年5月9日" in first.what


def test_cut_off_table_in_traditional_characters() -> None:
    text = CUT_OFF.translate(str.maketrans("时节国庆劳动网请", "時節國慶勞動網請"))
    found = records(text, title="關於調整2025年節日期間刊物截稿時間的公告", signed="\n某某編輯部\n2025年3月1日\n")
    assert ends(found) == [at(2025, 4, 28, 17), at(2025, 4, 29, 9), at(2025, 9, 26, 16), at(2025, 9, 29, 8)]
    assert min(found, key=lambda d: d.end).quote == "2025年4月28日(星期一) (下午五時正)"


REPORTS = """现将年报报送时间安排如下:
序号 | 报表名称 | 报送单位 | 报送时间
1 | 规模以上工业企业年报 | 各乡镇统计站 | 2025年1月10日前
2 | 劳动工资统计年报 | 各乡镇统计站 | 2025年1月15日前
3 | 固定资产投资年报 | 各乡镇统计站 | 2025年1月20日17:00前
逾期未报的,将予以通报。"""


def test_report_table_one_row_a_line() -> None:
    found = records(REPORTS)
    assert ends(found) == [dt.date(2025, 1, 10), dt.date(2025, 1, 15), at(2025, 1, 20, 17)]
    by_end = {d.end: d for d in found}
    assert by_end[dt.date(2025, 1, 15)].who == "各乡镇统计站"
    assert "劳动工资统计年报" in by_end[dt.date(2025, 1, 15)].what
    assert by_end[dt.date(2025, 1, 15)].quote == "2025年1月15日前"


def test_a_cell_merged_over_rows_leaves_the_row_short() -> None:
    body = """报表类别 | 报表名称 | 报送截止时间
年报 | 工业年报 | 2025年1月10日
劳动工资年报 | 2025年1月12日
定报 | 12月月报 | 2025年1月5日"""
    found = records(body)
    assert ends(found) == [dt.date(2025, 1, 5), dt.date(2025, 1, 10), dt.date(2025, 1, 12)]
    assert "劳动工资年报" in next(d for d in found if d.end == dt.date(2025, 1, 12)).what


def test_table_flattened_to_one_cell_a_line() -> None:
    body = """各批次申报安排:
批次
申报截止时间
第一批
2025年3月31日
第二批
2025年6月30日
请按时申报。"""
    found = records(body, title="关于开展2025年度示范企业申报的通知")
    assert ends(found) == [dt.date(2025, 3, 31), dt.date(2025, 6, 30)]
    assert "第二批" in next(d for d in found if d.end == dt.date(2025, 6, 30)).what


@pytest.mark.parametrize(
    "body",
    [
        "请被征地单位按下表办理补偿登记:\n单位名称\n登记时间\n登记地点\n复核时间\n东风村\n4月20日至5月4日\n镇政府\n5月5日\n"
        "西河村\n4月22日至5月6日\n镇政府\n5月7日\n逾期不登记的视为放弃。",
        "请被征地单位按下表办理补偿登记:\n单位名称 | 登记时间 | 登记地点 | 复核时间 |\n东风村 | 4月20日至5月4日 | 镇政府 | 5月5日 |\n"
        "西河村 | 4月22日至5月6日 | 镇政府 | 5月7日 |\n逾期不登记的视为放弃。",
    ],
    ids=["一格一行", "竖线表格"],
)
def test_a_registration_time_column_holds_the_readers_windows(body: str) -> None:
    found = records(body, title="关于2024年第一批次征收土地补偿登记的公告", signed="\n某某县人民政府\n2024年4月10日\n")
    assert sorted((d.start, d.end) for d in found) == [
        (dt.date(2024, 4, 20), dt.date(2024, 5, 4)), (dt.date(2024, 4, 22), dt.date(2024, 5, 6)),
    ]  # 复核时间 is the authority's, not a column of deadlines


def test_dates_in_the_other_columns_of_a_deadline_table_are_not_deadlines() -> None:
    found = records(CUT_OFF, title="关于调整2025年节日期间刊物截稿时间的公告", signed="\n某某编辑部\n2025年3月1日\n")
    days = {d.end.date() if isinstance(d.end, dt.datetime) else d.end for d in found}
    assert not days & {dt.date(2025, 5, 9), dt.date(2025, 5, 5), dt.date(2025, 10, 10), dt.date(2025, 10, 8)}


def test_a_list_of_filings_by_date_is_no_schedule() -> None:
    """``申报日期`` of each row, without 前 or a time: the day each was filed, a record, not a deadline."""
    body = """已受理企业名单如下:
序号 | 企业名称 | 申报日期
1 | 某某科技有限公司 | 2025年1月3日
2 | 某某制造有限公司 | 2025年1月6日"""
    assert records(body, signed="\n某某市统计局\n2024年12月20日\n") == []


def test_a_filing_date_column_with_a_cue_in_the_cell_is_a_deadline() -> None:
    body = """序号 | 报送内容 | 提交日期
1 | 年度报告 | 2025年1月10日前
2 | 财务报表 | 2025年1月20日前"""
    assert ends(records(body)) == [dt.date(2025, 1, 10), dt.date(2025, 1, 20)]


@pytest.mark.parametrize("header", ["有效期限", "有效期截止日期", "服务期限", "项目起止时间"])
def test_terms_and_validity_columns_are_no_deadlines(header: str) -> None:
    body = f"""序号 | 证书编号 | 企业名称 | {header}
1 | 2024-001 | 某某科技有限公司 | 2025年1月1日至2027年12月31日
2 | 2024-002 | 某某制造有限公司 | 2025年2月1日至2028年1月31日"""
    assert records(body) == []


def test_the_organisers_own_rows_are_left_out() -> None:
    body = """工作环节 | 完成时限
各乡镇统计站上报年报数据 | 2025年1月10日前
县统计局审核并汇总 | 2025年1月20日前
市统计局组织专家评审 | 2025年1月25日前"""
    assert ends(records(body)) == [dt.date(2025, 1, 10)]


def test_a_plan_horizon_in_a_table_is_no_deadline() -> None:
    body = """工作任务 | 责任单位 | 完成时限
建成统计数据共享平台 | 各乡镇 | 2026年底前
力争实现全覆盖 | 各乡镇 | 2025年6月30日"""
    assert records(body) == []


def test_a_table_without_a_deadline_column_is_read_as_before() -> None:
    body = """时间 | 工作内容
1月15日 | 各乡镇统计站提交年报初审数据"""
    found = records(body, signed="\n某某市统计局\n2025年1月2日\n")
    assert ends(found) == [dt.date(2025, 1, 15)]


def test_prose_after_a_table_is_not_swallowed_by_it() -> None:
    body = REPORTS + "\n另,各乡镇须于2025年2月5日前报送年度工作总结。"
    found = records(body)
    assert dt.date(2025, 2, 5) in ends(found)
    assert next(d for d in found if d.end == dt.date(2025, 2, 5)).quote.startswith("另,各乡镇")


def test_a_row_cut_off_mid_cell_keeps_its_date() -> None:
    body = """出版日期 | 截稿日期 (网上) |
2025年7月4日(星期五) | 2025年6月30日(星期一) (上午[...]"""
    assert ends(records(body, title="关于调整刊物截稿时间的公告", signed="\n编辑部\n2025年6月1日\n")) == [dt.date(2025, 6, 30)]


def test_cells_are_found_once_per_text_and_offsets_match_the_text() -> None:
    text = "出版日期 | 截稿时间 |\n2025年5月9日 | 2025年4月28日前 |\n"
    cells = table_cells(text, text)
    cell = cells.at(text.index("2025年4月28日"))
    assert cell is not None and text[cell.begin : cell.end].strip() == "2025年4月28日前"
    assert cells.at(text.index("2025年5月9日")) is None and cells.elsewhere(text.index("2025年5月9日"))


def test_a_row_with_an_opening_and_a_closing_column_is_one_window() -> None:
    body = """批次 | 申报开始时间 | 申报截止时间
第一批 | 2025年3月1日 | 2025年3月31日17:00
第二批 | 2025年6月1日 | 2025年6月30日17:00"""
    found = records(body, title="关于开展2025年度示范企业申报的通知")
    assert [(d.kind, d.start, d.end) for d in found] == [
        ("window", at(2025, 3, 1), at(2025, 3, 31, 17)),
        ("window", at(2025, 6, 1), at(2025, 6, 30, 17)),
    ]
    assert found[0].quote == "2025年3月1日 | 2025年3月31日17:00"


def test_a_table_with_each_cell_on_a_line_of_its_own() -> None:
    """A page that put each cell on its own line, each closed by ``|``: the header is as wide as its labels."""
    body = """批次 |
报送内容 |
报送截止时间 |
第一批 |
推荐汇总表 |
2025年3月31日前 |
第二批 |
佐证材料 |
2025年6月30日前 |
请按时报送。"""
    found = records(body, title="关于开展2025年度示范企业申报的通知")
    assert ends(found) == [dt.date(2025, 3, 31), dt.date(2025, 6, 30)]
    assert "佐证材料" in next(d for d in found if d.end == dt.date(2025, 6, 30)).what


@pytest.mark.parametrize(
    "cell",
    ["<td>2025年4月28日（星期一）<br>下午五时正</td>", "<td>2025年4月28日（星期一）<p>下午五时正</p></td>", "<td>2025年4月28日（星期一）<div>下午五时正</div>"],
)
def test_a_cell_wrapped_in_a_page_stays_in_its_row(tmp_path, cell: str) -> None:
    """``<br>``, ``<p>`` inside a table cell wrap the cell, not the row; a ``<td>`` may omit its ``</td>``."""
    from calendar_svc.extract import extract

    page = tmp_path / "notice.html"
    page.write_text(
        "<html><head><meta charset='utf-8'><title>关于调整刊物截稿时间的通知</title></head><body>"
        "<h1>关于调整刊物截稿时间的通知</h1><p>因节日假期，截稿时间调整如下：</p>"
        "<table><tr><th>出版日期</th><th>截稿时间（纸本）</th><th>截稿时间（网上）</th></tr>"
        f"<tr><td>2025年5月9日（星期五）</td>{cell}<td>2025年4月29日（星期二）上午九时正</td></tr>"
        "<tr><td>2025年10月10日<td>2025年9月26日下午四时正<td>2025年9月29日上午八时正</table>"
        "<p>某某编辑部</p><p>2025年3月1日</p></body></html>",
        encoding="utf-8",
    )
    found = [d for d in extract([str(page)]).deadlines if d.actionable]
    assert ends(found) == [at(2025, 4, 28, 17), at(2025, 4, 29, 9), at(2025, 9, 26, 16), at(2025, 9, 29, 8)]


from hypothesis import example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

PIECES = ["|", " | ", "\n", "---|", "出版日期", "截稿时间", "报送时间", "有效期限", "批次", "第一批", "报表名称",
          "2025年4月28日", "4月28日前", "(下午四时正)", "审核", "。", " ", "[...]"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60))
@example(["|", "|", "截稿时间", "|", "\n", "|"])  # a line of bare separators under a header once crashed the reader
def test_any_arrangement_of_cells_reads_without_error_and_in_bounds(pieces: list[str]) -> None:
    """Whatever a page does to a table, each date cell found lies in the text and holds a date."""
    text = "".join(pieces)
    cells = table_cells(text, text)
    for offset in range(len(text)):
        cell = cells.at(offset)
        if cell is not None:
            assert 0 <= cell.begin <= offset < cell.end <= len(text)
            assert "月" in text[cell.begin : cell.end]
            assert not cells.elsewhere(offset)
