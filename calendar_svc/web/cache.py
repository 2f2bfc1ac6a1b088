"""The bodies the web app builds from deadlines.toml, kept until the file changes.

Calendar apps poll the feed every few minutes, and a feed of thousands of
deadlines takes a moment to build, so the app keeps the bodies built from
each version of the file. The file itself comes from the process's shared
live loader (:func:`calendar_svc.datafile.shared`), which parses it once per
change for the page and the reminder scheduler alike.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import TypeVar

from .. import datafile
from ..datafile import Snapshot
from ..errors import CalendarSvcError
from ..internal import Rule
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

T = TypeVar("T")

__all__ = ["BUILD_WAIT", "MAX_BUILDS", "MAX_CACHE_BYTES", "Busy", "DataFile", "Snapshot"]


class Busy(CalendarSvcError):
    """Every build slot stayed taken for :data:`BUILD_WAIT` seconds: the client should retry shortly."""


class DataFile:
    """The deadlines file behind the app, with a small cache of bodies built from it."""

    def __init__(self, path: str | os.PathLike[str], internal_rules: Sequence[Rule] = ()) -> None:
        self.source = datafile.shared(path, internal_rules)
        self.path = Path(path)
        self.internal_rules = tuple(internal_rules)
        self._lock = threading.Lock()
        self._builds = threading.BoundedSemaphore(MAX_BUILDS)
        self._building: dict[Hashable, threading.Lock] = {}
        self._snapshot: Snapshot | None = None
        self._bodies: OrderedDict[Hashable, Body] = OrderedDict()
        self._derived: dict[Hashable, object] = {}

    @property
    def loads(self) -> int:
        """How many times the file was parsed (once per change)."""
        return self.source.loads

    def snapshot(self) -> Snapshot:
        """The current data (parsed again only when the file changed); bodies of older data are dropped."""
        fresh = self.source.snapshot()
        with self._lock:
            if fresh is not self._snapshot:
                self._snapshot = fresh
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
            if self._snapshot is not None and snapshot.key == self._snapshot.key:
                self._derived[key] = value
        return value

    def cached(self, name: Hashable, now: dt.datetime | None = None) -> Body | None:
        """The body ``name`` if it is built for the data on disk now; never loads or builds.

        This is the server's fast path: a poll answered from here costs an
        ``os.stat`` and a dictionary look-up.
        """
        key = datafile.stat_key(self.path)
        with self._lock:
            if self._snapshot is None or key != self._snapshot.key:
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
                    if self._snapshot is not None and snapshot.key == self._snapshot.key:
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
