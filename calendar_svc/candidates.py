"""Dates the rules turned down that a person should still see: candidates for review.

A miss is silent: the date was in the text, the classifier dropped it, and
nobody ever looks. The net is therefore cast the other way round: it names
the dates that are safe NOT to show (a 落款 or publication stamp, a month or
year label, a goal's horizon, a date in a clause that selects cases, a
statistic, the issuer's past act, dates before the notice, which the
classifier drops), and keeps every other concrete date the rules turned down
as a ``candidate`` with the reason in Chinese, ranked by how likely it is a
task (:data:`RANKS`). Candidates are never published (feed, public page,
reminders) until a person confirms one on /review.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from .context import Context, compact_keep, context_of, quote_of
from .dates import Mention
from .dates import YearContext, resolve_range
from .dates.grammar import Moment
from .dates.resolve import ImpossibleDate
from .model import Deadline, Source, as_datetime, deadline_id
from .notices import Notice, compact, is_signature_line
from .roles import addressee, what_of, who_of
from .patterns import lazy
from .vocabulary import VOCABULARY as V

#: Why a candidate waits, as the reviewer reads it.
NEAR_ACTION = "规则未认定为截止日期，但同句有办理动作"
#: No action in the sentence, but in the row's label, the heading, the line below or the sentence before.
NEARBY_ACTION = "规则未认定为截止日期，但表头或上下文有办理动作"
#: Read as the organiser's own step (or a rule), yet the date closes an act: 于4月30日前完成…上报.
CLOSING_STEP = "规则认定为主办方自身步骤，但日期后写明截止（前）并有办理动作"
#: A closing word or a time label (前, 截止, 时间:) but no act named anywhere near: 时间:2021年12月15日前.
CUE_WITHOUT_ACTION = "日期附近无办理动词，但写明截止或时间"
#: A concrete date with nothing around it that says what it is: 黄海校区:2015年11月11日(星期三).
NO_ACTION = "日期附近无办理动词"
#: A date in a form the date grammar does not read (5.24, 6.1-6.7): shown, never published.
UNUSUAL_FORM = "日期写作“{written}”，规则未读取，请核对"
#: A restatement of a kept record's moment that names another doer: perhaps a second task on that day.
OTHER_DOER = "同日已有一条记录，此处办理主体不同（{who}），可能是另一项任务"
#: Merged into a kept record of that day, but another item of a numbered list: perhaps another task.
OTHER_ITEM = "同日已有一条记录，此处是清单的另一项（{item}），可能是另一项任务"
#: The notice names no year before the date: the year was guessed (issue 9: 年份为推断).
YEAR_FROM_WEEKDAYS = "年份为推断：文中未写年份，按所注星期推算为{year}年"
YEAR_FROM_LATER = "年份为推断：取文中其后写明的{year}年"
YEAR_FROM_TODAY = "年份为推断：文中没有年份，按提取当天推算"
#: A deadline whose written year puts it before the notice, although the same day of the notice's year follows it.
YEAR_SLIP = "年份疑有笔误：写作{written}年，早于通知日期，按{year}年读"
#: A range written with both years whose start lies after its end.
REVERSED = "起止日期颠倒，年份疑有笔误"
#: A deadline before the date a web page was posted (not its 落款): the page may be a late copy.
BEFORE_STAMP = "日期早于网页发布时间，通知本身可能更早"


#: Between two reasons of one candidate: 日期附近无办理动词；年份为推断：….
_AND = "；"
#: How likely a reason's candidate is a real task, 1 the likeliest: the queue shows the likeliest first,
#: and the net keeps the reasons up to :data:`NET_WIDTH`. Reasons not listed (guessed years…) rank 1.
RANKS = {NEAR_ACTION: 1, NEARBY_ACTION: 1, CLOSING_STEP: 2, UNUSUAL_FORM: 2, CUE_WITHOUT_ACTION: 3, NO_ACTION: 4}
#: The widest rank kept. bench/bench_candidates.py draws visible recall against candidates per
#: notice for each width; the README says why this one ships.
NET_WIDTH = 4

#: A label that dates the page, not a task: 发布日期:, 公开日期|, 成文时间.
_STAMP_LABEL = lazy(r"(?:发布|发表|印发|成文|公开|更新|发文|签发|录入|生成)(?:时间|日期)\|?:?$")
#: month.day, alone or as a range, in a date's company: ``(5.24)前``, ``5.25-5.31 第13周``, ``6.1-6.7 |``.
_DOTTED = lazy(
    r"(?<![\d.．])(?P<m>1[0-2]|0?[1-9])[.．](?P<d>3[01]|[12]\d|0?[1-9])"
    r"(?:\s*[-—–~至]\s*(?:(?P<m2>1[0-2]|0?[1-9])[.．])?(?P<d2>3[01]|[12]\d|0?[1-9]))?"
    r"(?![\d.．%])(?=\)?\s*(?:前(?![言期])|之前|以前|日|号|止|截止|第\d{1,2}周|\||\(周|\(星期|$))",
    re.MULTILINE,
)
#: Where the next date of a sentence begins: what follows belongs to it.
_ANOTHER_DATE = lazy(r"(?:19|20)\d{2}\s*[年.\-/]|\d{1,2}\s*月")
#: A clause that selects whom a rule is for: …前成立的, …期间被锁定的企业, 已认定的.
_SELECTS = lazy(r"的(?:[^,:;的]{0,8}?(?:人|者|企业|单位|组织|机构|项目|学生|团体|个人))?$")


def rank_of(doubt: str) -> int:
    """How likely a candidate with reason ``doubt`` is a task, 1 the likeliest (see :data:`RANKS`)."""
    head = doubt.split(_AND)[0]
    return next((rank for reason, rank in RANKS.items() if head.startswith(reason.split("{")[0])), 1)


def joined_doubt(first: str, then: str) -> str:
    """Two reasons for one candidate (turned down, and its year guessed), the first ranking it."""
    return f"{first}{_AND}{then}" if first else then


def doubt_of(mention: Mention, context: Context, notice: Notice, *, incidental: bool = False) -> str:
    """The reason ``mention`` (turned down by the rules) is worth a look, or "" when it is safe not to show.

    ``incidental`` says the rules read the date as there for another reason (a condition, a
    statistic, the organiser's step): such a date is kept only when it closes an act for readers.
    """
    doubt = _doubt(mention, context, notice, incidental)
    return doubt if doubt and rank_of(doubt) <= NET_WIDTH else ""


def _doubt(mention: Mention, c: Context, notice: Notice, incidental: bool) -> str:
    if not mention.close.has_day or (mention.start is not None and not mention.start.has_day):
        return ""  # a month or a year: a label, a period, not a day to act by
    if mention.close.end_of is not None:  # 到2025年底…完成: a goal's horizon, not a filing date
        return ""
    if _STAMP_LABEL.search(c.clause_before):
        return ""
    if is_signature_line(c.line) and not mention.is_range and not c.after.startswith(V.deadline_after):
        return ""  # a 落款 or a page stamp; 时间:2021年12月15日前 and 时间:1月15日-1月25日 are neither
    if not notice.reading[mention.end :].strip():
        return ""  # the last words of the notice: its date, even glued to the line above (a PDF's 电话:…2017年12月26日)
    if incidental:
        return CLOSING_STEP if _closes_an_act(c) else ""
    if V.has_action(c.sentence):
        return NEAR_ACTION
    if any(V.has_action(text) for text in (c.row_label, c.heading, c.below, c.previous[-40:])):
        return NEARBY_ACTION  # 时间节点:2023116日前。 under a line or heading that says what to hand in
    if _SELECTS.search(c.clause_after) or _in_title(c):
        return ""
    if c.alone and not mention.is_range and _is_notice_date(mention.close, notice.date):
        return ""  # the notice's own date, restated on a line of its own
    if c.after.startswith(V.deadline_after) or c.clause_before.endswith((":", "为", "于", "在")):
        return CUE_WITHOUT_ACTION
    return NO_ACTION


def unusual_dates(notice: Notice, mentions: list[Mention], anchor: dt.date | None) -> list[Deadline]:
    """Dates written month.day (``(5.24)前``, ``5.25-5.31 第13周``), which the date grammar leaves unread.

    A campus timetable writes them so; a number such as ``1.5mm``, ``1.7万`` or a list mark
    before a month (``3.2月22日``) is no date: the form needs a date's company (前, 日, a range,
    a week number, a table cell) and a notice date to take its year from. Each is a candidate
    (:data:`UNUSUAL_FORM`), unless the net would not show it (its sentence selects cases, it
    lies before the notice); never a published record.
    """
    if anchor is None or rank_of(UNUSUAL_FORM) > NET_WIDTH:
        return []
    taken = [(m.begin, m.end) for m in mentions]
    found: list[Deadline] = []
    for match in _DOTTED.finditer(notice.reading):
        if any(begin < match.end() and match.start() < end for begin, end in taken):
            continue
        mention = _dotted_mention(match)
        if mention is None:
            continue
        context = context_of(notice.reading, mention)
        if not _doubt(mention, context, notice, False):
            continue
        try:
            start, end, how = resolve_range(mention.start, mention.close, YearContext(anchor=anchor))
        except (ImpossibleDate, LookupError):
            continue
        if notice.date is not None and end < notice.date:
            continue  # history, as for every other date before its notice
        who, _ = who_of(context, addressee(notice))
        masked = compact(context.sentence.replace(compact_keep(mention.text), "〈日期〉", 1))
        found.append(Deadline(
            id=deadline_id(notice.ref, "window" if start else "deadline", f"候选{masked}#{match.start()}"),
            kind="window" if start else "deadline", start=start, end=end, all_day=True, who=who,
            what=what_of(context, notice, mention.text), quote=quote_of(notice.reading, mention),
            notice=notice.ref, source=Source(notice.file, notice.line_of(mention.begin)), year_guess=how,
            status="candidate", doubt=UNUSUAL_FORM.format(written=match.group(0).strip()),
        ))
    return found


def _dotted_mention(match: re.Match[str]) -> Mention | None:
    """The :class:`Mention` of a month.day match, or None when a part is no month or no day."""
    month, day = int(match.group("m")), int(match.group("d"))
    if match.group("d2") is None:
        return Mention(match.start(), match.end(), match.group(0), None, Moment(None, month, day))
    month2 = int(match.group("m2") or month)
    if (month2, int(match.group("d2"))) <= (month, day) or month2 - month > 1:
        return None  # 6.8-6.4, 2.1-9.3: no period a timetable gives
    return Mention(match.start(), match.end(), match.group(0), Moment(None, month, day), Moment(None, month2, int(match.group("d2"))), "-")


def _in_title(c: Context) -> bool:
    """The date is part of a name in 《》 (a document, a form), not a day to act by."""
    return c.before.count("《") > c.before.count("》")


def _is_notice_date(written: Moment, date: dt.date | None) -> bool:
    return date is not None and (written.year in (None, date.year)) and (written.month, written.day) == (date.month, date.day)


def _closes_an_act(c: Context) -> bool:
    """An incidental date that still closes an act for readers: ``于4月30日前完成…上报``, ``2月28日-3月6日:各学院…``.

    Not a clause that selects cases (``…前成立的企业``) nor a state reached by then (``前,已认定的``).
    """
    if c.after.startswith(V.deadline_after):
        rest = c.clause_after.lstrip("之以前截止为")
    elif c.after.startswith(":"):
        rest = c.clause_after
    else:
        return False
    rest = _ANOTHER_DATE.split(rest, 1)[0]  # …前成立的组织须在5月31日前报送: that act is the other date's
    acts = [rest.find(word) for word in V.actions if word in rest]
    if not acts or rest.startswith(("已", "曾", "尚未", "未")):
        return False
    return "的" not in rest[: min(acts)]  # 前成立的社会组织…: the act is not this date's (前完成对…的复核 is)


def other_tasks(records: list[Deadline], kept: list[Deadline], notice: Notice) -> list[Deadline]:
    """Records merged away as restatements that may be a second task on the kept record's day.

    ``请各省…于3月10日前…`` and ``有意愿的城市在3月10日前…报体总`` close the same day, but may be two
    tasks: one that names someone else, or that stands in another item of a numbered list
    (``五、各系于6月5日将…报教务办`` / ``六、各系于6月5日…分配好评阅教师``), is shown to a reviewer
    instead of vanishing into the first. A restatement elsewhere (a summary, a label) is not.
    """
    kept_ids = {id(k) for k in kept}
    same_day: dict[object, list[Deadline]] = {}
    for k in kept:
        same_day.setdefault(k.key_moment, []).append(k)
    shown: list[Deadline] = []
    for d in records:
        twins = same_day.get(d.key_moment, [])
        if id(d) in kept_ids or not d.actionable or not twins:
            continue
        if d.who not in {k.who for k in twins}:
            shown.append(replace(d, status="candidate", doubt=OTHER_DOER.format(who=d.who)))
        elif _item_mark(notice, d) and all(_item_mark(notice, k) not in ("", _item_mark(notice, d)) for k in twins):
            shown.append(replace(d, status="candidate", doubt=OTHER_ITEM.format(item=_item_mark(notice, d))))
    return shown


def _item_mark(notice: Notice, record: Deadline) -> str:
    """The number of the list item (``六、``, ``(二)``, ``3.``) opening the record's line, or ""."""
    return notice.list_item(record.source.line)


def unclaimed(candidates: list[Deadline], kept: list[Deadline]) -> list[Deadline]:
    """Candidates whose day no record of the notice already has, one per day and doer.

    A reviewer sees each date once; a timetable that gives the same day to two groups
    (博士:1月17日 / 硕士:1月17日) keeps both, since each is a task of its own.
    """
    days = {_day(d) for d in kept}
    spots: set[tuple[dt.date, str]] = set()
    fresh: list[Deadline] = []
    for candidate in candidates:
        spot = (_day(candidate), candidate.who)
        if _day(candidate) not in days and spot not in spots:
            spots.add(spot)
            fresh.append(candidate)
    return fresh


def _day(record: Deadline) -> dt.date:
    return as_datetime(record.key_moment).date()
