"""A record belongs to its document by address, content or notice, never by file name.

Two notices piped through stdin, or two downloads both saved as index.html, must never flag each
other's deadlines vanished (vanished deadlines get no reminders). The same notice re-read under
its name, or at its address, with a deadline gone, still flags that one.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from click.testing import CliRunner

from calendar_svc.cli import main

MIIT = """\
工业和信息化部办公厅关于组织开展2024年度中小企业特色产业集群申报工作的通知
工信厅企业函〔2024〕215号
一、请各推荐单位于2024年9月30日16:00前通过系统确认推荐项目。
二、请各地主管部门于2024年9月10日前完成线上培训报名。
工业和信息化部
2024年7月31日
"""

MOST = """\
科技部国际合作司关于征集2024年度国际合作项目的通知
请各单位于2024年10月15日前通过国际合作管理系统提交申报材料，逾期不予受理。
科学技术部国际合作司
2024年8月16日
"""

UNTITLED = "请各单位于2024年11月20日前报送年度总结。\n"
UNTITLED_TOO = "请各单位于2024年12月5日前报送统计报表。\n"


def extract(data: Path, *args: str, input: str | None = None, now: str = "2024-08-20T10:00"):
    result = CliRunner().invoke(main, ["extract", *args, "-o", str(data), "--now", now], input=input)
    assert result.exit_code == 0, result.output
    return result, tomllib.loads(data.read_text("utf-8"))["deadline"]


def test_a_second_notice_through_stdin_flags_nothing(tmp_path: Path) -> None:
    data = tmp_path / "deadlines.toml"
    extract(data, "-", input=MIIT)
    result, tables = extract(data, "-", input=MOST)
    assert "消失 0 条" in result.stderr
    assert len(tables) == 3 and not any(t["vanished"] for t in tables)


def test_two_downloads_both_named_index_html_flag_nothing(tmp_path: Path) -> None:
    data = tmp_path / "deadlines.toml"
    page = tmp_path / "index.html"
    for text in (MIIT, MOST, UNTITLED, UNTITLED_TOO):  # titled or not, each overwrites the one before
        page.write_text("<html><body>" + "".join(f"<p>{line}</p>" for line in text.splitlines()) + "</body></html>",
                        encoding="utf-8")
        result, tables = extract(data, str(page))
        assert "消失 0 条" in result.stderr
    assert len(tables) == 5 and not any(t["vanished"] for t in tables)


def test_the_same_notice_again_through_stdin_still_flags_what_it_lost(tmp_path: Path) -> None:
    data = tmp_path / "deadlines.toml"
    extract(data, "-", input=MIIT)
    result, tables = extract(data, "-", input=MIIT.replace("二、请各地主管部门于2024年9月10日前完成线上培训报名。\n", ""))
    assert "消失 1 条" in result.stderr
    assert [str(t["end"]) for t in tables if t["vanished"]] == ["2024-09-10"]


def test_the_same_file_renamed_is_the_same_document(tmp_path: Path) -> None:
    data = tmp_path / "deadlines.toml"
    first = tmp_path / "通知.txt"
    first.write_text(MIIT, encoding="utf-8")
    extract(data, str(first))
    second = tmp_path / "下载" / "index.txt"
    second.parent.mkdir()
    second.write_text(MIIT, encoding="utf-8")
    result, tables = extract(data, str(second))
    assert "新增 0 条，变更 0 条，消失 0 条，未变 2 条" in result.stderr
    assert {t["file"] for t in tables} == {str(second)}  # the record follows its document to the new name


def test_one_notice_by_two_routes_is_one_notice(tmp_path: Path) -> None:
    data = tmp_path / "deadlines.toml"
    text = tmp_path / "miit.txt"
    text.write_text(MIIT, encoding="utf-8")
    page = tmp_path / "page.html"  # the same 文号 on a page whose headline differs a little
    page.write_text("<html><head><title>关于组织开展特色产业集群申报工作的通知</title></head><body>"
                    + "".join(f"<p>{line}</p>" for line in MIIT.splitlines()[1:]) + "</body></html>", encoding="utf-8")
    result, tables = extract(data, str(text), str(page))
    assert len(tables) == 2, tables


def test_the_same_notice_by_another_route_in_a_later_run_adds_nothing(tmp_path: Path) -> None:
    data = tmp_path / "deadlines.toml"
    text = tmp_path / "miit.txt"
    text.write_text(MIIT, encoding="utf-8")
    _, first = extract(data, str(text))
    page = tmp_path / "page.html"  # a week later: its page, under another headline, with the same 文号
    page.write_text("<html><head><title>关于组织开展特色产业集群申报工作的通知</title></head><body>"
                    + "".join(f"<p>{line}</p>" for line in MIIT.splitlines()[1:]) + "</body></html>", encoding="utf-8")
    result, tables = extract(data, str(page), now="2024-08-27T10:00")
    assert "新增 0 条，变更 0 条，消失 0 条，未变 2 条" in result.stderr
    assert tables == first
