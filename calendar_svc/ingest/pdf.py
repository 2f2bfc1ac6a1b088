"""PDF → paragraphs with pypdfium2 (PDFium, the engine in Chrome; BSD/Apache licensed).

Chosen by measurement (bench/bench_ingest.py, README): fastest of the
candidates by a wide margin, and its text boxes let :mod:`.layout` rebuild
paragraphs, columns and table rows. Scans and fonts without a Unicode map
are refused with a reason rather than read as empty or garbled text.
"""

from __future__ import annotations

from ..errors import InputError
from .layout import Line, Run, page_lines, paragraphs

#: Share of unreadable characters (U+FFFD, private use, unmapped codes) beyond which the text is refused.
GARBLED_SHARE = 0.10


def read_pdf(name: str, data: bytes) -> tuple[str, str]:
    """The text of a PDF, one paragraph per line, and its first heading (for the title)."""
    import pypdfium2 as pdfium

    if b"%%EOF" not in data[-2048:]:
        raise InputError(name, "PDF 不完整：文件在 %%EOF 标记之前就结束了（请重新下载）")
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise InputError(name, f"无法打开 PDF：{_reason(exc)}") from None
    try:
        pages: list[list[Line]] = []
        blank = 0
        for index in range(len(document)):
            page = document[index]
            lines = page_lines(_runs(page), page.get_width(), index)
            if not lines:
                blank += 1
            pages.append(lines)
    finally:
        document.close()
    if pages and blank == len(pages):
        count = "这 1 页是图片" if blank == 1 else f"{blank} 页都是图片"
        raise InputError(name, f"没有文字层：{count}；不支持 OCR")
    text_paragraphs = paragraphs(pages)
    _refuse_garbled(name, "".join(text_paragraphs))
    text = "\n".join(text_paragraphs) + "\n"
    return text, text_paragraphs[0] if text_paragraphs else ""


def _runs(page) -> list[Run]:
    """Characters with their boxes, grouped into runs of neighbours on one baseline."""
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        text = textpage.get_text_range(0, count) if count else ""
        runs: list[Run] = []
        current: Run | None = None
        space = False
        for index in range(min(count, len(text))):
            char = text[index]
            if char.isspace():
                current = None
                space = space or (char == " " and not raw.FPDFText_IsGenerated(textpage.raw, index))
                continue
            left, bottom, right, top = textpage.get_charbox(index)
            size = raw.FPDFText_GetFontSize(textpage.raw, index)
            if current is not None and _continues(current, left, bottom, top):
                current.right = max(current.right, right)
                current.top, current.bottom = max(current.top, top), min(current.bottom, bottom)
                current.text += char
            else:
                current = Run(left, bottom, right, top, char, size=size, space_before=space)
                runs.append(current)
            space = False
        return runs
    finally:
        textpage.close()


def _continues(run: Run, left: float, bottom: float, top: float) -> bool:
    """The next character sits on the same line just after the run (no wide gap, no jump back)."""
    middle = (top + bottom) / 2
    height = max(run.height, top - bottom)
    return run.bottom - 0.2 * height <= middle <= run.top + 0.2 * height and -0.3 * height <= left - run.right < 0.5 * height


def _refuse_garbled(name: str, text: str) -> None:
    letters = [c for c in text if not c.isspace()]
    if not letters:
        return
    bad = sum(1 for c in letters if c == "\ufffd" or "\ue000" <= c <= "\uf8ff" or ord(c) < 32)
    bad += text.count("(cid:") * 6
    share = bad / len(letters)
    if share > GARBLED_SHARE:
        raise InputError(
            name,
            f"文字层无法读取：{share:.0%} 的字符没有 Unicode 映射（字体缺少 ToUnicode）；不支持 OCR",
        )


def _reason(exc: Exception) -> str:
    message = str(exc)
    if "password" in message.lower():
        return "文件已加密（有密码保护）；请另存一份未加密的"
    if "format" in message.lower():
        return "文件已损坏或不是 PDF"
    return message
