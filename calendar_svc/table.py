"""A plain-text table of deadlines for the terminal, aligned for Chinese text.

Chinese characters take two terminal columns, so widths are measured with
``unicodedata.east_asian_width`` rather than ``len``. Text from notices and
from the web is untrusted: :func:`printable` shows its control characters
escaped instead of letting the terminal obey them; the CLI prints every
line through it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Sequence

from .model import KIND_NAMES, STATUS_NAMES, Deadline, zh_when

#: What a terminal obeys instead of showing: C0 controls (except newline and tab), DEL, C1 controls
#: (8-bit CSI and OSC), and invisible format characters that hide or reorder text (soft hyphen,
#: zero-width and bidi controls, line and paragraph separators, the BOM, interlinear annotation).
_NON_PRINTABLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]"
)


def _escaped(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, escape: Callable[[str], str] = _escaped) -> str:
    """``text`` with every non-printable character written out (``\\x1b``, ``\\u202e``); newline and tab kept."""
    return _NON_PRINTABLE.sub(lambda match: escape(match.group()), text)


_COLUMNS = ("编号", "截止", "剩余", "类型", "标题", "发文单位", "状态")
_MAX_CELL = 28
_MAX_TITLE = 44


def format_table(deadlines: Sequence[Deadline], *, now: dt.datetime | None) -> str:
    """One row a deadline; ``now`` adds the days left (omitted when None)."""
    if not deadlines:
        return "（没有截止日期）"
    return aligned([_COLUMNS] + [_row(d, now) for d in deadlines])


def aligned(rows: Sequence[Sequence[str]]) -> str:
    """``rows`` (the first is the header) as aligned columns; long cells are cut."""
    rows = [rows[0]] + [[_cut(cell, _MAX_TITLE) for cell in row] for row in rows[1:]]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(_pad(cell, width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def days_left(deadline: Deadline, now: dt.datetime) -> int:
    """Whole calendar days from ``now`` to the deadline's day (negative once it has passed)."""
    return (deadline.due.date() - now.astimezone(deadline.due.tzinfo).date()).days


def _row(d: Deadline, now: dt.datetime | None) -> tuple[str, ...]:
    if now is None:
        left = ""
    else:
        days = days_left(d, now)
        left = "已过" if d.due < now else "今天" if days == 0 else f"{days}天"
    when = zh_when(d.key_moment)
    if d.start is not None and d.end is not None:
        when = f"{zh_when(d.start, weekday=False)} 至 {when}"
    status = STATUS_NAMES.get(d.status, d.status) + ("（原文已无）" if d.vanished else "")
    return (d.id, when, left, KIND_NAMES.get(d.kind, d.kind), _cut(d.summary, _MAX_TITLE), _cut(d.notice.issuer), status)


def _cut(text: str, limit: int = _MAX_CELL) -> str:
    """One cell: escaped, on one line, cut to ``limit`` columns."""
    text = printable(text).replace("\n", " ").replace("\t", " ")
    return text if _width(text) <= limit else _shorten(text, limit)


def _shorten(text: str, limit: int) -> str:
    out, used = "", 0
    for char in text:
        used += _char_width(char)
        if used > limit - 1:
            return out + "…"
        out += char
    return out


def _char_width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _width(text: str) -> int:
    return sum(_char_width(c) for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
