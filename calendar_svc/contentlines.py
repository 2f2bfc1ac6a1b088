"""RFC 5545 content lines: the few value types the feed writes, escaped, cleaned and folded exactly.

The feed writes thousands of events per build. icalendar's writer folds each
line character by character (most of a 16–20 s build at 10 000 deadlines),
so the feed serialises its own small set of properties here: TEXT with its
four escapes, DATE, DATE-TIME, DURATION and URI. Each function returns
``str`` lines without the line break; :func:`fold` makes them wire bytes.

Every TEXT value is cleaned first (:func:`clean_text`): notice text is
untrusted and a single control character makes strict parsers reject the
whole calendar.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from urllib.parse import quote

#: C0 controls except tab and newline, DEL, C1 controls, and lone surrogates (not encodable as UTF-8).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_LINE_BREAKS = re.compile("\r\n?")
_TEXT_ESCAPES = str.maketrans({"\\": "\\\\", ";": "\\;", ",": "\\,", "\n": "\\n"})

#: RFC 5545 §3.1: lines SHOULD NOT be longer than 75 octets, excluding the line break.
MAX_OCTETS = 75


def clean_text(text: str) -> str:
    """``text`` without the characters no iCalendar TEXT may hold; CR and CRLF become a newline."""
    return _CONTROLS.sub("", _LINE_BREAKS.sub("\n", text))


def text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): cleaned, with backslash, semicolon, comma and newline escaped."""
    return clean_text(value).translate(_TEXT_ESCAPES)


def text_list(values: Iterable[str]) -> str:
    """A comma-separated list of TEXT values (CATEGORIES)."""
    return ",".join(text(value) for value in values)


def date(value: dt.date) -> str:
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def local_datetime(value: dt.datetime) -> str:
    """A DATE-TIME in its own wall-clock time, to be written with a TZID parameter."""
    return f"{date(value)}T{value.hour:02d}{value.minute:02d}{value.second:02d}"


def utc_datetime(value: dt.datetime) -> str:
    """A DATE-TIME in UTC (``…Z``), as DTSTAMP and LAST-MODIFIED require."""
    return local_datetime(value.astimezone(dt.timezone.utc)) + "Z"


def duration(value: dt.timedelta) -> str:
    """A DURATION (RFC 5545 §3.3.6): ``-P6DT15H``, ``PT1H30M``, ``PT0S``; whole seconds."""
    sign = "-" if value < dt.timedelta(0) else ""
    seconds = abs(int(value.total_seconds()))
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    clock = ""
    if hours or minutes or secs:
        # The grammar allows H, HM, HMS, M, MS and S, never a gap: 1 h 5 s is PT1H0M5S.
        if hours:
            clock += f"{hours}H"
        if minutes or (hours and secs):
            clock += f"{minutes}M"
        if secs:
            clock += f"{secs}S"
        clock = "T" + clock
    if not days and not clock:
        return "PT0S"
    return f"{sign}P{days}D{clock}" if days else f"{sign}P{clock}"


def uri(value: str) -> str:
    """A URI value: controls dropped, spaces and non-ASCII percent-encoded, reserved characters kept."""
    return quote(clean_text(value).replace("\n", ""), safe=":/?#[]@!$&'()*+,;=%~-._")


def fold(line: str) -> bytes:
    """One content line as wire bytes: folded every 75 octets, never inside a UTF-8 character, CRLF-terminated."""
    data = line.encode("utf-8")
    if len(data) <= MAX_OCTETS:
        return data + b"\r\n"
    parts = []
    begin, room = 0, MAX_OCTETS
    while len(data) - begin > room:
        cut = begin + room
        while data[cut] & 0xC0 == 0x80:  # a continuation byte: step back to the character's first byte
            cut -= 1
        parts.append(data[begin:cut])
        begin, room = cut, MAX_OCTETS - 1  # a continuation line starts with one space
    parts.append(data[begin:])
    return b"\r\n ".join(parts) + b"\r\n"


def lines(pairs: Iterable[str]) -> bytes:
    """Several content lines, folded and joined."""
    return b"".join(fold(line) for line in pairs)
