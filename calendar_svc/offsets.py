"""Reminder offsets: ``7d``, ``2h``, ``1d12h``, parsed once and kept in canonical form.

The canonical label is part of a delivery's unique key, so ``24h`` and ``1d``
must become the same label, or one reminder could be sent twice.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_UNITS = {"w": dt.timedelta(weeks=1), "d": dt.timedelta(days=1), "h": dt.timedelta(hours=1), "m": dt.timedelta(minutes=1)}
_PART = re.compile(r"(\d+)([wdhm])")
_MAX = dt.timedelta(days=366)
#: At most this many offsets per list: each one multiplies the due-check's work and the emails.
MAX_OFFSETS = 5
#: Longer text than any sane list (``1d12h,…`` × 5) is refused before it is parsed.
_MAX_TEXT = 100

#: The key of the reminder sent when a window opens (not an offset before the end).
WINDOW_OPEN = "open"


class OffsetError(ValueError):
    """An offset that is not a positive number of weeks, days, hours or minutes."""


@dataclass(frozen=True, order=True)
class Offset:
    """How long before a deadline a reminder goes out."""

    delta: dt.timedelta

    @property
    def label(self) -> str:
        """Canonical text: ``1d12h``, ``2h``, ``30m`` (weeks are written as days)."""
        minutes = int(self.delta.total_seconds()) // 60
        days, rest = divmod(minutes, 24 * 60)
        hours, mins = divmod(rest, 60)
        parts = [f"{n}{u}" for n, u in ((days, "d"), (hours, "h"), (mins, "m")) if n]
        return "".join(parts)

    @property
    def whole_days(self) -> int | None:
        """The number of days when the offset is a whole number of days, else ``None``."""
        return self.delta.days if self.delta == dt.timedelta(days=self.delta.days) else None

    def __str__(self) -> str:
        return self.label

    @property
    def zh(self) -> str:
        """For readers of the emails and the page: ``7天``, ``1天12小时``, ``30分钟``."""
        minutes = int(self.delta.total_seconds()) // 60
        days, rest = divmod(minutes, 24 * 60)
        hours, mins = divmod(rest, 60)
        return "".join(f"{n}{u}" for n, u in ((days, "天"), (hours, "小时"), (mins, "分钟")) if n)


def parse_offset(text: str) -> Offset:
    """Parse ``7d``, ``2h``, ``1w``, ``1d12h``, ``30m``; anything else is an :class:`OffsetError`."""
    cleaned = text.strip().lower()
    if len(cleaned) > 20:
        raise OffsetError(f"提前量 {text[:20]!r}… 不对：太长；最多 366 天，如 7d、1d、2h")
    if not cleaned or _PART.sub("", cleaned) != "":
        raise OffsetError(f"提前量 {text!r} 不对：请写数字加单位，如 7d、1d、2h、30m（w=周，d=天，h=小时，m=分钟）")
    try:
        delta = sum((int(n) * _UNITS[u] for n, u in _PART.findall(cleaned)), dt.timedelta())
    except OverflowError:  # 99999999999d: beyond what a timedelta holds, so beyond the cap too
        delta = _MAX + _MAX
    if delta <= dt.timedelta(0):
        raise OffsetError(f"提前量 {text!r} 不对：必须大于零")
    if delta > _MAX:
        raise OffsetError(f"提前量 {text!r} 不对：最多 366 天")
    return Offset(delta)


def parse_offsets(text: str | list[str] | tuple[str, ...]) -> tuple[Offset, ...]:
    """A comma-separated list (or a list of strings), de-duplicated, longest first."""
    items = text.split(",") if isinstance(text, str) else list(text)
    if sum(len(str(i)) for i in items) > _MAX_TEXT:
        raise OffsetError(f"提前量太多：最多 {MAX_OFFSETS} 个，如 7d,1d,2h")
    if not items or all(not str(i).strip() for i in items):
        raise OffsetError("没有给出提前量：请写如 7d,1d,2h")
    offsets = {parse_offset(str(item)) for item in items if str(item).strip()}
    if len(offsets) > MAX_OFFSETS:
        raise OffsetError(f"提前量太多（{len(offsets)} 个）：最多 {MAX_OFFSETS} 个，如 7d,1d,2h")
    return tuple(sorted(offsets, reverse=True))


def describe_offsets(text: str) -> str:
    """``7d,1d,2h`` → ``7天、1天、2小时``."""
    return "、".join(o.zh for o in parse_offsets(text)) if text else "无"


def format_offsets(offsets: tuple[Offset, ...]) -> str:
    """The canonical comma-separated form stored for a subscriber."""
    return ",".join(o.label for o in offsets)
