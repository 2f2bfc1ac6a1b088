"""APScheduler wiring: the due-check every ``check_interval`` seconds, and once at start-up.

The first run happens immediately, which is what sends reminders that fell
due while the service was down. ``max_instances=1`` and ``coalesce`` keep a
slow SMTP server from piling up overlapping checks.

APScheduler keeps the next run as a wall-clock time: after the clock is set
back three hours it would wait three hours. :class:`ClockGuard` watches on the
monotonic clock and pulls the next check back whenever it lies further ahead
than one interval can, so no wall-clock jump stops the checks.
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import sys
import threading
from collections.abc import Callable

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from sqlalchemy.exc import SQLAlchemyError

from ..errors import CalendarSvcError
from .. import db
from .delivery import log_event
from .models import SENT
from .service import Reminders

log = logging.getLogger("calendar_svc.reminders")

JOB_ID = "calendar-svc-reminders"
OUTBOX_JOB_ID = "calendar-svc-outbox"
#: Printed on stderr by ``worker`` once its signal handler is in place: a supervisor (or a test) may stop it from then on.
READY = "calendar-svc：worker 已就绪"


def tick(service: Reminders, first: list[bool] | None = None) -> None:
    """One due-check, then the queued mails and housekeeping; an error is logged and the next tick tries again."""
    try:
        report = service.check()
    except CalendarSvcError as exc:
        log.error("event=check-failed error=%s", exc)
    except SQLAlchemyError as exc:  # the database went away: one line a tick until it is back
        log.error("event=check-failed error=%s", db.unreachable(exc, service.engine))
    except Exception:
        log.exception("event=check-failed")
    else:
        if first:  # the catch-up check after a start: say so once (supervisors and tests wait on it)
            first.clear()
            log_event("caught-up", at=report.at, due=report.due, sent=report.count(SENT))
    send_queued(service)
    try:
        service.expire_pending()
    except SQLAlchemyError:
        pass  # reported by the check above
    except Exception:
        log.exception("event=expire-failed")


def send_queued(service: Reminders) -> None:
    """The queued confirmation mails; a failure is logged, the rows stay queued."""
    try:
        service.send_queued()
    except CalendarSvcError as exc:
        log.error("event=outbox-failed error=%s", exc)
    except SQLAlchemyError as exc:
        log.error("event=outbox-failed error=%s", db.unreachable(exc, service.engine))
    except Exception:
        log.exception("event=outbox-failed")


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class ClockGuard:
    """Keeps the next due-check at most one interval (plus ``slack``) away from the wall clock's now."""

    def __init__(self, scheduler: BaseScheduler, interval: float, *, now: Callable[[], dt.datetime] = _utc_now, slack: float = 5.0) -> None:
        self.scheduler = scheduler
        self.interval = dt.timedelta(seconds=interval)
        self.slack = dt.timedelta(seconds=slack)
        self.now = now
        self._stop = threading.Event()

    def check(self) -> bool:
        """Pull the job back if the clock jumped back; ``True`` when it did."""
        job = self.scheduler.get_job(JOB_ID)
        if job is None or job.next_run_time is None:
            return False
        now = self.now()
        ahead = job.next_run_time - now
        if ahead <= self.interval + self.slack:
            return False
        log.warning("event=clock-jump next_check_was=%s now=%s action=checking-now", job.next_run_time.isoformat(), now.isoformat())
        job.modify(next_run_time=now)
        return True

    def start(self) -> None:
        """Check every half interval on the monotonic clock (Event.wait), which a wall-clock jump does not move."""

        def watch() -> None:
            while not self._stop.wait(self.interval.total_seconds() / 2):
                try:
                    self.check()
                except Exception:  # the guard must never take the worker down
                    log.exception("event=clock-guard-failed")

        threading.Thread(target=watch, name="calendar-svc-clock-guard", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()


def _add_job(scheduler: BaseScheduler, service: Reminders) -> ClockGuard:
    scheduler.add_job(
        tick,
        "interval",
        args=[service, [True]],
        seconds=service.settings.check_interval,
        next_run_time=_utc_now(),
        id=JOB_ID,
        max_instances=1,
        coalesce=True,
        misfire_grace_time=None,
    )
    return ClockGuard(scheduler, service.settings.check_interval)


class Background:
    """The scheduler ``serve`` runs beside the web server, with its guard; :meth:`stop` is prompt."""

    def __init__(self, service: Reminders) -> None:
        self.service = service
        self.scheduler = BackgroundScheduler(timezone="Asia/Shanghai")
        self.guard = _add_job(self.scheduler, service)
        service.on_queued = self.wake_mailer

    def wake_mailer(self) -> None:
        """Send a mail the page just queued now, in the scheduler's threads, not at the next check."""
        if self.scheduler.running:
            self.scheduler.add_job(send_queued, args=[self.service], id=OUTBOX_JOB_ID, replace_existing=True, misfire_grace_time=None)

    def start(self) -> Background:
        self.scheduler.start()
        self.guard.start()
        return self

    def stop(self) -> None:
        """Ask a running check to stop after its current message (cut if it hangs), then wait for it."""
        self.guard.stop()
        self.service.stop()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)


class Standby:
    """For ``serve``: the reminders start once their database can be opened, retrying every ``retry`` seconds.

    The feed and the page never depend on the reminders database: while it is
    down they are served as usual, ``report`` (``/healthz``) and the log say
    why reminders are not running, and the subscribe form answers 503.
    """

    def __init__(
        self, make: Callable[[], Reminders], ready: Callable[[Reminders], None], report: Callable[[str], None], retry: float
    ) -> None:
        self.make, self.ready, self.report, self.retry = make, ready, report, retry
        self.background: Background | None = None
        self._stop = threading.Event()

    def start(self) -> Standby:
        if not self._attempt():
            threading.Thread(target=self._keep_trying, name="calendar-svc-reminders-standby", daemon=True).start()
        return self

    def _attempt(self) -> bool:
        try:
            service = self.make()
        except CalendarSvcError as exc:
            self.report(str(exc))
            log.error("event=reminders-unavailable error=%s retry_in=%ss (the feed and page are served meanwhile)", exc, int(self.retry))
            return False
        self.ready(service)
        self.background = Background(service).start()
        self.report("")
        log_event("reminders-started")
        return True

    def _keep_trying(self) -> None:
        while not self._stop.wait(self.retry):
            if self._attempt():
                return

    def stop(self) -> None:
        self._stop.set()
        if self.background is not None:
            self.background.stop()


def start_background(service: Reminders) -> Background:
    """For ``serve``: the scheduler runs in a thread beside the web server."""
    return Background(service).start()


def run_forever(service: Reminders, *, ready: Callable[[], None] = lambda: None) -> None:
    """For ``worker``: blocks until SIGTERM or Ctrl-C, which stop it promptly.

    A check in progress stops claiming, and a hanging SMTP exchange is cut
    (its reminder becomes a retry), so stopping takes about a second, not
    one SMTP timeout per message. ``ready`` runs once the handlers are set.
    """
    scheduler = BlockingScheduler(timezone="Asia/Shanghai")
    guard = _add_job(scheduler, service)

    def stop(signum: int, frame: object) -> None:
        service.stop()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    guard.start()
    ready()
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        service.stop()
        guard.stop()
        scheduler.shutdown(wait=True)
