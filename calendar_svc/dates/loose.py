"""Day-like forms the date grammar does not read: 5.24, 5/31, 6月15前, 31/7/2026, 本月20日, 周四(20日).

The grammar reads the dates official documents write. These forms are looser: a
timetable's month.day (``第12周末(5.24)前``), a slash (``5/31前``), a day without 日
(``6月15前``), Hong Kong's day/month/year (``31/7/2026``), a day of the notice's own
month (``本月20日前``), a news item's weekday and day (``周四(20日)起``: the month in which
that day, near the notice's date, is that weekday). Read everywhere they would cost precision (``1.5mm``, ``3.1前言``,
``1/2的名额``), so only the candidate net reads them, and only in a date's company (前,
截止, a range, a week number, a table cell): each becomes a candidate a reviewer sees,
never a published record.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..patterns import lazy
from .grammar import Mention, Moment

_MONTH = r"1[0-2]|0?[1-9]"
_DAY = r"3[01]|[12]\d|0?[1-9]"
#: What follows a date in a timetable or a deadline: 前 (not 前言), 日, 止, a week number, a cell's end.
_COMPANY = r"(?=\)?\s*(?:前(?![言期])|之前|以前|日|号|止|截止|第\d{1,2}周|\||\(周|\(星期|$))"
#: A range's second day: ``5.25-5.31``, ``5.25-31``.
_UNTIL = rf"(?:\s*[-—–~至]\s*(?:(?P<m2>{_MONTH})(?P=sep))?(?P<d2>{_DAY}))?"

#: Each form's pattern has named groups: y (optional), m (None: the notice's month), d, and a range's m2/d2. A pattern
#: led by a look-behind is searched only from where it can start (``starts``), not tried at every character. Every
#: form begins with an ASCII digit (a month, a day, or 19/20 of a year), so ``starts`` leads with ``[0-9]``: a range
#: test per character, where ``\d`` asks the Unicode database about every Chinese character of the text.
_FORMS = {
    "month.day": lazy(
        rf"(?<![\d.．/])(?P<m>{_MONTH})(?P<sep>[.．])(?P<d>{_DAY}){_UNTIL}(?![\d.．%]){_COMPANY}", re.MULTILINE,
        starts=r"[0-9](?=\d?[.．])",
    ),
    "month/day": lazy(
        rf"(?<![\d.．/])(?P<m>{_MONTH})(?P<sep>/)(?P<d>{_DAY}){_UNTIL}(?![\d/%]){_COMPANY}", re.MULTILINE,
        starts=r"[0-9](?=\d?/)",
    ),
    #: A range of slashed days needs no company: ``1/1~1/5 小规模营业人申报…`` (a tax calendar's rows).
    "month/day range": lazy(
        rf"(?<![\d.．/])(?P<m>{_MONTH})(?P<sep>/)(?P<d>{_DAY})\s*[-—–~～至]\s*(?P<m2>{_MONTH})/(?P<d2>{_DAY})(?![\d/%])",
        starts=r"[0-9](?=\d?/)",
    ),
    "day/month/year": lazy(rf"(?<![\d/])(?P<d>{_DAY})/(?P<m>{_MONTH})/(?P<y>(?:19|20)\d{{2}})(?![\d/])", starts=r"[0-9](?=\d?/)"),
    "月 without 日": lazy(
        rf"(?<!\d)(?:(?P<y>(?:19|20)\d{{2}})\s*年\s*)?(?P<m>{_MONTH})\s*月\s*(?P<d>{_DAY})(?![\d日号])(?=\s*(?:前|之前|以前|止|截止))",
        starts=r"[0-9](?=\d{0,3}\s*[年月])",
    ),
    "本月": lazy(rf"本月(?P<d>{_DAY})\s*[日号](?!\s*[至到-])"),
    "weekday(day)": lazy(rf"(?:周|星期|礼拜)(?P<wd>[一二三四五六日天])\s*[(（]\s*(?P<d>{_DAY})\s*[日号]\s*[)）]", starts=r"[周星礼]"),
}
_WEEKDAYS = "一二三四五六日"
#: What every match of a form holds one of: a text holding none is not searched for the form (``in`` scans in a
#: tight loop, a form's search tests every character of the text). Most notices have no slash.
_NEEDS = {
    "month.day": (".", "．"), "month/day": ("/",), "month/day range": ("/",), "day/month/year": ("/",),
    "月 without 日": ("月",), "本月": ("本月",), "weekday(day)": ("周", "星期", "礼拜"),
}


@dataclass(frozen=True)
class Loose:
    """One loose date: where it is, as written, and as a :class:`Mention` (its year, if any, as written)."""

    form: str
    mention: Mention
    written: str


def loose_dates(text: str, anchor: dt.date | None) -> list[Loose]:
    """Every loose date of ``text`` in the forms above, in text order; ``本月20日`` and ``周四(20日)`` need ``anchor``."""
    found = []
    for form, pattern in _FORMS.items():
        if not any(needed in text for needed in _NEEDS[form]):
            continue
        for match in pattern.finditer(text):
            mention = _mention(match, anchor)
            if mention is not None:
                found.append(Loose(form, mention, match.group(0).strip()))
    found.sort(key=lambda loose: (loose.mention.begin, -loose.mention.end))
    kept: list[Loose] = []
    for loose in found:  # two forms reading one date: the first, longest reading
        if not kept or loose.mention.begin >= kept[-1].mention.end:
            kept.append(loose)
    return kept


def calendar_rows(text: str) -> list[Mention]:
    """Slashed ranges opening a line or a sentence (``1/1~1/5 小规模营业人申报…。 2/13~2/22 …``): a calendar's rows.

    Read as dates only where the notice names its year in its title (classify.py): there a row's
    ``1/1~1/5`` is as plain as ``1月1日至1月5日``.
    """
    rows = []
    for match in _FORMS["month/day range"].finditer(text):
        lead = text[max(0, match.start() - 8) : match.start()].rstrip(" \t\u3000")
        if lead and lead[-1] not in "\n。;；":
            continue
        mention = _mention(match, None)
        if mention is not None:
            rows.append(mention)
    return rows


def _mention(match: re.Match[str], anchor: dt.date | None) -> Mention | None:
    """The match as a :class:`Mention`, or None when a part is no month or no day, or a range runs backwards."""
    groups = match.groupdict()
    day = int(groups["d"])
    if groups.get("wd"):
        return _weekday_day(match, _WEEKDAYS.index(groups["wd"].replace("天", "日")), day, anchor)
    month = int(groups["m"]) if groups.get("m") else anchor.month if anchor else None
    if month is None:
        return None
    year = int(groups["y"]) if groups.get("y") else None
    if groups.get("d2") is None:
        return Mention(match.start(), match.end(), match.group(0), None, Moment(year, month, day))
    month2 = int(groups["m2"] or month)
    if (month2, int(groups["d2"])) <= (month, day) or (groups["sep"] != "/" and month2 - month > 1):
        return None  # 6.8-6.4, 2.1-9.3: no period a timetable gives (a tax calendar's 1/1~6/30 is one)
    if (month, day, month2, int(groups["d2"])) == (1, 1, 12, 31):
        return None  # 1/1~12/31: the year itself, a label
    return Mention(match.start(), match.end(), match.group(0), Moment(year, month, day), Moment(year, month2, int(groups["d2"])), "-")


def _weekday_day(match: re.Match[str], weekday: int, day: int, anchor: dt.date | None) -> Mention | None:
    """``周四(20日)``: of the 20ths in the notice's month and the months either side that are a Thursday, the first on or
    after the notice's date (a notice announces what is coming), else the nearest before it."""
    if anchor is None:
        return None
    fits = []
    for step in (-1, 0, 1):
        year, month = divmod(anchor.year * 12 + anchor.month - 1 + step, 12)
        try:
            moment = dt.date(year, month + 1, day)
        except ValueError:  # 31日 in a month of 30
            continue
        if moment.weekday() == weekday:
            fits.append(moment)
    if not fits:
        return None
    coming = [d for d in fits if d >= anchor]
    moment = min(coming) if coming else max(fits)
    return Mention(match.start(), match.end(), match.group(0), None, Moment(moment.year, moment.month, day, weekday=weekday))
