"""Dates the rules turned down that a person should still see: candidates for review.

A miss is silent: the date was in the text, the classifier dropped it, and
nobody ever looks. So a date the rules reject as not a deadline, but that
stands in a sentence where someone must act (提交, 报送, 申报…), is kept as
a ``candidate`` with the reason in Chinese. Candidates are never published
(feed, public page, reminders) until a person confirms one on /review.
"""

from __future__ import annotations

import datetime as dt

from .context import Context
from .dates import Mention
from .model import Deadline, as_datetime
from .notices import is_signature_line
from .vocabulary import VOCABULARY as V

#: Why a candidate waits, as the reviewer reads it.
NEAR_ACTION = "规则未认定为截止日期，但同句有办理动作"


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
    return ""


def unclaimed(candidates: list[Deadline], kept: list[Deadline]) -> list[Deadline]:
    """Candidates whose day no record of the notice already has, one per day: a reviewer sees each date once."""
    days = {_day(d) for d in kept}
    fresh: list[Deadline] = []
    for candidate in candidates:
        if _day(candidate) not in days:
            days.add(_day(candidate))
            fresh.append(candidate)
    return fresh


def _day(record: Deadline) -> dt.date:
    return as_datetime(record.key_moment).date()
