"""Deadlines a notice states as periods, recurring deadlines, and its own rest-day rule.

Notices often give no date: 自本通知印发之日起30日内, 请于10个工作日内报送,
每月15日前报送. The date is then counted from the notice's own date (its 落款 or
印发 date, read by :mod:`calendar_svc.notices`): calendar days as the law counts
them (the first day is not counted, 民法典第二百零一条), working days by the
State Council's holidays and 调休 (:mod:`calendar_svc.workdays`), months to the
same day of the month (or its last day). A span counted from an event the
notice cannot date (收到通知之日起15日内, 公示期满后5个工作日内) is kept as a
candidate for a person, with the rule quoted, never as a guessed date. Where
the notice states the statutory rule for rest days (遇法定节假日顺延), a
deadline on a rest day moves to the next working day and its ``basis`` says so.

The phrasings are data (``data/periods.toml``); this module is the logic.
"""

from __future__ import annotations

import calendar
import re
import datetime as dt
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache

from .context import compact_keep, context_of, quote_of, strip_list_mark
from .dates import Mention, Moment, parse_number
from .doubts import UNDATED_RULE
from .errors import CalendarSvcError
from .model import SHANGHAI, Deadline, Source, When, deadline_id, zh_when
from .notices import Notice, compact
from .packaged import read_toml
from .patterns import LazyPattern, lazy
from . import recurrence
from .recurrence import monthly_rule
from .script import simplified_reading
from .roles import addressee, what_of, who_of
from .selfnames import self_names, speaks_of_itself
from .tables import table_cells
from .vocabulary import VOCABULARY as V

#: Where a sentence or a clause ends, for reading the words around a period.
_SENTENCE_ENDS = "。！？；;!?\n"
_CLAUSE_ENDS = _SENTENCE_ENDS + "，,：:"
#: How far back and ahead a sentence is read (as :data:`calendar_svc.context.REACH`).
_REACH = 200
#: A period glued to a date or a count before it is none: ``9月30日内`` is a date, ``第3个`` an ordinal.
_NOT_BEFORE = "0123456789年月第-/."
#: The longest span as written (``三十 个 工作日 以内`` with blanks), read back from its 内.
_SPAN_LENGTH = 24


@dataclass(frozen=True, eq=False, repr=False)
class _Data:
    """``data/periods.toml``, read once; one instance, so no generated ``__eq__`` or ``__repr__`` (compiled at import)."""

    period: LazyPattern
    units: dict[str, str]
    links: tuple[str, ...]
    openers: tuple[str, ...]
    known_events: tuple[str, ...]
    own_documents: tuple[str, ...]
    condition_after: LazyPattern
    quarter_ends: tuple[str, ...]
    quarter: LazyPattern
    recurring: LazyPattern
    recurring_time: LazyPattern
    rest_day_rule: LazyPattern


@cache
def _data() -> _Data:
    raw = read_toml("periods.toml")
    period = raw["period"]
    return _Data(
        period=lazy(f"(?:{period['pattern']})$", name="period"),
        units=dict(period["units"]),
        links=tuple(sorted(period["links"], key=len, reverse=True)),
        openers=tuple(period["openers"]),
        known_events=tuple(period["known_events"]),
        own_documents=tuple(period["own_documents"]),
        condition_after=lazy(period["condition_after"], name="period condition"),
        quarter_ends=tuple(period["quarter_ends"]),
        quarter=lazy(period["quarter"], name="period quarter", starts=r"[12](?=[09]\d\d)"),
        recurring=lazy(raw["recurring"]["pattern"], name="recurring"),
        recurring_time=lazy(raw["recurring"]["time"], name="recurring time"),
        rest_day_rule=lazy(raw["rest_days"]["pattern"], name="rest-day rule"),
    )


_DATA = _data()


@dataclass
class Found:
    """What the period reader found in one notice: records, candidates, and (line, message) problems."""

    deadlines: list[Deadline] = field(default_factory=list)
    candidates: list[Deadline] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)


def read_periods(
    notice: Notice, mentions: Sequence[Mention], anchor: dt.date | None, dated: bool, today: dt.date | None = None
) -> Found:
    """Periods and recurring deadlines of ``notice``, counted from ``anchor`` (its own date when ``dated``, else ``--date``).

    A notice with neither (``anchor`` None) has its rules counted from ``today``, the day of
    extraction, as candidates: a rule the extractor cannot date is shown, never lost.
    """
    if anchor is None and today is not None:
        return _undated(notice, mentions, today)
    label = "发文日期" if dated else "参考日期（--date）"
    found = find_periods(notice, mentions, anchor, label)
    recurring = find_recurring(notice, anchor, label)
    found.deadlines += recurring.deadlines
    found.problems += recurring.problems
    return found


def _undated(notice: Notice, mentions: Sequence[Mention], today: dt.date) -> Found:
    """An undated notice's periods and rules (每月5日报送…), counted from ``today``: candidates, each with a warning."""
    read = read_periods(notice, mentions, today, False)
    doubt = UNDATED_RULE.format(day=zh_when(today, weekday=False))
    found = Found(problems=read.problems)
    for record in [*read.deadlines, *read.candidates]:
        found.candidates.append(replace(record, status="candidate", doubt=f"{record.doubt}；{doubt}" if record.doubt else doubt))
        found.problems.append((record.source.line, f"{record.quote[:40]!r}：通知没有日期，期限按提取当天推算，列为候选；请用 --date YYYY-MM-DD 给出参照日期"))
    return found


# -- counting ----------------------------------------------------------------


def count_from(day: dt.date, n: int, unit: str) -> dt.date:
    """The last day of a span of ``n`` units counted from ``day`` (``day`` itself not counted).

    ``days``: ``day + n``. ``workdays``: the ``n``-th working day after ``day``
    (raises :class:`workdays.NoWorkdayData` for a year without holiday data).
    ``months``: the same day ``n`` months on, or that month's last day.
    """
    if unit == "workdays":
        from . import workdays  # the holiday tables load only for a notice that counts working days

        return workdays.add_workdays(day, n)
    if unit == "months":
        month0 = day.month - 1 + n
        year, month = day.year + month0 // 12, month0 % 12 + 1
        return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
    return day + dt.timedelta(days=n)


def describe_count(anchor: dt.date, label: str, n: int, unit: str, end: dt.date) -> str:
    """``自发文日期（2024年3月1日）起 30 日内（当日不计入）：至 2024年3月31日（周日）``: how a date was counted."""
    since = f"{label}（{zh_when(anchor, weekday=False)}）"
    if unit == "workdays":
        return f"自{since}起第 {n} 个工作日（按国务院节假日和调休安排）：{zh_when(end)}"
    if unit == "months":
        return f"自{since}起 {n} 个月：至{zh_when(end)}"
    return f"自{since}起 {n} 日内（当日不计入）：至{zh_when(end)}"


# -- period expressions ------------------------------------------------------


@dataclass(frozen=True)
class _Period:
    begin: int
    end: int
    n: int
    unit: str
    #: The event the span is counted from, as written (``本通知印发``, ``收到通知``), ``""`` when none is named.
    event: str
    #: True when the event is the notice's own publication (or none is named).
    known: bool
    #: The rule as written, from the event on (``收到通知之日起15日内``), compacted.
    rule: str
    sentence: tuple[int, int]
    clause_after: str


def find_periods(notice: Notice, mentions: Sequence[Mention], anchor: dt.date | None, anchor_label: str) -> Found:
    """Every deadline ``notice`` states as a period, and those counted from an unknown event as candidates.

    A period in a sentence that also writes a date (``自公布之日起5天内（2019年9月4日起至9月8日止）``)
    gives nothing of its own: the dates written stand. ``mentions`` are the notice's dates, in order.
    """
    found = Found()
    text, reading = notice.text, notice.reading
    if "内" not in reading:
        return found
    starts = [m.begin for m in mentions]
    seen: dict[str, int] = {}
    asked: set[tuple[int, int]] = set()
    selves = self_names(notice)  # 市工信局将…: the issuer's own work
    for begin, end, match in _spans(reading):
        period = _period(reading, begin, end, match)
        if period is None:
            continue
        lo, hi = period.sentence
        if bisect_left(starts, hi) > bisect_left(starts, lo):
            continue  # the sentence writes its dates: they stand
        sentence = compact_keep(reading[lo:hi])
        if not V.has_action(sentence) or speaks_of_itself(sentence, selves) or _reviewed_within(period, reading):
            continue
        if _DATA.condition_after.search(period.clause_after):
            continue  # 期满后15日内申报纳税的纳税人: a condition selecting cases, not a task
        line = notice.line_of(period.begin)
        written = text[period.begin : period.end]
        if anchor is None:
            found.problems.append((line, f"{written!r}：期限需要通知的日期才能推算；请用 --date YYYY-MM-DD 给出参照日期"))
            continue
        try:
            day = count_from(anchor, period.n, period.unit)
        except CalendarSvcError as exc:  # workdays.NoWorkdayData: a year without holiday data
            found.problems.append((line, f"{written!r}：{exc}"))
            continue
        basis = describe_count(anchor, anchor_label, period.n, period.unit, day)
        quarter = None if period.known else _quarter_end(period.event, sentence, notice.title)
        if quarter is not None:  # 2024年第一季度…应于季度终了后15日内申报: counted from that quarter's last day
            named, last = quarter
            try:
                day = count_from(last, period.n, period.unit)
            except CalendarSvcError as exc:
                found.problems.append((line, f"{written!r}：{exc}"))
                continue
            basis = describe_count(last, f"{named}末", period.n, period.unit, day)
            found.deadlines.append(_record(notice, period, "deadline", day, seen, basis))
        elif period.known:
            kind = "window" if period.event else "deadline"
            record = _record(notice, period, kind, day, seen, basis)
            if kind == "window":
                record = replace(record, start=anchor)
            found.deadlines.append(record)
        elif period.sentence not in asked:
            asked.add(period.sentence)  # one candidate per sentence: the reviewer reads its rules in one quote
            doubt = (
                f"期限自“{period.event}”起算，通知未写明该日，未推算截止日期（原文：“{period.rule}”）；"
                f"所列日期仅为自{anchor_label}起算的最早可能日期，请按实际起算日改正"
            )
            record = _record(notice, period, "deadline", day, seen, basis)
            found.candidates.append(replace(record, status="candidate", doubt=doubt))
    return found


#: Within a span, someone reviewing others or their filings (…对参评企业在3天内进行形式审查): the organiser's step.
_REVIEWED_WITHIN = lazy(r"^进行[^,。;]{0,12}?(?:" + "|".join(map(re.escape, V.organiser_verbs)) + ")")
#: Readers addressed before the span (各县区应在…内进行公示, 请…): their task after all.
_READERS_BEFORE = lazy(r"各|请")


def _reviewed_within(period: _Period, reading: str) -> bool:
    """The span is a limit on a review (``市、县科技部门对参评企业在3天内进行评价信息形式审查``): nobody among the readers
    acts; not when the readers are addressed before it or the review is handed on (…进行审核后报送)."""
    if not _REVIEWED_WITHIN.match(period.clause_after) or V.passed_on.search(period.clause_after):
        return False
    before = reading[period.sentence[0] : period.begin]
    return "对" in before and not _READERS_BEFORE.search(before)


def _spans(reading: str):
    """(begin, end, match) of each span, read back from each 内: a text has few, and a search from every
    character for a number that rarely begins a span cost more than the rest of this module."""
    at = reading.find("内")
    while at >= 0:
        low = max(0, at - _SPAN_LENGTH)
        match = _DATA.period.search(reading, low, at + 1)
        if match is not None:
            yield match.start(), match.end(), match
        at = reading.find("内", at + 1)


def _period(reading: str, begin: int, end: int, match) -> _Period | None:
    if begin > 0 and reading[begin - 1] in _NOT_BEFORE:
        return None
    try:
        n = parse_number(match.group("n"))
    except (KeyError, ValueError):
        return None
    if n <= 0:
        return None
    lo = _back_to(reading, begin, _SENTENCE_ENDS)
    hi = _ahead_to(reading, end, _SENTENCE_ENDS)
    clause_lo = _back_to(reading, begin, _CLAUSE_ENDS)
    before = compact_keep(reading[clause_lo:begin])
    clause_after = compact_keep(reading[end : _ahead_to(reading, end, _CLAUSE_ENDS)])
    event, known, rule = _event(strip_list_mark(before))
    span = compact_keep(reading[begin:end])
    return _Period(begin, end, n, _DATA.units[match.group("unit")], event, known, rule + span, (lo, hi), clause_after)


def _event(before: str) -> tuple[str, bool, str]:
    """The event a span is counted from (``本通知印发``), whether it is the notice's own publication, and the
    words from the event to the span (``收到通知之日起``)."""
    link = next((w for w in _DATA.links if before.endswith(w)), None)
    if link is None:
        return "", True, ""  # 请于10个工作日内报送: counted from the notice itself
    head = before[: -len(link)]
    cut = max(head.rfind(w) for w in _DATA.openers)
    written = head[cut + 1 :] if cut >= 0 else head
    event = written.removesuffix("之日").removesuffix("当日")
    if event in ("即日", "本日", "今日"):
        return event, True, written + link
    return event or before, _is_publication(event), written + link


def _quarter_end(event: str, sentence: str, title: str) -> tuple[str, dt.date] | None:
    """For a span counted from a quarter's end (``季度终了``), that quarter as named with its year in the sentence, else
    in the title (``2024年第一季度``), and its last day; None when the event is no quarter's end or none is named."""
    if not event.endswith(_DATA.quarter_ends):
        return None
    named = _DATA.quarter.search(sentence) or _DATA.quarter.search(compact_keep(simplified_reading(title)))
    if named is None:
        return None
    quarter = "一二三四".find(named.group("q")) + 1 or int(named.group("q"))
    year = int(named.group("y"))
    last_month = quarter * 3
    return f"{year}年第{'一二三四'[quarter - 1]}季度", dt.date(year, last_month, calendar.monthrange(year, last_month)[1])


def _is_publication(event: str) -> bool:
    """``印发``, ``本通知发布``: the notice's own publication, whose date the notice gives."""
    return any(event == verb or event in (doc + verb for doc in _DATA.own_documents) for verb in _DATA.known_events)


def _back_to(text: str, pos: int, stops: str) -> int:
    floor = max(0, pos - _REACH)
    return max([text.rfind(c, floor, pos) + 1 for c in stops] + [floor])


def _ahead_to(text: str, pos: int, stops: str) -> int:
    ceiling = min(len(text), pos + _REACH)
    found = [i for i in (text.find(c, pos, ceiling) for c in stops) if i >= 0]
    return min(found, default=ceiling)


def _record(
    notice: Notice, period: _Period, kind: str, day: dt.date, seen: dict[str, int], basis: str, label: str = "期限"
) -> Deadline:
    """A record for the span ``begin:end`` closing on ``day``: who, what, quote and a stable id, as for a date."""
    text, reading = notice.text, notice.reading
    written = text[period.begin : period.end]
    mention = Mention(period.begin, period.end, written, None, Moment(day.year, day.month, day.day))
    context = context_of(reading, mention)
    who = who_of(context, "")[0] or addressee(notice)
    sentence = compact(context.sentence.replace(compact_keep(written), f"〈{label}〉", 1))
    ordinal = seen[sentence] = seen.get(sentence, -1) + 1
    return Deadline(
        id=deadline_id(notice.ref, kind, f"{label}{sentence}#{ordinal}"),
        kind=kind,
        start=None,
        end=day,
        all_day=True,
        who=who,
        what=what_of(context, notice, written),
        quote=quote_of(text, mention),
        notice=notice.ref,
        source=Source(notice.file, notice.line_of(period.begin)),
        basis=basis,
    )


# -- recurring deadlines ------------------------------------------------------


def find_recurring(notice: Notice, anchor: dt.date | None, anchor_label: str) -> Found:
    """``每月15日前报送``: one record per rule, its first occurrence on or after the notice's date.

    The notice rarely says when the rule stops; it then runs to the end of the
    first occurrence's year, and ``basis`` says so for a person to check.
    """
    found = Found()
    text, reading = notice.text, notice.reading
    if "每" not in reading:
        return found
    seen: dict[str, int] = {}
    cells = table_cells(text, reading)  # read by classify already (cached)
    selves = self_names(notice)  # 市工信局将在每月底进行一次申报汇总: the issuer's own work
    for match in _DATA.recurring.finditer(reading):
        begin, end = match.span()
        lo, hi = _back_to(reading, begin, _SENTENCE_ENDS), _ahead_to(reading, end, _SENTENCE_ENDS)
        sentence = compact_keep(reading[lo:hi])
        cell = cells.at(begin)  # 报送时间 | 每月5号前: the column names the act
        if cell is not None and cell.kind != "deadline":
            cell = None
        if cell is None and (not V.has_action(sentence) or speaks_of_itself(sentence, selves)):
            continue
        line = notice.line_of(begin)
        if anchor is None:
            found.problems.append((line, f"{text[begin:end]!r}：每月（每年）截止需要通知的日期才能推算；请用 --date YYYY-MM-DD 给出参照日期"))
            continue
        day = -1 if match.group("last") else parse_number(match.group("day"))
        if not 1 <= day <= 31 and day != -1:
            continue
        first = _first_monthly(anchor, day)
        clock = _DATA.recurring_time.match(reading[end : end + 24])  # a short slice: the pattern is anchored
        moment: When = first
        if clock is not None:
            hour = int(clock.group("h")) + (12 if clock.group("ap") == "下午" and int(clock.group("h")) < 12 else 0)
            minute = int(clock.group("mi") or clock.group("mi2") or 0)
            if hour <= 24:
                moment = dt.datetime.combine(first, dt.time(23, 59) if hour == 24 else dt.time(hour, minute), tzinfo=SHANGHAI)
                end += clock.end()
        until = dt.date(first.year, 12, 31)
        repeat = monthly_rule(day, until)
        basis = _recurring_basis(first, until, f"自{anchor_label}（{zh_when(anchor, weekday=False)}）后")
        period = _Period(begin, end, 0, "", "", True, "", (lo, hi), "")
        record = _record(notice, period, "deadline", first, seen, basis, label="重复")
        record = replace(record, end=moment, all_day=not isinstance(moment, dt.datetime), repeat=repeat)
        if cell is not None:
            record = replace(record, what=cell.what or record.what, who=cell.who or record.who, quote=cell.quote)
        found.deadlines.append(record)
    return found


def _recurring_basis(first: When, until: dt.date, since: str) -> str:
    return f"{since}首次为{zh_when(first)}；原文未写止期，暂至{zh_when(until, weekday=False)}，请核对"


def after_written(records: list[Deadline]) -> list[Deadline]:
    """A recurring deadline starts after the days the notice writes out for it.

    ``第一轮论证活动,于11月15日前报…。以后每月15日前提交最新稿``: 11月15日 is its own record, so the
    rule's first occurrence is 12月15日. A rule all of whose days are written adds nothing.
    """
    written = {_day(d.key_moment) for d in records if d.actionable and not d.repeat}
    out = []
    for d in records:
        if d.repeat and _day(d.end) in written:
            rule = recurrence.parse(d.repeat)
            later = [day for day in recurrence.days_of(rule, _day(d.end)) if day not in written]
            if not later:
                continue
            first = later[0] if not isinstance(d.end, dt.datetime) else d.end.replace(year=later[0].year, month=later[0].month, day=later[0].day)
            since = f"{zh_when(d.end, weekday=False)}已另列，其后"
            d = replace(d, end=first, basis=_recurring_basis(first, rule.until, since))
        out.append(d)
    return out


def _day(value: When) -> dt.date:
    return value.astimezone(SHANGHAI).date() if isinstance(value, dt.datetime) else value


def _first_monthly(anchor: dt.date, day: int) -> dt.date:
    """The first day ``day`` of a month (-1: its last day) on or after ``anchor``; a month without that day is skipped."""
    year, month = anchor.year, anchor.month
    while True:
        last = calendar.monthrange(year, month)[1]
        wanted = last if day == -1 else day
        if wanted <= last and dt.date(year, month, wanted) >= anchor:
            return dt.date(year, month, wanted)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


# -- the notice's rest-day rule ------------------------------------------------


def rest_day_rule(notice: Notice) -> str:
    """The notice's own words stating the statutory rest-day rule (``遇法定节假日顺延``), or ``""``."""
    if "顺延" not in notice.reading:
        return ""
    match = _DATA.rest_day_rule.search(compact_keep(notice.reading))
    return match.group(0) if match else ""


def settle(records: list[Deadline], notice: Notice) -> list[Deadline]:
    """The notice's records once all are read: recurring ones after the days written out, then its 顺延 rule."""
    if any(d.repeat for d in records):
        records = after_written(records)
    return roll_forward(records, rest_day_rule(notice))


def roll_forward(records: list[Deadline], rule: str) -> list[Deadline]:
    """Each actionable record closing on a rest day moved to the next working day, as the notice's ``rule`` says.

    The move is shown: ``basis`` says which day it was, why it is a rest day and
    the rule applied. A year without holiday data leaves the date as written
    (and :func:`workdays.rest_day_mark` shows no mark either): never a guessed move.
    """
    if not rule:
        return records
    out = []
    for d in records:
        if d.actionable and d.end is not None and not d.repeat:
            d = _rolled(d, rule)
        out.append(replace(d, roll_forward=True) if d.repeat else d)
    return out


def _rolled(d: Deadline, rule: str) -> Deadline:
    from . import workdays  # only for a notice that states the rule

    written = d.end
    note = workdays.rest_day_note(written)
    if note is None:
        return d
    try:
        day = workdays.add_workdays(written, 1)
    except workdays.NoWorkdayData:
        return d
    moved: When = day if not isinstance(written, dt.datetime) else written.replace(year=day.year, month=day.month, day=day.day)
    why = note.removeprefix("该日为")
    basis = f"原定{zh_when(written, weekday=False)}为{why}，按通知“{rule}”顺延至{zh_when(moved)}"
    return replace(d, end=moved, basis=f"{d.basis}；{basis}" if d.basis else basis)
