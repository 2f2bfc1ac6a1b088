"""Watched sources: 通知公告 list pages and feeds checked on a schedule, new notices queued for review.

The pipeline, one module a step: ``config`` (sources.toml), ``polite``
(robots.txt, per-host rate limit, conditional GET), ``listing`` and
``feeds`` (the notice links on a list page or in a feed), ``ledger`` and
``tables`` (claims and seen notices in the database), ``watch`` (one check:
list → read → extract), ``queueing`` (merge into deadlines.toml, held for
review), ``digest`` (the reviewers' daily email), ``schedule`` (the job in
``serve``), ``service`` (opening it all from the settings).
"""

from .config import Source, add_source, load_sources, parse_every
from .service import SourceRow, open_watcher, source_rows, user_agent
from .watch import CheckReport, Watcher

__all__ = [
    "CheckReport", "Source", "SourceRow", "Watcher", "add_source", "load_sources", "open_watcher", "parse_every",
    "source_rows", "user_agent",
]
