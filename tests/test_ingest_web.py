"""Web addresses on a real HTTP server on 127.0.0.1: GBK government pages, attachments, bad routes.

Every notice of the corpus is served in a government frame (tests/gov_site.py); read through its
address it must give the deadlines of its plain text. One page links the PDF of its own notice and a
.docx attachment: the page and its PDF are one notice (no duplicate records); the attachment's records
carry the page's notice and their own address.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from calendar_svc.cli import main
from calendar_svc.errors import InputError
from calendar_svc.extract import extract
from calendar_svc.ingest import Limits, WebLimits, read_inputs

from gov_site import Site, government_page
from ingest_corpus import NOTICES, paragraphs, write_docx

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
GUIDE = """\
2024年度科技创新券申报指南
一、申报时间
申报单位应于2024年9月2日至9月30日17:00前通过系统提交申报材料。
二、材料报送
各区科技主管部门请于2024年10月15日前将推荐汇总表报送省科学技术厅。
"""


def page_of(notice: Path, **kwargs) -> bytes:
    """The notice's page; its first line is the headline when it reads as one (short), else the page has none."""
    lines = paragraphs(notice.read_text("utf-8"))
    if len(lines[0]) > 60:
        return government_page("", lines, **kwargs)
    return government_page(lines[0], lines[1:], **kwargs)


@pytest.fixture(scope="module")
def site(rendered, tmp_path_factory):
    with Site() as running:
        for notice in NOTICES:
            running.add(f"/tzgg/{notice.stem}.html", page_of(notice))
        own = next(n for n in NOTICES if n.stem.startswith("07_chinatax-2020"))
        guide = write_docx(GUIDE, tmp_path_factory.mktemp("guide") / "guide.docx")
        running.add("/upload/7.pdf", (rendered["root"] / "pdf" / f"{own.stem}.pdf").read_bytes(), "application/pdf")
        running.add("/upload/guide.docx", guide.read_bytes(), "application/octet-stream")
        running.add("/tzgg/with-attachments.html", page_of(own, attachments=[
            ("附件1：关于明确2020年度申报纳税期限的通知.pdf", "/upload/7.pdf"),
            ("附件2：申报指南.docx", "../upload/guide.docx"),
            ("外站附件.pdf", "http://localhost:1/elsewhere.pdf"),
        ]))
        running.add("/tzgg/broken-attachment.html", page_of(own, attachments=[("附件.pdf", "/upload/missing.pdf")]))
        running.add("/tzgg/utf8-header.html", page_of(own).decode("gb18030").replace("charset=gbk", "charset=utf-8").encode("utf-8"),
                    "text/html; charset=UTF-8")
        running.add("/tzgg/meta-only.html", page_of(own), "text/html")
        running.redirect("/loop/a", "/loop/b")
        running.redirect("/loop/b", "/loop/a")
        running.redirect("/moved", "/tzgg/with-attachments.html", 301)
        running.add("/scan.png", PNG, "image/png")
        scan_page = page_of(own).decode("gb18030")
        start = scan_page.index('<div class="content" id="zoom">') + len('<div class="content" id="zoom">')
        end = scan_page.index('<div class="share">')
        scan_page = scan_page[:start] + '<p><img src="/upload/p1.jpg"/></p><p><img src="/upload/p2.jpg"/></p></div>' + scan_page[end:]
        running.add("/tzgg/scan.html", scan_page.encode("gb18030"))
        running.add("/big", b"x", "text/html", **{"X-Pad": "1"})
        running.routes["/big"].headers["Content-Length"] = str(200 * 2**20)
        running.hang("/slow")
        yield running


def deadlines(items) -> list[tuple]:
    return sorted((d.id, d.kind, str(d.start), str(d.end), d.all_day) for d in items)


@pytest.mark.parametrize("notice", NOTICES, ids=lambda p: p.stem)
def test_every_notice_as_a_government_page_gives_the_plain_texts_deadlines(site: Site, notice: Path) -> None:
    result = extract([f"{site.url}/tzgg/{notice.stem}.html"])
    assert result.errors == []
    assert deadlines(result.deadlines) == deadlines(extract([str(notice)]).deadlines)
    assert all(d.source.url == f"{site.url}/tzgg/{notice.stem}.html" for d in result.deadlines)


def test_a_page_and_its_attachments_are_one_notice(site: Site) -> None:
    own = next(n for n in NOTICES if n.stem.startswith("07_chinatax-2020"))
    result = extract([f"{site.url}/tzgg/with-attachments.html"])
    assert result.errors == []
    assert result.files == [f"{site.url}/tzgg/with-attachments.html", f"{site.url}/upload/7.pdf", f"{site.url}/upload/guide.docx"]
    plain = deadlines(extract([str(own)]).deadlines)
    from_page = [d for d in result.deadlines if d.source.url.endswith(".html")]
    assert deadlines(from_page) == plain
    # The PDF is the same notice: it adds nothing twice.
    assert not [d for d in result.deadlines if d.source.url.endswith("7.pdf")]
    guide = [d for d in result.deadlines if d.source.url.endswith("guide.docx")]
    assert sorted(str(d.end) for d in guide) == ["2024-09-30 17:00:00+08:00", "2024-10-15"]
    assert {d.notice.title for d in guide} == {"关于明确2020年度申报纳税期限的通知"}  # the page's notice
    assert {d.source.file for d in guide} == {f"{site.url}/upload/guide.docx"}
    assert "elsewhere" not in " ".join(site.requests)  # other sites' links are not followed


def test_charset_from_the_header_and_else_from_the_meta(site: Site) -> None:
    for path in ("/tzgg/utf8-header.html", "/tzgg/meta-only.html"):
        (page,), errors = read_inputs(site.url + path)
        assert errors == [] and "国家税务总局各省、自治区" in page.text and page.encoding in ("utf-8", "gb18030")


def test_the_frame_yields_nothing(site: Site) -> None:
    own = next(n for n in NOTICES if n.stem.startswith("07_chinatax-2020"))
    (page,), _ = read_inputs(f"{site.url}/tzgg/{own.stem}.html")
    for frame in ("上一篇", "下一篇", "相关文章", "最后更新", "当前位置", "机构概况", "备案号", "2099年"):
        assert frame not in page.text
    assert page.title == "关于明确2020年度申报纳税期限的通知" and page.format == "html"


def one_error(site: Site, path: str, limits: Limits | None = None) -> str:
    documents, errors = read_inputs(site.url + path, limits=limits)
    assert documents == [] and len(errors) == 1 and isinstance(errors[0], InputError)
    assert errors[0].file == site.url + path and "\n" not in str(errors[0])
    return errors[0].problem


def test_bad_addresses_get_one_clear_line_each(site: Site) -> None:
    assert one_error(site, "/nope.html") == "服务器回答 HTTP 404 Not Found"
    assert "重定向循环" in one_error(site, "/loop/a")
    assert "不支持 OCR" in one_error(site, "/scan.png")
    assert one_error(site, "/tzgg/scan.html") == "网页本身没有文字，只有图片（扫描件）；不支持 OCR"
    assert one_error(site, "/big") == "大小 200 MiB，超过 50 MiB 的上限；未下载"
    quick = Limits(web=WebLimits(timeout=0.5, total_timeout=5))
    assert one_error(site, "/slow", quick) == "0.5 秒内没有回应（超时）"


def test_a_redirect_is_followed_and_the_final_address_kept(site: Site) -> None:
    documents, errors = read_inputs(site.url + "/moved")
    assert errors == [] and documents[0].url == f"{site.url}/tzgg/with-attachments.html"


def test_a_broken_attachment_is_reported_and_the_page_still_read(site: Site) -> None:
    result = extract([f"{site.url}/tzgg/broken-attachment.html"])
    assert [str(e) for e in result.errors] == [f"{site.url}/upload/missing.pdf: 服务器回答 HTTP 404 Not Found"]
    assert result.deadlines and result.files == [f"{site.url}/tzgg/broken-attachment.html"]


def test_extract_command_reads_addresses_and_url_lists(site: Site, tmp_path: Path) -> None:
    own = next(n for n in NOTICES if n.stem.startswith("07_chinatax-2020"))
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# 本周的通知\n{site.url}/tzgg/{own.stem}.html\n\n{site.url}/nope.html\n", encoding="utf-8")
    data = tmp_path / "deadlines.toml"
    result = CliRunner().invoke(main, ["extract", str(listing), "--urls", "-o", str(data), "--now", "2024-08-01T09:00"])
    assert result.exit_code == 1  # one address failed …
    assert f"错误：{site.url}/nope.html: 服务器回答 HTTP 404 Not Found" in result.stderr
    tables = tomllib.loads(data.read_text("utf-8"))["deadline"]  # … the other went through
    assert tables and {t["url"] for t in tables} == {f"{site.url}/tzgg/{own.stem}.html"}
    assert all(len(t["sha256"]) == 64 for t in tables)
    bad = tmp_path / "bad.txt"
    bad.write_text("kjt.example.gov.cn/tzgg/1.html\n", encoding="utf-8")
    refused = CliRunner().invoke(main, ["extract", str(bad), "--urls", "--json"])
    assert refused.exit_code == 1 and f"错误：{bad}:1: 不是网址：" in refused.stderr
    direct = CliRunner().invoke(main, ["extract", f"{site.url}/tzgg/with-attachments.html", "--json"])
    assert direct.exit_code == 0, direct.output
    assert {item["source"]["url"] for item in json.loads(direct.stdout)} == {
        f"{site.url}/tzgg/with-attachments.html", f"{site.url}/upload/guide.docx"}
