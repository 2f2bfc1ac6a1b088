"""Splitting files into notices and reading their metadata."""

from __future__ import annotations

import pytest

import datetime as dt
from pathlib import Path

from calendar_svc.ingest import read_document
from calendar_svc.notices import split_notices

CORPUS = Path(__file__).resolve().parent / "data" / "corpus" / "policy-compilation-2024-08.md"


def corpus_notices():
    document = read_document(str(CORPUS))
    return split_notices(document.text, document.name)


def test_table_of_contents_is_skipped() -> None:
    cover, first, *_ = corpus_notices()
    assert cover.first_line == 1 and len(cover.lines) == 8  # 总第6期 / 政策汇编 / (2024年8月), above the 目录 on line 9
    assert first.first_line > 60  # the TOC ends at line 64
    assert first.title == "中共中央 国务院关于加快经济社会发展全面绿色转型的意见"


@pytest.mark.parametrize("blank_lines", ["", "\n\n"])
def test_a_letter_above_the_table_of_contents_is_read(blank_lines: str) -> None:
    """A forwarding letter before a compilation's 目录 keeps its own deadline: nothing above the contents is dropped."""
    from calendar_svc.classify import classify_notice

    text = (
        f"{blank_lines}关于转发申报指南汇编的通知\n各学院：\n请于2024年10月8日前将推荐汇总表报送科研处。\n科研处\n2024年9月20日\n"
        "目录\n关于开展专利资助申报工作的通知1\n关于报送统计年报的通知5\n\n"
        "关于开展专利资助申报工作的通知\n各有关单位：\n请于2024年10月15日前报送。\n科技局\n2024年9月1日\n"
        "关于报送统计年报的通知\n各企业：\n请于2025年3月31日前报送年报。\n统计局\n2024年12月1日\n"
    )
    letter, *notices = split_notices(text, "compilation.txt")
    assert (letter.title, letter.issuer, letter.date) == ("关于转发申报指南汇编的通知", "科研处", dt.date(2024, 9, 20))
    assert [n.title for n in notices] == ["关于开展专利资助申报工作的通知", "关于报送统计年报的通知"]
    ends = [d.end for n in (letter, *notices) for d in classify_notice(n)[0] if d.status != "candidate"]
    assert ends == [dt.date(2024, 10, 8), dt.date(2024, 10, 15), dt.date(2025, 3, 31)]


def test_compilation_is_split_into_its_notices() -> None:
    by_title = {n.title: n for n in corpus_notices()}
    assert len(by_title) >= 25
    grant = next(n for t, n in by_title.items() if t.startswith("工信部发布国家重点研发计划"))
    assert (grant.issuer, grant.doc_no, grant.date) == ("工业和信息化部", "工信部高新函〔2024〕224号", dt.date(2024, 7, 31))
    patent = next(n for t, n in by_title.items() if t.startswith("国家知识产权局关于调整部分专利收费标准"))
    assert patent.doc_no == "国家知识产权局公告第五九四号"
    assert patent.date == dt.date(2024, 8, 6)


def test_attachment_listed_by_a_notice_stays_in_it() -> None:
    notices = corpus_notices()
    young = next(n for n in notices if "国际杰青" in n.title)
    assert young.doc_no == "国科外函〔2024〕34号"
    assert any("本年度国际杰青计划项目申报受理截止时间" in line for line in young.lines)
    assert not any(n.title.startswith("2024年度国际杰青计划项目申报指南") for n in notices)


def test_line_numbers_are_file_line_numbers() -> None:
    notices = corpus_notices()
    lines = CORPUS.read_text("utf-8").split("\n")
    for notice in notices:
        for index in (0, len(notice.lines) // 2, len(notice.lines) - 1):
            offset = sum(len(line) + 1 for line in notice.lines[:index])
            assert notice.line_of(offset) == notice.first_line + index
            assert lines[notice.line_of(offset) - 1] == notice.lines[index]


def test_single_notice_file_with_salutation_and_signature() -> None:
    text = "关于做好2024年秋季学期注册工作的通知\n各学院:\n请于9月16日前报送。\n教务处\n2024年8月24日\n"
    (notice,) = split_notices(text, "n.txt")
    assert (notice.title, notice.issuer, notice.date) == ("关于做好2024年秋季学期注册工作的通知", "教务处", dt.date(2024, 8, 24))


def test_publication_stamp_dates_a_page_without_signature() -> None:
    text = "关于公开征求意见的公告\n发布时间：2021-12-01 17:35\n请于2021年12月31日前反馈意见。\n"
    (notice,) = split_notices(text, "page.html")
    assert notice.date == dt.date(2021, 12, 1)


def test_web_page_breadcrumb_is_not_the_title() -> None:
    text = "首页 > 通知公告\n关于开展2024年度专利资助申报工作的通知\n各有关单位：\n请于2024年10月15日前报送。\n"
    (notice,) = split_notices(text, "page.html")
    assert notice.title == "关于开展2024年度专利资助申报工作的通知"


def test_added_stamp_dates_a_page() -> None:
    text = "报名截止时间:9月15日\n添加时间:2021-09-10\n"
    (notice,) = split_notices(text, "page.html")
    assert notice.date == dt.date(2021, 9, 10)


def test_table_of_contents_without_headings_ends_at_the_body() -> None:
    """A 目录 in a plain-text file ends at the first body text; the titles it lists split the file."""
    text = (
        "目录\n关于开展专利资助申报工作的通知1\n关于报送统计年报的通知5\n\n"
        "关于开展专利资助申报工作的通知\n各有关单位：\n请于2024年10月15日前报送。\n科技局\n2024年9月1日\n"
        "关于报送统计年报的通知\n各企业：\n请于2025年3月31日前报送年报。\n统计局\n2024年12月1日\n"
    )
    notices = split_notices(text, "compilation.txt")
    assert [n.title for n in notices] == ["关于开展专利资助申报工作的通知", "关于报送统计年报的通知"]
    assert notices[0].skipped_toc == (1, 4)
    assert [(n.issuer, n.date) for n in notices] == [("科技局", dt.date(2024, 9, 1)), ("统计局", dt.date(2024, 12, 1))]


@pytest.mark.parametrize(
    "text",
    [
        "关于报送材料的通知\n各单位：\n请于2024年10月15日前报送材料。\n科技局\n2024年9月1日\n目录\n",  # a page's menu word last
        "关于报送材料的通知\n目录\n各单位：\n请于2024年10月15日前报送材料。\n科技局\n2024年9月1日\n",  # body text right after it
        "9月30日\n\n目录" * 40 + "\n",  # the pumped piece test_linear found: everything before the last line was dropped
    ],
    ids=["last-line", "body-after", "pumped"],
)
def test_a_toc_line_that_lists_nothing_skips_nothing(text: str) -> None:
    (notice,) = split_notices(text, "page.txt")
    assert notice.skipped_toc is None and notice.first_line == 1
    assert "".join(notice.lines).count("月") == text.count("月")


def test_table_of_contents_ends_at_a_sentence() -> None:
    text = "目 录\n一、申报条件\n二、申报时间\n各有关单位：\n请于2024年10月15日前提交申报书。\n"
    (notice,) = split_notices(text, "page.txt")
    assert notice.first_line == 4
    assert any("10月15日" in line for line in notice.lines)


def test_compilation_without_heading_marks_reads_like_with_them() -> None:
    """The corpus with its ``#`` marks removed: the same notices and the same 15 deadlines (issue 10)."""
    from calendar_svc.classify import classify_notice

    text = read_document(str(CORPUS)).text
    plain = "\n".join(line.lstrip("#") for line in text.split("\n"))

    def found(source: str):
        records, problems = [], []
        for notice in split_notices(source, "corpus"):
            deadlines, notes = classify_notice(notice)
            records += [(d.kind, d.start, d.end, d.source.line) for d in deadlines if d.status != "candidate"]  # published
            problems += [str(p) for p in notes]
        return records, problems

    marked, plain_found = found(text), found(plain)
    assert len(plain_found[0]) == 15
    assert plain_found[0] == marked[0]
    assert plain_found[1] == ["corpus:9: 跳过目录（第 9–64 行）"]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("更新时间:2018-08-19 09:55\n2016淮北相山区小学报名条件及报名须知\n(1)报名时间:7月6日-10日。\n", "2016淮北相山区小学报名条件及报名须知"),
        ("发布时间：2021-03-02\n东城区幼儿园2021年招生简章\n请家长于5月20日前报名。\n", "东城区幼儿园2021年招生简章"),
        ("各位家长\n秋季学期新生报到日程\n8月30日报到。\n", "秋季学期新生报到日程"),
    ],
    ids=["须知", "简章", "日程"],
)
def test_a_single_notice_titled_as_a_guide_or_brochure_keeps_its_title(text: str, title: str) -> None:
    (notice,) = split_notices(text, "n.txt")
    assert notice.title == title


def test_a_formal_title_still_wins_over_a_guide_line() -> None:
    text = "报名须知\n关于做好2024年小学招生工作的通知\n各校：\n"
    assert split_notices(text, "n.txt")[0].title == "关于做好2024年小学招生工作的通知"


@pytest.mark.parametrize(
    ("stamp", "title", "date"),
    [
        ("发布时间：2018-08-19", "2016年小学报名须知", None),
        ("发布日期:2021-03-02", "2019东城区幼儿园招生简章", None),
        ("发布时间：2018-08-19", "2018年小学报名须知", dt.date(2018, 8, 19)),
        ("发布时间：2018-08-19", "2017年度检查工作的通知", dt.date(2018, 8, 19)),  # a year under review, not the notice's
    ],
    ids=["earlier-year", "earlier-no-年", "same-year", "年度"],
)
def test_a_page_stamp_later_than_the_title_year_is_no_notice_date(stamp: str, title: str, date) -> None:
    (notice,) = split_notices(f"{title}\n{stamp}\n各校：\n请于5月20日前报名。\n", "n.txt")
    assert notice.date == date
