"""Recurring deadlines (每月15日前): the rule, and its occurrences as plain records.

A recurring deadline is one record whose ``repeat`` is an RFC 5545 RRULE and
whose ``end`` is its first occurrence. The feed publishes it as one event with
that RRULE; the page shows its next occurrence; reminders fire for each
occurrence. All of them ask this module, which lives below feed, page and
reminders, so the three never disagree about which days a rule gives.

Only what every calendar client expands the same way is accepted: ``FREQ``
MONTHLY or YEARLY, an optional ``INTERVAL``, ``BYMONTH`` (a list) and one
``BYMONTHDAY`` (``-1`` is the month's last day), and an end, ``UNTIL`` (a
date) or ``COUNT``: a deadline that recurs forever would remind forever.
With ``roll_forward`` (the notice said 遇法定节假日顺延), an occurrence on a
rest day moves to the next working day, as the notice says; the feed writes
that as an EXDATE and an RDATE.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from .model import SHANGHAI, Deadline, When, as_datetime, zh_when

#: More occurrences than this is a typo (a monthly rule running for 40 years), not a deadline.
MAX_OCCURRENCES = 400
_FREQS = {"MONTHLY": "每月", "YEARLY": "每年"}


class RuleError(ValueError):
    """A ``repeat`` value outside the supported RRULE subset; the message says what to write."""


@dataclass(frozen=True)
class Rule:
    """A parsed ``repeat``: the parts of the RRULE subset we accept."""

    freq: str
    monthday: int
    interval: int = 1
    months: tuple[int, ...] = ()
    until: dt.date | None = None
    count: int | None = None

    def text(self) -> str:
        """The RRULE written one way (parts in a fixed order), as stored and published."""
        parts = [f"FREQ={self.freq}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.months:
            parts.append("BYMONTH=" + ",".join(map(str, self.months)))
        parts.append(f"BYMONTHDAY={self.monthday}")
        parts.append(f"UNTIL={self.until:%Y%m%d}" if self.until else f"COUNT={self.count}")
        return ";".join(parts)

    @property
    def zh(self) -> str:
        """``每月15日``, ``每月最后一天``, ``每3个月15日``: the rule as people say it."""
        day = "最后一天" if self.monthday == -1 else f"倒数第{-self.monthday}天" if self.monthday < 0 else f"{self.monthday}日"
        months = "、".join(f"{m}月" for m in self.months)
        if self.freq == "YEARLY":
            return f"每年{months or ''}{day}"
        every = "每月" if self.interval == 1 else f"每{self.interval}个月"
        return f"{every}{day}" + (f"（{months}）" if months else "")


def monthly_rule(day: int, until: dt.date) -> str:
    """``FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20261231``: the rule of 每月15日前 (``day`` -1: 每月月底)."""
    return Rule("MONTHLY", day, until=until).text()


@lru_cache(maxsize=4096)
def parse(text: str) -> Rule:
    """A ``repeat`` value as a :class:`Rule`, or :class:`RuleError` saying what is wrong."""
    parts: dict[str, str] = {}
    for item in text.strip().removeprefix("RRULE:").split(";"):
        name, eq, value = item.partition("=")
        name = name.strip().upper()
        if not eq or not name or not value.strip():
            raise RuleError(f"{item!r} 不是 名称=值（请写如 FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20261231）")
        if name in parts:
            raise RuleError(f"{name} 写了两次")
        parts[name] = value.strip().upper()
    unknown = sorted(set(parts) - {"FREQ", "INTERVAL", "BYMONTH", "BYMONTHDAY", "UNTIL", "COUNT"})
    if unknown:
        raise RuleError(f"不支持 {unknown[0]}（支持：FREQ、INTERVAL、BYMONTH、BYMONTHDAY、UNTIL、COUNT）")
    freq = parts.get("FREQ")
    if freq not in _FREQS:
        raise RuleError(f"FREQ 必须是 MONTHLY 或 YEARLY，不能是 {freq!r}")
    interval = _number(parts, "INTERVAL", 1, 1, 12)
    monthday = _number(parts, "BYMONTHDAY", None, -31, 31)
    if monthday is None or monthday == 0:
        raise RuleError("BYMONTHDAY 必须是一个月中的某一天：1 至 31（-1 为月末）")
    months = tuple(sorted({_month(m) for m in parts["BYMONTH"].split(",")})) if "BYMONTH" in parts else ()
    if freq == "YEARLY" and not months:
        raise RuleError("YEARLY 规则需要 BYMONTH（哪个月）")
    if ("UNTIL" in parts) == ("COUNT" in parts):
        raise RuleError("UNTIL（日期，写成 YYYYMMDD）和 COUNT 必须给且只给一个：截止日期不能无限重复")
    until = None
    if "UNTIL" in parts:
        try:
            until = dt.datetime.strptime(parts["UNTIL"][:8], "%Y%m%d").date()
        except ValueError:
            raise RuleError(f"UNTIL 必须是写成 YYYYMMDD 的日期，不能是 {parts['UNTIL']!r}") from None
    count = _number(parts, "COUNT", None, 1, MAX_OCCURRENCES)
    return Rule(freq, monthday, interval, months, until, count)


def _number(parts: dict[str, str], name: str, default: int | None, low: int, high: int) -> int | None:
    if name not in parts:
        return default
    try:
        value = int(parts[name])
    except ValueError:
        raise RuleError(f"{name} 必须是整数，不能是 {parts[name]!r}") from None
    if not low <= value <= high:
        raise RuleError(f"{name} 必须是 {low} 至 {high}，不能是 {value}")
    return value


def _month(text: str) -> int:
    try:
        month = int(text)
    except ValueError:
        month = 0
    if not 1 <= month <= 12:
        raise RuleError(f"BYMONTH 必须列出 1 至 12 的月份，不能是 {text!r}")
    return month


# -- occurrences -------------------------------------------------------------


def days_of(rule: Rule, first: dt.date) -> list[dt.date]:
    """The days ``rule`` gives from ``first`` on, as RFC 5545 expands them (python-dateutil's rrule)."""
    from dateutil import rrule as du

    freq = du.MONTHLY if rule.freq == "MONTHLY" else du.YEARLY
    kwargs = dict(dtstart=dt.datetime.combine(first, dt.time()), interval=rule.interval, bymonthday=rule.monthday)
    if rule.months:
        kwargs["bymonth"] = rule.months
    if rule.until is not None:
        kwargs["until"] = dt.datetime.combine(rule.until, dt.time(23, 59, 59))
    else:
        kwargs["count"] = rule.count
    days = []
    for moment in du.rrule(freq, **kwargs):
        days.append(moment.date())
        if len(days) > MAX_OCCURRENCES:
            raise RuleError(f"重复超过 {MAX_OCCURRENCES} 次；请让它早些结束（UNTIL 或 COUNT）")
    return days


def check(d: Deadline) -> None:
    """A recurring record must be a deadline on a day of its rule, with a bounded number of occurrences."""
    rule = parse(d.repeat)
    if d.kind != "deadline" or d.start is not None:
        raise RuleError("只有截止日期（kind = \"deadline\"，没有 start）可以重复")
    first = _day(d.end)
    days = days_of(rule, first)
    if not days or days[0] != first:
        raise RuleError(f"`end`（{zh_when(first, weekday=False)}）必须是规则给出的第一天（{rule.zh}）")


def occurrences(d: Deadline, between: tuple[dt.datetime, dt.datetime] | None = None) -> list[Deadline]:
    """``d``'s occurrences as one-date records (``repeat`` empty), soonest first; ``d`` itself when it does not recur.

    Each has an id of its own, ``d``'s id and the day the rule gives (``3f0c…-20261015``), so the
    delivery log, retries and the page tell occurrences apart.
    With ``between`` (aware datetimes), only occurrences due within it. With
    ``roll_forward``, one on a rest day is moved to the next working day and its
    ``basis`` says so; in a year without holiday data it stays as written.
    """
    if not d.repeat:
        return [d] if between is None or between[0] <= d.due <= between[1] else []
    out = []
    for written, moment in moments(d):
        if between is not None and not between[0] <= as_datetime(moment, end_of_day=True) <= between[1]:
            continue
        basis = _moved(written, moment) if moment != written else _unrolled(written) if d.roll_forward else d.basis
        out.append(replace(d, id=f"{d.id}-{_day(written):%Y%m%d}", end=moment, repeat="", roll_forward=False, basis=basis))
    return out


def moments(d: Deadline) -> list[tuple[When, When]]:
    """(as the rule gives it, after the rest-day rule) for each occurrence of a recurring ``d``."""
    return list(_moments(d.repeat, d.end, d.roll_forward))


@lru_cache(maxsize=4096)
def _moments(repeat: str, end: When, roll: bool) -> tuple[tuple[When, When], ...]:
    rule = parse(repeat)
    out = []
    for day in days_of(rule, _day(end)):
        written: When = day if not isinstance(end, dt.datetime) else end.replace(year=day.year, month=day.month, day=day.day)
        out.append((written, _rolled(written) if roll else written))
    return tuple(out)


def _moved(written: When, moment: When) -> str:
    """``2026年3月15日（周日）为休息日（周日），按通知顺延至2026年3月16日（周一）``."""
    from . import workdays

    why = (workdays.rest_day_note(written) or "").removeprefix("该日为")
    return f"{zh_when(written)}为{why}，按通知顺延至{zh_when(moment)}"


def _unrolled(written: When) -> str:
    """Why an occurrence under the 顺延 rule stands as written: ``""`` on a working day, the missing data otherwise."""
    from . import workdays

    try:
        workdays.day_kind(_day(written))
    except workdays.NoWorkdayData as exc:
        return f"未按顺延规则核对：{exc}"
    return ""


def _rolled(moment: When) -> When:
    from . import workdays  # the holiday tables load only for a rule that rolls

    try:
        if workdays.is_workday(_day(moment)):
            return moment
        day = workdays.add_workdays(_day(moment), 1)
    except workdays.NoWorkdayData:
        return moment
    return day if not isinstance(moment, dt.datetime) else moment.replace(year=day.year, month=day.month, day=day.day)


def expanded(deadlines: Iterable[Deadline]) -> Iterator[Deadline]:
    """Every record, a recurring one as its occurrences: what reminders schedule."""
    for d in deadlines:
        if d.repeat:
            yield from occurrences(d)
        else:
            yield d


def next_occurrence(d: Deadline, now: dt.datetime) -> Deadline:
    """The first occurrence due at or after ``now``, else the last one (a finished rule is past); ``d`` itself when it does not recur."""
    if not d.repeat:
        return d
    every = occurrences(d)
    return next((o for o in every if o.due >= now), every[-1])


def last_due(d: Deadline) -> dt.datetime:
    """When the last occurrence is due (``d.due`` for one date): what decides that a record is past."""
    if not d.repeat:
        return d.due
    return as_datetime(moments(d)[-1][1], end_of_day=True)


def _day(value: When) -> dt.date:
    return value.astimezone(SHANGHAI).date() if isinstance(value, dt.datetime) else value
