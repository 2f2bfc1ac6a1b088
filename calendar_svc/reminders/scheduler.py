"""APScheduler wiring: the due-check every ``check_interval`` seconds, and once at start-up.

The first run happens immediately, which is what sends reminders that fell
due while the service was down. ``max_instances=1`` and ``coalesce`` keep a
slow SMTP server from piling up overlapping checks.
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import sys

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from ..errors import CalendarSvcError
from .service import Reminders

log = logging.getLogger("calendar_svc.reminders")


def tick(service: Reminders) -> None:
    """One due-check; an error is logged and the next tick tries again (nothing is lost meanwhile)."""
    try:
        service.check()
    except CalendarSvcError as exc:
        log.error("event=check-failed error=%s", exc)
    except Exception:
        log.exception("event=check-failed")


def _add_job(scheduler: BaseScheduler, service: Reminders) -> None:
    scheduler.add_job(
        tick,
        "interval",
        args=[service],
        seconds=service.settings.check_interval,
        next_run_time=dt.datetime.now(dt.UTC),
        id="calendar-svc-reminders",
        max_instances=1,
        coalesce=True,
        misfire_grace_time=None,
    )


def _exit(signum: int, frame: object) -> None:
    sys.exit(0)


def start_background(service: Reminders) -> BackgroundScheduler:
    """For ``serve``: the scheduler runs in a thread beside the web server."""
    scheduler = BackgroundScheduler(timezone="Asia/Shanghai")
    _add_job(scheduler, service)
    scheduler.start()
    return scheduler


def run_forever(service: Reminders) -> None:
    """For ``worker``: blocks until interrupted; SIGTERM lets a running check finish first."""
    scheduler = BlockingScheduler(timezone="Asia/Shanghai")
    _add_job(scheduler, service)
    signal.signal(signal.SIGTERM, _exit)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        scheduler.shutdown(wait=True)
