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
from dataclasses import dataclass

from ..model import Deadline

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
    if record.status == "hidden":
        return None
    if record.reason:
        head, _, detail = record.reason.partition("：")
        return Item(record, head, detail)
    if record.status == "candidate":
        return Item(record, CANDIDATE, record.doubt or record.year_guess)
    if record.status == "extracted":
        return Item(record, NEW, record.year_guess)
    return None


def review_queue(records: Iterable[Deadline]) -> list[Item]:
    """The records that need a person, soonest first."""
    items = [item for item in map(item_for, records) if item is not None]
    items.sort(key=lambda item: (item.record.due, item.record.id))
    return items


def counts(items: Iterable[Item]) -> dict[str, int]:
    """How many items each reason has, in :data:`REASONS` order (unknown reasons last)."""
    counted = Counter(item.reason for item in items)
    order = [r for r in REASONS if counted[r]] + sorted(r for r in counted if r not in REASONS)
    return {reason: counted[reason] for reason in order}
