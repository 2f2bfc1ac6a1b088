"""Review actions on deadlines.toml: confirm, hide, change dates, recurrence, title, tags, note.

Each action runs under the store's writers' lock around read-change-write,
so it never loses a concurrent ``extract -o`` merge, and is written into
the record's history with who and when. A reviewer who acted on what they
saw passes the record's :func:`version`; if someone changed the record
meanwhile the action is refused with :class:`Conflict` instead of
silently overwriting the other person's work.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass, replace

from .. import recurrence, store
from ..errors import CalendarSvcError
from ..internal import MAX_INTERNAL_WORKDAYS
from ..model import SHANGHAI, STATUS_NAMES, Deadline, When, as_datetime, iso, zh_dates, zh_when


class ReviewError(CalendarSvcError):
    """An action that cannot be done as asked (unknown id, bad dates)."""


class Conflict(ReviewError):
    """The record changed since the reviewer saw it."""


#: The statuses a person may set.
REVIEW_STATUSES = ("confirmed", "hidden")

#: ``Change(internal_workdays=FOLLOW_RULES)``: the record's internal deadline follows the ``[[internal]]`` rules again.
FOLLOW_RULES = -1


@dataclass(frozen=True)
class Change:
    """What a reviewer asks for; None leaves a field as it is."""

    status: str | None = None
    title: str | None = None
    tags: tuple[str, ...] | None = None
    note: str | None = None
    start: When | None = None
    end: When | None = None
    #: Working days before the official deadline for this record's internal one: 0 none,
    #: :data:`FOLLOW_RULES` back to the ``[[internal]]`` rules.
    internal_workdays: int | None = None
    #: The last day a recurring deadline recurs (its rule's UNTIL); on a one-date deadline, it
    #: recurs monthly on its day until then. ``no_repeat`` makes it one date again.
    repeat_until: dt.date | None = None
    no_repeat: bool = False

    @property
    def dates(self) -> bool:
        return self.start is not None or self.end is not None

    @property
    def timing(self) -> bool:
        """The dates or the recurrence change: a person's timing, which re-extraction then keeps."""
        return self.dates or self.repeat_until is not None or self.no_repeat


def version(record: Deadline) -> str:
    """A short fingerprint of everything in the record: it changes whenever anyone changes it."""
    return hashlib.sha256(repr(record).encode("utf-8")).hexdigest()[:16]


def apply(
    path: str | os.PathLike[str],
    record_id: str,
    change: Change,
    *,
    who: str,
    now: dt.datetime,
    expect: str | None = None,
) -> Deadline:
    """Apply ``change`` to record ``record_id`` in ``path`` and save; returns the record as saved.

    ``expect`` is the :func:`version` the reviewer saw; a different one
    raises :class:`Conflict` and writes nothing.
    """
    with store.locked(path):
        records = store.load(path)
        index = next((i for i, d in enumerate(records) if d.id == record_id), None)
        if index is None:
            raise ReviewError(f"{path}: 没有编号为 {record_id} 的记录")
        current = records[index]
        if expect is not None and version(current) != expect:
            raise Conflict(f"记录 {record_id} 已被他人修改（{zh_dates(_last(current))}），您的操作未保存；请刷新后再看")
        records[index] = edit(current, change, who=who, now=now)
        store.save(path, records)
    return records[index]


def edit(record: Deadline, change: Change, *, who: str, now: dt.datetime) -> Deadline:
    """``record`` with ``change`` applied and logged (pure: no I/O)."""
    if change.status is not None and change.status not in REVIEW_STATUSES:
        raise ReviewError(f"状态只能设为 {' 或 '.join(REVIEW_STATUSES)}，不是 {change.status!r}")
    done: list[str] = []
    updated = replace(record, tags=list(record.tags), history=list(record.history))
    if change.dates:
        updated = _with_dates(updated, change)
        done.append(f"改日期 {store.span(record)} → {store.span(updated)}")
    elif change.status == "confirmed" and record.pending:
        updated = _take_pending(updated)
        done.append(f"确认新日期 {store.span(record)} → {store.span(updated)}")
    if change.repeat_until is not None or change.no_repeat:
        repeat = "" if change.no_repeat else _repeat_until(updated, change.repeat_until)
        if repeat != record.repeat:
            updated = _with_repeat(updated, repeat, record)
            done.append(_repeat_done(record, updated))
    if change.timing or change.status is not None:
        updated.pending_start = updated.pending_end = None  # a person decided: nothing waits any more
        updated.pending_quote = ""
    if record.status == "confirmed" and store.span(updated) != store.span(record) and change.status != "hidden":
        # A confirmed deadline moved, vouched by a person: subscribers get one 截止日期变更 email.
        updated.moved_from, updated.moved_at = store.span(record), now
    if change.title is not None and change.title != record.title:
        updated.title = change.title.strip()
        done.append(f"改标题为「{updated.title}」" if updated.title else "恢复自动标题")
    if change.tags is not None and list(change.tags) != record.tags:
        updated.tags = [t.strip() for t in change.tags if t.strip()]
        done.append(f"标签 {'、'.join(updated.tags) or '（无）'}")
    if change.internal_workdays is not None:
        wanted = None if change.internal_workdays == FOLLOW_RULES else change.internal_workdays
        if wanted is not None and not 0 <= wanted <= MAX_INTERNAL_WORKDAYS:
            raise ReviewError(f"内部截止须为正式截止前 0–{MAX_INTERNAL_WORKDAYS} 个工作日，不是 {wanted}")
        if wanted != record.internal_workdays:
            updated.internal_workdays = wanted
            done.append("内部截止按规则" if wanted is None else "不设内部截止" if wanted == 0 else f"内部截止为正式截止前 {wanted} 个工作日")
    if change.note is not None and change.note != record.notes:
        updated.notes = change.note.strip()
        done.append("改备注")
    if change.status is not None:
        updated.status = change.status
        updated.reason = ""  # a person has looked: out of the queue
        if not (change.status == "confirmed" and done and done[-1].startswith("确认新日期")):
            done.append("确认" if change.status == "confirmed" else "隐藏")
    if not done:
        return record
    stamp = now.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    updated.history.append(f"{stamp} {who}：{'；'.join(done)}")
    updated.updated = now
    return updated


def _with_dates(record: Deadline, change: Change) -> Deadline:
    """New dates, kept as a human edit: re-extraction will show the source's beside them, not apply them."""
    start = change.start if change.start is not None else record.start
    end = change.end if change.end is not None else record.end
    all_day = not isinstance(change.end if change.end is not None else change.start, dt.datetime)
    if all_day:
        start = start.date() if isinstance(start, dt.datetime) else start
        end = end.date() if isinstance(end, dt.datetime) else end
    else:
        start = start if start is None or isinstance(start, dt.datetime) else _at_midnight(start)
        end = end if end is None or isinstance(end, dt.datetime) else _at_midnight(end)
    if start is not None and end is not None and as_datetime(start) > as_datetime(end):
        raise ReviewError(f"开始日期晚于截止日期（{iso(start)} > {iso(end)}）")
    return replace(
        record,
        start=start,
        end=end,
        all_day=all_day,
        human_dates=True,
        source_dates=record.source_dates if record.human_dates else store.span(record),
        revision=record.revision + 1,  # calendars update the event
    )


def repeat_text(record: Deadline) -> str:
    """``每月15日，至2026年6月30日`` or ``不重复``: a record's recurrence as the history and the page say it."""
    if not record.repeat:
        return "不重复"
    rule = recurrence.parse(record.repeat)
    end = f"至{zh_when(rule.until, weekday=False)}" if rule.until else f"共 {rule.count} 次"
    return f"{rule.zh}，{end}"


def _repeat_done(before: Deadline, after: Deadline) -> str:
    if not before.repeat:
        return f"设为重复：{repeat_text(after)}"
    if not after.repeat:
        return f"改为不重复（原为{repeat_text(before)}）"
    return f"改重复 {repeat_text(before)} → {repeat_text(after)}"


def _repeat_until(record: Deadline, until: dt.date) -> str:
    """The record's rule running until ``until``; a one-date deadline recurs monthly on its day."""
    if record.kind != "deadline" or record.start is not None or record.end is None:
        raise ReviewError("只有截止日期（没有开始日期）可以设为重复")
    rule = recurrence.parse(record.repeat) if record.repeat else recurrence.Rule("MONTHLY", as_datetime(record.end).day)
    return replace(rule, until=until, count=None).text()


def _with_repeat(record: Deadline, repeat: str, before: Deadline) -> Deadline:
    """A new recurrence, kept as a human edit like corrected dates (re-extraction shows the source's beside it)."""
    changed = replace(
        record,
        repeat=repeat,
        human_dates=True,
        source_dates=record.source_dates if record.human_dates else store.span(before),
        revision=max(record.revision, before.revision + 1),  # calendars update the event, once per action
    )
    if repeat:
        until, first = recurrence.parse(repeat).until, as_datetime(changed.key_moment).date()
        if until is not None and until < first:
            raise ReviewError(f"重复的止期（{zh_when(until, weekday=False)}）早于第一次截止（{zh_when(first, weekday=False)}）")
        try:
            recurrence.check(changed)
        except recurrence.RuleError as exc:
            raise ReviewError(f"重复规则不成立：{exc}") from None
    return changed


def _take_pending(record: Deadline) -> Deadline:
    """The dates a re-extraction found, with their sentence, as the record's own (calendars update the event)."""
    start, end = record.pending_start, record.pending_end
    return replace(
        record,
        start=start,
        end=end,
        all_day=not isinstance(end if end is not None else start, dt.datetime),
        quote=record.pending_quote or record.quote,
        revision=record.revision + 1,
    )


def _at_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=SHANGHAI)


def _last(record: Deadline) -> str:
    return record.history[-1] if record.history else f"现为{STATUS_NAMES.get(record.status, record.status)}"
