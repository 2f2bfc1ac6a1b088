"""Dates and times people type on the command line (``--date``, ``--now``, ``--at``).

A typed date is read exactly or refused: ``2026-13-01`` is an error, not
13 January, and ``12/03/2026`` is refused because it reads as 12 March to
some and as December 3 to others. The year always comes first, as in
Chinese (2026年3月12日) and ISO 8601 (2026-03-12).

ISO 8601 goes through ``datetime.fromisoformat`` (microseconds). Year-first
spellings with ``/``, ``.`` or 年月日, and a time as ``8:00`` or ``8时30分``,
are read here. dateparser is loaded only for anything else that is clearly
not a bare run of numbers (``2024年9月20日下午5点``, ``20 Sep 2024``), and only
for absolute moments: a relative "next tuesday" would make runs depend on
today.
"""

from __future__ import annotations

import datetime as dt
import re

from .model import SHANGHAI

EXAMPLES = "如 2024-09-20、2024-09-20T08:00 或 2024年9月20日 8:00"

_YMD = re.compile(r"(\d{4})\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?)")
_TIME = re.compile(r"(?:T|\s*)(\d{1,2})\s*(?:[:：]\s*(\d{2})(?:\s*[:：]\s*(\d{2}))?|[时点]\s*(?:(\d{1,2})\s*分)?)")
_NUMBERS_ONLY = re.compile(r"[\d\s/.\-:：]+")

#: What dateparser may do with what is left: absolute dates only, year first when only numbers are given.
_DATEPARSER_SETTINGS = {
    "DATE_ORDER": "YMD",
    "STRICT_PARSING": True,
    "PARSERS": ["absolute-time"],
    "TIMEZONE": "Asia/Shanghai",
    "RETURN_AS_TIMEZONE_AWARE": True,
}


class TypedDateError(ValueError):
    """A typed date that is invalid or ambiguous; the message says why and what to type instead."""


def parse_moment(text: str) -> dt.datetime:
    """A moment, aware; without an offset it is Asia/Shanghai time."""
    value = text.strip()
    if not value:
        raise TypedDateError(f"空值不是日期，请输入一个日期，{EXAMPLES}")
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        pass  # not ISO 8601, or an invalid one: the rules below say what is wrong with it
    else:
        return moment.replace(tzinfo=SHANGHAI) if moment.tzinfo is None else moment.astimezone(SHANGHAI)
    ymd = _YMD.match(value)
    if ymd:
        day = _day(value, *(int(g) for g in ymd.groups() if g is not None))
        rest = value[ymd.end():]
        if not rest.strip():
            return dt.datetime.combine(day, dt.time(0, 0), SHANGHAI)
        clock = _TIME.fullmatch(rest)
        if clock:
            return dt.datetime.combine(day, _time(value, *clock.groups()), SHANGHAI)
        return _by_dateparser(value, day)
    if _NUMBERS_ONLY.fullmatch(value):
        raise TypedDateError(
            f"{value!r} 有歧义或不是日期：请把年份写在前面，{EXAMPLES}"
            "（12/03/2026 既可读作 3月12日，也可读作 12月3日）"
        )
    return _by_dateparser(value, None)


def parse_day(text: str) -> dt.date:
    """A calendar day; a time of day is refused, since the option means a whole day."""
    moment = parse_moment(text)
    if moment.time() != dt.time(0, 0):
        raise TypedDateError(f"{text.strip()!r} 带有时刻；这里只要日期，如 2024-08-01")
    return moment.date()


def parse_when(text: str) -> dt.date | dt.datetime:
    """A day, or a moment when a time of day is typed (a corrected end: 2024-09-30 vs 2024-09-30 16:00)."""
    moment = parse_moment(text)
    return moment if any(c in text for c in ":：时点T") else moment.date()


def _day(typed: str, year: int, month: int, day: int) -> dt.date:
    if not 1 <= month <= 12:
        raise TypedDateError(f"{typed!r}：没有 {month} 月；顺序是年、月、日")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise TypedDateError(f"{typed!r}：{year}年{month}月没有 {day} 日") from None


def _time(typed: str, hour: str, minute: str | None, second: str | None, chinese_minute: str | None) -> dt.time:
    h, m, s = int(hour), int(minute or chinese_minute or 0), int(second or 0)
    if h > 23 or m > 59 or s > 59:
        raise TypedDateError(f"{typed!r}：{hour}:{minute or chinese_minute or '00'} 不是一天中的时刻（00:00 至 23:59）")
    return dt.time(h, m, s)


def _by_dateparser(value: str, day: dt.date | None) -> dt.datetime:
    """Other spellings of an absolute moment; the day read must be the day typed (when it was read here)."""
    import dateparser  # ~0.4 s to load: only for spellings the rules above do not cover

    parsed = dateparser.parse(value, languages=["zh", "en"], settings=_DATEPARSER_SETTINGS)
    if parsed is None or (day is not None and parsed.date() != day):
        raise TypedDateError(f"{value!r} 不是日期和时刻，请写成年份在前的形式，{EXAMPLES}")
    return parsed.astimezone(SHANGHAI)
