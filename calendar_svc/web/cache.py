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
from typing import TypeVar

from .. import store
from ..errors import CalendarSvcError
from ..model import Deadline
from ..publish import Body  # one body and ETag computation for the server and the static export

#: Bytes of built bodies kept (plain + gzip), least recently used dropped first; the
#: newest body is always kept, however large, so the full feed never rebuilds per request.
MAX_CACHE_BYTES = 64 * 1024 * 1024

#: Bodies built at once. A build is CPU-bound Python: under the GIL a second one in parallel builds
#: nothing faster and takes CPU from the event loop's cached answers (bench_web: 304s at 761/s with
#: two, 2 045/s with one, while four clients asked for new variants back to back).
MAX_BUILDS = 1
#: How long a request waits for a free build slot before it is told to come back (503, Retry-After).
BUILD_WAIT = 3.0

StatKey = tuple[int, int, int] | None
T = TypeVar("T")


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


class Busy(CalendarSvcError):
    """Every build slot stayed taken for :data:`BUILD_WAIT` seconds: the client should retry shortly."""


class DataFile:
    """The deadlines file behind the app, with a small cache of bodies built from it."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._build_lock = threading.Lock()
        self._builds = threading.BoundedSemaphore(MAX_BUILDS)
        self._building: dict[Hashable, threading.Lock] = {}
        self._snapshot = Snapshot(key=None, deadlines=(), modified=None, error="not loaded yet", usable=False)
        self._loaded = False
        self._bodies: OrderedDict[Hashable, Body] = OrderedDict()
        self._derived: dict[Hashable, object] = {}
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
                self._derived.clear()
                return fresh

    def derived(self, snapshot: Snapshot, name: Hashable, make: Callable[[tuple[Deadline, ...]], T]) -> T:
        """``make(deadlines)`` computed once per data version (e.g. the page's filter menus)."""
        key = (snapshot.key, name)
        with self._lock:
            if key in self._derived:
                return self._derived[key]  # type: ignore[return-value]
        value = make(snapshot.deadlines)
        with self._lock:
            if snapshot.key == self._snapshot.key:
                self._derived[key] = value
        return value

    def cached(self, name: Hashable, now: dt.datetime | None = None) -> Body | None:
        """The body ``name`` if it is built for the data on disk now; never loads or builds.

        This is the server's fast path: a poll answered from here costs an
        ``os.stat`` and a dictionary look-up.
        """
        key = self._stat()
        with self._lock:
            if not self._loaded or key != self._snapshot.key:
                return None
            body = self._bodies.get((key, name))
        return body if body is not None and body.fresh(now) else None

    def body(
        self,
        snapshot: Snapshot,
        name: Hashable,
        build: Callable[[Snapshot], bytes | Body],
        now: dt.datetime | None = None,
    ) -> Body:
        """The body ``name`` for ``snapshot``, built once per data version (and again once it expires).

        At most :data:`MAX_BUILDS` bodies are built at a time and each name
        once: other requests for the same name wait for that build; past
        :data:`BUILD_WAIT` seconds without a free slot, :class:`Busy`.
        """
        cache_key = (snapshot.key, name)
        with self._lock:
            found = self._bodies.get(cache_key)
            if found is not None and found.fresh(now):
                self._bodies.move_to_end(cache_key)
                return found
            same_name = self._building.setdefault(cache_key, threading.Lock())
        with same_name:
            with self._lock:
                found = self._bodies.get(cache_key)
                if found is not None and found.fresh(now):
                    return found
            try:
                made = self._build(snapshot, build)
                with self._lock:
                    if snapshot.key == self._snapshot.key:
                        self._bodies[cache_key] = made
                        self._evict()
                return made
            finally:
                with self._lock:
                    self._building.pop(cache_key, None)

    def _build(self, snapshot: Snapshot, build: Callable[[Snapshot], bytes | Body]) -> Body:
        if not self._builds.acquire(timeout=BUILD_WAIT):
            raise Busy("every build slot is taken; retry shortly")
        try:
            built = build(snapshot)
        finally:
            self._builds.release()
        return built if isinstance(built, Body) else Body.build(built, snapshot.modified)

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
