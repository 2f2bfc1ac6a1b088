"""Bytes → text: encodings, HTML pages, binary files, directories, missing files, stdin."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from calendar_svc.errors import InputError
from calendar_svc.ingest import decode_document, html_to_text, read_document

NOTICE = (
    "工业和信息化部办公厅关于组织开展2024年度中小企业特色产业集群申报工作的通知\n"
    "请各推荐单位于2024年9月30日16:00前通过系统确认推荐项目。\n"
    "工业和信息化部\n"
    "2024年7月31日\n"
)

PAGE = """<!DOCTYPE html>
<html>
<head>
<meta charset="{charset}">
<title>关于组织开展2024年度中小企业特色产业集群申报工作的通知</title>
<style>p {{ color: red; }} .x::after {{ content: "2099年1月1日"; }}</style>
<script>var published = "2023年1月1日前"; document.title = "脚本";</script>
</head>
<body>
<nav>首页 | 政策文件</nav>
<div class="content">
<p>各省、自治区、直辖市工业和信息化主管部门：</p>
<p>请各推荐单位于2024年9月30日16:00前<b>通过系统</b>确认推荐项目。</p>
<table>
<tr><th>事项</th><th>截止时间</th></tr>
<tr><td>网上填报申报书</td><td>2024年9月20日</td></tr>
</table>
<p>工业和信息化部<br>2024年7月31日</p>
</div>
<noscript>请启用脚本</noscript>
</body>
</html>
"""


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


# -- encodings ----------------------------------------------------------------


def test_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, "notice.txt", NOTICE.encode("utf-8"))
    document = read_document(path)
    assert document.text == NOTICE
    assert document.name == path
    assert document.encoding == "utf-8"


def test_utf8_with_bom_drops_the_bom(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, "notice.md", b"\xef\xbb\xbf" + NOTICE.encode("utf-8")))
    assert document.text == NOTICE
    assert not document.text.startswith("\ufeff")


@pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
def test_gb_encoded_chinese_is_detected(tmp_path: Path, encoding: str) -> None:
    data = NOTICE.encode(encoding)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the test only means something if the bytes are not UTF-8
    document = read_document(write(tmp_path, "notice.txt", data))
    assert document.text == NOTICE
    assert document.encoding == "gb18030"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom(tmp_path: Path, encoding: str) -> None:
    bom = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding]
    data = bom + NOTICE.encode(encoding)
    assert data.startswith((b"\xff\xfe", b"\xfe\xff"))
    document = read_document(write(tmp_path, "notice.txt", data))
    assert document.text == NOTICE
    assert document.encoding == "utf-16"


def test_utf16_without_text_is_not_mistaken_for_a_notice(tmp_path: Path) -> None:
    data = b"\xff\xfe" + b"\x00\x00\x01\x00\x02\x00" * 50
    path = write(tmp_path, "blob.txt", data)
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert caught.value.file == path


def test_windows_line_ends_become_newlines(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, "notice.txt", NOTICE.replace("\n", "\r\n").encode("gb18030")))
    assert document.text == NOTICE
    assert "\r" not in document.text


# -- HTML ---------------------------------------------------------------------


def html_lines(text: str) -> list[str]:
    return text.rstrip("\n").split("\n")


def test_html_page_paragraphs_become_lines(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, "notice.html", PAGE.format(charset="utf-8").encode("utf-8")))
    lines = html_lines(document.text)
    assert lines == [
        "关于组织开展2024年度中小企业特色产业集群申报工作的通知",
        "各省、自治区、直辖市工业和信息化主管部门：",
        "请各推荐单位于2024年9月30日16:00前通过系统确认推荐项目。",
        "事项 | 截止时间",
        "网上填报申报书 | 2024年9月20日",
        "工业和信息化部",
        "2024年7月31日",
    ]


def test_html_drops_script_style_nav_and_noscript(tmp_path: Path) -> None:
    text = read_document(write(tmp_path, "notice.htm", PAGE.format(charset="utf-8").encode("utf-8"))).text
    for hidden in ("2023年1月1日", "2099年1月1日", "color", "脚本", "首页", "请启用脚本", "<", ">"):
        assert hidden not in text


def test_html_title_is_kept_only_when_the_body_lacks_it() -> None:
    with_heading = (
        "<html><head><title>关于开展专项检查的通知 - 某某部门户网站</title></head>"
        "<body><h1>关于开展专项检查的通知</h1><p>请于2024年9月30日前报送。</p></body></html>"
    )
    lines = html_lines(html_to_text(with_heading))
    assert lines == ["关于开展专项检查的通知", "请于2024年9月30日前报送。"]

    without = "<html><head><title>关于开展专项检查的通知</title></head><body><p>请于2024年9月30日前报送。</p></body></html>"
    assert html_lines(html_to_text(without)) == ["关于开展专项检查的通知", "请于2024年9月30日前报送。"]


def test_html_in_gbk_with_a_meta_charset(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, "notice.shtml", PAGE.format(charset="gbk").encode("gbk")))
    assert "请各推荐单位于2024年9月30日16:00前通过系统确认推荐项目。" in html_lines(document.text)


def test_html_is_recognised_by_its_content_without_an_html_suffix(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, "saved-page", PAGE.format(charset="utf-8").encode("utf-8")))
    assert "<p>" not in document.text
    assert "网上填报申报书 | 2024年9月20日" in html_lines(document.text)


def test_html_with_a_bom_and_no_suffix_is_still_html(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + PAGE.format(charset="utf-8").encode("utf-8")
    document = read_document(write(tmp_path, "saved-page.txt", data))
    assert "<p>" not in document.text and "var published" not in document.text
    assert html_lines(document.text)[0] == "关于组织开展2024年度中小企业特色产业集群申报工作的通知"


def test_html_in_utf16_is_still_html(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, "saved-page", PAGE.format(charset="utf-16").encode("utf-16")))
    assert "<title>" not in document.text
    assert "请各推荐单位于2024年9月30日16:00前通过系统确认推荐项目。" in html_lines(document.text)


def test_markdown_with_angle_brackets_is_not_taken_for_html(tmp_path: Path) -> None:
    text = "# 关于开展申报的通知\n\n请于2024年9月30日前报送<申报书>。\n"
    assert read_document(write(tmp_path, "notice.md", text.encode("utf-8"))).text == text


# -- errors -------------------------------------------------------------------


def test_an_image_is_an_input_error_naming_the_file(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    path = write(tmp_path, "notice.txt", png)  # the name does not matter: the bytes say what it is
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert caught.value.file == path
    assert str(caught.value) == f"{path}: 是图片（PNG），不是文字：没有文字层，不支持 OCR"


def test_binary_disguised_with_a_text_suffix_is_rejected(tmp_path: Path) -> None:
    data = NOTICE.encode("utf-8") + b"\x00\x01\x02\x03" + bytes(range(256))
    path = write(tmp_path, "notice.txt", data)
    with pytest.raises(InputError, match="看起来是二进制文件"):
        read_document(path)


def test_control_bytes_without_nul_are_binary() -> None:
    with pytest.raises(InputError) as caught:
        decode_document("blob", bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 20 + "通知".encode("utf-8"))
    assert caught.value.file == "blob"


def test_directory_is_an_input_error(tmp_path: Path) -> None:
    folder = tmp_path / "notices"
    folder.mkdir()
    with pytest.raises(InputError) as caught:
        read_document(str(folder))
    assert caught.value.file == str(folder)
    assert caught.value.problem == "是目录，不是通知文件"


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.txt")
    with pytest.raises(InputError) as caught:
        read_document(missing)
    assert caught.value.file == missing
    assert str(caught.value).startswith(f"{missing}: ")
    assert caught.value.problem == "文件不存在"


def test_empty_file_is_empty_text(tmp_path: Path) -> None:
    assert read_document(write(tmp_path, "empty.txt", b"")).text == ""


# -- stdin --------------------------------------------------------------------


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_dash_reads_stdin_bytes(monkeypatch, encoding: str) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(NOTICE.encode(encoding)))
    document = read_document("-")
    assert document.name == "<stdin>"
    assert document.text == NOTICE


def test_stdin_html_is_recognised(monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(PAGE.format(charset="utf-8").encode("utf-8")))
    lines = html_lines(read_document("-").text)
    assert "网上填报申报书 | 2024年9月20日" in lines and "<html>" not in "\n".join(lines)


def test_binary_stdin_names_stdin(monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(b"\x00\x01\x02\x03" * 40))
    with pytest.raises(InputError) as caught:
        read_document("-")
    assert caught.value.file == "<stdin>"


# -- hostile text -------------------------------------------------------------


def test_control_characters_are_stripped_at_ingest(tmp_path: Path) -> None:
    dirty = "关于\x1b[31m开展\x07申报的通知\x0c请于2024年9月30日前\x7f报送\x9b材料。\x0b\t附件\r\n"
    document = read_document(write(tmp_path, "notice.txt", dirty.encode("utf-8")))
    assert document.text == "关于[31m开展申报的通知\n请于2024年9月30日前报送材料。\n\t附件\n"


def test_cr_and_escapes_from_html_entities_never_reach_the_text() -> None:
    markup = "<p>请于2024年9月30日前报送&#13;END:VEVENT&#13;BEGIN:VEVENT&#27;[2J&#x85;。</p>"
    text = decode_document("page.html", markup.encode("utf-8"), html=True).text
    # CR is whitespace inside a paragraph; ESC is dropped; &#x85; is "…" as HTML reads it (windows-1252).
    assert text == "请于2024年9月30日前报送 END:VEVENT BEGIN:VEVENT[2J…。\n"


def calls(function, *args) -> int:
    """Python and C function calls made: a deterministic measure of work (no clock)."""
    count = 0

    def profiler(frame, event, arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profiler)
    try:
        function(*args)
    finally:
        sys.setprofile(None)
    return count


@pytest.mark.parametrize(
    "build",
    [
        lambda n: "<div>" * n + "请于2024年9月30日前报送。" + "</div>" * n,
        lambda n: "<table>" + "<tr><td>1月" * n + "</table>",
        lambda n: "<p>" * n + "<nav>" * n + "x",
        lambda n: "<b>" + "&#13;" * n + "<br>" * n,
    ],
    ids=["nested-div", "unclosed-cells", "unclosed-nav", "entities"],
)
def test_html_work_grows_linearly_with_the_input(build) -> None:
    small, large = calls(html_to_text, build(1000)), calls(html_to_text, build(4000))
    assert large < 4 * 1.5 * small, (small, large)  # linear: 4×; bs4's insert_after made it 7.8× here, 16× at scale


def test_a_saved_page_under_any_name_is_html(tmp_path: Path) -> None:
    saved = "<!-- saved from url=(0054)https://kjt.example.gov.cn/tzgg/t20240801_123.jsp -->\n" + PAGE.format(charset="gbk")
    for name in ("t20240801_123.jsp", "view.aspx", "下载"):
        document = read_document(write(tmp_path, name, saved.encode("gbk")))
        assert document.format == "html" and "<p>" not in document.text, name
        assert "请各推荐单位于2024年9月30日16:00前通过系统确认推荐项目。" in html_lines(document.text)


def test_a_web_page_article_is_read_in_linear_work() -> None:
    from calendar_svc.ingest.web import Response, _page

    def read(n: int) -> None:
        body = ("<html><body>" + "<div>" * n + "<p>请于2024年9月30日前报送材料。</p>" + "</div>" * n + "</body></html>").encode()
        _page("http://127.0.0.1/p.html", Response(url="http://127.0.0.1/p.html", body=body, charset="utf-8"))

    small, large = calls(read, 1000), calls(read, 4000)
    assert large < 4 * 1.5 * small, (small, large)
