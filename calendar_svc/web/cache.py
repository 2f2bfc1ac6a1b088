"""deadlines.toml as the web app sees it: reloaded only when the file changes.

Calendar apps poll the feed every few minutes, and a feed of thousands of
deadlines takes a moment to build, so the app keeps the last load and the
bodies built from it, keyed on the file's stat (mtime, size, inode): a
changed file (store.save replaces it, so even the inode changes) is picked
up on the next request, and an unchanged one costs one ``os.stat``.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path

from .. import store
from ..errors import CalendarSvcError
from ..model import Deadline
from ..publish import Body  # one body and ETag computation for the server and the static export

#: Bytes of built bodies kept (plain + gzip), least recently used dropped first; the
#: newest body is always kept, however large, so the full feed never rebuilds per request.
MAX_CACHE_BYTES = 64 * 1024 * 1024

StatKey = tuple[int, int, int] | None


@dataclass(frozen=True)
class Snapshot:
    """One loaded version of the data file.

    When the file on disk is broken, ``error`` says why and the deadlines are
    the last good ones (``usable`` is false if there never were any).
    """

    key: StatKey
    deadlines: tuple[Deadline, ...]
    modified: dt.datetime | None
    error: str = ""
    usable: bool = True


class DataFile:
    """The deadlines file behind the app, with a small cache of bodies built from it."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._build_lock = threading.Lock()
        self._snapshot = Snapshot(key=None, deadlines=(), modified=None, error="not loaded yet", usable=False)
        self._loaded = False
        self._bodies: OrderedDict[Hashable, Body] = OrderedDict()
        self.loads = 0

    def snapshot(self) -> Snapshot:
        """The current data; reads the file again only if its stat changed since the last read."""
        key = self._stat()
        with self._lock:
            if self._loaded and key == self._snapshot.key:
                return self._snapshot
        with self._build_lock:
            with self._lock:
                if self._loaded and key == self._snapshot.key:
                    return self._snapshot
            fresh = self._load(key)
            with self._lock:
                self._snapshot = fresh
                self._loaded = True
                self._bodies.clear()
                return fresh

    def body(self, snapshot: Snapshot, name: Hashable, build: Callable[[Snapshot], bytes]) -> Body:
        """The body ``name`` for ``snapshot``, built once per data version."""
        cache_key = (snapshot.key, name)
        with self._lock:
            if cache_key in self._bodies:
                self._bodies.move_to_end(cache_key)
                return self._bodies[cache_key]
        with self._build_lock:
            with self._lock:
                if cache_key in self._bodies:
                    return self._bodies[cache_key]
            made = Body.build(build(snapshot), snapshot.modified)
            with self._lock:
                if snapshot.key == self._snapshot.key:
                    self._bodies[cache_key] = made
                    self._evict()
            return made

    def _evict(self) -> None:
        total = sum(body.size for body in self._bodies.values())
        while total > MAX_CACHE_BYTES and len(self._bodies) > 1:
            _, dropped = self._bodies.popitem(last=False)
            total -= dropped.size

    def _stat(self) -> StatKey:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def _load(self, key: StatKey) -> Snapshot:
        """Read the file; on a bad file keep serving the last good data and say what is wrong."""
        self.loads += 1
        if key is None:
            return Snapshot(key=None, deadlines=(), modified=None)
        modified = dt.datetime.fromtimestamp(key[0] // 1_000_000_000, tz=dt.timezone.utc)
        try:
            deadlines = tuple(store.load(self.path))
        except CalendarSvcError as exc:
            previous = self._snapshot
            return Snapshot(
                key=key,
                deadlines=previous.deadlines,
                modified=previous.modified,
                error=str(exc),
                usable=self._loaded and previous.usable,
            )
        return Snapshot(key=key, deadlines=deadlines, modified=modified)
