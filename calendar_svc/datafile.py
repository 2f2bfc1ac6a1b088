"""deadlines.toml as a running service sees it: parsed once per change, shared by the page and the scheduler.

``serve`` runs the web page and the reminder scheduler in one process; both
take the file from :func:`shared`, so each change is parsed once. A change is
seen through the file's stat (mtime, size, inode): :func:`store.save` replaces
the file, so even the inode changes, and an unchanged file costs one
``os.stat``.

A running service never gives up what it has because of the file on disk.
When the file is broken, missing or empty, the last good data stays in use
and the snapshot's ``error`` says what is wrong (``usable`` is false while
there never was good data). Missing and empty count as broken: an empty
feed makes every subscribed calendar delete its events, and an empty
schedule cancels pending reminders.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from . import recurrence, store
from .errors import CalendarSvcError
from .internal import Rule, with_internal
from .model import Deadline

log = logging.getLogger("calendar_svc.datafile")

#: The file's (mtime_ns, size, inode); None while it does not exist.
StatKey = tuple[int, int, int] | None


class DataFileError(CalendarSvcError):
    """The deadlines file gave no good data yet (broken, missing or empty since start-up)."""


@dataclass(frozen=True)
class Snapshot:
    """One version of the data file as the service uses it.

    When the file on disk is broken, missing or empty, ``error`` says why and
    the deadlines are the last good ones (``usable`` is false if there never
    were any).
    """

    key: StatKey
    deadlines: tuple[Deadline, ...]
    modified: dt.datetime | None
    error: str = ""
    usable: bool = True

    @cached_property
    def occurrences(self) -> tuple[Deadline, ...]:
        """The deadlines with each recurring one as its occurrences (what reminders schedule), made once per version."""
        return tuple(recurrence.expanded(self.deadlines))


def stat_key(path: Path) -> StatKey:
    """What tells one version of the file from the next, for the price of one ``os.stat``."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def missing_message(path: Path) -> str:
    return f"{path}: 截止日期文件不存在（被删除或移走了？）；可用 calendar-svc extract 通知.txt -o {path} 生成"


class DataFile:
    """The deadlines file of a running service, loaded again only when it changes."""

    def __init__(self, path: str | os.PathLike[str], internal_rules: Sequence[Rule] = ()) -> None:
        self.path = Path(path)
        #: ``[[internal]]`` rules: each load adds the internal deadlines they (and records' own fields) ask for.
        self.internal_rules = tuple(internal_rules)
        self._lock = threading.Lock()
        self._snapshot = Snapshot(key=None, deadlines=(), modified=None, error="尚未读取", usable=False)
        self._loaded = False
        #: How many times the file was parsed (for tests and benchmarks: once per change).
        self.loads = 0

    def snapshot(self) -> Snapshot:
        """The current data; reads the file again only if its stat changed since the last read."""
        key = stat_key(self.path)
        current = self._snapshot
        if self._loaded and key == current.key:
            return current
        with self._lock:  # one parse per change, however many threads ask at once
            if self._loaded and key == self._snapshot.key:
                return self._snapshot
            self._snapshot = self._load(key)
            self._loaded = True
            return self._snapshot

    def load(self) -> list[Deadline]:
        """The deadlines to act on: the last good ones while the file is broken.

        Raises :class:`DataFileError` when there never was good data, so a
        caller (the scheduler, a CLI command) reports it instead of acting on
        an empty calendar.
        """
        snapshot = self.snapshot()
        if not snapshot.usable:
            raise DataFileError(snapshot.error)
        return list(snapshot.deadlines)

    def _load(self, key: StatKey) -> Snapshot:
        self.loads += 1
        if key is None:
            return self._broken(key, missing_message(self.path))
        try:
            deadlines = tuple(with_internal(store.load(self.path), self.internal_rules))
        except CalendarSvcError as exc:
            return self._broken(key, str(exc))
        except Exception as exc:  # noqa: BLE001 - whatever went wrong, the service keeps its last good data
            log.exception("event=deadlines-unreadable file=%s", self.path)
            return self._broken(key, f"{self.path}: 无法读取（{type(exc).__name__}: {exc}）")
        if not deadlines:
            return self._broken(key, f"{self.path}: 截止日期文件是空的（被截断了？）；请恢复它，或重新提取到它里面")
        modified = dt.datetime.fromtimestamp(key[0] // 1_000_000_000, tz=dt.timezone.utc)
        return Snapshot(key=key, deadlines=deadlines, modified=modified)

    def _broken(self, key: StatKey, error: str) -> Snapshot:
        previous = self._snapshot
        usable = self._loaded and previous.usable
        using = "last good copy" if usable else "nothing"
        log.error("event=deadlines-unreadable error=%s using=%s", _quote(error), _quote(using))
        return Snapshot(key=key, deadlines=previous.deadlines, modified=previous.modified, error=error, usable=usable)


def _quote(text: str) -> str:
    return f'"{text}"' if " " in text else text


_SHARED: weakref.WeakValueDictionary[tuple[Path, tuple[Rule, ...]], DataFile] = weakref.WeakValueDictionary()
_SHARED_LOCK = threading.Lock()


def shared(path: str | os.PathLike[str], internal_rules: Sequence[Rule] = ()) -> DataFile:
    """This process's :class:`DataFile` for ``path`` and these rules: the page and the scheduler get the same one."""
    where = (Path(os.path.abspath(path)), tuple(internal_rules))
    with _SHARED_LOCK:
        found = _SHARED.get(where)
        if found is None:
            found = _SHARED[where] = DataFile(path, internal_rules)
        return found
