"""Real notices as PDF, .docx, .doc and .wps: the same deadlines as their plain text, and clear errors for bad files.

The corpus is rendered once per session (python-docx, then one LibreOffice
run per target format); see tests/ingest_corpus.py.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from calendar_svc.errors import InputError
from calendar_svc.extract import extract
from calendar_svc.ingest import Limits, read_document
from calendar_svc.ingest import office

from ingest_corpus import HEAD, NOTICES, TWO_COLUMNS, convert, write_docx, write_ofd



def deadlines_of(path: Path | str) -> list[tuple]:
    result = extract([str(path)])
    assert result.errors == [], result.errors
    return sorted((d.id, d.kind, str(d.start), str(d.end), d.all_day) for d in result.deadlines)


@pytest.mark.parametrize("notice", NOTICES, ids=lambda p: p.stem)
@pytest.mark.parametrize("form", ["{stem}.docx", "pdf/{stem}.pdf"])
def test_every_form_gives_the_plain_texts_deadlines(rendered, notice: Path, form: str) -> None:
    path = rendered["root"] / form.format(stem=notice.stem)
    assert deadlines_of(path) == deadlines_of(notice)


@pytest.mark.parametrize("suffix", [".doc", ".wps", ".bin"])
def test_word_97_and_wps_files_are_read_through_libreoffice(rendered, tmp_path: Path, suffix: str) -> None:
    notice = next(n for n in NOTICES if n.stem.startswith("07_chinatax-2020"))  # titled: ids do not hang on the name
    legacy = tmp_path / f"附件1{suffix}"  # a Kingsoft .wps is a Word 97 file; the suffix does not matter
    legacy.write_bytes((rendered["root"] / "doc" / f"{notice.stem}.doc").read_bytes())
    assert deadlines_of(legacy) == deadlines_of(notice)


def test_a_two_column_pdf_is_read_column_by_column(rendered) -> None:
    moments = lambda path: sorted((d.kind, str(d.start), str(d.end)) for d in extract([str(path)]).deadlines)  # noqa: E731
    assert moments(rendered["root"] / "pdf" / "two-columns.pdf") == moments(TWO_COLUMNS)


def test_spreadsheets_are_read_as_table_rows(tmp_path: Path) -> None:
    """Excel 97 (and WPS 表格 .et, the same format) through LibreOffice: one row a line, cells joined."""
    csv = tmp_path / "schedule.csv"
    csv.write_text("事项,截止时间,报送单位\n网上填报申报书,2024年9月20日17:00前,项目申报单位\n"
                   "推荐汇总表报送,2024年10月15日前,各区科技主管部门\n", encoding="utf-8")
    (xls,) = convert([csv], "xls", tmp_path / "out", tmp_path / "profile", infilter="Text - txt - csv (StarCalc):44,34,76")
    et = xls.with_suffix(".et")
    xls.rename(et)
    document = read_document(str(et))
    assert document.format == "xls"
    assert document.text.split("\n")[1] == "网上填报申报书 | 2024年9月20日17:00前 | 项目申报单位"
    assert sorted(str(d.end) for d in extract([str(et)]).deadlines) == ["2024-09-20 17:00:00+08:00", "2024-10-15"]


def test_rtf_is_read_through_libreoffice(rendered, tmp_path: Path) -> None:
    notice = next(n for n in NOTICES if n.stem.startswith("07_chinatax-2020"))
    (rtf,) = convert([rendered["root"] / f"{notice.stem}.docx"], "rtf", tmp_path / "rtf", tmp_path / "profile")
    assert read_document(str(rtf)).format == "rtf"
    assert deadlines_of(rtf) == deadlines_of(notice)


def test_pdf_metadata_comes_from_the_document_not_the_file_name(rendered) -> None:
    notice = next(n for n in NOTICES if n.stem.startswith("07_chinatax-2020"))
    document = read_document(str(rendered["root"] / "pdf" / f"{notice.stem}.pdf"))
    assert document.format == "pdf" and document.title == HEAD  # the red head leads the page
    (record, *_) = extract([str(rendered["root"] / "pdf" / f"{notice.stem}.pdf")]).deadlines
    assert record.notice.title == "关于明确2020年度申报纳税期限的通知"  # not the red head, not the file name
    assert record.notice.doc_no == "税总办函〔2019〕449号"
    assert "— 1 —" not in document.text and "\n1\n" not in document.text  # the footer's page number is dropped


def test_a_docx_header_gives_the_doc_number(tmp_path: Path) -> None:
    text = "关于开展2024年度科技创新券申报工作的通知\n各有关单位：\n请于2024年9月30日前提交申报材料。\n某某市科学技术局\n2024年8月1日\n"
    path = write_docx(text, tmp_path / "通知.docx", header="某科发〔2024〕12号")
    (record,) = extract([str(path)]).deadlines
    assert record.notice.doc_no == "某科发〔2024〕12号"
    assert record.notice.title == "关于开展2024年度科技创新券申报工作的通知"


def test_docx_tables_keep_their_rows(rendered) -> None:
    notice = next(n for n in NOTICES if n.stem.startswith("13_gmc"))
    for path in (rendered["root"] / f"{notice.stem}.docx", rendered["root"] / "pdf" / f"{notice.stem}.pdf"):
        lines = read_document(str(path)).text.split("\n")
        assert any(line.startswith("1月15日以前 | 申请人完成申报书初稿") and "(A4纸普通装订)交到所属二级部门。" in line
                   for line in lines), path


# -- bad input ----------------------------------------------------------------


def pdf_file(objects: list[bytes]) -> bytes:
    """A PDF of these objects (1 is the catalog), with a correct cross-reference table."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def image_pdf(pages: int) -> bytes:
    """A scan: pages that hold one image each and no text."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    image = b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 1 >>\nstream\n\x80\nendstream"
    objects.append(image)  # object 3
    for _ in range(pages):
        content = b"q 500 0 0 700 50 50 cm /Im1 Do Q"
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im1 3 0 R >> >> /Contents %d 0 R >>" % len(objects))
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), pages)
    return pdf_file(objects)


def unmapped_font_pdf() -> bytes:
    """Text in a Type3 font with private glyph names and no ToUnicode map: no reader can tell its characters."""
    names = b" ".join(b"/g%d" % i for i in range(1, 10))
    procs = b"<< " + b" ".join(b"/g%d 7 0 R" % i for i in range(1, 10)) + b" >>"
    line = b"(" + bytes(range(1, 10)) * 8 + b") Tj"
    content = b"BT /F1 12 Tf 72 700 Td " + line + b" 0 -20 Td " + line + b" ET"
    return pdf_file([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] /FontMatrix [0.001 0 0 0.001 0 0] /CharProcs " + procs
        + b" /Encoding 6 0 R /FirstChar 1 /LastChar 9 /Widths [" + b"600 " * 9 + b"] >>",
        b"<< /Type /Encoding /Differences [1 " + names + b"] >>",
        b"<< /Length 30 >>\nstream\n600 0 0 0 500 500 d1 0 0 m f\nendstream",
    ])


@pytest.fixture(scope="session")
def encrypted_pdf(rendered) -> Path:
    docx = rendered["root"] / f"{NOTICES[0].stem}.docx"
    target = 'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"secret"}}'
    (pdf,) = convert([docx], target, rendered["root"] / "encrypted", rendered["root"] / "profile")
    return pdf


def problem(path: Path | str, limits: Limits | None = None) -> str:
    with pytest.raises(InputError) as caught:
        read_document(str(path), limits=limits)
    assert caught.value.file == str(path)
    return caught.value.problem


def test_an_encrypted_pdf_says_so(encrypted_pdf: Path) -> None:
    assert "文件已加密（有密码保护）" in problem(encrypted_pdf)


def test_a_truncated_pdf_says_so(rendered, tmp_path: Path) -> None:
    whole = (rendered["root"] / "pdf" / f"{NOTICES[0].stem}.pdf").read_bytes()
    cut = tmp_path / "通知.pdf"
    cut.write_bytes(whole[: len(whole) * 2 // 3])
    assert "PDF 不完整" in problem(cut)


def test_a_scanned_pdf_has_no_text_layer(tmp_path: Path) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(image_pdf(3))
    assert problem(scan) == "没有文字层：3 页都是图片；不支持 OCR"


def test_a_pdf_whose_fonts_have_no_unicode_map_is_refused_with_the_share(tmp_path: Path) -> None:
    garbled = tmp_path / "通知.pdf"
    garbled.write_bytes(unmapped_font_pdf())
    assert problem(garbled) == "文字层无法读取：100% 的字符没有 Unicode 映射（字体缺少 ToUnicode）；不支持 OCR"


def test_a_zip_renamed_docx_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "申报指南.docx"
    with zipfile.ZipFile(fake, "w") as archive:
        archive.writestr("readme.txt", "not a Word document")
    assert "是 ZIP 压缩包，但不是 Word" in problem(fake)


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path, monkeypatch) -> None:
    huge = tmp_path / "汇编.pdf"
    with huge.open("wb") as handle:
        handle.truncate(200 * 2**20)  # sparse: costs no disk
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read the whole file"))
    assert problem(huge) == "大小 200 MiB，超过 50 MiB 的上限；未读取"


def test_a_hung_conversion_is_killed_and_reported(tmp_path: Path, monkeypatch) -> None:
    pid_file = tmp_path / "converter.pid"
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\necho $$ > {pid_file}\nexec sleep 600\n")
    fake.chmod(0o755)
    monkeypatch.setenv(office.SOFFICE_ENV, str(fake))
    legacy = tmp_path / "附件2.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + bytes(512))
    message = problem(legacy, Limits(convert_timeout=2))
    assert message == "LibreOffice 在 2 秒内没有转换完，已停止"
    if pid_file.exists():  # on a very loaded machine the converter may be killed before it wrote its pid
        pid = int(pid_file.read_text())
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()


def test_without_libreoffice_the_error_names_the_package(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(office.SOFFICE_ENV, raising=False)
    monkeypatch.setattr(office.shutil, "which", lambda name: None)
    legacy = tmp_path / "附件.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + bytes(512))
    assert "apt-get install libreoffice-writer-nogui" in problem(legacy)


def test_bad_inputs_are_reported_one_line_each_and_the_good_ones_still_go_through(rendered, tmp_path: Path) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(image_pdf(1))
    fake = tmp_path / "fake.docx"
    fake.write_bytes(b"PK\x03\x04" + os.urandom(64))
    good = rendered["root"] / "pdf" / f"{NOTICES[0].stem}.pdf"
    result = extract([str(scan), str(good), str(fake)])
    assert [e.file for e in result.errors] == [str(scan), str(fake)]
    assert all("\n" not in str(e) for e in result.errors)
    assert result.files == [str(good)] and result.deadlines


# -- OFD ----------------------------------------------------------------------

OFD_NOTICES = [n for n in NOTICES if " | " not in n.read_text("utf-8")][:6]


@pytest.mark.parametrize("notice", OFD_NOTICES, ids=lambda p: p.stem)
def test_an_ofd_gives_the_plain_texts_deadlines(notice: Path, tmp_path: Path) -> None:
    ofd = write_ofd(notice.read_text("utf-8"), tmp_path / f"{notice.stem}.ofd")
    assert read_document(str(ofd)).format == "ofd"
    assert deadlines_of(ofd) == deadlines_of(notice)


def test_an_ofd_without_text_objects_is_a_scan(tmp_path: Path) -> None:
    ofd = write_ofd("", tmp_path / "scan.ofd")
    assert problem(ofd) == "没有文字层：这 1 页没有文字对象（只有图片）；不支持 OCR"


def test_a_damaged_ofd_says_so(tmp_path: Path) -> None:
    ofd = tmp_path / "公告.ofd"
    with zipfile.ZipFile(ofd, "w") as archive:
        archive.writestr("OFD.xml", "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml")
    assert problem(ofd).startswith("OFD 文档已损坏（ParseError")
