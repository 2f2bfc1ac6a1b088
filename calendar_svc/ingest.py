"""Bytes → text: encoding detection, HTML → paragraphs, clear errors.

Government sites still serve GBK/GB18030 pages, and notices arrive as text,
Markdown converted from PDF, or saved HTML. Everything after this module sees
one Unicode string with ``\\n`` line ends and one paragraph per line.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

_HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
_HTML_START = re.compile(r"^\s*(?:<!doctype\s+html|<html|<head|<body|<meta|<div|<p[\s>])", re.IGNORECASE)
_BLOCK_TAGS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article",
               "blockquote", "pre", "dd", "dt")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_DROP_TAGS = ("script", "style", "noscript", "template", "head", "nav", "iframe", "svg")


@dataclass(frozen=True)
class Document:
    """A decoded input file: its name as given and its text."""

    name: str
    text: str
    encoding: str = "utf-8"


def read_document(path: str) -> Document:
    """Read ``path`` (``-`` for stdin) and return its text, whatever the encoding or markup."""
    if path == "-":
        data, name, suffix = sys.stdin.buffer.read(), "<stdin>", ""
    else:
        file = Path(path)
        try:
            data = file.read_bytes()
        except IsADirectoryError:
            raise InputError(path, "is a directory, not a notice file") from None
        except OSError as exc:
            raise InputError(path, exc.strerror or str(exc)) from None
        name, suffix = path, file.suffix.lower()
    return decode_document(name, data, html=True if suffix in _HTML_SUFFIXES else None)


def decode_document(name: str, data: bytes, *, html: bool | None = False) -> Document:
    """Decode ``data``; binary files and undecodable bytes get a clear error naming the file.

    ``html=None`` tells HTML by how the decoded text starts (so a BOM or
    UTF-16 does not hide the markup).
    """
    if _looks_binary(data):
        raise InputError(name, "looks like a binary file, not a text, Markdown or HTML notice")
    text, encoding = _decode(name, data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if html is None:
        html = bool(_HTML_START.match(text[:512]))
    if html:
        text = html_to_text(text)
    return Document(name=name, text=text, encoding=encoding)


def html_to_text(markup: str) -> str:
    """Visible text of an HTML page, one paragraph per line, table cells joined by `` | ``."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup(_DROP_TAGS):
        tag.decompose()
    for cell in soup.find_all(["td", "th"]):
        cell.insert_after(" | ")
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip(" |") for line in soup.get_text().split("\n")]
    paragraphs = [line for line in lines if line]
    if title and not any(title in p or p in title for p in paragraphs[:5]):
        paragraphs.insert(0, title)
    return "\n".join(paragraphs) + "\n"


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith(_UTF16_BOMS):
        return False  # every other byte of UTF-16 is < 32; _decode checks it is valid UTF-16
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13, 27))
    return bool(head) and controls / len(head) > 0.05


def _decode(name: str, data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith(_UTF16_BOMS):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(name, "starts with a UTF-16 byte order mark but is not valid UTF-16") from None
        if "\x00" in text:
            raise InputError(name, "looks like a binary file, not a text, Markdown or HTML notice")
        return text, "utf-16"
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(name, "cannot tell the text encoding (tried UTF-8, GB18030 and detection)")
    return str(best), best.encoding
