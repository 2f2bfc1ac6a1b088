"""One entry point for every local input: sniff the bytes, hand them to the reader for their format."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError, os_problem
from .document import Document, clean_text, sha256_of
from .limits import Limits, default_limits
from .sniff import CONVERTED, sniff
from .text import decode_text, looks_binary

_SPREADSHEETS = ("xls", "xlsx", "ods")


def read_document(path: str, *, limits: Limits | None = None) -> Document:
    """Read ``path`` (``-`` for stdin) whatever its format; the size cap applies before reading."""
    limits = limits or default_limits()
    if path == "-":
        data = sys.stdin.buffer.read(limits.max_bytes + 1)
        name = "<stdin>"
    else:
        name = path
        file = Path(path)
        try:
            if file.is_dir():
                raise InputError(path, "是目录，不是通知文件")
            size = file.stat().st_size
            if size > limits.max_bytes:
                raise InputError(path, f"大小 {_mib(size)}，超过 {_mib(limits.max_bytes)} 的上限；未读取")
            with file.open("rb") as handle:
                data = handle.read(limits.max_bytes + 1)
        except OSError as exc:
            raise InputError(path, os_problem(exc)) from None
    if len(data) > limits.max_bytes:
        raise InputError(name, f"超过 {_mib(limits.max_bytes)} 的上限；未读取")
    return read_bytes(name, data, limits=limits)


def read_bytes(name: str, data: bytes, *, limits: Limits | None = None, url: str = "", charset: str = "") -> Document:
    """Bytes of any supported format → a :class:`Document` (``charset``: an HTTP header's)."""
    limits = limits or default_limits()
    kind = sniff(data)
    title = ""
    if kind == "pdf":
        from .pdf import read_pdf

        text, title = read_pdf(name, data)
    elif kind == "docx":
        from .word import read_docx

        text = read_docx(name, data)
    elif kind == "ofd":
        from .ofd import read_ofd

        text = read_ofd(name, data)
    elif kind in CONVERTED:
        text, kind = _converted(name, data, kind, limits)
    elif kind.startswith("image:"):
        raise InputError(name, f"是图片（{kind[6:]}），不是文字：没有文字层，不支持 OCR")
    elif kind == "zip":
        raise InputError(name, "是 ZIP 压缩包，但不是 Word（.docx）、Excel（.xlsx）或 OFD 文档")
    else:
        return decode_document(name, data, html=kind == "html", url=url, charset=charset)
    return Document(
        name=name, text=clean_text(text), format=kind, url=url, sha256=sha256_of(data), title=clean_text(title)
    )


def decode_document(
    name: str, data: bytes, *, html: bool | None = False, url: str = "", charset: str = ""
) -> Document:
    """A text or HTML file; binary bytes and unknown encodings get a clear error naming the file.

    ``html=None`` tells HTML by the content.
    """
    if html is None:
        html = sniff(data) == "html"
    if html:
        from .html import declared_charset, lines_with_title, parse_page  # html.parser: only for HTML inputs
    if looks_binary(data):
        raise InputError(name, "看起来是二进制文件，不是文本、Markdown 或 HTML 通知")
    declared = charset or (declared_charset(data) if html else "")
    text, encoding = decode_text(name, data, declared or None)
    title = ""
    if html:
        page = parse_page(text)
        title = page.headline or page.title
        text = lines_with_title(page.lines, page.title) if page.lines or page.title else ""
    utf8 = data if encoding == "utf-8" and not html else None  # the text's own bytes (and a BOM): nothing to encode
    return Document(
        name=name, text=clean_text(text, utf8), encoding=encoding, format="html" if html else "text",
        url=url, sha256=sha256_of(data), title=clean_text(title),
    )


def _converted(name: str, data: bytes, kind: str, limits: Limits) -> tuple[str, str]:
    """Word-like files become .docx, spreadsheets HTML tables, through LibreOffice."""
    from .html import declared_charset, parse_page
    from .office import convert

    if kind in _SPREADSHEETS:
        markup = convert(name, data, CONVERTED[kind], "html", timeout=limits.convert_timeout)
        decoded, _ = decode_text(name, markup, declared_charset(markup) or None)
        page = parse_page(decoded)
        return "\n".join(page.lines) + "\n", kind
    from .word import read_docx

    converted = convert(name, data, CONVERTED[kind], "docx", timeout=limits.convert_timeout)
    return read_docx(name, converted), kind


def _mib(size: int) -> str:
    return f"{size / 2**20:.0f} MiB" if size >= 2**20 else f"{size} 字节"


def read_inputs(item: str, *, limits: Limits | None = None) -> tuple[list[Document], list[InputError]]:
    """One command-line input → its documents: a file, stdin, or a web page with its attachments."""
    if item.startswith(("http://", "https://")):
        from .web import read_url

        return read_url(item, limits=limits or default_limits())
    try:
        return [read_document(item, limits=limits)], []
    except InputError as exc:
        return [], [exc]
