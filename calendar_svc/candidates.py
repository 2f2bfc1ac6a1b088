"""Dates the rules turned down that a person should still see: candidates for review.

A miss is silent: the date was in the text, the classifier dropped it, and
nobody ever looks. So a date the rules reject as not a deadline, but that
stands in a sentence where someone must act (提交, 报送, 申报…), is kept as
a ``candidate`` with the reason in Chinese. Candidates are never published
(feed, public page, reminders) until a person confirms one on /review.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from .context import Context
from .dates import Mention
from .model import Deadline, as_datetime
from .notices import is_signature_line
from .vocabulary import VOCABULARY as V

#: Why a candidate waits, as the reviewer reads it.
NEAR_ACTION = "规则未认定为截止日期，但同句有办理动作"
#: No action in the sentence, but in the row's label, the heading, the line below or the sentence before.
NEARBY_ACTION = "规则未认定为截止日期，但表头或上下文有办理动作"
#: A restatement of a kept record's moment that names another doer: perhaps a second task on that day.
OTHER_DOER = "同日已有一条记录，此处办理主体不同（{who}），可能是另一项任务"
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


def doubt_of(mention: Mention, context: Context) -> str:
    """The reason ``mention`` (turned down by the rules) is worth a look, or "" when it is not."""
    if not mention.close.has_day or (mention.start is not None and not mention.start.has_day):
        return ""
    if mention.close.end_of is not None:  # 到2025年底…完成: a goal's horizon, not a filing date
        return ""
    if is_signature_line(context.line):
        return ""
    if V.has_action(context.sentence):
        return NEAR_ACTION
    if any(V.has_action(text) for text in (context.row_label, context.heading, context.below, context.previous[-40:])):
        return NEARBY_ACTION  # 时间节点:2023116日前。 under a line or heading that says what to hand in
    return ""


def other_doers(records: list[Deadline], kept: list[Deadline]) -> list[Deadline]:
    """Records merged away as restatements that name someone else than the kept record of that moment.

    ``请各省…于3月10日前…`` and ``有意愿的城市在3月10日前…报体总`` close the same day, but may be two
    tasks: the second is shown to a reviewer instead of vanishing into the first.
    """
    kept_ids = {id(k) for k in kept}
    doers: dict[object, set[str]] = {}
    for k in kept:
        doers.setdefault(k.key_moment, set()).add(k.who)
    return [
        replace(d, status="candidate", doubt=OTHER_DOER.format(who=d.who))
        for d in records
        if id(d) not in kept_ids and d.actionable and d.who not in doers.get(d.key_moment, ())
    ]


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
