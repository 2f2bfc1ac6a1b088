"""APScheduler wiring: `worker` and `serve` check at start-up (catch-up) and keep checking."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests
from reminders_support import deadline, free_port, make_settings, save, smtp  # noqa: F401

from calendar_svc.filters import Filters
from calendar_svc.model import SHANGHAI
from calendar_svc.offsets import parse_offsets
from calendar_svc.reminders.scheduler import JOB_ID, READY, ClockGuard, start_background
from calendar_svc.reminders.service import Reminders

ALICE = "alice@example.edu"


def env_for(tmp_path: Path, smtp_url: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "CALENDAR_SVC_CONFIG": str(tmp_path / "calendar-svc.toml"),
        "CALENDAR_SVC_DEADLINES": str(tmp_path / "deadlines.toml"),
        "CALENDAR_SVC_DATABASE_URL": f"sqlite:///{tmp_path / 'reminders.sqlite3'}",
        "CALENDAR_SVC_SMTP_URL": smtp_url,
        "CALENDAR_SVC_SECRET_KEY": "test-secret",
    }


def missed_reminder(tmp_path: Path, smtp_url: str) -> Reminders:
    """A timed deadline in an hour and a subscriber (since yesterday) whose 2h reminder was missed."""
    settings = make_settings(tmp_path, smtp_url)
    now = dt.datetime.now(SHANGHAI).replace(second=0, microsecond=0)
    save(settings, deadline("soon", now + dt.timedelta(hours=1)))
    svc = Reminders(settings, now=lambda: now - dt.timedelta(days=1))
    svc.subscribe(ALICE, Filters(), parse_offsets("2h"))
    return svc


class Process:
    """A CLI process whose stderr is read as it comes, so a test waits on what it prints, never on a fixed sleep."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.popen = subprocess.Popen(args, env=env, stderr=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.popen.stderr is not None
        for line in self.popen.stderr:
            self.lines.append(line)

    def wait_for_line(self, text: str, seconds: float = 30.0) -> bool:
        return wait_for(lambda: any(text in line for line in self.lines) or self.popen.poll() is not None, seconds) and any(
            text in line for line in self.lines
        )

    def stop(self, signum: int, seconds: float = 20.0) -> str:
        """Signal it and wait (bounded) for it to exit; its stderr so far."""
        if self.popen.poll() is None:
            self.popen.send_signal(signum)
        try:
            self.popen.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
            raise AssertionError(f"did not exit within {seconds}s of signal {signum}:\n" + "".join(self.lines)) from None
        self._reader.join(timeout=5)
        return "".join(self.lines)

    @property
    def returncode(self) -> int | None:
        return self.popen.poll()


def wait_for(condition, seconds: float = 20.0) -> bool:  # noqa: ANN001
    deadline_at = time.monotonic() + seconds
    while time.monotonic() < deadline_at:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_background_scheduler_catches_up_at_start(tmp_path: Path, smtp) -> None:  # noqa: F811
    missed_reminder(tmp_path, smtp.url)
    svc = Reminders(make_settings(tmp_path, smtp.url))  # the real clock, as in production
    background = start_background(svc)
    try:
        assert wait_for(lambda: len(smtp.mailbox.received) == 1)
        assert [job.id for job in background.scheduler.get_jobs()] == ["calendar-svc-reminders"]
        assert background.scheduler.get_jobs()[0].trigger.interval == dt.timedelta(seconds=60)
    finally:
        background.stop()
    [msg] = smtp.mailbox.to(ALICE)
    assert msg["Subject"].startswith("（补发）【还有")


def test_worker_command_sends_missed_reminders_once_and_stops_cleanly(tmp_path: Path, smtp) -> None:  # noqa: F811
    missed_reminder(tmp_path, smtp.url)
    env = env_for(tmp_path, smtp.url)
    code = "from calendar_svc.cli import main; main()"
    logs = []
    for _ in range(2):  # a restarted worker sends nothing twice
        worker = Process([sys.executable, "-c", code, "worker"], env)
        try:
            assert worker.wait_for_line(READY)  # its SIGTERM handler is in place from here on
            assert worker.wait_for_line("event=caught-up")  # its catch-up check has run (and recorded what it sent)
        finally:
            err = worker.stop(signal.SIGTERM)
        assert worker.returncode == 0, err
        assert "邮件发往 SMTP smtp://127.0.0.1" in err
        logs.append(err)
    assert len(smtp.mailbox.received) == 1
    assert "event=sent" in logs[0] and "to=alice@example.edu offset=2h" in logs[0]
    assert "event=sent" not in logs[1]


def test_serve_runs_the_scheduler_beside_the_page(tmp_path: Path, smtp) -> None:  # noqa: F811
    missed_reminder(tmp_path, smtp.url)
    env = env_for(tmp_path, smtp.url)
    port = free_port()
    code = "from calendar_svc.cli import main; main()"
    server = Process([sys.executable, "-c", code, "serve", "--data", env["CALENDAR_SVC_DEADLINES"], "--port", str(port)], env)
    try:
        assert wait_for(lambda: len(smtp.mailbox.received) == 1)
        assert wait_for(lambda: _up(port))
        page = requests.get(f"http://127.0.0.1:{port}/", timeout=5)
        assert 'id="email-subscribe"' in page.text
        answer = requests.post(f"http://127.0.0.1:{port}/subscribe", data={"email": "bob@example.org"}, timeout=10)
        assert answer.status_code == 202
        assert wait_for(lambda: len(smtp.mailbox.to("bob@example.org")) == 1)
        [confirmation] = smtp.mailbox.to("bob@example.org")
        body = confirmation.get_body(preferencelist=("plain",)).get_content()
        assert f"http://127.0.0.1:{port}/subscribe/confirm/" in body  # links point at this server
        confirm = next(line for line in body.splitlines() if "/subscribe/confirm/" in line).strip()
        assert 'id="result-button"' in requests.get(confirm, timeout=5).text
        done = requests.post(confirm, timeout=5)
        assert done.status_code == 200 and "订阅已确认" in done.text
    finally:
        server.stop(signal.SIGINT)
    assert server.returncode is not None


def _up(port: int) -> bool:
    try:
        return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code in (200, 503)
    except requests.ConnectionError:
        return False


def test_a_clock_set_back_does_not_postpone_the_checks(tmp_path: Path) -> None:
    """APScheduler keeps the next run in wall-clock time; the guard pulls it back after a jump."""
    from apscheduler.schedulers.background import BackgroundScheduler

    from calendar_svc.reminders.scheduler import _add_job

    svc = Reminders(make_settings(tmp_path, ""))
    scheduler = BackgroundScheduler(timezone="Asia/Shanghai")
    guard = _add_job(scheduler, svc)
    scheduler.start(paused=True)  # real jobs, real next-run times; nothing runs
    try:
        wall = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
        job = scheduler.get_job(JOB_ID)
        job.modify(next_run_time=wall + dt.timedelta(seconds=60))  # as after a check at 12:00
        guard.now = lambda: wall + dt.timedelta(seconds=30)
        assert guard.check() is False  # the normal case: the next check is within an interval
        moved_back = wall - dt.timedelta(hours=3)
        guard.now = lambda: moved_back  # someone set the clock back three hours
        assert guard.check() is True
        assert scheduler.get_job(JOB_ID).next_run_time == moved_back  # due now, not at 12:01 three hours on
        assert ClockGuard(scheduler, 60, now=lambda: moved_back).check() is False  # and then it is settled
    finally:
        scheduler.shutdown(wait=False)
