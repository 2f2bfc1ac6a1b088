"""What a file is, told by its bytes: a saved page is HTML whatever its name (.jsp, .aspx, none)."""

from __future__ import annotations

import io
import re
import zipfile

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGES = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"BM", "BMP"),
)
_HTML_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<!--\s*saved from url|<!doctype\s+html|<html|<head|<body|<meta|<div|<p[\s>]|<title|<table)",
    re.IGNORECASE,
)
_HTML_NEAR_START = re.compile(rb"<html[\s>]|<body[\s>]|<!doctype\s+html", re.IGNORECASE)

#: Formats read by LibreOffice (converted first), and the suffix LibreOffice is given for each.
CONVERTED = {"doc": ".doc", "xls": ".xls", "rtf": ".rtf", "odt": ".odt", "ods": ".ods", "xlsx": ".xlsx", "ole": ""}


def sniff(data: bytes) -> str:
    """``pdf``, ``docx``, ``ofd``, ``xlsx``, ``odt``, ``ods``, ``doc``, ``xls``, ``ole``, ``rtf``,
    ``image:<kind>``, ``zip``, ``html`` or ``text``."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if head.startswith(_OLE):
        return _ole_kind(data)
    if head.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    for magic, kind in _IMAGES:
        if head.startswith(magic):
            return f"image:{kind}"
    if _looks_html(data):
        return "html"
    return "text"


def _looks_html(data: bytes) -> bool:
    head = data[:4096]
    for encoding in ("utf-16",) if head.startswith((b"\xff\xfe", b"\xfe\xff")) else ():
        head = head.decode(encoding, errors="ignore").encode("utf-8")
    return bool(_HTML_START.match(head) or _HTML_NEAR_START.search(head[:1024]))


def _zip_kind(data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return "zip"
    if "word/document.xml" in names:
        return "docx"
    if "OFD.xml" in names:
        return "ofd"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "content.xml" in names:
        return "ods" if _odf_is_sheet(data) else "odt"
    return "zip"


def _odf_is_sheet(data: bytes) -> bool:
    try:
        mimetype = zipfile.ZipFile(io.BytesIO(data)).read("mimetype")
    except (KeyError, zipfile.BadZipFile):
        return False
    return b"spreadsheet" in mimetype


def _ole_kind(data: bytes) -> str:
    """Word 97–2003 and Kingsoft WPS Writer files hold a ``WordDocument`` stream; Excel and WPS 表格 a workbook."""
    if "WordDocument".encode("utf-16-le") in data:
        return "doc"
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "xls"
    return "ole"
