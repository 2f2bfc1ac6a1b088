"""Notices as they arrive → text: one reader per format, chosen by the bytes, never by the name.

Text and Markdown (any common Chinese encoding), HTML pages (saved under
any name, or fetched with :mod:`.web`), PDF, Word .docx, OFD, and through
LibreOffice .doc/.wps/.et/.xls/.rtf. Every reader returns a
:class:`Document` whose text has ``\\n`` line ends, one paragraph per line,
and no control characters; every failure is an :class:`InputError` that
names the file or address and the problem.
"""

from __future__ import annotations

from typing import Any

from .document import Document, clean_text
from .limits import Limits, WebLimits, default_limits
from .reader import decode_document, read_bytes, read_document, read_inputs

__all__ = [
    "Document", "Limits", "WebLimits", "clean_text", "decode_document", "default_limits", "html_to_text",
    "read_bytes", "read_document", "read_inputs",
]


def __getattr__(name: str) -> Any:
    # The HTML reader (html.parser, ~3 ms to import) loads with the first HTML input, not with the package.
    if name == "html_to_text":
        from .html import html_to_text

        return html_to_text
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
