"""New and changed notices into deadlines.toml, through the store's merge, under its writers' lock.

Records from a source that is not ``trusted`` enter as ``candidate`` with
the queue reason 新提取 (from which source): a candidate is never
published, so nothing reaches the feed, the page or the reminders before a
person has confirmed it. A re-extraction keeps such a record held until a
person acts, and the merge sends moved dates of confirmed records back to
the queue (日期有变) as it does for ``extract -o``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import replace

from .. import store
from ..model import Deadline
from ..review.queue import NEW
from .config import Source

_HELD = f"{NEW}：来自"


def held_reason(source: Source) -> str:
    """The queue reason of a record held for review: ``新提取：来自「…」，审核后发布``."""
    return f"{_HELD}「{source.name}」，审核后发布"


def merge_into_store(
    path: str | os.PathLike[str], extracted: list[Deadline], *, scope: Iterable[str], source: Source, now: dt.datetime
) -> store.MergeReport:
    """Merge one source's extractions into ``path``; returns what the merge did."""
    tagged = [replace(d, tags=sorted(set(d.tags) | set(source.tags))) for d in extracted]
    with store.locked(path):
        existing = store.load(path)
        held = {d.id for d in existing if d.status == "candidate" and d.reason.startswith(_HELD)}
        merged, report = store.merge(existing, tagged, now=now, scope=scope)
        added = {d.id for d in report.added}
        for record in merged:
            if record.status != "extracted":
                continue
            if record.id in held:
                record.status = "candidate"  # still waiting for its first review
            elif record.id in added and not source.trusted:
                record.status, record.reason = "candidate", held_reason(source)
        store.save(path, merged)
    return report
