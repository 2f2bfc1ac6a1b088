"""Internal deadlines: the office's own date, a number of working days before the official one.

Research offices publish 校内截止 / 单位内部截止 dates so they can check and sign
before the ministry's deadline. An operator rule ("internal = official − 5
working days") applies to a tag, an issuer or one record (``[[internal]]`` in
calendar-svc.toml); ``internal_workdays`` on a record in deadlines.toml
overrides the rules for it (0: no internal deadline). Each internal deadline is
a record of its own, derived when the data is read and never saved: its id is
the official id plus ``-internal``, so its calendar event keeps one UID.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from . import recurrence, workdays
from .errors import InputError
from .model import INTERNAL_LABEL, MAX_INTERNAL_WORKDAYS, Deadline, zh_when

log = logging.getLogger(__name__)

_LEADING_LABEL = re.compile(r"^(?:截止|开始)\s*[：:]\s*")
#: The id suffix of an internal deadline (and so of its calendar UID).
SUFFIX = "-internal"


@dataclass(frozen=True)
class Rule:
    """``working_days`` before the official deadline, for records with this tag, issuer or id (one of them)."""

    working_days: int
    tag: str = ""
    issuer: str = ""
    id: str = ""

    def matches(self, d: Deadline) -> bool:
        if self.id:
            return d.id == self.id
        if self.issuer:
            return self.issuer in d.notice.issuer
        return self.tag in d.tags

    @property
    def specificity(self) -> int:
        """One record beats an issuer, an issuer beats a tag."""
        return 2 if self.id else 1 if self.issuer else 0


def parse_rules(tables: object, file: str) -> tuple[Rule, ...]:
    """``[[internal]]`` tables: each names one of ``tag``, ``issuer``, ``id``, and ``working_days``."""
    if tables is None:
        return ()
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise InputError(file, "`internal` 必须是表数组（[[internal]]）")
    rules = []
    for number, table in enumerate(tables, start=1):
        where = f"[[internal]] #{number}"
        unknown = set(table) - {"tag", "issuer", "id", "working_days"}
        if unknown:
            raise InputError(file, f"{where}：不认识的键 {', '.join(sorted(unknown))}（可用：tag、issuer、id、working_days）")
        targets = [k for k in ("tag", "issuer", "id") if k in table]
        if len(targets) != 1 or not isinstance(table[targets[0]], str) or not table[targets[0]].strip():
            raise InputError(file, f"{where}：tag、issuer、id 必须写且只写一个，且不能为空")
        days = table.get("working_days")
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_INTERNAL_WORKDAYS:
            raise InputError(file, f"{where}：working_days 必须是 1–{MAX_INTERNAL_WORKDAYS} 的整数，不能是 {days!r}")
        rules.append(Rule(working_days=days, **{targets[0]: table[targets[0]].strip()}))
    return tuple(rules)


def working_days_for(d: Deadline, rules: Sequence[Rule]) -> int:
    """How many working days before ``d`` its internal deadline falls (0: none)."""
    if d.internal_workdays is not None:
        return d.internal_workdays
    matching = [r for r in rules if r.matches(d)]
    if not matching:
        return 0
    best = max(r.specificity for r in matching)
    # Of equally specific rules the earliest internal date wins: the office must meet all of them.
    return max(r.working_days for r in matching if r.specificity == best)


def internal_deadline(d: Deadline, working_days: int) -> Deadline | None:
    """The internal deadline ``working_days`` before ``d``'s key moment, or ``None`` without holiday data."""
    moment = d.key_moment
    try:
        day = workdays.add_workdays(moment, -working_days)
    except workdays.NoWorkdayData as exc:
        log.warning("no internal deadline for %s: %s", d.id, exc)
        return None
    when = day if not isinstance(moment, dt.datetime) else moment.replace(year=day.year, month=day.month, day=day.day)
    return replace(
        d,
        id=d.id + SUFFIX,
        kind="deadline",
        start=None,
        end=when,
        # A reviewer's title keeps its words, relabelled: 截止：X → 内部截止：X.
        title=f"{INTERNAL_LABEL}截止：{_LEADING_LABEL.sub('', d.title, count=1)}" if d.title else "",
        notes=f"内部截止日期：正式截止（{zh_when(moment)}）前 {working_days} 个工作日。" + (f"\n{d.notes}" if d.notes else ""),
        internal_workdays=None,
        internal_of=d.id,
        history=[],
    )


def with_internal(deadlines: Iterable[Deadline], rules: Sequence[Rule] = ()) -> list[Deadline]:
    """The records plus the internal deadline of each actionable one a rule or its own field asks for."""
    out = list(deadlines)
    for d in list(out):
        if not d.actionable or d.end is None:
            continue
        days = working_days_for(d, rules)
        if days:
            for occurrence in recurrence.occurrences(d):  # each occurrence of a recurring deadline has its own
                derived = internal_deadline(occurrence, days)
                if derived is not None:
                    out.append(replace(derived, internal_of=d.id) if d.repeat else derived)
    return out
