"""Mainland China's working days: the State Council's holidays and 调休 working days.

Research offices count working days the way the State Council arranges them: a
调休 Saturday (2025-09-28) is a working day, the weekdays of the National Day
break are not. The dates come from the chinese_calendar package, which carries
each year's official arrangement and refuses a year it has no data for; the
next year arrives with ``pip install -U chinese_calendar``. A year without data
raises :class:`NoWorkdayData` here too: counting Monday–Friday instead would put
deadlines on holidays without a word.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass

import chinese_calendar

from .errors import CalendarSvcError
from .model import SHANGHAI, Deadline, When
from .packaged import read_toml


class NoWorkdayData(CalendarSvcError, ValueError):
    """The holiday data does not cover the year asked about."""

    def __init__(self, year: int) -> None:
        self.year = year
        first, last = covered_years()
        super().__init__(
            f"没有 {year} 年的节假日安排数据（chinese_calendar {_package_version()} 只含 {first}–{last} 年）；"
            f"国务院公布后运行 pip install -U chinese_calendar 更新"
        )


@dataclass(frozen=True)
class DayKind:
    """What kind of day a date is: a working day, or a rest day and why."""

    workday: bool
    #: The holiday's Chinese name ("国庆节") when the data names one: a holiday, a day of
    #: its break, or the 调休 working day made up for it.
    holiday: str | None = None

    @property
    def rest_day(self) -> bool:
        return not self.workday


@functools.cache  # every date past the data raises NoWorkdayData: 4 000 metadata reads were 60% of a feed build
def _package_version() -> str:
    from importlib import metadata  # 12 ms to import (it loads the email package): only when asked

    try:
        return metadata.version("chinese_calendar")
    except metadata.PackageNotFoundError:  # pragma: no cover - installed from a checkout
        return "?"


@functools.cache
def covered_years() -> tuple[int, int]:
    """The first and last year the installed data covers."""
    years = {day.year for day in chinese_calendar.constants.holidays}
    return min(years), max(years)


@functools.cache
def _holiday_names() -> dict[str, str]:
    return read_toml("holidays.toml")


def _check(day: dt.date) -> None:
    first, last = covered_years()
    if not first <= day.year <= last:
        raise NoWorkdayData(day.year)


def _as_date(day: When) -> dt.date:
    """The Shanghai calendar day of a date or an aware datetime."""
    if isinstance(day, dt.datetime):
        return (day.astimezone(SHANGHAI) if day.tzinfo else day).date()
    return day


def day_kind(day: dt.date) -> DayKind:
    """Whether ``day`` is a working day, and the holiday behind it when there is one."""
    return _day_kind(_as_date(day))


@functools.lru_cache(maxsize=8192)
def _day_kind(day: dt.date) -> DayKind:
    """Cached: chinese_calendar scans its whole table on every call (12 µs), and a digest or a page counts many days."""
    _check(day)
    rest, name = chinese_calendar.get_holiday_detail(day)
    zh = None
    if name:
        member = next((h for h in chinese_calendar.Holiday if h.value == name), None)
        zh = _holiday_names().get(member.name, name) if member else name
    return DayKind(workday=not rest, holiday=zh)


def years_of_breaks(breaks: Sequence[tuple[tuple[int, int], tuple[int, int]]], latest: int) -> list[int]:
    """The years up to ``latest`` whose State Council arrangement has each of ``breaks`` as a whole holiday break.

    A notice that names no year but lists its breaks (``2月10日至17日放假8天``, ``4月4日至6日放假3天``) tells its
    year by them: each (month, day) to (month, day) must be rest days holding a named holiday, with a working
    day on either side. Only the years the data covers are tried; a break running into January ends in the next.
    """
    first, last = covered_years()
    found = []
    for year in range(first, min(last, latest) + 1):
        if all(_whole_break(year, opening, closing) for opening, closing in breaks):
            found.append(year)
    return found


def _whole_break(year: int, opening: tuple[int, int], closing: tuple[int, int]) -> bool:
    try:
        start = dt.date(year, *opening)
        end = dt.date(year + (closing < opening), *closing)
    except ValueError:  # 2月29日 in a year without it
        return False
    first, last = covered_years()
    if not (first <= (start - dt.timedelta(days=1)).year and (end + dt.timedelta(days=1)).year <= last):
        return False
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    kinds = [_day_kind(day) for day in days]
    return (
        all(kind.rest_day for kind in kinds) and any(kind.holiday for kind in kinds)
        and is_workday(start - dt.timedelta(days=1)) and is_workday(end + dt.timedelta(days=1))
    )


def is_workday(day: dt.date) -> bool:
    """True on a working day (including a 调休 weekend), False on weekends and holidays."""
    return day_kind(day).workday


def add_workdays(day: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``day`` (before it when ``n`` is negative); ``day`` when 0.

    ``day`` itself is never counted, so "5 working days before a Sunday" ends on the
    Monday of that week, and "1 working day after the eve of a holiday" skips the break.
    """
    day = _as_date(day)
    step = dt.timedelta(days=1 if n > 0 else -1)
    left = abs(n)
    while left:
        day += step
        if is_workday(day):
            left -= 1
    _check(day)
    return day


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when ``end`` is earlier).

    The inverse of :func:`add_workdays`: ``add_workdays(a, workdays_between(a, b)) == b`` for a working day ``b``.
    """
    start, end = _as_date(start), _as_date(end)
    if end < start:
        return -workdays_between(end, start)
    _check(start)
    _check(end)
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_workday(day)
    return count


def rest_day_note(when: When) -> str | None:
    """``该日为法定节假日（国庆节）`` or ``该日为休息日（周六）`` for a deadline on a rest day.

    The feed, the page and the emails all show this one text. A deadline is marked,
    never moved: the notice's date stands. A working day, and a year without data,
    give ``None``: no mark rather than a guessed one.
    """
    try:
        kind = day_kind(when)
    except NoWorkdayData:
        return None
    if kind.workday:
        return None
    if kind.holiday:
        return f"该日为法定节假日（{kind.holiday}）"
    return f"该日为休息日（周{'一二三四五六日'[_as_date(when).weekday()]}）"


def rest_day_mark(d: Deadline) -> str | None:
    """``该日为法定节假日（国庆节），日期以通知原文为准``: the one mark the feed, the page and the emails show.

    Only actionable deadlines are marked (a 施行日期 on 元旦 needs no warning), at their key moment.
    """
    note = rest_day_note(d.key_moment) if d.actionable else None
    return f"{note}，日期以通知原文为准" if note else None


def countdown(today: dt.date, due: When) -> str:
    """``还剩 6 天（4 个工作日）``: calendar days and the working days among them.

    Without holiday data for the years spanned the working days are left out,
    never counted Monday–Friday.
    """
    days = (_as_date(due) - _as_date(today)).days
    working = workdays_left(today, due)
    return f"还剩 {days} 天" if working is None else f"还剩 {days} 天（{working} 个工作日）"


def workdays_left(today: dt.date, due: When) -> int | None:
    """Working days after ``today`` up to the deadline's day, for "还剩 6 天（4 个工作日）".

    ``None`` when either year has no data, so a countdown never shows a guessed number.
    """
    try:
        return workdays_between(today, due)
    except NoWorkdayData:
        return None
