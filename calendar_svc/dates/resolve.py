"""Turn dates as written into calendar values: fill in omitted years, check validity.

An omitted year is the year of the notice's own date, moved forward when
that would put the date well before the notice was issued (a notice of
2024-12-30 saying ``1月15日前`` means 2025-01-15). A notice without a date
takes the ``--date`` reference instead, and failing that the nearest year
written before the date. Every inferred year says how it was inferred.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from ..model import SHANGHAI, When, zh_when
from .grammar import Moment

#: A date this long before the notice's own date is taken to be next year's.
ROLL_FORWARD_AFTER = dt.timedelta(days=30)


class ImpossibleDate(ValueError):
    """A date that does not exist (``2月30日``): reported, never shifted."""


@dataclass(frozen=True)
class YearContext:
    """What a notice tells about the year of a date that omits it."""

    anchor: dt.date | None = None
    anchor_label: str = "发文日期"
    context_year: int | None = None
    context_label: str = ""
    #: The context year is a 年度 label (``2025年度``): it may name next year for a date the
    #: notice's year would put just before the notice (a calendar issued late in the year).
    context_is_programme: bool = False


def resolve_year(moment: Moment, context: YearContext) -> tuple[int, str]:
    """The year for ``moment`` and, when it was inferred, a note saying how (empty when written).

    A weekday written beside the date (``1月17日(周五)``) settles a doubt
    between the inferred year and the years next to it.
    """
    if moment.year is not None:
        return moment.year, ""
    year, how = _infer_year(moment, context)
    if moment.weekday is None or moment.month is None or moment.day is None:
        return year, how
    for candidate in (year, year + 1, year - 1):
        try:
            if dt.date(candidate, moment.month, moment.day).weekday() == moment.weekday:
                if candidate != year:
                    how = f"推为{candidate}年：相邻年份中只有这一年的{moment.month}月{moment.day}日是文中所注的星期"
                return candidate, how
        except ValueError:
            continue
    return year, how


def _infer_year(moment: Moment, context: YearContext) -> tuple[int, str]:
    if moment.year_offset is not None:
        base = context.anchor.year if context.anchor is not None else context.context_year
        if base is None:
            raise LookupError("今年/明年需要通知的日期才能推算；请用 --date YYYY-MM-DD 给出参照日期")
        return base + moment.year_offset, f"推为{base + moment.year_offset}年：“今年/明年”按{base}年推算"
    month = moment.month or 1
    day = 1 if moment.day is None else min(moment.day, 28)
    if context.anchor is not None:
        year = context.anchor.year
        how = f"年份取{context.anchor_label}（{zh_when(context.anchor, weekday=False)}）"
        written = dt.date(year, month, day)
        next_year_named = context.context_is_programme and context.context_year == year + 1 and written < context.anchor
        if written < context.anchor - ROLL_FORWARD_AFTER or next_year_named:
            year += 1
            how = f"推为{year}年：日期在{context.anchor_label}（{zh_when(context.anchor, weekday=False)}）之后"
        return year, how
    if context.context_year is not None:
        return context.context_year, f"推为{context.context_year}年：取自{context.context_label}（通知未写日期）"
    raise LookupError("通知没有写这个日期的年份；请用 --date YYYY-MM-DD 给出参照日期")


#: How far back a year is looked for when only weekdays tell it.
WEEKDAY_YEARS_BACK = 40


def year_of_weekdays(moments: list[Moment], latest: int) -> int | None:
    """The latest year up to ``latest`` in which the most of ``moments``' written weekdays fall right.

    A timetable that names no year (``1月17日(周五)`` … ``9月5日(周五)``) still tells it, up to
    the years that share its calendar: the latest such year is the guess. None without weekdays,
    or when no year fits at least four in five of them.
    """
    dated = [m for m in moments if m.weekday is not None and m.year is None and m.month and m.day]
    if not dated:
        return None
    best, best_count = None, 0
    for year in range(latest, latest - WEEKDAY_YEARS_BACK, -1):
        count = 0
        for m in dated:
            try:
                count += dt.date(year, m.month, m.day).weekday() == m.weekday
            except ValueError:
                continue
        if count > best_count:
            best, best_count = year, count
    return best if best_count * 5 >= len(dated) * 4 else None


def to_value(moment: Moment, year: int, *, end_of_range: bool = False) -> When:
    """A ``date`` (all-day) or an aware ``datetime``; ``24时`` is the last minute of that day."""
    month = moment.month or 12
    try:
        if moment.end_of == "month" or (moment.day is None and end_of_range):
            day = calendar.monthrange(year, month)[1]
        else:
            day = moment.day or 1
        value = dt.date(year, month, day)
    except ValueError:
        raise ImpossibleDate(f"{year}年{month}月没有 {moment.day} 日") from None
    if moment.hour is None:
        return value
    if moment.hour == 24:
        return dt.datetime.combine(value, dt.time(23, 59), tzinfo=SHANGHAI)
    return dt.datetime.combine(value, dt.time(moment.hour, moment.minute or 0), tzinfo=SHANGHAI)


def resolve_range(start: Moment | None, close: Moment, context: YearContext) -> tuple[When | None, When, str]:
    """Both ends of a mention; a right side without a year follows the left, rolling over a new year."""
    if start is None:
        year, how = resolve_year(close, context)
        return None, to_value(close, year, end_of_range=True), how
    if start.year is None and close.year is None and close.month is not None and context.anchor is not None:
        # 每年1月1日至6月30日 in a notice of 2018-03-26: the period still open when the notice was
        # issued, so the year follows the close (a start long before the notice does not roll it).
        close_year, how = resolve_year(close, context)
        start_year = close_year if (start.month or 1, start.day or 1) <= (close.month, close.day or 31) else close_year - 1
        return to_value(start, start_year), to_value(close, close_year, end_of_range=True), how
    start_year, how = resolve_year(start, context)
    opening = to_value(start, start_year)
    if close.year is not None:
        return opening, to_value(close, close.year, end_of_range=True), how
    try:
        closing = to_value(close, start_year, end_of_range=True)
    except ImpossibleDate:  # 7月1日至2月29日: only next year's February has that day
        closing = None
    if closing is None or _day(closing) < _day(opening):
        closing = to_value(close, start_year + 1, end_of_range=True)
    return opening, closing, how


def _day(value: When) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value
