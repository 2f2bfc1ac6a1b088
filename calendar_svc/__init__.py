"""calendar-svc: deadlines from Chinese policy notices, as a calendar people can trust.

The pipeline, one module a stage: ingest → notices → dates → classify → store,
then feed (iCalendar), web (Flask) and reminders (email).
"""

from .extract import Extraction, extract
from .feed import to_ical
from .model import Deadline, NoticeRef, Source
from .store import load, merge, save

__all__ = ["Deadline", "Extraction", "NoticeRef", "Source", "extract", "load", "merge", "save", "to_ical"]
