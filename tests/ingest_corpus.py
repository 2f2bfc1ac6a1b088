"""Real notices rendered as people receive them: .docx (python-docx), then PDF and .doc by LibreOffice.

The .docx looks like a government document: 仿宋_GB2312 body text (Noto
CJK stands in where that font is missing, as on most servers), a red-head
line, a centred title, paragraphs indented two characters, ``a | b`` lines
as a real table, a page header, and a footer page number.
"""

from __future__ import annotations

import html
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


def convert(files: list[Path], target: str, folder: Path, profile: Path, infilter: str = "") -> list[Path]:
    """One LibreOffice run for many files (start-up is most of the cost)."""
    folder.mkdir(parents=True, exist_ok=True)
    command = [
        "soffice", "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
        *([f"--infilter={infilter}"] if infilter else []),
        "--convert-to", target, "--outdir", str(folder), *map(str, files),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=600)
    suffix = "." + target.split(":", 1)[0]
    out = [folder / (f.stem + suffix) for f in files]
    missing = [p for p in out if not p.exists()]
    assert not missing, f"LibreOffice did not write {missing}"
    return out


NOTICES = notice_files()
#: A long notice, also set in two columns (a page with a gutter down its middle).
TWO_COLUMNS = next(n for n in NOTICES if n.stem.startswith("14_cnipa"))


def render_all(root: Path) -> Path:
    """Each notice as .docx, and LibreOffice's PDF and .doc of it, in ``root``, ``root/pdf``, ``root/doc``."""
    root.mkdir(parents=True, exist_ok=True)
    docx = [write_docx(f.read_text("utf-8"), root / f"{f.stem}.docx", red_head=HEAD) for f in NOTICES]
    docx.append(write_docx(TWO_COLUMNS.read_text("utf-8"), root / "two-columns.docx", columns=2))
    profile = root / "profile"
    convert(docx, "pdf", root / "pdf", profile)
    convert(docx, "doc", root / "doc", profile)
    return root


def write_ofd(text: str, path: Path, *, per_line: int = 36, lines_per_page: int = 34) -> Path:
    """A single-layer OFD (GB/T 33190) as layout software writes one: a TextObject per visual line,
    paragraphs wrapped at the margin with a two-character first-line indent, pages of A4."""
    import zipfile

    size, left, top, leading = 4.2, 25.0, 30.0, 7.0
    visual: list[tuple[float, str]] = []  # (indent, text) per line
    for paragraph in paragraphs(text):
        first, rest = paragraph[: per_line - 2], paragraph[per_line - 2:]
        visual.append((2 * size, first))
        visual.extend((0.0, rest[i:i + per_line]) for i in range(0, len(rest), per_line))
    pages = [visual[i:i + lines_per_page] for i in range(0, len(visual), lines_per_page)] or [[]]
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("OFD.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {ns} Version="1.0" DocType="OFD">'
                         '<ofd:DocBody><ofd:DocInfo><ofd:DocID>1</ofd:DocID></ofd:DocInfo>'
                         '<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>')
        page_list = "".join(f'<ofd:Page ID="{i + 10}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages)))
        archive.writestr("Doc_0/Document.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {ns}>'
                         '<ofd:CommonData><ofd:MaxUnitID>999</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>'
                         '</ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>'
                         f'<ofd:Pages>{page_list}</ofd:Pages></ofd:Document>')
        archive.writestr("Doc_0/PublicRes.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res {ns} BaseLoc="Res">'
                         '<ofd:Fonts><ofd:Font ID="3" FontName="仿宋_GB2312" FamilyName="仿宋"/></ofd:Fonts></ofd:Res>')
        for number, lines in enumerate(pages):
            objects = []
            for row, (indent, line) in enumerate(lines):
                width = size * len(line)
                y = top + row * leading
                delta = f"g {len(line) - 1} {size}" if len(line) > 1 else ""
                objects.append(f'<ofd:TextObject ID="{100 + row}" Boundary="{left + indent} {y} {width} {size * 1.2}" Font="3" Size="{size}">'
                               f'<ofd:TextCode X="0" Y="{size}" DeltaX="{delta}">{html.escape(line)}</ofd:TextCode></ofd:TextObject>')
            archive.writestr(f"Doc_0/Pages/Page_{number}/Content.xml",
                             f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {ns}><ofd:Content><ofd:Layer ID="2">'
                             + "".join(objects) + "</ofd:Layer></ofd:Content></ofd:Page>")
    return path
