"""calendar-svc: deadlines from Chinese policy notices, as a calendar people can trust."""

from .model import Deadline, NoticeRef, Source
from .store import load, merge, save

__all__ = ["Deadline", "NoticeRef", "Source", "load", "merge", "save"]
