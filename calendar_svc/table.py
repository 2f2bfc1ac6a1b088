"""A plain-text table of deadlines for the terminal, aligned for Chinese text.

Chinese characters take two terminal columns, so widths are measured with
``unicodedata.east_asian_width`` rather than ``len``.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence

from .model import KIND_NAMES, Deadline, zh_when

_COLUMNS = ("截止", "剩余", "类型", "谁", "做什么", "发文单位", "状态")
_MAX_CELL = 28


def format_table(deadlines: Sequence[Deadline], *, now: dt.datetime | None) -> str:
    """One row a deadline; ``now`` adds the days left (omitted when None)."""
    if not deadlines:
        return "(no deadlines)"
    rows = [_COLUMNS] + [_row(d, now) for d in deadlines]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(_COLUMNS))]
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
    status = d.status + (" (vanished)" if d.vanished else "")
    return (when, left, KIND_NAMES.get(d.kind, d.kind), _cut(d.who), _cut(d.what), _cut(d.notice.issuer), status)


def _cut(text: str) -> str:
    return text if _width(text) <= _MAX_CELL else _shorten(text)


def _shorten(text: str) -> str:
    out, used = "", 0
    for char in text:
        used += _char_width(char)
        if used > _MAX_CELL - 1:
            return out + "…"
        out += char
    return out


def _char_width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _width(text: str) -> int:
    return sum(_char_width(c) for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
