"""The grammar of dates in Chinese official documents.

It finds every date expression in a text and returns it as written: a
:class:`Moment` may lack its year (``9月15日``), or its year and month (the
right side of ``4月20日-24日``); filling those in is :mod:`.resolve`'s job.

Spellings covered: ``2024年8月26日`` with PDF spaces or a line break inside,
full-width digits, Chinese numerals (``二〇二四年八月二十六日``, ``十月三十一日``),
``2024-08-26`` / ``2024.8.26`` / ``2024/8/26``, ``2024年6月底``, ``2025年底``,
``元月5日``, ``2005年元旦``, ``今年6月30日``, ``明年1月15日``;
times ``8:00``, ``17时``, ``17时30分``, ``下午5点``, ``24时``; weekday notes
``(星期五)``; ranges joined by ``至 到 — – - ~ ～ 起至 、`` whose right side may
omit the year, the month, or the whole date (``8:00至16:00``); and ``即日起至``
or ``自发布之日起至``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..packaged import read_toml
from ..patterns import lazy
from .numerals import fold_width, parse_number

#: Blanks a PDF conversion leaves inside a date: spaces, and at most one line break.
_W = r"[ \t\u3000]*(?:\n[ \t\u3000]*)?"
#: Digits of a year in Chinese numerals, with the look-alikes of 〇 (O, and 0 as in 二0一八).
_CN_DIGIT = "[〇○零O0一二三四五六七八九]"
_YEAR = rf"(?:(?:19|20)\d{{2}}|{_CN_DIGIT}{{4}})"
_MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九元])"
_DAY = r"(?:3[01]|[12]\d|0?[1-9]|三十一?|二?十[一二三四五六七八九]?|廿[一二三四五六七八九]?|卅一?|[一二三四五六七八九])"
_END = r"(?:底|末)"
#: 日 may be left out before 至/到 when a month date follows: ``2022年5月13至2022年5月19日``.
_DAY_MARK = rf"(?:[日号]|(?={_W}(?:至|到){_W}(?:{_YEAR}{_W}年|{_MONTH}{_W}月)))"

_ATOM_BODY = rf"""(?:
      (?P<full_y>{_YEAR}){_W}年{_W}(?P<full_m>{_MONTH}){_W}月{_W}(?P<full_d>{_DAY}){_W}{_DAY_MARK}
    | (?P<num_y>(?:19|20)\d{{2}})(?P<num_sep>[-./])(?P<num_m>1[0-2]|0?[1-9])(?P=num_sep)(?P<num_d>3[01]|[12]\d|0?[1-9])(?![\d.])
    | (?:(?P<dr_y>{_YEAR}){_W}年{_W})?(?P<dr_m>{_MONTH}){_W}月{_W}(?P<dr_d1>{_DAY}){_W}(?:-|—|–|~|至|到){_W}(?:(?P<dr_m2>{_MONTH}){_W}月{_W})?(?P<dr_d2>{_DAY}){_W}[日号]
    | (?P<ym_y>{_YEAR}){_W}年{_W}(?P<ym_m>{_MONTH}){_W}月{_W}(?P<ym_end>{_END}|份)?
    | (?P<ye_y>{_YEAR}){_W}年{_W}(?:年{_W})?{_END}
    | (?P<md_rel>今年|本年|当年|明年|次年|翌年)?{_W}(?P<md_m>{_MONTH}){_W}月{_W}(?P<md_d>{_DAY}){_W}{_DAY_MARK}
    | (?P<me_m>{_MONTH}){_W}月{_W}{_END}
    | (?:(?P<nyd_y>{_YEAR}){_W}年{_W})?元旦
    )"""
#: A date expression; it starts with a digit, a Chinese numeral or 今/明/次…
#: (a lookahead that lets the search skip other characters quickly). The same
#: pattern reads the right side of a range, after a separator such as ``-``.
_ATOM_LEAD = r"(?=[\d〇○零O一二三四五六七八九十元今本当明次翌])"
#: Searched for only where a date can start: a character of the lead, then what every branch has next: the
#: rest of a four-character year before 年 (or 2024-, 2024.), a month's second character or none before 月, or
#: 元旦 / 今年. A first check of the next character alone turns most numerals of the text (一, 本, 十…) away
#: at once. Only the first digit of a year is tried: 2 023 candidates in the corpus document became 256.
#: Every branch begins with an ASCII digit (19/20 of a year, a month) or a Chinese character, never another
#: script's digit, so the first character is tested as ``[0-9…]``: ``\d`` looked every character of the text up
#: in the Unicode database.
_ATOM_STARTS = (
    rf"[0-9〇○零O一二三四五六七八九十元今本当明次翌](?=[\d〇○零O一二三四五六七八九十 \t\u3000\n年月旦])"
    rf"(?=[\d〇○零O一二三四五六七八九]{{3}}{_W}年|\d{{3}}[-./]|[\d一二]?{_W}月|(?<=[元今本当明次翌])[旦年])"
)
_ATOM = lazy(_ATOM_LEAD + _ATOM_BODY, re.VERBOSE, name="date atom", starts=_ATOM_STARTS)
#: A year of the Republic of China calendar (民國111年 = 2022), read only in a text that is Taiwanese
#: (:func:`roc_years`): elsewhere ``111年6月6日`` is an ordinal count and a bare ``6月6日``.
_ROC_OFFSET = 1911
#: A ROC year in Chinese numerals, as 公文 write it: 一百一十一年, 一百十一年, 一一一年, 九十八年.
_ROC_CN_YEAR = (
    r"[一二三四五六七八九]百(?:零?[一二三四五六七八九]|[一二三四五六七八九]?十[一二三四五六七八九]?)?"
    r"|[二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九][〇零○一二三四五六七八九]{1,2}"
)
_ATOM_ROC = lazy(
    r"(?=[\d〇○零O一二三四五六七八九十元今本当明次翌]|(?:中华)?民国)"
    + rf"""(?:(?:(?:中华)?民国{_W})?(?:(?<!\d)(?P<roc_y>[1-9]\d{{1,2}})|(?P<roc_cy>{_ROC_CN_YEAR})){_W}年{_W}(?P<roc_m>{_MONTH}){_W}月{_W}(?P<roc_d>{_DAY}){_W}{_DAY_MARK}
    | (?<!\d)(?P<rocn_y>1[0-4]\d|[1-9]\d)(?P<rocn_sep>[./])(?P<rocn_m>1[0-2]|0?[1-9])(?P=rocn_sep)(?P<rocn_d>3[01]|[12]\d|0?[1-9])(?![\d.])
    | {_ATOM_BODY})""",
    re.VERBOSE,
    name="date atom with ROC years",
)
#: Evidence that a text is Taiwanese: 民國, a ROC year of three digits before a month (113年1月),
#: or words of Taiwan's government (as the simplified reading spells them; list in data/dates.toml).
#: Led by its literal 1 (no look-behind first), so the search skips ahead fast; the caller checks the digit before.
_ROC_YEAR_WRITTEN = lazy(r"1[0-4]\d[ \t]*年(?:度|[ \t]*(?:1[0-2]|0?[1-9])[ \t]*月)")
#: A year counted in hundreds (一百一十二年十月): no year of the common era is written so.
_ROC_HUNDREDS_WRITTEN = lazy(r"一百[零一二三四五六七八九十]{1,4}年[ \t]*(?:十[一二]?|[一二三四五六七八九])[ \t]*月")
#: 民國, or a name only Taiwan's notices use (data/dates.toml): one search of the text, not one for each word.
_ROC_EVIDENCE = lazy("|".join(map(re.escape, ("民国", "民國", *read_toml("dates.toml")["roc"]["evidence"]))))
#: A date glued to a preceding number or path (``12024``, ``0551-6264``, ``/2024/08/26``) is none;
#: a list mark before it is fine (``2.2024年9月30日``, ``b.10月22日``).
_GLUE = "-/"
#: What a form code's number follows: a letter (A101) or 表/号 (附表1, 表号2).
_FORM_MARKS = "表号"

#: 今年9月30日 / 明年1月15日: a year counted from the notice's own.
_RELATIVE_YEARS = {"今年": 0, "本年": 0, "当年": 0, "明年": 1, "次年": 1, "翌年": 1}
_WEEKDAY_NAMES = "一二三四五六日"
#: ``(星期五)``, ``(周五)``; and on the date's own line the short form of Taiwan, ``111年5月6日(五)``.
_WEEKDAY = rf"(?:{_W}[(（]{_W}(?:星期|周|礼拜)[一二三四五六日天]{_W}[)）])"
_SHORT_WEEKDAY = r"(?:[ \t\u3000]*[(（][一二三四五六日][)）])"
_WEEKDAY_DAY = lazy(r"(?:星期|周|礼拜|[(（])([一二三四五六日天])")
_CLOCK = r"(?:2[0-4]|[01]?\d|二十[一二三四]?|十[一二三四五六七八九]?|[〇零一二两三四五六七八九])"
#: Minutes after 时: on its line (17时30, 5点半), or on the next only with 分 (a PDF's 17时 / 30分);
#: never after 正, never a number opening the next line (``九时正`` / ``2025年…``).
_MINUTES_AHEAD = r"(?=[ \t\u3000]*(?:[0-5]?\d|半|[零〇一二三四五六七八九十])|[ \t\u3000]*\n[ \t\u3000]*[0-5]?\d[ \t\u3000]*分)"
#: Minutes in Chinese numerals, as Macau and Taiwan write them (五時三十分, 九時零五分, 十時十五分): only with 分.
_CN_MINUTES = r"(?:[一二三四五]?十[一二三四五六七八九]?|[零〇]?[一二三四五六七八九])(?=[ \t\u3000]*分)"
_PART_OF_DAY = "上午|下午|晚上|中午|正午|午夜|早上|凌晨|傍晚"
#: A clock time in brackets after the date: ``2024年12月27日(星期五) (下午四時正)`` (an hour is required).
_BRACKETED_TIME = (
    rf"[(（]{_W}(?P<bap>{_PART_OF_DAY})?{_W}(?P<bh>{_CLOCK})"
    rf"(?:{_W}:{_W}(?P<bmi>[0-5]\d)|{_W}[时點点](?:正|{_MINUTES_AHEAD}{_W}(?P<bmi2>[0-5]?\d|半|{_CN_MINUTES})(?:{_W}分)?)?){_W}[)）]"
)
_TIME = lazy(
    rf"""(?:{_WEEKDAY}|{_SHORT_WEEKDAY})?{_W}
    (?:{_BRACKETED_TIME}
    |(?P<ap>{_PART_OF_DAY})?{_W}
    (?:(?P<h>{_CLOCK})(?:{_W}:{_W}(?P<mi>[0-5]\d)|{_W}[时點点](?:正|{_MINUTES_AHEAD}{_W}(?P<mi2>[0-5]?\d|半|{_CN_MINUTES})(?:{_W}分)?)?))?)
    {_WEEKDAY}?""",
    re.VERBOSE,
    name="clock time",
)
#: A date whose 年 and 月 were lost in a copy (``于20251017日前``): see :func:`_glued_dates`.
_GLUED = lazy(r"[\n于在限至为:](?P<digits>\d{3,10})(?:(?P<sep>——|—|–|-|~|至)(?P<right>\d{2,4}))?(?P<unit>[日号时点])")
#: A range of two such dates, each with its year and 日 (``反馈时间为2019521日——201964日``).
_GLUED_SPAN = lazy(r"[\n于在限至为:](?P<left>(?:19|20)\d{4,6})日(?P<sep>——|—|–|-|~|至|到)(?P<right>(?:19|20)\d{4,6})日")
#: What must follow such a date after a cue: 前 or 止 (``于1115日前``), not 内 (``120日内`` counts days).
_GLUED_CLOSE = lazy(r"之?前|以前|止|截止")
#: What may follow one opening its line, with its year: the end of the sentence (``202459——719日。``).
_GLUED_LINE_END = lazy(r"[\s。;；,，]|$")
#: Before a list of dates, words that make each its own (分别于, 分两批): 、 then lists, not joins.
_RESPECTIVELY = lazy(r"分别|分两批|分三批|分批|依次")
_SEP = lazy(rf"{_W}(?P<sep>起至|起到|开始至|至|到|—+|–|-|~|、)(?:{_W}次日)?{_W}")
#: A dash a copy lost to ``?`` between two clock times (``上午8:30?11:30``: GBK had no glyph for it): a range.
_LOST_SEP = lazy(r"(?<=\d)(?P<sep>[?？])(?=(?:2[0-4]|[01]?\d):[0-5]\d)")
#: Between two sessions of one day: ``上午8:30-12:00;下午12:40-15:30``.
_SESSION = lazy(rf"(?<![ \t\u3000])[ \t\u3000]*[;；,，][ \t\u3000]*(?={_PART_OF_DAY}|\d{{1,2}}[:时点])")
_DAY_ONLY = lazy(rf"(?P<d>{_DAY}){_W}[日号]")
#: The right side of a dotted range, in the left side's spelling without its year: ``2020.9.25-10.8``.
_NUMERIC_RIGHT = lazy(r"(?P<m>1[0-2]|0?[1-9])(?P<sep>[./])(?P<d>3[01]|[12]\d|0?[1-9])(?![\d.])")
#: ``1月、6月、7月申报纳税期限分别截至当月15日``: one date per month listed (a leading ``2025年`` gives
#: them all its year, so its first month is not read as a date of its own). The run of months
#: is found first and the tail (``…当月15日``) matched after it, so a long run that has no tail
#: is read once, not once for each month in it.
_MONTH_RUN = lazy(rf"(?:(?P<y>{_YEAR}){_W}年{_W})?{_MONTH}{_W}月(?:{_W}[、,和及]{_W}{_MONTH}{_W}月)+")
_MONTH_LIST_TAIL = lazy(rf"[^。；;\n]{{0,24}}?当月{_W}(?P<d>{_DAY}){_W}[日号]")
_LISTED_MONTH = lazy(rf"({_MONTH}){_W}月")
# 起 is optional between two runs of space; written as ``W(起W)?`` so a run of spaces has one way to split.
_FROM_NOW = lazy(rf"(?:即日|现在|(?:发布|公布|印发|公告|通知|发文)之日){_W}(?:起{_W})?(?:至|到){_W}$")


@dataclass(frozen=True)
class Moment:
    """A date as written; ``None`` parts were omitted and are inferred later."""

    year: int | None
    month: int | None
    day: int | None
    hour: int | None = None
    minute: int | None = None
    #: ``"month"`` for 月底, ``"year"`` for 年底: the last day of that period.
    end_of: str | None = None
    #: A part of the day named without a clock time (``上午``): kept, not encoded as a time.
    part_of_day: str = ""
    #: The weekday written beside the date (0 = Monday), which the year must agree with.
    weekday: int | None = None
    #: 今年 (0) or 明年 (1): the year counted from the notice's date.
    year_offset: int | None = None

    @property
    def has_day(self) -> bool:
        return self.day is not None or self.end_of is not None

    @property
    def timed(self) -> bool:
        return self.hour is not None


@dataclass(frozen=True)
class Mention:
    """One date expression: a single moment (``start`` is None) or a range."""

    begin: int
    end: int
    text: str
    start: Moment | None
    close: Moment
    separator: str = ""
    #: ``即日起至…``: the range opens on the day of the notice.
    from_now: bool = False

    @property
    def is_range(self) -> bool:
        return self.start is not None


def find_mentions(text: str) -> list[Mention]:
    """Every date expression in ``text``, in order, with offsets into ``text``.

    Years of the ROC calendar (``111年6月6日``) are read only when :func:`roc_years` finds
    ``text`` Taiwanese.
    """
    folded = fold_width(text)
    atom = _ATOM_ROC if roc_years(folded) else _ATOM
    mentions: list[Mention] = []
    pos = 0
    listed = _next_month_list(folded, 0) if "当月" in folded else None
    while True:
        match = _next_atom(folded, pos, atom)
        if listed is not None and listed[0].start() < pos:
            listed = _next_month_list(folded, pos)  # searched again only once passed: keeps this linear
        if listed is not None and (match is None or listed[0].start() <= match.start()):
            mentions.extend(_month_list(text, *listed))
            pos = listed[1].end()
            continue
        if match is None:
            return _in_order(mentions, _glued_dates(text, folded))
        first = _atom_moment(match)
        end = match.end()
        start: Moment | None = None
        separator = ""
        if match.group("dr_m"):  # 11月9-12日, 10月18-10月28日: the first day lacks its 日
            month = parse_number(match.group("dr_m2")) if match.group("dr_m2") else first.month
            start, first = first, Moment(None, month, parse_number(match.group("dr_d2")))
            separator = "-"
        first, end = _with_time(folded, end, first)
        close = first
        joined = None if start else _SEP.match(folded, end) or (_LOST_SEP.match(folded, end) if first.minute is not None else None)
        if joined and joined.group("sep") == "、" and _RESPECTIVELY.search(folded, max(0, match.start() - 8), match.start()):
            joined = None  # 分别于11月15日、2月10日前: two dates, one for each batch, not a range
        if joined and first.has_day:
            right = _right_side(folded, joined.end(), first, match.group("num_sep"), atom)
            if right is not None:
                start, (close, end) = first, right
                separator = joined.group("sep")
                close, end = _later_session(folded, end, start, close)
        while folded[end - 1].isspace():
            end -= 1
        head = folded[max(0, match.start() - 12) : match.start()]
        mentions.append(
            Mention(
                begin=match.start(),
                end=end,
                text=text[match.start() : end],
                start=start,
                close=close,
                separator=separator,
                from_now=bool(_FROM_NOW.search(head)),
            )
        )
        pos = end


def _glued_dates(text: str, folded: str) -> list[Mention]:
    """Dates whose 年 and 月 a copy lost (``于20251017日前``, ``限201992日前``, ``可于101818时前``).

    Only right after a cue (于, 在, 限, 至, 为, a colon) and right before 前 or 止, so counts such
    as ``120日内`` stay counts; or opening a line with its year and ending the sentence, also as a
    range (``202459——719日。``). A day that could be read two ways (``116``) takes the two-digit
    month (11月6日) when it is valid.
    """
    found = []
    for match in _GLUED_SPAN.finditer(folded):  # 为2019521日——201964日。: both sides lost 年 and 月, each kept its year
        start, close = _glued_moment(match.group("left"), "日"), _glued_moment(match.group("right"), "日")
        end = match.end()
        if start and close and (start.year, start.month, start.day) < (close.year, close.month, close.day) and (
            _GLUED_CLOSE.match(folded, end) or _GLUED_LINE_END.match(folded, end)
        ):
            begin = match.start("left")
            found.append(Mention(begin, end, text[begin:end], start, close, separator=match.group("sep")))
    spans = [(m.begin, m.end) for m in found]
    for match in _GLUED.finditer(folded):
        if any(begin <= match.start("digits") < end for begin, end in spans):
            continue  # the right side of a glued range read above
        digits, unit, end = match.group("digits"), match.group("unit"), match.end("unit")
        alone = folded[match.start()] == "\n" and digits[:2] in ("19", "20")  # 二、年检时间 / 202459——719日。
        if not (_GLUED_CLOSE.match(folded, end) or (alone and _GLUED_LINE_END.match(folded, end))):
            continue
        start = None
        if match.group("right"):  # 202459——719日: the left side lost its 日 too
            right = _month_day(match.group("right")) if unit in "日号" and len(digits) >= 6 else None
            start = _glued_moment(digits, "日")
            moment = Moment(None, *right) if right and start and start.year else None
        else:
            moment = _glued_moment(digits, unit)
        if moment is not None:
            begin = match.start("digits")
            found.append(Mention(begin, end, text[begin:end], start, moment, separator=match.group("sep") or ""))
    return found


def _glued_moment(digits: str, unit: str) -> Moment | None:
    year = None
    if len(digits) >= 6 and digits[:2] in ("19", "20"):
        year, digits = int(digits[:4]), digits[4:]
    if unit in "时点":
        # The hour is the last one or two digits; a reading that leaves month and day two digits
        # each (10 18 | 6, 10 18 | 18) goes first.
        cuts = sorted((1, 2), key=lambda cut: len(digits) - cut != 4)
        for cut in cuts:
            hour, day = digits[-cut:], digits[:-cut]
            if len(day) >= 3 and int(hour) <= 24 and (month_day := _month_day(day)):
                return Moment(year, *month_day, hour=int(hour), minute=0)
        return None
    if len(digits) < (2 if year else 3):
        return None
    month_day = _month_day(digits)
    return Moment(year, *month_day) if month_day else None


def _month_day(digits: str) -> tuple[int, int] | None:
    """``1017`` → (10, 17), ``92`` → (9, 2), ``116`` → (11, 6), ``0105`` → (1, 5): a two-digit month first."""
    for cut in (2, 1):
        month, day = digits[:cut], digits[cut:]
        padded = month[0] == "0" and len(digits) != 4  # 0105 is 01-05; in 015, 0 is no month
        if not padded and 1 <= int(month) <= 12 and 1 <= len(day) <= 2 and 1 <= int(day) <= 31:
            return int(month), int(day)
    return None


def _in_order(mentions: list[Mention], more: list[Mention]) -> list[Mention]:
    return sorted(mentions + more, key=lambda m: m.begin) if more else mentions


#: A title's ROC year: ``民國106年``, ``106年度`` (a year label of a Taiwanese calendar; + 1911).
_ROC_TITLE_YEAR = lazy(r"(?:(?:中華|中华)?民[國国][ \t]*(?P<roc>\d{2,3})[ \t]*年|(?<!\d)(?P<label>1[0-4]\d)[ \t]*年度)", starts=r"[民中1]")


def roc_title_year(title: str) -> int | None:
    """The year a Taiwanese title names (``國稅-106年度定期性工作項目`` → 2017), or None.

    ``106年度`` alone counts only where :func:`roc_years` finds the title Taiwanese (it is, by its own 1xx年度).
    """
    match = _ROC_TITLE_YEAR.search(title)
    if match is None or not roc_years(title):
        return None
    return int(match.group("roc") or match.group("label")) + _ROC_OFFSET


def roc_years(text: str) -> bool:
    """Does ``text`` write years of the Republic of China (民國111年), as Taiwan's notices do?

    Evidence: 民國 (中華民國), a three-digit year before a month or 度 (``113年1月``, ``113年度``),
    or a name only Taiwan's notices use (臺北市, 新臺幣, 行政院: ``data/dates.toml``). A two-digit
    year alone (``98年``) is no evidence: it is read as a ROC year only beside such words.
    """
    if _ROC_EVIDENCE.search(text):
        return True
    if "百" in text and _ROC_HUNDREDS_WRITTEN.search(text):
        return True
    return any(m.start() == 0 or not text[m.start() - 1].isdecimal() for m in _ROC_YEAR_WRITTEN.finditer(text))




def _next_atom(text: str, pos: int, atom=_ATOM) -> re.Match[str] | None:
    """The next date at or after ``pos`` that is not glued to a number or a path before it."""
    while True:
        match = atom.search(text, pos)
        if match is None or match.start() == 0:
            return match
        previous = text[match.start() - 1]
        if not (previous.isdecimal() or previous in _GLUE):
            return match
        if _after_form_code(text, match.start()):
            return _form_code_of_three(text, match, atom)
        pos = match.start() + 1


def _after_form_code(text: str, start: int) -> bool:
    """``附表12024年3月10日``, ``A1013月5号``: a form or table number glued to the date, not a longer number."""
    begin = start
    while begin > 0 and start - begin < 5 and text[begin - 1].isdecimal():
        begin -= 1
    if not 1 <= start - begin <= 4 or begin == 0:
        return False
    mark = text[begin - 1]
    return (mark.isascii() and mark.isalpha()) or mark in _FORM_MARKS


def _form_code_of_three(text: str, match: re.Match[str], atom) -> re.Match[str]:
    """``A1012月5号``: a statistical form's code is a letter and three digits (A101, E201), so its
    date is 2月5号, not 12月5号 after a code A10; a two-digit month is kept where the code would
    otherwise be longer or is no letter's (附表12月…)."""
    start = match.start()
    if text[start] != "1" or not (start >= 3 and text[start - 3].isascii() and text[start - 3].isalpha()):
        return match
    if not (text[start - 2].isdecimal() and text[start - 1].isdecimal()):
        return match
    shorter = atom.match(text, start + 1)
    return shorter if shorter is not None else match


def _next_month_list(text: str, pos: int) -> tuple[re.Match[str], re.Match[str]] | None:
    """The next run of months followed by ``…当月15日``, as (run, tail)."""
    while True:
        run = _MONTH_RUN.search(text, pos)
        if run is None:
            return None
        tail = _MONTH_LIST_TAIL.match(text, run.end())
        if tail is not None:
            return run, tail
        pos = run.end()  # a later start inside this run ends at the same place: it has no tail either


def _month_list(text: str, run: re.Match[str], tail: re.Match[str]) -> list[Mention]:
    day = parse_number(tail.group("d"))
    year = parse_number(run.group("y")) if run.group("y") else None  # 2025年2月、3月…: the year leads the run
    begin, end = run.start(), tail.end()
    months = run.group(0)[run.end("y") - run.start() :] if year else run.group(0)
    return [
        Mention(begin, end, text[begin:end], None, Moment(year, parse_number(m), day))
        for m in _LISTED_MONTH.findall(months)
    ]


def _atom_moment(match: re.Match[str]) -> Moment:
    g = match.groupdict()
    if g.get("roc_y") or g.get("roc_cy"):
        year = parse_number(g["roc_y"] or g["roc_cy"])
        return Moment(_ROC_OFFSET + year, parse_number(g["roc_m"]), parse_number(g["roc_d"]))
    if g.get("rocn_y"):  # 111/6/6, 111.06.06
        return Moment(_ROC_OFFSET + int(g["rocn_y"]), int(g["rocn_m"]), int(g["rocn_d"]))
    if g["full_y"]:
        return Moment(parse_number(g["full_y"]), parse_number(g["full_m"]), parse_number(g["full_d"]))
    if g["num_y"]:
        return Moment(int(g["num_y"]), int(g["num_m"]), int(g["num_d"]))
    if g["ym_y"]:
        end_of = "month" if g["ym_end"] in ("底", "末") else None
        return Moment(parse_number(g["ym_y"]), parse_number(g["ym_m"]), None, end_of=end_of)
    if g["ye_y"]:
        return Moment(parse_number(g["ye_y"]), 12, 31, end_of="year")
    if g["md_m"]:
        offset = _RELATIVE_YEARS.get(g["md_rel"] or "")
        return Moment(None, parse_number(g["md_m"]), parse_number(g["md_d"]), year_offset=offset)
    if g["dr_m"]:  # the first day of 11月9-12日; find_mentions makes the range
        year = parse_number(g["dr_y"]) if g["dr_y"] else None
        return Moment(year, parse_number(g["dr_m"]), parse_number(g["dr_d1"]))
    if g["me_m"]:
        return Moment(None, parse_number(g["me_m"]), None, end_of="month")
    return Moment(parse_number(g["nyd_y"]) if g["nyd_y"] else None, 1, 1)  # 元旦: New Year's Day


def _with_time(text: str, pos: int, moment: Moment) -> tuple[Moment, int]:
    """Attach a clock time (or a part of the day) that follows a date."""
    if not moment.has_day:
        return moment, pos
    match = _TIME.match(text, pos)
    if match is None or match.end() == pos:
        return moment, pos
    hour_text, part = match.group("h") or match.group("bh"), match.group("ap") or match.group("bap") or ""
    named = _WEEKDAY_DAY.search(match.group(0))
    if named:
        moment = _replace(moment, weekday=_WEEKDAY_NAMES.index(named.group(1).replace("天", "日")))
    if hour_text is None:
        # Only a weekday note and/or a vague part of the day: keep it, no clock time.
        return _replace(moment, part_of_day=part), match.end()
    hour = parse_number(hour_text)
    minute_text = match.group("mi") or match.group("mi2") or match.group("bmi") or match.group("bmi2")
    minute = 30 if minute_text == "半" else parse_number(minute_text) if minute_text else 0
    if part in ("下午", "晚上", "傍晚") and hour < 12:
        hour += 12
    if part == "午夜" and hour == 12:
        hour = 24  # 午夜十二時: the day's last moment
    if hour > 24 or (hour == 24 and minute):
        return moment, pos
    return _replace(moment, hour=hour, minute=minute, part_of_day=part), match.end()


def _right_side(text: str, pos: int, left: Moment, numeric: str | None = None, atom=_ATOM) -> tuple[Moment, int] | None:
    """The right side of a range, inheriting what it omits from the left side.

    ``numeric`` is the separator of a left side written ``2020.9.25``: the right side may then
    be ``9.29`` in the same spelling.
    """
    right = atom.match(text, pos)
    if right is not None:
        moment = _atom_moment(right)
        if moment.has_day:
            return _with_time(text, right.end(), moment)
    dotted = _NUMERIC_RIGHT.match(text, pos) if numeric in (".", "/") else None
    if dotted is not None and dotted.group("sep") == numeric:
        return _with_time(text, dotted.end(), Moment(None, int(dotted.group("m")), int(dotted.group("d"))))
    day_only = _DAY_ONLY.match(text, pos)
    if day_only is not None and left.day is not None:
        moment = Moment(None, left.month, parse_number(day_only.group("d")))
        return _with_time(text, day_only.end(), moment)
    if left.timed:
        clock, end = _with_time(text, pos, Moment(None, left.month, left.day))
        if clock.timed:
            return clock, end
    return None


def _later_session(text: str, pos: int, start: Moment, close: Moment) -> tuple[Moment, int]:
    """``上午8:30-12:00;下午12:40-15:30``: a day given in two sessions is one window, to the last one's end.

    Only right after a range of clock times within one day, and only a later session of that day.
    """
    if not (start.timed and close.timed and close.day in (None, start.day)):
        return close, pos
    session = _SESSION.match(text, pos)
    if session is None:
        return close, pos
    opening, after = _with_time(text, session.end(), Moment(None, close.month, close.day))
    joined = _SEP.match(text, after) if opening.timed else None
    if joined is None or joined.group("sep") == "、":
        return close, pos
    last, end = _with_time(text, joined.end(), Moment(None, close.month, close.day))
    if last.timed and not last.part_of_day and opening.hour >= 12 > last.hour:
        last = _replace(last, hour=last.hour + 12)  # 下午2时至5时: the session's end is in its afternoon
    if not last.timed or (opening.hour, opening.minute) < (close.hour, close.minute) or (last.hour, last.minute) <= (opening.hour, opening.minute):
        return close, pos
    return _replace(close, hour=last.hour, minute=last.minute, part_of_day=last.part_of_day), end


def _replace(moment: Moment, **changes) -> Moment:
    values = {**moment.__dict__, **changes}
    return Moment(**values)
