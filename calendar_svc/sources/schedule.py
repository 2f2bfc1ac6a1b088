"""The watching job: APScheduler runs a due-check of the sources every minute, in ``serve`` or ``watch``.

Each tick checks the sources whose ``every`` has passed (claimed in the
database, so several workers share them), re-reads sources.toml when it
changed, and sends the reviewers' digest when it is due. Nothing a tick
meets stops the scheduler: it is logged, and the next tick tries again.
"""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Callable

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.schedulers.base import BaseScheduler

from ..errors import CalendarSvcError
from .config import load_sources
from .watch import Watcher

log = logging.getLogger("calendar_svc.sources")

JOB_ID = "calendar-svc-sources"
TICK_SECONDS = 60
#: Printed on stderr by ``watch`` once it runs: a supervisor (or a test) may stop it from then on.
READY = "calendar-svc：开始按计划监视来源"


class Job:
    """One tick's work: open the watcher (until it opens), reload sources.toml if it changed, check what is due, the digest.

    ``make`` opens the watcher; while it cannot (the database is down, sources.toml is broken) each tick says
    why in the log and tries again, and the feed, the page and the reminders are served meanwhile.
    """

    def __init__(self, make: Callable[[], Watcher], sources_file, digest: Callable[[Watcher], object] | None = None) -> None:
        self.make = make
        self.watcher: Watcher | None = None
        self.sources_file = sources_file
        self.digest = digest
        self._mtime = _mtime(sources_file)
        self._problem = ""

    def tick(self) -> None:
        if not self._opened():
            return
        try:
            mtime = _mtime(self.sources_file)
            if mtime != self._mtime:
                self.watcher.set_sources(load_sources(self.sources_file))
                self._mtime = mtime
                log.info("event=sources-reloaded file=%s count=%d", self.sources_file, len(self.watcher.sources))
        except CalendarSvcError as exc:
            log.error("event=sources-file-broken error=%s (the sources read before are still watched)", exc)
        try:
            self.watcher.run(due_only=True)
        except Exception:
            log.exception("event=sources-tick-failed")
        if self.digest is not None:
            try:
                self.digest(self.watcher)
            except Exception:
                log.exception("event=digest-failed")

    def _opened(self) -> bool:
        if self.watcher is not None:
            return True
        try:
            self._mtime = _mtime(self.sources_file)
            self.watcher = self.make()
        except CalendarSvcError as exc:
            if str(exc) != self._problem:  # once per problem, not once a minute
                log.error("event=sources-unavailable error=%s retry_in=%ss", exc, TICK_SECONDS)
                self._problem = str(exc)
            return False
        log.info("event=sources-watching file=%s count=%d", self.sources_file, len(self.watcher.sources))
        return True


def _mtime(path) -> float | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def _add(scheduler: BaseScheduler, job: Job) -> None:
    from datetime import datetime, timezone

    scheduler.add_job(job.tick, "interval", seconds=TICK_SECONDS, next_run_time=datetime.now(timezone.utc), id=JOB_ID,
                      max_instances=1, coalesce=True, misfire_grace_time=None)


class Background:
    """The watching job beside the web server in ``serve``; :meth:`stop` waits for a check in progress."""

    def __init__(self, job: Job) -> None:
        self.scheduler = BackgroundScheduler(timezone="Asia/Shanghai")
        _add(self.scheduler, job)

    def start(self) -> "Background":
        self.scheduler.start()
        return self

    def stop(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)


def run_forever(job: Job, *, ready: Callable[[], None] = lambda: None) -> None:
    """For ``watch``: blocks until SIGTERM or Ctrl-C."""
    scheduler = BlockingScheduler(timezone="Asia/Shanghai")
    _add(scheduler, job)

    def stop(signum: int, frame: object) -> None:
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    ready()
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        scheduler.shutdown(wait=True)
