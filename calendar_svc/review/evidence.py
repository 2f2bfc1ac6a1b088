"""The quote in its place: the source lines around a record's line, with the quote marked.

A reviewer decides faster seeing the sentence among its neighbours than the
quote alone. The source is read again through :mod:`calendar_svc.ingest`
(so its lines are the ones extraction numbered), once per file version.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import CalendarSvcError
from ..model import Deadline

#: Lines shown on each side of the record's line.
AROUND = 2


@dataclass(frozen=True)
class Evidence:
    """Text before the quote, the quote as found, and text after (plain text: the template escapes it)."""

    before: str
    quote: str
    after: str
    found: bool


def evidence(record: Deadline) -> Evidence:
    """The record's quote among its source lines; the quote alone when the source cannot be read."""
    lines = _source_lines(record.source.file)
    if not lines or not 1 <= record.source.line <= len(lines):
        return Evidence("", record.quote, "", False)
    first = max(0, record.source.line - 1 - AROUND)
    text = "\n".join(lines[first : record.source.line + AROUND])
    at = text.find(record.quote) if record.quote else -1
    if at < 0:  # the quote spans a cut or was cleaned: mark the record's own line
        line = lines[record.source.line - 1]
        at = text.find(line)
        return Evidence(text[:at], line, text[at + len(line) :], False)
    return Evidence(text[:at], record.quote, text[at + len(record.quote) :], True)


def source_lines(record: Deadline) -> list[str]:
    """Every line of the record's source document as extraction numbered them (``[]`` when it cannot be read).

    The review page's 查看原文 for a notice read from a file, which has no web address to link to.
    """
    return _source_lines(record.source.file)


def _source_lines(name: str) -> list[str]:
    path = Path(name)
    try:
        stat = path.stat()
    except (OSError, ValueError):
        return []
    if not path.is_file():
        return []
    return _read_lines(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _read_lines(name: str, mtime: int, size: int) -> list[str]:
    """The document's text lines (cached per file version: a PDF is read once, not per page view)."""
    from ..ingest import read_document

    try:
        return read_document(os.fspath(name)).text.split("\n")
    except (CalendarSvcError, OSError):
        return []
