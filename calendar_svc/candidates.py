"""Dates the rules turned down that a person should still see: candidates for review.

A miss is silent: the date was in the text, the classifier dropped it, and
nobody ever looks. The net is therefore cast the other way round: it names
the dates that are safe NOT to show (a 落款 or publication stamp, a month or
year label, a goal's horizon, a date in a clause that selects cases, a
statistic, the issuer's past act, dates before the notice, which the
classifier drops), and keeps every other concrete date the rules turned down
as a ``candidate`` with the reason in Chinese, ranked by how likely it is a
task (``doubts.RANKS``). Candidates are never published (feed, public page,
reminders) until a person confirms one on /review.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

from .context import Context, compact_keep, context_of, quote_of
from .dates import Mention, Moment, YearContext, resolve_range
from .dates.loose import loose_dates
from .dates.resolve import ImpossibleDate
from .doubts import (  # the reasons live below the review queue, which ranks by them
    NEAR_ACTION,
    NEARBY_ACTION,
    CLOSING_STEP,
    CUE_WITHOUT_ACTION,
    NO_ACTION,
    PERIOD_IN_CONDITION,
    DATE_IN_CONDITION,
    UNUSUAL_FORM,
    OTHER_DOER,
    OTHER_ITEM,
    OTHER_TASK,
    STATED_FIRST,
    RESTATED,
    TITLED,
    YEAR_FROM_WEEKDAYS,
    YEAR_FROM_LATER,
    YEAR_FROM_ENGLISH,
    YEAR_FROM_TODAY,
    YEAR_SLIP,
    REVERSED,
    BEFORE_STAMP,
    RANKS,
    joined_doubt,
    rank_of,
)
from .model import Deadline, Source, as_datetime, deadline_id
from .notices import Notice, compact, is_signature_line
from .patterns import lazy
from .roles import addressee, what_of, who_of
from .terms import own_term
from .vocabulary import VOCABULARY as V

#: The widest rank kept. bench/bench_candidates.py draws visible recall against candidates per
#: notice for each width; the README says why this one ships.
NET_WIDTH = 7

#: Lines between a candidate and a later record of its day for the two to be apart: score.py's "same spot" reach.
APART = 3

#: A label that dates the page, not a task: 发布日期:, 公开日期|, 成文时间.
_STAMP_LABEL = lazy(r"(?:发布|发表|印发|成文|公开|更新|发文|签发|录入|生成)(?:时间|日期)\|?:?$")
#: A label of a web page's metadata row, wherever it stands on the date's line: 作者:, 浏览:, |发布机构|.
_PAGE_META = lazy(r"(?:作者|发布者|发布人|浏览|点击|阅读|索引号|文件号|发布机构|成文日期|制发日期|发布日期|公开日期)(?:次数|量)?\s*[:：|]")
#: A 文号 right before the date: the document's number and its date, a stamp.
_DOC_NO_END = lazy(r"[〔\[【]\s*(?:19|20)\d{2}\s*[〕\]】]\s*\d{1,5}\s*号\s*$")
#: Where the next date of a sentence begins: what follows belongs to it.
_ANOTHER_DATE = lazy(r"(?:19|20)\d{2}\s*[年.\-/]|\d{1,2}\s*月")
#: An act told as done, or a count: 已报送, 发布了, 累计.
_DONE = lazy(r"已|了|累计")
#: A clause that selects whom a rule is for: …前成立的, …期间被锁定的企业, 已认定的.
_SELECTS = lazy(r"的(?:[^,:;的]{0,8}?(?:人|者|企业|单位|组织|机构|项目|学生|团体|个人))?$")


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
    if mention.close.end_of == "year":  # 到2025年底…完成: a goal's horizon, not a filing date (一月底前 is one)
        return ""
    if _STAMP_LABEL.search(c.clause_before) or _PAGE_META.search(c.line) or _DOC_NO_END.search(c.before):
        return ""  # a page's metadata row (作者:…时间:…浏览:), a 文号 then its date (黔税办函〔2022〕42号 2022-12-30)
    if is_signature_line(c.line) and not mention.is_range and not c.after.startswith(V.deadline_after):
        return ""  # a 落款 or a page stamp; 时间:2021年12月15日前 and 时间:1月15日-1月25日 are neither
    if not notice.reading[mention.end :].strip():
        return ""  # the last words of the notice: its date, even glued to the line above (a PDF's 电话:…2017年12月26日)
    if own_term(c):
        return ""  # 本办法…有效期至…: the rules' own term, nothing anyone does
    if incidental:
        if _closes_an_act(c):
            return CLOSING_STEP
        if mention.is_range and V.has_action(c.sentence) and not c.after.startswith(V.incidental_after_prefixes):
            return PERIOD_IN_CONDITION  # 8月1日至9月30日期间被锁定的企业，仍可…申报 (not 放假, 以后…)
        if _acts_in_condition(c):
            return DATE_IN_CONDITION  # 我局将于3月31日前组织评审，请各单位…: the rules' reading is a guess
        return ""
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


def titled_task(doubt: str) -> str:
    """Why a day in the notice's title is worth a look (关于2024年5月31日前报送…的通知), or "".

    A title's dates are its subject (2024年度, 2月22日专家评审结果) and are never published; one
    whose sentence, the title itself, names something to do is shown, with its own reason.
    """
    return TITLED.format(why=doubt) if doubt == NEAR_ACTION else ""


def unusual_dates(
    notice: Notice, mentions: list[Mention], anchor: dt.date | None,
    guess: Callable[[Mention], tuple[YearContext, str] | None] | None = None,
) -> list[Deadline]:
    """Dates in forms the date grammar leaves unread (``(5.24)前``, ``5/31前``, ``6月15前``, ``31/7/2026``, ``周四(20日)``).

    A campus timetable writes month.day, a form or a Hong Kong notice a slash, a hurried
    notice a day without 日; a number such as ``1.5mm``, ``1.7万`` or a list mark before a
    month (``3.2月22日``) is no date: each form needs a date's company (:mod:`.dates.loose`).
    Without a year written it takes the notice's, or ``guess`` gives one (the reason says how). Each is a candidate
    (:data:`UNUSUAL_FORM`), unless the net would not show it (its sentence selects cases, it
    lies before the notice); never a published record.
    """
    if rank_of(UNUSUAL_FORM) > NET_WIDTH:
        return []
    read = [(m.begin, m.end) for m in mentions if m.close.has_day]  # 2026年6月15前: the grammar read only 2026年6月
    title = compact(notice.title)
    found: list[Deadline] = []
    for loose in loose_dates(notice.reading, anchor):
        mention = loose.mention
        if any(begin < mention.end and mention.begin < end for begin, end in read):
            continue
        if title and compact(notice.lines[notice.line_of(mention.begin) - notice.first_line]) == title:
            continue  # 国税-106年度1/1~12/31定期性工作项目: the title's span is its subject
        context = context_of(notice.reading, mention)
        if not _doubt(mention, context, notice, False):
            continue
        doubt = UNUSUAL_FORM.format(written=loose.written)
        try:
            start, end, how = resolve_range(mention.start, mention.close, YearContext(anchor=anchor))
        except ImpossibleDate:
            continue
        except LookupError:  # no year to read it in: guessed as for any other date (weekdays, a later year, today)
            guessed = guess(mention) if guess is not None else None
            if guessed is None:
                continue
            try:
                start, end, how = resolve_range(mention.start, mention.close, guessed[0])
            except (ImpossibleDate, LookupError):
                continue
            doubt = joined_doubt(doubt, guessed[1])
        if notice.date is not None and end < notice.date:
            continue  # history, as for every other date before its notice
        who, _ = who_of(context, addressee(notice))
        masked = compact(context.sentence.replace(compact_keep(mention.text), "〈日期〉", 1))
        found.append(Deadline(
            id=deadline_id(notice.ref, "window" if start else "deadline", f"候选{masked}#{mention.begin}"),
            kind="window" if start else "deadline", start=start, end=end, all_day=True, who=who,
            what=what_of(context, notice, mention.text), quote=quote_of(notice.text, mention),
            notice=notice.ref, source=Source(notice.file, notice.line_of(mention.begin)), year_guess=how,
            status="candidate", doubt=doubt,
        ))
    return found


def _acts_in_condition(c: Context) -> bool:
    """A single date the rules read as incidental, in words that still name an act for it.

    Not what is settled by then (a count, 截至…累计; an act told as done, 已…, …了), nor a clause
    that selects cases (…前成立的社会组织须在5月31日前报送: the act is the other date's).
    """
    if c.after.startswith(V.incidental_after_prefixes) or c.clause_before.endswith("截至"):
        return False
    own, *others = _ANOTHER_DATE.split(c.after, 1)  # what follows in the sentence, up to its next date
    if _DONE.search(own) or _SELECTS.search(own):
        return False
    acts = [own.find(word) for word in V.actions if word in own]
    if acts and "的" in own[: min(acts)]:
        return False  # …前成立的社会组织须…: whom the rule is for
    return V.has_action(c.before + own if others else c.sentence)


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
    asked: dict[object, set[str]] = {}  # per moment, what its records ask
    for d in records:
        twins = same_day.get(d.key_moment, [])
        if id(d) in kept_ids or not d.actionable or not twins:
            continue
        if d.who not in {k.who for k in twins}:
            shown.append(replace(d, status="candidate", doubt=OTHER_DOER.format(who=d.who)))
        elif _item_mark(notice, d) and all(_item_mark(notice, k) not in ("", _item_mark(notice, d)) for k in twins):
            shown.append(replace(d, status="candidate", doubt=OTHER_ITEM.format(item=_item_mark(notice, d))))
        elif d.what and not any(_same_task(d.what, w) for w in asked.setdefault(d.key_moment, {k.what for k in twins})):
            asked[d.key_moment].add(d.what)
            shown.append(replace(d, status="candidate", doubt=OTHER_TASK.format(what=d.what)))
        elif rank_of(RESTATED) <= NET_WIDTH and all(abs(d.source.line - k.source.line) > APART for k in twins):
            shown.append(replace(d, status="candidate", doubt=RESTATED.format(line=min(k.source.line for k in twins))))
    return shown


#: Share of the shorter task's characters two tasks must share to be one told twice (答辩安排报送 / 将答辩安排报教务办).
SAME_TASK = 0.7


def _same_task(one: str, other: str) -> bool:
    """Two readings of one task, not two tasks (营业税申报 and 房产税申报 share only 税申报)."""
    a, b = set(one), set(other)
    return len(a & b) >= SAME_TASK * min(len(a), len(b))


def _item_mark(notice: Notice, record: Deadline) -> str:
    """The number of the list item (``六、``, ``(二)``, ``3.``) opening the record's line, or ""."""
    return notice.list_item(record.source.line)


def unclaimed(candidates: list[Deadline], kept: list[Deadline], titles: list[Deadline] = ()) -> list[Deadline]:
    """Candidates whose day no record of the notice already has, one per day and doer where they stand together
    (within :data:`APART` lines; a day stated again far below is shown there too); then the title's.

    A reviewer sees each date once; a timetable that gives the same day to two groups
    (博士:1月17日 / 硕士:1月17日) keeps both, since each is a task of its own; a date the rules
    read as something else (ranked after :data:`NO_ACTION`) comes only on a day no other shows. A day a record
    has is shown again only where the notice states it first, away from every record of that
    day (``公告时间:6月10日至6月23日`` above a later ``于6月10日至6月23日…公开征求意见``): the
    record may stand on a restatement, and the reviewer should see the statement itself. A
    candidate from the title (``titles``) comes only for a day nothing of the body gives.
    """
    first: dict[dt.date, int] = {}  # each kept day's first line
    for d in kept:
        first[_day(d)] = min(first.get(_day(d), d.source.line), d.source.line)
    spots: set[tuple[dt.date, str]] = set()
    shown: set[dt.date] = set()
    fresh: list[Deadline] = []
    lines: dict[tuple[dt.date, str], list[int]] = {}
    for candidate in candidates:
        spot = (_day(candidate), candidate.who)
        near = any(abs(candidate.source.line - line) <= APART for line in lines.get(spot, ()))
        if (spot in spots and near) or (rank_of(candidate.doubt) > rank_of(NO_ACTION) and spot[0] in shown):
            continue  # the least likely (the rules read it as something else) only on a day nothing else shows
        taken = first.get(spot[0])
        if taken is not None and taken - candidate.source.line <= APART:
            continue
        spots.add(spot)
        lines.setdefault(spot, []).append(candidate.source.line)
        shown.add(spot[0])
        fresh.append(candidate if taken is None else replace(candidate, doubt=joined_doubt(candidate.doubt, STATED_FIRST.format(line=taken))))
    given = shown | set(first)
    for title in titles:
        if _day(title) not in given:
            given.add(_day(title))
            fresh.append(title)
    return fresh


def _day(record: Deadline) -> dt.date:
    return as_datetime(record.key_moment).date()
