"""calendar-svc: deadlines from Chinese policy notices, as a calendar people can trust.

The pipeline, one module a stage: ingest → notices → dates → classify → store,
then feed (iCalendar), web (Flask) and reminders (email).

The public API below is imported on first use, so that a command loads only
what it needs: ``calendar-svc list`` never loads the extractor, and nothing
but the feed loads icalendar. One catch of laziness: once the module
``calendar_svc.extract`` has been imported, ``calendar_svc.extract`` is that
module (Python's import sets it); code that imports both writes
``from calendar_svc.extract import extract``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .extract import Extraction, extract
    from .feed import to_ical
    from .model import Deadline, NoticeRef, Source
    from .store import load, locked, merge, save

#: Public name → the module that defines it.
_PUBLIC = {
    "Deadline": "model",
    "NoticeRef": "model",
    "Source": "model",
    "Extraction": "extract",
    "extract": "extract",
    "load": "store",
    "locked": "store",
    "merge": "store",
    "save": "store",
    "to_ical": "feed",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'calendar_svc' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_PUBLIC[name]}", __name__), name)
    globals()[name] = value  # later look-ups are plain attribute reads
    return value
