"""Real notices rendered as people receive them: .docx (python-docx), then PDF and .doc by LibreOffice.

The .docx looks like a government document: 仿宋_GB2312 body text (Noto
CJK stands in where that font is missing, as on most servers), a red-head
line, a centred title, paragraphs indented two characters, ``a | b`` lines
as a real table, a page header, and a footer page number.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
#: The red head of the rendered documents (the issuer's name in red above the title).
HEAD = "某某省科学技术厅文件"
_TITLE = re.compile(r"(?:通知|公告|通告|公示|意见|办法|指南|函|决定|安排)$")


def notice_files(sets: tuple[str, ...] = ("shared_notices", "heldout11", "heldout7")) -> list[Path]:
    """The real notices of the named sets of tests/data (the 16 shared dev notices and two held-out sets)."""
    files: list[Path] = []
    for name in sets:
        files += sorted((DATA / name).glob("*.txt"))
    return files


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def write_docx(text: str, path: Path, *, red_head: str = "", header: str = "", columns: int = 1) -> Path:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "仿宋_GB2312"
    normal.font.size = Pt(16)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")
    section = document.sections[0]
    if header:
        section.header.paragraphs[0].text = header
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(footer)
    if columns > 1:
        cols = section._sectPr.find(qn("w:cols"))
        if cols is None:
            cols = OxmlElement("w:cols")
            section._sectPr.append(cols)
        cols.set(qn("w:num"), str(columns))
    if red_head:
        head = document.add_paragraph()
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = head.add_run(red_head)
        run.font.size, run.font.color.rgb, run.bold = Pt(26), RGBColor(0xE0, 0, 0), True
    lines = paragraphs(text)
    index = 0
    while index < len(lines):
        line = lines[index]
        if " | " in line:
            rows = []
            while index < len(lines) and " | " in lines[index]:
                rows.append(lines[index].split(" | "))
                index += 1
            width = max(len(r) for r in rows)
            table = document.add_table(rows=len(rows), cols=width)
            table.style = "Table Grid"
            for row, cells in zip(table.rows, rows):
                for cell, value in zip(row.cells, cells):
                    cell.text = value
            continue
        paragraph = document.add_paragraph(line)
        if index == 0 and len(line) <= 60 and _TITLE.search(line):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            paragraph.paragraph_format.first_line_indent = Pt(32)
        index += 1
    document.save(path)
    return path


def _page_number(paragraph) -> None:
    """A PAGE field, as Word's 页码 inserts it: ``— 1 —``."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph.add_run("— ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    paragraph.add_run(" —")


def convert(files: list[Path], target: str, folder: Path, profile: Path) -> list[Path]:
    """One LibreOffice run for many files (start-up is most of the cost)."""
    folder.mkdir(parents=True, exist_ok=True)
    command = [
        "soffice", "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to", target, "--outdir", str(folder), *map(str, files),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=600)
    suffix = "." + target.split(":", 1)[0]
    out = [folder / (f.stem + suffix) for f in files]
    missing = [p for p in out if not p.exists()]
    assert not missing, f"LibreOffice did not write {missing}"
    return out


NOTICES = notice_files()


def render_all(root: Path) -> Path:
    """Each notice as .docx, and LibreOffice's PDF and .doc of it, in ``root``, ``root/pdf``, ``root/doc``."""
    docx = [write_docx(f.read_text("utf-8"), root / f"{f.stem}.docx", red_head=HEAD) for f in NOTICES]
    profile = root / "profile"
    convert(docx, "pdf", root / "pdf", profile)
    convert(docx, "doc", root / "doc", profile)
    return root
