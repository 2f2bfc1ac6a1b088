"""What needs a person, and why: the review queue.

A record is in the queue while nobody has vouched for it: a new
extraction, a candidate the extractor was unsure of, or a record the last
merge flagged (its date changed after it was confirmed, the source moved
under a human-corrected date, it vanished from its source). 确认 or 隐藏
takes it out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from ..doubts import rank_of
from ..model import Deadline, zh_dates

#: Queue reasons, in the order their counts are shown.
NEW = "新提取"
CANDIDATE = "候选"
REASONS = (CANDIDATE, "日期有变", "原文日期有变", "已从原文消失", NEW)


@dataclass(frozen=True)
class Item:
    """One record waiting for a person: the reason (one of :data:`REASONS`) and its details."""

    record: Deadline
    reason: str
    detail: str


def item_for(record: Deadline) -> Item | None:
    """The queue item for ``record``, or None when nobody needs to look at it."""
    if record.status == "hidden" or record.internal_of:  # an internal deadline follows its official record
        return None
    if record.reason:
        head, _, detail = record.reason.partition("：")
        return Item(record, head, zh_dates(detail))
    if record.status == "candidate":
        return Item(record, CANDIDATE, record.doubt or record.year_guess)
    if record.status == "extracted":
        return Item(record, NEW, record.year_guess)
    return None


def review_queue(records: Iterable[Deadline]) -> list[Item]:
    """The records that need a person, soonest first; on one moment the likeliest candidate first."""
    items = [item for item in map(item_for, records) if item is not None]
    items.sort(key=lambda item: (_soonest(item.record), _rank(item.record), item.record.id))
    return items


def _rank(record: Deadline) -> int:
    """A candidate's rank by its reason (doubts.py: 1 the likeliest); other records come first."""
    return rank_of(record.doubt) if record.status == "candidate" else 0


def _soonest(record: Deadline) -> object:
    """A record waiting with new dates is as urgent as the earlier of its two."""
    if not record.pending:
        return record.due
    waiting = replace(record, start=record.pending_start, end=record.pending_end)
    return min(record.due, waiting.due)


def counts(items: Iterable[Item]) -> dict[str, int]:
    """How many items each reason has, in :data:`REASONS` order (unknown reasons last)."""
    counted = Counter(item.reason for item in items)
    order = [r for r in REASONS if counted[r]] + sorted(r for r in counted if r not in REASONS)
    return {reason: counted[reason] for reason in order}
